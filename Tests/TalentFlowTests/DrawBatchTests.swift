import Foundation
import Testing

@testable import TalentFlow

/// The batched draws of issue 16: the same bits as the scalar generator, and no output that
/// depends on the thread count or the batch size.
@Suite("Batched draws")
struct DrawBatchTests {
  @Test("every block of a batch is Philox4x32.block of its counter", arguments: [1, 7, 64])
  func batchMatchesScalarBlocks(count: Int) {
    let key = PhiloxKey(seed: 77)
    var batch = PhiloxBatch(capacity: 64)
    for i in 0..<count { batch.entity[i] = UInt32(truncatingIfNeeded: i &* 2_654_435_761) }
    batch.compute(count: count, key: key, tick: -37, purpose: 14, draw: 3)
    for i in 0..<count {
      let expected = Philox4x32.block(
        SIMD4(batch.entity[i], UInt32(bitPattern: -37), 14, 3), key: key)
      #expect(SIMD4(batch.x[i], batch.y[i], batch.z[i], batch.w[i]) == expected)
    }
  }

  @Test("32-bit uniforms are (w + 1/2) · 2^-32, strictly inside (0, 1)")
  func wordUniforms() {
    #expect(PhiloxBatch.uniform(0) == 0x1p-33)
    #expect(PhiloxBatch.uniform(.max) == 1 - 0x1p-33)
    #expect(PhiloxBatch.uniform(0x8000_0000) == 0.5 + 0x1p-33)
    // The decisions' probabilities: u < p for a fraction of words within 2^-33 of p.
    for p in [0.0, 0.004, 0.25, 0.5, 1.0] {
      let words = (p * 0x1p32 - 0.5).rounded(.up)
      let fraction = max(0, min(words, 0x1p32)) * 0x1p-32
      #expect(abs(fraction - p) <= 0x1p-33)
      if words > 0 && words <= 0x1p32 {
        #expect(PhiloxBatch.uniform(UInt32(words - 1)) < p)
      }
      if words < 0x1p32 { #expect(!(PhiloxBatch.uniform(UInt32(max(0, words))) < p)) }
    }
  }

  /// Step 5 keeps each professional's number of leads, not word w, for step 7: the Poisson
  /// inversion of w's uniform with her mean, in one byte.
  @Test("a number of leads is the Poisson inversion of word w, and fits a byte")
  func leadCountsAreInversions() throws {
    let words: [UInt32] = [0, 1, 0x1234_5678, 0x8000_0000, 0xFFFF_0000, .max - 1, .max]
    // The bound below holds because no configuration has a mean above 100.
    for path in ["market.leadsEmployed", "market.leadsUnemployed"] {
      #expect(throws: ConfigurationError.self) {
        try Configuration.load(file: nil, overrides: ["\(path)=100.01"])
      }
      _ = try Configuration.load(file: nil, overrides: ["\(path)=100"])
    }
    for mean in [0.0, 0.376, 0.471, 1, 7.5, 30, 99.5, 100] {
      var market = Configuration().market
      market.leadsEmployed = mean
      market.leadsUnemployed = mean / 2
      let rule = LeadCountRule(market)
      // The named words, and words spread over the whole range.
      for w in words + Array(stride(from: UInt32(17), to: .max - 65_537, by: 65_537)) {
        let u = PhiloxBatch.uniform(w)
        #expect(
          Int(rule.count(employed: true, w: w)) == RandomStream.poissonInversion(mean: mean, u: u))
        #expect(
          Int(rule.count(employed: false, w: w))
            == RandomStream.poissonInversion(mean: mean / 2, u: u))
      }
    }
    // The largest count: the largest mean and the largest word.
    var market = Configuration().market
    market.leadsEmployed = 100
    #expect(LeadCountRule(market).count(employed: true, w: .max) == 170)
  }

  /// Step 7 keeps, for each searcher, only the value after her choice draw, and rebuilds her
  /// stream from it for the hiring score: each lead's uniform and non-compete draw, the choice
  /// draw and the score's normal must be the values of her search stream drawn in order.
  @Test("search draws are the search stream's values in order, for 0 to 6 leads")
  func searchDrawsMatchTheStream() throws {
    let config = try Configuration.load(
      file: nil, overrides: ["population.size=300", "firms.startups=12", "policy.nonCompete=0.5"])
    let simulation = Simulation(config: config, threads: 1)
    let t = 7
    let rules = SearchRules(simulation, t)
    // Searchers with 0 to 6 leads (0: a founding option only), in slot order.
    let slots = Array(stride(from: 3, to: 290, by: 7))
    var batch = SearchBatch()
    batch.searchers = slots.map { Int32($0) }
    batch.leadCounts = slots.indices.map { UInt8($0 % 7) }
    batch.canFound = slots.indices.map { $0 % 7 == 0 }
    simulation.withProfessionalBuffers { b in batch.drawLeads(b, rules) }
    for (s, p) in slots.enumerated() {
      let id = simulation.professionals.id[p]
      var stream = RandomStream(
        key: simulation.key, purpose: DrawPurpose.search.rawValue, entity: id, tick: Int32(t))
      let leads = Int(batch.leadCounts[s])
      #expect(Int(batch.leadStart[s + 1] - batch.leadStart[s]) == leads)
      for l in Int(batch.leadStart[s])..<Int(batch.leadStart[s + 1]) {
        #expect(batch.leadUniforms[l] == stream.uniform())
        #expect(batch.leadBinds[l] == (stream.uniform() < rules.nonCompete))
      }
      #expect(batch.choiceDraws[s] == stream.uniform())
      var continued = rules.streamAfterChoice(
        id, leads: batch.leadCounts[s], secondHalf: batch.choiceRests[s])
      #expect(continued.normal() == stream.normal())
      #expect(continued.uniform() == stream.uniform())
    }
  }

  /// Three chunks of professionals (the last one partial), every event type, founding and
  /// non-competes active, so every batched loop runs on several chunks.
  static func configuration() throws -> Configuration {
    try Configuration.load(
      file: nil,
      overrides: [
        "seed=5", "population.size=17000", "firms.startups=680", "time.warmup=4",
        "time.ticks=10", "policy.nonCompete=0.4", "founding.opportunityRate=0.02",
        """
        events=[{"tick": 3, "type": "layoffs", "sector": "bigtech", "fraction": 0.05},
        {"tick": 5, "type": "entrySurge", "count": 400}]
        """,
      ])
  }

  /// Every record of the run and the whole final state, as checkpoint bytes.
  static func run(
    threads: Int, batchSize: Int, sharesTickBlocks: Bool = true, carriesSkillSums: Bool = true,
    overrides: [String] = []
  ) throws -> (rows: [[Double]], state: [UInt8], compactions: Int) {
    var config = try configuration()
    if !overrides.isEmpty { config = try Configuration.load(file: nil, overrides: overrides) }
    var simulation = Simulation(config: config, threads: threads)
    simulation.drawBatchSize = batchSize
    simulation.sharesTickBlocks = sharesTickBlocks
    simulation.carriesSkillSums = carriesSkillSums
    try simulation.warmUp()
    var rows = [simulation.tickZeroRecord().row]
    var compactions = 0
    for _ in 0..<simulation.config.time.ticks {
      let slots = simulation.professionals.slotCount
      rows.append(try simulation.step().row)
      if simulation.professionals.slotCount < slots { compactions += 1 }
    }
    var writer = BinaryWriter()
    simulation.encode(to: &writer)
    return (rows, writer.bytes, compactions)
  }

  @Test("the same run on 1, 2 and 3 threads and with batches of 64 and 5")
  func noOutputDependsOnThreadsOrBatchSize() throws {
    let reference = try DrawBatchTests.run(threads: 1, batchSize: PhiloxBatch.defaultSize)
    #expect(reference.rows.count == 11)
    let foundings = try #require(Timeseries.columns.firstIndex(of: "foundings"))
    #expect(reference.rows.dropFirst().contains { $0[foundings] > 0 }, "the run must found")
    // Each thread count and each batch size, and both sizes on one thread count.
    for (threads, batchSize) in [(1, 5), (2, 64), (3, 5)] {
      let other = try DrawBatchTests.run(threads: threads, batchSize: batchSize)
      #expect(
        other.rows == reference.rows, "records differ on \(threads) threads, batch \(batchSize)")
      #expect(
        other.state == reference.state, "state differs on \(threads) threads, batch \(batchSize)")
    }
  }

  /// Step 6 takes the founding draws step 5's pass found unless slots moved; either way the
  /// run is the one in which step 6 computes every block again. A high exit rate makes the
  /// population compact (more than a quarter tombstones) within the run.
  @Test("step 6 reusing step 5's tick blocks changes no byte, with and without compaction")
  func sharingTickBlocksChangesNothing() throws {
    let compacting = [
      "seed=9", "population.size=17000", "firms.startups=680", "time.warmup=2",
      "time.ticks=8", "population.exitPerYear=3", "population.entryPerYear=1.5",
      "policy.nonCompete=0.3", "founding.opportunityRate=0.03",
      #"events=[{"tick": 2, "type": "entrySurge", "count": 900}]"#,
    ]
    for overrides in [[], compacting] {
      let fresh = try DrawBatchTests.run(
        threads: 2, batchSize: 64, sharesTickBlocks: false, overrides: overrides)
      if !overrides.isEmpty { #expect(fresh.compactions > 0, "the run must compact") }
      for threads in [1, 2] {
        let shared = try DrawBatchTests.run(threads: threads, batchSize: 64, overrides: overrides)
        #expect(shared.rows == fresh.rows, "records differ on \(threads) threads")
        #expect(shared.state == fresh.state, "state differs on \(threads) threads")
      }
    }
  }

  /// Step 3 takes each firm's skill sum from step 9's pass of the tick before unless someone
  /// moved in between: here a startup layoffs event in step 1 of tick 3 (step 3 reads only
  /// startups' sums), after which step 3 must sum again. Either way the run is the one in which
  /// step 3 always makes its own pass.
  @Test("step 9 carrying the firms' skill sums to step 3 changes no byte, layoffs event included")
  func carryingSkillSumsChangesNothing() throws {
    let overrides = [
      "seed=5", "population.size=17000", "firms.startups=680", "time.warmup=4", "time.ticks=6",
      #"events=[{"tick": 3, "type": "layoffs", "sector": "startup", "fraction": 0.2}]"#,
    ]
    let ownPass = try DrawBatchTests.run(
      threads: 2, batchSize: 64, carriesSkillSums: false, overrides: overrides)
    let layoffs = try #require(Timeseries.columns.firstIndex(of: "layoffs_startup"))
    #expect(ownPass.rows[3][layoffs] > 0, "the event must lay people off in tick 3")
    for threads in [1, 2] {
      let carried = try DrawBatchTests.run(threads: threads, batchSize: 64, overrides: overrides)
      // Compared as one Bool each, so that a failure prints a line, not the state's bytes.
      let sameRecords = carried.rows == ownPass.rows
      let sameState = carried.state == ownPass.state
      #expect(sameRecords, "records differ on \(threads) threads")
      #expect(sameState, "state differs on \(threads) threads")
    }
  }

  /// Warm-up ticks skip step 10 (no record is kept, so step 9 takes no sums for it); the state
  /// they leave, and so every recorded tick after them, must be that of ticks run with it.
  @Test("warm-up ticks without the record leave the state ticks with it leave")
  func warmUpWithoutRecordsChangesNothing() throws {
    let config = try Configuration.load(
      file: nil,
      overrides: [
        "seed=11", "population.size=17000", "firms.startups=680", "time.warmup=6",
        "time.ticks=4", "founding.opportunityRate=0.02",
      ])
    for threads in [1, 2] {
      var skipping = Simulation(config: config, threads: threads)
      try skipping.warmUp()
      var recording = Simulation(config: config, threads: threads)
      var warmUpRecords = 0
      while recording.tick < -1 {
        try recording.step()
        warmUpRecords += 1
      }
      try recording.warmUp()
      #expect(warmUpRecords == 6)
      var rowsSkipping = [skipping.tickZeroRecord().row]
      var rowsRecording = [recording.tickZeroRecord().row]
      for _ in 0..<config.time.ticks {
        rowsSkipping.append(try skipping.step().row)
        rowsRecording.append(try recording.step().row)
      }
      var a = BinaryWriter()
      skipping.encode(to: &a)
      var b = BinaryWriter()
      recording.encode(to: &b)
      // Compared as one Bool each, so that a failure prints a line, not the state's bytes.
      let sameRecords = rowsSkipping == rowsRecording
      let sameState = a.bytes == b.bytes
      #expect(sameRecords, "records differ on \(threads) threads")
      #expect(sameState, "state differs on \(threads) threads")
    }
  }
}
