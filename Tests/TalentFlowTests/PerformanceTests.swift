import Foundation
import Testing

@testable import TalentFlow

/// A small baseline run: `size` professionals, one startup per 25, `ticks` recorded ticks.
private func smallConfig(size: Int = 2_000, ticks: Int = 24, moves: Bool = true) throws
  -> Configuration
{
  var config = try Benchmark.configuration(professionals: size, ticks: ticks)
  config.output.moves = moves
  config.events = [
    ScenarioEvent(tick: 3, action: .layoffs(sector: .bigtech, fraction: 0.1)),
    ScenarioEvent(tick: 5, action: .entrySurge(count: 150)),
    ScenarioEvent(tick: 7, action: .fundingShock(multiplier: 0.5, ticks: 6)),
  ]
  try config.validate(source: "test")
  return config
}

/// Every record of a run from warm-up to the last tick, stepping with `step`.
private func allRecords(
  _ config: Configuration, threads: Int,
  _ step: (inout Simulation) throws -> TickRecord
) throws -> [TickRecord] {
  var simulation = Simulation(config: config, threads: threads)
  var records: [TickRecord] = []
  for _ in 0..<(config.time.warmup + config.time.ticks) { records.append(try step(&simulation)) }
  return records
}

private func expectSameRecords(_ a: [TickRecord], _ b: [TickRecord]) {
  #expect(a.count == b.count)
  for (x, y) in zip(a, b) {
    #expect(x.tick == y.tick)
    // Bit patterns, so that even NaN columns must match.
    #expect(x.row.map(\.bitPattern) == y.row.map(\.bitPattern), "tick \(x.tick)")
    #expect(x.flows == y.flows, "tick \(x.tick)")
    #expect(x.moves == y.moves, "tick \(x.tick)")
  }
}

@Suite("Performance work changes no output")
struct PerformanceTests {
  @Test("Timing the steps changes no record")
  func timedStepsRecordTheSame() throws {
    let config = try smallConfig()
    let plain = try allRecords(config, threads: 2) { try $0.step() }
    var timings = StepTimings()
    let timed = try allRecords(config, threads: 2) { try $0.step(clock: &timings) }
    expectSameRecords(plain, timed)
    #expect(timings.ticks == config.time.warmup + config.time.ticks)
  }

  @Test("A profiled run writes the same files as an unprofiled one")
  func profiledRunWritesTheSameFiles() throws {
    var config = try smallConfig(ticks: 12)
    config.output.agents = .final
    let parent = try TestFolder.make("perf")
    defer { TestFolder.remove(parent) }
    let plain = try Runner.run(
      config: config, destination: parent.appendingPathComponent("plain"), force: false,
      threads: 2)
    let profile = RunProfile()
    let profiled = try Runner.run(
      config: config, destination: parent.appendingPathComponent("profiled"), force: false,
      threads: 2, profile: profile)
    #expect(plain.files == profiled.files)
    #expect(profile.steps.ticks == config.time.warmup + config.time.ticks)
    #expect(profile.agentTicks > 0)
  }

  /// More professionals than one parallel chunk (8,192), so that chunk boundaries, blocks
  /// and batches are crossed.
  @Test("Several chunks on 1 and 3 threads give the same records")
  func severalChunksAnyThreads() throws {
    let config = try smallConfig(size: 17_000, ticks: 6)
    let one = try allRecords(config, threads: 1) { try $0.step() }
    let three = try allRecords(config, threads: 3) { try $0.step() }
    expectSameRecords(one, three)
  }

  @Test("The alias table is built exactly as by Vose's method step by step")
  func aliasTableMatchesReference() {
    var s = RandomStream(key: PhiloxKey(seed: 9), purpose: 900, entity: 0, tick: 0)
    for trial in 0..<40 {
      let n = 1 + s.index(below: 400)
      let zeroShare = s.uniform()
      let weights = (0..<n).map { _ -> Double in
        if s.uniform() < zeroShare { return 0 }
        return trial % 2 == 0 ? Double(s.index(below: 30)) : s.uniform() * 7
      }
      let table = AliasTable(weights: weights)
      let reference = referenceAliasColumns(weights)
      #expect(table.count == n)
      for i in 0..<n where !reference.isEmpty {
        let column = table.column(i)
        #expect(column.threshold.bitPattern == reference[i].threshold.bitPattern, "trial \(trial)")
        #expect(column.alias == reference[i].alias, "trial \(trial), column \(i)")
      }
      // A draw is the column or its alias by the threshold (picked without a branch).
      for _ in 0..<200 where !reference.isEmpty {
        let u = s.uniform()
        let scaled = u * Double(n)
        let i = min(Int(scaled), n - 1)
        let expected = scaled - Double(i) < reference[i].threshold ? i : reference[i].alias
        #expect(table.sample(u, .shared) == expected, "trial \(trial), u = \(u)")
      }
    }
  }

