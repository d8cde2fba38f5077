import Foundation
import Testing

@testable import TalentFlow

/// A tiny population (20 professionals, limit 20,000) whose runs take a fraction of a second.
private let tinyOptions = [
  "--set", "population.size=20", "--set", "firms.startups=5", "--set", "firms.bigTech=2",
  "--set", "time.warmup=0", "--threads", "2", "--quiet",
]

/// A tiny configuration file with `events`, for runs and validation.
private func tinyScenario(events: String, ticks: Int = 3) -> String {
  #"{"population": {"size": 20}, "firms": {"startups": 5, "bigTech": 2}, "#
    + #""time": {"warmup": 1, "ticks": \#(ticks)}, "events": [\#(events)]}"#
}

/// An event of a configuration file that must be refused before anything runs.
struct HostileEvent: Sendable, CustomTestStringConvertible {
  var label: String
  var event: String
  var message: String

  var testDescription: String { label }
}

private let hostileEvents: [HostileEvent] = [
  // Reproducer 2: tick + ticks overflowed Int in step 1 and trapped.
  HostileEvent(
    label: "fundingShock lasting Int.max ticks",
    event: #"{"tick": 2, "type": "fundingShock", "multiplier": 0.5, "ticks": 4611686018427387904}"#,
    message:
      "events[0].ticks must be at most 2147483647, the last tick a run can reach, "
      + "got 4.611686018427388e+18"),
  HostileEvent(
    label: "fundingShock lasting beyond any run",
    event: #"{"tick": 2, "type": "fundingShock", "multiplier": 0.5, "ticks": 2147483648}"#,
    message:
      "events[0].ticks must be at most 2147483647, the last tick a run can reach, got 2147483648"),
  HostileEvent(
    label: "event at a tick no run reaches",
    event: #"{"tick": 1e15, "type": "layoffs", "sector": "startup", "fraction": 0.1}"#,
    message:
      "events[0].tick must be at most 2147483647, the last tick a run can reach, "
      + "got 1000000000000000"),
  // Reproducer 3: a surge of 2^31 − 1 after the last tick reserved 51 GB up front.
  HostileEvent(
    label: "entrySurge of 2^31 − 1 after the last tick",
    event: #"{"tick": 50, "type": "entrySurge", "count": 2147483647}"#,
    message:
      "events[0].count must be at most 50000000, the most professionals a run may hold, "
      + "got 2147483647"),
]

@Suite("Hostile input: event bounds, the population limit, event validation at scale")
struct HostileInputTests {
  @Test(
    "an event field out of range is refused with exit 65 and the file, key path and value",
    arguments: hostileEvents)
  func outOfRangeEventIsRefused(_ hostile: HostileEvent) throws {
    let folder = try TestFolder.make("hostile-event")
    defer { TestFolder.remove(folder) }
    let file = try TestFolder.write(
      tinyScenario(events: hostile.event), named: "hostile.json", in: folder)
    let out = folder.appendingPathComponent("out").path
    let outcome = try TalentflowProcess.run(["run", file, "--out", out, "--quiet"], timeout: 60)
    #expect(outcome.exited(with: 65))
    #expect(outcome.stderr == "talentflow run: \(file): \(hostile.message)\n")
    #expect(TestFolder.contents(folder) == ["hostile.json"])
  }

  @Test("a funding shock that would run past Int.max ticks saturates instead of trapping")
  func endlessFundingShockDoesNotTrap() throws {
    // Only a configuration built in code can hold it: validation refuses it in files.
    var config = Configuration()
    config.population.size = 200
    config.firms.startups = 10
    config.firms.bigTech = 2
    config.time.warmup = 1
    config.time.ticks = 4
    var shocked = config
    shocked.events = [ScenarioEvent(tick: 2, action: .fundingShock(multiplier: 0.5, ticks: .max))]
    var simulation = Simulation(config: shocked, threads: 1)
    try simulation.warmUp()
    for _ in 1...4 { try simulation.step() }
    #expect(simulation.fundingShocks.count == 1)
    #expect(simulation.fundingShocks.first?.last == .max)
  }

