import Foundation

/// MODEL 3 step 4 and MODEL 4.3: equity offers adapt, then every firm publishes its attributes,
/// wage base and expected equity value.
extension Simulation {
  /// A firm's offer and what it publishes, worked out before it is stored.
  struct Publication: Sendable {
    let firm: Int
    let equityOffer: Double
    let runway: Double
    /// The six attributes, the wage base and E, in `Firms.published` order.
    let values: SIMD8<Double>
  }

  /// Every living firm adapts its offer (unless a round reset it) and publishes.
  ///
  /// Each firm's values depend on its own state only, so they are worked out in parallel
  /// chunks of firms, then stored.
  mutating func publishOffers(_ t: Int) {
    store(publications())
  }

  /// Every living firm's offer and publication, in parallel chunks of firms, in index order.
  ///
  /// Not mutating, so the parallel closures borrow the simulation rather than copy it.
  func publications() -> [[Publication]] {
    parallel.mapChunks(count: firms.count) { range in
      var out: [Publication] = []
      out.reserveCapacity(range.count(where: { firms.alive[$0] }))
      for j in range where firms.alive[j] {
        let offer = firms.roundThisTick[j] ? firms.equityOffer[j] : adaptedEquityOffer(j)
        out.append(publication(j, equityOffer: offer))
      }
      return out
    }
  }

  /// Firm j's offer moved with last tick's market, then pulled back toward its base
  /// (MODEL 4.3).
  func adaptedEquityOffer(_ j: Int) -> Double {
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
    return offer
  }

  /// What the firms of `range` publish with the offers they hold: at initialisation (MODEL 5)
  /// and at a startup's birth (Model.md 4.7), before any adaptation.
  ///
  /// Not mutating, and for a range rather than one firm: computed inside a mutating method,
  /// one firm at a time, the publication ran on a copy of the whole simulation (every array
  /// retained and released), once per firm (callgrind counted the copies).
  func birthPublications(_ range: Range<Int>) -> [Publication] {
    range.map { j in publication(j, equityOffer: firms.equityOffer[j]) }
  }

  /// What firm j publishes with the given equity offer (MODEL 4.3).
  func publication(_ j: Int, equityOffer offer: Double) -> Publication {
    var v = SIMD8<Double>()
    let runway: Double
    let n = Double(firms.headcount[j])
    if firms.type[j] == .bigtech {
      let a = config.bigtech.attributes
      let stability = a.stability - config.bigtech.layoffStabilityPenalty * firms.layoffMemory[j]
      runway = .infinity
      v[0] = clampUnit(stability)
      v[1] = a.resources
      v[2] = a.career
      v[3] = a.innovation
      v[4] = a.autonomy
      v[5] = a.worklife
      v[Firms.wageBaseSlot] = config.wage.base.bigtech
      v[Firms.equityValueSlot] = offer
    } else {
      let a = config.startup.attributes
      let cash = firms.cash[j]
      runway = max(0, cash / max(firms.burn[j] - firms.revenue[j], 1))
      let stage = Int(firms.stage[j])
      v[0] = runway / (runway + config.startup.stabilityHalfRunway)
      v[1] = clampUnit(
        a.resourcesBase + a.resourcesSlope
          * PortableMath.log(1 + max(0, cash) / (n + 1) / a.resourcesScale)
          + config.policy.computeSubsidy)
      v[2] = clampUnit(a.careerBase + a.careerPerStage * Double(stage))
      v[3] = clampUnit(a.innovationBase + a.innovationSlope * PortableMath.log(firms.quality[j]))
      v[4] = clampUnit(a.autonomyBase - a.autonomySlope * PortableMath.log(1 + n))
      v[5] = a.worklife
      v[Firms.wageBaseSlot] = config.wage.base.startup
      let e = config.equity
      let exitOdds = min(1, e.optimism * e.exitProbability[stage])
      v[Firms.equityValueSlot] =
        offer * firms.valuation[j] * exitOdds * (1 - config.policy.equityTax) / 4
    }
    return Publication(firm: j, equityOffer: offer, runway: runway, values: v)
  }

  /// Stores firms' offers and publications, chunk by chunk, through the arrays' buffers (one
  /// uniqueness check per array, not one per value: this loop runs on one thread).
  mutating func store(_ publications: [[Publication]]) {
    firms.equityOffer.withUnsafeMutableBufferPointer { offer in
      firms.runway.withUnsafeMutableBufferPointer { runway in
        firms.published.withUnsafeMutableBufferPointer { published in
          for chunk in publications {
            for publication in chunk {
              let j = publication.firm
              offer[j] = publication.equityOffer
              runway[j] = publication.runway
              let base = j * Firms.publishedStride
              for k in 0..<Firms.publishedStride { published[base + k] = publication.values[k] }
            }
          }
        }
      }
    }
  }
}

@inline(__always)
func clampUnit(_ x: Double) -> Double { min(1, max(0, x)) }
