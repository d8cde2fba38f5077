import Foundation
import Testing

@testable import TalentFlow

@Suite("Key ranges: every number bounded, and the model document says so")
struct KeyRangeTests {
  @Test("every row of the model document's key tables is the row `config --keys` prints")
  func modelDocumentRowsMatch() throws {
    let document = try String(
      contentsOf: TalentflowProcess.packageRoot.appendingPathComponent(
        "Sources/TalentFlow/TalentFlow.docc/Model.md"), encoding: .utf8)
    let lines = Set(document.components(separatedBy: "\n"))
    let rows = ConfigurationKeys.tableRows(Configuration())
    #expect(rows.count == ConfigurationKeys.all.count)
    let missing = rows.filter { !lines.contains($0) }
    #expect(missing.isEmpty, "Model.md lacks or differs from: \(missing.joined(separator: "\n"))")
  }

  @Test("every numeric key refuses values past either end of its range, and huge ones")
  func everyNumberIsBounded() {
    for key in ConfigurationKeys.all {
      guard case .number(let value) = key.value(in: Configuration()) else { continue }
      for bad in [1e300, -1e300, Double.greatestFiniteMagnitude] {
        var config = Configuration()
        #expect(throws: ConfigurationProblem.self, "\(key.path) accepted \(bad)") {
          try key.set(.number(bad), in: &config)
        }
      }
      // The default itself is inside the range.
      var config = Configuration()
      #expect(throws: Never.self, "\(key.path) refused its default \(value)") {
        try key.set(.number(value), in: &config)
      }
    }
  }
}

@Suite("The finite guard: a run that leaves the finite range stops with exit 65")
struct FiniteGuardTests {
  /// A small configuration whose funding shocks multiply F past the largest Double.
  static func stackedShocks() -> Configuration {
    var config = Configuration()
    config.population.size = 300
    config.firms.startups = 10
    config.time.warmup = 2
    config.time.ticks = 5
    config.events = (0..<160).map { _ in
      ScenarioEvent(tick: 2, action: .fundingShock(multiplier: 100, ticks: 3))
    }
    return config
  }

  @Test("stacked funding shocks: the step throws, naming the tick, F and its keys")
  func stackedShocksThrow() throws {
    var simulation = Simulation(config: Self.stackedShocks())
    try simulation.warmUp()
    _ = try simulation.step()
    do {
      _ = try simulation.step()
      Issue.record("tick 2 should have stopped the run")
    } catch {
      #expect(error.tick == 2)
      #expect(error.quantity == "funding climate F")
      #expect(error.value == .infinity)
      #expect(error.keys.contains("macro.volatility"))
    }
  }

