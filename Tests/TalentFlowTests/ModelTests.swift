import Foundation
import Testing

@testable import TalentFlow

/// A small configuration in which every kind of flow and firm event happens (MODEL 6's
/// identities must hold on every tick of it).
func eventfulConfiguration(seed: UInt64 = 7) throws -> Configuration {
  var config = Configuration()
  let overrides = [
    "seed=\(seed)", "population.size=2500", "firms.startups=90", "time.warmup=12",
    "time.ticks=60", "founding.opportunityRate=0.03", "startup.acquisitionRate=0.08",
    "startup.roundRate=[0, 0.05, 0.05, 0.5]", "startup.raiseBelowRunway=1000",
    "startup.graduationShare=0.04",
    "population.exitPerYear=0.2", "population.entryPerYear=0.3",
  ]
  for override in overrides { try config.apply(override: override) }
  config.events = [
    ScenarioEvent(tick: 10, action: .layoffs(sector: .bigtech, fraction: 0.1)),
    ScenarioEvent(tick: 15, action: .layoffs(sector: .startup, fraction: 0.2)),
    ScenarioEvent(tick: 20, action: .fundingShock(multiplier: 0.4, ticks: 12)),
    ScenarioEvent(tick: 30, action: .entrySurge(count: 80)),
    ScenarioEvent(tick: 40, action: .set(path: "policy.nonCompete", value: .number(0.5))),
  ]
  try config.validate(source: "test")
  return config
}

@Suite("Accounting identities (MODEL 6)")
struct AccountingTests {
  /// Computed once for the whole suite (Swift Testing makes a suite value per test).
  static let shared: (config: Configuration, records: [TickRecord]) = {
    do {
      let config = try eventfulConfiguration()
      return (config, try Runner.records(config: config, threads: 2))
    } catch {
      fatalError("the test configuration is invalid: \(error)")
    }
  }()
  var config: Configuration { Self.shared.config }
  var records: [TickRecord] { Self.shared.records }

  @Test("every event the identities cover actually happens in the test run")
  func everythingHappens() {
    let columns = [
      "startups_born", "startups_failed", "startups_acquired", "startups_graduated",
      "moves_bigtech_to_startup", "moves_startup_to_bigtech", "moves_startup_to_startup",
      "moves_bigtech_to_bigtech", "hires_bigtech", "hires_startup", "layoffs_bigtech",
      "layoffs_startup", "failures_displaced", "acquisition_transfers", "graduation_transfers",
      "foundings", "entrants", "exits",
    ]
    for column in columns {
      let total = records.dropFirst().reduce(0) { $0 + $1[column] }
      #expect(total > 0, "\(column) never happened")
    }
  }

  @Test("tick 0 records the state after warm-up with zero flows")
  func tickZero() {
    let zero = records[0]
    #expect(zero.tick == 0)
    #expect(zero.flows.counts.allSatisfy { $0 == 0 })
    #expect(zero["funding_climate"] == 1)
    #expect(zero["entrants"] == 0 && zero["moves_bigtech_to_startup"] == 0)
    #expect(records.count == config.time.ticks + 1)
  }

  @Test("professionals = employed in big tech + employed in startups + unemployed")
  func stocksAddUp() {
    for r in records {
      #expect(r["professionals"] == r["employed_bigtech"] + r["employed_startup"] + r["unemployed"])
    }
  }

  @Test("the population changes by entrants minus exits")
  func populationChange() {
    for (previous, r) in zip(records, records.dropFirst()) {
      #expect(r["professionals"] - previous["professionals"] == r["entrants"] - r["exits"])
    }
  }

