import Foundation

/// A configuration error a person can act on: the file, the key path, the value, what is allowed.
public struct ConfigurationError: InputError, Sendable {
  /// The file (as given), `--set`, or another source such as a scenario event.
  public var source: String
  /// The dotted key path, empty for an error about the whole file.
  public var path: String
  /// The whole message after the source.
  public var message: String

  public var description: String { "\(source): \(message)" }

  public var exitCode: ExitCode { .dataError }

  public init(source: String, path: String, message: String) {
    self.source = source
    self.path = path
    self.message = message
  }

  public init(file: String, keyPath: String, message: String) {
    self.init(source: file, path: keyPath, message: message)
  }

  init(source: String, path: String, problem: ConfigurationProblem, value: JSONValue) {
    let shown = (problem.value ?? value).serialized(pretty: false)
    self.init(source: source, path: path, message: "\(path) \(problem.requirement), got \(shown)")
  }
}

extension Configuration {
  /// Reads a configuration or scenario file over the defaults, then applies `--set` overrides.
  ///
  /// A scenario's `extends` chain is resolved first (see `Scenario`). Every key is validated as
  /// it is read; cross-key rules and events are checked once, when the overrides are in, and an
  /// error names the file of the chain where it began, or `--set`. `shorthands` are overrides
  /// applied after `overrides` and named by their own source, such as `("--seed", "seed=7")`.
  /// Nothing is run and nothing is written when anything is wrong.
  public static func load(
    file: String?, overrides: [String] = [],
    shorthands: [(source: String, override: String)] = []
  ) throws(ConfigurationError) -> Configuration {
    var config = Configuration()
    var origins: [EventOrigin] = []
    var scenario: ResolvedScenario?
    if let file {
      let resolved = try Scenario.resolve(file: file)
      config = resolved.configuration
      origins = resolved.origins
      scenario = resolved
    }
    let beforeOverrides = config
    let originsBefore = origins
    for override in overrides { try config.apply(override: override) }
    for shorthand in shorthands {
      try config.apply(override: shorthand.override, source: shorthand.source)
    }
    if config.events != beforeOverrides.events {
      origins = config.events.indices.map { EventOrigin(source: "--set", index: $0) }
    }
    do {
      try Scenario.validate(config, origins: origins, source: file ?? "configuration")
    } catch {
      // A cross-key rule broken only once the overrides are in is the overrides' fault.
      if !overrides.isEmpty || !shorthands.isEmpty,
        (try? Scenario.validate(beforeOverrides, origins: originsBefore, source: "")) != nil
      {
        var blamed = error
        blamed.source =
          overrides.isEmpty ? shorthands.map(\.source).joined(separator: ", ") : "--set"
        throw blamed
      }
      // Else the file of the chain where the problem began.
      throw scenario.map { Scenario.blame(error, in: $0) } ?? error
    }
    return config
  }

