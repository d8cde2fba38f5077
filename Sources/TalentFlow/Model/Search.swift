import Foundation

/// MODEL 3 step 7: search and choice (MODEL 4.5), founding among the options (Model.md 4.7).
///
/// Every professional's draws come from her own stream, so a chunk of professionals can be
/// worked in phases: who has leads, which firms they are, which survive the filters, what the
/// options published, then the choice. Each phase is a short loop whose memory reads (the alias
/// table, the firms' published values) do not depend on one another, so the processor overlaps
/// their cache misses; doing each searcher start to finish would wait for them one by one. The
/// arithmetic and the order of the draws are those of MODEL 4.5, searcher by searcher.
extension Simulation {
  /// What step 7 decided: the applications, and who chose to found, both in slot order.
  struct Choices {
    var applications: [Application] = []
    var founders: [Int32] = []
  }

  /// Every professional looks at her leads (and her founding option, if she has one) and picks
  /// at most one, in parallel.
  func search(_ t: Int, founding: FoundingDraws, rows: PublishedRows) -> Choices {
    let foundingOptions = founding.options
    // Leads are drawn ∝ vacancies among firms that published offers this tick.
    var leadWeights = [Double](repeating: 0, count: firms.count)
    firms.alive.withUnsafeBufferPointer { alive in
      firms.bornTick.withUnsafeBufferPointer { bornTick in
        firms.vacancies.withUnsafeBufferPointer { vacancies in
          leadWeights.withUnsafeMutableBufferPointer { weights in
            let t32 = Int32(t)
            for j in 0..<weights.count where alive[j] && bornTick[j] != t32 {
              weights[j] = Double(vacancies[j])
            }
          }
        }
      }
    }
    let leads = AliasTable(weights: leadWeights)
    if leads.isEmpty && foundingOptions.isEmpty { return Choices() }

    let rules = SearchRules(self, t)
    let chunks: [Choices] = withProfessionalBuffers { b in
      precondition(
        founding.leadCounts.count == Parallel.chunkCount(b.employer.count),
        "step 6's lead counts must cover the slots of step 7")
      return withFirmView(rows) { f in
        parallel.mapChunks(count: b.employer.count) { range in
          var batch = SearchBatch()
          batch.findSearchers(
            range, foundingOptions: foundingOptions,
            leadCounts: founding.leadCounts[range.lowerBound / Parallel.chunkSize])
          batch.drawLeads(b, rules)
          batch.resolveLeads(leads)
          batch.filterLeads(b, f, rules)
          batch.gatherOptions(b, f)
          return batch.choose(b, f, rules)
        }
      }
    }
    var choices = Choices()
    for chunk in chunks {
      choices.applications += chunk.applications
      choices.founders += chunk.founders
    }
    return choices
  }
}

/// What search needs besides the professionals and firms, fixed for the tick.
struct SearchRules: Sendable {
  let key: PhiloxKey
  let tick: Int
  let market: Configuration.Market
  let nonCompete: Double
  let utility: UtilityContext
  /// What founding is worth this tick, for those with the option.
  let founding: FoundingOption

  init(_ sim: Simulation, _ t: Int) {
    key = sim.key
    tick = t
    market = sim.config.market
    nonCompete = sim.config.policy.nonCompete
    utility = UtilityContext(sim.config)
    founding = FoundingOption(sim.config, climate: sim.fundingClimate)
  }

  /// Professional `id`'s search stream this tick (MODEL 7), as it is after her choice draw,
  /// the first half of block `leads` (`SearchBatch.drawLeads`), whose second half is
  /// `secondHalf`: the hiring score's draws come next.
  @inline(__always)
  func streamAfterChoice(_ id: UInt32, leads: UInt8, secondHalf: UInt64) -> RandomStream {
    RandomStream(
      key: key, purpose: DrawPurpose.search.rawValue, entity: id,
      tick: Int32(truncatingIfNeeded: tick), afterFirstHalfOf: UInt32(leads),
      secondHalf: secondHalf)
  }
}

/// A professional's number of leads this tick (MODEL 4.5): Poisson with the mean for the
/// employed or the unemployed, by inversion of the uniform from word w of her tick block.
///
/// The inversion's cumulative probabilities depend on the mean only, so they are computed once
/// (`cumulative(mean:)`, the sums `RandomStream.poissonInversion` forms, in its order) and each
/// count is a few comparisons: the same count, without a division per professional.
struct LeadCountRule: Sendable {
  let employed: Sums
  let unemployed: Sums

