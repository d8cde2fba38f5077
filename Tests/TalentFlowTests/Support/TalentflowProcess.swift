import Foundation

/// The built `talentflow` binary, run as a subprocess the way a researcher runs it.
///
/// Started through `RunningProcess` (posix_spawn, output to files). Reusable by any end-to-end
/// test:
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
  ///   - memoryLimit: the virtual memory it may use, in KiB; default no limit.
  static func run(
    _ arguments: [String], stdin: String? = nil, in directory: URL? = nil,
    environment: [String: String] = [:], memoryLimit: Int? = nil, timeout: TimeInterval = 300
  ) throws -> ProcessOutcome {
    try launch(
      arguments, stdin: stdin, in: directory, environment: environment, memoryLimit: memoryLimit
    ).wait(timeout: timeout)
  }

  /// Starts `talentflow` without waiting, for tests that interrupt a run.
  static func launch(
    _ arguments: [String], stdin: String? = nil, in directory: URL? = nil,
    environment: [String: String] = [:], memoryLimit: Int? = nil
  ) throws -> RunningProcess {
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
      throw ProcessSetupError(
        description: "no talentflow binary at \(binary.path); run `swift build` first")
    }
    return try RunningProcess(
      executable: binary, arguments: arguments, stdin: stdin, directory: directory,
      environment: environment, memoryLimit: memoryLimit)
  }

  /// Runs any other program, such as `/usr/bin/sha256sum`, the same way.
  static func runTool(
    _ executable: String, _ arguments: [String], in directory: URL? = nil,
    environment: [String: String] = [:], memoryLimit: Int? = nil, timeout: TimeInterval = 120
  ) throws -> ProcessOutcome {
    try RunningProcess(
      executable: URL(fileURLWithPath: executable), arguments: arguments, directory: directory,
      environment: environment, memoryLimit: memoryLimit
    ).wait(timeout: timeout)
  }
}
