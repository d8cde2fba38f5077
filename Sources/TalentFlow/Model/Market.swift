import Foundation

/// One application from search (step 7) to matching (step 8).
struct Application: Sendable {
  var slot: Int32
  var firm: Int32
  var score: Double
  var id: UInt32
}

/// MODEL 3 steps 7–9: search and choice (MODEL 4.5), matching (4.6) and updates (4.9).
extension Simulation {
  // MARK: Step 7 — search and choice

  /// Every professional looks at her leads and picks at most one application, in parallel.
  func search(_ t: Int, founders: [Int]) -> [Application] {
    // Leads are drawn ∝ vacancies among firms that published offers this tick.
    var leadWeights = [Double](repeating: 0, count: firms.count)
    for j in 0..<firms.count where firms.alive[j] && firms.bornTick[j] != Int32(t) {
      leadWeights[j] = Double(firms.vacancies[j])
    }
    let leads = AliasTable(weights: leadWeights)
    if leads.isEmpty { return [] }

    let firms = self.firms
    let market = config.market
    let nonCompete = config.policy.nonCompete
    let context = UtilityContext(self)
    let t32 = Int32(t)

    let chunks: [[Application]] = withProfessionalBuffers { b in
      parallel.mapChunks(count: b.employer.count) { range in
        var out: [Application] = []
        var options: [Int32] = []
        var utilities: [Double] = []
        for p in range {
          let e = b.employer[p]
          if e == Professionals.gone { continue }
          // A founder does not search in the tick she founds her startup.
          if e >= 0 && b.founded[p] == e && firms.bornTick[Int(e)] == t32 { continue }
          let employed = e >= 0
          var draws = stream(.search, Int(b.id[p]), t)
          let mean = employed ? market.leadsEmployed : market.leadsUnemployed
          let k = RandomStream.poissonInversion(mean: mean, u: draws.uniform())
          if k == 0 { continue }
          // Explore: leads with replacement; drawing the employer wastes a lead; filters drop.
          options.removeAll(keepingCapacity: true)
          for _ in 0..<k {
            let j = leads.sample(draws.uniform())
            let binds = draws.uniform() < nonCompete
            if Int32(j) == e { continue }
            if b.visaDependent[p] && !firms.sponsorsVisas[j] { continue }
            if employed && binds { continue }
            if !options.contains(Int32(j)) { options.append(Int32(j)) }
          }
          let choiceDraw = draws.uniform()
          if options.isEmpty { continue }
          // Apply: multinomial logit over {stay} ∪ options.
          utilities.removeAll(keepingCapacity: true)
          let stay = context.stayUtility(b, p)
          var best = stay
          for j in options {
            let u = context.utility(b, p, firm: Int(j))
            utilities.append(u)
            best = max(best, u)
          }
          let tau = market.choiceTemperature
          var total = exp((stay - best) / tau)
          for u in utilities { total += exp((u - best) / tau) }
          var threshold = choiceDraw * total - exp((stay - best) / tau)
          if threshold < 0 { continue }  // she stays
          var chosen = -1
          for (k, u) in utilities.enumerated() {
            threshold -= exp((u - best) / tau)
            if threshold < 0 {
              chosen = k
              break
            }
          }
          if chosen < 0 { chosen = utilities.count - 1 }  // rounding at the top end
          // Decide: she applies, with a noisy score.
          let score = b.skill[p] + market.hiringNoise * draws.normal()
          out.append(Application(slot: Int32(p), firm: options[chosen], score: score, id: b.id[p]))
        }
        return out
      }
    }
    return chunks.flatMap { $0 }
  }

  // MARK: Step 8 — matching

  /// Firms, in index order, accept their best applicants up to their vacancies (MODEL 4.6).
  mutating func match(_ applications: [Application]) {
    let ordered = applications.sorted { a, b in
      if a.firm != b.firm { return a.firm < b.firm }
      if a.score != b.score { return a.score > b.score }
      return a.id < b.id
    }
    var start = 0
    while start < ordered.count {
      let j = Int(ordered[start].firm)
      var end = start
      while end < ordered.count && Int(ordered[end].firm) == j { end += 1 }
      firms.applications[j] = Int32(end - start)
      let accepted = min(end - start, Int(firms.vacancies[j]))
      for a in ordered[start..<(start + accepted)] {
        let p = Int(a.slot)
        let reason: FlowReason = professionals.employer[p] >= 0 ? .voluntary : .hire
        move(p, to: Int32(j), reason: reason)
        grantEquity(p, at: j)
      }
      firms.hires[j] = Int32(accepted)
      start = end
    }
    // This tick's market becomes "last tick's" for next tick's offers (MODEL 4.3).
    for j in 0..<firms.count {
      firms.lastVacancies[j] = firms.vacancies[j]
      firms.lastHires[j] = firms.hires[j]
      firms.lastApplications[j] = firms.applications[j]
      firms.hires[j] = 0
      firms.applications[j] = 0
    }
  }

