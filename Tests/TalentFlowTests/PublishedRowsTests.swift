import Foundation
import Testing

@testable import TalentFlow

/// The tick's cache-aligned copy of what the firms published: after step 7's foundings it is
/// extended, not copied again, the next tick copies into the same memory, and it always holds
/// exactly `Firms.published`.
@Suite("Published rows")
struct PublishedRowsTests {
  @Test("startups founded after the copy are appended to it; beyond its room a new copy is made")
  func appendsNewFirms() throws {
    var simulation = try smallSimulationAfterOneTick(seed: 3, warmup: 3)
    let rows = PublishedRows(simulation.firms, simulation.parallel)
    #expect(rows.count == simulation.firms.count)
    #expect(copied(rows) == Array(simulation.firms.published))

    // Step 7's founders, as `foundStartups` creates them: the unemployed, in slot order.
    let unemployed = (0..<simulation.professionals.slotCount).filter {
      simulation.professionals.employer[$0] == Professionals.unemployed
    }
    try #require(unemployed.count >= 2)
    simulation.foundStartups(unemployed.prefix(2).map { Int32($0) }, simulation.tick)
    #expect(rows.appendNewFirms(simulation.firms, simulation.parallel))
    #expect(rows.count == simulation.firms.count)
    #expect(copied(rows) == Array(simulation.firms.published))

    // More startups than the copy has room for: it says so and copies nothing.
    let before = rows.count
    while simulation.firms.count <= rows.capacity {
      _ = simulation.firms.append(type: .startup, bornTick: Int32(simulation.tick))
    }
    #expect(!rows.appendNewFirms(simulation.firms, simulation.parallel))
    #expect(rows.count == before)
    let fresh = PublishedRows(simulation.firms, simulation.parallel)
    #expect(copied(fresh) == Array(simulation.firms.published))
  }

  @Test("each tick copies into the last tick's memory, unless a copy of the simulation shares it")
  func reusesTheLastTicksMemory() throws {
    var a = try smallSimulationAfterOneTick(seed: 5, warmup: 2)
    // Held weakly, so the test itself does not share the memory.
    weak let first = a.publishedRowsCache
    let capacity = try #require(first).capacity
    _ = try a.step()
    #expect(first != nil && a.publishedRowsCache === first, "a lone simulation reuses its memory")
    #expect(copied(try #require(a.publishedRowsCache)) == Array(a.firms.published))

    // A copy of the run steps on its own memory, and both go on as one run would.
    var b = a
    let fromA = try a.step()
    let fromB = try b.step()
    #expect(a.publishedRowsCache !== b.publishedRowsCache)
    #expect(fromA.row.map(\.bitPattern) == fromB.row.map(\.bitPattern))
    #expect(copied(try #require(a.publishedRowsCache)) == Array(a.firms.published))
    #expect(copied(try #require(b.publishedRowsCache)) == Array(b.firms.published))

    // Beyond the memory's room for firms, a larger copy is made.
    while a.firms.count <= capacity {
      _ = a.firms.append(type: .startup, bornTick: Int32(a.tick))
    }
    let rows = a.publishedRows()
    #expect(rows.capacity > capacity)
    #expect(copied(rows) == Array(a.firms.published))
  }

  /// 3,000 professionals and 120 startups on 2 threads, after warm-up and tick 1.
  private func smallSimulationAfterOneTick(seed: Int, warmup: Int) throws -> Simulation {
    let config = try Configuration.load(
      file: nil,
      overrides: [
        "seed=\(seed)", "population.size=3000", "firms.startups=120", "time.warmup=\(warmup)",
      ])
    var simulation = Simulation(config: config, threads: 2)
    try simulation.warmUp()
    _ = try simulation.step()
    return simulation
  }

  private func copied(_ rows: PublishedRows) -> [Double] {
    rows.withValues { Array($0) }
  }
}
