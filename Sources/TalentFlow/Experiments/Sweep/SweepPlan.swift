import Foundation

/// One run of a sweep: a design point and a replicate, with the id that names its files.
public struct SweepRun: Sendable, Equatable {
  /// Position in the sweep's run order, from 0 (design point major, replicate minor).
  public var index: Int
  /// The design point, from 1.
  public var point: Int
  /// The replicate, from 1.
  public var replicate: Int
  public var seed: UInt64
  /// `p<point>-r<replicate>`, zero-padded so ids sort in run order (`p03-r07`).
  public var id: String
}

/// A share of a sweep's runs: shard K of N takes the runs whose index is K − 1 modulo N.
///
/// Dealing runs out in turn, rather than in blocks, gives every shard a similar mix of design
/// points, so shards of a sweep over population sizes take similar times.
public struct SweepShard: Sendable, Equatable, CustomStringConvertible {
  /// K, from 1.
  public var index: Int
  /// N.
  public var count: Int

  public init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// Reads "K/N" with 1 ≤ K ≤ N.
  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n
    else { return nil }
    self.init(index: k, count: n)
  }

  public var description: String { "\(index)/\(count)" }

  /// Whether run `index` (from 0) belongs to this shard.
  public func contains(runIndex: Int) -> Bool { runIndex % count == index - 1 }
}

/// A sweep resolved into its runs: the base configuration, the design points and the seeds.
///
/// Everything a sweep writes follows from the plan, and the plan from the specification, the
/// base file and the `--set` overrides, before anything runs. Its SHA-256 (`fingerprint`) tells
/// shards of one sweep from shards of another.
public struct SweepPlan: Sendable {
  public var name: String
  public var keep: SweepKeep
  /// The configuration of the first design point.
  ///
  /// It is the base file with the specification's `ticks` and `set`, the `--set` overrides and
  /// the first point's values. Other design points differ only in the swept keys, and runs only
  /// in their seeds.
  public var base: Configuration
  /// The swept key paths: grid keys in written order, then sampled keys.
  public var parameters: [String]
  /// One row per design point: a value per parameter.
  public var points: [[JSONValue]]
  /// The seed of each replicate, the same for every design point (common random numbers).
  public var seeds: [UInt64]

  /// What the runs are summarised into: nil for a sweep (timeseries, `summary.csv`), else the
  /// sensitivity analysis whose measures and indices are computed.
  public var analysis: SensitivityAnalysis?

  /// The number of runs: design points × replicates.
  public var runCount: Int { points.count * seeds.count }

  /// Resolves a specification: loads the base, applies `ticks` and `overrides`, builds the
  /// design points and checks every design point's configuration.
  public init(specification spec: SweepSpecification, overrides: [String])
    throws(ConfigurationError)
  {
    let parameters = spec.grid.map(\.path) + (spec.sample?.ranges.map(\.path) ?? [])
    // The grid, first key slowest, crossed with the sample points, which vary fastest.
    var gridRows: [[JSONValue]] = [[]]
    for (_, values) in spec.grid {
      gridRows = gridRows.flatMap { row in values.map { row + [$0] } }
    }
    var points: [[JSONValue]] = []
    if let sample = spec.sample {
      let sampled = sample.values().map { $0.map(JSONValue.number) }
      points.reserveCapacity(gridRows.count * sampled.count)
      for row in gridRows {
        for values in sampled { points.append(row + values) }
      }
    } else {
      points = gridRows
    }
    try self.init(
      source: spec.source, name: spec.name, keep: spec.keep, baseFile: spec.base,
      ticks: spec.ticks, fixed: spec.fixed, parameters: parameters, points: points,
      replicates: spec.replicates, overrides: overrides, analysis: nil)
  }

  /// Resolves a sensitivity analysis: its design points are the method's design (SALib's row
  /// order), its runs are summarised by the analysis's measures, and the base has the output
  /// files those measures read turned on.
  public init(sensitivity spec: SensitivitySpecification, overrides: [String])
    throws(ConfigurationError)
  {
    let design: [[Double]]
    do {
      design = try spec.analysis.design()
    } catch {
      throw ConfigurationError(source: spec.source, path: "parameters", message: error.message)
    }
    let points = design.map { $0.map(JSONValue.number) }
    try self.init(
      source: spec.source, name: spec.name, keep: .none, baseFile: spec.base, ticks: spec.ticks,
      fixed: spec.fixed, parameters: spec.analysis.parameters.map(\.key), points: points,
      replicates: spec.replicates, overrides: overrides, analysis: spec.analysis)
  }

