import Foundation

/// What the fuzzer knows about a value on its own, before the other keys are considered.
enum Verdict: Sendable {
  /// Within the documented type and range: the key alone accepts it.
  case valid
  /// Outside the documented type or range, or not JSON: every loader must refuse it.
  case invalid
  /// Either is defensible (an underflowing literal, a limit still being decided).
  case unknown
}

/// A value for a key, with its verdict and, when valid and numeric, the number a run would use.
struct FuzzValue {
  var json: FuzzJSON
  var verdict: Verdict
  /// How the value was chosen, for the case's description (`upper bound`, `wrong type`).
  var label: String
  var number: Double? = nil

  /// The value's text, compact, as `--set key=…` takes it.
  var text: String { json.text(pretty: false) }
}

/// Values of every kind the key table allows, at and around its edges, and of wrong kinds.
extension FuzzRandom {
  /// A hostile-but-plausible value for `key`.
  mutating func value(for key: FuzzKey) -> FuzzValue {
    if chance(0.12) {
      // A string is the right type for a free-text key.
      var wrong = wrongType()
      if case .text = key.kind, case .string = wrong.json { wrong.verdict = .valid }
      return wrong
    }
    switch key.kind {
    case .number(let low, let high, let integer):
      return number(low: low, high: high, integer: integer)
    case .boolean:
      return weighted([
        (4, FuzzValue(json: .literal("true"), verdict: .valid, label: "true")),
        (4, FuzzValue(json: .literal("false"), verdict: .valid, label: "false")),
        (1, FuzzValue(json: .string("true"), verdict: .invalid, label: "\"true\" as a string")),
        (1, FuzzValue(json: .literal("1"), verdict: .invalid, label: "1 for a Boolean")),
      ])
    case .text(let folderName):
      return folderName ? folderNameValue() : textValue()
    case .list(let count, let low, let high, let order):
      return list(count: count, low: low, high: high, order: order)
    case .fundingSeries:
      return fundingSeries()
    case .agents(let high):
      return agents(high: high)
    }
  }

  /// A number literal's verdict for a range, from the value a correct JSON reader gives it.
  ///
  /// A literal that underflows to zero or to a subnormal number is `unknown`: rounding it to
  /// zero is a parser's right. `literal` must be a JSON number.
  static func verdict(of literal: String, low: Double, high: Double, integer: Bool)
    -> (Verdict, Double?)
  {
    guard let x = Double(literal) else { return (.unknown, nil) }
    if !x.isFinite { return (.invalid, nil) }
    let mantissa = literal.prefix { $0 != "e" && $0 != "E" }
    if x.isSubnormal || (x == 0 && mantissa.contains(where: { "123456789".contains($0) })) {
      return (.unknown, nil)
    }
    if x < low || x > high { return (.invalid, nil) }
    if integer && (x != x.rounded() || abs(x) >= 0x1p63) { return (.invalid, nil) }
    return (.valid, x)
  }

  /// A value of the wrong JSON type for any key but a free-text one.
  mutating func wrongType() -> FuzzValue {
    let (label, json): (String, FuzzJSON) = pick([
      ("a string", .string("12")), ("an empty string", .string("")),
      ("true", .literal("true")), ("false", .literal("false")), ("null", .literal("null")),
      ("an empty list", .array([])), ("a list", .array([.literal("1")])),
      ("an empty object", .object([])),
      ("an object", .object([FuzzJSON.Member(key: "value", value: .literal("1"))])),
    ])
    return FuzzValue(json: json, verdict: .invalid, label: "wrong type: \(label)")
  }

