import Foundation
import Testing

@testable import TalentFlow

/// A base of 500 professionals and 20 startups, 24 ticks after 6 of warm-up.
private let tinyBase =
  #"{"population": {"size": 500}, "firms": {"startups": 20}, "time": {"warmup": 6, "ticks": 24}}"#

/// The recovery test's base: 1,000 professionals and 40 startups, 36 ticks after 12 of warm-up,
/// so that a month's moves and unemployment are measured on enough people to respond to the
/// parameters more than to one agent's luck. The parameters the default calibration estimates
/// keep their model 1.4.0 values, so that the test measures the estimator, not the defaults.
private let recoveryBase = #"""
  {"population": {"size": 1000}, "firms": {"startups": 40}, "time": {"warmup": 12, "ticks": 36},
   "utility": {"switchCost": 0.08},
   "startup": {"fixedCost": 40, "acquisitionRate": 0.003, "climateExponent": 1.5,
               "roundRate": [0, 0.08, 0.05, 0.03]}}
  """#

/// A small calibration of market.leadsEmployed and market.leadsUnemployed on the move rate and
/// unemployment, with a funding-winter contrast and a holdout.
private func tinySpecification(
  in folder: URL, targets: String? = nil, replicates: Int = 2, lhs: Int = 4, evaluations: Int = 14,
  searches: Int = 1, base: String = tinyBase
) throws -> CalibrationSpecification {
  try TestFolder.write(base, named: "base.json", in: folder)
  try TestFolder.write(
    #"{"extends": "base.json", "macro": {"fundingSeries": [[0, 1], [6, 0.7]]}}"#,
    named: "winter.json", in: folder)
  let list =
    targets ?? """
      {"measure": "move_rate_monthly", "value": 0.02, "se": 0.004, "source": "test"},
      {"measure": "unemployment_rate", "value": 0.05, "se": 0.01, "source": "test"},
      {"measure": "startup_share_final", "scenario": "winter.json", "contrast": "difference",
       "value": -0.01, "se": 0.02, "source": "test"}
      """
  let text = """
    {"name": "tiny", "base": "base.json",
     "parameters": {"market.leadsEmployed": [0.1, 0.5], "market.leadsUnemployed": [0.2, 0.8]},
     "targets": [\(list)],
     "holdout": [{"measure": "startups_born_per_year", "value": 5, "se": 2, "source": "test"}],
     "replicates": {"count": \(replicates), "baseSeed": 3},
     "optimizer": {"start": {"lhs": \(lhs), "seed": 2, "searches": \(searches)},
                   "evaluations": \(evaluations)}}
    """
  let file = try TestFolder.write(text, named: "tiny.json", in: folder)
  return try CalibrationSpecification.load(file: file)
}

/// Parses a specification given as text; the error it throws, if any.
private func specificationError(_ text: String) -> ConfigurationError? {
  do {
    _ = try CalibrationSpecification(
      json: try JSONParser.parse(bytes: Array(text.utf8)), source: "spec.json",
      folder: URL(fileURLWithPath: "/"), defaultName: "spec")
    return nil
  } catch let error as ConfigurationError {
    return error
  } catch {
    Issue.record("unexpected error \(error)")
    return nil
  }
}

/// Every file of a folder, by name, with its bytes.
private func contents(_ folder: URL) throws -> [String: Data] {
  var files: [String: Data] = [:]
  for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
    files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
  }
  return files
}

@Suite("Calibration: specification, estimation, standard errors and files")
struct CalibrationTests {
  @Test func everyBadMemberIsNamedWithItsValue() {
    let parameters = #""parameters": {"market.leadsEmployed": [0.1, 0.5]}"#
    let target = #"{"measure": "move_rate_monthly", "value": 0.02, "se": 0.004, "source": "CPS"}"#
    let targets = #""targets": [\#(target)]"#
    let cases: [(String, [String])] = [
      (#"{\#(targets)}"#, ["parameters"]),
      (#"{\#(parameters)}"#, ["targets"]),
      (#"{\#(parameters), "targets": []}"#, ["targets"]),
      (#"{\#(parameters), \#(targets), "seed": 3}"#, ["seed", "unknown key"]),
      (#"{"parameters": {"market.leadsEmployed": [0.5, 0.1]}, \#(targets)}"#, ["[0.5,0.1]"]),
      (#"{"parameters": {"market.nope": [0.1, 0.5]}, \#(targets)}"#, ["market.nope"]),
      (#"{"parameters": {"population.size": [100, 500]}, \#(targets)}"#, ["integer key"]),
      (#"{"parameters": {"startup.roundRate.4": [0.1, 0.5]}, \#(targets)}"#, ["startup.roundRate.4"]),
      (
        #"{"parameters": {"startup.roundRate": [0.1, 0.5]}, \#(targets)}"#,
        ["startup.roundRate", "not a number"]
      ),
      (
        #"{"parameters": {"market.leadsEmployed": [0.1, 500]}, \#(targets)}"#,
        ["parameters.market.leadsEmployed"]
      ),
      (
        #"{\#(parameters), "targets": [{"measure": "move_rate", "value": 0.02, "se": 0.004, "source": "x"}]}"#,
        ["targets[0].measure", "move_rate"]
      ),
      (
        #"{\#(parameters), "targets": [{"measure": "move_rate_monthly", "value": 0.02, "se": 0, "source": "x"}]}"#,
        ["targets[0].se", "0"]
      ),
      (
        #"{\#(parameters), "targets": [{"measure": "move_rate_monthly", "value": 0.02, "se": 0.1}]}"#,
        ["targets[0].source"]
      ),
      (
        #"{\#(parameters), "targets": [{"measure": "move_rate_monthly", "value": 0.02, "se": 0.1, "source": "x", "contrast": "relative"}]}"#,
        ["targets[0].contrast", "scenario"]
      ),
      (
        #"{\#(parameters), "targets": [{"measure": "move_rate_monthly", "value": 0.02, "se": 0.1, "source": "x", "scenario": "s.json"}]}"#,
        ["targets[0].contrast", "missing"]
      ),
      (
        #"{\#(parameters), "targets": [{"measure": "move_rate_monthly", "value": 0.02, "se": 0.1, "source": "x", "scenario": "s.json", "contrast": "ratio"}]}"#,
        ["targets[0].contrast", "\"ratio\""]
      ),
      (#"{\#(parameters), "targets": [\#(target), \#(target)]}"#, ["targets[1]", "repeats"]),
      (#"{\#(parameters), \#(targets), "holdout": [\#(target)]}"#, ["holdout[0]", "also a target"]),
      (#"{\#(parameters), \#(targets), "optimizer": {"method": "cma"}}"#, ["optimizer.method", "cma"]),
      (
        #"{\#(parameters), \#(targets), "optimizer": {"start": {"lhs": 10}, "evaluations": 11}}"#,
        ["optimizer.evaluations", "11"]
      ),
      (
        #"{\#(parameters), \#(targets), "optimizer": {"start": {"lhs": 2, "searches": 3}}}"#,
        ["optimizer.start.searches", "3"]
      ),
      (#"{\#(parameters), \#(targets), "jacobianStep": 0.9}"#, ["jacobianStep", "0.9"]),
      (#"{\#(parameters), \#(targets), "replicates": {"count": 0}}"#, ["replicates.count"]),
    ]
    for (text, expected) in cases {
      guard let error = specificationError(text) else {
        Issue.record("accepted: \(text)")
        continue
      }
      #expect(error.description.contains("spec.json"), "\(error)")
      for word in expected {
        #expect(error.description.contains(word), "\(word) not in: \(error)")
      }
    }
    #expect(specificationError(#"{\#(parameters), \#(targets)}"#) == nil)
  }

  @Test func oneElementOfAStageListIsAKey() throws {
    var config = Configuration()
    let before = config.startup.roundRate
    try config.set(path: "startup.roundRate.1", value: .number(0.125), source: "test")
    #expect(config.startup.roundRate[1] == 0.125)
    #expect(config.startup.roundRate[0] == before[0] && config.startup.roundRate[2] == before[2])
    #expect(ConfigurationKeys.key("startup.roundRate.1")?.value(in: config) == .number(0.125))
    for path in ["startup.roundRate.4", "startup.roundRate.01", "startup.roundRate.-1", "market.leadsEmployed.0"] {
      #expect(ConfigurationKeys.key(path) == nil, "\(path)")
    }
    #expect(ConfigurationKeys.listPath(ofElement: "equity.offerByStage.2") == "equity.offerByStage")
    // The list's own rules hold: offers must not rise with the stage.
    do {
      try config.set(path: "equity.offerByStage.3", value: .number(0.9), source: "test")
      Issue.record("an offer rising with the stage was accepted")
    } catch {
      #expect(error.description.contains("equity.offerByStage.3"), "\(error)")
      #expect(error.description.contains("increase"), "\(error)")
    }
  }

  /// Moments linear in θ, m = Aθ, with targets m(θ₀): Q is a quadratic with its minimum at
  /// θ₀, and the sandwich is (1 + 1/R)(AᵀWA)⁻¹ exactly, since central differences of a linear
  /// function are exact.
  @Test func aQuadraticObjectiveIsMinimisedWithItsAnalyticStandardErrors() throws {
    let a: [[Double]] = [[1, 0.5, 0], [0, 2, 0.3], [0.2, 0, 1], [1, 1, 1]]
    let theta0 = [0.3, 0.7, 0.45]
    let se = [0.01, 0.02, 0.015, 0.03]
    func m(_ theta: [Double]) -> [Double] {
      a.map { row in zip(row, theta).reduce(0) { $0 + $1.0 * $1.1 } }
    }
    let targets = try MomentTargets(values: m(theta0), standardErrors: se)
    let box = try CalibrationBox(lower: [0, 0, 0], upper: [1, 1, 1])
    let r = 4
    var optimizer = CalibrationOptimizer.defaults(dimensions: 3)
    optimizer.latinHypercube = 8
    optimizer.evaluations = 8 + 400
    optimizer.objectiveTolerance = 1e-12
    optimizer.simplexTolerance = 1e-9
    let search = CalibrationSearch(
      box: box, optimizer: optimizer, targets: targets, holdouts: nil, replicates: r,
      jacobianStep: 0.01)
    var phases: [CalibrationPhase] = []
    let result = try search.run(evaluate: { points, phase, _ in
      phases.append(phase)
      return points.map { PointMoments(targets: Array(repeating: m($0), count: r)) }
    })
    for j in 0..<3 { #expect(abs(result.estimate[j] - theta0[j]) < 1e-4, "\(result.estimate)") }
    #expect(result.fit.objective < 1e-6)
    #expect(phases.first == .start && phases.contains(.search(1)))
    #expect(phases.suffix(2) == [.estimate, .jacobian])
    // (1 + 1/R)(AᵀWA)⁻¹ with W = diag(1/se²).
    var b = [[Double]](repeating: [0, 0, 0], count: 3)
    for i in a.indices {
      for p in 0..<3 { for q in 0..<3 { b[p][q] += a[i][p] * a[i][q] / (se[i] * se[i]) } }
    }
    let inverse = try #require(DenseMatrix.inverse(symmetricPositiveDefinite: b))
    let covariance = try #require(result.covariance)
    for j in 0..<3 {
      let expected = ((1 + 1 / Double(r)) * inverse[j][j]).squareRoot()
      let got = try #require(covariance.standardErrors[j].value)
      #expect(abs(got - expected) <= 1e-6 * expected, "parameter \(j): \(got) vs \(expected)")
    }
  }

  /// A parameter that moves no moment is flagged, not given a number.
  @Test func aParameterNoMomentSeesIsNotIdentified() throws {
    let targets = try MomentTargets(values: [0.4, 0.2], standardErrors: [0.01, 0.01])
    let box = try CalibrationBox(lower: [0, 0], upper: [1, 1])
    let search = CalibrationSearch(
      box: box, optimizer: CalibrationOptimizer.defaults(dimensions: 2), targets: targets,
      holdouts: nil, replicates: 2, jacobianStep: 0.01)
    let result = try search.run(evaluate: { points, _, _ in
      points.map { PointMoments(targets: Array(repeating: [$0[0], 2 * $0[0]], count: 2)) }
    })
    let covariance = try #require(result.covariance)
    #expect(covariance.standardErrors[0].value != nil)
    #expect(covariance.standardErrors[1].value == nil)
    #expect(CalibrationOutputs.standardError(result, 1).1.hasPrefix("not identified"))
  }

  /// Targets simulated at known θ₀ on other seeds; the calibration, from a Latin hypercube
  /// that does not contain θ₀, finds both parameters within two of their own standard errors.
  ///
  /// θ₀ = (0.32, 0.30). Up to model 1.4.0 the test used 0.45 for `market.leadsUnemployed`,
  /// where it was not recovered (0.753, 3.6 standard errors away): there unemployment among
  /// 1,000 people barely answers more leads (the unemployed find jobs quickly anyway), the
  /// objective is flat in that direction and its lowest point moves with the seeds, and the
  /// sandwich, a local slope, understates the uncertainty. At 0.30 unemployment answers the
  /// parameter and the estimator recovers it; the flat case is what `jacobian.csv` and the
  /// README's "How far to trust the estimates" warn about.
  ///
  /// The world is one realisation of the economy, so a target's standard error is the standard
  /// deviation of the moment over single runs: that is what the 1 + 1/R factor of the sandwich
  /// assumes (R simulated runs against one observed). The target's value here is the mean of 6
  /// runs at θ₀ on seeds 101–106, its standard error the standard deviation of those runs.
  @Test func theSimulatorsKnownParametersAreRecovered() throws {
    let folder = try TestFolder.make("calibration-recovery")
    defer { TestFolder.remove(folder) }
    let placeholder = try tinySpecification(in: folder, replicates: 6, base: recoveryBase)
    let truth = [0.32, 0.3]
    // The targets: the moments at θ₀ on seeds 101…106, their standard errors from those runs.
    var targetPlan = try CalibrationPlan(specification: placeholder, overrides: [])
    targetPlan.seeds = Array(101...106)
    var rows: [[Double]] = []
    for seed in targetPlan.seeds {
      var measured: [Int: [String: Double]] = [:]
      for variant in targetPlan.variants.indices {
        let measures = targetPlan.measures(variant: variant, holdouts: false)
        var config = try targetPlan.configuration(variant: variant, point: truth, seed: seed)
        config = SimulatedMeasures.withOutputs(SimulatedMeasures.neededFiles(measures), config)
        guard
          case .measured(let values) = try SimulatedMeasures.measure(config, measures: measures)
        else {
          Issue.record("a target run failed")
          return
        }
        measured[variant] = Dictionary(uniqueKeysWithValues: zip(measures, values))
      }
      rows.append(
        targetPlan.moments(targetPlan.targets, variants: targetPlan.targetVariants, measured: measured))
    }
    let mean = try MomentEstimator.mean(rows, moments: rows[0].count)
    var targets: [String] = []
    for (i, target) in targetPlan.targets.enumerated() {
      var ss = 0.0
      for row in rows { ss += (row[i] - mean[i]) * (row[i] - mean[i]) }
      let se = max((ss / 5).squareRoot(), 1e-4)
      let scenario =
        target.scenario.map { #", "scenario": "\#($0)", "contrast": "\#(target.contrast.rawValue)""# } ?? ""
      targets.append(
        #"{"measure": "\#(target.measure)", "value": \#(mean[i]), "se": \#(se), "source": "θ₀"\#(scenario)}"#)
    }
    let spec = try tinySpecification(
      in: folder, targets: targets.joined(separator: ", "), replicates: 6, lhs: 6, evaluations: 66,
      searches: 3, base: recoveryBase)
    let plan = try CalibrationPlan(specification: spec, overrides: [])
    let outcome = try CalibrationRunner.run(
      plan: plan, folder: folder.appendingPathComponent("out"), workers: 2, resume: false)
    let result = try #require(outcome.result)
    let covariance = try #require(result.covariance)
    // Both parameters are recovered within two of their standard errors.
    for j in truth.indices {
      let key = plan.parameters[j].key
      let se = try #require(covariance.standardErrors[j].value, "\(key) not identified")
      #expect(
        abs(result.estimate[j] - truth[j]) < 2 * se,
        "\(key): estimate \(result.estimate[j]), truth \(truth[j]), se \(se)")
    }
  }

  @Test func theFilesAreTheSameOnOneAndTwoWorkersAndAfterAResume() throws {
    let folder = try TestFolder.make("calibration-workers")
    defer { TestFolder.remove(folder) }
    let plan = try CalibrationPlan(specification: tinySpecification(in: folder), overrides: [])
    let one = folder.appendingPathComponent("one")
    let two = folder.appendingPathComponent("two")
    let resumed = folder.appendingPathComponent("resumed")
    let first = try CalibrationRunner.run(plan: plan, folder: one, workers: 1, resume: false)
    _ = try CalibrationRunner.run(plan: plan, folder: two, workers: 2, resume: false)
    #expect(throws: SweepError.self) {
      try CalibrationRunner.run(
        plan: plan, folder: resumed, workers: 2, resume: false, progress: nil, stopAfter: 5)
    }
    #expect(!FileManager.default.fileExists(atPath: resumed.appendingPathComponent("manifest.json").path))
    #expect(throws: SweepError.self) {
      try CalibrationRunner.run(plan: plan, folder: resumed, workers: 2, resume: false)
    }
    let again = try CalibrationRunner.run(plan: plan, folder: resumed, workers: 2, resume: true)
    let reference = try contents(one)
    #expect(
      Set(reference.keys)
        == ["calibrated.json", "parameters.csv", "fit.csv", "trace.csv", "jacobian.csv", "manifest.json"])
    #expect(try contents(two) == reference)
    #expect(try contents(resumed) == reference)
    #expect(again.simulated == (first.result?.trace.count ?? 0) - 5)
    // Finished: a resume does nothing.
    let done = try CalibrationRunner.run(plan: plan, folder: one, workers: 2, resume: true)
    #expect(done.alreadyComplete && done.simulated == 0)

    // calibrated.json is a configuration `talentflow run` takes, with the estimates in it.
    let calibrated = try Configuration.load(file: one.appendingPathComponent("calibrated.json").path)
    let result = try #require(first.result)
    #expect(calibrated.market.leadsEmployed == result.estimate[0])
    #expect(calibrated.market.leadsUnemployed == result.estimate[1])
    #expect(calibrated.population.size == 500)
    // fit.csv: the three targets and the holdout at the estimate.
    let fit = try String(contentsOf: one.appendingPathComponent("fit.csv"), encoding: .utf8)
    let lines = fit.split(separator: "\n")
    #expect(lines.first == "measure,scenario,contrast,target,se,simulated,simulated_sd,z,role,source")
    #expect(lines.count == 5 && lines[3].contains("winter.json,difference") && lines[4].contains("holdout"))
    // jacobian.csv: G at the estimate, one row per target and parameter, and its scaled form.
    let g = try #require(result.jacobian)
    let jacobian = try String(contentsOf: one.appendingPathComponent("jacobian.csv"), encoding: .utf8)
      .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    #expect(jacobian.first?.joined(separator: ",") == "measure,scenario,contrast,parameter,derivative,scaled")
    #expect(jacobian.count == 1 + plan.targets.count * plan.parameters.count)
    for (i, target) in plan.targets.enumerated() {
      for (j, parameter) in plan.parameters.enumerated() {
        let row = jacobian[1 + i * plan.parameters.count + j]
        #expect(row[0] == Substring(target.measure) && row[3] == Substring(parameter.key))
        #expect(Double(row[4]) == g[i][j])
        let scaled = g[i][j] * (parameter.upper - parameter.lower) / target.standardError
        #expect(Double(row[5]) == scaled)
      }
    }
  }

  @Test func anotherSpecificationCannotResumeAFolder() throws {
    let folder = try TestFolder.make("calibration-identity")
    defer { TestFolder.remove(folder) }
    let plan = try CalibrationPlan(specification: tinySpecification(in: folder), overrides: [])
    let out = folder.appendingPathComponent("out")
    #expect(throws: SweepError.self) {
      try CalibrationRunner.run(
        plan: plan, folder: out, workers: 2, resume: false, progress: nil, stopAfter: 2)
    }
    let other = try CalibrationPlan(
      specification: tinySpecification(in: folder), overrides: ["market.hiringNoise=0.2"])
    do {
      _ = try CalibrationRunner.run(plan: other, folder: out, workers: 2, resume: true)
      Issue.record("another specification resumed the folder")
    } catch let error as SweepError {
      #expect(error.message.contains("another specification"), "\(error)")
    }
    do {
      _ = try CalibrationPlan(
        specification: tinySpecification(in: folder), overrides: ["market.leadsEmployed=0.2"])
      Issue.record("--set of an estimated key was accepted")
    } catch let error as ConfigurationError {
      #expect(error.description.contains("market.leadsEmployed"), "\(error)")
    }
  }

  /// The command: a bad specification is refused by file, key and value with exit 65 and
  /// nothing written; a finished folder is not overwritten without --resume (exit 73); with
  /// --resume the finished calibration is left as it is.
  @Test func theCommandRefusesBadInputAndKeepsFinishedWork() throws {
    let folder = try TestFolder.make("calibrate-command")
    defer { TestFolder.remove(folder) }
    _ = try tinySpecification(in: folder, evaluations: 10)
    let bad = try TestFolder.write(
      #"{"parameters": {"market.leadsEmployed": [0.1, 0.5]}, "targets": [{"measure": "move_rate_monthly", "value": 0.02, "se": -1, "source": "x"}]}"#,
      named: "bad.json", in: folder)
    let refused = try TalentflowProcess.run(
      ["calibrate", bad, "--out", folder.appendingPathComponent("bad-out").path])
    #expect(refused.exited(with: 65))
    #expect(refused.stderr.contains("bad.json") && refused.stderr.contains("targets[0].se"))
    #expect(refused.stderr.contains("-1"), "\(refused.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("bad-out").path))

    let out = folder.appendingPathComponent("out").path
    let spec = folder.appendingPathComponent("tiny.json").path
    let first = try TalentflowProcess.run(["calibrate", spec, "--out", out, "--workers", "2"])
    #expect(first.exited(with: 0), "\(first.stderr)")
    #expect(first.stdout.contains("market.leadsEmployed"))
    let manifest = try Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent("manifest.json"))
    let again = try TalentflowProcess.run(["calibrate", spec, "--out", out])
    #expect(again.exited(with: 73))
    #expect(again.stderr.contains("--resume"))
    let resumed = try TalentflowProcess.run(["calibrate", spec, "--out", out, "--resume"])
    #expect(resumed.exited(with: 0))
    #expect(resumed.stdout.contains("already holds the finished calibration"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent("manifest.json")) == manifest)
    let run = try TalentflowProcess.run([
      "run", URL(fileURLWithPath: out).appendingPathComponent("calibrated.json").path, "--out",
      folder.appendingPathComponent("run").path, "--quiet",
    ])
    #expect(run.exited(with: 0), "\(run.stderr)")
  }

  /// The committed default calibration (notebooks-data/calibration/default/) is the one this
  /// model and configs/calibration/default.json make: its plan's SHA-256 covers the model
  /// version, the targets, the seeds, the optimizer and the resolved configurations, so a change
  /// to any of them without running the calibration again fails here.
  @Test func theCommittedDefaultCalibrationIsThisModels() throws {
    let root = TalentflowProcess.packageRoot
    let record = root.appendingPathComponent("notebooks-data/calibration/default")
    let plan = try CalibrationPlan(
      specification: CalibrationSpecification.load(
        file: root.appendingPathComponent("configs/calibration/default.json").path),
      overrides: [])
    let manifest = try Configuration.readJSON(
      file: record.appendingPathComponent("manifest.json").path)
    #expect(
      manifest["calibrationSHA256"]?.stringValue == plan.fingerprint,
      "stale: talentflow calibrate configs/calibration/default.json --out notebooks-data/calibration/default")
    #expect(manifest["modelVersion"]?.stringValue == TalentFlowVersion.model)
    let estimates = try #require(manifest["estimates"]?.arrayValue)
    #expect(estimates.compactMap { $0["key"]?.stringValue } == plan.parameters.map(\.key))
  }

  /// The built-in defaults of the estimated parameters are the committed calibration's
  /// estimates rounded to three significant digits (Model.md, "Provenance of the defaults"),
  /// and each lies within its calibration range.
  @Test func theDefaultsAreTheCommittedEstimates() throws {
    let manifest = try Configuration.readJSON(
      file: TalentflowProcess.packageRoot
        .appendingPathComponent("notebooks-data/calibration/default/manifest.json").path)
    let estimates = try #require(manifest["estimates"]?.arrayValue)
    #expect(!estimates.isEmpty)
    let ranges = try #require(manifest["plan"]?["parameters"]?.arrayValue)
    #expect(ranges.count == estimates.count)
    let defaults = Configuration()
    for (estimate, range) in zip(estimates, ranges) {
      let key = try #require(estimate["key"]?.stringValue)
      let value = try #require(estimate["estimate"]?.doubleValue)
      let rounded = try #require(Double(String(format: "%.3g", value)))
      let current: Double? = ConfigurationKeys.key(key)?.value(in: defaults).doubleValue
      let shown = current.map { "\($0)" } ?? "none"
      #expect(current == rounded, "\(key): default \(shown), estimate \(value)")
      #expect(range["key"]?.stringValue == key)
      let lower = try #require(range["lower"]?.doubleValue)
      let upper = try #require(range["upper"]?.doubleValue)
      #expect(lower <= rounded && rounded <= upper, "\(key): \(rounded) outside [\(lower), \(upper)]")
    }
  }
}
