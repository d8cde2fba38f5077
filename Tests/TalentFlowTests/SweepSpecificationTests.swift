import Foundation
import Testing

@testable import TalentFlow

/// The specification in `text`, read from a file in a fresh folder.
private func specification(_ text: String) throws -> SweepSpecification {
  let folder = try TestFolder.make("sweep-spec")
  defer { TestFolder.remove(folder) }
  return try SweepSpecification.load(file: TestFolder.write(text, named: "spec.json", in: folder))
}

/// The error a specification gives, planned without overrides.
private func planError(_ text: String, overrides: [String] = []) throws -> ConfigurationError? {
  do {
    _ = try SweepPlan(specification: try specification(text), overrides: overrides)
    return nil
  } catch let error as ConfigurationError {
    return error
  }
}

@Suite("Sweep specifications")
struct SweepSpecificationTests {
  @Test func theIssueExampleShapeGivesSixHundredRunsInAFixedOrder() throws {
    let folder = try TestFolder.make("sweep-spec")
    defer { TestFolder.remove(folder) }
    try TestFolder.write(
      #"{"population": {"size": 2000}, "firms": {"startups": 60}}"#,
      named: "scenarios/baseline.json", in: folder)
    let spec = try TestFolder.write(
      """
      {"name": "noncompete-grid", "base": "../scenarios/baseline.json", "ticks": 120,
       "grid": {"policy.nonCompete": [0.0, 0.5, 1.0]},
       "sample": {"method": "lhs", "points": 20, "seed": 1, "ranges": {"equity.optimism": [1, 5]}},
       "replicates": {"count": 10, "baseSeed": 1000},
       "keep": "timeseries"}
      """, named: "sweeps/noncompete.json", in: folder)
    let plan = try SweepPlan(specification: SweepSpecification.load(file: spec), overrides: [])
    #expect(plan.name == "noncompete-grid")
    #expect(plan.keep == .timeseries)
    #expect(plan.base.population.size == 2000)
    #expect(plan.base.time.ticks == 120)
    #expect(plan.parameters == ["policy.nonCompete", "equity.optimism"])
    #expect(plan.points.count == 60)
    #expect(plan.seeds == Array(1000...1009))
    #expect(plan.runCount == 600)
    // The grid varies slowest, the sample points fastest.
    #expect(plan.points[0][0] == .number(0) && plan.points[19][0] == .number(0))
    #expect(plan.points[20][0] == .number(0.5) && plan.points[59][0] == .number(1))
    #expect(plan.points[0][1] == plan.points[20][1])
    #expect(plan.run(0).id == "p01-r01")
    #expect(
      plan.run(599) == SweepRun(index: 599, point: 60, replicate: 10, seed: 1009, id: "p60-r10"))
    #expect(plan.run(13) == SweepRun(index: 13, point: 2, replicate: 4, seed: 1003, id: "p02-r04"))
    let config = try plan.configuration(run: plan.run(599))
    #expect(config.seed == 1009)
    #expect(config.policy.nonCompete == 1)
    #expect(config.equity.optimism == plan.points[59][1].doubleValue)
  }

  @Test func runIDsAndTheFingerprintDoNotDependOnAnythingButTheSpecification() throws {
    let text = """
      {"grid": {"policy.nonCompete": [0, 1]}, "replicates": {"seeds": [5, 9, 2]}}
      """
    let a = try SweepPlan(specification: specification(text), overrides: [])
    let b = try SweepPlan(specification: specification(text), overrides: [])
    #expect(a.fingerprint == b.fingerprint)
    #expect(
      (0..<a.runCount).map { a.run($0).id } == [
        "p1-r1", "p1-r2", "p1-r3", "p2-r1", "p2-r2", "p2-r3",
      ])
    #expect((0..<a.runCount).map { a.run($0).seed } == [5, 9, 2, 5, 9, 2])
    let changed = try SweepPlan(
      specification: specification(text), overrides: ["policy.antitrust=0.5"])
    #expect(changed.fingerprint != a.fingerprint)
  }

  @Test func thePlanSurvivesItsJSONForm() throws {
    let plan = try SweepPlan(
      specification: specification(
        """
        {"ticks": 12, "set": {"population.size": 800, "firms.startups": 25},
         "grid": {"output.moves": [false, true], "macro.fundingSeries": [[], [[0, 1], [12, 0.5]]]},
         "sample": {"method": "lhs", "points": 3, "seed": 4,
                    "ranges": {"equity.optimism": [1, 5], "firms.bigTech": [5, 9]}},
         "replicates": {"count": 2}, "keep": "all"}
        """), overrides: [])
    let text = plan.json.serialized(pretty: true)
    let back = try SweepPlan(json: JSONParser.parse(text), source: "shard.json")
    #expect(back.fingerprint == plan.fingerprint)
    #expect(back.points == plan.points)
    #expect(back.base == plan.base)
    #expect(back.seeds == [1, 2])
  }

  @Test func shardsSplitTheRunsWithoutOverlap() throws {
    let plan = try SweepPlan(
      specification: specification(
        #"{"grid": {"policy.nonCompete": [0, 0.5, 1]}, "replicates": {"count": 4}}"#),
      overrides: [])
    for n in [1, 2, 5, 12, 13] {
      var all: [Int] = []
      for k in 1...n { all += plan.runIndices(shard: SweepShard(index: k, count: n)) }
      #expect(all.sorted() == Array(0..<12))
    }
    #expect(plan.runIndices(shard: SweepShard(index: 2, count: 5)) == [1, 6, 11])
    #expect(SweepShard("3/5") == SweepShard(index: 3, count: 5))
    #expect(SweepShard("0/5") == nil && SweepShard("6/5") == nil && SweepShard("2") == nil)
  }

  // MARK: Latin hypercube

  @Test(arguments: [1, 2, 7, 37, 200])
  func latinHypercubePointsCoverEachStratumOnce(points: Int) {
    let sample = LatinHypercube(
      points: points, seed: 11,
      ranges: [
        .init(path: "equity.optimism", lower: 1, upper: 5, isInteger: false),
        .init(path: "policy.equityTax", lower: 0, upper: 0.4, isInteger: false),
        .init(path: "macro.volatility", lower: -3, upper: 2.5, isInteger: false),
      ])
    let rows = sample.values()
    #expect(rows.count == points)
    for (k, range) in sample.ranges.enumerated() {
      let strata = rows.map { row -> Int in
        #expect(row[k] >= range.lower && row[k] < range.upper)
        return Int(
          ((row[k] - range.lower) / (range.upper - range.lower) * Double(points)).rounded(.down))
      }
      #expect(strata.sorted() == Array(0..<points), "range \(range.path)")
    }
  }

  @Test func latinHypercubeDependsOnlyOnItsSeed() {
    func values(seed: UInt64) -> [[Double]] {
      LatinHypercube(
        points: 10, seed: seed,
        ranges: [.init(path: "equity.optimism", lower: 1, upper: 5, isInteger: false)]
      ).values()
    }
    #expect(values(seed: 3) == values(seed: 3))
    #expect(values(seed: 3) != values(seed: 4))
    // Pinned: a change here changes the design of every sweep with a sample.
    #expect(
      values(seed: 3).map { $0[0] } == [
        4.305779046938724, 2.087105750679224, 3.1815049704805163, 4.67446158538227,
        3.7081897217743505, 2.6962631425726604, 3.8602755925676577, 1.0296304728118166,
        1.4143354611106722, 2.353964823296728,
      ])
  }

  @Test(arguments: [1, 2, 7, 200])
  func aRangeWiderThanTheLargestDoubleStillCoversEachStratumOnce(points: Int) {
    let range = LatinHypercube.Range(
      path: "macro.volatility", lower: -1e308, upper: 1e308, isInteger: false)
    #expect(!(range.upper - range.lower).isFinite)
    let rows = LatinHypercube(points: points, seed: 11, ranges: [range]).values()
    #expect(rows.count == points)
    let strata = rows.map { row -> Int in
      #expect(row[0].isFinite && row[0] >= range.lower && row[0] < range.upper, "\(row[0])")
      // Halved, the bounds have a finite width.
      let fraction = (row[0] / 2 - range.lower / 2) / (range.upper / 2 - range.lower / 2)
      return Int((fraction * Double(points)).rounded(.down))
    }
    #expect(strata.sorted() == Array(0..<points))
  }

  @Test func integerKeysGetRoundedValuesWithinTheirBounds() throws {
    let plan = try SweepPlan(
      specification: specification(
        #"{"sample": {"method": "lhs", "points": 25, "seed": 2, "ranges": {"population.size": [1000, 1010], "firms.startups": [20, 30]}}}"#
      ), overrides: [])
    for row in plan.points {
      for (value, bounds) in zip(row, [(1000.0, 1010.0), (20.0, 30.0)]) {
        let x = try #require(value.doubleValue)
        #expect(x == x.rounded() && x >= bounds.0 && x <= bounds.1)
      }
    }
    #expect(Set(plan.points.compactMap { $0[0].doubleValue }).count > 5)
  }

  // MARK: Statistics

  @Test func summaryStatisticsUseTheSampleSDAndType7Quantiles() {
    let s = SweepStatistics.summarize([4, 1, 3, 2])
    #expect(s.mean == 2.5)
    #expect(abs(s.sd - 1.2909944487358056) < 1e-15)
    #expect(abs(s.lower - 1.075) < 1e-12)
    #expect(abs(s.upper - 3.925) < 1e-12)
    let one = SweepStatistics.summarize([7])
    #expect(one.mean == 7 && one.sd == 0 && one.lower == 7 && one.upper == 7)
    let missing = SweepStatistics.summarize([1, .nan, 3])
    #expect(missing.mean.isNaN && missing.lower.isNaN)
    // R: quantile(c(10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110), c(0.025, 0.975), type = 7)
    let r = SweepStatistics.summarize(stride(from: 10.0, through: 110, by: 10).map { $0 })
    #expect(abs(r.lower - 12.5) < 1e-12 && abs(r.upper - 107.5) < 1e-12)
  }

  // MARK: Errors

  /// Specifications that must be refused, with a piece of the message and the key path.
  static let invalid: [(spec: String, message: String, path: String)] = [
    (#"{"grdi": {}}"#, "unknown key grdi (did you mean grid?)", "grdi"),
    (#"[1, 2]"#, "the top level must be a JSON object, got array", ""),
    (
      #"{"grid": {"policy.nonCompet": [0, 1]}}"#,
      "grid: unknown key policy.nonCompet (did you mean policy.nonCompete?)",
      "grid.policy.nonCompet"
    ),
    (
      #"{"grid": {"policy.nonCompete": [0, 0.5, 1.5]}}"#,
      "grid.policy.nonCompete[2]: policy.nonCompete must be a probability in [0, 1], got 1.5",
      "grid.policy.nonCompete"
    ),
    (
      #"{"grid": {"population.size": [1000, 2500.5]}}"#,
      "grid.population.size[1]: population.size must be an integer in [1, 50000000], got 2500.5",
      "grid.population.size"
    ),
    (
      #"{"grid": {"policy.nonCompete": []}}"#,
      "grid.policy.nonCompete must be a non-empty list of values, got []", "grid.policy.nonCompete"
    ),
    (
      #"{"grid": {"policy.nonCompete": 0.5}}"#,
      "grid.policy.nonCompete must be a non-empty list of values, got 0.5", "grid.policy.nonCompete"
    ),
    (
      #"{"grid": {"seed": [1, 2]}}"#,
      "grid.seed: seeds are not set here; they come from \"replicates\"", "grid.seed"
    ),
    (
      #"{"set": {"population.size": -5}}"#,
      "set.population.size: population.size must be an integer in [1, 50000000], got -5",
      "set.population.size"
    ),
    (
      #"{"set": {"policy.nonCompete": 1}, "grid": {"policy.nonCompete": [0, 1]}}"#,
      "policy.nonCompete is both in set and in grid", "grid.policy.nonCompete"
    ),
    (
      #"{"sample": {"method": "sobol", "points": 4, "seed": 1, "ranges": {"equity.optimism": [1, 5]}}}"#,
      "sample.method must be \"lhs\" (Latin hypercube), got \"sobol\"", "sample.method"
    ),
    (
      #"{"sample": {"method": "lhs", "points": 0, "seed": 1, "ranges": {"equity.optimism": [1, 5]}}}"#,
      "sample.points must be a positive integer, got 0", "sample.points"
    ),
    (
      #"{"sample": {"method": "lhs", "points": 4, "ranges": {"equity.optimism": [1, 5]}}}"#,
      "seed is missing", "sample.seed"
    ),
    (
      #"{"sample": {"method": "lhs", "points": 4, "seed": 1, "ranges": {"equity.optimism": [5, 1]}}}"#,
      "sample.ranges.equity.optimism must be [lo, hi] with lo < hi, got [5,1]",
      "sample.ranges.equity.optimism"
    ),
    (
      #"{"sample": {"method": "lhs", "points": 4, "seed": 1, "ranges": {"policy.nonCompete": [0, 2]}}}"#,
      "sample.ranges.policy.nonCompete: policy.nonCompete must be a probability in [0, 1], got 2",
      "sample.ranges.policy.nonCompete"
    ),
    (
      #"{"sample": {"method": "lhs", "points": 4, "seed": 1, "ranges": {"population.size": [1000.5, 2000]}}}"#,
      "population.size is an integer key, so its bounds must be integers",
      "sample.ranges.population.size"
    ),
    (
      #"{"sample": {"method": "lhs", "points": 4, "seed": 1, "ranges": {"output.moves": [0, 1]}}}"#,
      "only number keys can be sampled; output.moves is not a number", "sample.ranges.output.moves"
    ),
    (
      #"{"grid": {"equity.optimism": [1, 2]}, "sample": {"method": "lhs", "points": 4, "seed": 1, "ranges": {"equity.optimism": [1, 5]}}}"#,
      "equity.optimism is both in grid and in sample.ranges", "sample.ranges.equity.optimism"
    ),
    (
      #"{"replicates": {"count": 0, "baseSeed": 1}}"#,
      "replicates.count must be a positive integer, got 0", "replicates.count"
    ),
    (
      #"{"replicates": {"seeds": [3, 4, 3]}}"#,
      "replicates.seeds[2] repeats seed 3 of replicates.seeds[0]", "replicates.seeds"
    ),
    (
      #"{"replicates": {"seeds": [1], "count": 2}}"#,
      "either seeds or count and baseSeed, not both", "replicates"
    ),
    (
      #"{"replicates": {"count": 2, "baseSeed": -1}}"#,
      "replicates.baseSeed must be an integer in [0, 2^53 − count], got -1", "replicates.baseSeed"
    ),
    (
      #"{"keep": "some"}"#, "keep must be \"none\", \"timeseries\" or \"all\", got \"some\"", "keep"
    ),
    (#"{"ticks": -3}"#, "ticks must be a positive integer, got -3", "ticks"),
    (
      #"{"ticks": 12, "grid": {"time.ticks": [12, 24]}}"#,
      "ticks (12) and grid.time.ticks both set the number of ticks", "ticks"
    ),
    (#"{"name": "no spaces"}"#, "name must be a non-empty string of letters, digits", "name"),
    (
      #"{"grid": {"policy.nonCompete": [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]}, "replicates": {"count": 1000001}}"#,
      "the sweep has 10000010 runs (10 design points × 1000001 replicates); at most 10000000 are allowed",
      ""
    ),
  ]

  @Test(arguments: 0..<invalid.count)
  func invalidSpecificationsAreRefusedWithTheKeyAndTheValue(case index: Int) throws {
    let (text, message, path) = SweepSpecificationTests.invalid[index]
    let error = try #require(try planError(text))
    #expect(error.description.contains(message), "\(error.description)")
    #expect(error.path == path)
    #expect(error.source.hasSuffix("spec.json"))
  }

  @Test func aDesignPointThatBreaksACrossKeyRuleIsRefusedBeforeAnythingRuns() throws {
    let error = try #require(
      try planError(
        #"{"set": {"population.size": 1000}, "grid": {"policy.antitrust": [0, 1], "firms.startups": [30, 5000]}}"#
      ))
    #expect(error.source.hasSuffix("spec.json"))
    #expect(error.path == "firms.startups")
    #expect(
      error.message.hasPrefix(
        "design point 2 (policy.antitrust=0, firms.startups=5000): firms.startups must not exceed the initial startup headcount (330), got 5000"
      ), "\(error.message)")
  }

  @Test func aBaseNeedsToBeValidOnlyWithTheSweptValues() throws {
    // 1,000 professionals cannot have the default 400 startups, but every design point says how
    // many startups there are.
    let plan = try SweepPlan(
      specification: specification(
        #"{"set": {"population.size": 1000}, "grid": {"firms.startups": [20, 300]}}"#),
      overrides: [])
    #expect(try plan.configuration(point: 2).firms.startups == 300)
    #expect(plan.base.firms.startups == 20)
    let first = try #require(
      try planError(#"{"set": {"population.size": 1000}, "grid": {"firms.startups": [900, 20]}}"#))
    #expect(
      first.message.hasPrefix("design point 1 (firms.startups=900): firms.startups must not exceed")
    )
  }

  @Test func aSetThatBreaksTheBaseNamesTheSpecificationAndSetOptionsNameSet() throws {
    let spec = try #require(try planError(#"{"set": {"firms.startups": 9000}}"#))
    #expect(spec.source.hasSuffix("spec.json"))
    #expect(
      spec.message.contains(
        "the base with this specification's ticks and set: firms.startups must not exceed"))
    let set = try #require(try planError("{}", overrides: ["firms.startups=9000"]))
    #expect(set.source == "--set")
    let swept = try #require(
      try planError(
        #"{"grid": {"policy.nonCompete": [0, 1]}}"#, overrides: ["policy.nonCompete=0.5"]))
    #expect(swept.source == "--set")
    #expect(swept.message.contains("policy.nonCompete is swept by"))
  }

  @Test func aMissingBaseFileIsNamed() throws {
    let error = try #require(try planError(#"{"base": "nowhere/base.json"}"#))
    #expect(error.source.hasSuffix("nowhere/base.json"))
    #expect(error.message.contains("cannot read the file"))
  }
}
