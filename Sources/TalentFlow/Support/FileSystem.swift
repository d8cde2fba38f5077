import Foundation

/// The file operations every writer of outputs, checkpoints and sweeps shares: reading, checking,
/// creating folders, and replacing a file atomically (a temporary name beside it, then a rename).
public enum FileSystem {
  /// Whether anything (file, folder or symbolic link) exists at `url`, without following a final
  /// symbolic link.
  public static func exists(_ url: URL) -> Bool {
    var status = stat()
    return lstat(url.path, &status) == 0
  }

  /// Whether `url` is a folder (following symbolic links).
  public static func isFolder(_ url: URL) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
      && isDirectory.boolValue
  }

  /// Reads a whole file.
  public static func read(_ url: URL) throws(FileSystemError) -> [UInt8] {
    do {
      return [UInt8](try Data(contentsOf: url))
    } catch {
      throw .cannotRead(path: url.path, reason: reason(error))
    }
  }

  /// Creates a folder; with `parents`, its missing parents too and no error if it exists.
  public static func makeFolder(_ url: URL, parents: Bool = true) throws(FileSystemError) {
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: parents)
    } catch {
      throw .cannotCreate(path: url.path, reason: reason(error))
    }
  }

  /// `rename(2)`: atomic within one file system; replaces an existing file (not a non-empty
  /// folder).
  public static func rename(_ source: URL, to target: URL) throws(FileSystemError) {
    guard Foundation.rename(source.path, target.path) == 0 else {
      throw .cannotRename(
        from: source.path, to: target.path, reason: String(cString: strerror(errno)))
    }
  }

  /// Writes `bytes` to a temporary file beside `url`, then renames it over `url`, so readers see
  /// either the old file or the complete new one.
  public static func writeAtomically(_ bytes: [UInt8], to url: URL) throws(FileSystemError) {
    try writeAtomically(Data(bytes), to: url)
  }

  /// Writes `data` to a temporary file beside `url`, then renames it over `url`, so readers see
  /// either the old file or the complete new one.
  public static func writeAtomically(_ data: Data, to url: URL) throws(FileSystemError) {
    let url = url.standardizedFileURL
    let temporary = temporary(for: url)
    do {
      try data.write(to: temporary)
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw .cannotWrite(path: url.path, reason: reason(error))
    }
    do {
      try rename(temporary, to: url)
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
  }

  /// A hidden temporary name beside `url` (`.<name>.tmp-<pid>-<random>`), for a file that is
  /// renamed over `url` once complete.
  public static func temporary(for url: URL) -> URL {
    url.deletingLastPathComponent()
      .appendingPathComponent(".\(url.lastPathComponent).tmp-\(uniqueSuffix())")
  }

  /// The process id and random hex digits, unique enough for temporary names.
  public static func uniqueSuffix() -> String {
    let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    return "\(ProcessInfo.processInfo.processIdentifier)-\(random)"
  }

  /// The system's description of an error, without Foundation's wrapping.
  public static func reason(_ error: any Error) -> String {
    (error as NSError).localizedDescription
  }
}

extension FileSystem {
  /// The components of a relative path from the folder `base` to `target` ("..", "..",
  /// "configs", "baseline.json"), symbolic links resolved; joined with "/" it is a path a file
  /// in `base` can name `target` by (a scenario's `extends`, a report's links).
  static func relativeComponents(from base: URL, to target: URL) -> [String] {
    let from = base.standardizedFileURL.resolvingSymlinksInPath().pathComponents
    let to = target.standardizedFileURL.resolvingSymlinksInPath().pathComponents
    var common = 0
    while common < from.count && common < to.count && from[common] == to[common] { common += 1 }
    return [String](repeating: "..", count: from.count - common) + to[common...]
  }
}
