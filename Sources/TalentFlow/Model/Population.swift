import Foundation

/// MODEL 3 steps 5 and 6: entry and exit (MODEL 4.8), and founding (MODEL 4.7).
extension Simulation {
  // MARK: Step 5 — entry and exit

  mutating func entryAndExit(_ t: Int) throws(PopulationLimitError) {
    let present = professionals.presentCount
    let exiting = exitingSlots(t)
    for chunk in exiting {
      for p in chunk {
        move(p, to: Professionals.gone, reason: .exit)
        professionals.remove(at: p)
      }
    }
    var entryDraws = stream(.entry, 0, t)
    let mean = Double(present) * config.population.entryPerYear / Double(config.time.ticksPerYear)
    // A mean beyond the limit cannot be drawn safely (nor end well): stop before drawing.
    let limit = PopulationLimit.limit(for: initialConfig)
    guard mean <= Double(limit) else {
      throw populationLimitError(t, arriving: mean, surge: false, limit: limit)
    }
    try addEntrants(entryDraws.poisson(mean: mean), t, surge: false)
    professionals.compactIfSparse()
  }

  /// Slots of the professionals who exit this tick, by chunk in slot order: drawn among those
  /// present at the start of the step, not this tick's arrivals (MODEL 4.8), from word x of
  /// each one's tick block.
  ///
  /// Not mutating, so the parallel closures borrow the simulation rather than copy it.
  func exitingSlots(_ t: Int) -> [[Int]] {
    let exitProbability = config.population.exitPerYear / Double(config.time.ticksPerYear)
    let batchSize = drawBatchSize
    let key = key
    return professionals.employer.withUnsafeBufferPointer { employerBuffer in
      professionals.id.withUnsafeBufferPointer { idBuffer in
        nonisolated(unsafe) let employer = employerBuffer
        nonisolated(unsafe) let id = idBuffer
        return parallel.mapChunks(count: arrivalsStart) { range in
          var out: [Int] = []
          var batch = PhiloxBatch(capacity: batchSize)
          var start = range.lowerBound
          while start < range.upperBound {
            let n = min(batchSize, range.upperBound - start)
            batch.computeTickBlocks(ids: id, from: start, count: n, key: key, tick: t)
            for i in 0..<n where employer[start + i] != Professionals.gone {
              if PhiloxBatch.uniform(batch.x[i]) < exitProbability { out.append(start + i) }
            }
            start += n
          }
          return out
        }
      }
    }
  }

  /// Adds `count` entrants: unemployed, skill Beta(entrantAlpha, entrantBeta) (MODEL 4.8).
  ///
  /// Throws, before any array grows, when they would take the population beyond its limit
  /// (`PopulationLimit`) or exhaust the professional ids.
  mutating func addEntrants(_ count: Int, _ t: Int, surge: Bool) throws(PopulationLimitError) {
    guard count > 0 else { return }
    let limit = PopulationLimit.limit(for: initialConfig)
    if count > limit - professionals.presentCount {
      throw populationLimitError(t, arriving: Double(count), surge: surge, limit: limit)
    }
    if count > Int(UInt32.max) - Int(professionals.nextID) {
      var error = populationLimitError(t, arriving: Double(count), surge: surge, limit: limit)
      error.identifiers = true
      throw error
    }
    professionals.reserveForGrowth(count)
    let slots = appendDrawnProfessionals(
      count, tick: t, skillAlpha: config.skill.entrantAlpha, skillBeta: config.skill.entrantBeta,
      drawTenure: false)
    flows.add(.outside, .unemployed, .entry, count)
    if config.output.moves {
      for p in slots {
        moves.append(
          Move(
            professional: professionals.id[p], fromFirm: -1, toFirm: -1, from: .outside,
            to: .unemployed, reason: .entry))
      }
    }
  }

  /// The error of a tick whose entrants would outgrow the population limit.
  func populationLimitError(_ t: Int, arriving: Double, surge: Bool, limit: Int)
    -> PopulationLimitError
  {
    PopulationLimitError(
      tick: t, population: professionals.presentCount, arriving: arriving, surge: surge,
      limit: limit, size: initialConfig.population.size,
      entryPerYear: config.population.entryPerYear)
  }

  // MARK: Step 6 — founding opportunities; step 7 — founding chosen

  /// What step 6 drew: who has a founding option, and the lead words step 7 needs.
  struct FoundingDraws {
    /// Slots of the professionals with a founding option, in slot order.
    var options: [Int32] = []
    /// Word w of every slot's tick block, by chunk of `Parallel.chunkSize` slots (step 7 reads
    /// her number of leads from it; the slots do not change between steps 6 and 7).
    var leadWords: [[UInt32]] = []
  }