  private mutating func number(low: Double, high: Double, integer: Bool) -> FuzzValue {
    func text(_ x: Double) -> String {
      integer && abs(x) < 0x1p63 ? String(Int(x)) : FuzzJSON.number(x).text(pretty: false)
    }
    let step = integer ? 1 : pick([0, 1e-9 * max(1, abs(low), abs(high)), 1, 0.5])
    let below = step == 0 ? low.nextDown : low - step
    let above = step == 0 ? high.nextUp : high + step
    var mid = low + (high - low) * unit()
    if integer { mid = mid.rounded(.down) }
    let (label, literal) = weighted([
      (6, ("lower bound", text(low))),
      (6, ("upper bound", text(high))),
      (3, ("in range", text(mid))),
      (5, ("just below the range", text(below))),
      (5, ("just above the range", text(above))),
      (2, ("in range, with an exponent", String(format: "%.17e", mid))),
      (
        7,
        pick([
          ("huge", "1e300"), ("huge negative", "-1e300"),
          ("largest finite", "1.7976931348623157e308"), ("smallest subnormal", "5e-324"),
          ("negative subnormal", "-5e-324"), ("zero", "0"), ("negative zero", "-0"),
          ("negative zero", "-0.0"), ("tiny", "1e-300"), ("2^53", "9007199254740992"),
          ("2^53 + 1", "9007199254740993"), ("2^63", "9223372036854775808"),
          ("-2^63", "-9223372036854775808"), ("negative", "-1"),
          ("many digits", "123456789012345678901234567890"),
          ("many decimals", "0.0000000000000000000000001"), ("exponent form", "1E2"),
          ("exponent form", "1e+2"), ("trailing zeros", "100.000"),
        ])
      ),
      (integer ? 4 : 0, ("not a whole number", text(low + 0.5))),
      (integer ? 2 : 0, ("whole number with a fraction", text(mid) + ".0")),
    ])
    let (verdict, x) = FuzzRandom.verdict(of: literal, low: low, high: high, integer: integer)
    return FuzzValue(json: .literal(literal), verdict: verdict, label: label, number: x)
  }

  private mutating func textValue() -> FuzzValue {
    let (label, text): (String, String) = pick([
      ("plain text", "A fuzzed configuration."), ("empty text", ""),
      ("text with commas and quotes", "\"quoted\", with, commas; and 'single'"),
      ("text with a newline", "two\nlines"), ("text with a NUL", "nul\u{0}byte"),
      ("text with a slash", "a/b\\c"), ("non-ASCII text", "Ünïcødé ✓ 🚀 日本語"),
      ("long text", String(repeating: "long ", count: 2000)),
      ("right-to-left override", "abc\u{202E}def"),
    ])
    if chance(0.1) {
      // An escape a strict parser refuses: a high surrogate with no low one after it.
      return FuzzValue(
        json: .literal("\"lone \\ud800 surrogate\""), verdict: .invalid,
        label: "unpaired surrogate escape")
    }
    return FuzzValue(json: .string(text), verdict: .valid, label: label)
  }

  private mutating func folderNameValue() -> FuzzValue {
    let (label, text, verdict): (String, String, Verdict) = pick([
      ("plain name", "fuzz", .valid), ("name with a space", "fuzz run", .valid),
      ("non-ASCII name", "ünï-côdé ✓", .valid), ("name with commas", "a,b;c", .valid),
      ("dot", ".", .valid), ("dot dot", "..", .valid), ("leading dash", "-x", .valid),
      ("empty name", "", .unknown), ("zero-width joiner", "a\u{200D}b", .unknown),
      ("long name", String(repeating: "n", count: 300), .unknown),
      ("name with a slash", "a/b", .invalid), ("name going up", "../escape", .invalid),
      ("name with a newline", "x\ny", .invalid), ("name with a tab", "tab\tx", .invalid),
      ("name with a NUL", "nul\u{0}", .invalid), ("name with DEL", "del\u{7F}", .invalid),
      ("name with a line separator", "ls\u{2028}x", .invalid),
    ])
    return FuzzValue(json: .string(text), verdict: verdict, label: label)
  }

