import Foundation

/// A deterministic generator of hostile-but-plausible `talentflow` inputs.
///
/// Each case starts from a small valid configuration (100–400 professionals, a few startups,
/// 0–3 warm-up and 1–12 recorded ticks, so a run takes a fraction of a second) and applies
/// 1–4 mutations: a key of the key table at a bound, just outside it, huge, tiny, of the wrong
/// type; unknown, misspelt and duplicate keys; malformed JSON; scenario events; `extends`
/// chains; and, for a quarter of the cases, odd command-line options. In two cases of five
/// every mutation is one the key table allows (bounds, extremes within range, valid events and
/// options), so that many runs go all the way on hostile values. The same seed and case number
/// always give the same bytes.
enum ConfigurationFuzzer {
  /// Case `number` of the fuzz run with `seed`.
  static func makeCase(seed: UInt64, number: Int) -> FuzzCase {
    var builder = FuzzCaseBuilder(seed: seed, number: number)
    return builder.build()
  }
}

/// The state of one case while its mutations are drawn.
struct FuzzCaseBuilder {
  private var random: FuzzRandom
  private var fuzzCase: FuzzCase
  private var document = FuzzJSON.object([])
  private var edits: [TextEdit] = []
  private var pretty: Bool
  /// Whether every mutation must leave the input valid on its own (the "edges" cases).
  private var edgesOnly: Bool
  /// Valid values written for the keys that decide a run's cost, by path.
  private var sizes: [String: [Double]] = [:]
  private var surges: [Double] = []
  private var ticks = 1
  /// Why the input must be refused, each with the key path whose value it is about (nil when
  /// it is about the whole file), so that a later value written in the same place drops it.
  private var claims: [(path: String?, text: String)] = []

  /// Text in the serialised configuration that a `placeholder` edit replaces with raw bytes.
  private static let marker = "@@fuzz-bytes@@"

  /// A change to the configuration's bytes after it is serialised.
  private enum TextEdit {
    case placeholder([UInt8])
    case truncate(Double)
    case trailingComma
    case prefix([UInt8])
    case suffix([UInt8])
    case whole([UInt8])
    case crlf
  }

  /// The keys whose values decide how long a run takes and how much memory it needs.
  private static let costKeys: Set<String> = [
    "population.size", "time.ticks", "time.warmup", "time.ticksPerYear",
    "population.entryPerYear",
  ]

  init(seed: UInt64, number: Int) {
    random = FuzzRandom(seed: seed, number: number)
    fuzzCase = FuzzCase(seed: seed, number: number)
    pretty = random.chance(0.5)
    edgesOnly = random.chance(0.4)
  }

  /// Draws the whole case.
  mutating func build() -> FuzzCase {
    makeBase()
    var kinds = (0..<random.int(1...4)).map { _ in
      random.weighted([
        (50, Mutation.key), (14, .events), (edgesOnly ? 0 : 7, .unknownKey),
        (edgesOnly ? 0 : 3, .duplicateKey), (edgesOnly ? 0 : 2, .section), (10, .syntax),
        (4, .extends),
      ])
    }
    // One `extends` and one syntax change at most; a duplicate key and a syntax change last,
    // so that no later mutation replaces what they broke.
    if kinds.filter({ $0 == .extends }).count > 1 {
      kinds = kinds.filter { $0 != .extends } + [.extends]
    }
    kinds =
      kinds.filter { $0 != .duplicateKey && $0 != .syntax }
      + kinds.filter { $0 == .duplicateKey }.prefix(1) + kinds.filter { $0 == .syntax }.prefix(1)
    for kind in kinds {
      mutate { builder in
        switch kind {
        case .key: builder.mutateKey()
        case .events: builder.mutateEvents()
        case .unknownKey: builder.mutateUnknownKey()
        case .duplicateKey: builder.mutateDuplicateKey()
        case .section: builder.mutateSection()
        case .syntax: builder.mutateSyntax()
        case .extends: builder.mutateExtends()
        }
      }
    }
    if random.chance(0.25) {
      for _ in 0..<random.int(1...2) { mutate { $0.mutateCommandLine() } }
    }
    if random.chance(0.03) { mutate { $0.mutateFile() } }
    fuzzCase.fileLast = fuzzCase.validateUsage == nil && random.chance(0.2)
    writeConfiguration()
    assessCost()
    fuzzCase.invalidBecause = claims.map(\.text)
    if fuzzCase.threads == "2" && fuzzCase.runUsage == nil && random.chance(0.06) {
      fuzzCase.compareThreads = true
      fuzzCase.threads = "1"
    }
    fuzzCase.replay = random.chance(0.04)
    fuzzCase.roundTrip = random.chance(0.5)
    fuzzCase.defaultOut = random.chance(0.15)
    if !fuzzCase.checkpoint && fuzzCase.runUsage == nil && random.chance(0.04) {
      fuzzCase.runOptions += ["--checkpoint-every", String(random.int(1...3))]
      fuzzCase.checkpoint = true
      fuzzCase.mutations.append("--checkpoint-every")
    }
    return fuzzCase
  }

