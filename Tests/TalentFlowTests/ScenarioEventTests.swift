import Foundation
import Testing

@testable import TalentFlow

/// A small, quick configuration for event tests.
private func smallConfiguration() -> Configuration {
  var config = Configuration()
  config.population.size = 1500
  config.firms.startups = 60
  config.time.warmup = 12
  config.time.ticks = 30
  return config
}

/// The records of ticks 0…T of a configuration, on one thread.
private func records(_ config: Configuration) throws -> [TickRecord] {
  try Runner.records(config: config, threads: 1)
}

/// Checks that every tick before `tick` recorded the same row in both runs.
private func expectSameBefore(_ tick: Int, _ a: [TickRecord], _ b: [TickRecord]) {
  for t in 0..<tick {
    #expect(a[t].row == b[t].row, "tick \(t) differs before the event at tick \(tick)")
  }
}

@Suite("Scenario events (MODEL 4.10)")
struct ScenarioEventTests {
  @Test(arguments: [FirmType.bigtech, FirmType.startup])
  func layoffsHitExactlyTheirTick(sector: FirmType) throws {
    // No layoffs of the model's own: big tech tolerates any overstaffing, and startups never
    // cut in distress, so every layoff recorded is the event's.
    var config = smallConfiguration()
    config.bigtech.layoffSlack = 1000
    config.startup.minRunway = 0
    let t = 10
    let fraction = 0.1
    var withEvent = config
    withEvent.events = [
      ScenarioEvent(tick: t, action: .layoffs(sector: sector, fraction: fraction))
    ]

    var simulation = Simulation(config: withEvent, threads: 1)
    try simulation.warmUp()
    var before: TickRecord?
    for _ in 1..<t { before = try simulation.step() }
    // Headcounts at the start of tick t are those at the end of tick t − 1.
    var expected = 0
    for j in 0..<simulation.firms.count
    where simulation.firms.alive[j] && simulation.firms.type[j] == sector {
      expected += Int(
        (fraction * Double(simulation.firms.headcount[j])).rounded(.toNearestOrAwayFromZero))
    }
    let column = sector == .bigtech ? "layoffs_bigtech" : "layoffs_startup"
    let at = try simulation.step()
    #expect(expected > 20)
    #expect(before?[column] == 0)
    #expect(at[column] == Double(expected))
    #expect(at.flows[Sector(sector), .unemployed, .layoff] == expected)

    let base = try records(config)
    let event = try records(withEvent)
    expectSameBefore(t, base, event)
    #expect(event[t][column] == Double(expected))
    #expect(base[t][column] == 0)
  }

  @Test func bigTechLayoffsLowerDemandAndRaiseLayoffMemory() throws {
    var config = smallConfiguration()
    config.events = [ScenarioEvent(tick: 5, action: .layoffs(sector: .bigtech, fraction: 0.2))]
    var simulation = Simulation(config: config, threads: 1)
    try simulation.warmUp()
    for _ in 1..<5 { try simulation.step() }
    let bigTech = (0..<simulation.firms.count).filter {
      simulation.firms.alive[$0] && simulation.firms.type[$0] == .bigtech
    }
    let memory = bigTech.map { simulation.firms.layoffMemory[$0] }
    var copy = simulation
    try copy.applyEvents(5)
    for (k, j) in bigTech.enumerated() {
      #expect(copy.firms.demandBase[j] == simulation.firms.demandBase[j] * 0.8)
      #expect(copy.firms.layoffMemory[j] == memory[k] + 0.2)
    }
  }

  @Test func nonCompeteOfOneStopsMovesOfTheEmployedFromItsTick() throws {
    let config = smallConfiguration()
    let t = 12
    var withEvent = config
    withEvent.events = [
      ScenarioEvent(tick: t, action: .set(path: "policy.nonCompete", value: .number(1)))
    ]
    let base = try records(config)
    let event = try records(withEvent)
    expectSameBefore(t, base, event)
    let moves = [
      "moves_bigtech_to_startup", "moves_startup_to_bigtech", "moves_startup_to_startup",
      "moves_bigtech_to_bigtech",
    ]
    let movesBefore = moves.reduce(0.0) { $0 + event[t - 1][$1] }
    #expect(movesBefore > 0)
    for record in event[t...] {
      for column in moves { #expect(record[column] == 0, "\(column) at tick \(record.tick)") }
      // Founding from a job is stopped too; the unemployed may still found.
      #expect(record.flows[.bigtech, .startup, .founding] == 0)
      #expect(record.flows[.startup, .startup, .founding] == 0)
    }
    // The unemployed still get hired.
    #expect(event[t...].reduce(0.0) { $0 + $1["hires_bigtech"] + $1["hires_startup"] } > 0)
  }

  @Test func fundingShockMultipliesTheClimateOnItsTicksOnly() throws {
    let config = smallConfiguration()
    let t = 8
    let ticks = 5
    var withEvent = config
    withEvent.events = [
      ScenarioEvent(tick: t, action: .fundingShock(multiplier: 0.5, ticks: ticks))
    ]
    let base = try records(config)
    let event = try records(withEvent)
    expectSameBefore(t, base, event)
    for k in base.indices {
      let inShock = k >= t && k < t + ticks
      let expected = inShock ? base[k]["funding_climate"] * 0.5 : base[k]["funding_climate"]
      #expect(event[k]["funding_climate"] == expected, "funding_climate at tick \(k)")
    }
    // The shock reaches the firms (rounds, new startups' cash), not only the recorded climate.
    let climate = Timeseries.columns.firstIndex(of: "funding_climate") ?? 0
    func withoutClimate(_ r: TickRecord) -> [Double] {
      r.row.enumerated().filter { $0.offset != climate }.map(\.element)
    }
    #expect(event[t...].contains { withoutClimate($0) != withoutClimate(base[$0.tick]) })
  }

  @Test func entrySurgeAddsItsCountToEntrantsAtItsTick() throws {
    var config = smallConfiguration()
    config.population.entryPerYear = 0  // so every entrant is the surge's
    let t = 7
    var withEvent = config
    withEvent.events = [ScenarioEvent(tick: t, action: .entrySurge(count: 25))]
    let base = try records(config)
    let event = try records(withEvent)
    expectSameBefore(t, base, event)
    for record in event.dropFirst() {
      #expect(record["entrants"] == (record.tick == t ? 25 : 0), "entrants at tick \(record.tick)")
    }
    #expect(
      event[t]["professionals"] - event[t - 1]["professionals"]
        == 25 - event[t]["exits"])
    #expect(event[t].flows[.outside, .unemployed, .entry] == 25)
  }

  @Test func setEventsChangeTheConfigurationInForceFromTheirTick() throws {
    var config = smallConfiguration()
    config.events = [
      ScenarioEvent(tick: 4, action: .set(path: "policy.computeSubsidy", value: .number(0.2)))
    ]
    var simulation = Simulation(config: config, threads: 1)
    try simulation.warmUp()
    for _ in 1..<4 { try simulation.step() }
    #expect(simulation.config.policy.computeSubsidy == 0)
    try simulation.step()
    #expect(simulation.config.policy.computeSubsidy == 0.2)
    #expect(simulation.initialConfig.policy.computeSubsidy == 0)
  }
}
