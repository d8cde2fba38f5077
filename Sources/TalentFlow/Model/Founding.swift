import Foundation

/// What founding a startup is worth to a professional (Model.md 4.7, model 1.3).
///
/// Founding is one more option of the choice of MODEL 4.5, valued by the utility of MODEL 4.4
/// applied to the job she would create: the attributes her new startup would publish at birth,
/// the pay she would take (`founding.salary`) plus the perceived value of her stake after tax,
/// and the risk penalty of that startup's stability and equity share, softened by her wealth.
/// The funding climate F of the tick enters through the seed cash and valuation.
public struct FoundingOption: Sendable {
  /// Cash of the new startup, `founding.seedCash` · F (k$).
  public let seedCash: Double
  /// Post-money seed valuation, seed cash / `startup.dilution` (k$).
  public let valuation: Double
  /// Monthly pay she expects to take, `founding.salary` (k$).
  public let salary: Double
  /// E_f: the perceived yearly value of her stake, founderStake · valuation ·
  /// min(1, optimism · p_exit[0]) · (1 − equityTax) / 4 (k$), spread over four years as
  /// every equity offer is.
  public let yearlyStakeValue: Double

  private let utility: JobUtility
  private let attributes: Configuration.StartupAttributes
  private let computeSubsidy: Double
  private let stabilityHalfRunway: Double
  private let wealthCushion: Double
  private let startupWageBase: Double
  private let overheadPerHead: Double
  private let fixedCost: Double

  /// The option as the configuration and a funding climate F make it.
  public init(_ config: Configuration, climate: Double) {
    let f = config.founding
    let e = config.equity
    seedCash = f.seedCash * climate
    valuation = seedCash / config.startup.dilution
    salary = f.salary
    let exitOdds = min(1, e.optimism * e.exitProbability[0])
    yearlyStakeValue =
      f.founderStake * valuation * exitOdds * (1 - config.policy.equityTax) / 4
    utility = JobUtility(config.utility)
    attributes = config.startup.attributes
    computeSubsidy = config.policy.computeSubsidy
    stabilityHalfRunway = config.startup.stabilityHalfRunway
    wealthCushion = f.wealthCushion
    startupWageBase = config.wage.base.startup
    overheadPerHead = config.startup.overheadPerHead
    fixedCost = config.startup.fixedCost
  }

  /// The six attributes her startup would publish at birth (MODEL 4.3 with one employee, stage 0
  /// and expected log quality 0), in the order stability, resources, career, innovation,
  /// autonomy, worklife.
  ///
  /// Stability comes from the runway: seed cash over the burn of one employee of her skill.
  public func attributes(skill: Double) -> [Double] {
    let a = attributes
    let burn = startupWageBase * (0.5 + skill) + overheadPerHead + fixedCost
    let runway = max(0, seedCash / max(burn, 1))
    return [
      runway / (runway + stabilityHalfRunway),
      clampUnit(
        a.resourcesBase + a.resourcesSlope
          * PortableMath.log(1 + max(0, seedCash) / 2 / a.resourcesScale) + computeSubsidy),
      clampUnit(a.careerBase),
      clampUnit(a.innovationBase),
      clampUnit(a.autonomyBase - a.autonomySlope * PortableMath.log(2)),
      a.worklife,
    ]
  }

  /// 1 + `founding.wealthCushion` · ln(1 + wealth / 100): what divides her risk penalty.
  public func cushion(wealth: Double) -> Double {
    wealth > 0 ? 1 + wealthCushion * PortableMath.log(1 + wealth / 100) : 1
  }

  /// U_found for weights w, money weight λ, risk aversion ρ, skill and wealth (k$).
  public func utility(
    weights: some Collection<Double>, moneyWeight λ: Double, riskAversion ρ: Double,
    skill: Double, wealth: Double
  ) -> Double {
    let scores = attributes(skill: skill)
    var preference = 0.0
    for (w, a) in zip(weights, scores) { preference += w * a }
    return utility.utility(
      preference: preference, moneyWeight: λ, riskAversion: ρ / cushion(wealth: wealth),
      monthlyWage: salary, yearlyEquity: yearlyStakeValue, stability: scores[0])
  }
}
