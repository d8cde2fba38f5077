import Foundation

/// What `talentflow dataset` builds: which scenarios, replicates, seeds and ticks.
///
/// ```json
/// {"name": "talentflow-scenarios", "title": "…", "description": "…",
///  "scenarios": ["../scenarios/baseline.json", "../scenarios/noncompete-ban.json"],
///  "replicates": {"count": 20, "baseSeed": 1}, "ticks": 120,
///  "set": {"population.size": 10000}, "license": "CC-BY-4.0"}
/// ```
/// Scenario paths are relative to the specification file. Every scenario runs on the same seeds
/// (common random numbers), so differences between scenarios are paired.
public struct DatasetSpecification: Sendable {
  public var file: String
  public var name: String
  public var title: String
  public var description: String
  public var license: String
  /// Each scenario's file as written in the specification, and its resolved configuration.
  public var scenarios: [(path: String, config: Configuration)]
  /// The configuration every scenario is compared against in `scenarios.csv`.
  public var reference: Configuration
  public var seeds: [UInt64]
  public var ticks: Int
  /// `key.path=value` overrides applied to every scenario (and the reference).
  public var overrides: [String]
  /// The specification as read, recorded in the data package.
  public var json: JSONValue
  /// The calibration folder whose out-of-sample checks the README reports (`calibration`,
  /// resolved against the specification's folder), as written and as resolved.
  public var calibration: (written: String, folder: URL)? = nil

  static let knownKeys = [
    "name", "title", "description", "license", "scenarios", "replicates", "ticks", "set",
    "calibration",
  ]

  /// Reads and validates a specification; every scenario is loaded and validated too.
  public static func load(file: String, extraOverrides: [String] = []) throws(ConfigurationError)
    -> DatasetSpecification
  {
    let json = try Configuration.readJSON(file: file)
    let spec = try JSONObjectReader<ConfigurationError>(json, file: file) {
      "the top level must be an object, got \($0.serialized(pretty: false))"
    }
    try spec.checkKeys(knownKeys) { key, hint in
      "unknown key \(ConfigurationKeys.shown(key))\(hint)"
    }
    let name = try spec.string(
      "name", "must be a non-empty name of letters, digits, '-', '_' or '.'",
      missing: .requirement
    ) { name in
      !name.isEmpty
        && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
    }
    let ticks = try spec.optionalInteger("ticks", "must be a positive integer") { $0 >= 1 } ?? 120
    let seeds = try seeds(spec)
    var overrides: [String] = []
    if let set = try spec.optionalObject("set", "must be an object of key paths and values") {
      overrides = set.members.map { "\($0.key)=\($0.value.serialized(pretty: false))" }
    }
    overrides += extraOverrides
    overrides.append("time.ticks=\(ticks)")
    overrides.append("output.moves=false")
    let list = try spec.list(
      "scenarios", "must be a non-empty list of scenario files",
      missing: .requirement
    ) { !$0.isEmpty }
    let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
    var scenarios: [(String, Configuration)] = []
    for (k, item) in list.enumerated() {
      guard let path = item.stringValue else {
        throw spec.invalid("scenarios[\(k)]", "must be a path to a scenario file", item)
      }
      let resolved = path.hasPrefix("/") ? path : folder.appendingPathComponent(path).path
      guard FileManager.default.fileExists(atPath: resolved) else {
        throw spec.invalid("scenarios[\(k)]", "names a file that does not exist (\(resolved))", item)
      }
      let config = try Configuration.load(file: resolved, overrides: overrides)
      if scenarios.contains(where: { $0.1.name == config.name }) {
        throw spec.invalid("scenarios[\(k)]", "repeats the scenario name \(config.name)", item)
      }
      scenarios.append((path, config))
    }
    let reference = try Configuration.load(file: nil, overrides: overrides)
    var dataset = DatasetSpecification(
      file: file, name: name, title: spec["title"]?.stringValue ?? name,
      description: spec["description"]?.stringValue ?? "",
      license: spec["license"]?.stringValue ?? "CC-BY-4.0", scenarios: scenarios,
      reference: reference, seeds: seeds, ticks: ticks, overrides: overrides, json: json)
    if let written = try spec.optionalString(
      "calibration", "must be the path of a calibration folder (talentflow calibrate --out)",
      where: { !$0.isEmpty })
    {
      let url = URL(fileURLWithPath: written.hasPrefix("/") ? written : folder.appendingPathComponent(written).path)
      for name in ["manifest.json", "fit.csv"]
      where !FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path) {
        throw spec.invalid(
          "calibration", "must name a finished calibration folder; it has no \(name)",
          .string(written))
      }
      dataset.calibration = (written, url.standardizedFileURL)
    }
    return dataset
  }

  /// The seeds of `replicates`: `{"seeds": […]}`, or `count` seeds from `baseSeed` (1) on.
  private static func seeds(_ spec: JSONObjectReader<ConfigurationError>)
    throws(ConfigurationError) -> [UInt64]
  {
    let shape = "({\"count\": n, \"baseSeed\": s} or {\"seeds\": […]})"
    let replicates = try spec.object(
      "replicates", "must be an object \(shape)", missing: .message("replicates is missing \(shape)"))
    let r = replicates.json
    var seeds: [UInt64] = []
    if let list = r["seeds"]?.arrayValue {
      for item in list {
        guard let s = item.intValue, s >= 0 else {
          throw replicates.invalid("seeds", "must be a list of non-negative integers", r["seeds"])
        }
        seeds.append(UInt64(s))
      }
    } else {
      let count = try replicates.integer(
        "count", "must be a positive integer", missing: .requirement) { $0 >= 1 }
      let baseSeed = try replicates.optionalInteger("baseSeed", "must be a non-negative integer") {
        $0 >= 0
      } ?? 1
      seeds = (0..<count).map { UInt64(baseSeed + $0) }
    }
    if seeds.isEmpty || Set(seeds).count != seeds.count {
      throw spec.invalid("replicates", "must give at least one seed and no seed twice", r)
    }
    return seeds
  }
}
