import Foundation
import Synchronization
import Testing

@testable import TalentFlow

/// Founding as a choice (Model.md 4.7, model 1.3): the utility of founding against numbers
/// worked out by hand from the document's formula and the defaults.
@Suite("Founding utility (Model.md 4.7)")
struct FoundingUtilityTests {
  /// At the defaults and F = 1: C₀ = 1500, Val₀ = 1500 / 0.2 = 7500, E_f = 0.5 · 7500 ·
  /// min(1, 3 · 0.05) / 4 = 140.625 k$ a year; a founder of skill 0.5 burns 13 · 1 + 4 + 128 =
  /// 145 a month (`startup.fixedCost` 128, model 1.5), so her runway is 1500 / 145 and
  /// stability = 1500 / (1500 + 12 · 145) = 1500 / 3240.
  @Test("the new startup's scores and the stake's value at the defaults")
  func scoresAndStake() {
    let option = FoundingOption(Configuration(), climate: 1)
    #expect(option.seedCash == 1500)
    #expect(option.valuation == 7500)
    #expect(abs(option.yearlyStakeValue - 140.625) < 1e-12)
    #expect(option.salary == 8)
    let a = option.attributes(skill: 0.5)
    let expected = [
      1500.0 / 3240, 0.2 + 0.15 * log(1 + 1500.0 / 2 / 100), 0.35, 0.75, 0.9 - 0.05 * log(2.0),
      0.45,
    ]
    for k in 0..<6 { #expect(abs(a[k] - expected[k]) < 1e-12, "score \(k)") }
  }

  @Test("U_found: preference, log pay and the cushioned risk penalty, each against a hand value")
  func utilityByHand() {
    let option = FoundingOption(Configuration(), climate: 1)
    let stability = 1500.0 / 3240
    let comp = 8 + 140.625 / 12
    let share = (140.625 / 12) / comp
    // Weight on stability only: U = stability.
    let w = [1.0, 0, 0, 0, 0, 0]
    let plain = option.utility(weights: w, moneyWeight: 0, riskAversion: 0, skill: 0.5, wealth: 0)
    #expect(abs(plain - stability) < 1e-12)
    // λ = 0.2 adds 0.2 · ln(comp / 20).
    let money = option.utility(
      weights: w, moneyWeight: 0.2, riskAversion: 0, skill: 0.5, wealth: 0)
    #expect(abs(money - (stability + 0.2 * log(comp / 20))) < 1e-12)
    // ρ = 1 subtracts 0.2 · (1 − stability) · (0.5 + e).
    let risk = option.utility(weights: w, moneyWeight: 0, riskAversion: 1, skill: 0.5, wealth: 0)
    let penalty = 0.2 * (1 - stability) * (0.5 + share)
    #expect(abs(risk - (stability - penalty)) < 1e-12)
    // Wealth of 100 k$ divides the penalty by 1 + 0.5 · ln 2.
    let cushioned = option.utility(
      weights: w, moneyWeight: 0, riskAversion: 1, skill: 0.5, wealth: 100)
    #expect(abs(cushioned - (stability - penalty / (1 + 0.5 * log(2.0)))) < 1e-12)
  }

  @Test("the equity tax, the founder stake and the climate reach the stake; skill the stability")
  func leversReachTheTerms() throws {
    var taxed = Configuration()
    try taxed.apply(override: "policy.equityTax=0.25")
    #expect(
      abs(FoundingOption(taxed, climate: 1).yearlyStakeValue - 140.625 * 0.75) < 1e-12)
    var smallStake = Configuration()
    try smallStake.apply(override: "founding.founderStake=0.25")
    #expect(abs(FoundingOption(smallStake, climate: 1).yearlyStakeValue - 140.625 / 2) < 1e-12)
    let winter = FoundingOption(Configuration(), climate: 0.5)
    #expect(winter.seedCash == 750)
    #expect(abs(winter.yearlyStakeValue - 140.625 / 2) < 1e-12)
    // A more skilled founder pays herself a higher wage in the books: a shorter runway.
    let option = FoundingOption(Configuration(), climate: 1)
    #expect(option.attributes(skill: 0.9)[0] < option.attributes(skill: 0.1)[0])
  }
}

