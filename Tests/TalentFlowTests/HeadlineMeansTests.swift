import Foundation
import Testing

@testable import TalentFlow

/// A change of draw layout (a new model version that only changes which random bits feed which
/// decision) must leave the model's behaviour within noise: the 12-seed means of the headline
/// measures against a committed table of an earlier model's.
///
/// The table, `Support/headline-means-model-1.3.0.csv`, was written by this suite's generator
/// from model 1.3.0 (the commit before the batched draws of issue 16):
///
///     TALENTFLOW_WRITE_HEADLINE_MEANS=Tests/TalentFlowTests/Support/headline-means-model-1.3.0.csv \
///       swift test --filter HeadlineMeansTests
///
/// Each row is one headline measure (`RunMeasures.headline`): the number of runs, the mean and
/// the sample standard deviation (n − 1) over seeds 1…12 of `HeadlineMeansTests.overrides`,
/// every run measured in memory (`MeasuredRun(records:config:)`, as sweeps and `compare` do).
@Suite("Headline means across model versions")
struct HeadlineMeansTests {
  /// The configuration: model 1.3.0's defaults at 2,000 professionals (one startup per 25, as
  /// the baseline), 36 warm-up ticks and 120 recorded ticks. The parameters the calibration
  /// estimates are set to their model 1.3.0 values, so that the test compares draw layouts, not
  /// parameter values, whatever the defaults become.
  static let overrides = [
    "population.size=2000", "firms.startups=80", "time.ticks=120",
    "utility.switchCost=0.08", "market.choiceTemperature=0.05", "money.median=0.2",
    "market.leadsEmployed=0.25", "market.leadsUnemployed=0.25", "founding.opportunityRate=0.016",
    "equity.optimism=3", "startup.fixedCost=40", "startup.acquisitionRate=0.003",
    "startup.qualitySigma=0.5", "macro.volatility=0.05", "startup.climateExponent=1.5",
    "utility.riskWeight=0.2", "startup.roundRate=[0, 0.08, 0.05, 0.03]",
  ]
  /// Seeds 1…12.
  static let seeds: [UInt64] = Array(1...12)
  /// The committed table of model 1.3.0.
  static let table = "headline-means-model-1.3.0.csv"

  /// One measure's sample: runs, mean and standard deviation.
  struct Moments: Equatable {
    var runs: Int
    var mean: Double
    var sd: Double
  }

  /// The headline measures of every seed, by measure, computed on two threads (one run each;
  /// a run's outputs do not depend on its thread count).
  static func currentMoments() throws -> [String: Moments] {
    let base = try Configuration.load(file: nil, overrides: overrides)
    let values: [[Double]] = try Parallel(threads: 2).map(seeds.count) { i in
      var config = base
      config.seed = seeds[i]
      return Result { () throws -> [Double] in
        let records = try Runner.records(config: config, threads: 1)
        return RunMeasures.headlineValues(of: MeasuredRun(records: records, config: config))
      }
    }.map { try $0.get() }
    var out: [String: Moments] = [:]
    for (m, name) in RunMeasures.headlineNames.enumerated() {
      let sample = values.map { $0[m] }
      let mean = sample.reduce(0, +) / Double(sample.count)
      let variance =
        sample.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(sample.count - 1)
      out[name] = Moments(runs: sample.count, mean: mean, sd: variance.squareRoot())
    }
    return out
  }

  static var tableURL: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Support", isDirectory: true).appendingPathComponent(table)
  }

  /// Reads the committed table: `measure,runs,mean,sd` after a header line.
  static func committedMoments() throws -> [String: Moments] {
    let text = try String(contentsOf: tableURL, encoding: .utf8)
    var out: [String: Moments] = [:]
    for line in text.split(separator: "\n").dropFirst() {
      let fields = line.split(separator: ",").map(String.init)
      guard fields.count == 4, let runs = Int(fields[1]), let mean = Double(fields[2]),
        let sd = Double(fields[3])
      else { throw CocoaError(.fileReadCorruptFile) }
      out[fields[0]] = Moments(runs: runs, mean: mean, sd: sd)
    }
    return out
  }

  /// z of the difference of two sample means, from their standard errors.
  static func z(_ a: Moments, _ b: Moments) -> Double {
    let se = (a.sd * a.sd / Double(a.runs) + b.sd * b.sd / Double(b.runs)).squareRoot()
    if se == 0 { return a.mean == b.mean ? 0 : .infinity }
    return (b.mean - a.mean) / se
  }

  @Test func zOfTwoSamplesUsesBothStandardErrors() {
    let a = Moments(runs: 12, mean: 1, sd: 0.6)
    let b = Moments(runs: 12, mean: 1.5, sd: 0.8)
    // se = sqrt(0.36/12 + 0.64/12) = sqrt(1/12)
    #expect(abs(HeadlineMeansTests.z(a, b) - 0.5 * 12.0.squareRoot()) < 1e-12)
    #expect(HeadlineMeansTests.z(a, a) == 0)
    let constant = Moments(runs: 12, mean: 2, sd: 0)
    #expect(HeadlineMeansTests.z(constant, constant) == 0)
    #expect(HeadlineMeansTests.z(constant, Moments(runs: 12, mean: 3, sd: 0)) == .infinity)
  }

  @Test func meansStayWithinNoiseOfModel130() throws {
    let current = try HeadlineMeansTests.currentMoments()
    if let path = ProcessInfo.processInfo.environment["TALENTFLOW_WRITE_HEADLINE_MEANS"] {
      var text = "measure,runs,mean,sd\n"
      for name in RunMeasures.headlineNames {
        let m = current[name]!
        text += "\(name),\(m.runs),\(m.mean),\(m.sd)\n"
      }
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      print("wrote \(path) from model \(TalentFlowVersion.model)")
      return
    }
    let committed = try HeadlineMeansTests.committedMoments()
    #expect(Set(committed.keys) == Set(RunMeasures.headlineNames))
    for name in RunMeasures.headlineNames {
      guard let old = committed[name], let new = current[name] else { continue }
      #expect(old.mean.isFinite && new.mean.isFinite, "\(name) has no value")
      let z = HeadlineMeansTests.z(old, new)
      print(
        "headline mean \(name): model 1.3.0 \(old.mean) ± \(old.sd), "
          + "model \(TalentFlowVersion.model) \(new.mean) ± \(new.sd), z = \(z)")
      #expect(abs(z) < 3.5, "\(name): z = \(z) (1.3.0: \(old.mean), now: \(new.mean))")
    }
  }
}
