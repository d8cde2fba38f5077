import Foundation

/// A scenario file resolved along its `extends` chain: the configuration a run of it uses.
///
/// A scenario is a configuration file (any key, as nested sections or dotted keys) that may also
/// name the file it builds on and say how its events combine with that file's (MODEL 4.10):
///
/// ```json
/// {
///   "name": "noncompete-ban",
///   "description": "What it represents and where its numbers come from.",
///   "extends": "noncompete-us-average.json",
///   "policy": {"antitrust": 0.2},
///   "events": [{"tick": 24, "type": "set", "path": "policy.nonCompete", "value": 0}]
/// }
/// ```
///
/// - `extends` names another scenario file, relative to the folder of the file that names it.
///   The parent is resolved first (its own `extends` too: chains of any length), then every key
///   of the child is applied over it. A file that reaches itself again is an error that shows
///   the whole cycle.
/// - `events` of a child are appended to the events it inherits, so within one tick a parent's
///   events apply first and a child's `set` wins. With `"replaceEvents": true` the child's
///   `events` (none if it lists none) replace the inherited list instead.
/// - `name` is never inherited: a file that does not declare one is named after the file.
///   `description` is inherited when a file does not declare its own.
/// - Each key is checked as it is read, so a bad value names the file it is written in. The
///   rules that tie keys together, and the events, are checked on the final configuration
///   (after any `--set` overrides, which, like a later file of the chain, may repair an earlier
///   one); when they fail, the error names the file where the problem began: the earliest file
///   of the chain from which on every file is invalid (or `--set`, when only the overrides
///   broke it). An event's error names the file it is written in.
public struct ResolvedScenario: Sendable {
  /// The fully resolved configuration, events of the whole chain included.
  public var configuration: Configuration
  /// The files of the chain, as their paths were resolved: the root first, the file asked for
  /// last.
  public var files: [String]
  /// Where each event of `configuration.events` was written.
  var origins: [EventOrigin]
  /// The configuration as each file of the chain left it, root first (the last is the whole).
  var levels: [Level] = []

  /// One file of the chain and the configuration once it was applied.
  struct Level: Sendable {
    var file: String
    var configuration: Configuration
    var origins: [EventOrigin]
  }
}

/// The file an event was written in, and its index in that file's `events` list.
struct EventOrigin: Sendable, Equatable {
  var source: String
  var index: Int
}

/// Reading scenario files: `extends` chains, event merging and validation (MODEL 4.10).
public enum Scenario {
  /// The top-level fields a scenario file has beyond the configuration keys.
  public static let fields = ["extends", "replaceEvents"]

  /// Resolves a scenario (or plain configuration) file over the defaults.
  public static func resolve(file: String) throws(ConfigurationError) -> ResolvedScenario {
    try resolve(file: file, chain: [])
  }

  /// One link of the chain being resolved: the path as shown and the file's identity.
  private struct Link {
    var shown: String
    var identity: String
  }

  private static func resolve(file: String, chain: [Link]) throws(ConfigurationError)
    -> ResolvedScenario
  {
    let identity = canonicalPath(file)
    if let start = chain.firstIndex(where: { $0.identity == identity }),
      let last = chain.last
    {
      let cycle = (chain[start...].map(\.shown) + [file]).joined(separator: " → ")
      throw ConfigurationError(
        source: last.shown, path: "extends",
        message: "extends makes a cycle: \(cycle)")
    }
    let scenario = try JSONObjectReader<ConfigurationError>(
      Configuration.readJSON(file: file), file: file
    ) { "the top level must be a JSON object, got \($0.typeName)" }
    var extendsValue: JSONValue?
    var eventsValue: JSONValue?
    var keys: [(key: String, value: JSONValue)] = []
    for member in scenario.members {
      switch member.key {
      case "extends": extendsValue = member.value
      case "replaceEvents": break
      case "events": eventsValue = member.value
      default: keys.append(member)
      }
    }

    // The parent, or the defaults.
    var resolved = ResolvedScenario(configuration: Configuration(), files: [], origins: [])
    if let extendsValue {
      guard let name = extendsValue.stringValue, !name.isEmpty else {
        throw ConfigurationError(
          source: file, path: "extends",
          message:
            "extends must be the path of another scenario file, relative to this one, got \(extendsValue.serialized(pretty: false))"
        )
      }
      let parent = path(name, relativeTo: file)
      guard FileManager.default.isReadableFile(atPath: parent) else {
        throw ConfigurationError(
          source: file, path: "extends",
          message:
            "extends names \(parent), which cannot be read (no such file, or no permission), got \(extendsValue.serialized(pretty: false))"
        )
      }
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: parent, isDirectory: &isFolder), isFolder.boolValue {
        throw ConfigurationError(
          source: file, path: "extends",
          message:
            "extends names \(parent), which is a folder, not a scenario file, got \(extendsValue.serialized(pretty: false))"
        )
      }
      resolved = try resolve(file: parent, chain: chain + [Link(shown: file, identity: identity)])
    }
    let replace = try scenario.optionalBool("replaceEvents") ?? false

