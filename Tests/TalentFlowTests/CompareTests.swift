import Foundation
import Testing

@testable import TalentFlow

/// A small configuration that runs in well under a second in a debug build.
private func tinyConfiguration() -> Configuration {
  var config = Configuration()
  config.population.size = 1000
  config.firms.startups = 40
  config.time.warmup = 12
  config.time.ticks = 24
  return config
}

@Suite("Student's t and confidence intervals")
struct StatisticsTests {
  /// Quantiles from standard tables (and scipy.stats.t.ppf), to the digits given.
  @Test(arguments: [
    (0.975, 1.0, 12.706204736174694),
    (0.975, 2.0, 4.302652729749462),
    (0.975, 3.0, 3.1824463052837078),
    (0.975, 4.0, 2.7764451051977934),
    (0.975, 9.0, 2.262157162798205),
    (0.975, 29.0, 2.045229642132703),
    (0.975, 100.0, 1.9839715185235518),
    (0.995, 5.0, 4.032142983555228),
    (0.95, 10.0, 1.8124611228116756),
    (0.975, 2.5, 3.5746548420036817),
    (0.975, 6.680412371134021, 2.3877506348046365),
    (0.9995, 3.3, 11.106695189933484),
    (0.975, 1e6, 1.959966356814107),
    (0.975, Double.infinity, 1.959963984540054),
  ])
  func tQuantilesMatchKnownValues(p: Double, df: Double, expected: Double) {
    let t = StudentT.quantile(p, degreesOfFreedom: df)
    #expect(abs(t - expected) <= 1e-10 * expected, "t(\(p), \(df)) = \(t)")
    #expect(abs(StudentT.quantile(1 - p, degreesOfFreedom: df) + expected) <= 1e-10 * expected)
    #expect(abs(StudentT.cdf(t, degreesOfFreedom: df) - p) <= 1e-12)
  }

  @Test func tQuantileEdgeCases() {
    #expect(StudentT.quantile(0.5, degreesOfFreedom: 7) == 0)
    #expect(StudentT.quantile(0, degreesOfFreedom: 7).isNaN)
    #expect(StudentT.quantile(1, degreesOfFreedom: 7).isNaN)
    #expect(StudentT.quantile(0.9, degreesOfFreedom: 0).isNaN)
    // Quantiles fall as the degrees of freedom rise.
    var previous = Double.infinity
    for df in stride(from: 1.0, through: 60, by: 0.5) {
      let t = StudentT.quantile(0.975, degreesOfFreedom: df)
      #expect(t < previous)
      previous = t
    }
  }

  @Test func pairedIntervalByHand() {
    // d = policy − base = [1, 2, 1, 3, 3]: mean 2, sample variance ((−1)² + 0 + 1 + 1 + 1)/4 = 1,
    // standard error 1/√5 = 0.4472136; t(0.975, 4) = 2.7764451; half-width 1.2416640.
    let base = [10.0, 12, 11, 13, 14]
    let policy = [11.0, 14, 12, 16, 17]
    let interval = ConfidenceInterval.paired(base: base, policy: policy)
    #expect(interval.mean == 2)
    #expect(abs(interval.low - 0.758336001796236) < 1e-12)
    #expect(abs(interval.high - 3.241663998203764) < 1e-12)
  }

  @Test func welchIntervalByHand() {
    // Base mean 12, variance 2.5; policy mean 14, variance 6.5; n = 5 each.
    // se² = 2.5/5 + 6.5/5 = 1.8; df = 1.8² / (0.5²/4 + 1.3²/4) = 6.680412;
    // t(0.975, 6.680412) = 2.3877506; half-width 2.3877506 · √1.8 = 3.2035036.
    let base = [10.0, 12, 11, 13, 14]
    let policy = [11.0, 14, 12, 16, 17]
    let interval = ConfidenceInterval.welch(base: base, policy: policy)
    #expect(interval.mean == 2)
    #expect(abs(interval.low - -1.2035036396448655) < 1e-12)
    #expect(abs(interval.high - 5.2035036396448655) < 1e-12)
  }

  @Test func identicalSamplesGiveZeroWidth() {
    let xs = [3.0, 5, 4, 8]
    let paired = ConfidenceInterval.paired(base: xs, policy: xs)
    #expect(paired == MeanInterval(mean: 0, low: 0, high: 0))
    let welch = ConfidenceInterval.welch(base: [2, 2, 2], policy: [5, 5, 5])
    #expect(welch == MeanInterval(mean: 3, low: 3, high: 3))
  }
}

