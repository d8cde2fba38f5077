import Foundation

/// MODEL 3 steps 1–3: scenario events, the funding climate and firm finance.
extension Simulation {
  // MARK: Step 1 — scenario events (MODEL 4.10)

  mutating func applyEvents(_ t: Int) throws(PopulationLimitError) {
    for event in config.events where event.tick == t {
      switch event.action {
      case .set(let path, let value):
        do {
          try config.set(path: path, value: value, source: "event")
        } catch {
          // Every event was validated when the configuration was loaded.
          fatalError("a validated set event failed at tick \(t): \(error)")
        }
      case .layoffs(let sector, let fraction):
        layOffSector(sector, fraction: fraction)
      case .fundingShock(let multiplier, let ticks):
        // Validation bounds `ticks` (ScenarioEvent.maximumTick); saturate all the same.
        let last = t.addingReportingOverflow(max(ticks, 1) - 1)
        fundingShocks.append(
          (first: t, last: last.overflow ? Int.max : last.partialValue, multiplier: multiplier))
      case .entrySurge(let count):
        try addEntrants(count, t, surge: true)
      }
    }
  }

  /// A `layoffs` event: round(fraction · n_j) of every living firm of the sector, lowest skill
  /// first, without noise; big tech's demand base falls and its layoff memory rises.
  mutating func layOffSector(_ sector: FirmType, fraction: Double) {
    var flagged = [Bool](repeating: false, count: firms.count)
    for j in 0..<firms.count where firms.alive[j] && firms.type[j] == sector { flagged[j] = true }
    let lists = members(ofFlagged: flagged)
    for j in 0..<firms.count where flagged[j] {
      let count = Int((fraction * Double(firms.headcount[j])).rounded(.toNearestOrAwayFromZero))
      if count > 0, let list = lists[j] {
        layOff(count, of: list, scores: list.map { professionals.skill[$0] })
      }
      if sector == .bigtech {
        firms.demandBase[j] *= 1 - fraction
        firms.layoffMemory[j] += fraction
      }
    }
  }

  // MARK: Step 2 — funding climate (MODEL 4.1)

  mutating func updateFundingClimate(_ t: Int) {
    var draws = stream(.climate, 0, t)
    let epsilon = draws.normal()
    lnClimateProcess = config.macro.persistence * lnClimateProcess
      + config.macro.volatility * epsilon
    var f = PortableMath.exp(lnClimateProcess)
    if t >= 1 {
      f *= fundingSeriesMultiplier(at: t)
      for shock in fundingShocks where shock.first <= t && t <= shock.last {
        f *= shock.multiplier
      }
    }
    fundingClimate = f
  }

  /// The piecewise-linear `macro.fundingSeries` at tick t, constant beyond its ends.
  func fundingSeriesMultiplier(at t: Int) -> Double {
    let series = config.macro.fundingSeries
    guard let first = series.first, let last = series.last else { return 1 }
    let x = Double(t)
    if x <= first.tick { return first.multiplier }
    if x >= last.tick { return last.multiplier }
    for k in 1..<series.count where x <= series[k].tick {
      let a = series[k - 1]
      let b = series[k]
      return a.multiplier + (b.multiplier - a.multiplier) * (x - a.tick) / (b.tick - a.tick)
    }
    return last.multiplier
  }

  // MARK: Step 3 — firm finance (MODEL 4.2)

  /// What happens to a startup in step 3, decided before anyone is moved.
  enum StartupOutcome: Sendable {
    case failure
    /// Acquired by the big-tech firm that `draw` picks, weighted by head count.
    case acquisition(draw: Double)
    case graduation
    case distress(cut: Int, closes: Bool)
    case closure
  }