@Suite("Keys retired by model 1.3")
struct RetiredFoundingKeysTests {
  @Test("founding.rate and founding.wealthBoost are refused with their successors named")
  func retiredKeys() {
    for (key, successor) in [
      ("founding.rate", "founding.opportunityRate"),
      ("founding.wealthBoost", "founding.wealthCushion"),
    ] {
      do {
        _ = try Configuration.load(file: nil, overrides: ["\(key)=0.01"])
        Issue.record("\(key) was accepted")
      } catch {
        #expect("\(error)".contains("unknown key \(key) (model 1.3 replaced it"), "\(error)")
        #expect("\(error)".contains(successor), "\(error)")
      }
    }
  }
}

/// The channels of model 1.3's founding, on common random numbers: each lever is changed alone
/// and the runs are paired by seed (the same draws wherever the lever does not act), over 20
/// seeds; the 95% interval of the paired difference in foundings must exclude zero.
@Suite("Founding responds to every lever (paired over 20 seeds)")
struct FoundingDirectionTests {
  static let seeds: [UInt64] = Array(1...20)

  /// A small economy with enough foundings to see a change: 1,500 professionals, 4 recorded
  /// years.
  static func configuration(seed: UInt64, _ overrides: [String] = []) throws -> Configuration {
    var config = Configuration()
    let base = [
      "seed=\(seed)", "population.size=1500", "firms.startups=60", "time.warmup=12",
      "time.ticks=48",
    ]
    for override in base + overrides { try config.apply(override: override) }
    try config.validate(source: "test")
    return config
  }

  /// Recorded foundings of each seed's run, the runs spread over the cores.
  static func foundings(_ overrides: [String] = [], events: [ScenarioEvent] = []) throws
    -> [Double]
  {
    let configs = try seeds.map { seed in
      var config = try configuration(seed: seed, overrides)
      config.events = events
      return config
    }
    let results = Mutex([Result<Double, any Error>?](repeating: nil, count: configs.count))
    DispatchQueue.concurrentPerform(iterations: configs.count) { k in
      let outcome = Result {
        try Runner.records(config: configs[k], threads: 1).dropFirst()
          .reduce(0) { $0 + $1["foundings"] }
      }
      results.withLock { $0[k] = outcome }
    }
    return try results.withLock { $0 }.map { try $0!.get() }
  }

  /// The baseline of every comparison, run once.
  static let base: Result<[Double], any Error> = Result { try foundings() }

  /// The paired 95% interval of policy − base lies below zero.
  func expectFewer(_ policy: [Double], _ what: String) throws {
    let base = try Self.base.get()
    let interval = ConfidenceInterval.paired(base: base, policy: policy)
    #expect(
      interval.high < 0,
      "\(what): foundings \(base.reduce(0, +)) → \(policy.reduce(0, +)); paired difference \(interval)"
    )
  }

  @Test("a higher equity tax means fewer foundings")
  func equityTax() throws {
    try expectFewer(try Self.foundings(["policy.equityTax=0.5"]), "policy.equityTax 0 → 0.5")
  }

  @Test("a smaller founder stake means fewer foundings")
  func founderStake() throws {
    try expectFewer(
      try Self.foundings(["founding.founderStake=0.25"]), "founding.founderStake 0.5 → 0.25")
  }

  @Test("a worse funding climate means fewer foundings")
  func fundingClimate() throws {
    try expectFewer(
      try Self.foundings(events: [
        ScenarioEvent(tick: 1, action: .fundingShock(multiplier: 0.5, ticks: 48))
      ]), "funding climate × 0.5")
  }

  @Test("more risk-averse professionals found fewer startups")
  func riskAversion() throws {
    try expectFewer(try Self.foundings(["risk.median=3"]), "risk.median 1 → 3")
  }

  @Test("with policy.nonCompete = 1 no employed professional founds, the unemployed still do")
  func nonCompete() throws {
    // More ideas than the default, so that the unemployed found enough to see.
    let config = try Self.configuration(
      seed: 1, ["policy.nonCompete=1", "founding.opportunityRate=0.05"])
    let records = try Runner.records(config: config, threads: 1)
    for r in records.dropFirst() {
      for from in [Sector.bigtech, .startup] {
        #expect(r.flows[from, .startup, .founding] == 0, "tick \(r.tick)")
      }
    }
    #expect(records.dropFirst().reduce(0) { $0 + $1["foundings"] } > 0)
  }
}