  @Test("an entrySurge after the last tick changes nothing and reserves nothing")
  func surgeAfterTheLastTickIsInert() throws {
    let folder = try TestFolder.make("late-surge")
    defer { TestFolder.remove(folder) }
    let plain = try TestFolder.write(tinyScenario(events: ""), named: "plain.json", in: folder)
    // The largest surge allowed: reserving it up front would take some 4 GB of address space
    // and, at 2^31 − 1 as before, abort the run.
    let late = try TestFolder.write(
      tinyScenario(events: #"{"tick": 50, "type": "entrySurge", "count": 50000000}"#),
      named: "late.json", in: folder)
    var timeseries: [Data] = []
    for (file, name) in [(plain, "plain"), (late, "late")] {
      let out = folder.appendingPathComponent(name)
      let outcome = try TalentflowProcess.run(
        ["run", file, "--out", out.path, "--quiet"], timeout: 60)
      #expect(outcome.exited(with: 0), "\(outcome.stderr)")
      timeseries.append(
        (try? Data(contentsOf: out.appendingPathComponent("timeseries.csv"))) ?? Data())
    }
    #expect(!timeseries[0].isEmpty)
    #expect(timeseries[0] == timeseries[1])
    // In memory too: the initial reservation ignores surges.
    var config = Configuration()
    config.events = [ScenarioEvent(tick: 500, action: .entrySurge(count: 50_000_000))]
    let simulation = Simulation(config: config, threads: 1)
    #expect(simulation.professionals.id.capacity < 2 * config.population.size + 1024)
  }

  @Test("a huge population.entryPerYear reserves at most twice the initial population")
  func hugeEntryRateReservesLittle() {
    var config = Configuration()
    config.population.entryPerYear = 1e300
    let simulation = Simulation(config: config, threads: 1)
    #expect(simulation.professionals.id.capacity < 2 * config.population.size + 1024)
  }

  @Test("population.entryPerYear = 12 stops at the limit with exit 65 and publishes nothing")
  func runawayEntryStopsWithAClearError() throws {
    let folder = try TestFolder.make("runaway")
    defer { TestFolder.remove(folder) }
    let out = folder.appendingPathComponent("out").path
    let outcome = try TalentflowProcess.run(
      ["run", "--out", out, "--ticks", "30", "--set", "population.entryPerYear=12"]
        + tinyOptions, timeout: 120)
    #expect(outcome.exited(with: 65))
    #expect(outcome.stdout == "")
    // The population doubles monthly from 20: tick 10 would take it past 20,000.
    #expect(outcome.stderr.hasPrefix("talentflow run: the run stopped at tick 10: "))
    for part in [
      "would exceed the run's limit of 20,000 professionals", "50,000,000",
      "1000 × population.size 20", "population.entryPerYear (12 in force)", "entrySurge",
    ] {
      #expect(outcome.stderr.contains(part), "stderr says \(part)")
    }
    #expect(TestFolder.contents(folder) == [])
  }

  @Test("a resumed run checks the limit again and fails the same way")
  func limitSurvivesCheckpointAndResume() throws {
    let folder = try TestFolder.make("runaway-resume")
    defer { TestFolder.remove(folder) }
    let out = folder.appendingPathComponent("out").path
    let checkpoint = folder.appendingPathComponent("run.checkpoint").path
    let first = try TalentflowProcess.run(
      [
        "run", "--out", out, "--ticks", "30", "--set", "population.entryPerYear=12",
        "--checkpoint-every", "2", "--checkpoint", checkpoint,
      ] + tinyOptions, timeout: 120)
    #expect(first.exited(with: 65))
    #expect(first.stderr.hasPrefix("talentflow run: the run stopped at tick 10: "))
    // The checkpoint of tick 8 is kept, to be resumed; the run folder is never published.
    #expect(FileManager.default.fileExists(atPath: checkpoint))
    #expect(!FileManager.default.fileExists(atPath: out))
    let resumed = try TalentflowProcess.run(
      ["run", "--resume", checkpoint, "--quiet"], timeout: 120)
    #expect(resumed.exited(with: 65))
    #expect(resumed.stderr == first.stderr)
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test("an entry rate whose draw is out of range stops before drawing")
  func astronomicalEntryRateStops() throws {
    var config = Configuration()
    config.population.size = 20
    config.firms.startups = 5
    config.firms.bigTech = 2
    config.population.entryPerYear = 1e300
    let error = #expect(throws: SimulationError.self) {
      try Runner.records(config: config, threads: 1)
    }?.populationLimit
    #expect(error?.tick == -config.time.warmup)
    #expect(error?.limit == 20_000)
    #expect(error?.surge == false)
  }

  @Test("population.size beyond the limit is refused with its file, key path and value")
  func populationBeyondTheLimitIsRefused() throws {
    let folder = try TestFolder.make("huge-population")
    defer { TestFolder.remove(folder) }
    let file = try TestFolder.write(
      #"{"population": {"size": 50000001}}"#, named: "huge.json", in: folder)
    let error = #expect(throws: ConfigurationError.self) { try Configuration.load(file: file) }
    #expect(error?.source == file)
    #expect(error?.path == "population.size")
    #expect(error?.message == "population.size must be an integer in [1, 50000000], got 50000001")
  }

  /// A configuration file of `count` `set` events over four keys, ten to a tick.
  private static func manySetEvents(_ count: Int, last: String? = nil) -> String {
    let paths = [
      "policy.nonCompete", "policy.antitrust", "market.leadsEmployed", "utility.switchCost",
    ]
    var events = (0..<count).map { k in
      #"{"tick": \#(1 + k / 10), "type": "set", "path": "\#(paths[k % 4])", "#
        + #""value": \#(Double(k % 50) / 100)}"#
    }
    if let last { events[count - 1] = last }
    return tinyScenario(events: events.joined(separator: ",\n"))
  }

  @Test("20,000 set events validate, and a bad last one is found and named")
  func twentyThousandSetEventsValidate() throws {
    let folder = try TestFolder.make("many-events")
    defer { TestFolder.remove(folder) }
    let good = try TestFolder.write(Self.manySetEvents(20_000), named: "good.json", in: folder)
    let config = try Configuration.load(file: good)
    #expect(config.events.count == 20_000)
    #expect(
      config.events.last
        == ScenarioEvent(
          tick: 2_000, action: .set(path: "utility.switchCost", value: .number(0.49))))
    let bad = try TestFolder.write(
      Self.manySetEvents(
        20_000,
        last: #"{"tick": 3, "type": "set", "path": "bigtech.rsuMax", "value": 10}"#),
      named: "bad.json", in: folder)
    let error = #expect(throws: ConfigurationError.self) { try Configuration.load(file: bad) }
    #expect(error?.path == "events[19999].value")
    #expect(
      error?.message
        == "events[19999].value: bigtech.rsuMin must not exceed bigtech.rsuMax (10), got 30")
  }

  @Test("set events are checked in the order the run applies them, by tick, not list order")
  func setEventsAreCheckedInRunOrder() throws {
    // At tick 3 rsuMax rises to 300, at tick 5 it falls to 50, below rsuPerYear (60): broken
    // from tick 5 on, though applying the list in its written order ends at 300.
    var config = Configuration()
    config.events = [
      ScenarioEvent(tick: 5, action: .set(path: "bigtech.rsuMax", value: .number(50))),
      ScenarioEvent(tick: 3, action: .set(path: "bigtech.rsuMax", value: .number(300))),
    ]
    let error = #expect(throws: ConfigurationError.self) { try config.validate(source: "test") }
    #expect(error?.path == "events[0].value")
    #expect(error?.message.hasPrefix("events[0].value: bigtech.rsuPerYear must lie in") == true)
    // Here the run never breaks a rule (rsuMax is 100 at tick 3, then 300 when rsuPerYear
    // becomes 200 at tick 5), though the list applied in its written order ends at 100 < 200.
    config.events = [
      ScenarioEvent(tick: 5, action: .set(path: "bigtech.rsuMax", value: .number(300))),
      ScenarioEvent(tick: 3, action: .set(path: "bigtech.rsuMax", value: .number(100))),
      ScenarioEvent(tick: 5, action: .set(path: "bigtech.rsuPerYear", value: .number(200))),
    ]
    try config.validate(source: "test")
  }
}