@Suite("Paired comparisons")
struct CompareTests {
  @Test func aScenarioComparedWithItselfHasNoDifference() throws {
    let config = tinyConfiguration()
    let seeds = Comparison.seeds(first: 5, replicates: 3)
    #expect(seeds == [5, 6, 7])
    let runs = try Comparison.run(base: config, policy: config, seeds: seeds, workers: 2)
    #expect(runs.base.map(\.seed) == seeds)
    #expect(runs.policy.map(\.seed) == seeds)
    let rows = Comparison.differences(base: runs.base, policy: runs.policy)
    #expect(rows.count == 25 * Comparison.differenceColumns.count)
    for row in rows {
      #expect(row.interval == MeanInterval(mean: 0, low: 0, high: 0), "\(row.column) \(row.tick)")
      #expect(row.replicates == 3)
    }
    for s in Comparison.summary(base: runs.base, policy: runs.policy) {
      #expect(s.paired == MeanInterval(mean: 0, low: 0, high: 0))
      #expect(s.baseMean == s.policyMean)
    }
    // The replicates did differ from each other: the zero is pairing, not a constant model.
    #expect(runs.base[0].rows != runs.base[1].rows)
  }

  @Test func differencesAreTheMeanOfPolicyMinusBase() throws {
    let base = tinyConfiguration()
    var policy = base
    policy.events = [
      ScenarioEvent(tick: 6, action: .set(path: "policy.nonCompete", value: .number(0.8)))
    ]
    let seeds = Comparison.seeds(first: 1, replicates: 3)
    let runs = try Comparison.run(base: base, policy: policy, seeds: seeds, workers: 1)
    let rows = Comparison.differences(base: runs.base, policy: runs.policy)
    let k = Timeseries.columns.firstIndex(of: "moves_bigtech_to_startup") ?? 0
    for tick in [3, 10, 20] {
      let row = rows.first { $0.tick == tick && $0.column == "moves_bigtech_to_startup" }
      let expected = ConfidenceInterval.paired(
        base: runs.base.map { $0.rows[tick][k] }, policy: runs.policy.map { $0.rows[tick][k] })
      #expect(row?.interval == expected)
    }
    // Before the event the runs are identical; after it they are not.
    #expect(
      rows.filter { $0.tick < 6 }.allSatisfy { $0.interval.width == 0 && $0.interval.mean == 0 })
    #expect(rows.contains { $0.tick >= 6 && $0.interval.mean != 0 })
  }

  @Test func pairedIntervalsAreNarrowerThanUnpairedOnARealPolicy() throws {
    let base = tinyConfiguration()
    var policy = base
    policy.policy.computeSubsidy = 0.15
    let runs = try Comparison.run(
      base: base, policy: policy, seeds: Comparison.seeds(first: 1, replicates: 5), workers: 2)
    let summary = Comparison.summary(base: runs.base, policy: runs.policy)
    // Startup failures are the measure the subsidy acts on directly, through a threshold (a
    // startup fails or not), so one changed failure decorrelates the pair: in this tiny run
    // pairing does not narrow its interval for every set of seeds (under model 1.4.0 seeds
    // 1–5 and 21–28 give a wider paired interval, 1–8 a narrower one), and the t quantile of
    // n − 1 degrees of freedom can then make it the wider. Every other measure must narrow.
    let thresholdMeasures: Set<String> = ["startups_failed_per_year"]
    for s in summary {
      #expect(s.unpaired.width > 0, "\(s.measure)")
      if thresholdMeasures.contains(s.measure) { continue }
      #expect(
        s.paired.width < s.unpaired.width,
        "\(s.measure): paired \(s.paired.width), unpaired \(s.unpaired.width)")
    }
    #expect(Comparison.medianWidthRatio(summary) < 0.7)
  }

  @Test func resultsDoNotDependOnWorkers() throws {
    let base = tinyConfiguration()
    var policy = base
    policy.policy.antitrust = 0.9
    let seeds = Comparison.seeds(first: 11, replicates: 3)
    let one = try Comparison.run(base: base, policy: policy, seeds: seeds, workers: 1)
    let two = try Comparison.run(base: base, policy: policy, seeds: seeds, workers: 3)
    #expect(one.base.map(\.rows) == two.base.map(\.rows))
    #expect(one.policy.map(\.measures) == two.policy.map(\.measures))
  }

  /// A comparison summarises each run by the library's headline measures, computed from the
  /// run's records, and its summary's means are the means of those numbers.
  @Test func measuresAreTheLibrarys() throws {
    let base = tinyConfiguration()
    var policy = base
    policy.policy.nonCompete = 0.9
    let seeds = Comparison.seeds(first: 3, replicates: 3)
    let runs = try Comparison.run(base: base, policy: policy, seeds: seeds, workers: 2)
    for (config, list) in [(base, runs.base), (policy, runs.policy)] {
      for run in list {
        var seeded = config
        seeded.seed = run.seed
        let records = try Runner.records(config: seeded, threads: 1)
        let expected = RunMeasures.headlineValues(of: MeasuredRun(records: records, config: seeded))
        #expect(run.measures == expected, "seed \(run.seed)")
        let available = run.measures.allSatisfy { $0.isFinite }
        #expect(available, "seed \(run.seed)")
      }
    }
    let summary = Comparison.summary(base: runs.base, policy: runs.policy)
    #expect(summary.map(\.measure) == RunMeasures.headlineNames)
    for (k, s) in summary.enumerated() {
      #expect(
        s.baseMean == ConfidenceInterval.meanAndVariance(runs.base.map { $0.measures[k] }).mean)
      #expect(s.description == RunMeasures.headline[k].definitionAndUnit)
      #expect(s.replicates == 3)
    }
  }

  /// A measure unavailable for a run is an empty field in replicates.csv, and the summary is
  /// over the pairs that have it (none: empty statistics), never a 0.
  @Test func unavailableMeasuresAreEmptyFieldsNotZeros() throws {
    let width = Timeseries.columns.count
    let rows = [[Double](repeating: 0, count: width), [Double](repeating: 1, count: width)]
    let share = try #require(RunMeasures.headlineNames.firstIndex(of: "startup_share_final"))
    let growth = try #require(RunMeasures.headlineNames.firstIndex(of: "bigtech_growth_per_year"))
    func run(_ seed: UInt64, _ value: Double, missing: [Int]) -> Comparison.Run {
      var measures = [Double](repeating: value, count: RunMeasures.headline.count)
      for k in missing { measures[k] = .nan }
      return Comparison.Run(seed: seed, rows: rows, measures: measures)
    }
    let runs = (
      base: [
        run(1, 1, missing: [share, growth]), run(2, 2, missing: [growth]),
        run(3, 3, missing: [growth]),
      ],
      policy: [run(1, 2, missing: []), run(2, 4, missing: [growth]), run(3, 5, missing: [])]
    )
    let summary = Comparison.summary(base: runs.base, policy: runs.policy)
    #expect(summary[share].replicates == 2)
    #expect(summary[share].baseMean == 2.5 && summary[share].paired.mean == 2)
    #expect(summary[growth].replicates == 0 && summary[growth].baseMean.isNaN)

    let folder = try TestFolder.make("compare-unavailable")
    defer { TestFolder.remove(folder) }
    let side = Comparison.Side(file: nil, chain: [], configuration: tinyConfiguration())
    let out = folder.appendingPathComponent("out")
    _ = try Comparison.write(
      base: side, policy: side, seeds: [1, 2, 3], runs: runs, destination: out, force: false,
      workers: 1, startedAt: Date(timeIntervalSince1970: 0))
    let replicates = try String(
      contentsOf: out.appendingPathComponent("replicates.csv"), encoding: .utf8
    ).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    #expect(replicates[0].map(String.init) == ["seed", "scenario"] + RunMeasures.headlineNames)
    #expect(replicates[1][2 + share] == "" && replicates[1][2 + growth] == "")
    #expect(replicates[2][2 + share] == "2")
    let summaryLines = try String(
      contentsOf: out.appendingPathComponent("summary.csv"), encoding: .utf8
    ).split(separator: "\n")
    let growthRow = try #require(summaryLines.first { $0.hasPrefix("bigtech_growth_per_year,") })
    #expect(growthRow.hasPrefix("bigtech_growth_per_year,,,,,,,,,,0,"))
  }

  @Test func scenariosMustShareTheirClock() {
    let base = tinyConfiguration()
    var policy = base
    policy.time.ticks = 30
    #expect(throws: ConfigurationError.self) {
      try Comparison.checkComparable(base: base, policy: policy, policySource: "p.json")
    }
    do {
      try Comparison.checkComparable(base: base, policy: policy, policySource: "p.json")
    } catch {
      #expect(
        error.description
          == "p.json: time.ticks must equal the base scenario's (24) for a tick-by-tick comparison, got 30"
      )
    }
  }
}
