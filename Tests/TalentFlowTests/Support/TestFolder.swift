import Foundation
import Synchronization

/// Temporary folders and files for tests: the one place a test gets somewhere to write.
///
///     let folder = try TestFolder.make("replay")
///     defer { TestFolder.remove(folder) }
///     let spec = try TestFolder.write(#"{"ticks": 12}"#, named: "spec.json", in: folder)
enum TestFolder {
  /// A fresh, empty temporary folder, `talentflow-<label>-<UUID>`; delete it with `remove`.
  static func make(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("talentflow-\(label)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// A fresh, empty temporary folder shared by the tests of a suite (such as a reference run
  /// computed once), removed when the test process exits.
  static func makeShared(_ label: String) throws -> URL {
    let url = try make(label)
    _ = registerRemovalAtExit
    sharedFolders.withLock { $0.append(url) }
    return url
  }

  /// A path `name` (no file there yet) inside a fresh temporary folder, for a test that needs
  /// a single file; delete the folder with `remove`.
  static func makeFile(_ name: String, label: String) throws -> (folder: URL, file: URL) {
    let folder = try make(label)
    return (folder, folder.appendingPathComponent(name))
  }

  /// Writes `text` to a file `name` (which may name subfolders, created as needed) in `folder`
  /// and returns the file's path.
  @discardableResult
  static func write(_ text: String, named name: String, in folder: URL) throws -> String {
    let url = folder.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    return url.path
  }

  /// Deletes a folder and everything in it.
  static func remove(_ url: URL) {
    try? FileManager.default.removeItem(at: url)
  }

  /// The names in a folder, sorted, hidden ones included; empty if it does not exist.
  static func contents(_ url: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
  }
}

/// The folders of `TestFolder.makeShared`, removed at exit.
private let sharedFolders = Mutex<[URL]>([])

/// Registers, once, the removal of the shared folders when the test process exits.
private let registerRemovalAtExit: Void = {
  atexit {
    for url in sharedFolders.withLock({ $0 }) { TestFolder.remove(url) }
  }
}()
