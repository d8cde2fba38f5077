import Foundation

/// A model quantity that left the range the model computes with, so the run cannot go on.
///
/// The key ranges keep a run's arithmetic finite for every plausible combination; this is the
/// guard behind them, for combinations at the edges of several ranges at once (a unit-root
/// funding climate over a long run, say). The run stops with this error at the end of the step
/// that produced the quantity, before anything converts it to a count, and nothing is
/// published: a trap or a blank CSV cell is never the outcome.
public struct SimulationError: TalentFlowError, Sendable, Equatable {
  /// The tick at which the quantity was found.
  public var tick: Int
  /// The step of MODEL 3 after which it was found (`firm finance`).
  public var step: String
  /// What left the range, and whose it is: `cash of startup 37`.
  public var quantity: String
  /// The value it took.
  public var value: Double
  /// The configuration keys the quantity is computed from, most direct first.
  public var keys: [String]
  /// Set when the quantity is the population and the run reached its limit.
  public var populationLimit: PopulationLimitError?
  /// Which run of several it was, for commands that run many (`scenario x.json, seed 7`).
  public var run: String?

  public init(tick: Int, step: String, quantity: String, value: Double, keys: [String]) {
    self.tick = tick
    self.step = step
    self.quantity = quantity
    self.value = value
    self.keys = keys
  }

  /// A run whose population would outgrow its limit (`PopulationLimit`).
  public init(populationLimit error: PopulationLimitError) {
    self.init(
      tick: error.tick, step: error.surge ? "scenario events" : "entry and exit",
      quantity: "population", value: Double(error.population) + error.arriving,
      keys: ["population.entryPerYear", "entrySurge events"])
    populationLimit = error
  }

  /// The run cannot go on with the values it was given: a data error, like a bad input file.
  public var exitCode: ExitCode { .dataError }

  public var description: String {
    let what = runlessDescription
    guard let run else { return what }
    return "\(run): \(what)"
  }

  private var runlessDescription: String {
    if let populationLimit { return populationLimit.description }
    let problem =
      value.isNaN
      ? "not a number" : value.isInfinite
        ? "\(value), outside the range the model computes with"
        : "\(value), more than a head count can hold (\(Int32.max))"
    return
      "tick \(tick), after \(step): the \(quantity) is \(problem), so the run stopped and "
      + "nothing was published. It is driven by "
      + keys.map { $0.contains(" ") ? $0 : "`\($0)`" }.joined(separator: ", ")
      + "; bring them closer to their defaults (the model document's key table gives each "
      + "key's range and the section its formula)."
  }
}

extension Simulation {
  /// The largest head count a firm may aim for: head counts and vacancies are 32-bit.
  static let largestTarget = Double(Int32.max)

  /// Keys behind each guarded quantity, for the error message.
  enum Drivers {
    static let climate = [
      "macro.persistence", "macro.volatility", "macro.fundingSeries", "fundingShock events",
    ]
    static let startupCash = [
      "startup.revenuePerSkill", "startup.fixedCost", "startup.overheadPerHead",
      "wage.base.startup", "startup.roundSize", "founding.seedCash", "startup.qualitySigma",
    ] + climate
    static let startupValuation = [
      "startup.roundSize", "startup.dilution", "founding.seedCash", "startup.qualitySigma",
    ] + climate
    static let startupTarget = ["startup.targetRunway"] + startupCash
    static let bigTechDemand = [
      "bigtech.growthPerYear", "bigtech.targetNoise", "bigtech.climateSensitivity",
    ] + climate
    static let offers = [
      "equity.offerByStage", "equity.adjustStep", "equity.reversion", "bigtech.rsuPerYear",
      "bigtech.rsuMin", "bigtech.rsuMax",
    ]
    static let published = [
      "startup.attributes.*", "policy.computeSubsidy", "startup.stabilityHalfRunway",
      "equity.optimism", "equity.exitProbability", "bigtech.layoffStabilityPenalty",
    ] + offers + startupValuation
  }

  /// Throws if F(t) is not a finite positive-or-zero number (MODEL 4.1).
  func checkFundingClimate(_ t: Int) throws(SimulationError) {
    guard fundingClimate.isFinite else {
      throw SimulationError(
        tick: t, step: "the funding climate", quantity: "funding climate F", value: fundingClimate,
        keys: Drivers.climate)
    }
  }

