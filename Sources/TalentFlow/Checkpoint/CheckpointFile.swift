import Foundation

// Checkpoints: the whole state of a run in one versioned binary file.
//
// File layout (every integer little-endian):
//
//   magic            8 bytes   0x89 "TFCKPT" 0x0A (the high byte keeps text tools away)
//   format version   UInt32    `CheckpointFile.formatVersion`
//   model version    string    `TalentFlowVersion.model` of the writer (UInt64 length + UTF-8)
//   tool version     string    `TalentFlowVersion.tool` of the writer
//   tick             Int64     the last completed tick (readable without the payload)
//   payload length   UInt64
//   checksum         32 bytes  SHA-256 of everything above it, then of the payload
//   payload          the run (`RunCheckpoint`), then the simulation (`Simulation.encode`)
//
// A file whose magic number, format version, model version, length or checksum does not check
// out is refused before anything in the payload is used. Fields inside the payload are named,
// so a reader that expects another layout says which field it met instead of misreading it.
// Big arrays are stored as raw little-endian element bytes, not through Codable or JSON; the
// configurations (small) are stored as the JSON text of `Configuration.resolvedJSON()`.

/// The envelope of a checkpoint: magic number, versions, length and checksum of the payload.
public enum CheckpointFile {
  /// The first eight bytes of every checkpoint.
  public static let magic: [UInt8] = [0x89, 0x54, 0x46, 0x43, 0x4B, 0x50, 0x54, 0x0A]
  /// The layout version this talentflow writes and reads.
  public static let formatVersion: UInt32 = 1

