import Foundation

/// Which outputs a sweep keeps for each run, besides the sweep's own tables.
public enum SweepKeep: String, Sendable, CaseIterable {
  /// No per-run folder: runs are simulated in memory and only summarised.
  case none
  /// A folder per run with `timeseries.csv`, `flows.csv` and `manifest.json`.
  case timeseries
  /// A folder per run with every file the base configuration's `output` keys ask for.
  case all
}

/// How the replicates of each design point are seeded.
public enum SweepReplicates: Sendable, Equatable {
  /// `count` seeds from `baseSeed` on (`baseSeed`, `baseSeed + 1`, ...); without a base seed,
  /// from the base configuration's `seed`.
  case count(Int, baseSeed: UInt64?)
  /// These seeds, in this order.
  case seeds([UInt64])
}

/// A sweep specification as written in its JSON file, checked but not yet combined with a base.
///
/// ```json
/// {"name": "noncompete-grid", "base": "../scenarios/baseline.json", "ticks": 120,
///  "grid": {"policy.nonCompete": [0.0, 0.5, 1.0]},
///  "sample": {"method": "lhs", "points": 20, "seed": 1, "ranges": {"equity.optimism": [1, 5]}},
///  "replicates": {"count": 10, "baseSeed": 1000},
///  "keep": "timeseries"}
/// ```
///
/// Grid keys are crossed with each other (the first key varies slowest) and with the sample
/// points (which vary fastest), so this example has 3 × 20 design points of 10 replicates each.
public struct SweepSpecification: Sendable {
  /// The file the specification was read from, as given (for messages).
  public var source: String
  /// The sweep's name: the `name` member, else the file's name without `.json`.
  public var name: String
  /// The base configuration or scenario file, resolved against the specification's folder;
  /// `nil` for the built-in baseline.
  public var base: String?
  /// `time.ticks` for every run, if given.
  public var ticks: Int?
  /// Keys fixed for every run, applied to the base after `ticks` (and before `--set`).
  public var fixed: [(path: String, value: JSONValue)]
  /// Grid keys in written order, each with its values.
  public var grid: [(path: String, values: [JSONValue])]
  /// The Latin hypercube sample, if any.
  public var sample: LatinHypercube?
  public var replicates: SweepReplicates
  public var keep: SweepKeep

  /// The most runs a sweep may have.
  public static let maximumRuns = 10_000_000

  /// The members a specification may have.
  static let members = [
    "name", "description", "base", "ticks", "set", "grid", "sample", "replicates", "keep",
  ]

  /// Reads and checks a specification file; every problem names the file, the key and the value.
  public static func load(file: String) throws(ConfigurationError) -> SweepSpecification {
    let json = try Configuration.readJSON(file: file)
    let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
    let defaultName = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
    return try SweepSpecification(
      json: json, source: file, folder: folder, defaultName: defaultName)
  }

  /// Checks a parsed specification; relative `base` paths are taken from `folder`.
  public init(json: JSONValue, source: String, folder: URL, defaultName: String)
    throws(ConfigurationError)
  {
    let spec = try JSONObjectReader<ConfigurationError>(json, file: source) {
      "the top level must be a JSON object, got \($0.typeName)"
    }
    try spec.checkKeys(SweepSpecification.members) { key, hint in
      "unknown key \(ConfigurationKeys.shown(key))\(hint); a sweep specification has "
        + SweepSpecification.members.joined(separator: ", ")
    }
    self.source = source
    (name, base, ticks, fixed) = try SweepSpecification.runMembers(
      spec, folder: folder, defaultName: defaultName)
    grid = try SweepSpecification.grid(spec, fixed: fixed)
    try SweepSpecification.checkTicks(ticks, spec, against: "grid", grid.map(\.path))
    sample = try spec["sample"].map { value throws(ConfigurationError) in
      try LatinHypercube(json: value, source: source)
    }
    let sampled = sample?.ranges.map(\.path) ?? []
    try SweepSpecification.checkSampled(
      sampled, spec, grid: grid.map(\.path), fixed: fixed.map(\.path))
    try SweepSpecification.checkTicks(ticks, spec, against: "sample.ranges", sampled)
    replicates =
      try spec["replicates"].map { value throws(ConfigurationError) in
        try SweepSpecification.parseReplicates(value, source: source)
      } ?? .count(1, baseSeed: nil)
    keep =
      try spec.optional(
        "keep", "must be \"none\", \"timeseries\" or \"all\"",
        as: { $0.stringValue.flatMap(SweepKeep.init(rawValue:)) }) ?? .none
    try checkSize(spec)
  }