  /// Who has a founding option this tick (Model.md 4.7), from words y and z of each one's tick
  /// block, and every slot's word w for step 7.
  ///
  /// An idea arrives with probability `founding.opportunityRate` · F^γ_f · q to a professional
  /// who is not the founder of a living startup; for an employed professional a non-compete
  /// binds with probability `policy.nonCompete` and removes the option. Both words exist for
  /// everyone, whatever the policy. Not mutating, so the parallel closures borrow the
  /// simulation rather than copy it.
  func drawFoundingOpportunities(_ t: Int) -> FoundingDraws {
    let f = config.founding
    let base = f.opportunityRate * pow(fundingClimate, f.climateExponent)
    let nonCompete = config.policy.nonCompete
    let batchSize = drawBatchSize
    let key = key
    let chunks: [(options: [Int32], leadWords: [UInt32])] = withProfessionalBuffers { b in
      let firms = self.firms
      return parallel.mapChunks(count: b.employer.count) { range in
        var out: [Int32] = []
        var leadWords = [UInt32](repeating: 0, count: range.count)
        var batch = PhiloxBatch(capacity: batchSize)
        var start = range.lowerBound
        while start < range.upperBound {
          let n = min(batchSize, range.upperBound - start)
          batch.computeTickBlocks(ids: b.id, from: start, count: n, key: key, tick: t)
          for i in 0..<n {
            let p = start + i
            leadWords[p - range.lowerBound] = batch.w[i]
            let e = b.employer[p]
            if e == Professionals.gone { continue }
            let own = Int(b.founded[p])
            if own >= 0 && firms.isLivingStartup(own) { continue }
            let idea = PhiloxBatch.uniform(batch.y[i])
            // q ≤ 1, so most draws are above the rate before skill is read.
            guard idea < base else { continue }
            let stopped = PhiloxBatch.uniform(batch.z[i])
            if idea < base * b.skill[p] && !(e >= 0 && stopped < nonCompete) {
              out.append(Int32(truncatingIfNeeded: p))
            }
          }
          start += n
        }
        return (out, leadWords)
      }
    }
    return FoundingDraws(options: chunks.flatMap(\.options), leadWords: chunks.map(\.leadWords))
  }

  /// Creates the startups of those who chose to found in step 7, in slot order (which fixes
  /// the new firms' indices), and counts their vacancies.
  mutating func foundStartups(_ founders: [Int32], _ t: Int) {
    firms.reserveForGrowth(founders.count)
    for p in founders {
      let j = createStartup(founder: Int(p), t)
      countVacancies(of: j)
    }
  }

  /// A new startup with its founder as the only employee (MODEL 4.7); returns its index.
  @discardableResult
  mutating func createStartup(founder p: Int, _ t: Int) -> Int {
    let j = firms.append(type: .startup, bornTick: Int32(t))
    var draws = stream(.newStartup, Int(professionals.id[p]), t)
    firms.quality[j] = draws.lognormal(mu: 0, sigma: config.startup.qualitySigma)
    firms.sponsorsVisas[j] = draws.bernoulli(config.visa.sponsorStartup)
    let cash = config.founding.seedCash * fundingClimate
    firms.cash[j] = cash
    firms.valuation[j] = cash / config.startup.dilution
    firms.stage[j] = 0
    firms.optionPool[j] = config.equity.poolFraction
    firms.equityOffer[j] = config.equity.offerByStage[0]
    firms.founderStake[j] = config.founding.founderStake
    let hireCost = config.wage.base.startup + config.startup.overheadPerHead
    firms.target[j] = (cash / (hireCost * config.startup.targetRunway)).rounded(.down)
    move(p, to: Int32(j), reason: .founding)
    professionals.founded[p] = Int32(j)
    startupsBorn += 1
    firms.burn[j] = startupBurn(headcount: 1, skillSum: professionals.skill[p])
    firms.revenue[j] = 0
    publish(j)
    return j
  }

  /// Vacancies V_j = max(0, round(n*_j) − n_j), counted once after step 6 (MODEL 3).
  mutating func countVacancies() {
    for j in 0..<firms.count { countVacancies(of: j) }
  }

  /// Firm j's vacancies, 0 if it is dead.
  mutating func countVacancies(of j: Int) {
    if firms.alive[j] {
      let wanted = firms.target[j].rounded(.toNearestOrAwayFromZero)
      let open = wanted - Double(firms.headcount[j])
      firms.vacancies[j] = open > 0 ? Int32(min(open, Double(Int32.max))) : 0
    } else {
      firms.vacancies[j] = 0
    }
  }
}

/// Read-only views of the professionals' arrays for parallel loops.
struct ProfessionalBuffers: @unchecked Sendable {
  let id: UnsafeBufferPointer<UInt32>
  let employer: UnsafeBufferPointer<Int32>
  let skill: UnsafeBufferPointer<Double>
  let weights: UnsafeBufferPointer<Float>
  let moneyWeight: UnsafeBufferPointer<Float>
  let riskAversion: UnsafeBufferPointer<Float>
  let visaDependent: UnsafeBufferPointer<Bool>
  let tenure: UnsafeBufferPointer<Int32>
  let grant: UnsafeBufferPointer<Double>
  let wealth: UnsafeBufferPointer<Double>
  let founded: UnsafeBufferPointer<Int32>

  /// The six preference weights of slot p.
  @inline(__always)
  func weights(_ p: Int) -> UnsafeBufferPointer<Float> {
    UnsafeBufferPointer(
      rebasing: weights[p * Professionals.attributeCount..<(p + 1) * Professionals.attributeCount])
  }
}

extension Simulation {
  /// Calls `body` with read-only buffers over every professional array.
  func withProfessionalBuffers<R>(_ body: (ProfessionalBuffers) -> R) -> R {
    let pr = professionals
    return pr.id.withUnsafeBufferPointer { id in
      pr.employer.withUnsafeBufferPointer { employer in
        pr.skill.withUnsafeBufferPointer { skill in
          pr.weights.withUnsafeBufferPointer { weights in
            pr.moneyWeight.withUnsafeBufferPointer { moneyWeight in
              pr.riskAversion.withUnsafeBufferPointer { riskAversion in
                pr.visaDependent.withUnsafeBufferPointer { visa in
                  pr.tenure.withUnsafeBufferPointer { tenure in
                    pr.grant.withUnsafeBufferPointer { grant in
                      pr.wealth.withUnsafeBufferPointer { wealth in
                        pr.founded.withUnsafeBufferPointer { founded in
                          body(
                            ProfessionalBuffers(
                              id: id, employer: employer, skill: skill, weights: weights,
                              moneyWeight: moneyWeight, riskAversion: riskAversion,
                              visaDependent: visa, tenure: tenure, grant: grant, wealth: wealth,
                              founded: founded))
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