  /// The cumulative sums of one mean: the first four in a vector (padded with +∞, which no u
  /// reaches), the rest after them.
  struct Sums: Sendable {
    let head: SIMD4<Double>
    let all: [Double]

    init(_ sums: [Double]) {
      var head = SIMD4<Double>(repeating: .infinity)
      for k in 0..<min(4, sums.count) { head[k] = sums[k] }
      self.head = head
      all = sums
    }
  }

  init(_ market: Configuration.Market) {
    employed = Sums(LeadCountRule.cumulative(mean: market.leadsEmployed))
    unemployed = Sums(LeadCountRule.cumulative(mean: market.leadsUnemployed))
  }

  /// P(N ≤ k) for k = 0, 1, … as `poissonInversion` sums them, up to the last sum that still
  /// grows: the inversion returns the number of them that u is not below.
  static func cumulative(mean: Double) -> [Double] {
    var p = exp(-mean)
    var sums = [p]
    var k = 0
    while true {
      k += 1
      p *= mean / Double(k)
      let next = sums[sums.count - 1] + p
      if next == sums[sums.count - 1] { return sums }
      sums.append(next)
    }
  }

  /// Her number of leads from word w.
  ///
  /// At most 170 for the largest mean the configuration allows (100), so it fits a byte.
  @inline(__always)
  func count(employed isEmployed: Bool, w: UInt32) -> UInt8 {
    let u = PhiloxBatch.uniform(w)
    return isEmployed
      ? LeadCountRule.count(u, sums: employed) : LeadCountRule.count(u, sums: unemployed)
  }

  /// How many of the cumulative `sums` u is not below, in order.
  ///
  /// The sums increase, so that is the number of them u is not below. The first four are
  /// compared at once, without a branch: for the model's means (below 1) nearly every count
  /// is 0 or 1, and a loop's exit would be mispredicted for about a third of professionals.
  @inline(__always)
  static func count(_ u: Double, sums: Sums) -> UInt8 {
    let below = SIMD4<Double>(repeating: u) .>= sums.head
    var k = Int(SIMD4<Int64>(repeating: 0).replacing(with: 1, where: below).wrappedSum())
    if k == 4 {
      while k < sums.all.count && u >= sums.all[k] { k += 1 }
    }
    precondition(k <= Int(UInt8.max), "market.leads* is at most 100, so a count fits a byte")
    return UInt8(truncatingIfNeeded: k)
  }
}

/// The searchers of one chunk and their leads and options, phase by phase.
///
/// Searcher s has leads `leadStart[s]..<leadStart[s + 1]` and options
/// `optionStart[s]..<optionStart[s + 1]`, in the order she drew them.
struct SearchBatch {
  /// Slots of those with at least one lead or a founding option, in slot order.
  var searchers: [Int32] = []
  /// Whether each searcher has a founding option.
  var canFound: [Bool] = []
  /// The second half of the block of each searcher's choice draw: the next value of her
  /// search stream (`SearchRules.streamAfterChoice`).
  var choiceRests: [UInt64] = []
  /// Each searcher's number of leads (from word w of her tick block).
  var leadCounts: [UInt8] = []
  var choiceDraws: [Double] = []
  var leadStart: [Int32] = [0]
  var leadUniforms: [Double] = []
  var leadBinds: [Bool] = []
  var leadFirms: [Int32] = []
  var optionStart: [Int32] = [0]
  var options: [Int32] = []
  /// The published values of each option, `Firms.publishedStride` per option.
  var optionRows: [Double] = []
  /// Each searcher's employer's published values (zeros for the unemployed) and weights.
  var employerRows: [Double] = []
  var weights: [Float] = []