  /// The members a sweep and a sensitivity analysis share, which say what every run is:
  /// `name`, `description`, `base` (resolved against `folder`), `ticks` and `set`.
  static func runMembers(
    _ spec: JSONObjectReader<ConfigurationError>, folder: URL, defaultName: String
  ) throws(ConfigurationError) -> (
    name: String, base: String?, ticks: Int?, fixed: [(path: String, value: JSONValue)]
  ) {
    let name = try SweepSpecification.name(spec, defaultName: defaultName)
    _ = try spec.optionalString("description")
    let base = try spec.optionalString(
      "base", "must be the path of a configuration or scenario file", where: { !$0.isEmpty }
    ).map { path in
      path.hasPrefix("/") ? path : folder.appendingPathComponent(path).standardizedFileURL.path
    }
    let ticks = try spec.optionalInteger("ticks", "must be a positive integer") {
      $0 >= 1 && $0 < 1 << 31
    }
    let fixed = try SweepSpecification.fixed(spec)
    try SweepSpecification.checkTicks(ticks, spec, against: "set", fixed.map(\.path))
    return (name, base, ticks, fixed)
  }

  /// The `name` member, else the file's name; either must be safe in folder and job names.
  static func name(_ spec: JSONObjectReader<ConfigurationError>, defaultName: String)
    throws(ConfigurationError) -> String
  {
    if let name = try spec.optionalString(
      "name", "must be a non-empty string of letters, digits, '.', '_' and '-'",
      where: isValidName)
    {
      return name
    }
    guard isValidName(defaultName) else {
      throw spec.error(
        "name",
        "the file name \"\(defaultName)\" cannot name the sweep; add a \"name\" of letters, "
          + "digits, '.', '_' and '-'")
    }
    return defaultName
  }

  /// The `set` member: keys fixed for every run, each checked as a configuration would.
  static func fixed(_ spec: JSONObjectReader<ConfigurationError>)
    throws(ConfigurationError) -> [(path: String, value: JSONValue)]
  {
    guard let set = try spec.optionalObject("set", "must be an object of key paths and values")
    else { return [] }
    for (path, item) in set.members {
      try checkSweptKey(path, section: "set", source: spec.file)
      try check(path, item, in: set, as: "set.\(path)")
    }
    return set.members.map { ($0.key, $0.value) }
  }

  /// The `grid` member: keys in written order, each with a non-empty list of valid values.
  private static func grid(
    _ spec: JSONObjectReader<ConfigurationError>, fixed: [(path: String, value: JSONValue)]
  ) throws(ConfigurationError) -> [(path: String, values: [JSONValue])] {
    guard
      let grid = try spec.optionalObject("grid", "must be an object of key paths and lists of values")
    else { return [] }
    var keys: [(path: String, values: [JSONValue])] = []
    for (path, _) in grid.members {
      try checkSweptKey(path, section: "grid", source: spec.file)
      let values = try grid.list(path, "must be a non-empty list of values") { !$0.isEmpty }
      for (index, item) in values.enumerated() {
        try check(path, item, in: grid, as: "grid.\(path)[\(index)]")
      }
      if fixed.contains(where: { $0.path == path }) {
        throw grid.error(path, "\(path) is both in set and in grid; fix it or sweep it")
      }
      keys.append((path, values))
    }
    if keys.isEmpty { throw spec.error("grid", "grid must name at least one key, got {}") }
    return keys
  }