  @Test("a unit-root climate raised to a large exponent: a big-tech target too large to hold")
  func targetTooLarge() throws {
    var config = Configuration()
    config.population.size = 300
    config.firms.startups = 10
    config.time.warmup = 0
    config.time.ticks = 3000
    config.macro.persistence = 1
    config.macro.volatility = 1
    config.bigtech.climateSensitivity = 10
    #expect(throws: SimulationError.self) {
      _ = try Runner.records(config: config, threads: 2)
    }
  }

  @Test("through the CLI: exit 65, the message on stderr, nothing published, no partial folder")
  func cliRefuses() throws {
    let folder = try TestFolder.make("finite-guard")
    defer { TestFolder.remove(folder) }
    let file = folder.appendingPathComponent("shocks.json")
    try Data(Self.stackedShocks().resolvedJSON().serialized().utf8).write(to: file)
    let outcome = try TalentflowProcess.run(
      ["run", file.path, "--out", folder.appendingPathComponent("run").path, "--quiet"])
    #expect(outcome.exited(with: 65))
    #expect(outcome.stderr.contains("tick 2, after the funding climate"))
    #expect(outcome.stderr.contains("nothing was published"))
    #expect(TestFolder.contents(folder) == ["shocks.json"])
  }

  @Test("compare stops the same way, and writes nothing")
  func compareRefuses() throws {
    let folder = try TestFolder.make("finite-guard-compare")
    defer { TestFolder.remove(folder) }
    let base = folder.appendingPathComponent("base.json")
    var config = Self.stackedShocks()
    config.events = []
    try Data(config.resolvedJSON().serialized().utf8).write(to: base)
    let policy = folder.appendingPathComponent("policy.json")
    try Data(Self.stackedShocks().resolvedJSON().serialized().utf8).write(to: policy)
    let outcome = try TalentflowProcess.run(
      [
        "compare", base.path, policy.path, "--replicates", "2", "--out",
        folder.appendingPathComponent("cmp").path, "--quiet",
      ])
    #expect(outcome.exited(with: 65))
    #expect(outcome.stderr.contains("funding climate F"))
    #expect(outcome.stderr.contains("policy run, seed 1: tick 2"))
    #expect(TestFolder.contents(folder) == ["base.json", "policy.json"])
  }

  @Test("a NaN or infinity written to a CSV is recorded with its place, not silently blank")
  func csvBufferNotesNonFinite() throws {
    let folder = try TestFolder.make("csv-nonfinite")
    defer { TestFolder.remove(folder) }
    var buffer = try CSVBuffer(url: folder.appendingPathComponent("x.csv"))
    buffer.header(["a", "b", "c"])
    buffer.field(1.0)
    buffer.field(2.0)
    buffer.field(3.0)
    buffer.endRow()
    #expect(buffer.firstNonFinite == nil)
    buffer.field(1.0)
    buffer.field(Float.nan)
    buffer.field(Double.infinity)
    buffer.endRow()
    let place = try #require(buffer.firstNonFinite)
    #expect(place.row == 1 && place.column == 1 && place.value.isNaN)
    _ = try buffer.close()
  }
}

@Suite("Checkpoint files that cannot be written")
struct UnwritableCheckpointTests {
  @Test("a checkpoint folder that does not exist: exit 73 before the warm-up, nothing written")
  func missingFolderIsRefusedFirst() throws {
    let folder = try TestFolder.make("checkpoint-unwritable")
    defer { TestFolder.remove(folder) }
    let checkpoint = folder.appendingPathComponent("no/such/folder/run.checkpoint").path
    // A warm-up long enough that spending it first would show as a slow test, not a pass.
    let outcome = try TalentflowProcess.run(
      [
        "run", "--set", "population.size=300", "--set", "firms.startups=10", "--set",
        "time.warmup=2000", "--ticks", "4", "--checkpoint-every", "2", "--checkpoint", checkpoint,
        "--out", folder.appendingPathComponent("run").path, "--quiet",
      ], in: folder)
    #expect(outcome.exited(with: 73))
    #expect(outcome.stderr.contains("cannot write a checkpoint in"))
    #expect(TestFolder.contents(folder).isEmpty)
  }

  @Test("the default checkpoint, beside a run folder in an output/ that does not exist yet")
  func defaultCheckpointInANewOutputFolder() throws {
    let folder = try TestFolder.make("checkpoint-default")
    defer { TestFolder.remove(folder) }
    let outcome = try TalentflowProcess.run(
      [
        "run", "--set", "population.size=300", "--set", "firms.startups=10", "--set",
        "time.warmup=1", "--ticks", "3", "--checkpoint-every", "1", "--quiet",
      ], in: folder)
    #expect(outcome.exited(with: 0), "\(outcome.stderr)")
    #expect(TestFolder.contents(folder.appendingPathComponent("output")) == ["baseline-seed1"])
  }

  @Test("the library refuses it before any simulation, with isWriteFailure set")
  func libraryRefuses() throws {
    let folder = try TestFolder.make("checkpoint-unwritable-lib")
    defer { TestFolder.remove(folder) }
    var config = Configuration()
    config.population.size = 200
    config.firms.startups = 5
    config.time.ticks = 2
    do {
      _ = try Runner.run(
        config: config, destination: folder.appendingPathComponent("run"), force: false,
        threads: 1,
        checkpoints: CheckpointSchedule(
          every: 1, file: folder.appendingPathComponent("missing/run.checkpoint")))
      Issue.record("the run should not have started")
    } catch let error as CheckpointError {
      #expect(error.isWriteFailure)
    }
    #expect(TestFolder.contents(folder).isEmpty)
  }
}
