import Foundation

/// Runs a configuration and writes its outputs (MODEL 6) into a run folder, atomically.
public enum Runner {
  /// Runs warm-up and every recorded tick in memory and returns the records of ticks 0…T.
  ///
  /// For comparisons and sweeps that need the timeseries but no files.
  public static func records(config: Configuration, threads: Int) throws(SimulationError)
    -> [TickRecord]
  {
    try records(config: config, threads: threads) { _, _ in }
  }

  /// `records(config:threads:)`, calling `observe` with each record (tick 0 first) and the
  /// simulation as it stands when the record is taken.
  static func records(
    config: Configuration, threads: Int, observe: (TickRecord, Simulation) -> Void
  ) throws(SimulationError) -> [TickRecord] {
    var simulation = Simulation(config: config, threads: threads)
    try simulation.warmUp()
    var records = [simulation.tickZeroRecord()]
    records.reserveCapacity(config.time.ticks + 1)
    observe(records[0], simulation)
    for _ in 0..<config.time.ticks {
      let record = try simulation.step()
      records.append(record)
      observe(record, simulation)
    }
    return records
  }

  /// Runs warm-up and every recorded tick, writing into `destination`.
  ///
  /// The files go to a temporary folder beside the destination, which is renamed into place only
  /// when every file and the manifest are complete. With `checkpoints`, the whole state is saved
  /// every `checkpoints.every` recorded ticks (see `RunCheckpoint`); the checkpoint file is
  /// deleted when the run completes, and once one has been written a failed run keeps its
  /// working folder so that it can be resumed. With a `profile`, where the time went is added
  /// to it (for `talentflow bench`); the outputs are the same either way.
  public static func run(
    config: Configuration, destination: URL, force: Bool, threads: Int,
    checkpoints: CheckpointSchedule? = nil,
    progress: ((_ tick: Int, _ ticks: Int, _ agentTicks: Int) -> Void)? = nil,
    profile: RunProfile? = nil
  ) throws -> RunResult {
    let started = Date()
    var lap = ProfileLap(profile)
    let folder = try RunFolder(destination: destination, force: force)
    // A checkpoint that cannot be saved is found now, not after the warm-up has been spent
    // (after the run folder, which creates the default checkpoint's folder).
    if let checkpoints {
      do {
        try CheckpointFile.checkWritable(checkpoints.file)
      } catch {
        folder.discard()
        throw error
      }
    }
    lap.output()
    var session = RunSession(
      folder: folder, config: config, checkpoints: checkpoints, startedAt: started,
      sessionStart: started, wallBefore: 0,
      totals: [Double](repeating: 0, count: Timeseries.columns.count))
    session.lap = lap
    do {
      var simulation = Simulation(config: config, threads: threads)
      session.lap.initialisation()
      let warmup = config.time.warmup
      for w in 0..<warmup {
        session.agentTicks += simulation.professionals.presentCount
        try session.lap.warmUpStep(&simulation)
        progress?(w - warmup, config.time.ticks, session.agentTicks)
      }
      try simulation.warmUp()
      session.lap.ticks()
      let writer = try OutputWriter(folder: folder, config: config)
      try writer.write(simulation.tickZeroRecord(), of: simulation)
      session.lap.output()
      // A checkpoint at tick 0 saves the warm-up.
      try session.checkpoint(simulation, writer: writer)
      return try session.finish(&simulation, writer: writer, progress: progress)
    } catch {
      if !session.checkpointed { folder.discard() }
      throw error
    }
  }

  /// Continues the run saved in a checkpoint to its end, exactly as if it had never stopped.
  ///
  /// The run's working folder must still hold its partial files (a killed run leaves them);
  /// each is cut back to its length at the checkpoint and checked against its recorded
  /// SHA-256 first. Checkpoints go on being written to `url` every `every` ticks (the
  /// checkpoint's own interval if nil), and `url` is deleted when the run completes.
  public static func resume(
    checkpoint url: URL, threads: Int, every: Int? = nil,
    progress: ((_ tick: Int, _ ticks: Int, _ agentTicks: Int) -> Void)? = nil
  ) throws -> RunResult {
    try resume(
      RunCheckpoint.read(from: url, threads: threads), file: url, every: every, progress: progress)
  }

  /// Continues a checkpoint already read from `url` (see `resume(checkpoint:threads:every:)`).
  public static func resume(
    _ checkpoint: RunCheckpoint, file url: URL, every: Int? = nil,
    progress: ((_ tick: Int, _ ticks: Int, _ agentTicks: Int) -> Void)? = nil
  ) throws -> RunResult {
    let sessionStart = Date()
    var simulation = checkpoint.simulation
    let config = simulation.initialConfig
    guard FileManager.default.fileExists(atPath: checkpoint.workingFolder.path) else {
      let finished =
        FileManager.default.fileExists(atPath: checkpoint.destination.path)
        ? "; \(checkpoint.destination.path) exists, so the run probably finished and this "
          + "checkpoint is stale" : ""
      throw CheckpointError(
        file: url.path,
        message: "cannot be resumed: the run's working folder \(checkpoint.workingFolder.path) "
          + "is gone\(finished)")
    }
    let folder = try RunFolder(
      resuming: checkpoint.workingFolder, destination: checkpoint.destination,
      force: checkpoint.force)
    let writer: OutputWriter
    do {
      writer = try OutputWriter(folder: folder, config: config, resuming: checkpoint.files)
    } catch let error as CSVBufferError {
      throw CheckpointError(
        file: url.path,
        message: "cannot be resumed: the partial output \(error.path) does not match it: "
          + "\(error.reason)")
    }
    var session = RunSession(
      folder: folder, config: config,
      checkpoints: CheckpointSchedule(every: every ?? checkpoint.every, file: url),
      startedAt: checkpoint.startedAt, sessionStart: sessionStart,
      wallBefore: checkpoint.wallSeconds, totals: checkpoint.totals)
    session.checkpointed = true
    return try session.finish(&simulation, writer: writer, progress: progress)
  }
}
