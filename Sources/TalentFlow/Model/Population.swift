import Foundation

/// MODEL 3 steps 5 and 6: entry and exit (MODEL 4.8), and founding (MODEL 4.7).
extension Simulation {
  // MARK: Step 5 — entry and exit

  /// Exits, then entrants (MODEL 4.8). Returns what its pass over the tick blocks found for
  /// step 6, or nil when slots moved (compaction) and step 6 must draw for itself.
  mutating func entryAndExit(_ t: Int) throws(PopulationLimitError) -> TickBlockPass? {
    let present = professionals.presentCount
    let pass = tickBlockPass(t)
    for chunk in pass {
      for p in chunk.exits {
        move(Int(p), to: Professionals.gone, reason: .exit)
        professionals.remove(at: Int(p))
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
    // Compaction moves slots, so what the pass found for step 6 no longer names them.
    if professionals.compactIfSparse() || !sharesTickBlocks { return nil }
    return TickBlockPass(end: arrivalsStart, chunks: pass)
  }

  /// Step 5's pass over the tick blocks of the slots present at the start of the step (not
  /// this tick's arrivals), by chunk in slot order: who exits (word x, MODEL 4.8) and, for
  /// those who stay, what step 6 draws from words y, z and w (`FoundingRule`).
  ///
  /// Nothing step 6 reads of a slot that stays changes in between (her employer, skill and
  /// founded startup; the firms; the funding climate of step 2), so one block per
  /// professional serves both steps. Not mutating, so the parallel closures borrow the
  /// simulation rather than copy it.
  func tickBlockPass(_ t: Int) -> [TickBlockPass.Chunk] {
    let exitProbability = config.population.exitPerYear / Double(config.time.ticksPerYear)
    let founding = FoundingRule(self)
    let leads = LeadCountRule(config.market)
    let batchSize = drawBatchSize
    let key = key
    return withProfessionalBuffers { b in
      parallel.mapChunks(count: arrivalsStart) { range in
        var chunk = TickBlockPass.Chunk()
        var batch = PhiloxBatch(capacity: batchSize)
        chunk.appendDecisions(
          of: range, b, tick: t, key: key, exitProbability: exitProbability, founding: founding,
          leads: leads, batch: &batch)
        return chunk
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

  /// What step 6 drew: who has a founding option, and who has leads in step 7.
  struct FoundingDraws {
    /// Slots of the professionals with a founding option, in slot order.
    var options: [Int32] = []
    /// By chunk of `Parallel.chunkSize` slots (the slots do not change between steps 6 and
    /// 7), the slots with at least one lead and how many (`TickBlockPass.Chunk.leads`).
    var leads: [TickBlockPass.Leads] = []
  }

  /// Who has a founding option this tick (Model.md 4.7), from words y and z of each one's tick
  /// block, and who has leads in step 7 (word w).
  ///
  /// `stepFive`, when step 5 kept it, already holds both for the slots below its `end`; only
  /// the later slots (this tick's arrivals) have their blocks computed here. Not mutating, so
  /// the parallel closures borrow the simulation rather than copy it.
  func drawFoundingOpportunities(_ t: Int, after stepFive: TickBlockPass?) -> FoundingDraws {
    let founding = FoundingRule(self)
    let leads = LeadCountRule(config.market)
    let batchSize = drawBatchSize
    let key = key
    let kept = stepFive?.chunks ?? []
    let keptEnd = stepFive?.end ?? 0
    let chunks: [TickBlockPass.Chunk] = withProfessionalBuffers { b in
      parallel.mapChunks(count: b.employer.count) { range in
        let c = range.lowerBound / Parallel.chunkSize
        // A chunk step 5 covered whole is taken as it is (its arrays shared, not copied).
        var chunk = c < kept.count ? kept[c] : TickBlockPass.Chunk()
        let start = max(range.lowerBound, min(keptEnd, range.upperBound))
        if start < range.upperBound {
          var batch = PhiloxBatch(capacity: batchSize)
          // Exits were step 5's (arrivals cannot exit): probability 0, which no u is below.
          chunk.appendDecisions(
            of: start..<range.upperBound, b, tick: t, key: key, exitProbability: 0,
            founding: founding, leads: leads, batch: &batch)
        }
        return chunk
      }
    }
    return FoundingDraws(options: chunks.flatMap(\.options), leads: chunks.map(\.leads))
  }

  /// Creates the startups of those who chose to found in step 7, in slot order (which fixes
  /// the new firms' indices); each publishes at birth, and its vacancies are counted.
  ///
  /// What a new startup publishes and its vacancies depend on its own state only, which no
  /// later founding changes (a founder leaves a firm that existed before the tick's search),
  /// so they are worked out after all are created.
  mutating func foundStartups(_ founders: [Int32], _ t: Int) {
    firms.reserveForGrowth(founders.count)
    let first = firms.count
    for p in founders { createStartup(founder: Int(p), t) }
    store([birthPublications(first..<firms.count)])
    for j in first..<firms.count { countVacancies(of: j) }
  }

  /// A new startup with its founder as the only employee (MODEL 4.7); returns its index.
  ///
  /// It has not published yet (`birthPublications`).
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
    let burn = startupBurn(headcount: 1, skillSum: professionals.skill[p])
    firms.burn[j] = burn
    firms.revenue[j] = 0
    return j
  }

  /// Vacancies V_j = max(0, round(n*_j) − n_j), counted once after step 6 (MODEL 3).
  mutating func countVacancies() {
    let alive = firms.alive
    let target = firms.target
    let headcount = firms.headcount
    firms.vacancies.withUnsafeMutableBufferPointer { vacancies in
      for j in vacancies.indices {
        vacancies[j] = Firms.vacancies(alive: alive[j], target: target[j], headcount: headcount[j])
      }
    }
  }

  /// Counts firm j's vacancies.
  mutating func countVacancies(of j: Int) {
    firms.vacancies[j] = Firms.vacancies(
      alive: firms.alive[j], target: firms.target[j], headcount: firms.headcount[j])
  }
}

/// What step 5's pass over the tick blocks found for step 6, for the slots below `end`.
struct TickBlockPass {
  /// The professionals of a chunk with at least one lead in step 7, in slot order, and how
  /// many (word w; `LeadCountRule` never counts more than 255).
  ///
  /// A slot is kept as its offset from the chunk's first slot, in two bytes: chunks are cut at
  /// multiples of `Parallel.chunkSize`, which is at most 65,536.
  struct Leads {
    var offsets: [UInt16] = []
    var counts: [UInt8] = []

    /// The slot of entry l, in the chunk whose first slot is `first`.
    @inline(__always)
    func slot(_ l: Int, first: Int) -> Int32 {
      Int32(truncatingIfNeeded: first + Int(offsets[l]))
    }
  }

  /// One chunk of `Parallel.chunkSize` slots.
  struct Chunk {
    /// Slots that exit this tick, in slot order.
    var exits: [Int32] = []
    /// Slots that stay and have a founding option, in slot order.
    var options: [Int32] = []
    /// Slots that stay and have at least one lead in step 7: about a third of them.
    var leads = Leads()

    /// Appends what the tick blocks of `slots` (the slots after those the chunk holds) decide:
    /// for each one present, her exit (word x: u < `exitProbability`) or else her number of
    /// leads (word w) and her founding option (`FoundingRule`, words y and z).
    ///
    /// A professional's employment, which sets her mean number of leads, does not change
    /// between this pass and step 7 (those who exit are gone by then, and arrivals are
    /// counted by step 6, as unemployed). Each batch's professionals with leads are collected
    /// by adding 0 or 1 to a count rather than by a branch, which about a third of them would
    /// take at random.
    mutating func appendDecisions(
      of slots: Range<Int>, _ b: ProfessionalBuffers, tick t: Int, key: PhiloxKey,
      exitProbability: Double, founding: FoundingRule, leads rule: LeadCountRule,
      batch: inout PhiloxBatch
    ) {
      precondition(Parallel.chunkSize <= 1 << 16, "a slot's offset in its chunk fits two bytes")
      let capacity = batch.capacity
      // Chunks start at multiples of `Parallel.chunkSize`; `slots` may start inside one.
      let first = slots.lowerBound / Parallel.chunkSize * Parallel.chunkSize
      var start = slots.lowerBound
      // Room for the expected number with leads and a batch more, so the lists rarely grow
      // (growing doubles an array's room).
      let expected = Int(Double(slots.count) * rule.mostWithLeads) + capacity
      leads.offsets.reserveCapacity(leads.offsets.count + expected)
      leads.counts.reserveCapacity(leads.counts.count + expected)
      withUnsafeTemporaryAllocation(of: UInt16.self, capacity: capacity) { foundSlots in
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { foundCounts in
          while start < slots.upperBound {
            let n = min(capacity, slots.upperBound - start)
            batch.computeTickBlocks(ids: b.id, from: start, count: n, key: key, tick: t)
            var found = 0
            for i in 0..<n {
              let p = start + i
              let e = b.employer[p]
              // The gone (up to a quarter of the slots, at random) decide nothing. Rather than
              // skip them by a branch, their decisions are worked out and dropped: each of the
              // three below is kept only if she is present, tested after the rare outcome.
              let present = e != Professionals.gone
              if PhiloxBatch.uniform(batch.x[i]) < exitProbability && present {
                exits.append(Int32(truncatingIfNeeded: p))
                continue
              }
              let k = rule.count(employed: e >= 0, w: batch.w[i])
              // found ≤ i, so the writes stay inside the buffers.
              foundSlots[found] = UInt16(truncatingIfNeeded: p - first)
              foundCounts[found] = k
              found &+= (k != 0 ? 1 : 0) & (present ? 1 : 0)
              if founding.hasOption(p, b, y: batch.y[i], z: batch.z[i]) && present {
                options.append(Int32(truncatingIfNeeded: p))
              }
            }
            leads.offsets.append(contentsOf: UnsafeBufferPointer(rebasing: foundSlots[..<found]))
            leads.counts.append(contentsOf: UnsafeBufferPointer(rebasing: foundCounts[..<found]))
            start += n
          }
        }
      }
    }
  }

  /// First slot the pass did not cover (this tick's arrivals start there).
  let end: Int
  let chunks: [Chunk]
}

/// Whether a founding opportunity comes to a professional and survives the non-compete
/// (Model.md 4.7), from words y and z of her tick block.
///
/// An idea arrives with probability `founding.opportunityRate` · F^γ_f · q to a professional
/// who is not the founder of a living startup; for an employed professional a non-compete
/// binds with probability `policy.nonCompete` and removes the option. Both words exist for
/// everyone, whatever the policy.
struct FoundingRule: Sendable {
  /// rate · F^γ: the probability for q = 1.
  let base: Double
  let nonCompete: Double
  let firms: Firms

  init(_ sim: Simulation) {
    let f = sim.config.founding
    base = f.opportunityRate * PortableMath.pow(sim.fundingClimate, f.climateExponent)
    nonCompete = sim.config.policy.nonCompete
    firms = sim.firms
  }

  /// Whether present slot p has a founding option this tick.
  @inline(__always)
  func hasOption(_ p: Int, _ b: ProfessionalBuffers, y: UInt32, z: UInt32) -> Bool {
    let idea = PhiloxBatch.uniform(y)
    // q ≤ 1, so most draws are above the rate before skill, or whether she founded a living
    // startup, is read (the conditions have no side effects, so their order changes nothing).
    guard idea < base else { return false }
    let own = Int(b.founded[p])
    if own >= 0 && firms.isLivingStartup(own) { return false }
    let stopped = PhiloxBatch.uniform(z)
    return idea < base * b.skill[p] && !(b.employer[p] >= 0 && stopped < nonCompete)
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