  mutating func firmFinance(_ t: Int) {
    let skillSums = carriedSkillSums() ?? firmSkillSums()
    let climate = fundingClimate
    let s = config.startup

    // Big-tech head counts at the start of step 3: whether an acquired startup finds a buyer,
    // and the graduation bar.
    var bigTechTotal = 0.0
    var bigTechLiving = 0
    for j in 0..<firms.count where firms.type[j] == .bigtech && firms.alive[j] {
      bigTechTotal += Double(firms.headcount[j])
      bigTechLiving += 1
    }
    let meanBigTech = bigTechLiving > 0 ? bigTechTotal / Double(bigTechLiving) : 0
    let hireCost = config.wage.base.startup + s.overheadPerHead

    // Sub-steps 1–10 for every living startup. A startup's fate depends on its own state and
    // draws only, so each is worked out in parallel chunks of firms from the state as it is,
    // then written back and its outcome listed in firm-index order; people move after.
    let rules = StartupFinanceRules(
      t: t, climate: climate, meanBigTech: meanBigTech, bigTechLiving: bigTechLiving,
      hasAcquirers: bigTechTotal > 0, hireCost: hireCost)
    let decided = startupFinances(skillSums: skillSums, rules)
    var outcomes: [(firm: Int, outcome: StartupOutcome)] = []
    // A reset offer (round or graduation) skips adjustment in that tick only (MODEL 4.3).
    firms.roundThisTick.withUnsafeMutableBufferPointer { $0.update(repeating: false) }
    store(decided)
    for chunk in decided {
      for finance in chunk {
        if let outcome = finance.outcome { outcomes.append((finance.firm, outcome)) }
      }
    }
    applyStartupOutcomes(outcomes)
    var graduates: Set<Int> = []
    for (j, outcome) in outcomes { if case .graduation = outcome { graduates.insert(j) } }
    bigTechFinance(t, graduates: graduates)
  }

  /// What step 3 does to one startup this tick, before anyone moves.
  struct StartupFinance: Sendable {
    let firm: Int
    var roundThisTick = false
    var age: Int32
    var burn = 0.0
    var revenue = 0.0
    var cash: Double
    var valuation: Double
    var stage: Int8
    var optionPool: Double
    var founderStake: Double
    var equityOffer: Double
    var target: Double
    var lastCut: Int32
    var outcome: StartupOutcome?
  }

  /// The tick's values that every startup's finance uses.
  struct StartupFinanceRules: Sendable {
    let t: Int
    let climate: Double
    let meanBigTech: Double
    let bigTechLiving: Int
    /// Some living big-tech firm has an employee, so an acquired startup has a buyer.
    let hasAcquirers: Bool
    let hireCost: Double
  }

  /// The acquirer table of MODEL 4.2 sub-step 6: every firm weighted by its head count if it is
  /// a living big-tech firm, 0 otherwise, as at the start of step 3.
  ///
  /// It spans every firm, so it is built only in ticks with an acquisition (74 of the
  /// baseline's 120).
  func acquirerTable() -> AliasTable {
    var weights = [Double](repeating: 0, count: firms.count)
    for j in 0..<firms.count where firms.type[j] == .bigtech && firms.alive[j] {
      weights[j] = Double(firms.headcount[j])
    }
    return AliasTable(weights: weights)
  }

  /// Every living startup's finance, in parallel chunks of firms, in firm-index order.
  ///
  /// Not mutating, so the parallel closures borrow the simulation rather than copy it.
  func startupFinances(skillSums: [Double], _ rules: StartupFinanceRules) -> [[StartupFinance]] {
    parallel.mapChunks(count: firms.count) { range in
      var out: [StartupFinance] = []
      out.reserveCapacity(range.count(where: { firms.isLivingStartup($0) }))
      for j in range where firms.isLivingStartup(j) {
        out.append(startupFinance(j, skillSum: skillSums[j], rules))
      }
      return out
    }
  }