  /// Phase 1: who has at least one lead or a founding option (`foundingOptions`, slots in
  /// order).
  ///
  /// Her number of leads (`leadCounts[p − range.lowerBound]`, counted from word w of her tick
  /// block in step 5 or 6; 0 for a slot that is gone or left in step 5) is 0 for most, who
  /// stop here. The pass over the chunk's slots keeps a slot by adding 0 or 1 to a count rather
  /// than by a branch, which about a third of slots would take at random; her count and
  /// option are then read for the searchers only.
  mutating func findSearchers(
    _ range: Range<Int>, foundingOptions: [Int32], leadCounts slotLeadCounts: [UInt8]
  ) {
    precondition(slotLeadCounts.count == range.count, "one lead count per slot")
    // The founding options inside this range, found by bisection.
    let firstOption = firstIndex(notBelow: range.lowerBound, in: foundingOptions)
    searchers = slotLeadCounts.withUnsafeBufferPointer { counts in
      [Int32](unsafeUninitializedCapacity: range.count) { kept, keptCount in
        var next = firstOption
        var option = next < foundingOptions.count ? Int(foundingOptions[next]) : Int.max
        var found = 0
        for p in range {
          // found ≤ p − range.lowerBound, so the write stays inside the buffer.
          kept[found] = Int32(truncatingIfNeeded: p)
          let isOption = p == option
          found &+= counts[p - range.lowerBound] != 0 || isOption ? 1 : 0
          if isOption {
            next += 1
            option = next < foundingOptions.count ? Int(foundingOptions[next]) : Int.max
          }
        }
        keptCount = found
      }
    }
    leadCounts = searchers.map { slotLeadCounts[Int($0) - range.lowerBound] }
    var next = firstOption
    canFound = searchers.map { p in
      let option = next < foundingOptions.count && foundingOptions[next] == p
      if option { next += 1 }
      return option
    }
  }

  /// Phase 2: from each searcher's search stream, her leads' uniforms and non-compete draws
  /// and her choice draw, in order, and the value that follows (`choiceRests`).
  ///
  /// One stream per searcher, drawn one block at a time: computing the blocks many searchers
  /// at a time (`PhiloxBatch`) gave the same values but took longer on the baseline x86-64
  /// build (measured), the two-lane vector multiplications not paying for the gathering.
  mutating func drawLeads(_ b: ProfessionalBuffers, _ rules: SearchRules) {
    let n = searchers.count
    choiceRests.reserveCapacity(n)
    choiceDraws.reserveCapacity(n)
    leadStart.reserveCapacity(n + 1)
    leadUniforms.reserveCapacity(n + n / 4)
    leadBinds.reserveCapacity(n + n / 4)
    for s in 0..<n {
      let p = Int(searchers[s])
      var draws = RandomStream(
        key: rules.key, purpose: DrawPurpose.search.rawValue, entity: b.id[p],
        tick: Int32(truncatingIfNeeded: rules.tick))
      for _ in 0..<leadCounts[s] {
        leadUniforms.append(draws.uniform())
        leadBinds.append(draws.uniform() < rules.nonCompete)
      }
      leadStart.append(Int32(leadUniforms.count))
      choiceDraws.append(draws.uniform())
      choiceRests.append(draws.nextUInt64())
    }
  }

  /// Phase 3: the firm of every lead, drawn ∝ vacancies; −1 when no firm has a vacancy.
  mutating func resolveLeads(_ leads: AliasTable) {
    leadFirms =
      leads.isEmpty
      ? [Int32](repeating: -1, count: leadUniforms.count)
      : leadUniforms.map { Int32(leads.sample($0)) }
  }

  /// Phase 4: the options.
  ///
  /// Drawing the employer wastes a lead; a lead is dropped if she needs a visa the firm does
  /// not sponsor, or if she is employed and a non-compete binds; several leads to one firm are
  /// one option.
  mutating func filterLeads(
    _ b: ProfessionalBuffers, _ f: FirmView, _ rules: SearchRules
  ) {
    optionStart.reserveCapacity(searchers.count + 1)
    options.reserveCapacity(leadFirms.count)
    for s in 0..<searchers.count {
      let p = Int(searchers[s])
      let e = b.employer[p]
      let employed = e >= 0
      let first = options.count
      for l in Int(leadStart[s])..<Int(leadStart[s + 1]) {
        let j = leadFirms[l]
        if j < 0 || j == e { continue }
        if b.visaDependent[p] && !f.sponsorsVisas[Int(j)] { continue }
        if employed && leadBinds[l] { continue }
        if !options[first...].contains(j) { options.append(j) }
      }
      optionStart.append(Int32(options.count))
    }
  }

