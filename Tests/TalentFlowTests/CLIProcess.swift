import Foundation
import Testing

/// Runs the built `talentflow` binary, as the end-to-end tests of replay and checkpoints do.
///
/// The binary is `<package root>/.build/debug/talentflow`, found from this file's path; `swift
/// build` (or `swift test`, which builds every product) puts it there.
enum CLIProcess {
  /// The package root.
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The debug binary.
  static let binary = root.appendingPathComponent(".build/debug/talentflow")

  /// What a finished run of the binary printed and returned.
  struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
    /// True if a signal ended it.
    var signalled: Bool
  }

  /// Starts the binary with `arguments` in `directory`; stdout and stderr go to files there.
  static func start(_ arguments: [String], in directory: URL) throws -> (Process, URL, URL) {
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
      throw CLIProcessError(message: "\(binary.path) is missing: run `swift build` first")
    }
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let id = UUID().uuidString
    let out = directory.appendingPathComponent(".stdout-\(id)")
    let err = directory.appendingPathComponent(".stderr-\(id)")
    for url in [out, err] {
      guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
        throw CLIProcessError(message: "cannot create \(url.path)")
      }
    }
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    return (process, out, err)
  }

  /// Collects the outcome of a started process once it has ended.
  static func finish(_ process: Process, _ out: URL, _ err: URL) -> Outcome {
    process.waitUntilExit()
    let stdout = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(at: out)
    try? FileManager.default.removeItem(at: err)
    return Outcome(
      status: process.terminationStatus, stdout: stdout, stderr: stderr,
      signalled: process.terminationReason == .uncaughtSignal)
  }

  /// Runs the binary to its end.
  static func run(_ arguments: [String], in directory: URL) throws -> Outcome {
    let (process, out, err) = try start(arguments, in: directory)
    return finish(process, out, err)
  }

  /// A fresh temporary folder.
  static func temporaryFolder(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// The CSV files of a run folder, by name, with their bytes.
  static func csvFiles(in folder: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
    where name.hasSuffix(".csv") {
      files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
    }
    return files
  }
}

/// The binary could not be started.
struct CLIProcessError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
