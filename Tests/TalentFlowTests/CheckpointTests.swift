import Foundation
import Testing

@testable import TalentFlow

/// A small run with every kind of scenario event, some before and some after tick 10.
private func eventfulConfig(ticks: Int = 30) throws -> Configuration {
  let events = """
    [{"tick": 4, "type": "fundingShock", "multiplier": 0.6, "ticks": 12},
     {"tick": 6, "type": "layoffs", "sector": "bigtech", "fraction": 0.1},
     {"tick": 9, "type": "set", "path": "market.leadsEmployed", "value": 0.5},
     {"tick": 14, "type": "set", "path": "policy.nonCompete", "value": 0.3},
     {"tick": 16, "type": "entrySurge", "count": 200}]
    """
  return try Configuration.load(
    file: nil,
    overrides: [
      "population.size=1500", "firms.startups=60", "time.ticks=\(ticks)", "time.warmup=12",
      "output.agents=10", "output.moves=true", "output.firmsEvery=5", "seed=11",
      "events=\(events)",
    ])
}

/// A simulation after warm-up and `ticks` recorded ticks.
private func simulation(after ticks: Int, threads: Int = 1) throws -> Simulation {
  var sim = Simulation(config: try eventfulConfig(), threads: threads)
  try sim.warmUp()
  for _ in 0..<ticks { try sim.step() }
  return sim
}

/// Encodes a simulation and decodes it again.
private func roundTrip(_ sim: Simulation, threads: Int) throws -> Simulation {
  var writer = BinaryWriter()
  sim.encode(to: &writer)
  var reader = BinaryReader(writer.bytes, source: "memory")
  let copy = try Simulation(decoding: &reader, threads: threads)
  #expect(reader.remaining == 0)
  return copy
}

/// Whether two tick records are the same, bit for bit.
private func same(_ a: TickRecord, _ b: TickRecord) -> Bool {
  a.tick == b.tick && a.row.map(\.bitPattern) == b.row.map(\.bitPattern) && a.flows == b.flows
    && a.moves == b.moves
}

/// The labels of a value's stored properties.
private func storedProperties(of value: Any) -> [String] {
  Mirror(reflecting: value).children.compactMap(\.label)
}

/// A checkpoint of a simulation, with made-up output positions.
private func checkpoint(of sim: Simulation) -> RunCheckpoint {
  RunCheckpoint(
    simulation: sim, destination: URL(fileURLWithPath: "/nowhere/run"),
    workingFolder: URL(fileURLWithPath: "/nowhere/.run.partial-1-2"), force: false, every: 3,
    startedAt: Date(timeIntervalSince1970: 1_700_000_000), wallSeconds: 2.5,
    totals: (0..<Timeseries.columns.count).map(Double.init),
    files: RunOutput.names(for: sim.initialConfig).map {
      OutputFilePosition(name: $0, bytes: 10, rows: 1, sha256: SHA256.hash(Array($0.utf8)))
    })
}

/// The hidden working folders in a folder.
private func workingFolders(in folder: URL) throws -> [String] {
  try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
    $0.contains(".partial-")
  }
}

@Suite("Checkpoints")
struct CheckpointTests {
  // MARK: The state

  @Test func everyStoredPropertyIsInTheCheckpoint() throws {
    let sim = try simulation(after: 0)
    let covered = Simulation.checkpointProperties.map(\.name)
    let missing = storedProperties(of: sim).filter { !covered.contains($0) }
    #expect(
      missing.isEmpty,
      """
      Simulation has stored properties the checkpoint does not cover: \(missing). Encode them \
      in Simulation.encode(to:) and init(decoding:threads:) (Checkpoint/Simulation+Checkpoint.swift) and list \
      them in Simulation.checkpointProperties.
      """
    )
    #expect(covered.filter { !storedProperties(of: sim).contains($0) }.isEmpty)

