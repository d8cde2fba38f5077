import Foundation

/// The most professionals a run may hold at once, so that a run that would outgrow memory stops
/// with an error before it gets there.
///
/// A run's limit is `maximum`, or `growth` × `population.size` plus the counts of its
/// `entrySurge` events when that is smaller. At about 175 bytes a professional (README,
/// "Performance"), `maximum` is some 9 GB; `growth` stops a run whose entry rate makes it grow
/// without bound long before that, whatever its size.
public enum PopulationLimit {
  /// The most professionals any run may hold at once.
  public static let maximum = 50_000_000
  /// How many times its initial size (plus its surges) a population may grow to.
  public static let growth = 1_000

  /// The limit of a run of `config`: `maximum`, or less for a small population.
  public static func limit(for config: Configuration) -> Int {
    var surges = 0
    for event in config.events {
      if case .entrySurge(let count) = event.action { surges = saturatingSum(surges, count) }
    }
    let grown = config.population.size.multipliedReportingOverflow(by: growth)
    let relative = grown.overflow ? Int.max : saturatingSum(grown.partialValue, surges)
    return min(maximum, relative)
  }

  private static func saturatingSum(_ a: Int, _ b: Int) -> Int {
    let sum = a.addingReportingOverflow(b)
    return sum.overflow ? Int.max : sum.partialValue
  }
}

/// A run stopped because its population would outgrow `PopulationLimit`: nothing of it is
/// published.
///
/// Thrown in the tick where it would happen, before any array grows; the simulation is then
/// mid-tick and must not be stepped again.
public struct PopulationLimitError: TalentFlowError, Sendable, Equatable {
  /// The tick that would outgrow the limit (warm-up ticks are negative).
  public var tick: Int
  /// Professionals present when the entrants were to arrive.
  public var population: Int
  /// Entrants due to arrive: drawn, or the mean of the draw when that alone is out of range.
  public var arriving: Double
  /// Whether the entrants come from an `entrySurge` event rather than `population.entryPerYear`.
  public var surge: Bool
  /// The run's limit (`PopulationLimit.limit(for:)`).
  public var limit: Int
  /// `population.size`, from which the limit is derived.
  public var size: Int
  /// `population.entryPerYear` in force at the tick.
  public var entryPerYear: Double
  /// Whether the limit is that of professional ids (2^32 − 1 over the whole run) rather than
  /// of the population present.
  public var identifiers = false

  public var exitCode: ExitCode { .dataError }

  public var description: String {
    let when = tick < 0 ? "warm-up tick \(tick)" : "tick \(tick)"
    let what = surge ? "an entrySurge event" : "population.entryPerYear"
    let arrivals = arriving.isFinite ? NumberFormat.number(arriving) : "\(arriving)"
    let rate = JSONValue.number(entryPerYear).serialized()
    if identifiers {
      return "the run stopped at \(when): \(arrivals) entrants (from \(what)) would exhaust the "
        + "4,294,967,295 professional ids a run can hand out (every entrant takes a new one); "
        + "lower population.entryPerYear (\(rate) in force) or the entrySurge counts, or "
        + "shorten the run"
    }
    func n(_ x: Int) -> String { NumberFormat.number(Double(x)) }
    return "the run stopped at \(when): \(n(population)) professionals and "
      + "\(arrivals) entrants (from \(what)) would exceed the run's limit of "
      + "\(n(limit)) professionals (the smaller of \(n(PopulationLimit.maximum)) and "
      + "\(PopulationLimit.growth) × population.size \(n(size)) plus the entrySurge counts). "
      + "Entry is driven by "
      + "population.entryPerYear (\(rate) in force) and entrySurge events: lower them, or raise "
      + "population.size if a larger population is meant"
  }
}