  /// Sub-steps 1–10 of MODEL 4.2 for living startup j, from the state as it is (read only).
  func startupFinance(_ j: Int, skillSum: Double, _ rules: StartupFinanceRules) -> StartupFinance {
    let s = config.startup
    let t = rules.t
    let climate = rules.climate
    var f = StartupFinance(
      firm: j, age: firms.age[j] + 1, cash: firms.cash[j], valuation: firms.valuation[j],
      stage: firms.stage[j], optionPool: firms.optionPool[j],
      founderStake: firms.founderStake[j], equityOffer: firms.equityOffer[j],
      target: firms.target[j], lastCut: firms.lastCut[j])
    let n = Double(firms.headcount[j])
    let theta = firms.quality[j]
    // 1. wages and burn
    let burn = startupBurn(headcount: n, skillSum: skillSum)
    // 2. revenue
    let ramp = min(1, Double(f.age) / s.rampTicks)
    let revenue = theta * s.revenuePerSkill * skillSum * ramp
    f.burn = burn
    f.revenue = revenue
    // 3. cash and runway
    f.cash += revenue - burn
    let runway = f.cash / max(burn - revenue, 1)
    // 4. funding round
    var raised = false
    if runway < s.raiseBelowRunway {
      let next = min(Int(f.stage) + 1, 3)
      let hazard = s.roundRate[next] * PortableMath.pow(climate, s.climateExponent) * theta
      var draws = stream(.round, j, t)
      if draws.uniform() < 1 - PortableMath.exp(-hazard) {
        raised = true
        let amount = s.roundSize[next] * climate * theta
        f.cash += amount
        f.valuation = amount / s.dilution
        f.stage = Int8(next)
        f.optionPool = config.equity.poolFraction
        f.founderStake *= 1 - s.dilution
        f.equityOffer = config.equity.offerByStage[next]
        f.roundThisTick = true
      }
    }
    // 5. failure
    if f.cash <= 0 {
      f.outcome = .failure
      return f
    }
    // 6. acquisition
    let acquisitionHazard =
      s.acquisitionRate * (1 - config.policy.antitrust) * theta * min(1, n / 10)
    var acquisitionDraws = stream(.acquisition, j, t)
    let acquired = acquisitionDraws.uniform() < 1 - PortableMath.exp(-acquisitionHazard)
    let acquirerDraw = acquisitionDraws.uniform()
    if acquired && rules.hasAcquirers {
      f.outcome = .acquisition(draw: acquirerDraw)
      return f
    }
    // 7. graduation
    if f.stage == 3 && n >= s.graduationShare * rules.meanBigTech && rules.bigTechLiving > 0 {
      f.outcome = .graduation
      return f
    }
    // 8. target
    f.target = (f.cash / (rules.hireCost * s.targetRunway)).rounded(.down)
    // 9. distress
    var cut = 0
    if runway < s.minRunway && !raised
      && (f.lastCut == Int32.min || t - Int(f.lastCut) > s.distressCooldown)
    {
      cut = Int((s.distressLayoffFraction * n).rounded(.up))
      if cut > 0 { f.lastCut = Int32(t) }
    }
    // 10. closure
    let closes = firms.headcount[j] - Int32(cut) <= 0
    if cut > 0 {
      f.outcome = .distress(cut: cut, closes: closes)
    } else if closes {
      f.outcome = .closure
    }
    return f
  }

  /// Writes the startups' finances back into the firms, chunk by chunk, and in each chunk
  /// array by array through the array's buffer.
  ///
  /// This runs on one thread for every living startup. Written value by value, each write
  /// checked the array's uniqueness (a call into the runtime), which took most of the time; a
  /// chunk's finances (at most `Parallel.chunkSize` firms) stay in cache for the twelve passes.
  mutating func store(_ decided: [[StartupFinance]]) {
    for chunk in decided {
      func write<Value>(
        _ values: inout ContiguousArray<Value>, _ value: (StartupFinance) -> Value
      ) {
        values.withUnsafeMutableBufferPointer { buffer in
          for f in chunk { buffer[f.firm] = value(f) }
        }
      }
      write(&firms.roundThisTick) { $0.roundThisTick }
      write(&firms.age) { $0.age }
      write(&firms.burn) { $0.burn }
      write(&firms.revenue) { $0.revenue }
      write(&firms.cash) { $0.cash }
      write(&firms.valuation) { $0.valuation }
      write(&firms.stage) { $0.stage }
      write(&firms.optionPool) { $0.optionPool }
      write(&firms.founderStake) { $0.founderStake }
      write(&firms.equityOffer) { $0.equityOffer }
      write(&firms.target) { $0.target }
      write(&firms.lastCut) { $0.lastCut }
    }
  }