    let professionalFields =
      Professionals.checkpointArrays.map(\.name) + Professionals.checkpointScalars
    let missingProfessional = storedProperties(of: sim.professionals).filter {
      !professionalFields.contains($0)
    }
    #expect(
      missingProfessional.isEmpty,
      """
      Professionals has fields the checkpoint does not store: \(missingProfessional). Add them \
      to Professionals.checkpointArrays in Checkpoint/Professionals+Checkpoint.swift.
      """
    )
    let firmFields = Firms.checkpointArrays.map(\.name) + Firms.checkpointScalars
    let missingFirm = storedProperties(of: sim.firms).filter { !firmFields.contains($0) }
    #expect(
      missingFirm.isEmpty,
      """
      Firms has fields the checkpoint does not store: \(missingFirm). Add them to \
      Firms.checkpointArrays in Checkpoint/Firms+Checkpoint.swift.
      """
    )
    #expect(storedProperties(of: sim.professionals).count == professionalFields.count)
    #expect(storedProperties(of: sim.firms).count == firmFields.count)
  }

  @Test func restoredStateEqualsTheOriginalInEveryProperty() throws {
    let sim = try simulation(after: 10)
    let copy = try roundTrip(sim, threads: 2)
    #expect(copy.threads == 2)
    let notStored = Simulation.checkpointProperties.filter { $0.how.hasPrefix("not stored") }
      .map(\.name)
    for (a, b) in zip(Mirror(reflecting: sim).children, Mirror(reflecting: copy).children)
    where !notStored.contains(a.label ?? "") {
      #expect(a.label == b.label)
      if a.label == "professionals" || a.label == "firms" {
        for (x, y) in zip(
          Mirror(reflecting: a.value).children, Mirror(reflecting: b.value).children)
        {
          #expect(
            String(reflecting: x.value) == String(reflecting: y.value),
            "\(a.label ?? "").\(x.label ?? "")")
        }
      } else {
        #expect(String(reflecting: a.value) == String(reflecting: b.value), "\(a.label ?? "")")
      }
    }
    // Tick 10 has a funding shock running and a `set` event applied; both carry over.
    #expect(copy.config.market.leadsEmployed == 0.5)
    #expect(copy.config != copy.initialConfig)
    #expect(copy.fundingShocks.count == 1)
    #expect(!copy.moves.isEmpty)
  }

  @Test func roundTripOfAMidRunSimulationContinuesIdentically() throws {
    var sim = try simulation(after: 10)
    var copy = try roundTrip(sim, threads: 3)
    // The record of the checkpoint's own tick, then every later tick, with events still to come.
    #expect(same(sim.tickZeroRecord(), copy.tickZeroRecord()))
    for _ in 10..<30 {
      let a = try sim.step()
      let b = try copy.step()
      #expect(same(a, b), "tick \(a.tick)")
    }
    #expect(copy.config.policy.nonCompete == 0.3)
  }

  // MARK: The file

  @Test func checkpointFileRoundTrip() throws {
    let original = checkpoint(of: try simulation(after: 7))
    let bytes = original.encoded()
    let (folder, file) = try TestFolder.makeFile("x.checkpoint", label: "checkpoint")
    defer { TestFolder.remove(folder) }
    try Data(bytes).write(to: file)
    let header = try CheckpointFile.readHeader(at: file)
    #expect(
      header
        == CheckpointHeader(
          formatVersion: CheckpointFile.formatVersion, modelVersion: TalentFlowVersion.model,
          toolVersion: TalentFlowVersion.tool, tick: 7))
    let read = try RunCheckpoint(bytes: bytes, source: "x.checkpoint", threads: 1)
    #expect(read.destination == original.destination)
    #expect(read.workingFolder == original.workingFolder)
    #expect(read.force == original.force && read.every == 3)
    #expect(read.startedAt == original.startedAt && read.wallSeconds == 2.5)
    #expect(read.totals == original.totals)
    #expect(read.files == original.files)
    #expect(read.simulation.tick == 7)
    #expect(read.encoded() == bytes)
  }

  @Test func damagedOrForeignCheckpointsAreRefused() throws {
    let good = checkpoint(of: try simulation(after: 5))
    let bytes = good.encoded()
    func refusal(_ spoilt: [UInt8]) -> String? {
      do {
        _ = try RunCheckpoint(bytes: spoilt, source: "run.checkpoint", threads: 1)
        return nil
      } catch {
        #expect(error.file == "run.checkpoint")
        return error.message
      }
    }
    var flipped = bytes
    flipped[bytes.count / 2] ^= 0x01
    #expect(refusal(flipped) == "is corrupted: its SHA-256 checksum does not match its contents")
    var header = bytes
    header[22] ^= 0x01  // a byte of the model version: the checksum covers the header too
    #expect(refusal(header) == "is corrupted: its SHA-256 checksum does not match its contents")
    let payload = good.payload().count
    let truncated = Array(bytes.prefix(bytes.count - 1000))
    #expect(
      refusal(truncated)
        == "is truncated: its payload should be \(payload) bytes, the file holds \(payload - 1000)"
    )
    #expect(
      refusal(Array(bytes.prefix(14)))
        == "is truncated: it ends inside the length of the model version")
    #expect(
      refusal(bytes + [0])
        == "is corrupted: its payload should be \(payload) bytes, the file holds \(payload + 1)")
    #expect(refusal([]) == "is empty, not a checkpoint")
    #expect(
      refusal(Array("{\"tick\": 3}".utf8))
        == "is not a TalentFlow checkpoint (it does not start with the checkpoint magic number)")
    var version = bytes
    version[8] = 2
    #expect(
      refusal(version)
        == "is a checkpoint in format version 2; this talentflow reads version 1 only")
    let otherModel = CheckpointFile.wrap(payload: good.payload(), tick: 5, modelVersion: "0.9.0")
    #expect(
      refusal(otherModel)?.contains(
        "with model version 0.9.0; this talentflow implements model version \(TalentFlowVersion.model)"
      ) == true)
    #expect(refusal(bytes) == nil)
  }

  // MARK: Runs

  /// Resumes from the checkpoint in force after tick `savedAt` (every 4 ticks, tick 0 included).
  @Test(arguments: [1, 12, 19])
  func resumedRunEndsWithTheFilesOfAnUninterruptedOne(savedAt: Int) throws {
    let folder = try TestFolder.make("checkpoint-resume")
    defer { TestFolder.remove(folder) }
    let config = try eventfulConfig()
    let reference = try Runner.run(
      config: config, destination: folder.appendingPathComponent("ref"), force: false, threads: 1)

    // A run with checkpoints every 4 ticks; after tick `savedAt`, save what a kill would leave.
    let destination = folder.appendingPathComponent("run")
    let file = folder.appendingPathComponent("run.checkpoint")
    let savedFile = folder.appendingPathComponent("saved.checkpoint")
    let savedFolder = folder.appendingPathComponent("saved-partial")
    _ = try Runner.run(
      config: config, destination: destination, force: false, threads: 2,
      checkpoints: CheckpointSchedule(every: 4, file: file),
      progress: { tick, _, _ in
        guard tick == savedAt, let working = try? workingFolders(in: folder).first else { return }
        try? FileManager.default.copyItem(at: file, to: savedFile)
        try? FileManager.default.copyItem(
          at: folder.appendingPathComponent(working), to: savedFolder)
      })
    #expect(!FileManager.default.fileExists(atPath: file.path), "deleted when the run completed")
    #expect(try workingFolders(in: folder).isEmpty)
    #expect(
      try TestFolder.csvFiles(in: destination) == (try TestFolder.csvFiles(in: reference.folder)))

    // Put back the state of a run killed then, with rows written after the checkpoint.
    try FileManager.default.removeItem(at: destination)
    let saved = try RunCheckpoint.read(from: savedFile, threads: 1)
    #expect(saved.simulation.tick == savedAt / 4 * 4)
    try FileManager.default.moveItem(at: savedFolder, to: saved.workingFolder)
    let timeseries = saved.workingFolder.appendingPathComponent("timeseries.csv")
    let handle = try FileHandle(forWritingTo: timeseries)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("13,2,half a row wri".utf8))
    try handle.close()

    let resumed = try Runner.resume(checkpoint: savedFile, threads: 3)
    #expect(
      try TestFolder.csvFiles(in: destination) == (try TestFolder.csvFiles(in: reference.folder)))
    #expect(resumed.files == reference.files)
    #expect(resumed.totals == reference.totals)
    #expect(same(resumed.last, reference.last))
    #expect(!FileManager.default.fileExists(atPath: savedFile.path))
    #expect(try workingFolders(in: folder).isEmpty)
  }

  @Test func resumeRefusesPartialFilesThatDoNotMatchTheCheckpoint() throws {
    let folder = try TestFolder.make("checkpoint-damaged")
    defer { TestFolder.remove(folder) }
    let config = try eventfulConfig(ticks: 12)
    let file = folder.appendingPathComponent("run.checkpoint")
    let savedFile = folder.appendingPathComponent("saved.checkpoint")
    let savedFolder = folder.appendingPathComponent("saved-partial")
    _ = try Runner.run(
      config: config, destination: folder.appendingPathComponent("run"), force: false,
      threads: 1, checkpoints: CheckpointSchedule(every: 5, file: file),
      progress: { tick, _, _ in
        guard tick == 5, let working = try? workingFolders(in: folder).first else { return }
        try? FileManager.default.copyItem(at: file, to: savedFile)
        try? FileManager.default.copyItem(
          at: folder.appendingPathComponent(working), to: savedFolder)
      })
    try FileManager.default.removeItem(at: folder.appendingPathComponent("run"))
    let saved = try RunCheckpoint.read(from: savedFile, threads: 1)

    // The working folder is gone: nothing to resume.
    #expect {
      try Runner.resume(checkpoint: savedFile, threads: 1)
    } throws: { error in
      (error as? CheckpointError)?.message.contains("the run's working folder") == true
    }

    // A byte changed inside what the checkpoint recorded of flows.csv.
    try FileManager.default.moveItem(at: savedFolder, to: saved.workingFolder)
    let flows = saved.workingFolder.appendingPathComponent("flows.csv")
    var data = try Data(contentsOf: flows)
    data[data.count / 2] =
      data[data.count / 2] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
    try data.write(to: flows)
    #expect {
      try Runner.resume(checkpoint: savedFile, threads: 1)
    } throws: { error in
      guard let error = error as? CheckpointError else { return false }
      return error.file == savedFile.path && error.message.contains(flows.path)
        && error.message.contains("differ from those the checkpoint recorded")
    }
    #expect(try Data(contentsOf: flows) == data, "a refused resume changes nothing")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("run").path))
  }

  @Test func killedRunResumesToIdenticalFiles() throws {
    let folder = try TestFolder.make("checkpoint-kill")
    defer { TestFolder.remove(folder) }
    let ticks = 32
    let options = [
      "--set", "population.size=2000", "--set", "firms.startups=80", "--ticks", "\(ticks)",
      "--set", "time.warmup=12", "--set", "output.agents=10", "--set", "output.moves=true",
      "--set", "output.firmsEvery=5", "--seed", "5", "--quiet",
    ]
    let reference = try TalentflowProcess.run(["run"] + options + ["--out", "ref"], in: folder)
    #expect(reference.exited(with: 0), "\(reference.stderr)")

    // The tick to kill at: a seeded choice among the first half of the run.
    var draws = RandomStream(key: PhiloxKey(seed: 20_250_601), purpose: 0, entity: 0, tick: 0)
    let killAt = 2 + draws.index(below: ticks / 2 - 2)
    let checkpoint = folder.appendingPathComponent("run.checkpoint")
    let process = try TalentflowProcess.launch(
      ["run"] + options + ["--out", "run", "--checkpoint-every", "1", "--threads", "2"],
      in: folder)
    while process.isRunning {
      if let header = try? CheckpointFile.readHeader(at: checkpoint), header.tick >= killAt {
        process.send(SIGKILL)
        break
      }
      usleep(500)
    }
    let killed = try process.wait()
    try #require(
      killed.signalled && killed.status == SIGKILL,
      """
      the run ended (status \(killed.status)) before its checkpoint reached tick \(killAt); \
      make the run longer
      """)
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("run").path))
    let header = try CheckpointFile.readHeader(at: checkpoint)
    #expect(header.tick >= killAt && header.tick < ticks)

    let resumed = try TalentflowProcess.run(
      ["run", "--resume", "run.checkpoint", "--threads", "1", "--quiet"], in: folder)
    #expect(resumed.exited(with: 0), "killed after tick \(header.tick): \(resumed.stderr)")
    let files = try TestFolder.csvFiles(in: folder.appendingPathComponent("run"))
    #expect(
      files.keys.sorted() == [
        "agents.csv", "firms.csv", "flows.csv", "moves.csv", "timeseries.csv",
      ])
    #expect(
      files == (try TestFolder.csvFiles(in: folder.appendingPathComponent("ref"))),
      "killed after tick \(header.tick)")
    let a = try RunManifest(path: folder.appendingPathComponent("run").path)
    let b = try RunManifest(path: folder.appendingPathComponent("ref").path)
    #expect(a.files == b.files && a.configurationSHA256 == b.configurationSHA256)
    #expect(!FileManager.default.fileExists(atPath: checkpoint.path))
    #expect(try workingFolders(in: folder).isEmpty)
  }

  @Test func commandLineRefusals() throws {
    let folder = try TestFolder.make("checkpoint-cli")
    defer { TestFolder.remove(folder) }
    let file = folder.appendingPathComponent("bad.checkpoint")

    var bytes = checkpoint(of: try simulation(after: 2)).encoded()
    bytes[bytes.count - 5] ^= 0xFF
    try Data(bytes).write(to: file)
    let corrupted = try TalentflowProcess.run(["run", "--resume", "bad.checkpoint"], in: folder)
    #expect(corrupted.exited(with: 65))
    #expect(
      corrupted.stderr
        == "talentflow run: \(file.path): is corrupted: its SHA-256 checksum does not match its "
        + "contents\n"
    )

    try Data(bytes.prefix(100)).write(to: file)
    let truncated = try TalentflowProcess.run(["run", "--resume", "bad.checkpoint"], in: folder)
    #expect(truncated.exited(with: 65))
    #expect(truncated.stderr.hasPrefix("talentflow run: \(file.path): is truncated"))

    try Data("timeseries.csv\n".utf8).write(to: file)
    let foreign = try TalentflowProcess.run(["run", "--resume", "bad.checkpoint"], in: folder)
    #expect(foreign.exited(with: 65))
    #expect(foreign.stderr.contains("is not a TalentFlow checkpoint"))

    let mixed = try TalentflowProcess.run(
      ["run", "--resume", "bad.checkpoint", "--set", "population.size=10"], in: folder)
    #expect(mixed.exited(with: 64))
    #expect(mixed.stderr.contains("--set cannot be given with it"))

    // An existing checkpoint is not overwritten by a new run without --force.
    let existing = try TalentflowProcess.run(
      [
        "run", "--ticks", "2", "--out", "r", "--checkpoint-every", "1", "--checkpoint",
        "bad.checkpoint",
      ],
      in: folder)
    #expect(existing.exited(with: 73))
    #expect(existing.stderr.contains("talentflow run --resume \(file.path)"))
    let lonely = try TalentflowProcess.run(["run", "--checkpoint", "x.checkpoint"], in: folder)
    #expect(lonely.exited(with: 64))
  }
}
