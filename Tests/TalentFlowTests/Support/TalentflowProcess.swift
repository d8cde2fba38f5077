import Foundation

/// What a finished subprocess left behind: its exit status and everything it printed.
struct ProcessOutcome: Sendable {
  /// The exit status, or the signal number when `signalled` is true.
  var status: Int32
  /// Whether the process ended by a signal (a crash, or our own SIGKILL) instead of exiting.
  var signalled: Bool
  /// Whether the process outlived its timeout and was killed for it.
  var timedOut: Bool
  var stdout: String
  var stderr: String

  /// The stdout lines, without the empty string after a final newline.
  var stdoutLines: [String] { lines(stdout) }
  /// The stderr lines, without the empty string after a final newline.
  var stderrLines: [String] { lines(stderr) }

  /// Whether the process exited normally with this status (not by a signal, not timed out).
  func exited(with code: Int32) -> Bool { !signalled && !timedOut && status == code }

  private func lines(_ text: String) -> [String] {
    var parts = text.components(separatedBy: "\n")
    if parts.last == "" { parts.removeLast() }
    return parts
  }
}

/// A failure to start a subprocess or to capture its output.
struct ProcessSetupError: Error, CustomStringConvertible {
  var description: String
}

/// The built `talentflow` binary, run as a subprocess the way a researcher runs it.
///
/// Output goes through temporary files, not pipes, so a chatty process can never block on a
/// full pipe while the test waits for it. Reusable by any end-to-end test:
///
///     let outcome = try TalentflowProcess.run(["decide"])
///     #expect(outcome.exited(with: 0))
enum TalentflowProcess {
  /// The package root, three folders above this file (`Tests/TalentFlowTests/Support/`).
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Support
    .deletingLastPathComponent()  // TalentFlowTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

  /// The `talentflow` binary the tests run.
  ///
  /// `TALENTFLOW_BINARY` if set; else the one beside the running test bundle (so `swift test -c
  /// release` tests the release binary); else `<package root>/.build/debug/talentflow`.
  static let binary: URL = {
    let fileManager = FileManager.default
    if let path = ProcessInfo.processInfo.environment["TALENTFLOW_BINARY"], !path.isEmpty {
      return URL(fileURLWithPath: path)
    }
    let running = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var folder = running.deletingLastPathComponent()
    // The xctest bundle may be a folder (`…xctest/Contents/MacOS/…`); climb out of it.
    while folder.pathComponents.contains(where: { $0.hasSuffix(".xctest") }) {
      folder.deleteLastPathComponent()
    }
    let beside = folder.appendingPathComponent("talentflow")
    if fileManager.isExecutableFile(atPath: beside.path) { return beside }
    return packageRoot.appendingPathComponent(".build/debug/talentflow")
  }()

  /// Runs `talentflow` with `arguments` and waits for it (at most `timeout` seconds).
  ///
  /// - Parameters:
  ///   - stdin: text fed to its standard input; without it, stdin is `/dev/null`.
  ///   - directory: its working directory (default: the test process's).
  ///   - environment: extra environment variables, over the test process's own.
  static func run(
    _ arguments: [String], stdin: String? = nil, in directory: URL? = nil,
    environment: [String: String] = [:], timeout: TimeInterval = 300
  ) throws -> ProcessOutcome {
    try launch(arguments, stdin: stdin, in: directory, environment: environment)
      .wait(timeout: timeout)
  }

  /// Starts `talentflow` without waiting, for tests that interrupt a run.
  static func launch(
    _ arguments: [String], stdin: String? = nil, in directory: URL? = nil,
    environment: [String: String] = [:]
  ) throws -> RunningProcess {
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
      throw ProcessSetupError(
        description: "no talentflow binary at \(binary.path); run `swift build` first")
    }
    return try RunningProcess(
      executable: binary, arguments: arguments, stdin: stdin, directory: directory,
      environment: environment)
  }

  /// Runs any other program, such as `/usr/bin/sha256sum`, the same way.
  static func runTool(
    _ executable: String, _ arguments: [String], in directory: URL? = nil,
    timeout: TimeInterval = 120
  ) throws -> ProcessOutcome {
    try RunningProcess(
      executable: URL(fileURLWithPath: executable), arguments: arguments, stdin: nil,
      directory: directory, environment: [:]
    ).wait(timeout: timeout)
  }
}

/// A started subprocess whose stdout and stderr go to temporary files.
final class RunningProcess: @unchecked Sendable {
  private let process = Process()
  private let capture: URL
  private let finished = DispatchSemaphore(value: 0)

  /// The process id, to send it a signal.
  var processIdentifier: Int32 { process.processIdentifier }

  init(
    executable: URL, arguments: [String], stdin: String?, directory: URL?,
    environment: [String: String]
  ) throws {
    let fileManager = FileManager.default
    capture = try TestFolder.make("process")
    let out = capture.appendingPathComponent("stdout")
    let err = capture.appendingPathComponent("stderr")
    let input = capture.appendingPathComponent("stdin")
    try Data().write(to: out)
    try Data().write(to: err)
    try Data((stdin ?? "").utf8).write(to: input)

    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    process.standardInput =
      stdin == nil ? FileHandle.nullDevice : try FileHandle(forReadingFrom: input)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    let finished = self.finished
    process.terminationHandler = { _ in finished.signal() }
    do {
      try process.run()
    } catch {
      try? fileManager.removeItem(at: capture)
      throw ProcessSetupError(description: "cannot start \(executable.path): \(error)")
    }
  }

  /// Whether the process is still running.
  var isRunning: Bool { process.isRunning }

  /// Sends a signal, such as `SIGKILL`, to the process.
  func send(_ signal: Int32) {
    kill(process.processIdentifier, signal)
  }

  /// Waits for the process to end, killing it after `timeout` seconds; returns what it left.
  func wait(timeout: TimeInterval = 300) throws -> ProcessOutcome {
    var timedOut = false
    if finished.wait(timeout: .now() + timeout) == .timedOut {
      timedOut = true
      send(SIGKILL)
      finished.wait()
    }
    defer { try? FileManager.default.removeItem(at: capture) }
    func text(_ name: String) throws -> String {
      String(decoding: try Data(contentsOf: capture.appendingPathComponent(name)), as: UTF8.self)
    }
    return ProcessOutcome(
      status: process.terminationStatus,
      signalled: process.terminationReason == .uncaughtSignal, timedOut: timedOut,
      stdout: try text("stdout"), stderr: try text("stderr"))
  }
}