  /// Moves the people of this tick's failed, acquired, graduated and distressed startups.
  ///
  /// Acquirers are drawn from the firms as they were at the start of step 3: no outcome has
  /// been applied yet when the table is built (and nothing before changes who is alive, of
  /// which type, or head counts).
  mutating func applyStartupOutcomes(_ outcomes: [(firm: Int, outcome: StartupOutcome)]) {
    guard !outcomes.isEmpty else { return }
    let anyAcquired = outcomes.contains { entry in
      if case .acquisition = entry.outcome { return true }
      return false
    }
    let acquirers = anyAcquired ? acquirerTable() : nil
    var flagged = [Bool](repeating: false, count: firms.count)
    for (j, _) in outcomes { flagged[j] = true }
    let lists = members(ofFlagged: flagged)
    let s = config.startup
    for (j, outcome) in outcomes {
      let list = lists[j] ?? []
      switch outcome {
      case .failure:
        firms.retire(j, at: tick)
        startupsFailed += 1
        for p in list { move(p, to: Professionals.unemployed, reason: .failure) }
      case .acquisition(let draw):
        guard let acquirers else { preconditionFailure("no acquirer table for an acquisition") }
        let acquirer = acquirers.sample(draw)
        firms.retire(j, at: tick)
        startupsAcquired += 1
        let price = s.acquisitionPremium * firms.valuation[j]
        realiseEquity(of: list, at: j, companyValue: price)
        for p in list {
          move(p, to: Int32(acquirer), reason: .acquisition)
          grantEquity(p, at: acquirer)
        }
        firms.demandBase[acquirer] += Double(list.count)
      case .graduation:
        startupsGraduated += 1
        realiseEquity(of: list, at: j, companyValue: firms.valuation[j])
        firms.type[j] = .bigtech
        firms.revenue[j] = 0  // big tech keeps no startup accounts (MODEL 2)
        firms.layoffMemory[j] = 0
        firms.demandBase[j] = Double(firms.headcount[j])
        firms.target[j] = Double(firms.headcount[j])
        firms.equityOffer[j] = config.bigtech.rsuPerYear
        firms.roundThisTick[j] = true
        flows.add(.startup, .bigtech, .graduation, list.count)
        for p in list {
          grantEquity(p, at: j)
          if config.output.moves {
            moves.append(
              Move(
                professional: professionals.id[p], fromFirm: Int32(j), toFirm: Int32(j),
                from: .startup, to: .bigtech, reason: .graduation))
          }
        }
      case .distress(let cut, let closes):
        // Lowest skill first, the founder last.
        let scores = list.map { p in
          professionals.founded[p] == Int32(j) ? 2 + professionals.skill[p] : professionals.skill[p]
        }
        layOff(cut, of: list, scores: scores)
        if closes {
          firms.retire(j, at: tick)
          startupsFailed += 1
        }
      case .closure:
        firms.retire(j, at: tick)
        startupsFailed += 1
      }
    }
  }

  /// Realises vested startup equity into wealth at an exit (MODEL 4.2 sub-steps 6 and 7).
  ///
  /// Each employee realises the vested fraction of her stake; the founder, if she still works
  /// there, her whole diluted stake.
  mutating func realiseEquity(of list: [Int], at j: Int, companyValue: Double) {
    for p in list {
      let vested = vestedFraction(
        tenure: professionals.tenure[p], cliff: config.equity.cliffTicks,
        vest: config.equity.vestTicks)
      var gain = vested * professionals.stake[p] * companyValue
      if professionals.founded[p] == Int32(j) { gain += firms.founderStake[j] * companyValue }
      professionals.wealth[p] += gain
    }
  }

