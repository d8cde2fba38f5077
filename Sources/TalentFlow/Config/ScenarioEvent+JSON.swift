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
    let event = try JSONObjectReader<ConfigurationError>(item, file: source, path: path) {
      "\(path) must be an object like {\"tick\": 24, \"type\": \"set\", …}, got "
        + $0.serialized(pretty: false)
    }
    let types = "set, layoffs, fundingShock, entrySurge"
    let type = try event.string(
      "type", "must be one of \(types)",
      missing: .message("\(event.keyPath("type")) is missing (one of \(types))")
    ) { fieldsByType[$0] != nil }
    let fields = fieldsByType[type] ?? []
    try event.checkKeys(["tick", "type"] + fields) { keyPath, _ in
      "unknown field \(ConfigurationKeys.shown(keyPath)) for "
        + "\(type == "entrySurge" ? "an" : "a") \(type) event (fields: "
        + (["tick", "type"] + fields).joined(separator: ", ") + ")"
    }
    let tick = try event.integer("tick", "must be an integer ≥ 1 (events apply from tick 1 on)") {
      $0 >= 1
    }
    let lastTick = "must be at most \(maximumTick), the last tick a run can reach"
    guard tick <= maximumTick else { throw event.invalid("tick", lastTick, event["tick"]) }
    for field in fields where event[field] == nil {
      throw event.invalid(field, "is missing", nil)
    }
    let action: Action
    switch type {
    case "set":
      let key = try event.string("path", "must be a configuration key path")
      action = .set(path: key, value: event["value"] ?? .null)
    case "layoffs":
      let sector = try event.required(
        "sector", "must be \"bigtech\" or \"startup\"",
        as: { value in [FirmType.bigtech, .startup].first { $0.name == value.stringValue } })
      let fraction = try event.double("fraction", "must be a fraction in [0, 1]") {
        $0 >= 0 && $0 <= 1
      }
      action = .layoffs(sector: sector, fraction: fraction)
    case "fundingShock":
      let bound = Configuration.FundingPoint.multiplierBound
      let multiplier = try event.double("multiplier", "must be a number in \(bound.interval)") {
        bound.contains($0)
      }
      let ticks = try event.integer("ticks", "must be a positive integer") { $0 >= 1 }
      guard ticks <= maximumTick else { throw event.invalid("ticks", lastTick, event["ticks"]) }
      action = .fundingShock(multiplier: multiplier, ticks: ticks)
    default:
      let count = try event.integer("count", "must be a non-negative integer") { $0 >= 0 }
      guard count <= PopulationLimit.maximum else {
        throw event.invalid(
          "count",
          "must be at most \(PopulationLimit.maximum), the most professionals a run may hold",
          event["count"])
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