  /// What is at `url` when it may not be replaced by a checkpoint (saving one replaces the file,
  /// and a finished run deletes it), or nil when it may: nothing, or a file that starts with
  /// the checkpoint magic number.
  public static func whyNotReplaceable(_ url: URL) -> String? {
    let path = url.standardizedFileURL.path
    var status = stat()
    guard lstat(path, &status) == 0 else { return nil }
    switch status.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: return "a folder"
    case S_IFLNK: return "a symbolic link"
    default: return "a special file (a device, pipe or socket)"
    }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      return "a file that cannot be read"
    }
    defer { try? handle.close() }
    let head = (try? handle.read(upToCount: magic.count)).map { [UInt8]($0) } ?? []
    return head == magic ? nil : "a file that is not a TalentFlow checkpoint"
  }

  /// The whole file for a payload.
  static func wrap(
    payload: [UInt8], tick: Int, modelVersion: String = TalentFlowVersion.model
  ) -> [UInt8] {
    var writer = BinaryWriter(reservingCapacity: payload.count + 128)
    writer.raw(magic)
    writer.integer(formatVersion)
    writer.string(modelVersion)
    writer.string(TalentFlowVersion.tool)
    writer.int(tick)
    writer.integer(UInt64(payload.count))
    writer.raw(checksum(header: writer.bytes[...], payload: payload))
    writer.raw(payload)
    return writer.bytes
  }

  /// SHA-256 of the header (up to the checksum) and the payload.
  private static func checksum(header: ArraySlice<UInt8>, payload: ArraySlice<UInt8>) -> [UInt8] {
    var hasher = SHA256()
    header.withUnsafeBytes { hasher.update($0) }
    payload.withUnsafeBytes { hasher.update($0) }
    return hasher.finalize()
  }

  private static func checksum(header: ArraySlice<UInt8>, payload: [UInt8]) -> [UInt8] {
    checksum(header: header, payload: payload[...])
  }

  /// Reads the header; the reader is left at the start of the payload length.
  private static func header(_ reader: inout BinaryReader) throws(CheckpointError)
    -> CheckpointHeader
  {
    guard reader.remaining >= magic.count,
      try reader.raw(magic.count, "the magic number") == magic
    else {
      throw reader.failure(
        "is not a TalentFlow checkpoint (it does not start with the checkpoint magic number)")
    }
    let version = try reader.integer(UInt32.self, "the format version")
    guard version == formatVersion else {
      throw reader.failure(
        "is a checkpoint in format version \(version); this talentflow reads version "
          + "\(formatVersion) only"
      )
    }
    let model = try reader.string("the model version")
    let tool = try reader.string("the tool version")
    let tick = try reader.int("the tick")
    return CheckpointHeader(
      formatVersion: version, modelVersion: model, toolVersion: tool, tick: tick)
  }

  /// Reads only the header of the checkpoint at `url`.
  public static func readHeader(at url: URL) throws(CheckpointError) -> CheckpointHeader {
    let start: [UInt8]
    do {
      let handle = try FileHandle(forReadingFrom: url)
      defer { try? handle.close() }
      start = [UInt8](try handle.read(upToCount: 4096) ?? Data())
    } catch {
      throw CheckpointError(
        file: url.path, message: "cannot read the checkpoint (\(error.localizedDescription))")
    }
    var reader = BinaryReader(start, source: url.path)
    guard !start.isEmpty else { throw reader.failure("is empty, not a checkpoint") }
    return try header(&reader)
  }

  /// Checks the envelope and returns a reader positioned at the start of the verified payload.
  ///
  /// Refuses, in this order: an empty file, a file without the magic number (foreign), another
  /// format version, a payload shorter or longer than recorded (truncated, or appended to), a
  /// checksum that does not match (corrupted), and another model version (its continuation
  /// would not match an uninterrupted run of this one).
  static func open(_ bytes: [UInt8], source: String) throws(CheckpointError) -> BinaryReader {
    var reader = BinaryReader(bytes, source: source)
    guard !bytes.isEmpty else { throw reader.failure("is empty, not a checkpoint") }
    let header = try header(&reader)
    let length = try reader.integer(UInt64.self, "the payload length")
    let headerEnd = reader.offset
    let digest = try reader.raw(SHA256.byteCount, "the checksum")
    guard UInt64(reader.remaining) == length else {
      let kind = UInt64(reader.remaining) < length ? "truncated" : "corrupted"
      throw reader.failure(
        "is \(kind): its payload should be \(length) bytes, the file holds \(reader.remaining)")
    }
    guard checksum(header: bytes[..<headerEnd], payload: bytes[reader.offset...]) == digest else {
      throw reader.failure("is corrupted: its SHA-256 checksum does not match its contents")
    }
    guard header.modelVersion == TalentFlowVersion.model else {
      throw reader.failure(
        "was written by talentflow \(header.toolVersion) with model version "
          + "\(header.modelVersion); "
          + "this talentflow implements model version \(TalentFlowVersion.model), whose ticks "
          + "differ, so the run cannot be resumed with it")
    }
    return reader
  }

  static func contents(of url: URL) throws(CheckpointError) -> [UInt8] {
    do {
      return try FileSystem.read(url)
    } catch {
      throw CheckpointError(file: url.path, message: "cannot read the checkpoint (\(error.reason))")
    }
  }

  /// Writes `bytes` to a temporary file beside `url` and renames it over `url`, so that `url`
  /// always holds a complete checkpoint: the previous one or the new one.
  static func replace(_ url: URL, with bytes: [UInt8]) throws(CheckpointError) {
    do {
      try FileSystem.writeAtomically(bytes, to: url)
    } catch {
      throw CheckpointError(
        file: url.path, message: "cannot write the checkpoint: \(error)", isWriteFailure: true)
    }
  }

  /// Checks, before a run spends any time, that a checkpoint can be saved at `url`: its folder
  /// exists and takes a new file (written and deleted at once).
  public static func checkWritable(_ url: URL) throws(CheckpointError) {
    let url = url.standardizedFileURL
    if let what = whyNotReplaceable(url) {
      throw CheckpointError(
        file: url.path, message: "cannot hold the checkpoint: it is \(what)", isWriteFailure: true)
    }
    let probe = url.deletingLastPathComponent().appendingPathComponent(
      ".\(url.lastPathComponent).probe-\(ProcessInfo.processInfo.processIdentifier)")
    do {
      try FileSystem.writeAtomically([], to: probe)
    } catch {
      var reason = error.description
      if case .cannotWrite(_, let why) = error { reason = why }
      throw CheckpointError(
        file: url.path,
        message: "cannot write a checkpoint in \(probe.deletingLastPathComponent().path): \(reason)",
        isWriteFailure: true)
    }
    try? FileManager.default.removeItem(at: probe)
  }
}
