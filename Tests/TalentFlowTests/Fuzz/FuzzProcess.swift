import Foundation

/// Runs programs for the fuzz oracle with `posix_spawn`, not Foundation's `Process`.
///
/// On Linux, `Process.run()` of Swift 6.3's Foundation now and then reads past a buffer while it
/// lists `/proc/self/fd` and crashes the calling process (swift-corelibs-foundation#5472); a
/// test that starts thousands of processes meets it. Each program runs through `/bin/sh`, which
/// changes to the case folder, limits the virtual memory and then replaces itself with the
/// program; its output goes to files, so a chatty program never blocks on a pipe.
enum FuzzProcess {
  /// The shell script that starts a program: `$1` the folder, `$2` the memory limit in KiB,
  /// then the program and its arguments.
  private static let script =
    "cd \"$1\" || exit 126; ulimit -v \"$2\" 2>/dev/null; shift 2; exec \"$@\""

  /// Runs `executable` with `arguments` in `folder`, killing it after `timeout` seconds.
  static func run(
    _ executable: String, _ arguments: [String], in folder: URL, memoryLimit: Int,
    timeout: TimeInterval
  ) throws -> ProcessOutcome {
    let fileManager = FileManager.default
    let capture = fileManager.temporaryDirectory
      .appendingPathComponent("talentflow-fuzz-process-\(UUID().uuidString)", isDirectory: true)
    try fileManager.createDirectory(at: capture, withIntermediateDirectories: true)
    defer { try? fileManager.removeItem(at: capture) }
    let outPath = capture.appendingPathComponent("stdout").path
    let errPath = capture.appendingPathComponent("stderr").path

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // The child starts with no signal blocked and every signal at its default, whatever the
    // test runner's threads did with theirs.
    var none = sigset_t()
    sigemptyset(&none)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv =
      ["/bin/sh", "-c", script, "sh", folder.path, String(memoryLimit), executable]
      + arguments
    var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { for pointer in cArguments { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &cArguments, environ)
    guard spawned == 0 else {
      throw ProcessSetupError(
        description: "cannot start /bin/sh: \(String(cString: strerror(spawned)))")
    }

    // Poll rather than block, so that the process is killed only while it is still ours.
    let deadline = Date().addingTimeInterval(timeout)
    var status: Int32 = 0
    var timedOut = false
    var pause: useconds_t = 500
    while true {
      let done = waitpid(pid, &status, WNOHANG)
      if done == pid { break }
      if done == -1 && errno != EINTR {
        throw ProcessSetupError(description: "waitpid failed: \(String(cString: strerror(errno)))")
      }
      if Date() > deadline {
        timedOut = true
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        break
      }
      usleep(pause)
      pause = min(pause * 2, 8_000)
    }
    // The wait status: the low 7 bits are the signal that ended the process, or 0 when it
    // exited, its code then in the next byte.
    let signal = status & 0x7F
    func text(_ path: String) -> String {
      String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data(), as: UTF8.self)
    }
    return ProcessOutcome(
      status: signal == 0 ? (status >> 8) & 0xFF : signal, signalled: signal != 0,
      timedOut: timedOut, stdout: text(outPath), stderr: text(errPath))
  }
}