  @Test("each sector's stock changes by its inflows minus its outflows in flows.csv")
  func sectorFlows() {
    let stockColumn: [Sector: String] = [
      .bigtech: "employed_bigtech", .startup: "employed_startup", .unemployed: "unemployed",
    ]
    for (previous, r) in zip(records, records.dropFirst()) {
      for sector in [Sector.bigtech, .startup, .unemployed] {
        var net = 0
        for other in Sector.allCases {
          for reason in FlowReason.allCases {
            net += r.flows[other, sector, reason] - r.flows[sector, other, reason]
          }
        }
        let column = stockColumn[sector] ?? ""
        #expect(
          Int(r[column] - previous[column]) == net, "tick \(r.tick) \(sector.name)")
      }
    }
  }

  @Test("flows per reason equal the matching timeseries columns")
  func flowsMatchColumns() {
    for r in records {
      let f = r.flows
      #expect(
        Double(f.total(.voluntary))
          == r["moves_bigtech_to_startup"] + r["moves_startup_to_bigtech"]
          + r["moves_startup_to_startup"] + r["moves_bigtech_to_bigtech"])
      #expect(Double(f.total(.hire)) == r["hires_bigtech"] + r["hires_startup"])
      #expect(Double(f.total(.layoff)) == r["layoffs_bigtech"] + r["layoffs_startup"])
      #expect(Double(f.total(.failure)) == r["failures_displaced"])
      #expect(Double(f.total(.acquisition)) == r["acquisition_transfers"])
      #expect(Double(f.total(.graduation)) == r["graduation_transfers"])
      #expect(Double(f.total(.founding)) == r["foundings"])
      #expect(r["foundings"] == r["startups_born"])
      #expect(Double(f.total(.entry)) == r["entrants"])
      #expect(Double(f.total(.exit)) == r["exits"])
    }
  }

  @Test("flows only go where their reason allows")
  func flowDirections() {
    for r in records {
      for row in r.flows.nonZero {
        switch row.reason {
        case .voluntary: #expect(row.from != .unemployed && row.to != .unemployed)
        case .hire: #expect(row.from == .unemployed && row.to != .unemployed)
        case .layoff: #expect(row.to == .unemployed && row.from != .unemployed)
        case .failure: #expect(row.from == .startup && row.to == .unemployed)
        case .acquisition: #expect(row.from == .startup && row.to == .bigtech)
        case .graduation: #expect(row.from == .startup && row.to == .bigtech)
        case .founding: #expect(row.to == .startup && row.from != .outside)
        case .entry: #expect(row.from == .outside && row.to == .unemployed)
        case .exit: #expect(row.to == .outside && row.from != .outside)
        }
      }
    }
  }

  @Test("living firms change by births, failures, acquisitions and graduations")
  func firmCounts() {
    for (previous, r) in zip(records, records.dropFirst()) {
      #expect(
        r["firms_startup"] - previous["firms_startup"]
          == r["startups_born"] - r["startups_failed"] - r["startups_acquired"]
          - r["startups_graduated"])
      #expect(r["firms_bigtech"] - previous["firms_bigtech"] == r["startups_graduated"])
    }
  }

  @Test("headcounts stay equal to the professionals whose employer each firm is")
  func headcountsAreConsistent() throws {
    var simulation = Simulation(config: config, threads: 1)
    try simulation.warmUp()
    for _ in 0..<config.time.ticks {
      try simulation.step()
      var counted = [Int32](repeating: 0, count: simulation.firms.count)
      for e in simulation.professionals.employer where e >= 0 { counted[Int(e)] += 1 }
      #expect(counted == Array(simulation.firms.headcount))
      for j in 0..<simulation.firms.count where !simulation.firms.alive[j] {
        #expect(simulation.firms.headcount[j] == 0, "dead firm \(j) has employees")
      }
      for j in 0..<simulation.firms.count where simulation.firms.type[j] == .startup {
        #expect(simulation.firms.optionPool[j] >= -1e-12)
      }
    }
  }
}

@Suite("Determinism (MODEL 7)")
struct DeterminismTests {
  /// Large enough for several 8,192-professional chunks.
  func configuration() throws -> Configuration {
    var config = try eventfulConfiguration(seed: 11)
    try config.apply(override: "population.size=20000")
    try config.apply(override: "firms.startups=700")
    try config.apply(override: "time.ticks=24")
    try config.apply(override: "output.agents=final")
    try config.apply(override: "output.moves=true")
    config.events = [ScenarioEvent(tick: 5, action: .layoffs(sector: .bigtech, fraction: 0.05))]
    return config
  }

  func runFiles(_ config: Configuration, threads: Int) throws -> [OutputFile] {
    let parent = try TestFolder.make("determinism")
    defer { TestFolder.remove(parent) }
    let folder = parent.appendingPathComponent("run")
    return try Runner.run(config: config, destination: folder, force: false, threads: threads).files
  }