  // MARK: Step 9 — updates

  /// Tenure, skill growth on the job and skill decay out of it (MODEL 4.9), in parallel.
  mutating func updateProfessionals() {
    let learning = config.skill.learningRate
    let decay = config.skill.decay
    let published = firms.published
    let parallel = self.parallel
    professionals.employer.withUnsafeBufferPointer { employerBuffer in
      professionals.skill.withUnsafeMutableBufferPointer { skillBuffer in
        professionals.tenure.withUnsafeMutableBufferPointer { tenureBuffer in
          nonisolated(unsafe) let employer = employerBuffer
          nonisolated(unsafe) let skill = skillBuffer
          nonisolated(unsafe) let tenure = tenureBuffer
          parallel.forEachChunk(count: employer.count) { _, range, _ in
            for p in range {
              let e = employer[p]
              if e >= 0 {
                tenure[p] += 1
                let career = published[Int(e) * Firms.publishedStride + 2]
                skill[p] = min(1, max(0.01, skill[p] + learning * career * (1 - skill[p])))
              } else if e == Professionals.unemployed {
                skill[p] = min(1, max(0.01, skill[p] * (1 - decay)))
              }
            }
          }
        }
      }
    }
  }
}

/// What utility needs from the firms and the configuration, gathered once per tick.
struct UtilityContext: @unchecked Sendable {
  let published: ContiguousArray<Double>
  let firmType: ContiguousArray<FirmType>
  /// A founder's perceived stake value in her startup, by firm (MODEL 4.4).
  let founderStakeValue: [Double]
  let job: JobUtility
  let switchCost: Double
  let unemployedUtility: Double
  let cliff: Int
  let vest: Int

  init(_ sim: Simulation) {
    published = sim.firms.published
    firmType = sim.firms.type
    let e = sim.config.equity
    var stakes = [Double](repeating: 0, count: sim.firms.count)
    for j in 0..<sim.firms.count where sim.firms.type[j] == .startup {
      let odds = min(1, e.optimism * e.exitProbability[Int(sim.firms.stage[j])])
      stakes[j] = sim.firms.founderStake[j] * sim.firms.valuation[j] * odds
    }
    founderStakeValue = stakes
    job = JobUtility(sim.config.utility)
    switchCost = sim.config.utility.switchCost
    unemployedUtility = sim.config.utility.unemployed
    cliff = sim.config.equity.cliffTicks
    vest = sim.config.equity.vestTicks
  }

  /// U of professional p at firm j, from what j published (MODEL 4.4).
  @inline(__always)
  func utility(_ b: ProfessionalBuffers, _ p: Int, firm j: Int) -> Double {
    let base = j * Firms.publishedStride
    let w = p * Professionals.attributeCount
    var preference = 0.0
    for k in 0..<Professionals.attributeCount {
      preference += Double(b.weights[w + k]) * published[base + k]
    }
    return job.utility(
      preference: preference, moneyWeight: Double(b.moneyWeight[p]),
      riskAversion: Double(b.riskAversion[p]),
      monthlyWage: published[base + Firms.wageBaseSlot] * (0.5 + b.skill[p]),
      yearlyEquity: published[base + Firms.equityValueSlot], stability: published[base])
  }

  /// Her current utility without the stay bonus; the unemployed get `utility.unemployed`.
  @inline(__always)
  func currentUtility(_ b: ProfessionalBuffers, _ p: Int) -> Double {
    let e = Int(b.employer[p])
    return e >= 0 ? utility(b, p, firm: e) : unemployedUtility
  }

  /// U_stay: current utility, the switch cost, and the unvested equity she would forfeit.
  @inline(__always)
  func stayUtility(_ b: ProfessionalBuffers, _ p: Int) -> Double {
    let e = Int(b.employer[p])
    if e < 0 { return unemployedUtility }
    let base = e * Firms.publishedStride
    let comp =
      published[base + Firms.wageBaseSlot] * (0.5 + b.skill[p])
      + published[base + Firms.equityValueSlot] / 12
    var unvested = b.grant[p] * (1 - vestedFraction(tenure: b.tenure[p], cliff: cliff, vest: vest))
    if b.founded[p] == Int32(e) && firmType[e] == .startup { unvested += founderStakeValue[e] }
    let lambda = Double(b.moneyWeight[p])
    return utility(b, p, firm: e) + switchCost + lambda * log(1 + unvested / (12 * comp))
  }
}
