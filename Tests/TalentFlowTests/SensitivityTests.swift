import Foundation
import Testing

@testable import TalentFlow

/// A small Morris analysis: 2 trajectories × 3 points × 2 replicates = 12 runs of 600
/// professionals over 12 ticks after 6 of warm-up. `measures` may name measures that need
/// moves.csv or firms.csv, which sends the runs through a scratch folder.
private func morrisSpecification(
  in folder: URL, measures: [String] = ["move_rate_monthly", "startups_born_per_year"],
  extra: String = ""
) throws -> SensitivitySpecification {
  let base = folder.appendingPathComponent("base.json")
  try Data(
    #"{"population": {"size": 600}, "firms": {"startups": 20}, "time": {"warmup": 6}}"#.utf8
  ).write(to: base)
  let list = measures.map { "\"\($0)\"" }.joined(separator: ", ")
  let text = """
    {"name": "tiny", "base": "base.json", "ticks": 12, "method": "morris", "trajectories": 2,
     "levels": 4, "parameters": {"market.leadsEmployed": [0.1, 0.5],
     "founding.opportunityRate": [0.008, 0.032]}, "measures": [\(list)],
     "replicates": {"count": 2, "baseSeed": 3}, "seed": 5\(extra)}
    """
  let file = try TestFolder.write(text, named: "tiny.json", in: folder)
  return try SensitivitySpecification.load(file: file)
}

