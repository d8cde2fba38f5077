import Foundation

/// MODEL 3 step 4 and MODEL 4.3: equity offers adapt, then every firm publishes its attributes,
/// wage base and expected equity value.
extension Simulation {
  mutating func publishOffers(_ t: Int) {
    for j in 0..<firms.count where firms.alive[j] {
      if !firms.roundThisTick[j] { adaptEquityOffer(j) }
      publish(j)
    }
  }

  /// Moves an offer with last tick's market, then pulls it back toward its base (MODEL 4.3).
  mutating func adaptEquityOffer(_ j: Int) {
    let e = config.equity
    let vacancies = Double(firms.lastVacancies[j])
    let hires = Double(firms.lastHires[j])
    let applications = Double(firms.lastApplications[j])
    var offer = firms.equityOffer[j]
    if vacancies > 0 && hires < 0.5 * vacancies { offer *= 1 + e.adjustStep }
    if applications > 2 * max(1, vacancies) { offer *= 1 - e.adjustStep }
    let base: Double
    if firms.type[j] == .startup {
      base = e.offerByStage[Int(firms.stage[j])]
      offer = base + (offer - base) * (1 - e.reversion)
      offer = min(max(offer, base / 4), base * 4)
      offer = min(offer, firms.optionPool[j])
    } else {
      base = config.bigtech.rsuPerYear
      offer = base + (offer - base) * (1 - e.reversion)
      offer = min(max(offer, config.bigtech.rsuMin), config.bigtech.rsuMax)
    }
    firms.equityOffer[j] = offer
  }

  /// Computes and stores what firm j publishes: attributes, wage base and E (MODEL 4.3).
  mutating func publish(_ j: Int) {
    let base = j * Firms.publishedStride
    let n = Double(firms.headcount[j])
    if firms.type[j] == .bigtech {
      let a = config.bigtech.attributes
      let stability = a.stability - config.bigtech.layoffStabilityPenalty * firms.layoffMemory[j]
      firms.runway[j] = .infinity
      firms.published[base + 0] = clampUnit(stability)
      firms.published[base + 1] = a.resources
      firms.published[base + 2] = a.career
      firms.published[base + 3] = a.innovation
      firms.published[base + 4] = a.autonomy
      firms.published[base + 5] = a.worklife
      firms.published[base + Firms.wageBaseSlot] = config.wage.base.bigtech
      firms.published[base + Firms.equityValueSlot] = firms.equityOffer[j]
    } else {
      let a = config.startup.attributes
      let cash = firms.cash[j]
      let runway = max(0, cash / max(firms.burn[j] - firms.revenue[j], 1))
      firms.runway[j] = runway
      let stage = Int(firms.stage[j])
      firms.published[base + 0] = runway / (runway + config.startup.stabilityHalfRunway)
      firms.published[base + 1] = clampUnit(
        a.resourcesBase + a.resourcesSlope * log(1 + max(0, cash) / (n + 1) / a.resourcesScale)
          + config.policy.computeSubsidy)
      firms.published[base + 2] = clampUnit(a.careerBase + a.careerPerStage * Double(stage))
      firms.published[base + 3] = clampUnit(
        a.innovationBase + a.innovationSlope * log(firms.quality[j]))
      firms.published[base + 4] = clampUnit(a.autonomyBase - a.autonomySlope * log(1 + n))
      firms.published[base + 5] = a.worklife
      firms.published[base + Firms.wageBaseSlot] = config.wage.base.startup
      let e = config.equity
      let exitOdds = min(1, e.optimism * e.exitProbability[stage])
      firms.published[base + Firms.equityValueSlot] =
        firms.equityOffer[j] * firms.valuation[j] * exitOdds * (1 - config.policy.equityTax) / 4
    }
  }
}

@inline(__always)
func clampUnit(_ x: Double) -> Double { min(1, max(0, x)) }