  /// Throws if any living firm, or one that died this tick, holds a quantity that is not
  /// finite, or aims for more people than a head count can hold.
  ///
  /// A firm's quantities are added up, and only a sum that is not finite (a non-finite term,
  /// or finite terms that overflow together) sends it to `diagnoseFirm`, which names the
  /// culprit. The sums are taken in parallel chunks of firms; the firms they flag are then
  /// diagnosed in index order, so the error is the first firm's whatever the thread count.
  /// `from` skips the firms below it (after founding, only the new startups can have changed).
  func checkFirms(_ t: Int, after step: String, from first: Int = 0) throws(SimulationError) {
    let flagged = parallel.mapChunks(count: firms.count - first) { range in
      var out: [Int] = []
      for j in (first + range.lowerBound)..<(first + range.upperBound) where !looksFinite(j, t) {
        out.append(j)
      }
      return out
    }
    for chunk in flagged {
      for j in chunk { try diagnoseFirm(j, t, after: step) }
    }
  }

  /// False if firm j is living or died at tick t and one of its guarded quantities is not
  /// finite (or their sum overflows), or its target exceeds `largestTarget`.
  @inline(__always)
  private func looksFinite(_ j: Int, _ t: Int) -> Bool {
    guard firms.alive[j] || firms.diedTick[j] == Int32(t) else { return true }
    let stride = Firms.publishedStride
    var sum = firms.equityOffer[j]
    if firms.type[j] == .startup {
      sum += firms.cash[j] + firms.revenue[j] + firms.burn[j] + firms.runway[j]
      sum += firms.valuation[j]
    } else {
      sum += firms.demandBase[j]
    }
    for k in j * stride..<(j + 1) * stride { sum += firms.published[k] }
    let target = firms.target[j]
    return sum.isFinite && target.isFinite && target <= Simulation.largestTarget
  }

  /// Throws for the first quantity of firm `j` that is out of range; returns if none is (its
  /// quantities were finite, only their sum was not).
  private func diagnoseFirm(_ j: Int, _ t: Int, after step: String) throws(SimulationError) {
    func fail(_ what: String, _ value: Double, _ keys: [String]) -> SimulationError {
      SimulationError(
        tick: t, step: step, quantity: "\(what) of \(firms.type[j].name) firm \(j)", value: value,
        keys: keys)
    }
    let isStartup = firms.type[j] == .startup
    let target = firms.target[j]
    guard target.isFinite && target <= Simulation.largestTarget else {
      throw fail(
        "target head count", target, isStartup ? Drivers.startupTarget : Drivers.bigTechDemand)
    }
    if isStartup {
      for (name, value, keys) in [
        ("cash", firms.cash[j], Drivers.startupCash),
        ("revenue", firms.revenue[j], Drivers.startupCash),
        ("burn", firms.burn[j], Drivers.startupCash),
        ("runway", firms.runway[j], Drivers.startupCash),
        ("valuation", firms.valuation[j], Drivers.startupValuation),
      ] where !value.isFinite {
        throw fail(name, value, keys)
      }
    } else if !firms.demandBase[j].isFinite {
      throw fail("demand base", firms.demandBase[j], Drivers.bigTechDemand)
    }
    if !firms.equityOffer[j].isFinite {
      throw fail("equity offer", firms.equityOffer[j], Drivers.offers)
    }
    for k in 0..<Firms.publishedStride where !firms.publishedValue(j, k).isFinite {
      throw fail("published value \(k)", firms.publishedValue(j, k), Drivers.published)
    }
  }

  /// Throws if a column of the tick's `timeseries.csv` row is not finite (it would be a blank
  /// cell).
  func checkRecord(_ record: TickRecord) throws(SimulationError) {
    for (k, value) in record.row.enumerated() where !value.isFinite {
      let column = Timeseries.columns[k]
      let keys: [String]
      switch column {
      case "mean_utility":
        keys = [
          "money.median", "money.sigma", "risk.median", "risk.sigma", "utility.riskWeight",
          "utility.compReference", "wage.base.bigtech", "wage.base.startup",
        ]
      case "funding_climate": keys = Drivers.climate
      case "mean_wage_bigtech": keys = ["wage.base.bigtech"]
      case "mean_wage_startup": keys = ["wage.base.startup"]
      default: keys = Drivers.published
      }
      throw SimulationError(
        tick: record.tick, step: "the record", quantity: "timeseries.csv column \(column)",
        value: value, keys: keys)
    }
  }
}
