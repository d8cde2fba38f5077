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

/// A started subprocess: the one way the tests start a program (see `TalentflowProcess` for the
/// `talentflow` binary).
///
/// It starts with `posix_spawn`, not Foundation's `Process`: on Linux, `Process.run()` of Swift
/// 6.3's Foundation now and then reads past a buffer while it lists `/proc/self/fd` and crashes
/// the calling process (swift-corelibs-foundation#5472; about one start in 30,000, which the
/// fuzz suite meets). The program runs through `/bin/sh`, which changes to the working folder,
/// optionally limits the virtual memory, then replaces itself with the program, so the process
/// id is the program's. Its stdout and stderr go to files in a private temporary folder, not
/// pipes, so a chatty program can never block on a full pipe while the test waits for it.
final class RunningProcess: @unchecked Sendable {
  /// The shell script that starts a program: `$1` the folder, `$2` the memory limit in KiB (or
  /// empty for none), then the program and its arguments.
  private static let script =
    "cd \"$1\" || exit 126; [ -z \"$2\" ] || ulimit -v \"$2\" 2>/dev/null; shift 2; exec \"$@\""

  /// The process id, to send it a signal.
  let processIdentifier: pid_t
  private let capture: URL
  private let lock = NSLock()
  /// The wait status once the process has been reaped; after that its id may be reused, so it
  /// is never signalled again.
  private var waitStatus: Int32?

  /// Starts `executable` with `arguments`.
  ///
  /// - Parameters:
  ///   - stdin: text fed to its standard input; without it, stdin is `/dev/null`.
  ///   - directory: its working directory (default: the test process's).
  ///   - environment: extra environment variables, over the test process's own.
  ///   - memoryLimit: the virtual memory it may use, in KiB (`ulimit -v`); default no limit.
  init(
    executable: URL, arguments: [String], stdin: String? = nil, directory: URL? = nil,
    environment: [String: String] = [:], memoryLimit: Int? = nil
  ) throws {
    let fileManager = FileManager.default
    // Refuse here what the shell would only report as exit status 126 or 127.
    guard fileManager.isExecutableFile(atPath: executable.path) else {
      throw ProcessSetupError(description: "cannot start \(executable.path): not an executable")
    }
    var isFolder: ObjCBool = false
    if let directory,
      !fileManager.fileExists(atPath: directory.path, isDirectory: &isFolder)
        || !isFolder.boolValue
    {
      throw ProcessSetupError(
        description: "cannot start \(executable.path) in \(directory.path): no such folder")
    }

    let capture = try TestFolder.make("process")
    var started = false
    defer { if !started { TestFolder.remove(capture) } }
    let outPath = capture.appendingPathComponent("stdout").path
    let errPath = capture.appendingPathComponent("stderr").path
    var inPath = "/dev/null"
    if let stdin { inPath = try TestFolder.write(stdin, named: "stdin", in: capture) }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // The child starts with no signal blocked and every signal at its default, whatever the
    // test runner's threads did with theirs (a sweep test interrupts its child with SIGINT).
    var none = sigset_t()
    sigemptyset(&none)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv =
      [
        "/bin/sh", "-c", Self.script, "sh", directory?.path ?? ".",
        memoryLimit.map(String.init) ?? "", executable.path,
      ] + arguments
    let cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { for pointer in cArguments { free(pointer) } }
    var cEnvironment: [UnsafeMutablePointer<CChar>?] = []
    if !environment.isEmpty {
      let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
      cEnvironment = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
    }
    defer { for pointer in cEnvironment { free(pointer) } }

    var pid: pid_t = 0
    let spawned =
      environment.isEmpty
      ? posix_spawn(&pid, "/bin/sh", &actions, &attributes, cArguments, environ)
      : posix_spawn(&pid, "/bin/sh", &actions, &attributes, cArguments, cEnvironment)
    guard spawned == 0 else {
      throw ProcessSetupError(
        description:
          "cannot start \(executable.path): \(String(cString: strerror(spawned)))")
    }
    started = true
    processIdentifier = pid
    self.capture = capture
  }

  /// A process that was never waited for (its test failed first) is killed, not left behind.
  deinit {
    if waitStatus == nil {
      kill(processIdentifier, SIGKILL)
      var status: Int32 = 0
      while waitpid(processIdentifier, &status, 0) == -1 && errno == EINTR {}
    }
    TestFolder.remove(capture)
  }

  /// Reaps the process if it has ended, without blocking; its wait status once it has.
  private func poll() throws -> Int32? {
    lock.lock()
    defer { lock.unlock() }
    if let waitStatus { return waitStatus }
    var status: Int32 = 0
    while true {
      let done = waitpid(processIdentifier, &status, WNOHANG)
      if done == processIdentifier {
        waitStatus = status
        return status
      }
      if done == 0 { return nil }
      if errno != EINTR {
        throw ProcessSetupError(description: "waitpid failed: \(String(cString: strerror(errno)))")
      }
    }
  }

  /// Whether the process is still running.
  var isRunning: Bool {
    do { return try poll() == nil } catch { return false }
  }

  /// Sends a signal, such as `SIGKILL` or `SIGINT`, to the process if it is still running.
  func send(_ signal: Int32) {
    lock.lock()
    defer { lock.unlock() }
    // Only while it is unreaped: the id of a reaped process may already be another's.
    if waitStatus == nil { kill(processIdentifier, signal) }
  }

  /// Waits for the process to end, killing it after `timeout` seconds; returns what it left.
  func wait(timeout: TimeInterval = 300) throws -> ProcessOutcome {
    // Poll rather than block, so that the process is killed only while it is still ours.
    let deadline = Date().addingTimeInterval(timeout)
    var timedOut = false
    var pause: useconds_t = 500
    var status: Int32
    while true {
      if let ended = try poll() {
        status = ended
        break
      }
      if Date() > deadline && !timedOut {
        timedOut = true
        send(SIGKILL)
      }
      usleep(pause)
      pause = min(pause * 2, 8_000)
    }
    // The wait status: the low 7 bits are the signal that ended the process, or 0 when it
    // exited, its code then in the next byte.
    let signal = status & 0x7F
    func text(_ name: String) throws -> String {
      String(decoding: try Data(contentsOf: capture.appendingPathComponent(name)), as: UTF8.self)
    }
    return ProcessOutcome(
      status: signal == 0 ? (status >> 8) & 0xFF : signal, signalled: signal != 0,
      timedOut: timedOut, stdout: try text("stdout"), stderr: try text("stderr"))
  }
}