  /// Applies one mutation; in an "edges" case, draws it again (up to 30 times, else not at
  /// all) until it leaves the input valid on its own.
  private mutating func mutate(_ body: (inout FuzzCaseBuilder) -> Void) {
    guard edgesOnly else {
      body(&self)
      return
    }
    for _ in 0..<30 {
      let saved = self
      body(&self)
      let before = Set(saved.claims.map(\.text))
      if claims.allSatisfy({ before.contains($0.text) }) && fuzzCase.runUsage == nil
        && fuzzCase.validateUsage == nil
      {
        return
      }
      let random = self.random
      self = saved
      self.random = random
    }
  }

  /// The kinds of change to the starting configuration.
  private enum Mutation {
    case key, events, unknownKey, duplicateKey, section, syntax, extends
  }

  // MARK: - The valid starting point

  private mutating func makeBase() {
    let size = random.int(100...400)
    ticks = random.int(1...12)
    let warmup = random.int(0...3)
    put(["name"], .string("fuzz"))
    put(["seed"], .integer(random.int(0...999_999)))
    put(["population", "size"], .integer(size))
    put(["firms", "startups"], .integer(random.int(1...8)))
    if random.chance(0.3) { put(["firms", "bigTech"], .integer(random.int(1...10))) }
    put(["time", "warmup"], .integer(warmup))
    put(["time", "ticks"], .integer(ticks))
    record("population.size", Double(size))
    record("time.ticks", Double(ticks))
    record("time.warmup", Double(warmup))
    if random.chance(0.3) {
      put(["output", "firmsEvery"], .integer(random.pick([0, 1, 3, 12])))
    }
    if random.chance(0.2) {
      put(["output", "agents"], random.pick([.string("final"), .integer(1), .integer(3)]))
    }
    if random.chance(0.3) { put(["output", "moves"], .literal("true")) }
    if random.chance(0.25) {
      let events: [FuzzJSON] = (0..<random.int(1...2)).map { _ in
        let tick = FuzzJSON.integer(random.int(1...ticks))
        return random.pick([
          event(tick, "layoffs", [("sector", .string("bigtech")), ("fraction", .literal("0.1"))]),
          event(tick, "fundingShock", [("multiplier", .literal("0.5")), ("ticks", .integer(3))]),
          event(tick, "entrySurge", [("count", .integer(50))]),
          event(
            tick, "set", [("path", .string("policy.nonCompete")), ("value", .literal("0.5"))]),
        ])
      }
      put(["events"], .array(events))
    }
  }

  private func event(_ tick: FuzzJSON, _ type: String, _ fields: [(String, FuzzJSON)])
    -> FuzzJSON
  {
    .object(
      [FuzzJSON.Member(key: "tick", value: tick), .init(key: "type", value: .string(type))]
        + fields.map { FuzzJSON.Member(key: $0.0, value: $0.1) })
  }

  /// Puts a value at a key path, nested or dotted at random; a value it replaces no longer
  /// makes the input invalid.
  private mutating func put(_ path: [String], _ value: FuzzJSON) {
    place(path, value, nestedDepth: random.pick([0, 1, 2, 9]))
  }

  private mutating func place(_ path: [String], _ value: FuzzJSON, nestedDepth: Int) {
    if document.put(path, value, nestedDepth: nestedDepth) {
      let dotted = path.joined(separator: ".")
      claims.removeAll { $0.path == dotted }
    }
  }

  /// Notes a valid value of a key that decides a run's cost.
  private mutating func record(_ path: String, _ value: Double) {
    if FuzzCaseBuilder.costKeys.contains(path) { sizes[path, default: []].append(value) }
  }