  private mutating func list(count: Int, low: Double, high: Double, order: FuzzKey.Order)
    -> FuzzValue
  {
    var xs = (0..<count).map { _ in low + (high - low) * unit() }
    switch order {
    case .any: break
    case .nonDecreasing: xs.sort()
    case .nonIncreasing: xs.sort(by: >)
    }
    func json(_ values: [Double]) -> FuzzJSON { .array(values.map(FuzzJSON.number)) }
    switch below(9) {
    case 0:
      return FuzzValue(json: json(xs), verdict: .valid, label: "list in range")
    case 1:
      let edge = [Double](repeating: chance(0.5) ? low : high, count: count)
      return FuzzValue(json: json(edge), verdict: .valid, label: "list at a bound")
    case 2:
      return FuzzValue(json: json(Array(xs.dropLast())), verdict: .invalid, label: "list too short")
    case 3:
      return FuzzValue(json: json(xs + [low]), verdict: .invalid, label: "list too long")
    case 4:
      xs[below(count)] = pick([high.nextUp, low - 1, 1e300])
      return FuzzValue(json: json(xs), verdict: .invalid, label: "list element out of range")
    case 5:
      var items = xs.map(FuzzJSON.number)
      items[below(count)] = pick([.literal("null"), .string("0.1"), .array([]), .literal("true")])
      return FuzzValue(json: .array(items), verdict: .invalid, label: "list element of wrong type")
    case 6:
      return FuzzValue(json: .array([json(xs)]), verdict: .invalid, label: "nested list")
    case 7 where order != .any:
      // Strictly out of order: the first two elements at the two ends of the range.
      var wrong = xs
      wrong[0] = order == .nonDecreasing ? high : low
      wrong[1] = order == .nonDecreasing ? low : high
      return FuzzValue(json: json(wrong), verdict: .invalid, label: "list out of order")
    default:
      return FuzzValue(json: .array([]), verdict: .invalid, label: "empty list")
    }
  }

  private mutating func fundingSeries() -> FuzzValue {
    func pairs(_ values: [(String, String)]) -> FuzzJSON {
      .array(values.map { .array([.literal($0.0), .literal($0.1)]) })
    }
    let (label, json, verdict): (String, FuzzJSON, Verdict) = pick([
      ("empty series", pairs([]), .valid),
      ("one knot", pairs([("0", "1")]), .valid),
      ("a dip and recovery", pairs([("0", "1.2"), ("6", "0.5"), ("12", "1")]), .valid),
      ("knot before tick 0", pairs([("-5", "100")]), .valid),
      ("multiplier 0", pairs([("1", "0")]), .valid),
      ("knot at a huge tick", pairs([("1e300", "0.5")]), .valid),
      ("ticks not increasing", pairs([("1", "1"), ("1", "2")]), .invalid),
      ("ticks decreasing", pairs([("5", "1"), ("2", "2")]), .invalid),
      ("multiplier above 100", pairs([("0", "100.00000000000001")]), .invalid),
      ("negative multiplier", pairs([("0", "-1")]), .invalid),
      ("pair of one", .array([.array([.literal("0")])]), .invalid),
      ("triple", .array([.array([.literal("0"), .literal("1"), .literal("2")])]), .invalid),
      ("flat list", .array([.literal("1"), .literal("2")]), .invalid),
      ("null tick", pairs([("null", "1")]), .invalid),
    ])
    return FuzzValue(json: json, verdict: verdict, label: label)
  }

  private mutating func agents(high: Int) -> FuzzValue {
    let (label, json, verdict): (String, FuzzJSON, Verdict) = pick([
      ("none", .string("none"), .valid), ("final", .string("final"), .valid),
      ("every tick", .literal("1"), .valid), ("every 3 ticks", .literal("3"), .valid),
      ("upper bound", .literal(String(high)), .valid),
      ("just above the range", .literal(String(high + 1)), .invalid),
      ("zero", .literal("0"), .invalid), ("negative", .literal("-1"), .invalid),
      ("not a whole number", .literal("2.5"), .invalid),
      ("unknown word", .string("every"), .invalid), ("capitalised", .string("Final"), .invalid),
    ])
    return FuzzValue(json: json, verdict: verdict, label: label)
  }
}