  /// Checks that `value` is valid for the key `path`; an error is shown after `label`.
  private static func check(
    _ path: String, _ value: JSONValue, in section: JSONObjectReader<ConfigurationError>,
    as label: String
  ) throws(ConfigurationError) {
    var scratch = Configuration()
    do {
      try scratch.set(path: path, value: value, source: section.file)
    } catch {
      throw section.error(path, "\(label): \(error.message)")
    }
  }

  /// Refuses `time.ticks` among `paths` of `section` when `ticks` is given.
  private static func checkTicks(
    _ ticks: Int?, _ spec: JSONObjectReader<ConfigurationError>, against section: String,
    _ paths: [String]
  ) throws(ConfigurationError) {
    guard let ticks, paths.contains("time.ticks") else { return }
    throw spec.error(
      "ticks", "ticks (\(ticks)) and \(section).time.ticks both set the number of ticks; keep one")
  }

  /// Refuses a sampled key that `grid` or `set` also names.
  private static func checkSampled(
    _ sampled: [String], _ spec: JSONObjectReader<ConfigurationError>, grid: [String],
    fixed: [String]
  ) throws(ConfigurationError) {
    for path in sampled where grid.contains(path) {
      throw spec.error(
        "sample.ranges.\(path)", "\(path) is both in grid and in sample.ranges; sweep it one way")
    }
    for path in sampled where fixed.contains(path) {
      throw spec.error(
        "sample.ranges.\(path)", "\(path) is both in set and in sample.ranges; fix it or sweep it")
    }
  }

  /// Refuses a sweep of more than `maximumRuns` runs.
  private func checkSize(_ spec: JSONObjectReader<ConfigurationError>) throws(ConfigurationError) {
    var points = 1
    for count in grid.map(\.values.count) + (sample.map { [$0.points] } ?? []) {
      let (product, overflow) = points.multipliedReportingOverflow(by: count)
      points = overflow ? Int.max : product
    }
    let replicateCount: Int
    switch replicates {
    case .count(let n, _): replicateCount = n
    case .seeds(let seeds): replicateCount = seeds.count
    }
    let (runs, overflow) = points.multipliedReportingOverflow(by: replicateCount)
    if overflow || runs > SweepSpecification.maximumRuns {
      throw spec.error(
        nil,
        "the sweep has \(overflow ? "more than \(Int.max)" : String(runs)) runs "
          + "(\(points) design points × \(replicateCount) replicates); at most "
          + "\(SweepSpecification.maximumRuns) are allowed")
    }
  }

