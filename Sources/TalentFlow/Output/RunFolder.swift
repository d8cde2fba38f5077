import Foundation

/// A failure to prepare, write or put in place a run's output.
public enum RunFolderError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The destination exists and `--force` was not given.
  case alreadyExists(path: String)
  /// A folder could not be created.
  case cannotCreate(path: String, reason: String)
  /// A file could not be written.
  case cannotWrite(path: String, reason: String)
  /// A rename failed.
  case cannotRename(from: String, to: String, reason: String)
  /// The working folder is missing at commit time (already committed or discarded?).
  case workingFolderMissing(path: String)

  public var description: String {
    switch self {
    case .alreadyExists(let path):
      return "\(path) already exists; use --force to overwrite it"
    case .cannotCreate(let path, let reason):
      return "cannot create \(path): \(reason)"
    case .cannotWrite(let path, let reason):
      return "cannot write \(path): \(reason)"
    case .cannotRename(let from, let to, let reason):
      return "cannot rename \(from) to \(to): \(reason)"
    case .workingFolderMissing(let path):
      return "the working folder \(path) is missing; was the run already committed or discarded?"
    }
  }
}

/// An output folder written in a hidden temporary folder and renamed into place when complete.
///
/// A run writes every file under `workingURL`, a folder beside the destination named
/// `.<name>.partial-<pid>-<random>`, and calls `commit()` once all files are complete. Until
/// then nothing exists at the destination path, so an interrupted run never leaves a folder
/// that looks finished (only a hidden `.partial` folder, which may be deleted). An existing
/// destination is refused unless `force` is set; with `force` it is replaced at commit by
/// renames only, so at no moment does a half-written folder sit at the destination path.
public struct RunFolder: Sendable {
  /// Where the finished folder goes.
  public let destination: URL
  /// Whether an existing destination may be replaced.
  public let force: Bool
  /// The temporary folder the run writes into.
  public let workingURL: URL

  /// Prepares a working folder for `destination`, creating its parent folders.
  ///
  /// Throws `.alreadyExists` if the destination exists and `force` is false.
  public init(destination: URL, force: Bool) throws(RunFolderError) {
    let destination = destination.standardizedFileURL
    self.destination = destination
    self.force = force
    let fileManager = FileManager.default
    if !force && RunFolder.exists(destination) {
      throw .alreadyExists(path: destination.path)
    }
    let parent = destination.deletingLastPathComponent()
    do {
      try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
    } catch {
      throw .cannotCreate(path: parent.path, reason: RunFolder.reason(error))
    }
    let name = ".\(destination.lastPathComponent).partial-\(RunFolder.uniqueSuffix())"
    workingURL = parent.appendingPathComponent(name, isDirectory: true)
    do {
      try fileManager.createDirectory(at: workingURL, withIntermediateDirectories: false)
    } catch {
      throw .cannotCreate(path: workingURL.path, reason: RunFolder.reason(error))
    }
  }

  /// The URL of a file inside the working folder.
  public func url(for fileName: String) -> URL {
    workingURL.appendingPathComponent(fileName, isDirectory: false)
  }

  /// Renames the working folder to the destination.
  ///
  /// With `force` and an existing destination, the old folder is first renamed aside (to a
  /// hidden `.old-` name), the new one renamed in, and the old one deleted; if the second
  /// rename fails the old folder is put back.
  public func commit() throws(RunFolderError) {
    guard RunFolder.exists(workingURL) else {
      throw .workingFolderMissing(path: workingURL.path)
    }
    guard RunFolder.exists(destination) else {
      try RunFolder.renameItem(workingURL, to: destination)
      return
    }
    guard force else {
      throw .alreadyExists(path: destination.path)
    }
    let parent = destination.deletingLastPathComponent()
    let asideName = ".\(destination.lastPathComponent).old-\(RunFolder.uniqueSuffix())"
    let aside = parent.appendingPathComponent(asideName, isDirectory: true)
    try RunFolder.renameItem(destination, to: aside)
    do {
      try RunFolder.renameItem(workingURL, to: destination)
    } catch {
      try? RunFolder.renameItem(aside, to: destination)
      throw error
    }
    try? FileManager.default.removeItem(at: aside)
  }

  /// Deletes the working folder and everything in it (for error paths). Never throws.
  public func discard() {
    try? FileManager.default.removeItem(at: workingURL)
  }

  /// Writes `data` to a temporary file beside `url`, then renames it over `url`, so readers see
  /// either the old file or the complete new one.
  public static func writeAtomically(_ data: [UInt8], to url: URL) throws(RunFolderError) {
    try writeAtomically(Data(data), to: url)
  }

  /// Writes `data` to a temporary file beside `url`, then renames it over `url`, so readers see
  /// either the old file or the complete new one.
  public static func writeAtomically(_ data: Data, to url: URL) throws(RunFolderError) {
    let url = url.standardizedFileURL
    let temporaryName = ".\(url.lastPathComponent).tmp-\(uniqueSuffix())"
    let temporary = url.deletingLastPathComponent().appendingPathComponent(temporaryName)
    do {
      try data.write(to: temporary)
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw .cannotWrite(path: url.path, reason: reason(error))
    }
    do {
      try renameItem(temporary, to: url)
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
  }

  // MARK: Internals

  /// Whether anything (file, folder or symbolic link) exists at `url`.
  private static func exists(_ url: URL) -> Bool {
    var status = stat()
    return lstat(url.path, &status) == 0
  }

  /// `rename(2)`: atomic within one file system; replaces an existing file (not a non-empty
  /// folder).
  private static func renameItem(_ source: URL, to target: URL) throws(RunFolderError) {
    guard rename(source.path, target.path) == 0 else {
      throw .cannotRename(
        from: source.path, to: target.path, reason: String(cString: strerror(errno)))
    }
  }

  /// The process id and random hex digits, unique enough for temporary names.
  private static func uniqueSuffix() -> String {
    let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    return "\(ProcessInfo.processInfo.processIdentifier)-\(random)"
  }

  private static func reason(_ error: any Error) -> String {
    (error as NSError).localizedDescription
  }
}

extension RunFolder {
  /// Takes up the working folder of an interrupted run, to finish it (see `RunCheckpoint`).
  ///
  /// Throws `.workingFolderMissing` if the working folder is gone, and `.alreadyExists` if the
  /// destination exists and `force` is false.
  public init(resuming workingURL: URL, destination: URL, force: Bool) throws(RunFolderError) {
    self.destination = destination.standardizedFileURL
    self.force = force
    self.workingURL = workingURL.standardizedFileURL
    guard RunFolder.exists(self.workingURL) else {
      throw .workingFolderMissing(path: self.workingURL.path)
    }
    if !force && RunFolder.exists(self.destination) {
      throw .alreadyExists(path: self.destination.path)
    }
  }
}
