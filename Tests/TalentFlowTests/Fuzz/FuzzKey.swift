import Foundation

@testable import TalentFlow

/// A configuration key as the fuzzer sees it: its path and what values it allows, read from the
/// `allowed` text of the key table (`talentflow config --keys`), the contract under test.
struct FuzzKey: Sendable {
  /// What kind of value a key holds, with its documented range.
  enum Kind: Sendable, Equatable {
    case number(low: Double, high: Double, integer: Bool)
    case boolean
    /// Free text; `folderName` keys may not hold `/` or control characters.
    case text(folderName: Bool)
    case list(count: Int, low: Double, high: Double, order: Order)
    case fundingSeries
    /// `output.agents`: "none", "final" or an integer in [1, high].
    case agents(high: Int)
  }

  /// The order a per-stage list must keep.
  enum Order: Sendable, Equatable {
    case any
    case nonDecreasing
    case nonIncreasing
  }

  let path: String
  let kind: Kind
  /// The default, as `talentflow config` prints it.
  let defaultValue: JSONValue

  /// Every key of the key table whose `allowed` text the fuzzer can read (a test checks that
  /// this is every key, so a new kind of key is never silently left out).
  static let all: [FuzzKey] = {
    let defaults = Configuration()
    return ConfigurationKeys.all.compactMap { key in
      kind(of: key).map {
        FuzzKey(path: key.path, kind: $0, defaultValue: key.value(in: defaults))
      }
    }
  }()

  /// Keys by path.
  static let byPath: [String: FuzzKey] = Dictionary(
    uniqueKeysWithValues: all.map { ($0.path, $0) })

  /// Keys that `set` events may not change (fixed for the whole run).
  static let fixedDuringRun: Set<String> = [
    "name", "description", "seed", "time.ticksPerYear", "time.ticks", "time.warmup",
    "population.size", "population.initialShares.bigtech", "population.initialShares.startup",
    "population.initialShares.unemployed", "firms.bigTech", "firms.startups",
    "output.firmsEvery", "output.agents", "output.moves",
  ]

  private static func kind(of key: ConfigurationKey) -> Kind? {
    let allowed = key.allowed
    if key.path == "seed" { return .number(low: 0, high: 0x1p53 - 1, integer: true) }
    if allowed == "true or false" { return .boolean }
    if allowed == "string" { return .text(folderName: false) }
    // A key that names folders: "string without "/" or control characters" (or no text, as
    // the key table once had it).
    if allowed.hasPrefix("string without") || allowed.isEmpty,
      case .string = key.value(in: Configuration())
    {
      return .text(folderName: true)
    }
    if allowed.hasPrefix("list of [tick, multiplier] pairs") { return .fundingSeries }
    if allowed.hasPrefix("\"none\", \"final\" or an integer in ") {
      guard let (_, high) = interval(in: allowed) else { return nil }
      return .agents(high: Int(high))
    }
    if let numbers = allowed.range(of: " numbers, each in "),
      let count = Int(allowed[..<numbers.lowerBound]), let (low, high) = interval(in: allowed)
    {
      let order: Order =
        allowed.hasSuffix(", not decreasing")
        ? .nonDecreasing : allowed.hasSuffix(", not increasing") ? .nonIncreasing : .any
      return .list(count: count, low: low, high: high, order: order)
    }
    if allowed.hasPrefix("integer in [") || allowed.hasPrefix("["),
      let (low, high) = interval(in: allowed)
    {
      return .number(low: low, high: high, integer: key.isInteger)
    }
    return nil
  }

  /// The first `[low, high]` in a text.
  private static func interval(in text: String) -> (Double, Double)? {
    guard let open = text.firstIndex(of: "["), let close = text[open...].firstIndex(of: "]")
    else { return nil }
    let parts = text[text.index(after: open)..<close].split(separator: ",")
    guard parts.count == 2,
      let low = Double(parts[0].trimmingCharacters(in: .whitespaces)),
      let high = Double(parts[1].trimmingCharacters(in: .whitespaces))
    else { return nil }
    return (low, high)
  }
}
