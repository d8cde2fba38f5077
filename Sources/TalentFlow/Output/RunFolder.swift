import Foundation

/// A failure to prepare, write or put in place a run's output.
public enum RunFolderError: TalentFlowError, Sendable, Equatable {
  /// The destination exists and `--force` was not given.
  case alreadyExists(path: String)
  /// The destination is something `--force` never replaces: `what` says what it is.
  case notReplaceable(path: String, what: String)
  /// A file would be replaced that its writer never replaces: `rule` says what it does replace.
  case wouldReplace(path: String, what: String, rule: String)
  /// A folder could not be created, a file written or a rename done.
  case fileSystem(FileSystemError)
  /// The working folder is missing at commit time (already committed or discarded?).
  case workingFolderMissing(path: String)

  public var exitCode: ExitCode { .cannotCreate }

  public var description: String {
    switch self {
    case .alreadyExists(let path):
      return "\(path) already exists; use --force to overwrite it"
    case .wouldReplace(let path, let what, let rule):
      return "cannot write \(path): it is \(what); \(rule). Choose another path."
    case .notReplaceable(let path, let what):
      return
        "cannot use \(path): it is \(what); --force replaces only an empty folder or a folder "
        + "TalentFlow wrote (holding its manifest.json). Choose another output folder."
    case .fileSystem(let error):
      return error.description
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
///
/// `force` replaces only what `whyNotReplaceable(_:)` allows: an empty folder or a folder
/// TalentFlow wrote. Every command that writes through a `RunFolder` gets that rule, checked
/// when the folder is prepared and again just before the commit.
public struct RunFolder: Sendable {
  /// Where the finished folder goes.
  public let destination: URL
  /// Whether an existing destination may be replaced.
  public let force: Bool
  /// The temporary folder the run writes into.
  public let workingURL: URL

  /// Prepares a working folder for `destination`, creating its parent folders.
  ///
  /// Throws as `checkDestination` does, before creating anything.
  public init(destination: URL, force: Bool) throws(RunFolderError) {
    let destination = destination.standardizedFileURL
    self.destination = destination
    self.force = force
    try RunFolder.checkDestination(destination, force: force)
    let parent = destination.deletingLastPathComponent()
    let name = ".\(destination.lastPathComponent).partial-\(FileSystem.uniqueSuffix())"
    workingURL = parent.appendingPathComponent(name, isDirectory: true)
    do {
      try FileSystem.makeFolder(parent)
      try FileSystem.makeFolder(workingURL, parents: false)
    } catch {
      throw .fileSystem(error)
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
  /// rename fails the old folder is put back. What is at the destination is checked again
  /// first, since it may have changed while the run was writing.
  public func commit() throws(RunFolderError) {
    guard FileSystem.exists(workingURL) else {
      throw .workingFolderMissing(path: workingURL.path)
    }
    guard FileSystem.exists(destination) else {
      try RunFolder.rename(workingURL, to: destination)
      return
    }
    try RunFolder.checkDestination(destination, force: force)
    let parent = destination.deletingLastPathComponent()
    let asideName = ".\(destination.lastPathComponent).old-\(FileSystem.uniqueSuffix())"
    let aside = parent.appendingPathComponent(asideName, isDirectory: true)
    try RunFolder.rename(destination, to: aside)
    do {
      try RunFolder.rename(workingURL, to: destination)
    } catch {
      try? FileSystem.rename(aside, to: destination)
      throw error
    }
    try? FileManager.default.removeItem(at: aside)
  }

  /// Deletes the working folder and everything in it (for error paths). Never throws.
  public func discard() {
    try? FileManager.default.removeItem(at: workingURL)
  }

  /// `FileSystem.rename`, failing as a run folder does.
  private static func rename(_ source: URL, to target: URL) throws(RunFolderError) {
    do {
      try FileSystem.rename(source, to: target)
    } catch {
      throw .fileSystem(error)
    }
  }
}

extension RunFolder {
  /// Takes up the working folder of an interrupted run, to finish it (see `RunCheckpoint`).
  ///
  /// Throws `.workingFolderMissing` if the working folder is gone, and as `checkDestination`
  /// does for the destination.
  public init(resuming workingURL: URL, destination: URL, force: Bool) throws(RunFolderError) {
    self.destination = destination.standardizedFileURL
    self.force = force
    self.workingURL = workingURL.standardizedFileURL
    guard FileSystem.exists(self.workingURL) else {
      throw .workingFolderMissing(path: self.workingURL.path)
    }
    try RunFolder.checkDestination(self.destination, force: force)
  }
}

// MARK: What --force may replace

extension RunFolder {
  /// Refuses a destination that exists: with `.notReplaceable` when `--force` would never
  /// replace it, else with `.alreadyExists` unless `force` is set.
  ///
  /// Commands call it before their runs too, so that a bad `--out` fails at once rather than
  /// after hours of work.
  public static func checkDestination(_ destination: URL, force: Bool) throws(RunFolderError) {
    let destination = destination.standardizedFileURL
    guard FileSystem.exists(destination) else { return }
    if let what = whyNotReplaceable(destination) {
      throw .notReplaceable(path: destination.path, what: what)
    }
    if !force { throw .alreadyExists(path: destination.path) }
  }

  /// What `url` is when `--force` must not replace it, or nil when it may: nothing is there,
  /// or an empty folder, or a folder TalentFlow wrote.
  ///
  /// A folder TalentFlow wrote holds a `manifest.json` whose `tool` is `"talentflow"` (a run,
  /// a replay, a comparison or a sweep) or a dataset's `datapackage.json` with its
  /// `talentflow` section. Never replaced: a symbolic link, a file, the current directory or a
  /// folder that contains it, the root folder and the home folder. Folders are compared by
  /// device and inode, so no spelling of a path (`.`, `..`, a symbolic link on the way, an
  /// absolute path) gets around the rule.
  public static func whyNotReplaceable(_ url: URL) -> String? {
    let path = url.standardizedFileURL.path
    var status = stat()
    guard lstat(path, &status) == 0 else {
      if errno == ENOENT || errno == ENOTDIR { return nil }
      return "a path that cannot be examined (\(String(cString: strerror(errno))))"
    }
    switch status.st_mode & S_IFMT {
    case S_IFDIR: break
    case S_IFLNK: return "a symbolic link, not a run folder"
    case S_IFREG: return "a file, not a run folder"
    default: return "a special file (a device, pipe or socket), not a run folder"
    }
    let folder = FileIdentity(status)
    let ancestors = FileIdentity.currentDirectoryAndAncestors()
    if ancestors.first == folder { return "the current directory" }
    if FileIdentity(path: "/") == folder { return "the root folder" }
    let homes = [NSHomeDirectory(), ProcessInfo.processInfo.environment["HOME"] ?? ""]
    if homes.contains(where: { !$0.isEmpty && FileIdentity(path: $0) == folder }) {
      return "the home folder"
    }
    if ancestors.contains(folder) { return "a folder that contains the current directory" }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: path)
    } catch {
      return "a folder that cannot be listed (\(FileSystem.reason(error)))"
    }
    if names.isEmpty { return nil }
    let folderURL = URL(fileURLWithPath: path, isDirectory: true)
    if names.contains("manifest.json"),
      let json = readSmallJSON(folderURL.appendingPathComponent("manifest.json")),
      json["tool"]?.stringValue == "talentflow"
    {
      return nil
    }
    if names.contains("datapackage.json"),
      let json = readSmallJSON(folderURL.appendingPathComponent("datapackage.json")),
      json["talentflow"]?.objectValue != nil
    {
      return nil
    }
    return "a folder TalentFlow did not write (not empty, and no TalentFlow manifest.json in it)"
  }

  /// A regular file of at most 256 MiB parsed as JSON; nil for anything else.
  private static func readSmallJSON(_ url: URL) -> JSONValue? {
    var status = stat()
    guard lstat(url.path, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
      status.st_size <= 256 << 20,
      let data = try? Data(contentsOf: url)
    else { return nil }
    return try? JSONParser.parse(bytes: [UInt8](data))
  }
}

/// A file's identity on this machine: its device and inode numbers.
private struct FileIdentity: Equatable {
  var device: UInt64
  var inode: UInt64

  init(_ status: stat) {
    device = UInt64(status.st_dev)
    inode = UInt64(status.st_ino)
  }

  /// The identity of what `path` names, following symbolic links; nil if it cannot be read.
  init?(path: String) {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    self.init(status)
  }

  /// The current directory, its parent, and so on up to the root, by walking `..` (so a
  /// current directory reached through symbolic links, or renamed, is still found).
  static func currentDirectoryAndAncestors() -> [FileIdentity] {
    var found: [FileIdentity] = []
    var path = "."
    while found.count < 4096, let identity = FileIdentity(path: path) {
      if found.last == identity { break }  // `/..` is `/`
      found.append(identity)
      path += "/.."
    }
    return found
  }
}
