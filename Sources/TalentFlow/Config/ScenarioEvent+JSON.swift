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
    guard tick <= maximumTick else {
      throw fail("tick", "must be at most \(maximumTick), the last tick a run can reach", tickValue)
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
      let bound = Configuration.FundingPoint.multiplierBound
      guard let multiplier = m.doubleValue, bound.contains(multiplier) else {
        throw fail("multiplier", "must be a number in \(bound.interval)", m)
      }
      let t = item["ticks"] ?? .null
      guard let ticks = t.intValue, ticks >= 1 else {
        throw fail("ticks", "must be a positive integer", t)
      }
      guard ticks <= maximumTick else {
        throw fail("ticks", "must be at most \(maximumTick), the last tick a run can reach", t)
      }
      action = .fundingShock(multiplier: multiplier, ticks: ticks)
    default:
      let c = item["count"] ?? .null
      guard let count = c.intValue, count >= 0 else {
        throw fail("count", "must be a non-negative integer", c)
      }
      guard count <= PopulationLimit.maximum else {
        throw fail(
          "count",
          "must be at most \(PopulationLimit.maximum), the most professionals a run may hold",
          c)
      }
      action = .entrySurge(count: count)
    }
    return ScenarioEvent(tick: tick, action: action)
  }

  /// The last tick an event may name, and the longest a `fundingShock` may last: ticks are
  /// 32-bit in the random streams (MODEL 7), so no run reaches a later one.
  public static let maximumTick = Int(Int32.max)

  /// Keys fixed for the whole run, which a `set` event cannot change (MODEL 4.10).
  static let fixedPaths: Set<String> = [
    "name", "description", "seed", "time.ticksPerYear", "time.ticks", "time.warmup",
    "population.size", "population.initialShares.bigtech", "population.initialShares.startup",
    "population.initialShares.unemployed", "firms.bigTech", "firms.startups",
    "output.firmsEvery", "output.agents", "output.moves",
  ]

  /// Checks that a `set` event names a key that may change during a run; `label` is the index
  /// messages show.
  func checkPath(source: String, label: Int) throws(ConfigurationError) {
    guard case .set(let path, _) = action else { return }
    let field = "events[\(label)].path"
    guard ConfigurationKeys.key(path) != nil else {
      throw ConfigurationError(
        source: source, path: field,
        message: "\(field): unknown key \(ConfigurationKeys.shown(path))"
          + ConfigurationKeys.suggestion(for: path))
    }
    if ScenarioEvent.fixedPaths.contains(path) {
      throw ConfigurationError(
        source: source, path: field,
        message: "\(field): \(path) is fixed for the whole run and cannot be set by an event")
    }
  }
}

extension Configuration {
  /// Checks every event against the configuration it will change (MODEL 4.10).
  ///
  /// Each `set` event must name a key that may change during a run. Then the `set` events are
  /// applied to one copy of the configuration in the order the run applies them (by tick, then
  /// in list order), and the cross-key rules are checked after each, so that events that are
  /// each valid but together break a rule are caught before the run, not during it. One pass
  /// after a sort: 20,000 events take milliseconds. `origin(k)` says where event `k` was
  /// written, for the messages.
  func validateEvents(origin: (Int) -> EventOrigin) throws(ConfigurationError) {
    for (k, event) in events.enumerated() {
      let written = origin(k)
      try event.checkPath(source: written.source, label: written.index)
    }
    let order = events.indices.filter { k in
      if case .set = events[k].action { return true }
      return false
    }.sorted { a, b in (events[a].tick, a) < (events[b].tick, b) }
    var copy = self
    copy.events = []
    for k in order {
      guard case .set(let path, let value) = events[k].action else { continue }
      let written = origin(k)
      do {
        try copy.set(path: path, value: value, source: written.source)
        try copy.validateRules(source: written.source)
      } catch {
        throw ConfigurationError(
          source: written.source, path: "events[\(written.index)].value",
          message: "events[\(written.index)].value: \(error.message)")
      }
    }
  }
}