/// Parses a specification given as text; the error it throws, if any.
private func specificationError(_ text: String) -> ConfigurationError? {
  do {
    _ = try SensitivitySpecification(
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

/// The rows of a CSV file, split on commas (the tables here hold no quoted fields).
private func rows(_ url: URL) throws -> [[String]] {
  try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
    $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
  }
}

@Suite("Sensitivity analysis: specification, plan and files")
struct SensitivityTests {
  @Test func everyBadMemberIsNamedWithItsValue() throws {
    let parameters = #""parameters": {"market.leadsEmployed": [0.1, 0.5]}"#
    let measures = #""measures": ["move_rate_monthly"]"#
    let cases: [(String, [String])] = [
      (#"{"trajectories": 4, \#(parameters), \#(measures)}"#, ["method"]),
      (#"{"method": "fast", \#(parameters), \#(measures)}"#, ["method", "\"fast\""]),
      (
        #"{"method": "morris", "trajectories": 4, "samples": 8, \#(parameters), \#(measures)}"#,
        ["samples", "sobol"]
      ),
      (
        #"{"method": "morris", "trajectories": 4, "levels": 5, \#(parameters), \#(measures)}"#,
        ["levels", "5"]
      ),
      (
        #"{"method": "sobol", "samples": 8, "parameters": {"population.size": [100, 200]}, \#(measures)}"#,
        ["parameters.population.size", "integer key"]
      ),
      (
        #"{"method": "sobol", "samples": 8, "parameters": {"market.leadsEmployed": [0.5, 0.1]}, \#(measures)}"#,
        ["parameters.market.leadsEmployed", "[0.5,0.1]"]
      ),
      (
        #"{"method": "sobol", "samples": 8, "parameters": {"market.leadsEmployd": [0.1, 0.5]}, \#(measures)}"#,
        ["market.leadsEmployd", "did you mean market.leadsEmployed"]
      ),
      (
        #"{"method": "sobol", "samples": 8, \#(parameters), "measures": ["move_rate_monthy"]}"#,
        ["measures[0]", "move_rate_monthy", "did you mean move_rate_monthly"]
      ),
      (
        #"{"method": "sobol", "samples": 8, \#(parameters), "measures": ["move_rate_monthly", "move_rate_monthly"]}"#,
        ["measures[1]", "repeats"]
      ),
      (
        #"{"method": "sobol", "samples": 8, "set": {"market.leadsEmployed": 0.2}, \#(parameters), \#(measures)}"#,
        ["both in set and in parameters"]
      ),
      (
        #"{"method": "sobol", "samples": 8, "confidenceLevel": 1, \#(parameters), \#(measures)}"#,
        ["confidenceLevel", "1"]
      ),
      (#"{"method": "sobol", "samples": 8, "parameters": {}, \#(measures)}"#, ["parameters"]),
      (
        #"{"method": "sobol", "samples": 8, "colour": 1, \#(parameters), \#(measures)}"#,
        ["unknown key colour"]
      ),
    ]
    for (text, fragments) in cases {
      let error = try #require(specificationError(text), "accepted: \(text)")
      #expect(error.description.hasPrefix("spec.json: "), "\(error.description)")
      for fragment in fragments {
        #expect(error.description.contains(fragment), "\(error.description) lacks \(fragment)")
      }
    }
  }

  @Test func thePlanCarriesTheAnalysisAndReadsBackToTheSameFingerprint() throws {
    let folder = try TestFolder.make("sensitivity-plan")
    defer { TestFolder.remove(folder) }
    let spec = try morrisSpecification(in: folder)
    let plan = try SweepPlan(sensitivity: spec, overrides: [])
    #expect(plan.points.count == 2 * (2 + 1))
    #expect(plan.parameters == ["market.leadsEmployed", "founding.opportunityRate"])
    #expect(plan.runCount == 12)
    // Every design value lies in its range.
    for row in plan.points {
      let values = row.compactMap(\.doubleValue)
      #expect(values[0] >= 0.1 && values[0] <= 0.5)
      #expect(values[1] >= 0.008 && values[1] <= 0.032)
    }
    let back = try SweepPlan(json: plan.json, source: "shard.json")
    #expect(back.analysis == plan.analysis)
    #expect(back.fingerprint == plan.fingerprint)
    // A sweep's plan has no analysis member, so sweeps keep their fingerprints.
    #expect(plan.json["analysis"] != nil)
    let sweep = try SweepSpecification(
      json: try JSONParser.parse(
        bytes: Array(#"{"grid": {"market.leadsEmployed": [0.1, 0.2]}}"#.utf8)),
      source: "s.json", folder: folder, defaultName: "s")
    #expect(try SweepPlan(specification: sweep, overrides: []).json["analysis"] == nil)
  }

  @Test func measuresThatReadMoreThanTheTimeseriesTurnTheirOutputsOn() throws {
    let folder = try TestFolder.make("sensitivity-outputs")
    defer { TestFolder.remove(folder) }
    let spec = try morrisSpecification(
      in: folder, measures: ["startup_survival_48", "hire_retention_12", "mean_tenure_startup"])
    let plan = try SweepPlan(sensitivity: spec, overrides: [])
    #expect(plan.base.output.firmsEvery == 1)
    #expect(plan.base.output.moves)
    #expect(plan.base.output.agents != .none)
    let timeseriesOnly = try SweepPlan(sensitivity: morrisSpecification(in: folder), overrides: [])
    #expect(timeseriesOnly.base.output.firmsEvery == Configuration().output.firmsEvery)
  }

  @Test func oneAndTwoWorkersAndMergedShardsWriteTheSameFiles() throws {
    let folder = try TestFolder.make("sensitivity-split")
    defer { TestFolder.remove(folder) }
    let spec = try morrisSpecification(
      in: folder, measures: ["move_rate_monthly", "startups_born_per_year", "hire_retention_12"])
    let plan = try SweepPlan(sensitivity: spec, overrides: [])
    let one = folder.appendingPathComponent("one")
    let two = folder.appendingPathComponent("two")
    _ = try SweepRunner.run(plan: plan, folder: one, shard: nil, workers: 1, resume: false)
    _ = try SweepRunner.run(plan: plan, folder: two, shard: nil, workers: 2, resume: false)
    try expectSameSweepFiles(one, two)
    var shards: [URL] = []
    for k in 1...3 {
      let shard = folder.appendingPathComponent("shard-\(k)")
      _ = try SweepRunner.run(
        plan: plan, folder: shard, shard: SweepShard(index: k, count: 3), workers: 2,
        resume: false)
      shards.append(shard)
    }
    let merged = folder.appendingPathComponent("merged")
    try SweepMerge.merge(shards: shards, destination: merged)
    try expectSameSweepFiles(one, merged)

    let names = try FileManager.default.contentsOfDirectory(atPath: one.path).sorted()
    #expect(names == ["design.csv", "indices.csv", "manifest.json", "runs.csv"])
    let manifest = try Configuration.readJSON(file: one.appendingPathComponent("manifest.json").path)
    #expect(manifest["kind"]?.stringValue == "sensitivity")
    #expect(manifest["analysis"]?["method"]?.stringValue == "morris")
    let indices = try rows(one.appendingPathComponent("indices.csv"))
    #expect(indices[0] == ["measure", "parameter", "mu", "mu_star", "sigma", "mu_star_conf"])
    #expect(indices.count == 1 + 3 * 2)
  }

  @Test func runsHoldTheLibrarysMeasuresOfEachRun() throws {
    let folder = try TestFolder.make("sensitivity-runs")
    defer { TestFolder.remove(folder) }
    let spec = try morrisSpecification(
      in: folder, measures: ["move_rate_monthly", "unemployment_rate", "hire_retention_12"])
    let plan = try SweepPlan(sensitivity: spec, overrides: [])
    let out = folder.appendingPathComponent("out")
    _ = try SweepRunner.run(plan: plan, folder: out, shard: nil, workers: 2, resume: false)
    let table = try rows(out.appendingPathComponent("runs.csv"))
    #expect(
      table[0] == [
        "run", "point", "replicate", "seed", "move_rate_monthly", "unemployment_rate",
        "hire_retention_12",
      ])
    #expect(table.count == 1 + plan.runCount)
    // The third run, measured again on its own from a folder, as `talentflow measures` would.
    let run = plan.run(2)
    let config = try plan.configuration(run: run)
    let single = folder.appendingPathComponent("single")
    _ = try Runner.run(config: config, destination: single, force: false, threads: 1)
    let measured = try MeasuredRun(folder: single.path)
    for (k, name) in spec.analysis.measures.enumerated() {
      let value = try #require(RunMeasures.named(name)).value(of: measured)
      let field = table[3][4 + k]
      switch value {
      case .value(let x): #expect(Double(field) == x, "\(name)")
      case .unavailable: #expect(field.isEmpty, "\(name) should be empty, is \(field)")
      }
    }
    // hire_retention_12 needs hires 12 ticks before the end of a 12-tick run: unavailable, so
    // its indices are empty rather than numbers of nothing.
    let indices = try rows(out.appendingPathComponent("indices.csv"))
    for row in indices where row[0] == "hire_retention_12" {
      let empty = row.dropFirst(2).allSatisfy { $0.isEmpty }
      #expect(empty, "\(row)")
    }
    for row in indices where row[0] == "move_rate_monthly" {
      let numbers = row.dropFirst(2).allSatisfy { Double($0)?.isFinite == true }
      #expect(numbers, "\(row)")
    }
  }

  @Test func aSobolAnalysisWritesItsRowsInSaltelliOrderAndSecondOrderPairs() throws {
    let folder = try TestFolder.make("sensitivity-sobol")
    defer { TestFolder.remove(folder) }
    let spec = try morrisSpecification(in: folder)
    var analysis = spec.analysis
    analysis.method = .sobol(samples: 3, secondOrder: true)
    let k = analysis.parameters.count
    let design = try analysis.design()
    #expect(design.count == 3 * (2 * k + 2))
    for i in 0..<3 {
      let block = Array(design[(i * (2 * k + 2))..<((i + 1) * (2 * k + 2))])
      let a = block[0]
      let b = block[2 * k + 1]
      for j in 0..<k {
        // AB_j is A with column j from B; BA_j is B with column j from A.
        var ab = a
        ab[j] = b[j]
        var ba = b
        ba[j] = a[j]
        #expect(block[1 + j] == ab)
        #expect(block[1 + k + j] == ba)
      }
    }
    var changed = spec
    changed.analysis = analysis
    let plan = try SweepPlan(sensitivity: changed, overrides: [])
    let out = folder.appendingPathComponent("out")
    _ = try SweepRunner.run(plan: plan, folder: out, shard: nil, workers: 2, resume: false)
    let indices = try rows(out.appendingPathComponent("indices.csv"))
    #expect(indices[0] == ["measure", "parameter", "S1", "S1_conf", "ST", "ST_conf"])
    let pairs = try rows(out.appendingPathComponent("S2.csv"))
    #expect(pairs[0] == ["measure", "parameter_1", "parameter_2", "S2", "S2_conf"])
    #expect(pairs.count == 1 + 2 * (k * (k - 1) / 2))
  }

  @Test func theCommandRefusesABadSpecificationAndEmitsSensitivityJobs() throws {
    let folder = try TestFolder.make("sensitivity-cli")
    defer { TestFolder.remove(folder) }
    let bad = try TestFolder.write(
      #"{"method": "morris", "trajectories": 1, "parameters": {"market.leadsEmployed": [0.1, 0.5]}, "measures": ["move_rate_monthly"]}"#,
      named: "bad.json", in: folder)
    let out = folder.appendingPathComponent("out").path
    let refused = try TalentflowProcess.run(["sensitivity", bad, "--out", out])
    #expect(refused.status == 65)
    #expect(refused.stderr.contains("bad.json"))
    #expect(refused.stderr.contains("trajectories must be an integer from 2 to 100000, got 1"))
    #expect(!FileManager.default.fileExists(atPath: out))

    _ = try morrisSpecification(in: folder)
    let spec = folder.appendingPathComponent("tiny.json").path
    let slurm = folder.appendingPathComponent("slurm")
    let emitted = try TalentflowProcess.run(
      ["sensitivity", spec, "--emit-slurm", slurm.path, "--out", out])
    #expect(emitted.status == 0)
    let array = try String(
      contentsOf: slurm.appendingPathComponent("array.sbatch"), encoding: .utf8)
    #expect(array.contains(" sensitivity \(spec) --shard \"$k/12\""))
    #expect(array.contains("# Written by talentflow sensitivity --emit-slurm."))
  }
  /// Hostile variants of a valid specification: every member replaced by values of every kind,
  /// members dropped, unknown members added. Each either loads or is refused with a message
  /// that names the file; none crashes, and every accepted one makes a plan whose design points
  /// lie in their ranges.
  @Test(arguments: [UInt64(20_261_204)])
  func hostileSpecificationsAreRefusedByNameNeverByACrash(seed: UInt64) throws {
    var random = SeededGenerator(seed: seed)
    let valid: [(key: String, value: JSONValue)] = [
      ("method", .string("sobol")), ("samples", .number(4)), ("secondOrder", .bool(true)),
      (
        "parameters",
        .object([
          ("market.leadsEmployed", .array([.number(0.1), .number(0.5)])),
          ("equity.optimism", .array([.number(1), .number(5)])),
        ])
      ),
      ("measures", .array([.string("move_rate_monthly"), .string("startup_survival_48")])),
      ("replicates", .object([("count", .number(2)), ("baseSeed", .number(1))])),
      ("seed", .number(3)), ("resamples", .number(50)), ("confidenceLevel", .number(0.9)),
    ]
    let hostile: [JSONValue] = [
      .null, .bool(false), .number(0), .number(-1), .number(1e308), .number(2.5),
      .number(-0.0), .number(4_294_967_297), .string(""), .string("morris"), .string("x"),
      .array([]), .array([.number(1)]), .array([.number(1), .number(0)]),
      .array([.string("a"), .string("b")]), .object([]),
      .object([("market.leadsEmployed", .array([.number(-1e308), .number(1e308)]))]),
      .object([("seed", .array([.number(0), .number(1)]))]),
      .object([("count", .number(0))]),
    ]
    for _ in 0..<400 {
      var members = valid
      for _ in 0..<Int.random(in: 1...3, using: &random) {
        switch Int.random(in: 0..<4, using: &random) {
        case 0 where !members.isEmpty:
          members.remove(at: Int.random(in: 0..<members.count, using: &random))
        case 1:
          members.append(("levels", hostile.randomElement(using: &random)!))
        case 2:
          members.append(("unknown\(Int.random(in: 0..<3, using: &random))", .number(1)))
        default:
          guard !members.isEmpty else { continue }
          let k = Int.random(in: 0..<members.count, using: &random)
          members[k].value = hostile.randomElement(using: &random)!
        }
      }
      let text = JSONValue.object(members).serialized(pretty: false)
      do {
        let spec = try SensitivitySpecification(
          json: .object(members), source: "hostile.json", folder: URL(fileURLWithPath: "/"),
          defaultName: "hostile")
        let design = try spec.analysis.design()
        for row in design {
          for (x, parameter) in zip(row, spec.analysis.parameters) {
            #expect(x >= parameter.lower && x <= parameter.upper, "\(text)")
          }
        }
      } catch let error as ConfigurationError {
        #expect(error.description.hasPrefix("hostile.json: "), "\(text): \(error.description)")
      } catch let error as SensitivityError {
        Issue.record("a loaded specification made no design: \(text): \(error.message)")
      }
    }
  }
  /// The committed screen (notebooks-data/sensitivity) is the one configs/sensitivity/screen.json
  /// makes with this model: same plan fingerprint, same model version, and its files' checksums
  /// as its manifest lists them. A model change must be followed by a new screen.
  @Test func theCommittedScreenIsThisModelsScreen() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let spec = root.appendingPathComponent("configs/sensitivity/screen.json").path
    let folder = root.appendingPathComponent("notebooks-data/sensitivity")
    let plan = try SweepPlan(sensitivity: SensitivitySpecification.load(file: spec), overrides: [])
    let manifest = try Configuration.readJSON(
      file: folder.appendingPathComponent("manifest.json").path)
    #expect(manifest["modelVersion"]?.stringValue == TalentFlowVersion.model)
    #expect(manifest["sweepSHA256"]?.stringValue == plan.fingerprint)
    let files = try #require(manifest["files"]?.arrayValue)
    #expect(files.compactMap { $0["name"]?.stringValue } == ["design.csv", "runs.csv", "indices.csv"])
    for file in files {
      let name = try #require(file["name"]?.stringValue)
      let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
      #expect(SHA256.hexDigest(bytes) == file["sha256"]?.stringValue, "\(name)")
    }
  }
}