  /// The common part: loads the base with `ticks`, `fixed`, `overrides` and the first point,
  /// resolves the seeds and checks every design point.
  private init(
    source: String, name: String, keep: SweepKeep, baseFile: String?, ticks: Int?,
    fixed: [(path: String, value: JSONValue)], parameters: [String], points: [[JSONValue]],
    replicates: SweepReplicates, overrides: [String], analysis: SensitivityAnalysis?
  ) throws(ConfigurationError) {
    var baseOverrides: [String] = []
    if let ticks { baseOverrides.append("time.ticks=\(ticks)") }
    for (path, value) in fixed {
      baseOverrides.append("\(path)=\(value.serialized(pretty: false))")
    }
    for override in overrides {
      let path = override.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
      if parameters.contains(path) {
        throw ConfigurationError(
          source: "--set", path: path,
          message: "\(path) is \(analysis == nil ? "swept" : "analysed") by \(source); --set "
            + "cannot fix it as well")
      }
    }

    // Every design point sets every swept key, so the base is loaded with the first point's
    // values: a base that needs a swept key to be valid (say, a smaller population with the
    // number of startups swept) is fine as long as every design point is.
    let firstPoint = zip(parameters, points[0]).map { "\($0)=\($1.serialized(pretty: false))" }
    var base: Configuration
    do {
      base = try Configuration.load(
        file: baseFile, overrides: baseOverrides + overrides + firstPoint)
    } catch {
      throw SweepPlan.blame(
        error, source: source, baseFile: baseFile,
        layers: [baseOverrides, overrides, firstPoint], first: points[0],
        parameters: parameters)
    }
    if let analysis { base = analysis.withNeededOutputs(base) }

    var seeds: [UInt64]
    switch replicates {
    case .seeds(let list):
      seeds = list
    case .count(let count, let baseSeed):
      let first = baseSeed ?? base.seed
      guard first + UInt64(count - 1) < 1 << 53 else {
        throw ConfigurationError(
          source: source, path: "replicates.count",
          message:
            "replicates.count (\(count)) from the base seed \(first) goes past 2^53 − 1; give "
            + "a baseSeed"
        )
      }
      seeds = (0..<count).map { first + UInt64($0) }
    }

    self.name = name
    self.keep = keep
    self.base = base
    self.parameters = parameters
    self.points = points
    self.seeds = seeds
    self.analysis = analysis
    for point in 1...points.count {
      _ = try configuration(point: point, source: source)
    }
  }

  /// Finds which layer over the base file made loading fail, and says so.
  ///
  /// The layers are the specification's `ticks` and `set`, the `--set` options and the first
  /// design point's values; the first layer whose addition breaks the configuration, other than
  /// at a swept key, is blamed.
  private static func blame(
    _ error: ConfigurationError, source: String, baseFile: String?, layers: [[String]],
    first: [JSONValue], parameters: [String]
  ) -> ConfigurationError {
    func load(_ overrides: [String]) -> ConfigurationError? {
      do {
        _ = try Configuration.load(file: baseFile, overrides: overrides)
        return nil
      } catch {
        return error
      }
    }
    if let own = load([]) { return own }
    var applied: [String] = []
    for (index, layer) in layers.enumerated() {
      applied += layer
      // A rule broken at a swept key is the design point's to mend, not this layer's.
      guard let broken = load(applied),
        index == layers.count - 1 || !parameters.contains(broken.path)
      else { continue }
      switch index {
      case 0:
        return ConfigurationError(
          source: source, path: broken.path,
          message: "the base with this specification's ticks and set: \(broken.message)")
      case 1:
        return ConfigurationError(source: "--set", path: broken.path, message: broken.message)
      default:
        let setting = zip(parameters, first)
          .map { "\($0)=\($1.serialized(pretty: false))" }.joined(separator: ", ")
        return ConfigurationError(
          source: source, path: broken.path,
          message: "design point 1 (\(setting)): \(broken.message)")
      }
    }
    return error
  }

  /// The configuration of a design point (from 1), checked as a whole; its seed is the base's.
  public func configuration(point: Int, source: String = "sweep") throws(ConfigurationError)
    -> Configuration
  {
    var config = base
    let values = points[point - 1]
    do {
      for (path, value) in zip(parameters, values) {
        try config.set(path: path, value: value, source: source)
      }
      try config.validate(source: source)
    } catch {
      let setting = zip(parameters, values)
        .map { "\($0)=\($1.serialized(pretty: false))" }.joined(separator: ", ")
      throw ConfigurationError(
        source: error.source, path: error.path,
        message: "design point \(point) (\(setting)): \(error.message)")
    }
    return config
  }

