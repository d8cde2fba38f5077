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

  static let knownKeys = [
    "name", "title", "description", "license", "scenarios", "replicates", "ticks", "set",
  ]

  /// Reads and validates a specification; every scenario is loaded and validated too.
  public static func load(file: String, extraOverrides: [String] = []) throws(ConfigurationError)
    -> DatasetSpecification
  {
    let json = try Configuration.readJSON(file: file)
    func fail(_ path: String, _ requirement: String, _ value: JSONValue?) -> ConfigurationError {
      let shown = value.map { ", got \($0.serialized(pretty: false))" } ?? ""
      return ConfigurationError(source: file, path: path, message: "\(path) \(requirement)\(shown)")
    }
    guard let members = json.objectValue else {
      throw fail("", "the top level must be an object", json)
    }
    for (key, _) in members where !knownKeys.contains(key) {
      let near = knownKeys.min { editDistance($0, key) < editDistance($1, key) } ?? ""
      throw ConfigurationError(
        source: file, path: key,
        message: "unknown key \(ConfigurationKeys.shown(key))"
          + (editDistance(near, key) <= 3 ? " (did you mean \(near)?)" : ""))
    }
    guard let name = json["name"]?.stringValue, !name.isEmpty,
      name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
    else {
      throw fail("name", "must be a non-empty name of letters, digits, '-', '_' or '.'", json["name"])
    }
    let ticksValue = json["ticks"] ?? .number(120)
    guard let ticks = ticksValue.intValue, ticks >= 1 else {
      throw fail("ticks", "must be a positive integer", ticksValue)
    }
    var seeds: [UInt64] = []
    switch json["replicates"] {
    case .some(let r):
      if let list = r["seeds"]?.arrayValue {
        for item in list {
          guard let s = item.intValue, s >= 0 else {
            throw fail("replicates.seeds", "must be a list of non-negative integers", r["seeds"])
          }
          seeds.append(UInt64(s))
        }
      } else {
        guard let count = r["count"]?.intValue, count >= 1 else {
          throw fail("replicates.count", "must be a positive integer", r["count"])
        }
        let base = r["baseSeed"] ?? .number(1)
        guard let baseSeed = base.intValue, baseSeed >= 0 else {
          throw fail("replicates.baseSeed", "must be a non-negative integer", base)
        }
        seeds = (0..<count).map { UInt64(baseSeed + $0) }
      }
      if seeds.isEmpty || Set(seeds).count != seeds.count {
        throw fail("replicates", "must give at least one seed and no seed twice", r)
      }
    case .none:
      throw fail("replicates", "is missing ({\"count\": n, \"baseSeed\": s} or {\"seeds\": […]})", nil)
    }
    var overrides: [String] = []
    if let set = json["set"] {
      guard let pairs = set.objectValue else {
        throw fail("set", "must be an object of key paths and values", set)
      }
      overrides = pairs.map { "\($0.key)=\($0.value.serialized(pretty: false))" }
    }
    overrides += extraOverrides
    overrides.append("time.ticks=\(ticks)")
    overrides.append("output.moves=false")
    guard let list = json["scenarios"]?.arrayValue, !list.isEmpty else {
      throw fail("scenarios", "must be a non-empty list of scenario files", json["scenarios"])
    }
    let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
    var scenarios: [(String, Configuration)] = []
    for (k, item) in list.enumerated() {
      guard let path = item.stringValue else {
        throw fail("scenarios[\(k)]", "must be a path to a scenario file", item)
      }
      let resolved = path.hasPrefix("/") ? path : folder.appendingPathComponent(path).path
      guard FileManager.default.fileExists(atPath: resolved) else {
        throw fail("scenarios[\(k)]", "names a file that does not exist (\(resolved))", item)
      }
      let config = try Configuration.load(file: resolved, overrides: overrides)
      if scenarios.contains(where: { $0.1.name == config.name }) {
        throw fail("scenarios[\(k)]", "repeats the scenario name \(config.name)", item)
      }
      scenarios.append((path, config))
    }
    let reference = try Configuration.load(file: nil, overrides: overrides)
    return DatasetSpecification(
      file: file, name: name, title: json["title"]?.stringValue ?? name,
      description: json["description"]?.stringValue ?? "",
      license: json["license"]?.stringValue ?? "CC-BY-4.0", scenarios: scenarios,
      reference: reference, seeds: seeds, ticks: ticks, overrides: overrides, json: json)
  }
}