  /// Reads and parses a JSON file, turning every failure into a message naming the file.
  public static func readJSON(file: String) throws(ConfigurationError) -> JSONValue {
    let data: Data
    var status = stat()
    if stat(file, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR {
      throw ConfigurationError(
        source: file, path: "", message: "is a directory, not a configuration file")
    }
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: file))
    } catch {
      throw ConfigurationError(
        source: file, path: "", message: "cannot read the file (\(error.localizedDescription))")
    }
    do {
      return try JSONParser.parse(bytes: [UInt8](data))
    } catch {
      throw ConfigurationError(source: file, path: "", message: "malformed JSON at \(error)")
    }
  }

  /// Applies every key of a JSON object (nested sections or dotted keys) over this configuration.
  public mutating func apply(json: JSONValue, source: String) throws(ConfigurationError) {
    try apply(
      JSONObjectReader(json, file: source) {
        "the top level must be a JSON object, got \($0.typeName)"
      })
  }

  private mutating func apply(_ object: JSONObjectReader<ConfigurationError>)
    throws(ConfigurationError)
  {
    for (name, value) in object.members {
      let path = object.keyPath(name)
      if path == "events" {
        events = try ScenarioEvent.parseList(value, source: object.file)
      } else if ConfigurationKeys.key(path) != nil || Scenario.fields.contains(path) {
        try set(path: path, value: value, source: object.file)
      } else if ConfigurationKeys.sections.contains(path) {
        try apply(object.object(name, "must be an object of keys"))
      } else {
        throw object.error(
          name,
          "unknown key \(ConfigurationKeys.shown(path))" + ConfigurationKeys.suggestion(for: path))
      }
    }
  }

  /// Applies one `key.path=value` override; the value is JSON when it parses, else a string.
  ///
  /// A value that parses as JSON but does not fit the key is tried once more as plain text, so
  /// a text key takes `name=2024` or `description=true` as written; if the text does not fit
  /// either, the error is about the JSON value.
  public mutating func apply(override: String, source: String = "--set")
    throws(ConfigurationError)
  {
    guard let equals = override.firstIndex(of: "="), equals != override.startIndex else {
      throw ConfigurationError(
        source: source, path: "",
        message: "expected key.path=value, got \"\(override)\"")
    }
    let path = String(override[..<equals])
    let text = String(override[override.index(after: equals)...])
    guard let value = try? JSONParser.parse(text), value != .string(text) else {
      try set(path: path, value: .string(text), source: source)
      return
    }
    do {
      try set(path: path, value: value, source: source)
    } catch {
      var asText = self
      guard (try? asText.set(path: path, value: .string(text), source: source)) != nil else {
        throw error
      }
      self = asText
    }
  }

  /// Sets one key by its dotted path, validating the value.
  public mutating func set(path: String, value: JSONValue, source: String)
    throws(ConfigurationError)
  {
    if path == "events" {
      events = try ScenarioEvent.parseList(value, source: source)
      return
    }
    if Scenario.fields.contains(path) {
      throw Configuration.scenarioFieldError(path, source: source)
    }
    guard let key = ConfigurationKeys.key(path) else {
      throw ConfigurationError(
        source: source, path: path,
        message: "unknown key \(ConfigurationKeys.shown(path))"
          + ConfigurationKeys.suggestion(for: path))
    }
    do {
      try key.set(value, in: &self)
    } catch {
      throw ConfigurationError(source: source, path: path, problem: error, value: value)
    }
  }

  /// `extends` and `replaceEvents` outside the top level of a scenario file.
  static func scenarioFieldError(_ path: String, source: String) -> ConfigurationError {
    ConfigurationError(
      source: source, path: path,
      message:
        "\(path) belongs at the top level of a scenario file, not in a section, --set or an event"
    )
  }

  /// Checks the rules that tie keys together, then every scenario event.
  public func validate(source: String) throws(ConfigurationError) {
    try validateRules(source: source)
    try validateEvents { EventOrigin(source: source, index: $0) }
  }

  /// Checks the rules that tie keys together, events aside.
  func validateRules(source: String) throws(ConfigurationError) {
    let shares = population.initialShares
    let total = shares.bigtech + shares.startup + shares.unemployed
    if abs(total - 1) > 1e-9 {
      throw ConfigurationError(
        source: source, path: "population.initialShares",
        message:
          "population.initialShares must sum to 1, got \(JSONValue.number(total).serialized()) "
          + "(bigtech \(JSONValue.number(shares.bigtech).serialized()), "
          + "startup \(JSONValue.number(shares.startup).serialized()), "
          + "unemployed \(JSONValue.number(shares.unemployed).serialized()))")
    }
    if equity.cliffTicks > equity.vestTicks {
      throw ConfigurationError(
        source: source, path: "equity.cliffTicks",
        message:
          "equity.cliffTicks must not exceed equity.vestTicks (\(equity.vestTicks)), got \(equity.cliffTicks)"
      )
    }
    if bigtech.rsuMin > bigtech.rsuMax {
      throw ConfigurationError(
        source: source, path: "bigtech.rsuMin",
        message:
          "bigtech.rsuMin must not exceed bigtech.rsuMax (\(JSONValue.number(bigtech.rsuMax).serialized())), got \(JSONValue.number(bigtech.rsuMin).serialized())"
      )
    }
    if bigtech.rsuPerYear < bigtech.rsuMin || bigtech.rsuPerYear > bigtech.rsuMax {
      throw ConfigurationError(
        source: source, path: "bigtech.rsuPerYear",
        message:
          "bigtech.rsuPerYear must lie in [bigtech.rsuMin, bigtech.rsuMax], got \(JSONValue.number(bigtech.rsuPerYear).serialized())"
      )
    }
    let bigTechTarget = (Double(population.size) * shares.bigtech).rounded(.toNearestOrAwayFromZero)
    if bigTechTarget > 0 && firms.bigTech > Int(bigTechTarget) {
      throw ConfigurationError(
        source: source, path: "firms.bigTech",
        message:
          "firms.bigTech must not exceed the initial big-tech headcount (\(Int(bigTechTarget))), got \(firms.bigTech)"
      )
    }
    let startupTarget = (Double(population.size) * shares.startup).rounded(.toNearestOrAwayFromZero)
    if firms.startups > Int(startupTarget) {
      throw ConfigurationError(
        source: source, path: "firms.startups",
        message:
          "firms.startups must not exceed the initial startup headcount (\(Int(startupTarget))), got \(firms.startups)"
      )
    }
    if startupTarget > 0 && firms.startups == 0 {
      throw ConfigurationError(
        source: source, path: "firms.startups",
        message: "firms.startups must be positive when population.initialShares.startup is, got 0")
    }
  }

  /// The fully resolved configuration as a nested JSON object, keys in `ConfigurationKeys` order.
  public func resolvedJSON() -> JSONValue {
    var root = OrderedObject()
    for key in ConfigurationKeys.all {
      root.insert(path: key.path.split(separator: ".").map(String.init), value: key.value(in: self))
    }
    root.insert(path: ["events"], value: .array(events.map { $0.json }))
    return root.json
  }
}