  /// The run at `index` (from 0) in run order.
  public func run(_ index: Int) -> SweepRun {
    let point = index / seeds.count + 1
    let replicate = index % seeds.count + 1
    let id =
      "p" + SweepPlan.padded(point, to: points.count) + "-r"
      + SweepPlan.padded(replicate, to: seeds.count)
    return SweepRun(
      index: index, point: point, replicate: replicate, seed: seeds[replicate - 1], id: id)
  }

  /// The configuration of a run: its design point's, with the replicate's seed.
  public func configuration(run: SweepRun) throws(ConfigurationError) -> Configuration {
    var config = try configuration(point: run.point)
    config.seed = run.seed
    return config
  }

  /// The indices of the runs a shard takes (all of them without a shard), in run order.
  public func runIndices(shard: SweepShard?) -> [Int] {
    guard let shard else { return Array(0..<runCount) }
    return Array(stride(from: shard.index - 1, to: runCount, by: shard.count))
  }

  static func padded(_ n: Int, to largest: Int) -> String {
    let digits = String(largest).count
    let text = String(n)
    return String(repeating: "0", count: max(0, digits - text.count)) + text
  }

  // MARK: JSON form

  /// The plan as JSON: what shards carry so that `merge` needs no specification.
  ///
  /// A sensitivity analysis adds its `analysis` member; a sweep's plan has none, so its bytes
  /// (and fingerprint) are those of the plans written before analyses existed.
  public var json: JSONValue {
    var members: [(key: String, value: JSONValue)] = [
      ("format", .string(SweepPlan.format)),
      ("name", .string(name)),
      ("modelVersion", .string(TalentFlowVersion.model)),
      ("keep", .string(keep.rawValue)),
      ("parameters", .array(parameters.map(JSONValue.string))),
      ("seeds", .array(seeds.map { .number(Double($0)) })),
      ("points", .array(points.map(JSONValue.array))),
      ("configuration", base.resolvedJSON()),
    ]
    if let analysis { members.append(("analysis", analysis.json)) }
    return .object(members)
  }

  /// The format tag of the JSON form.
  static let format = "talentflow-sweep-plan-1"

  /// SHA-256 of the compact JSON form: equal for equal plans on any machine.
  public var fingerprint: String {
    SHA256.hexDigest(Array(json.serialized(pretty: false).utf8))
  }

  /// Reads the JSON form back (from a shard), checking it as a specification would be.
  public init(json: JSONValue, source: String) throws(ConfigurationError) {
    let plan = try JSONObjectReader<ConfigurationError>(json, file: source, path: "plan") { _ in
      "not a sweep plan of format \(SweepPlan.format)"
    }
    guard plan["format"]?.stringValue == SweepPlan.format else {
      throw plan.error("format", "not a sweep plan of format \(SweepPlan.format)")
    }
    let model = plan["modelVersion"]?.stringValue ?? "?"
    guard model == TalentFlowVersion.model else {
      throw plan.error(
        "modelVersion",
        "the sweep was planned by model version \(model); this talentflow runs model version "
          + "\(TalentFlowVersion.model)"
      )
    }
    guard let name = plan["name"]?.stringValue,
      let keep = plan["keep"]?.stringValue.flatMap(SweepKeep.init(rawValue:)),
      let parameters = plan["parameters"]?.arrayValue?.compactMap(\.stringValue),
      let seedValues = plan["seeds"]?.arrayValue,
      let pointValues = plan["points"]?.arrayValue,
      let baseJSON = plan["configuration"]
    else {
      throw plan.error(nil, "the sweep plan is incomplete")
    }
    var base = Configuration()
    try base.apply(json: baseJSON, source: source)
    try base.validate(source: source)
    var seeds: [UInt64] = []
    for value in seedValues {
      guard let seed = SweepSpecification.seed(value) else {
        throw plan.error("seeds", "plan.seeds holds \(value.serialized(pretty: false)), not a seed")
      }
      seeds.append(seed)
    }
    var points: [[JSONValue]] = []
    for value in pointValues {
      guard let row = value.arrayValue, row.count == parameters.count else {
        throw plan.error("points", "a design point does not have one value per parameter")
      }
      points.append(row)
    }
    guard !seeds.isEmpty, !points.isEmpty else {
      throw plan.error(nil, "the sweep plan has no runs")
    }
    let analysis = try plan["analysis"].map { value throws(ConfigurationError) in
      try SensitivityAnalysis(json: value, source: source)
    }
    if let analysis,
      analysis.parameters.map(\.key) != parameters || analysis.pointCount != points.count
    {
      throw plan.error("analysis", "the plan's analysis does not match its design points")
    }
    self.name = name
    self.keep = keep
    self.base = base
    self.parameters = parameters
    self.points = points
    self.seeds = seeds
    self.analysis = analysis
    for point in 1...points.count { _ = try configuration(point: point, source: source) }
  }
}