    // This file's keys over the parent.
    var config = resolved.configuration
    try config.apply(json: .object(keys), source: file)
    if scenario["name"] == nil {
      let fileName = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
      guard ConfigurationKey.isFolderName(fileName) else {
        throw ConfigurationError(
          source: file, path: "name",
          message: "the file name \(JSONValue.string(fileName).serialized()) cannot name the run "
            + "(it holds a control character); add a \"name\" without \"/\" or control "
            + "characters")
      }
      config.name = fileName
    }
    let own =
      try eventsValue.map { value throws(ConfigurationError) in
        try ScenarioEvent.parseList(value, source: file)
      } ?? []
    let ownOrigins = own.indices.map { EventOrigin(source: file, index: $0) }
    if replace {
      config.events = own
      resolved.origins = ownOrigins
    } else {
      config.events += own
      resolved.origins += ownOrigins
    }
    resolved.configuration = config
    resolved.files.append(file)
    resolved.levels.append(
      ResolvedScenario.Level(file: file, configuration: config, origins: resolved.origins))
    return resolved
  }

  /// The error of the file where a failed check began: walking back from the file asked for,
  /// the earliest file from which on every file of the chain fails the checks.
  static func blame(_ error: ConfigurationError, in scenario: ResolvedScenario)
    -> ConfigurationError
  {
    var blamed = error
    for level in scenario.levels.reversed() {
      do {
        try validate(level.configuration, origins: level.origins, source: level.file)
        break
      } catch {
        blamed = error
      }
    }
    return blamed
  }

  /// Checks the cross-key rules, then every event against the configuration it will change,
  /// naming the file each event was written in.
  static func validate(_ config: Configuration, origins: [EventOrigin], source: String)
    throws(ConfigurationError)
  {
    try config.validateRules(source: source)
    do {
      try config.validateEvents { k in
        k < origins.count ? origins[k] : EventOrigin(source: source, index: k)
      }
    } catch {
      guard error.source != source else { throw error }
      var extended = error
      extended.message += " (in the scenario as extended by \(source))"
      throw extended
    }
  }

  /// `name` resolved against the folder of `file`, with `.` and `..` removed where possible.
  static func path(_ name: String, relativeTo file: String) -> String {
    if name.hasPrefix("/") { return normalised(name) }
    let folder = (file as NSString).deletingLastPathComponent
    return normalised(folder.isEmpty ? name : folder + "/" + name)
  }

  /// A path with `.` components, repeated slashes and `folder/..` pairs removed, lexically.
  static func normalised(_ path: String) -> String {
    let absolute = path.hasPrefix("/")
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == "..", let last = parts.last, last != ".." {
        parts.removeLast()
        continue
      }
      if part == "..", absolute, parts.isEmpty { continue }
      parts.append(part)
    }
    let joined = parts.joined(separator: "/")
    if absolute { return "/" + joined }
    return joined.isEmpty ? "." : joined
  }

  /// The identity of a file for cycle detection: absolute, symbolic links resolved.
  private static func canonicalPath(_ file: String) -> String {
    URL(fileURLWithPath: file).standardizedFileURL.resolvingSymlinksInPath().path
  }
}
