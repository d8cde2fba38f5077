/// Reading, checking and writing scenario events (MODEL 4.10).
extension ScenarioEvent {
  /// The event as it appears in a configuration file.
  public var json: JSONValue {
    var members: [(key: String, value: JSONValue)] = [("tick", .number(Double(tick)))]
    switch action {
    case .set(let path, let value):
      members += [("type", .string("set")), ("path", .string(path)), ("value", value)]
    case .layoffs(let sector, let fraction):
      members += [
        ("type", .string("layoffs")), ("sector", .string(sector.name)),
        ("fraction", .number(fraction)),
      ]
    case .fundingShock(let multiplier, let ticks):
      members += [
        ("type", .string("fundingShock")), ("multiplier", .number(multiplier)),
        ("ticks", .number(Double(ticks))),
      ]
    case .entrySurge(let count):
      members += [("type", .string("entrySurge")), ("count", .number(Double(count)))]
    }
    return .object(members)
  }

  static let fieldsByType: [String: [String]] = [
    "set": ["path", "value"],
    "layoffs": ["sector", "fraction"],
    "fundingShock": ["multiplier", "ticks"],
    "entrySurge": ["count"],
  ]

  /// Parses the `events` list of a configuration or scenario file.
  static func parseList(_ value: JSONValue, source: String) throws(ConfigurationError)
    -> [ScenarioEvent]
  {
    guard let items = value.arrayValue else {
      throw ConfigurationError(
        source: source, path: "events",
        message: "events must be a list of event objects, got \(value.serialized(pretty: false))")
    }
    var events: [ScenarioEvent] = []
    for (index, item) in items.enumerated() {
      events.append(try parse(item, path: "events[\(index)]", source: source))
    }
    return events
  }

  private static func parse(_ item: JSONValue, path: String, source: String)
    throws(ConfigurationError) -> ScenarioEvent
  {
    func fail(_ field: String, _ requirement: String, _ value: JSONValue?) -> ConfigurationError {
      let shown = value.map { ", got \($0.serialized(pretty: false))" } ?? ""
      return ConfigurationError(
        source: source, path: "\(path).\(field)", message: "\(path).\(field) \(requirement)\(shown)")
    }
    guard let members = item.objectValue else {
      throw ConfigurationError(
        source: source, path: path,
        message: "\(path) must be an object like {\"tick\": 24, \"type\": \"set\", …}, got \(item.serialized(pretty: false))"
      )
    }
    guard let typeValue = item["type"] else {
      throw fail("type", "is missing (one of set, layoffs, fundingShock, entrySurge)", nil)
    }
    guard let type = typeValue.stringValue, let fields = fieldsByType[type] else {
      throw fail("type", "must be one of set, layoffs, fundingShock, entrySurge", typeValue)
    }
    for (name, _) in members where name != "tick" && name != "type" && !fields.contains(name) {
      let known = (["tick", "type"] + fields).joined(separator: ", ")
      throw ConfigurationError(
        source: source, path: "\(path).\(name)",
        message: "unknown field \(ConfigurationKeys.shown("\(path).\(name)")) for "
          + "\(type == "entrySurge" ? "an" : "a") \(type) event (fields: \(known))")
    }
    guard let tickValue = item["tick"] else { throw fail("tick", "is missing", nil) }
    guard let tick = tickValue.intValue, tick >= 1 else {
      throw fail("tick", "must be an integer ≥ 1 (events apply from tick 1 on)", tickValue)
    }
    for field in fields where item[field] == nil {
      throw fail(field, "is missing", nil)
    }
    let action: Action
    switch type {
    case "set":
      guard let p = item["path"]?.stringValue else {
        throw fail("path", "must be a configuration key path", item["path"])
      }
      action = .set(path: p, value: item["value"] ?? .null)
    case "layoffs":
      let sectorValue = item["sector"] ?? .null
      let sector: FirmType
      switch sectorValue.stringValue {
      case "bigtech": sector = .bigtech
      case "startup": sector = .startup
      default: throw fail("sector", "must be \"bigtech\" or \"startup\"", sectorValue)
      }
      let fractionValue = item["fraction"] ?? .null
      guard let fraction = fractionValue.doubleValue, fraction >= 0, fraction <= 1 else {
        throw fail("fraction", "must be a fraction in [0, 1]", fractionValue)
      }
      action = .layoffs(sector: sector, fraction: fraction)
    case "fundingShock":
      let m = item["multiplier"] ?? .null
      guard let multiplier = m.doubleValue, multiplier >= 0, multiplier.isFinite else {
        throw fail("multiplier", "must be a non-negative number", m)
      }
      let t = item["ticks"] ?? .null
      guard let ticks = t.intValue, ticks >= 1 else {
        throw fail("ticks", "must be a positive integer", t)
      }
      action = .fundingShock(multiplier: multiplier, ticks: ticks)
    default:
      let c = item["count"] ?? .null
      guard let count = c.intValue, count >= 0, count < 1 << 31 else {
        throw fail("count", "must be a non-negative integer", c)
      }
      action = .entrySurge(count: count)
    }
    return ScenarioEvent(tick: tick, action: action)
  }

  /// Checks that a `set` event names a key that may change during a run, with a valid value.
  ///
  /// `index` is the event's position in `config.events`; `label`, the index that messages show
  /// (its position in the file it was written in, for a scenario's `extends` chain), defaults
  /// to it.
  func validate(in config: Configuration, source: String, index: Int, label: Int? = nil)
    throws(ConfigurationError)
  {
    guard case .set(let path, _) = action else { return }
    let shown = label ?? index
    let fixed: Set<String> = [
      "name", "description", "seed", "time.ticksPerYear", "time.ticks", "time.warmup",
      "population.size", "population.initialShares.bigtech", "population.initialShares.startup",
      "population.initialShares.unemployed", "firms.bigTech", "firms.startups",
      "output.firmsEvery", "output.agents", "output.moves",
    ]
    let field = "events[\(shown)].path"
    guard ConfigurationKeys.key(path) != nil else {
      throw ConfigurationError(
        source: source, path: field,
        message: "\(field): unknown key \(ConfigurationKeys.shown(path))"
          + ConfigurationKeys.suggestion(for: path))
    }
    if fixed.contains(path) {
      throw ConfigurationError(
        source: source, path: field,
        message: "\(field): \(path) is fixed for the whole run and cannot be set by an event")
    }
    // Apply every earlier-or-equal `set` event too, so that events that are each valid but
    // together break a cross-key rule are caught before the run, not during it.
    var copy = config
    copy.events = []
    do {
      let earlier = config.events.enumerated().filter { k, e in
        e.tick < tick || (e.tick == tick && k <= index)
      }
      for (_, event) in earlier {
        if case .set(let p, let v) = event.action { try copy.set(path: p, value: v, source: source) }
      }
      try copy.validate(source: source)
    } catch {
      throw ConfigurationError(
        source: source, path: "events[\(shown)].value",
        message: "events[\(shown)].value: \(error.message)")
    }
  }
}