  /// Big-tech demand, targets and layoffs, for every living big-tech firm in index order.
  mutating func bigTechFinance(_ t: Int, graduates: Set<Int>) {
    let b = config.bigtech
    let growth = b.growthPerYear / Double(config.time.ticksPerYear)
    var layoffs: [(firm: Int, count: Int)] = []
    for j in 0..<firms.count where firms.type[j] == .bigtech && firms.alive[j] {
      if !graduates.contains(j) { firms.age[j] += 1 }  // a graduate aged as a startup
      firms.layoffMemory[j] *= b.layoffMemoryDecay
      var draws = stream(.bigtechDemand, j, t)
      firms.demandBase[j] *= PortableMath.exp(growth + b.targetNoise * draws.normal())
      let target = firms.demandBase[j] * PortableMath.pow(fundingClimate, b.climateSensitivity)
      firms.target[j] = target
      let n = Double(firms.headcount[j])
      if n > target * (1 + b.layoffSlack) {
        let count = Int(n - target.rounded(.toNearestOrAwayFromZero))
        if count > 0 { layoffs.append((j, count)) }
      }
    }
    guard !layoffs.isEmpty else { return }
    var flagged = [Bool](repeating: false, count: firms.count)
    for (j, _) in layoffs { flagged[j] = true }
    let lists = members(ofFlagged: flagged)
    let noise = config.market.hiringNoise
    for (j, count) in layoffs {
      let list = lists[j] ?? []
      let n = Double(list.count)
      let scores = list.map { p in
        var draws = stream(.layoffScore, Int(professionals.id[p]), t)
        return professionals.skill[p] + noise * draws.normal()
      }
      layOff(count, of: list, scores: scores)
      if n > 0 { firms.layoffMemory[j] += Double(count) / n }
    }
  }

  /// Σ skill of each firm's employees, summed in fixed point so that the result is the same in
  /// any order, on any number of threads.
  func firmSkillSums() -> [Double] {
    var sums = FirmSkillSums(firmCount: firms.count, workers: parallel.threads)
    sums.withPartials { partials in
      professionals.employer.withUnsafeBufferPointer { employerBuffer in
        professionals.skill.withUnsafeBufferPointer { skillBuffer in
          nonisolated(unsafe) let employer = employerBuffer
          nonisolated(unsafe) let skill = skillBuffer
          parallel.forEachChunk(count: employer.count) { _, range, worker in
            for p in range {
              let e = Int(employer[p])
              if e >= 0 { partials.add(skill[p], firm: e, worker: worker) }
            }
          }
        }
      }
    }
    return sums.totals()
  }

  /// Step 9's sums for this tick's step 3, if no one has moved since and no firm was added;
  /// they are used once.
  mutating func carriedSkillSums() -> [Double]? {
    defer { skillSumsAfterUpdates = nil }
    guard let sums = skillSumsAfterUpdates, sums.count == firms.count else { return nil }
    return sums
  }
}

/// Σ skill by firm in fixed point (units of 2^−40): per-worker partial sums of integers, so the
/// totals are the same in any order and on any number of threads.
struct FirmSkillSums {
  static let scale = 1099511627776.0  // 2^40
  let firmCount: Int
  let workers: Int
  private var partial: [Int64]

  init(firmCount: Int, workers: Int) {
    self.firmCount = firmCount
    self.workers = workers
    partial = [Int64](repeating: 0, count: firmCount * workers)
  }

  /// Where the workers of a parallel loop add their employees' skill.
  struct Partials: @unchecked Sendable {
    let sums: UnsafeMutableBufferPointer<Int64>
    let firmCount: Int

    /// Adds `skill` to firm j's sum of worker `worker` (each worker its own row).
    @inline(__always)
    func add(_ skill: Double, firm j: Int, worker: Int) {
      sums[worker * firmCount + j] &+= Int64(skill * FirmSkillSums.scale)
    }
  }

  /// Calls `body` with the partial sums, to be added to from `Parallel` workers.
  mutating func withPartials<R>(_ body: (Partials) -> R) -> R {
    let firmCount = self.firmCount
    return partial.withUnsafeMutableBufferPointer { buffer in
      body(Partials(sums: buffer, firmCount: firmCount))
    }
  }

  /// Each firm's Σ skill.
  func totals() -> [Double] {
    var result = [Double](repeating: 0, count: firmCount)
    for j in 0..<firmCount {
      var total: Int64 = 0
      for w in 0..<workers { total &+= partial[w * firmCount + j] }
      result[j] = Double(total) / FirmSkillSums.scale
    }
    return result
  }
}