  /// Describes a mutation; `invalid` when it alone makes every loader refuse the input.
  private mutating func note(_ text: String, invalid: Bool = false, path: String? = nil) {
    fuzzCase.mutations.append(text)
    if invalid { claims.append((path, text)) }
  }

  // MARK: - Keys

  /// A key of the key table at one of its edges, or beyond.
  private mutating func mutateKey() {
    let key = random.pick(FuzzKey.all)
    let value = random.value(for: key)
    put(key.path.split(separator: ".").map(String.init), value.json)
    if key.path == "name" && value.text.count > 200 { fuzzCase.longName = true }
    note(
      "\(key.path) = \(shorten(value.text)) (\(value.label))", invalid: value.verdict == .invalid,
      path: key.path)
    if value.verdict == .valid, let x = value.number { record(key.path, x) }
  }

  /// A key no configuration has: misspelt, with a space, or nowhere in the table.
  private mutating func mutateUnknownKey() {
    let path: String
    if random.chance(0.6) {
      let known = random.pick(FuzzKey.all).path
      path = misspelling(of: known)
    } else {
      path = random.pick([
        "foo", "", " ", "population.size.extra", "time.events", "Seed", "seed ", " seed",
        "seed\u{200B}", "\u{440}opulation.size", "population..size", "population.", ".seed",
        "events.tick", "time.extends", "population.replaceEvents",
      ])
    }
    let value: FuzzJSON = random.pick([.literal("1"), .literal("0.5"), .string("x"), .array([])])
    if random.chance(0.5) {
      place([path], value, nestedDepth: 0)
    } else {
      put(path.split(separator: ".", omittingEmptySubsequences: false).map(String.init), value)
    }
    note("unknown key \(FuzzJSON.quoted(path))", invalid: true, path: path)
  }

  /// A known key path made unknown by one typing mistake.
  private mutating func misspelling(of path: String) -> String {
    for _ in 0..<8 {
      var c = Array(path)
      let k = random.below(c.count)
      switch random.below(8) {
      case 0: c.remove(at: k)
      case 1 where k + 1 < c.count: c.swapAt(k, k + 1)
      case 2: c.insert(c[k], at: k)
      case 3:
        // Key paths are ASCII, so a changed case is one character.
        let flipped = c[k].isUppercase ? c[k].lowercased() : c[k].uppercased()
        c[k] = Character(flipped)
      case 4: c.append(" ")
      case 5: c.insert(" ", at: 0)
      case 6: c.append("s")
      default: c.insert("\u{200B}", at: k)
      }
      let candidate = String(c)
      if FuzzKey.byPath[candidate] == nil && !isKnownName(candidate) && candidate != path {
        return candidate
      }
    }
    return path + "_unknown"
  }

  /// Whether a name is something other than a key that the loader accepts (a section, an event
  /// list, a scenario field).
  private func isKnownName(_ name: String) -> Bool {
    let sections = Set(
      FuzzKey.all.flatMap { key -> [String] in
        let parts = key.path.split(separator: ".").map(String.init)
        return (1..<max(parts.count, 1)).map { parts[0..<$0].joined(separator: ".") }
      })
    return sections.contains(name) || ["events", "extends", "replaceEvents"].contains(name)
  }

  /// The same key twice in one object, which a strict parser refuses.
  private mutating func mutateDuplicateKey() {
    guard case .object(var members) = document, !members.isEmpty else { return }
    let k = random.below(members.count)
    var target = members[k]
    if case .object(var inner) = target.value, !inner.isEmpty {
      let j = random.below(inner.count)
      inner.append(inner[j])
      target.value = .object(inner)
      members[k] = target
      note("duplicate key \(target.key).\(inner[j].key)", invalid: true)
    } else {
      members.append(target)
      note("duplicate key \(target.key)", invalid: true)
    }
    document = .object(members)
  }

  /// A section (`population`, `bigtech.attributes`) that is not an object.
  private mutating func mutateSection() {
    let path = random.pick([["population"], ["time"], ["bigtech", "attributes"], ["output"]])
    let value: FuzzJSON = random.pick([.literal("5"), .array([]), .literal("null"), .string("x")])
    place(path, value, nestedDepth: 9)
    note(
      "section \(path.joined(separator: ".")) = \(value.text(pretty: false))", invalid: true,
      path: path.joined(separator: "."))
  }