  @Test("byte-identical files on 1 and 4 threads, and when run twice")
  func threadCountsAndRepeats() throws {
    let config = try configuration()
    let one = try runFiles(config, threads: 1)
    let four = try runFiles(config, threads: 4)
    let again = try runFiles(config, threads: 4)
    #expect(one.map(\.name) == ["timeseries.csv", "flows.csv", "firms.csv", "agents.csv", "moves.csv"])
    #expect(one == four)
    #expect(four == again)
  }

  @Test("a different seed gives a different run")
  func seedsMatter() throws {
    var config = try eventfulConfiguration(seed: 1)
    try config.apply(override: "time.ticks=12")
    let a = try Runner.records(config: config, threads: 1)
    config.seed = 2
    let b = try Runner.records(config: config, threads: 1)
    #expect(a.map(\.row) != b.map(\.row))
  }
}

@Suite("The model behaves as MODEL.md says, in direction")
struct BehaviourTests {
  func small(seed: UInt64, _ overrides: [String] = []) throws -> Configuration {
    var config = Configuration()
    for o in ["seed=\(seed)", "population.size=3000", "firms.startups=120", "time.ticks=60"] + overrides {
      try config.apply(override: o)
    }
    try config.validate(source: "test")
    return config
  }

  func total(_ records: [TickRecord], _ column: String, ticks: ClosedRange<Int>? = nil) -> Double {
    records.filter { ticks?.contains($0.tick) ?? ($0.tick > 0) }.reduce(0) { $0 + $1[column] }
  }

  @Test("enforceable non-competes stop voluntary moves and foundings by the employed")
  func nonCompeteStopsTheEmployed() throws {
    let records = try Runner.records(
      config: try small(seed: 3, ["policy.nonCompete=1", "founding.opportunityRate=0.03"]), threads: 2)
    for r in records.dropFirst() {
      #expect(r.flows.total(.voluntary) == 0)
      for from in [Sector.bigtech, .startup] {
        #expect(r.flows[from, .startup, .founding] == 0)
      }
    }
    // The unemployed still find jobs and found startups.
    #expect(total(records, "hires_bigtech") + total(records, "hires_startup") > 0)
    #expect(total(records, "foundings") > 0)
  }

  @Test("a funding shock raises startup failures and cuts foundings")
  func fundingShockHurtsStartups() throws {
    var failuresBase = 0.0
    var failuresShock = 0.0
    var foundingsBase = 0.0
    var foundingsShock = 0.0
    for seed: UInt64 in 1...4 {
      let base = try small(seed: seed)
      var shocked = base
      shocked.events = [ScenarioEvent(tick: 24, action: .fundingShock(multiplier: 0.45, ticks: 24))]
      let a = try Runner.records(config: base, threads: 2)
      let b = try Runner.records(config: shocked, threads: 2)
      failuresBase += total(a, "startups_failed", ticks: 24...60)
      failuresShock += total(b, "startups_failed", ticks: 24...60)
      foundingsBase += total(a, "foundings", ticks: 24...60)
      foundingsShock += total(b, "foundings", ticks: 24...60)
    }
    #expect(failuresShock > failuresBase)
    #expect(foundingsShock < foundingsBase)
  }

  @Test("more optimism about exits raises the startup share of employment")
  func optimismRaisesStartupShare() throws {
    var low = 0.0
    var high = 0.0
    for seed: UInt64 in 1...3 {
      // Between 0 and 20 the perceived value of startup equity goes from nothing to its full
      // paper value at every stage; smaller steps move the share by less than seed noise here.
      let a = try Runner.records(config: try small(seed: seed, ["equity.optimism=0"]), threads: 2)
      let b = try Runner.records(config: try small(seed: seed, ["equity.optimism=20"]), threads: 2)
      let share = { (r: TickRecord) in
        r["employed_startup"] / (r["employed_startup"] + r["employed_bigtech"])
      }
      low += a.dropFirst().map(share).reduce(0, +)
      high += b.dropFirst().map(share).reduce(0, +)
    }
    #expect(high > low)
  }
}
