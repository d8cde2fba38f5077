/// A scenario event (MODEL 4.10), applied in step 1 of its tick.
public struct ScenarioEvent: Sendable, Equatable {
  public var tick: Int
  public var action: Action

  public enum Action: Sendable, Equatable {
    /// Sets a configuration key from this tick on.
    case set(path: String, value: JSONValue)
    /// Lays off a fraction of every living firm of a sector, lowest skill first.
    case layoffs(sector: FirmType, fraction: Double)
    /// Multiplies the funding climate on ticks tick ..< tick + ticks.
    case fundingShock(multiplier: Double, ticks: Int)
    /// Adds that many entrants at once.
    case entrySurge(count: Int)
  }

  public init(tick: Int, action: Action) {
    self.tick = tick
    self.action = action
  }
}
