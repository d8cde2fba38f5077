import Foundation

/// MODEL 5: the initial population, firms and allocation.
extension Simulation {
  mutating func initialise() {
    let initTick = tick
    let n = config.population.size
    let shares = config.population.initialShares
    let bigTechCount = config.firms.bigTech
    let startupCount = config.firms.startups

    // Counts by sector: round-half-up of share · size, the rest unemployed.
    let inBigTech = Int((shares.bigtech * Double(n)).rounded(.toNearestOrAwayFromZero))
    let inStartups = min(
      n - inBigTech, Int((shares.startup * Double(n)).rounded(.toNearestOrAwayFromZero)))

    // Firms: big tech first (Zipf sizes), then startups (lognormal sizes, at least 1 each).
    let zipf = (0..<bigTechCount).map { 1 / Double($0 + 1) }
    let bigTechSizes = apportion(weights: zipf, total: inBigTech)
    var startupRaw: [Double] = []
    for s in 0..<startupCount {
      var draws = stream(.initialFirm, bigTechCount + s, initTick)
      startupRaw.append(draws.lognormal(mu: PortableMath.log(8), sigma: 1))
    }
    let extra = apportion(weights: startupRaw, total: max(0, inStartups - startupCount))
    let startupSizes = extra.map { $0 + 1 }

    for j in 0..<bigTechCount {
      _ = firms.append(type: .bigtech, bornTick: Int32(initTick))
      var draws = stream(.initialFirm, j, initTick)
      firms.sponsorsVisas[j] = draws.bernoulli(config.visa.sponsorBigTech)
      firms.equityOffer[j] = config.bigtech.rsuPerYear
      firms.quality[j] = 1
    }
    var monthsOfCash: [Double] = []
    for s in 0..<startupCount {
      let j = firms.append(type: .startup, bornTick: Int32(initTick))
      var draws = stream(.initialFirm, j, initTick)
      _ = draws.lognormal(mu: PortableMath.log(8), sigma: 1)  // the size draw, used above
      firms.quality[j] = draws.lognormal(mu: 0, sigma: config.startup.qualitySigma)
      firms.sponsorsVisas[j] = draws.bernoulli(config.visa.sponsorStartup)
      monthsOfCash.append(6 + 24 * draws.uniform())
      let size = startupSizes[s]
      let stage = size < 10 ? 0 : size < 50 ? 1 : size < 200 ? 2 : 3
      firms.stage[j] = Int8(stage)
      firms.valuation[j] = config.startup.roundSize[stage] / config.startup.dilution
      firms.equityOffer[j] = config.equity.offerByStage[stage]
      firms.optionPool[j] = config.equity.poolFraction
      firms.founderStake[j] =
        config.founding.founderStake * PortableMath.pow(1 - config.startup.dilution, Double(stage))
    }

    // Slots: one per professional, shuffled by a uniform random permutation.
    var slots: [Int32] = []
    slots.reserveCapacity(n)
    for j in 0..<bigTechCount { slots += repeatElement(Int32(j), count: bigTechSizes[j]) }
    for s in 0..<startupCount {
      slots += repeatElement(Int32(bigTechCount + s), count: startupSizes[s])
    }
    slots += repeatElement(Professionals.unemployed, count: n - slots.count)
    var shuffle = stream(.initialAssignment, 0, initTick)
    if n > 1 {
      for i in stride(from: n - 1, to: 0, by: -1) {
        slots.swapAt(i, shuffle.index(below: i + 1))
      }
    }

    // Professionals' traits and initial tenure, drawn from each one's own stream. Room for the
    // expected entrants and startups too, so the arrays are not copied as they grow, but never
    // more than for as many again: memory follows the population, not its configuration.
    professionals.reserve(n + expectedEntrants())
    firms.reserveCapacity(firms.count + expectedFoundings())
    appendDrawnProfessionals(
      n, tick: initTick, skillAlpha: config.skill.alpha, skillBeta: config.skill.beta,
      drawTenure: true)
    for p in 0..<n {
      let e = slots[p]
      professionals.employer[p] = e
      if e >= 0 {
        let j = Int(e)
        firms.headcount[j] += 1
        // A grant as if hired at the firm's current offer, not taken from the pool.
        if firms.type[j] == .startup {
          professionals.stake[p] = firms.equityOffer[j]
          professionals.grant[p] = firms.equityOffer[j] * firms.valuation[j]
        } else {
          professionals.grant[p] = 4 * firms.equityOffer[j]
        }
      } else {
        professionals.tenure[p] = 0  // drawn for everyone, kept by the employed
      }
    }

    // Startup cash: Uniform(6, 30) months of burn; targets start at headcount.
    let skillSums = firmSkillSums()
    for j in 0..<firms.count {
      let headcount = Double(firms.headcount[j])
      firms.target[j] = headcount
      if firms.type[j] == .bigtech {
        firms.demandBase[j] = headcount
      } else {
        let burn = startupBurn(headcount: headcount, skillSum: skillSums[j])
        firms.burn[j] = burn
        firms.cash[j] = monthsOfCash[j - bigTechCount] * burn
      }
    }
    store([birthPublications(0..<firms.count)])
  }

