import Foundation

/// The utility of a job (MODEL 4.4): the seed article's linear utility, plus money and risk.
///
/// U = Σ_k w_k · a_k + λ · ln(comp / compReference) − ρ · riskWeight · (1 − stability) · (0.5 + e),
/// where comp is monthly total pay (wage plus a twelfth of the yearly equity value E) and
/// e = (E / 12) / comp is the equity share of pay. It takes any non-negative weights.
public struct JobUtility: Sendable {
  public let compReference: Double
  public let riskWeight: Double
  /// ln(compReference), so that a utility takes ln comp − ln reference and divides nothing.
  let logCompReference: Double
  /// The logarithm's table, loaded once: utilities are taken in loops over professionals.
  let tables = PortableMath.Tables.shared

  public init(compReference: Double, riskWeight: Double) {
    self.compReference = compReference
    self.riskWeight = riskWeight
    logCompReference = PortableMath.log(compReference, tables)
  }

  public init(_ config: Configuration.Utility) {
    self.init(compReference: config.compReference, riskWeight: config.riskWeight)
  }

  /// U for one professional and one job.
  ///
  /// - Parameters:
  ///   - preference: Σ_k w_k · a_k, computed by the caller from weights and attribute scores.
  ///   - monthlyWage: the wage offered to her skill (k$ a month).
  ///   - yearlyEquity: E, the perceived yearly value of the equity offer (k$).
  ///   - stability: the job's stability score.
  @inline(__always)
  public func utility(
    preference: Double, moneyWeight λ: Double, riskAversion ρ: Double, monthlyWage: Double,
    yearlyEquity: Double, stability: Double
  ) -> Double {
    let equityPerMonth = yearlyEquity * (1.0 / 12)
    let comp = monthlyWage + equityPerMonth
    var u = preference
    if λ != 0 { u += λ * (PortableMath.log(comp, tables) - logCompReference) }
    if ρ != 0 {
      let equityShare = comp > 0 ? equityPerMonth / comp : 0
      u -= ρ * riskWeight * (1 - stability) * (0.5 + equityShare)
    }
    return u
  }

  /// U from explicit weights and scores (used by `talentflow decide` and tests).
  public func utility(
    weights: [Double], scores: [Double], moneyWeight: Double = 0, riskAversion: Double = 0,
    monthlyWage: Double = 20, yearlyEquity: Double = 0
  ) -> Double {
    var preference = 0.0
    for k in 0..<min(weights.count, scores.count) { preference += weights[k] * scores[k] }
    return utility(
      preference: preference, moneyWeight: moneyWeight, riskAversion: riskAversion,
      monthlyWage: monthlyWage, yearlyEquity: yearlyEquity, stability: scores.first ?? 0)
  }
}

/// MODEL 4.9: the vested fraction of a grant after `tenure` ticks.
@inline(__always)
func vestedFraction(
  tenure: Int32, cliff: Int, vest: Int, _ tables: PortableMath.Tables = .shared
) -> Double {
  // Both values, then one picked without a branch (`PortableMath.pick`): whether a searcher is
  // past her cliff is a coin toss that a branch would mispredict often.
  let vested = min(1, Double(tenure) / Double(vest))
  return PortableMath.pick(tables.mask(Int(tenure) < cliff), 0, vested)
}
