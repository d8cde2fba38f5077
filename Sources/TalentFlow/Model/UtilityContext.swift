import Foundation

/// Read-only views of what utility (MODEL 4.4) and search (4.5) read of the firms in one tick.
///
/// Valid only inside `Simulation.withFirmView`, while the firms do not change.
struct FirmView: @unchecked Sendable {
  /// What the firms published (`PublishedRows`), `Firms.publishedStride` values per firm.
  let published: UnsafeBufferPointer<Double>
  let type: UnsafeBufferPointer<FirmType>
  let sponsorsVisas: UnsafeBufferPointer<Bool>
  let bornTick: UnsafeBufferPointer<Int32>
  /// A founder's perceived stake value in her startup, by firm (MODEL 4.4); 0 for every firm
  /// that is not a living startup.
  ///
  /// Derived from the firms each time a view is made; not part of the state.
  let founderStakeValue: UnsafeBufferPointer<Double>

  /// What firm j published in step 4: the six attributes, the wage base and E.
  @inline(__always)
  func row(_ j: Int) -> UnsafeBufferPointer<Double> {
    UnsafeBufferPointer(
      rebasing: published[j * Firms.publishedStride..<(j + 1) * Firms.publishedStride])
  }
}

extension Simulation {
  /// Calls `body` with a view of the firms as they are now; `rows` is this tick's copy of what
  /// they published.
  func withFirmView<R>(_ rows: PublishedRows, _ body: (FirmView) -> R) -> R {
    let e = config.equity
    var stakes = [Double](repeating: 0, count: firms.count)
    // Only living startups can have a founder on their payroll.
    for j in 0..<firms.count where firms.isLivingStartup(j) {
      let odds = min(1, e.optimism * e.exitProbability[Int(firms.stage[j])])
      stakes[j] = firms.founderStake[j] * firms.valuation[j] * odds
    }
    let f = firms
    return rows.withValues { published in
      f.type.withUnsafeBufferPointer { type in
        f.sponsorsVisas.withUnsafeBufferPointer { visas in
          f.bornTick.withUnsafeBufferPointer { bornTick in
            stakes.withUnsafeBufferPointer { stakes in
              body(
                FirmView(
                  published: published, type: type, sponsorsVisas: visas, bornTick: bornTick,
                  founderStakeValue: stakes))
            }
          }
        }
      }
    }
  }
}

/// The configuration values utility needs, gathered once per tick (MODEL 4.4).
struct UtilityContext: Sendable {
  let job: JobUtility
  let switchCost: Double
  let unemployedUtility: Double
  let cliff: Int
  let vest: Int

  init(_ config: Configuration) {
    job = JobUtility(config.utility)
    switchCost = config.utility.switchCost
    unemployedUtility = config.utility.unemployed
    cliff = config.equity.cliffTicks
    vest = config.equity.vestTicks
  }

  /// U of a professional with these weights, λ, ρ and skill at the firm that published `row`.
  @inline(__always)
  func utility(
    weights w: UnsafeBufferPointer<Float>, moneyWeight: Float, riskAversion: Float,
    skill: Double, row r: UnsafeBufferPointer<Double>
  ) -> Double {
    var preference = 0.0
    for k in 0..<Professionals.attributeCount {
      preference += Double(w[k]) * r[k]
    }
    return job.utility(
      preference: preference, moneyWeight: Double(moneyWeight),
      riskAversion: Double(riskAversion), monthlyWage: r[Firms.wageBaseSlot] * (0.5 + skill),
      yearlyEquity: r[Firms.equityValueSlot], stability: r[0])
  }

  /// U of professional p at the firm that published `row`.
  @inline(__always)
  func utility(_ b: ProfessionalBuffers, _ p: Int, row: UnsafeBufferPointer<Double>) -> Double {
    utility(
      weights: b.weights(p), moneyWeight: b.moneyWeight[p], riskAversion: b.riskAversion[p],
      skill: b.skill[p], row: row)
  }

  /// Her current utility without the stay bonus; the unemployed get `utility.unemployed`.
  @inline(__always)
  func currentUtility(_ b: ProfessionalBuffers, _ p: Int, firms: FirmView) -> Double {
    let e = Int(b.employer[p])
    return e >= 0 ? utility(b, p, row: firms.row(e)) : unemployedUtility
  }

  /// U_stay of a professional with traits `t`, employed at firm e that published `row`:
  /// current utility, the switch cost, and the unvested equity she would forfeit.
  @inline(__always)
  func stayUtility(
    _ t: ChooserTraits, employer e: Int, firms: FirmView,
    weights: UnsafeBufferPointer<Float>, row r: UnsafeBufferPointer<Double>
  ) -> Double {
    let comp = r[Firms.wageBaseSlot] * (0.5 + t.skill) + r[Firms.equityValueSlot] * (1.0 / 12)
    var unvested =
      t.grant * (1 - vestedFraction(tenure: t.tenure, cliff: cliff, vest: vest, job.tables))
    // Her own firm's stake value is 0 unless it is a living startup (and she works there, so
    // it lives): no need to test its type, which would be a branch taken at random.
    if t.founded == Int32(e) { unvested += firms.founderStakeValue[e] }
    let lambda = Double(t.moneyWeight)
    let current = utility(
      weights: weights, moneyWeight: t.moneyWeight, riskAversion: t.riskAversion,
      skill: t.skill, row: r)
    return current + switchCost + lambda * PortableMath.log(1 + unvested / (12 * comp), job.tables)
  }
}

/// What search's choice reads of one chooser (`SearchBatch.choosers`), copied from the
/// professionals' arrays in a phase of its own (`SearchBatch.gatherOptions`).
///
/// At a million professionals the choosers are about a third of the slots, spread over seven
/// arrays of megabytes, and the choice (a long chain of arithmetic per chooser) stalled on those
/// reads (perf showed its hot instructions there); the copy loop's reads do not depend on one
/// another, so the processor overlaps them.
struct ChooserTraits {
  var skill: Double
  var grant: Double
  var wealth: Double
  var moneyWeight: Float
  var riskAversion: Float
  var tenure: Int32
  var founded: Int32
  var employer: Int32

  /// Slot p's traits.
  @inline(__always)
  init(_ b: ProfessionalBuffers, _ p: Int) {
    skill = b.skill[p]
    grant = b.grant[p]
    wealth = b.wealth[p]
    moneyWeight = b.moneyWeight[p]
    riskAversion = b.riskAversion[p]
    tenure = b.tenure[p]
    founded = b.founded[p]
    employer = b.employer[p]
  }
}