  /// Professionals per chunk when drawing traits: a tick's entrants (about 5,000 at a million
  /// professionals) are spread over every thread rather than filling one standard chunk.
  static let traitChunkSize = 512

  /// Appends `count` professionals with traits drawn as in MODEL 2; returns their slots.
  ///
  /// Each draws from her own stream (traits, id, tick), so they are drawn in parallel chunks.
  /// With `drawTenure` her stream then gives her an initial tenure uniform in [0, 47]
  /// (MODEL 5).
  @discardableResult
  mutating func appendDrawnProfessionals(
    _ count: Int, tick t: Int, skillAlpha: Double, skillBeta: Double, drawTenure: Bool
  ) -> Range<Int> {
    let slots = professionals.appendBlank(count)
    guard !slots.isEmpty else { return slots }
    let alpha = dirichletAlpha
    let money = config.money
    let risk = config.risk
    let visaShare = config.visa.share
    let key = self.key
    let parallel = self.parallel
    let first = slots.lowerBound
    let attributes = Professionals.attributeCount
    let tables = PortableMath.Tables.shared
    professionals.withTraitBuffers { traits in
      alpha.withUnsafeBufferPointer { alpha in
        // Each slot's traits come from her own stream: any chunk size gives the same values.
        parallel.forEachChunk(count: count, chunkSize: Simulation.traitChunkSize) { _, range, _ in
          withUnsafeTemporaryAllocation(of: Double.self, capacity: attributes) { w in
            for k in range {
              let p = first + k
              var draws = RandomStream(
                key: key, purpose: DrawPurpose.traits.rawValue, entity: traits.id[p],
                tick: Int32(t))
              traits.skill[p] = min(1, max(0.01, draws.beta(skillAlpha, skillBeta, tables)))
              draws.dirichlet(alpha: alpha, into: w, tables)
              for a in 0..<attributes { traits.weights[p * attributes + a] = Float(w[a]) }
              traits.moneyWeight[p] = Float(
                money.median * PortableMath.exp(money.sigma * draws.normal(tables), tables))
              traits.riskAversion[p] = Float(
                risk.median * PortableMath.exp(risk.sigma * draws.normal(tables), tables))
              traits.visaDependent[p] = draws.bernoulli(visaShare)
              if drawTenure { traits.tenure[p] = Int32(draws.index(below: 48)) }
            }
          }
        }
      }
    }
    return slots
  }

  /// A generous estimate of the entrants over warm-up and the recorded ticks (MODEL 4.8), for
  /// reserving capacity: half as many again as a constant population would bring, but at most
  /// `population.size`.
  ///
  /// `entrySurge` events reserve nothing: their entrants arrive at their tick, if it comes, and
  /// the arrays grow then (`Professionals.reserveForGrowth`).
  func expectedEntrants() -> Int {
    let size = Double(config.population.size)
    let ticks = Double(config.time.warmup) + Double(config.time.ticks)
    let perTick = config.population.entryPerYear / Double(config.time.ticksPerYear)
    let estimate = 1.5 * size * perTick * ticks
    return estimate < size ? Int(estimate) : config.population.size
  }

  /// A generous estimate of the startups founded over the run (Model.md 4.7), every
  /// professional founding whenever an opportunity arrives at F = 1, but at most
  /// `population.size`.
  func expectedFoundings() -> Int {
    let size = Double(config.population.size)
    let ticks = Double(config.time.warmup) + Double(config.time.ticks)
    let estimate = config.founding.opportunityRate * size * ticks
    return estimate < size ? Int(estimate) : config.population.size
  }

  /// κ · μ with μ the normalised `weights.mean` (MODEL 2).
  var dirichletAlpha: [Double] {
    let total = config.weights.mean.reduce(0, +)
    return config.weights.mean.map { config.weights.concentration * $0 / total }
  }

  /// Monthly burn of a startup (MODEL 4.2 sub-step 1): wages, overhead and the fixed cost.
  func startupBurn(headcount n: Double, skillSum: Double) -> Double {
    let wages = config.wage.base.startup * (0.5 * n + skillSum)
    return wages + config.startup.overheadPerHead * n + config.startup.fixedCost
  }
}

/// Integers proportional to `weights` that sum exactly to `total` (MODEL 5).
///
/// Scale, floor, then give the remainder to the largest fractional parts, ties by index.
func apportion(weights: [Double], total: Int) -> [Int] {
  guard !weights.isEmpty else { return [] }
  let sum = weights.reduce(0, +)
  guard sum > 0, total > 0 else { return [Int](repeating: 0, count: weights.count) }
  let exact = weights.map { $0 / sum * Double(total) }
  var sizes = exact.map { Int($0.rounded(.down)) }
  var remainder = total - sizes.reduce(0, +)
  let order = exact.indices.sorted { a, b in
    let fa = exact[a] - Double(sizes[a])
    let fb = exact[b] - Double(sizes[b])
    return fa != fb ? fa > fb : a < b
  }
  var k = 0
  while remainder > 0 {
    sizes[order[k % order.count]] += 1
    remainder -= 1
    k += 1
  }
  return sizes
}
