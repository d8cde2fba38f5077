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
    func fail(_ path: String, _ message: String) -> ConfigurationError {
      ConfigurationError(source: source, path: path, message: message)
    }
    func got(_ value: JSONValue) -> String { value.serialized(pretty: false) }
    guard let members = json.objectValue else {
      throw fail("", "the top level must be a JSON object, got \(json.typeName)")
    }
    for (key, _) in members where !SweepSpecification.members.contains(key) {
      let near = SweepSpecification.members.min { editDistance($0, key) < editDistance($1, key) }
      let hint = near.map { editDistance($0, key) <= 3 ? " (did you mean \($0)?)" : "" } ?? ""
      throw fail(
        key,
        "unknown key \(ConfigurationKeys.shown(key))\(hint); a sweep specification has "
          + SweepSpecification.members.joined(separator: ", "))
    }
    self.source = source

    // name
    if let value = json["name"] {
      guard let text = value.stringValue, SweepSpecification.isValidName(text) else {
        throw fail(
          "name",
          "name must be a non-empty string of letters, digits, '.', '_' and '-', got \(got(value))")
      }
      name = text
    } else {
      guard SweepSpecification.isValidName(defaultName) else {
        throw fail(
          "name",
          "the file name \"\(defaultName)\" cannot name the sweep; add a \"name\" of letters, "
            + "digits, '.', '_' and '-'"
        )
      }
      name = defaultName
    }
    if let value = json["description"], value.stringValue == nil {
      throw fail("description", "description must be a string, got \(got(value))")
    }

    // base
    if let value = json["base"] {
      guard let path = value.stringValue, !path.isEmpty else {
        throw fail(
          "base", "base must be the path of a configuration or scenario file, got \(got(value))")
      }
      base =
        path.hasPrefix("/") ? path : folder.appendingPathComponent(path).standardizedFileURL.path
    } else {
      base = nil
    }

    // ticks
    if let value = json["ticks"] {
      guard let n = value.intValue, n >= 1, n < 1 << 31 else {
        throw fail("ticks", "ticks must be a positive integer, got \(got(value))")
      }
      ticks = n
    } else {
      ticks = nil
    }

    // set
    fixed = []
    if let value = json["set"] {
      guard let keys = value.objectValue else {
        throw fail("set", "set must be an object of key paths and values, got \(got(value))")
      }
      for (path, item) in keys {
        try SweepSpecification.checkSweptKey(path, section: "set", source: source)
        var scratch = Configuration()
        do {
          try scratch.set(path: path, value: item, source: source)
        } catch {
          throw fail("set.\(path)", "set.\(path): \(error.message)")
        }
        fixed.append((path, item))
      }
    }
    if let ticks, fixed.contains(where: { $0.path == "time.ticks" }) {
      throw fail(
        "ticks", "ticks (\(ticks)) and set.time.ticks both set the number of ticks; keep one")
    }

    // grid
    grid = []
    if let value = json["grid"] {
      guard let keys = value.objectValue else {
        throw fail(
          "grid", "grid must be an object of key paths and lists of values, got \(got(value))")
      }
      for (path, list) in keys {
        try SweepSpecification.checkSweptKey(path, section: "grid", source: source)
        guard let values = list.arrayValue, !values.isEmpty else {
          throw fail(
            "grid.\(path)", "grid.\(path) must be a non-empty list of values, got \(got(list))")
        }
        for (index, item) in values.enumerated() {
          var scratch = Configuration()
          do {
            try scratch.set(path: path, value: item, source: source)
          } catch {
            throw fail(
              "grid.\(path)", "grid.\(path)[\(index)]: \(error.message)")
          }
        }
        if fixed.contains(where: { $0.path == path }) {
          throw fail("grid.\(path)", "\(path) is both in set and in grid; fix it or sweep it")
        }
        grid.append((path, values))
      }
      if grid.isEmpty { throw fail("grid", "grid must name at least one key, got {}") }
    }
    if let ticks, grid.contains(where: { $0.path == "time.ticks" }) {
      throw fail(
        "ticks", "ticks (\(ticks)) and grid.time.ticks both set the number of ticks; keep one")
    }

    // sample
    if let value = json["sample"] {
      sample = try LatinHypercube(json: value, source: source)
      for range in sample?.ranges ?? [] where grid.contains(where: { $0.path == range.path }) {
        throw fail(
          "sample.ranges.\(range.path)",
          "\(range.path) is both in grid and in sample.ranges; sweep it one way")
      }
      for range in sample?.ranges ?? [] where fixed.contains(where: { $0.path == range.path }) {
        throw fail(
          "sample.ranges.\(range.path)",
          "\(range.path) is both in set and in sample.ranges; fix it or sweep it")
      }
      if let ticks, sample?.ranges.contains(where: { $0.path == "time.ticks" }) == true {
        throw fail(
          "ticks",
          "ticks (\(ticks)) and sample.ranges.time.ticks both set the number of ticks; keep one")
      }
    } else {
      sample = nil
    }

    // replicates
    if let value = json["replicates"] {
      replicates = try SweepSpecification.parseReplicates(value, source: source)
    } else {
      replicates = .count(1, baseSeed: nil)
    }

    // keep
    if let value = json["keep"] {
      guard let text = value.stringValue, let mode = SweepKeep(rawValue: text) else {
        throw fail("keep", "keep must be \"none\", \"timeseries\" or \"all\", got \(got(value))")
      }
      keep = mode
    } else {
      keep = .none
    }

    // size
    var points = 1
    for (_, values) in grid {
      let (product, overflow) = points.multipliedReportingOverflow(by: values.count)
      points = overflow ? Int.max : product
    }
    if let sample {
      let (product, overflow) = points.multipliedReportingOverflow(by: sample.points)
      points = overflow ? Int.max : product
    }
    let replicateCount: Int
    switch replicates {
    case .count(let n, _): replicateCount = n
    case .seeds(let seeds): replicateCount = seeds.count
    }
    let (runs, overflow) = points.multipliedReportingOverflow(by: replicateCount)
    if overflow || runs > SweepSpecification.maximumRuns {
      throw fail(
        "",
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

  /// A seed: an integer in [0, 2^53 − 1], as the `seed` key takes.
  static func seed(_ value: JSONValue) -> UInt64? {
    guard let n = value.intValue, n >= 0, n < 1 << 53 else { return nil }
    return UInt64(n)
  }

  private static func parseReplicates(_ value: JSONValue, source: String)
    throws(ConfigurationError) -> SweepReplicates
  {
    func fail(_ path: String, _ message: String) -> ConfigurationError {
      ConfigurationError(source: source, path: path, message: message)
    }
    let shape =
      "replicates must be {\"count\": n, \"baseSeed\": s} or {\"seeds\": [s1, s2, ...]}"
    guard let members = value.objectValue else {
      throw fail("replicates", "\(shape), got \(value.serialized(pretty: false))")
    }
    for (key, _) in members where !["count", "baseSeed", "seeds"].contains(key) {
      throw fail(
        "replicates.\(key)",
        "unknown key \(ConfigurationKeys.shown("replicates.\(key)")); \(shape)")
    }
    if let list = value["seeds"] {
      if value["count"] != nil || value["baseSeed"] != nil {
        throw fail("replicates", "replicates takes either seeds or count and baseSeed, not both")
      }
      guard let items = list.arrayValue, !items.isEmpty else {
        throw fail(
          "replicates.seeds",
          "replicates.seeds must be a non-empty list of seeds, got "
            + "\(list.serialized(pretty: false))"
        )
      }
      var seeds: [UInt64] = []
      for (index, item) in items.enumerated() {
        guard let s = seed(item) else {
          throw fail(
            "replicates.seeds",
            "replicates.seeds[\(index)] must be an integer in [0, 2^53 − 1], got "
              + "\(item.serialized(pretty: false))"
          )
        }
        if let first = seeds.firstIndex(of: s) {
          throw fail(
            "replicates.seeds",
            "replicates.seeds[\(index)] repeats seed \(s) of replicates.seeds[\(first)]; "
              + "replicates need distinct seeds"
          )
        }
        seeds.append(s)
      }
      return .seeds(seeds)
    }
    guard let countValue = value["count"] else {
      throw fail("replicates.count", "\(shape); count is missing")
    }
    guard let count = countValue.intValue, count >= 1, count <= maximumRuns else {
      throw fail(
        "replicates.count",
        "replicates.count must be a positive integer, got \(countValue.serialized(pretty: false))")
    }
    var baseSeed: UInt64? = nil
    if let seedValue = value["baseSeed"] {
      guard let s = seed(seedValue), s + UInt64(count - 1) < 1 << 53 else {
        throw fail(
          "replicates.baseSeed",
          "replicates.baseSeed must be an integer in [0, 2^53 − count], got "
            + "\(seedValue.serialized(pretty: false))"
        )
      }
      baseSeed = s
    }
    return .count(count, baseSeed: baseSeed)
  }
}
