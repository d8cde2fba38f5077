import Foundation

/// The recorded ticks of one run, whether started afresh or resumed.
struct RunSession {
  let folder: RunFolder
  let config: Configuration
  let checkpoints: CheckpointSchedule?
  let startedAt: Date
  let sessionStart: Date
  /// Wall time of earlier sessions of a resumed run.
  let wallBefore: Double
  var totals: [Double]
  var agentTicks = 0
  /// Whether a checkpoint refers to the working folder, which must then be kept on failure.
  var checkpointed = false
  /// Where the time goes, when profiling.
  var lap = ProfileLap(nil)

  init(
    folder: RunFolder, config: Configuration, checkpoints: CheckpointSchedule?, startedAt: Date,
    sessionStart: Date, wallBefore: Double, totals: [Double]
  ) {
    self.folder = folder
    self.config = config
    self.checkpoints = checkpoints
    self.startedAt = startedAt
    self.sessionStart = sessionStart
    self.wallBefore = wallBefore
    self.totals = totals
  }

  /// Runs the remaining recorded ticks, writing rows and checkpoints, then closes the files,
  /// writes the manifest and puts the folder in place.
  mutating func finish(
    _ simulation: inout Simulation, writer: OutputWriter,
    progress: ((_ tick: Int, _ ticks: Int, _ agentTicks: Int) -> Void)?
  ) throws -> RunResult {
    let ticks = config.time.ticks
    var last = simulation.tickZeroRecord()
    while simulation.tick < ticks {
      agentTicks += simulation.professionals.presentCount
      last = try lap.step(&simulation)
      for k in totals.indices { totals[k] += last.row[k] }
      lap.ticks()
      try writer.write(last, of: simulation)
      lap.output()
      try checkpoint(simulation, writer: writer)
      progress?(simulation.tick, ticks, agentTicks)
    }
    // The ticks are done: the last copy of what firms published is not needed while the
    // outputs are finished, the run's largest moment in memory.
    simulation.publishedRowsCache = nil
    let files = try writer.close()
    let wall = wallSeconds
    let manifest = Manifest(
      config: config, files: files, wallSeconds: wall, threads: simulation.threads,
      startedAt: startedAt)
    try FileSystem.writeAtomically(
      Array((manifest.json.serialized(pretty: true) + "\n").utf8),
      to: folder.url(for: "manifest.json"))
    try folder.commit()
    if let checkpoints { try? FileManager.default.removeItem(at: checkpoints.file) }
    lap.output()
    lap.finish(agentTicks: agentTicks)
    return RunResult(
      folder: folder.destination, files: files, last: last, totals: totals, wallSeconds: wall)
  }

  /// Saves a checkpoint if one is due after this tick: on ticks divisible by the interval,
  /// tick 0 included, but not after the last tick, when the run is about to complete.
  mutating func checkpoint(_ simulation: Simulation, writer: OutputWriter) throws {
    guard let checkpoints, simulation.tick % checkpoints.every == 0,
      simulation.tick < config.time.ticks
    else { return }
    let checkpoint = RunCheckpoint(
      simulation: simulation, destination: folder.destination, workingFolder: folder.workingURL,
      force: folder.force, every: checkpoints.every, startedAt: startedAt,
      wallSeconds: wallSeconds, totals: totals, files: try writer.checkpointPositions())
    try checkpoint.write(to: checkpoints.file)
    checkpointed = true
  }

  /// Wall time over every session so far.
  var wallSeconds: Double { wallBefore + Date().timeIntervalSince(sessionStart) }
}
