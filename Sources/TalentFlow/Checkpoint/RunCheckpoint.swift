import Foundation

/// Everything a run needs to continue: the simulation and where its outputs stand.
///
/// How a resumed run ends byte-identical to an uninterrupted one: the CSV files are written
/// incrementally into the run's hidden working folder (`RunFolder.workingURL`), which a killed
/// run leaves behind. At each checkpoint every CSV buffer is flushed, and the checkpoint records
/// each file's byte length, row count and the SHA-256 of those bytes. On resume each file is
/// truncated to the recorded length (dropping whatever was written after the checkpoint), its
/// bytes are hashed again, which both checks them against the recorded digest and restores the
/// running SHA-256 the manifest needs, and writing continues from the next tick. Because the
/// checkpoint is replaced by a rename only after the files were flushed, the files on disk are
/// never shorter than a checkpoint says; should they be (a crash of the machine, a hand edit),
/// the digest check refuses to resume instead of producing a wrong manifest.
public struct RunCheckpoint {
  public var simulation: Simulation
  /// Where the finished run folder goes.
  public var destination: URL
  /// The hidden working folder holding the partial output files.
  public var workingFolder: URL
  /// Whether an existing destination may be replaced.
  public var force: Bool
  /// Ticks between checkpoints.
  public var every: Int
  public var startedAt: Date
  /// Wall time spent so far, over every session.
  public var wallSeconds: Double
  /// Totals of every timeseries column over the recorded ticks so far.
  public var totals: [Double]
  /// Every output file, in manifest order.
  public var files: [OutputFilePosition]

  public init(
    simulation: Simulation, destination: URL, workingFolder: URL, force: Bool, every: Int,
    startedAt: Date, wallSeconds: Double, totals: [Double], files: [OutputFilePosition]
  ) {
    self.simulation = simulation
    self.destination = destination
    self.workingFolder = workingFolder
    self.force = force
    self.every = every
    self.startedAt = startedAt
    self.wallSeconds = wallSeconds
    self.totals = totals
    self.files = files
  }

  /// The bytes of the checkpoint file.
  public func encoded() -> [UInt8] {
    CheckpointFile.wrap(payload: payload(), tick: simulation.tick)
  }

  /// The payload: the run, then the simulation.
  func payload() -> [UInt8] {
    var writer = BinaryWriter(
      reservingCapacity: simulation.professionals.slotCount * 64 + simulation.firms.count * 200)
    writer.string("run")
    writer.string(destination.path)
    writer.string(workingFolder.path)
    writer.bool(force)
    writer.int(every)
    writer.double(startedAt.timeIntervalSince1970)
    writer.double(wallSeconds)
    writer.int(totals.count)
    for total in totals { writer.double(total) }
    writer.int(files.count)
    for file in files {
      writer.string(file.name)
      writer.int(file.bytes)
      writer.int(file.rows)
      writer.raw(file.sha256)
    }
    simulation.encode(to: &writer)
    return writer.bytes
  }

  /// Decodes a checkpoint file's bytes; `source` names the file in errors.
  public init(bytes: [UInt8], source: String, threads: Int) throws(CheckpointError) {
    var reader = try CheckpointFile.open(bytes, source: source)
    try reader.expect("run")
    destination = URL(fileURLWithPath: try reader.string("the destination"))
    workingFolder = URL(fileURLWithPath: try reader.string("the working folder"))
    force = try reader.bool("the force flag")
    every = try reader.int("the checkpoint interval")
    guard every >= 1 else {
      throw reader.failure("is corrupted: a checkpoint interval of \(every)")
    }
    startedAt = Date(timeIntervalSince1970: try reader.double("the start time"))
    wallSeconds = try reader.double("the wall time")
    let totalCount = try reader.count("the number of totals", bytesEach: 8)
    guard totalCount == Timeseries.columns.count else {
      throw reader.failure(
        "has an unexpected layout: \(totalCount) timeseries totals, "
          + "expected \(Timeseries.columns.count)"
      )
    }
    totals = []
    for _ in 0..<totalCount { totals.append(try reader.double("a timeseries total")) }
    let fileCount = try reader.count("the number of output files", bytesEach: 56)
    files = []
    for _ in 0..<fileCount {
      let name = try reader.string("an output file name")
      let size = try reader.int("the length of \(name)")
      let rows = try reader.int("the rows of \(name)")
      let digest = try reader.raw(SHA256.byteCount, "the SHA-256 of \(name)")
      guard size >= 0, rows >= 0, !name.contains("/"), !name.hasPrefix(".") else {
        throw reader.failure("is corrupted: output file \(name) has an impossible position")
      }
      files.append(OutputFilePosition(name: name, bytes: size, rows: rows, sha256: digest))
    }
    simulation = try Simulation(decoding: &reader, threads: threads)
    guard reader.remaining == 0 else {
      throw reader.failure("has an unexpected layout: \(reader.remaining) bytes after the state")
    }
    let expected = RunOutput.names(for: simulation.initialConfig)
    guard files.map(\.name) == expected else {
      throw reader.failure(
        "is corrupted: it lists output files \(files.map(\.name)), "
          + "the configuration makes \(expected)"
      )
    }
  }

  /// Reads and checks the checkpoint at `url`.
  public static func read(from url: URL, threads: Int) throws(CheckpointError) -> RunCheckpoint {
    try RunCheckpoint(
      bytes: try CheckpointFile.contents(of: url), source: url.path, threads: threads)
  }

  /// Replaces the checkpoint at `url` with this one, atomically.
  public func write(to url: URL) throws(CheckpointError) {
    try CheckpointFile.replace(url, with: encoded())
  }
}
