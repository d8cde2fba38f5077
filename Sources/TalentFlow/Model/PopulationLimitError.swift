import Foundation

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
