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
            // Dead firms are scattered among the living: the test is a 0 or 1, not a branch.
            for j in 0..<weights.count {
              let offers = (alive[j] ? 1 : 0) & (bornTick[j] != t32 ? 1 : 0)
              weights[j] = Double(Int(vacancies[j]) * offers)
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
        founding.leads.count == Parallel.chunkCount(b.employer.count),
        "step 6's leads must cover the chunks of step 7")
      return withFirmView(rows) { f in
        parallel.mapChunks(count: b.employer.count) { range in
          var batch = SearchBatch()
          batch.findSearchers(
            range, foundingOptions: foundingOptions,
            leads: founding.leads[range.lowerBound / Parallel.chunkSize])
          batch.drawLeads(b, rules)
          batch.resolveLeads(leads)
          batch.filterLeads(b, f, rules)
          batch.gatherOptions(b, f)
          return batch.choose(b, f, rules)
        }
      }
    }
    var choices = Choices()
    choices.applications.reserveCapacity(chunks.reduce(0) { $0 + $1.applications.count })
    choices.founders.reserveCapacity(chunks.reduce(0) { $0 + $1.founders.count })
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
  /// `unemployed.head` and `employed.head`, in that order: a count reads the one it needs by
  /// index rather than by a branch on her employment, which is a coin toss.
  let heads: [SIMD4<Double>]

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
    heads = [unemployed.head, employed.head]
  }

  /// The larger of the two probabilities of at least one lead, employed or not.
  var mostWithLeads: Double { 1 - min(employed.all[0], unemployed.all[0]) }

  /// P(N ≤ k) for k = 0, 1, … as `poissonInversion` sums them, up to the last sum that still
  /// grows: the inversion returns the number of them that u is not below.
  static func cumulative(mean: Double) -> [Double] {
    var p = PortableMath.exp(-mean)
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
    let below = SIMD4<Double>(repeating: u) .>= heads[isEmployed ? 1 : 0]
    let k = Int(SIMD4<Int64>(repeating: 0).replacing(with: 1, where: below).wrappedSum())
    if k < 4 { return UInt8(truncatingIfNeeded: k) }
    return isEmployed
      ? LeadCountRule.count(u, sums: employed) : LeadCountRule.count(u, sums: unemployed)
  }

  /// How many of the cumulative `sums`, in order, u is not below before the first it is below.
  ///
  /// The sums increase, so that is how many u is not below at all, and the first four are
  /// counted at once, without a branch: for the model's means (below 1) nearly every count
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
  /// The searchers with something to choose (an option or founding), in order, as indices
  /// into `searchers`: most of them (about 85% in the baseline), the others at random, so
  /// phases 5 and 6 run over this list rather than test each searcher (a branch mispredicted
  /// often).
  var choosers: [Int32] = []
  /// Each chooser's employer's published values (firm 0's for the unemployed, never read),
  /// her weights and her other traits, by position in `choosers`.
  var employerRows: [Double] = []
  var weights: [Float] = []
  var traits: [ChooserTraits] = []

  /// Phase 1: who has at least one lead (`leads`, from step 5 or 6) or a founding option
  /// (`foundingOptions`, slots in order) in this chunk: the two lists merged in slot order.
  mutating func findSearchers(
    _ range: Range<Int>, foundingOptions: [Int32], leads: TickBlockPass.Leads
  ) {
    // The founding options inside this range, found by bisection.
    var o = firstIndex(notBelow: range.lowerBound, in: foundingOptions)
    let optionEnd = firstIndex(notBelow: range.upperBound, in: foundingOptions)
    let n = leads.offsets.count + (optionEnd - o)
    var counts: [UInt8] = []
    var founds: [Bool] = []
    // At most n searchers; the first `kept` elements of each array are written.
    var kept = 0
    searchers = [Int32](unsafeUninitializedCapacity: n) { slots, slotCount in
      counts = [UInt8](unsafeUninitializedCapacity: n) { counts, countCount in
        founds = [Bool](unsafeUninitializedCapacity: n) { founds, foundCount in
          var l = 0
          while l < leads.offsets.count || o < optionEnd {
            let withLeads =
              l < leads.offsets.count ? leads.slot(l, first: range.lowerBound) : .max
            let withOption = o < optionEnd ? foundingOptions[o] : .max
            let p = min(withLeads, withOption)
            slots[kept] = p
            counts[kept] = p == withLeads ? leads.counts[l] : 0
            founds[kept] = p == withOption
            kept += 1
            if p == withLeads { l += 1 }
            if p == withOption { o += 1 }
          }
          foundCount = kept
        }
        countCount = kept
      }
      slotCount = kept
    }
    leadCounts = counts
    canFound = founds
  }

  /// Phase 2: from each searcher's search stream, her leads' uniforms and non-compete draws
  /// and her choice draw, in order, and the value that follows (`choiceRests`).
  ///
  /// One stream per searcher, drawn one block at a time: computing the blocks many searchers
  /// at a time (`PhiloxBatch`) gave the same values but took longer on the baseline x86-64
  /// build (measured), the two-lane vector multiplications not paying for the gathering.
  mutating func drawLeads(_ b: ProfessionalBuffers, _ rules: SearchRules) {
    let n = searchers.count
    var starts = [Int32](repeating: 0, count: n + 1)
    for s in 0..<n { starts[s + 1] = starts[s] + Int32(leadCounts[s]) }
    leadStart = starts
    let total = Int(starts[n])
    let tick = Int32(truncatingIfNeeded: rules.tick)
    let nonCompete = rules.nonCompete
    // Every element is written exactly once, in order, so no array is zero-filled first.
    var binds: [Bool] = []
    var choices: [Double] = []
    var rests: [UInt64] = []
    leadUniforms = [Double](unsafeUninitializedCapacity: total) { uniforms, uniformCount in
      binds = [Bool](unsafeUninitializedCapacity: total) { binds, bindCount in
        choices = [Double](unsafeUninitializedCapacity: n) { choices, choiceCount in
          rests = [UInt64](unsafeUninitializedCapacity: n) { rests, restCount in
            searchers.withUnsafeBufferPointer { searchers in
              leadCounts.withUnsafeBufferPointer { counts in
                var l = 0
                for s in 0..<n {
                  var draws = RandomStream(
                    key: rules.key, purpose: DrawPurpose.search.rawValue,
                    entity: b.id[Int(searchers[s])], tick: tick)
                  for _ in 0..<counts[s] {
                    uniforms[l] = draws.uniform()
                    binds[l] = draws.uniform() < nonCompete
                    l += 1
                  }
                  choices[s] = draws.uniform()
                  rests[s] = draws.nextUInt64()
                }
              }
            }
            restCount = n
          }
          choiceCount = n
        }
        bindCount = total
      }
      uniformCount = total
    }
    leadBinds = binds
    choiceDraws = choices
    choiceRests = rests
  }

  /// Phase 3: the firm of every lead, drawn ∝ vacancies; −1 when no firm has a vacancy.
  mutating func resolveLeads(_ leads: AliasTable) {
    let tables = PortableMath.Tables.shared
    leadFirms =
      leads.isEmpty
      ? [Int32](repeating: -1, count: leadUniforms.count)
      : leadUniforms.map { Int32(leads.sample($0, tables)) }
  }

  /// Phase 4: the options.
  ///
  /// Drawing the employer wastes a lead; a lead is dropped if she needs a visa the firm does
  /// not sponsor, or if she is employed and a non-compete binds; several leads to one firm are
  /// one option. Then the list of choosers: the searchers with an option or founding.
  mutating func filterLeads(
    _ b: ProfessionalBuffers, _ f: FirmView, _ rules: SearchRules
  ) {
    let n = searchers.count
    var starts: [Int32] = []
    // At most one option per lead; the first `kept` are written.
    options = [Int32](unsafeUninitializedCapacity: leadFirms.count) { options, optionCount in
      starts = [Int32](unsafeUninitializedCapacity: n + 1) { starts, startCount in
        var kept = 0
        starts[0] = 0
        for s in 0..<n {
          let p = Int(searchers[s])
          let e = b.employer[p]
          let employed = e >= 0
          let needsVisa = b.visaDependent[p]
          let first = kept
          for l in Int(leadStart[s])..<Int(leadStart[s + 1]) {
            let j = leadFirms[l]
            if j < 0 { continue }  // no firm had a vacancy: every lead of the tick
            // Whether a visa or a non-compete stops the lead is a coin toss for the branch
            // predictor, so the tests are combined into one value, not taken one by one; the
            // lead is written in any case (kept < l + 1 ≤ the room) and kept if it passes.
            let sponsors = f.sponsorsVisas[Int(j)]
            let binds = leadBinds[l]
            let passes =
              (j != e ? 1 : 0) & (needsVisa && !sponsors ? 0 : 1) & (employed && binds ? 0 : 1)
            let isNew = options[first..<kept].contains(j) ? 0 : 1
            options[kept] = j
            kept += passes & isNew
          }
          starts[s + 1] = Int32(kept)
        }
        startCount = n + 1
        optionCount = kept
      }
    }
    optionStart = starts
    // Every searcher is written, and counted if she has an option or can found.
    choosers = [Int32](unsafeUninitializedCapacity: n) { list, count in
      var c = 0
      for s in 0..<n {
        list[c] = Int32(truncatingIfNeeded: s)
        c += (starts[s + 1] > starts[s] ? 1 : 0) | (canFound[s] ? 1 : 0)
      }
      count = c
    }
  }

  /// Phase 5: copies what every option and every chooser's employer published, and her
  /// weights and traits, into the batch.
  ///
  /// Every value is written once, without zero-filling first. An unemployed chooser gets firm
  /// 0's row, which is never read: a copy costs less than a branch taken at random.
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
    let n = choosers.count
    let hasFirms = f.published.count >= stride
    traits = [ChooserTraits](unsafeUninitializedCapacity: n) { traits, count in
      for c in 0..<n {
        traits.initializeElement(at: c, to: ChooserTraits(b, Int(searchers[Int(choosers[c])])))
      }
      count = n
    }
    var ownWeights: [Float] = []
    employerRows = [Double](unsafeUninitializedCapacity: n * stride) { rows, rowCount in
      ownWeights = [Float](unsafeUninitializedCapacity: n * attributes) { w, weightCount in
        for c in 0..<n {
          let p = Int(searchers[Int(choosers[c])])
          let own = b.weights(p)
          for k in 0..<attributes { w[c * attributes + k] = own[k] }
          let e = Int(b.employer[p])
          if hasFirms {
            let row = f.row(e < 0 ? 0 : e)
            for k in 0..<stride { rows[c * stride + k] = row[k] }
          } else {  // no firm at all, so no one is employed: the row is never read
            for k in 0..<stride { rows[c * stride + k] = 0 }
          }
        }
        weightCount = n * attributes
      }
      rowCount = n * stride
    }
    weights = ownWeights
  }

  /// Phase 6: each chooser picks one of {stay} ∪ options ∪ {found} by
  /// multinomial logit and, if she picked a firm, applies with score skill + N(0, hiringNoise).
  mutating func choose(
    _ b: ProfessionalBuffers, _ f: FirmView, _ rules: SearchRules
  ) -> Simulation.Choices {
    var out = Simulation.Choices()
    // Room for the most options any searcher has, and founding.
    var mostOptions = 0
    for s in 0..<searchers.count {
      mostOptions = max(mostOptions, Int(optionStart[s + 1] - optionStart[s]))
    }
    var exps = [Double](repeating: 0, count: mostOptions + 1)
    let stride = Firms.publishedStride
    let attributes = Professionals.attributeCount
    let inverseTau = 1 / rules.market.choiceTemperature
    let u = rules.utility
    let tables = u.job.tables
    exps.withUnsafeMutableBufferPointer { exps in
      optionRows.withUnsafeBufferPointer { optionRows in
        employerRows.withUnsafeBufferPointer { employerRows in
          weights.withUnsafeBufferPointer { weights in
            for c in 0..<choosers.count {
              let s = Int(choosers[c])
              let first = Int(optionStart[s])
              let end = Int(optionStart[s + 1])
              let p = Int(searchers[s])
              let t = traits[c]
              let e = Int(t.employer)
              let w = UnsafeBufferPointer(rebasing: weights[c * attributes..<(c + 1) * attributes])
              let stay =
                e >= 0
                ? u.stayUtility(
                  t, employer: e, firms: f, weights: w,
                  row: UnsafeBufferPointer(rebasing: employerRows[c * stride..<(c + 1) * stride]))
                : u.unemployedUtility
              // Utilities of the options, then the logit weights exp((U − best) / τ), in
              // exps[0..<count].
              var count = 0
              var best = stay
              for o in first..<end {
                let utility = u.utility(
                  weights: w, moneyWeight: t.moneyWeight, riskAversion: t.riskAversion,
                  skill: t.skill,
                  row: UnsafeBufferPointer(rebasing: optionRows[o * stride..<(o + 1) * stride]))
                exps[count] = utility
                count += 1
                best = max(best, utility)
              }
              if canFound[s] {
                // Founding is the last option (Model.md 4.7).
                let utility = rules.founding.utility(
                  weights: w.lazy.map(Double.init), moneyWeight: Double(t.moneyWeight),
                  riskAversion: Double(t.riskAversion), skill: t.skill, wealth: t.wealth)
                exps[count] = utility
                count += 1
                best = max(best, utility)
              }
              let stayWeight = PortableMath.exp((stay - best) * inverseTau, tables)
              var total = stayWeight
              for k in 0..<count {
                exps[k] = PortableMath.exp((exps[k] - best) * inverseTau, tables)
                total += exps[k]
              }
              var threshold = choiceDraws[s] * total - stayWeight
              if threshold < 0 { continue }  // she stays
              var chosen = -1
              for k in 0..<count {
                threshold -= exps[k]
                if threshold < 0 {
                  chosen = k
                  break
                }
              }
              if chosen < 0 { chosen = count - 1 }  // rounding at the top end
              if first + chosen == end {
                out.founders.append(Int32(truncatingIfNeeded: p))
                continue
              }
              var draws = rules.streamAfterChoice(
                b.id[p], leads: leadCounts[s], secondHalf: choiceRests[s])
              let score = t.skill + rules.market.hiringNoise * draws.normal(tables)
              out.applications.append(
                Application(
                  slot: Int32(p), firm: options[first + chosen], score: score, id: b.id[p]))
            }
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
