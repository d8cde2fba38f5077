import Foundation
import Testing

@testable import TalentFlow

/// The tick's cache-aligned copy of what the firms published: after step 7's foundings it is
/// extended, not copied again, and it always holds exactly `Firms.published`.
@Suite("Published rows")
struct PublishedRowsTests {
  @Test("startups founded after the copy are appended to it; beyond its room a new copy is made")
  func appendsNewFirms() throws {
    let config = try Configuration.load(
      file: nil,
      overrides: ["seed=3", "population.size=3000", "firms.startups=120", "time.warmup=3"])
    var simulation = Simulation(config: config, threads: 2)
    try simulation.warmUp()
    _ = try simulation.step()
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

  private func copied(_ rows: PublishedRows) -> [Double] {
    rows.withValues { Array($0) }
  }
}