  @Test("Applications are ordered as by one comparison sort")
  func matchingOrder() {
    var s = RandomStream(key: PhiloxKey(seed: 10), purpose: 901, entity: 0, tick: 0)
    let firmCount = 50
    var applications: [Application] = []
    for id in 0..<3_000 {
      // Coarse scores, so that ties (broken by id) are common.
      let score = Double(s.index(below: 20)) / 10
      applications.append(
        Application(
          slot: Int32(id), firm: Int32(s.index(below: firmCount)), score: score,
          id: UInt32(3_000 - id)))
    }
    let expected = applications.sorted { a, b in
      if a.firm != b.firm { return a.firm < b.firm }
      if a.score != b.score { return a.score > b.score }
      return a.id < b.id
    }
    for threads in [1, 2, 3] {
      let ordered = Simulation.sortedForMatching(
        applications, firmCount: firmCount, parallel: Parallel(threads: threads))
      #expect(ordered.map(\.slot) == expected.map(\.slot), "\(threads) threads")
    }
  }

  @Test("The members scan finds a plain scan's members, in slot order")
  func memberScan() {
    var s = RandomStream(key: PhiloxKey(seed: 11), purpose: 902, entity: 0, tick: 0)
    let firmCount = 40
    // Employers with the unemployed and the gone among them; lengths that leave every tail.
    for length in [0, 1, 7, 8, 9, 63, 1_000, 1_003] {
      let employer = (0..<length).map { _ -> Int32 in
        let e = s.index(below: firmCount + 2)
        if e < firmCount { return Int32(e) }
        return e == firmCount ? Professionals.unemployed : Professionals.gone
      }
      // None, one, a few and most firms flagged.
      for flaggedCount in [0, 1, 3, 30] {
        var flagged = [Bool](repeating: false, count: firmCount)
        for _ in 0..<flaggedCount { flagged[s.index(below: firmCount)] = true }
        let scan = MemberScan(flagged: flagged)
        for range in [0..<length, (length / 3)..<length] {
          let expected = range.filter { employer[$0] >= 0 && flagged[Int(employer[$0])] }
          let found = employer.withUnsafeBufferPointer { scan.members(in: range, $0) }
          #expect(found.map { Int($0.slot) } == expected, "\(length) slots, \(flaggedCount)")
          #expect(found.allSatisfy { employer[Int($0.slot)] == $0.firm })
        }
      }
    }
  }

  @Test("One allocator arena for a single run, one per worker up to the processors side by side")
  func allocatorArenas() {
    #expect(AllocatorTuning.arenas(sideBySide: false, workers: nil, processors: 8) == 1)
    #expect(AllocatorTuning.arenas(sideBySide: false, workers: 4, processors: 8) == 1)
    #expect(AllocatorTuning.arenas(sideBySide: true, workers: nil, processors: 8) == 8)
    #expect(AllocatorTuning.arenas(sideBySide: true, workers: 1, processors: 8) == 1)
    #expect(AllocatorTuning.arenas(sideBySide: true, workers: 3, processors: 8) == 3)
    #expect(AllocatorTuning.arenas(sideBySide: true, workers: 64, processors: 2) == 2)
    #expect(AllocatorTuning.arenas(sideBySide: true, workers: nil, processors: 1) == 1)
  }

  @Test("A Float field is the bytes of its description")
  func floatFields() throws {
    var s = RandomStream(key: PhiloxKey(seed: 11), purpose: 902, entity: 0, tick: 0)
    var values: [Float] = [0, -0.0, 1, -3, 0.1, 1e-7, 123_456.78, 1e7, 3.4e38, .infinity, .nan]
    for _ in 0..<2_000 { values.append(Float(s.uniform() * 2 - 1) * Float(s.index(below: 1_000))) }
    let (folder, url) = try TestFolder.makeFile("values.csv", label: "float-field")
    defer { TestFolder.remove(folder) }
    var csv = try CSVBuffer(url: url)
    for value in values {
      csv.field(value)
      csv.endRow()
    }
    try csv.close()
    let lines = String(decoding: try Data(contentsOf: url), as: UTF8.self)
      .split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count == values.count)
    for (line, value) in zip(lines, values) {
      let expected: String
      if !value.isFinite {
        expected = ""
      } else if value == value.rounded() && abs(value) < 1e7 {
        expected = String(Int(value))
      } else {
        expected = value.description
      }
      #expect(String(line) == expected)
    }
  }
}

/// Vose's alias method written plainly, with arrays used as stacks.
///
/// The construction the table must reproduce column for column; empty when there is no
/// positive weight.
private func referenceAliasColumns(_ weights: [Double]) -> [(threshold: Double, alias: Int)] {
  let n = weights.count
  let total = weights.reduce(0, +)
  guard n > 0, total > 0 else { return [] }
  let scale = Double(n) / total
  var scaled = weights.map { $0 * scale }
  var small: [Int] = []
  var large: [Int] = []
  for i in 0..<n {
    if scaled[i] < 1 { small.append(i) } else { large.append(i) }
  }
  var table = (0..<n).map { (threshold: 1.0, alias: $0) }
  while let l = small.last, let g = large.last {
    small.removeLast()
    large.removeLast()
    table[l] = (scaled[l], g)
    scaled[g] = (scaled[g] + scaled[l]) - 1
    if scaled[g] < 1 { small.append(g) } else { large.append(g) }
  }
  var heaviest = 0
  for i in 1..<n where weights[i] > weights[heaviest] { heaviest = i }
  for i in large + small { table[i] = weights[i] > 0 ? (1, i) : (0, heaviest) }
  return table
}