  // MARK: - JSON syntax

  /// Text that is not JSON, or JSON that is not a configuration object.
  private mutating func mutateSyntax() {
    let numeric = FuzzKey.all.filter {
      if case .number = $0.kind { return true }
      return false
    }
    let keyPath = random.pick(numeric).path.split(separator: ".").map(String.init)
    switch random.below(14) {
    case 0:
      edits.append(.truncate(random.unit()))
      note("truncated", invalid: true)
    case 1:
      edits.append(.trailingComma)
      note("trailing comma", invalid: true)
    case 2:
      edits.append(.prefix(Array(random.pick(["// comment\n", "/* comment */"]).utf8)))
      note("a comment", invalid: true)
    case 3:
      let literal = random.pick([
        "NaN", "Infinity", "-Infinity", "1e999", "-1e999", "007", "+1", ".5", "1.", "0x10", "1e",
        "--1", "'x'", "tru", "nul",
      ])
      put(keyPath, .literal(literal))
      note(
        "\(keyPath.joined(separator: ".")) = \(literal) (not JSON)", invalid: true,
        path: keyPath.joined(separator: "."))
    case 4:
      let depth = random.pick([300, 600, 100_000])
      let object = random.chance(0.5)
      let open =
        object ? String(repeating: "{\"a\":", count: depth) : String(repeating: "[", count: depth)
      let close = String(repeating: object ? "}" : "]", count: depth)
      put(keyPath, .literal(open + (object ? "1" : "") + close))
      note(
        "\(keyPath.joined(separator: ".")) nested \(depth) deep", invalid: true,
        path: keyPath.joined(separator: "."))
    case 5:
      let bytes = random.pick(
        [
          [0xFF], [0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
          [0xE2, 0x82],
        ] as [[UInt8]])
      put(["description"], .string("bad " + FuzzCaseBuilder.marker + " bytes"))
      edits.append(.placeholder(bytes))
      note("invalid UTF-8 \(bytes) in description", invalid: true)
    case 6:
      let bytes = random.pick([[0xFF], [0xC3, 0x28]] as [[UInt8]])
      place(["seed" + FuzzCaseBuilder.marker], .literal("1"), nestedDepth: 0)
      edits.append(.placeholder(bytes))
      note("invalid UTF-8 \(bytes) in a key", invalid: true)
    case 7:
      let byte = random.pick([0x00, 0x09, 0x0A, 0x1F] as [UInt8])
      put(["description"], .string("raw " + FuzzCaseBuilder.marker + " control"))
      edits.append(.placeholder([byte]))
      note("raw control byte \(byte) inside a string", invalid: true)
    case 8:
      put(["description"], .literal(random.pick(["\"\\udc00 first\"", "\"\\ud800\\u0041\""])))
      note("unpaired surrogate escape in description", invalid: true)
    case 9:
      let tail = random.pick([" x", "}", "{}", ",", "\u{0}", "[]"])
      edits.append(.suffix(Array(tail.utf8)))
      note("trailing \(FuzzJSON.quoted(tail)) after the object", invalid: true)
    case 10:
      let whole = random.pick(["", "   \n", "[]", "null", "5", "\"text\"", "{", "}", "[{}]"])
      edits.append(.whole(Array(whole.utf8)))
      note("the whole file is \(FuzzJSON.quoted(whole))", invalid: true)
    case 11:
      edits.append(.prefix([0xEF, 0xBB, 0xBF]))
      note("a UTF-8 byte order mark")
    case 12:
      pretty = true
      edits.append(.crlf)
      note("CR LF line ends")
    default:
      edits.append(.suffix(Array("\n\n\t ".utf8)))
      note("trailing white space")
    }
  }

  // MARK: - Events

  /// A scenario event list: events at, inside and outside the run, valid and not.
  private mutating func mutateEvents() {
    switch random.below(10) {
    case 0:
      let value: FuzzJSON = random.pick([
        .literal("5"), .object([]), .string("none"), .literal("null"),
      ])
      put(["events"], value)
      note("events = \(value.text(pretty: false))", invalid: true, path: "events")
    case 1:
      put(["events"], .array([]))
      note("events = []")
    default:
      var events: [FuzzJSON] = []
      var notes: [(text: String, invalid: Bool)] = []
      for _ in 0..<random.int(1...3) {
        let (event, text, invalid) = makeEvent()
        events.append(event)
        notes.append((text, invalid))
      }
      put(["events"], .array(events))
      for (text, invalid) in notes { note(text, invalid: invalid, path: "events") }
    }
  }

  /// One event, its description, and whether it alone makes the input invalid.
  private mutating func makeEvent() -> (FuzzJSON, String, Bool) {
    var members: [FuzzJSON.Member] = []
    var described: [String] = []
    var invalid = false
    var risk: String? = nil
    func add(_ key: String, _ value: FuzzJSON, _ isInvalid: Bool = false) {
      members.append(FuzzJSON.Member(key: key, value: value))
      described.append("\(key) \(shorten(value.text(pretty: false)))")
      if isInvalid { invalid = true }
    }
    // The tick: inside the run, after it, huge, or not a tick at all.
    var tick: Double? = nil
    switch random.weighted([(40, 0), (10, 1), (6, 2), (4, 3), (3, 4), (3, 5), (2, 6), (2, 7)]) {
    case 0: tick = Double(random.int(1...ticks))
    case 1: tick = Double(ticks + random.int(1...50))
    case 2:
      let text = random.pick([
        "1000000000", "2147483648", "9007199254740991", "9223372036854774784",
      ])
      add("tick", .literal(text))
      tick = Double(text)
    case 3: add("tick", .literal("0"), true)
    case 4: add("tick", .literal("-1"), true)
    case 5: add("tick", .literal("1.5"), true)
    case 6: add("tick", .string("1"), true)
    default:
      invalid = true
      described.append("no tick")
    }
    if let tick, tick < 1e9 { add("tick", .integer(Int(tick))) }
    let type = random.weighted([
      (30, "set"), (25, "layoffs"), (25, "fundingShock"), (20, "entrySurge"), (5, "bad"),
    ])
    switch type {
    case "set":
      add("type", .string("set"))
      switch random.below(10) {
      case 0:
        let known = random.pick(FuzzKey.all).path
        add("path", .string(misspelling(of: known)), true)
        add("value", .literal("1"))
      case 1:
        add("path", random.pick([.literal("5"), .literal("null")]), true)
        add("value", .literal("1"))
      default:
        let key = random.pick(FuzzKey.all)
        let fixed = FuzzKey.fixedDuringRun.contains(key.path)
        add("path", .string(key.path), fixed)
        if random.chance(0.05) {
          invalid = true
          described.append("no value")
        } else {
          let value = random.value(for: key)
          add("value", value.json, value.verdict == .invalid)
          if value.verdict == .valid, let x = value.number, !fixed { record(key.path, x) }
        }
      }
    case "layoffs":
      add("type", .string("layoffs"))
      let (sector, sectorInvalid): (FuzzJSON, Bool) = random.weighted([
        (5, (.string("bigtech"), false)), (5, (.string("startup"), false)),
        (1, (.string("unemployed"), true)), (1, (.string("BigTech"), true)),
        (1, (.literal("5"), true)),
      ])
      add("sector", sector, sectorInvalid)
      let (fraction, fractionInvalid): (String, Bool) = random.pick([
        ("0", false), ("1", false), ("0.5", false), ("0.05", false),
        ("1.0000000000000002", true), ("-1e-9", true), ("1e300", true), ("\"0.1\"", true),
        ("null", true),
      ])
      add("fraction", .literal(fraction), fractionInvalid)
    case "fundingShock":
      add("type", .string("fundingShock"))
      // nil: accepted today, perhaps bounded tomorrow.
      let (multiplier, multiplierInvalid): (String, Bool?) = random.pick([
        ("0", false), ("0.45", false), ("1", false), ("2", false), ("100", false),
        ("1e300", nil), ("-0.0", nil), ("-1", true), ("\"2\"", true),
      ])
      add("multiplier", .literal(multiplier), multiplierInvalid == true)
      let length: String
      var lengthInvalid = false
      switch random.weighted([(10, 0), (4, 1), (2, 2)]) {
      case 0: length = random.pick(["1", "3", "12", "1000"])
      case 1:
        length = random.pick([
          "2147483647", "2147483648", "9007199254740991", "9223372036854774784",
        ])
      default:
        length = random.pick(["0", "-3", "2.5", "null"])
        lengthInvalid = true
      }
      add("ticks", .literal(length), lengthInvalid)
      if let tick, let t = Double(length), tick + t > Double(Int32.max) {
        risk = "event-overflow: fundingShock at tick \(Int(tick)) for \(length) ticks"
      }
    case "entrySurge":
      add("type", .string("entrySurge"))
      let count: String
      switch random.weighted([(20, 0), (2, 1), (2, 2), (3, 3)]) {
      case 0:
        count = random.pick(["0", "1", "50", "1000", "10000"])
        surges.append(Double(count) ?? 0)
      case 1:
        // Valid and large: a slow run, not a bug (see assessCost).
        count = random.pick(["100000", "1000000"])
        surges.append(Double(count) ?? 0)
      case 2:
        count = random.pick(["100000000", "2147483647", "2147483648"])
        let when = tick.map { $0 <= Double(ticks) ? "at tick \(Int($0))" : "after the run" }
        risk = "entrySurge-memory: entrySurge of \(count) \(when ?? "")"
      default:
        count = random.pick(["-1", "1.5", "\"5\"", "null"])
        invalid = true
      }
      add("count", .literal(count))
    default:
      switch random.below(5) {
      case 0: add("type", .string("Set"), true)
      case 1: add("type", .string(""), true)
      case 2: add("type", .literal("5"), true)
      case 3: add("type", .literal("null"), true)
      default:
        invalid = true
        described.append("no type")
      }
      add("count", .literal("1"))
    }
    if random.chance(0.05) {
      // A field no event type has.
      add(random.pick(["foo", "Tick", "Type"]), .literal("1"), true)
    }
    if let risk, !invalid { fuzzCase.knownRisks.append(risk) }
    let text = "event {\(described.joined(separator: ", "))}"
    if random.chance(0.03) {
      let odd: FuzzJSON = random.pick([.literal("5"), .array([]), .string("x"), .literal("null")])
      return (odd, "an event that is \(odd.text(pretty: false))", true)
    }
    return (.object(members), text, invalid)
  }

  // MARK: - extends

  /// A scenario that extends another file: itself, a missing one, a folder, a valid parent, an
  /// invalid one, or one that extends it back.
  private mutating func mutateExtends() {
    switch random.below(9) {
    case 0:
      place(["extends"], .string(fuzzCase.configuration), nestedDepth: 0)
      note("extends itself", invalid: true)
    case 1:
      place(["extends"], .string("missing.json"), nestedDepth: 0)
      fuzzCase.sources.append("missing.json")
      note("extends a missing file", invalid: true)
    case 2:
      place(["extends"], .string("."), nestedDepth: 0)
      note("extends a folder", invalid: true)
    case 3:
      let value: FuzzJSON = random.pick([.literal("5"), .literal("null"), .array([])])
      place(["extends"], value, nestedDepth: 0)
      note("extends = \(value.text(pretty: false))", invalid: true)
    case 4:
      let value: FuzzJSON = random.pick([.literal("true"), .literal("false"), .string("yes")])
      place(["replaceEvents"], value, nestedDepth: 0)
      note(
        "replaceEvents = \(value.text(pretty: false))",
        invalid: value.text(pretty: false) == "\"yes\"")
    case 5:
      writeParent(#"{"extends": "input.json", "population": {"size": 150}}"#)
      note("extends a parent that extends it back", invalid: true)
    case 6:
      writeParent(#"{"population": {"size": -5}}"#)
      note("extends an invalid parent", invalid: true)
    default:
      let size = random.int(100...300)
      writeParent(
        #"{"description": "parent", "population": {"size": \#(size)}, "events": "#
          + #"[{"tick": 1, "type": "layoffs", "sector": "startup", "fraction": 0.2}]}"#
      )
      record("population.size", Double(size))
      note("extends a valid parent")
    }
  }

  private mutating func writeParent(_ text: String) {
    place(["extends"], .string("parent.json"), nestedDepth: 0)
    fuzzCase.files.append(FuzzFile(name: "parent.json", bytes: Array(text.utf8)))
    fuzzCase.sources.append("parent.json")
  }

  // MARK: - The command line

  /// An odd `--ticks`, `--seed`, `--set` or `--threads`, or an option without its value.
  private mutating func mutateCommandLine() {
    switch random.below(12) {
    case 0, 1:
      let (text, verdict): (String, Verdict) = random.pick([
        ("0", .valid), ("1", .valid), ("12", .valid), ("100000", .valid), ("100001", .invalid),
        ("-1", .invalid), ("1.5", .invalid), ("abc", .invalid), ("1e1", .valid),
        ("0x10", .invalid), (" 5", .unknown), ("", .invalid), ("1e999", .invalid),
      ])
      // The run takes the last --ticks only, validate every --set: one --ticks a case.
      if fuzzCase.runOptions.contains("--ticks") { return }
      fuzzCase.runOptions += ["--ticks", text]
      fuzzCase.validateOptions += ["--set", "time.ticks=\(text)"]
      note("--ticks \(FuzzJSON.quoted(text))", invalid: verdict == .invalid)
      if verdict == .valid, let x = Double(text) { record("time.ticks", x) }
    case 2:
      let (text, verdict): (String, Verdict) = random.pick([
        ("0", .valid), ("9007199254740991", .valid), ("9007199254740992", .invalid),
        ("-1", .invalid), ("1.5", .invalid), ("seed", .invalid), ("1e3", .valid),
        ("18446744073709551615", .invalid), ("00012", .invalid),
      ])
      if fuzzCase.runOptions.contains("--seed") { return }
      fuzzCase.runOptions += ["--seed", text]
      fuzzCase.validateOptions += ["--set", "seed=\(text)"]
      note("--seed \(FuzzJSON.quoted(text))", invalid: verdict == .invalid)
    case 3, 4, 5:
      let key = random.pick(FuzzKey.all)
      let value = random.value(for: key)
      // `--set` reads a value that is not JSON, or does not fit the key, as text; a text key
      // takes almost anything.
      var verdict = value.verdict
      if case .text = key.kind { verdict = .unknown }
      let option = "\(key.path)=\(value.text)"
      if key.path == "name" && value.text.count > 200 { fuzzCase.longName = true }
      fuzzCase.runOptions += ["--set", option]
      fuzzCase.validateOptions += ["--set", option]
      note("--set \(shorten(option)) (\(value.label))", invalid: verdict == .invalid)
      if verdict == .valid, let x = value.number { record(key.path, x) }
    case 6, 7:
      let (option, verdict): (String, Verdict) = random.pick([
        ("=5", .invalid), ("noequals", .invalid), ("population.size==5", .invalid),
        ("Population.size=100", .invalid), ("population.size =100", .invalid),
        (" population.size=100", .invalid), ("population.size= 100", .unknown),
        ("name=a/b", .invalid), ("name=", .unknown), ("extends=x.json", .invalid),
        ("events=[]", .valid), ("events=5", .invalid),
        (#"events=[{"tick":0,"type":"entrySurge","count":1}]"#, .invalid),
        (#"events=[{"tick":1,"type":"layoffs","sector":"bigtech","fraction":0.5}]"#, .valid),
        ("description=multi\nline", .valid), ("seed=00012", .invalid), ("time.ticks=1e1", .valid),
        ("policy.nonCompete=NaN", .invalid), ("output.agents=final", .valid),
        ("output.moves=yes", .invalid),
      ])
      fuzzCase.runOptions += ["--set", option]
      fuzzCase.validateOptions += ["--set", option]
      note("--set \(FuzzJSON.quoted(option))", invalid: verdict == .invalid)
      if option == "time.ticks=1e1" { record("time.ticks", 10) }
    case 8 where fuzzCase.threads == "2", 9 where fuzzCase.threads == "2":
      let text = random.pick([
        "1", "2", "1024", "+2", "0002", "0", "-1", "1025", "two", "2.0", "", " 2",
        "99999999999999999999",
      ])
      fuzzCase.threads = text
      if !(Int(text).map { (1...1024).contains($0) } ?? false) {
        fuzzCase.runUsage = "--threads \(FuzzJSON.quoted(text))"
      }
      note("--threads \(FuzzJSON.quoted(text))")
    case 10:
      switch random.below(4) {
      case 0:
        fuzzCase.runOptions += ["--set"]
        fuzzCase.validateOptions += ["--set"]
        fuzzCase.runUsage = "--set without a value"
        fuzzCase.validateUsage = "--set without a value"
      case 1:
        fuzzCase.runOptions += ["--ticks"]
        fuzzCase.runUsage = "--ticks without a value"
      case 2:
        fuzzCase.runOptions += ["--tick", "5"]
        fuzzCase.runUsage = "unknown option --tick"
      default:
        fuzzCase.runOptions += ["--set", "--quiet"]
        fuzzCase.validateOptions += ["--set", "--quiet"]
        fuzzCase.runUsage = "--set followed by an option"
        fuzzCase.validateUsage = "--set followed by an option"
      }
      note("usage error: \(fuzzCase.runUsage ?? "")")
    default:
      switch random.below(3) {
      case 0:
        fuzzCase.runOptions += ["--force"]
        note("--force")
      case 1:
        fuzzCase.runOptions += ["--checkpoint-every", "1"]
        fuzzCase.checkpoint = true
        note("--checkpoint-every 1")
      default:
        fuzzCase.runOptions += ["--report"]
        fuzzCase.report = true
        note("--report")
      }
    }
  }

  // MARK: - The file itself

  /// A configuration that is missing, a folder, or has an odd name.
  private mutating func mutateFile() {
    switch random.below(4) {
    case 0:
      fuzzCase.configuration = "missing.json"
      fuzzCase.writesConfiguration = false
      note("the configuration file does not exist", invalid: true)
    case 1:
      fuzzCase.folders.append(fuzzCase.configuration)
      fuzzCase.writesConfiguration = false
      note("the configuration is a folder", invalid: true)
    case 2:
      fuzzCase.configuration = "in put ü,x.json"
      note("a file name with a space, a comma and non-ASCII")
    default:
      fuzzCase.configuration = "configuration"
      note("a file name without .json")
    }
    fuzzCase.sources.append(fuzzCase.configuration)
  }

  // MARK: - Finishing

  private mutating func writeConfiguration() {
    fuzzCase.sources.append(fuzzCase.configuration)
    var bytes = Array(document.text(pretty: pretty).utf8)
    for edit in edits {
      switch edit {
      case .placeholder(let replacement):
        bytes = replacing(Array(FuzzCaseBuilder.marker.utf8), with: replacement, in: bytes)
      case .truncate(let fraction):
        // Somewhere before the closing brace, so the text is never complete.
        let last = bytes.lastIndex(of: UInt8(ascii: "}")) ?? bytes.count
        bytes = Array(bytes.prefix(max(0, min(last, Int(Double(last) * fraction)))))
      case .trailingComma:
        if let last = bytes.lastIndex(of: UInt8(ascii: "}")) {
          bytes.insert(UInt8(ascii: ","), at: last)
        }
      case .prefix(let head):
        bytes = head + bytes
      case .suffix(let tail):
        bytes += tail
      case .whole(let all):
        bytes = all
      case .crlf:
        bytes = replacing([0x0A], with: [0x0D, 0x0A], in: bytes)
      }
    }
    fuzzCase.configurationBytes = bytes
  }

  private func replacing(_ pattern: [UInt8], with replacement: [UInt8], in bytes: [UInt8])
    -> [UInt8]
  {
    var out: [UInt8] = []
    var k = 0
    while k < bytes.count {
      if k + pattern.count <= bytes.count && Array(bytes[k..<(k + pattern.count)]) == pattern {
        out += replacement
        k += pattern.count
      } else {
        out.append(bytes[k])
        k += 1
      }
    }
    return out
  }

  /// Marks a case whose valid size would make its run slow, and one that exercises unbounded
  /// population growth (a known bug class).
  private mutating func assessCost() {
    func largest(_ path: String, _ fallback: Double) -> Double {
      sizes[path]?.max() ?? fallback
    }
    let size = largest("population.size", 10_000) + surges.reduce(0, +)
    let length = largest("time.ticks", 120) + largest("time.warmup", 36)
    if size > 5_000 || length > 400 || size * length > 500_000 {
      fuzzCase.tooCostly = "up to \(Int(size)) professionals for \(Int(length)) ticks"
    }
    let perYear = sizes["time.ticksPerYear"]?.min() ?? 12
    let entry = largest("population.entryPerYear", 0.06)
    let growth = pow(1 + entry / perYear, length)
    if fuzzCase.tooCostly == nil && growth > 50 {
      fuzzCase.knownRisks.append(
        "entry-growth: population.entryPerYear \(entry) at \(Int(perYear)) ticks a year could "
          + "grow the population \(growth) times")
    }
  }

  private func shorten(_ text: String) -> String {
    text.count <= 80 ? text : String(text.prefix(77)) + "…"
  }
}