  /// Phase 5: copies what every option and every searcher's employer published, and her
  /// weights, into the batch.
  ///
  /// Every value is written once, without zero-filling first: the rows and weights of
  /// searchers with nothing to choose, and the employer rows of the unemployed, are zeros.
  mutating func gatherOptions(_ b: ProfessionalBuffers, _ f: FirmView) {
    let stride = Firms.publishedStride
    let attributes = Professionals.attributeCount
    optionRows = [Double](unsafeUninitializedCapacity: options.count * stride) { rows, count in
      for o in 0..<options.count {
        let row = f.row(Int(options[o]))
        for k in 0..<stride { rows[o * stride + k] = row[k] }
      }
      count = options.count * stride
    }
    let n = searchers.count
    var ownWeights: [Float] = []
    employerRows = [Double](unsafeUninitializedCapacity: n * stride) { rows, rowCount in
      ownWeights = [Float](unsafeUninitializedCapacity: n * attributes) { w, weightCount in
        for s in 0..<n {
          let p = Int(searchers[s])
          let chooses = optionStart[s + 1] > optionStart[s] || canFound[s]
          let own = b.weights(p)
          for k in 0..<attributes { w[s * attributes + k] = chooses ? own[k] : 0 }
          let e = Int(b.employer[p])
          if chooses && e >= 0 {
            let row = f.row(e)
            for k in 0..<stride { rows[s * stride + k] = row[k] }
          } else {
            for k in 0..<stride { rows[s * stride + k] = 0 }
          }
        }
        weightCount = n * attributes
      }
      rowCount = n * stride
    }
    weights = ownWeights
  }

  /// Phase 6: each searcher with options picks one of {stay} ∪ options ∪ {found} by
  /// multinomial logit and, if she picked a firm, applies with score skill + N(0, hiringNoise).
  mutating func choose(
    _ b: ProfessionalBuffers, _ f: FirmView, _ rules: SearchRules
  ) -> Simulation.Choices {
    var out = Simulation.Choices()
    var exps: [Double] = []
    let stride = Firms.publishedStride
    let attributes = Professionals.attributeCount
    let tau = rules.market.choiceTemperature
    let u = rules.utility
    optionRows.withUnsafeBufferPointer { optionRows in
      employerRows.withUnsafeBufferPointer { employerRows in
        weights.withUnsafeBufferPointer { weights in
          for s in 0..<searchers.count {
            let first = Int(optionStart[s])
            let end = Int(optionStart[s + 1])
            if first == end && !canFound[s] { continue }
            let p = Int(searchers[s])
            let e = Int(b.employer[p])
            let w = UnsafeBufferPointer(rebasing: weights[s * attributes..<(s + 1) * attributes])
            let stay =
              e >= 0
              ? u.stayUtility(
                b, p, employer: e, firms: f, weights: w,
                row: UnsafeBufferPointer(rebasing: employerRows[s * stride..<(s + 1) * stride]))
              : u.unemployedUtility
            // Utilities of the options, then the logit weights exp((U − best) / τ).
            exps.removeAll(keepingCapacity: true)
            var best = stay
            for o in first..<end {
              let utility = u.utility(
                weights: w, moneyWeight: b.moneyWeight[p], riskAversion: b.riskAversion[p],
                skill: b.skill[p],
                row: UnsafeBufferPointer(rebasing: optionRows[o * stride..<(o + 1) * stride]))
              exps.append(utility)
              best = max(best, utility)
            }
            if canFound[s] {
              // Founding is the last option (Model.md 4.7).
              let utility = rules.founding.utility(
                weights: w.lazy.map(Double.init), moneyWeight: Double(b.moneyWeight[p]),
                riskAversion: Double(b.riskAversion[p]), skill: b.skill[p], wealth: b.wealth[p])
              exps.append(utility)
              best = max(best, utility)
            }
            let stayWeight = exp((stay - best) / tau)
            var total = stayWeight
            for k in exps.indices {
              exps[k] = exp((exps[k] - best) / tau)
              total += exps[k]
            }
            var threshold = choiceDraws[s] * total - stayWeight
            if threshold < 0 { continue }  // she stays
            var chosen = -1
            for k in exps.indices {
              threshold -= exps[k]
              if threshold < 0 {
                chosen = k
                break
              }
            }
            if chosen < 0 { chosen = exps.count - 1 }  // rounding at the top end
            if first + chosen == end {
              out.founders.append(Int32(truncatingIfNeeded: p))
              continue
            }
            var draws = rules.streamAfterChoice(
              b.id[p], leads: leadCounts[s], secondHalf: choiceRests[s])
            let score = b.skill[p] + rules.market.hiringNoise * draws.normal()
            out.applications.append(
              Application(slot: Int32(p), firm: options[first + chosen], score: score, id: b.id[p]))
          }
        }
      }
    }
    return out
  }
}

/// The first index of sorted `slots` whose slot is ≥ `slot` (`slots.count` if none).
func firstIndex(notBelow slot: Int, in slots: [Int32]) -> Int {
  var low = 0
  var high = slots.count
  while low < high {
    let middle = (low + high) / 2
    if Int(slots[middle]) < slot { low = middle + 1 } else { high = middle }
  }
  return low
}