  /// Whether a name is safe in folder and job names.
  static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && name.count <= 200 && !name.hasPrefix(".")
      && name.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
          || $0 == "." || $0 == "_" || $0 == "-"
      }
  }

  /// Refuses key paths a sweep cannot set or vary.
  static func checkSweptKey(_ path: String, section: String, source: String)
    throws(ConfigurationError)
  {
    if path == "seed" {
      throw ConfigurationError(
        source: source, path: "\(section).seed",
        message: "\(section).seed: seeds are not set here; they come from \"replicates\"")
    }
    if path != "events" && ConfigurationKeys.key(path) == nil {
      throw ConfigurationError(
        source: source, path: "\(section).\(path)",
        message: "\(section): unknown key \(ConfigurationKeys.shown(path))"
          + ConfigurationKeys.suggestion(for: path))
    }
  }

  /// A member of key paths with [lower, upper] ranges (`parameters` of a sensitivity analysis or
  /// a calibration): 1 to `maximum` number keys (or list elements such as
  /// `startup.roundRate.1`), lower < upper, each bound a valid value of its key, none also in
  /// `set`. `varied` says what is done with them in messages ("analysed", "estimated"), and
  /// `integerAdvice` why an integer key is refused and what to do instead.
  static func ranges(
    _ spec: JSONObjectReader<ConfigurationError>, fixed: [String], ticks: Int?, maximum: Int,
    varied: String, integerAdvice: String
  ) throws(ConfigurationError) -> [(key: String, lower: Double, upper: Double)] {
    let requirement = "must be an object of key paths and [lower, upper]"
    let keys = try spec.object("parameters", requirement, missing: .requirement)
    guard !keys.members.isEmpty, keys.members.count <= maximum else {
      throw spec.invalid(
        "parameters", "must name 1 to \(maximum) key paths with [lower, upper]", keys.json)
    }
    var ranges: [(key: String, lower: Double, upper: Double)] = []
    for (path, bounds) in keys.members {
      try checkSweptKey(path, section: "parameters", source: spec.file)
      let at = "parameters.\(path)"
      guard let key = ConfigurationKeys.key(path), key.value(in: Configuration()).doubleValue != nil
      else {
        throw keys.error(
          path,
          "\(at): only number keys (or one element of a list, such as startup.roundRate.1) "
            + "can be \(varied); \(path) is not a number")
      }
      if key.isInteger {
        throw keys.error(path, "\(at): \(path) is an integer key; \(integerAdvice)")
      }
      guard let pair = bounds.arrayValue, pair.count == 2, let lower = pair[0].doubleValue,
        let upper = pair[1].doubleValue, lower < upper, (upper - lower).isFinite
      else {
        throw keys.invalid(path, "must be [lower, upper] with lower < upper", bounds)
      }
      if fixed.contains(path) {
        throw keys.error(path, "\(path) is both in set and in parameters; fix it or vary it")
      }
      if path == "time.ticks", let ticks {
        throw spec.error(
          "ticks", "ticks (\(ticks)) and parameters.time.ticks both set the ticks; keep one")
      }
      if let list = ConfigurationKeys.listPath(ofElement: path),
        keys.members.contains(where: { $0.key == list })
      {
        throw keys.error(path, "\(at): \(list) is varied as a whole; vary it or its elements")
      }
      for bound in pair {
        var scratch = Configuration()
        do {
          try scratch.set(path: path, value: bound, source: spec.file)
        } catch {
          throw keys.error(path, "\(at): \(error.message)")
        }
      }
      ranges.append((path, lower, upper))
    }
    return ranges
  }

  /// A seed: an integer in [0, 2^53 − 1], as the `seed` key takes.
  static func seed(_ value: JSONValue) -> UInt64? {
    guard let n = value.intValue, n >= 0, n < 1 << 53 else { return nil }
    return UInt64(n)
  }

  static func parseReplicates(_ value: JSONValue, source: String)
    throws(ConfigurationError) -> SweepReplicates
  {
    let shape = "must be {\"count\": n, \"baseSeed\": s} or {\"seeds\": [s1, s2, ...]}"
    let replicates = try JSONObjectReader<ConfigurationError>(
      value, file: source, path: "replicates"
    ) { "replicates \(shape), got \($0.serialized(pretty: false))" }
    try replicates.checkKeys(["count", "baseSeed", "seeds"]) { key, _ in
      "unknown key \(ConfigurationKeys.shown(key)); replicates \(shape)"
    }
    if replicates["seeds"] != nil {
      if replicates["count"] != nil || replicates["baseSeed"] != nil {
        throw replicates.error(
          nil, "replicates takes either seeds or count and baseSeed, not both")
      }
      let items = try replicates.list("seeds", "must be a non-empty list of seeds") {
        !$0.isEmpty
      }
      var seeds: [UInt64] = []
      for (index, item) in items.enumerated() {
        guard let s = seed(item) else {
          throw replicates.error(
            "seeds",
            "replicates.seeds[\(index)] must be an integer in [0, 2^53 − 1], got "
              + item.serialized(pretty: false))
        }
        if let first = seeds.firstIndex(of: s) {
          throw replicates.error(
            "seeds",
            "replicates.seeds[\(index)] repeats seed \(s) of replicates.seeds[\(first)]; "
              + "replicates need distinct seeds")
        }
        seeds.append(s)
      }
      return .seeds(seeds)
    }
    let count = try replicates.integer(
      "count", "must be a positive integer",
      missing: .message("replicates \(shape); count is missing")
    ) { $0 >= 1 && $0 <= maximumRuns }
    let baseSeed = try replicates.optional(
      "baseSeed", "must be an integer in [0, 2^53 − count]", as: seed
    ) { $0 + UInt64(count - 1) < 1 << 53 }
    return .count(count, baseSeed: baseSeed)
  }
}