/// A small ordered-object builder for nesting dotted paths.
struct OrderedObject {
  /// The nested object of `pairs` of dotted key paths and values, in their order.
  static func nesting(_ pairs: [(path: String, value: JSONValue)]) -> JSONValue {
    var root = OrderedObject()
    for (path, value) in pairs {
      root.insert(path: path.split(separator: ".").map(String.init), value: value)
    }
    return root.json
  }

  var members: [(key: String, value: Node)] = []

  indirect enum Node {
    case leaf(JSONValue)
    case object(OrderedObject)
  }

  mutating func insert(path: [String], value: JSONValue) {
    guard let head = path.first else { return }
    if path.count == 1 {
      members.append((head, .leaf(value)))
      return
    }
    if let i = members.firstIndex(where: { $0.key == head }),
      case .object(var inner) = members[i].value
    {
      inner.insert(path: Array(path.dropFirst()), value: value)
      members[i].value = .object(inner)
    } else {
      var inner = OrderedObject()
      inner.insert(path: Array(path.dropFirst()), value: value)
      members.append((head, .object(inner)))
    }
  }

  var json: JSONValue {
    .object(
      members.map { member in
        switch member.value {
        case .leaf(let v): return (member.key, v)
        case .object(let o): return (member.key, o.json)
        }
      })
  }
}

extension ConfigurationKeys {
  /// A key as a message shows it: as written, or in JSON quotes when it is empty or holds a
  /// space or an invisible character (so that `"seed "` is not shown as `seed`).
  public static func shown(_ key: String) -> String {
    let plain =
      !key.isEmpty
      && key.unicodeScalars.allSatisfy { scalar in
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator:
          return false
        default: return !scalar.properties.isWhitespace && scalar != "\""
        }
      }
    return plain ? key : JSONValue.string(key).serialized()
  }

  /// Keys of earlier model versions and what replaced them, for the message that refuses them.
  static let retired: [String: String] = [
    "founding.rate":
      "model 1.3 replaced it: founding is a choice (Model.md 4.7), and ideas come at "
      + "founding.opportunityRate",
    "founding.wealthBoost":
      "model 1.3 replaced it: wealth cushions the risk of founding, founding.wealthCushion "
      + "(Model.md 4.7)",
  ]

  /// " (did you mean x?)" for the known key nearest to a mistyped one, what replaced a retired
  /// key, or "".
  static func suggestion(for path: String) -> String {
    if let replacement = retired[path] { return " (\(replacement))" }
    let candidates = all.map(\.path) + sections.sorted() + ["events"] + Scenario.fields
    let near = didYouMean(
      path, among: candidates, within: max(2, path.count / 3), ignoringCase: true)
    if !near.isEmpty { return near }
    // Else the same last component in another section: a key put in the wrong place.
    let last = path.split(separator: ".").last.map(String.init) ?? path
    if let match = all.first(where: { $0.path.hasSuffix("." + last) }) {
      return " (did you mean \(match.path)?)"
    }
    return ""
  }
}
