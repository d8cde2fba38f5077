import Foundation

/// Why a sweep, a shard or a merge stopped, in words a person can act on.
public struct SweepError: TalentFlowError, Sendable {
  /// What kind of failure this is, which decides the exit code.
  public enum Kind: Sendable {
    /// A folder or file could not be created or is in the way.
    case cannotCreate
    /// An input (a sweep folder, a shard, a result file) is not what it should be.
    case badInput
    /// Anything else. (A run the model stops is not an error of the sweep: it is recorded as a
    /// `SweepFailure` and the sweep goes on.)
    case failure
  }

  public var kind: Kind
  public var message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }

  public var exitCode: ExitCode {
    switch kind {
    case .cannotCreate: return .cannotCreate
    case .badInput: return .dataError
    case .failure: return .failure
    }
  }
}

extension SweepError {
  /// A file-system failure, as a sweep reports it: an input it cannot read is bad input, anything
  /// else an output it cannot create.
  init(_ error: FileSystemError) {
    self.init(error.exitCode == .dataError ? .badInput : .cannotCreate, error.description)
  }
}

/// `FileSystem`'s operations failing as a sweep does, and what only sweeps and merges need.
enum SweepFiles {
  /// The names in a folder, sorted; empty if it cannot be read.
  static func names(in folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
  }

  /// Creates a folder and its parents.
  static func makeFolder(_ url: URL) throws(SweepError) {
    do { try FileSystem.makeFolder(url) } catch { throw SweepError(error) }
  }

  /// `rename(2)`, atomic within one file system.
  static func rename(_ source: URL, to target: URL) throws(SweepError) {
    do { try FileSystem.rename(source, to: target) } catch { throw SweepError(error) }
  }

  /// Reads a whole file.
  static func read(_ url: URL) throws(SweepError) -> [UInt8] {
    do { return try FileSystem.read(url) } catch { throw SweepError(error) }
  }

  /// Writes `bytes` to a hidden temporary file beside `url` and renames it into place.
  static func writeAtomically(_ bytes: [UInt8], to url: URL) throws(SweepError) {
    do { try FileSystem.writeAtomically(bytes, to: url) } catch { throw SweepError(error) }
  }

  /// Reads and parses a JSON file.
  static func readJSON(_ url: URL) throws(SweepError) -> JSONValue {
    let bytes = try read(url)
    do {
      return try JSONParser.parse(bytes: bytes)
    } catch {
      throw SweepError(.badInput, "\(url.path): malformed JSON at \(error)")
    }
  }

  /// The SHA-256, data rows (lines after the header) and size of a file.
  static func summary(of url: URL, name: String) throws(SweepError) -> OutputFile {
    let bytes = try read(url)
    var lines = 0
    for byte in bytes where byte == 0x0A { lines += 1 }
    return OutputFile(
      name: name, rows: max(0, lines - 1), bytes: bytes.count, sha256: SHA256.hexDigest(bytes))
  }

  /// Whether a name is one of the hidden leftovers of an interrupted atomic write or run folder.
  static func isLeftover(_ name: String) -> Bool {
    name.hasPrefix(".")
      && (name.contains(".tmp-") || name.contains(".partial-") || name.contains(".old-"))
  }
}

/// A CSV file written under a temporary name and renamed into place when complete.
struct AtomicCSV {
  let url: URL
  let temporary: URL
  var buffer: CSVBuffer

  init(_ url: URL) throws(SweepError) {
    self.url = url
    temporary = FileSystem.temporary(for: url)
    do {
      buffer = try CSVBuffer(url: temporary)
    } catch {
      throw SweepError(.cannotCreate, error.description)
    }
  }

  /// Closes the file and renames it into place; returns its manifest entry.
  mutating func commit(name: String) throws(SweepError) -> OutputFile {
    let summary: (rows: Int, sha256: String, bytes: Int)
    do {
      summary = try buffer.close()
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw SweepError(.cannotCreate, error.description)
    }
    try SweepFiles.rename(temporary, to: url)
    return OutputFile(name: name, rows: summary.rows, bytes: summary.bytes, sha256: summary.sha256)
  }
}
