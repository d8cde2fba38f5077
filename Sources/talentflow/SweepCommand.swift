import Foundation
import TalentFlow

let sweepCommand = Command(
  name: "sweep",
  summary: "Run a parameter sweep with replicates on every core, or as a Slurm job array.",
  usage: """
    talentflow sweep SPEC.json [--workers N] [--out DIR] [--resume] [--set key.path=value]...
                                      [--shard K/N] [--quiet]
           talentflow sweep SPEC.json --emit-slurm DIR [--array-size N] [--partition P]
                                      [--time HH:MM:SS] [--cpus-per-task C] [--out DIR] [--set ...]
    """,
  about: """
    Runs every run of a sweep specification (design points × replicates), several at once, and
    writes design.csv, runs.csv, summary.csv, manifest.json and, if the specification's `keep`
    asks, runs/<run id>/ into the sweep folder. The files do not depend on --workers or on how
    the runs are split into shards. See README.md, "Sweeps", for the specification.

    A run that the model stops (a quantity leaving the finite range) does not stop the sweep:
    the other runs finish, the tables leave it out, failures.csv lists it with its message, and
    the exit code is 1. --resume retries the failed runs only.
    """,
  positionals: [
    .init(label: "SPEC.json", help: "The sweep specification.")
  ],
  options: plannedOptions(folder: "Sweep folder", work: "sweep"),
  more: [slurmOptionGroup],
  run: { arguments in
    try runPlanned(arguments, command: "sweep") { file, overrides in
      try SweepPlan(specification: SweepSpecification.load(file: file), overrides: overrides)
    }
  })


/// The options of a command that runs a plan (`sweep`, `sensitivity`): `folder` names its
/// folder in help, `work` what `--resume` continues.
func plannedOptions(folder: String, work: String) -> [Option] {
  [
    Option(
      .workers, .integer("N", 1...1024), "Runs at once, each on one thread (default: all cores)."),
    Option(
      .out, .path("DIR"),
      """
      \(folder) (default: output/<name>/; with --shard,
      output/<name>-shards/shard-K/).
      """),
    Option(
      .resume,
      """
      Continue an interrupted \(work) in DIR: finished runs are kept,
      unfinished and failed ones redone. The same specification, base
      and --set options are required.
      """),
    Option(.set, .text("key.path=value"), "Override a key of the base configuration; repeatable."),
    Option(
      .shard, .text("K/N"),
      """
      Run only shard K of N (runs K, K + N, K + 2N, ... in run order) and
      write a shard folder for `talentflow merge`.
      """),
    Option(.quiet, "No progress line and no summary."),
  ]
}

/// The options of `--emit-slurm`, shared by sweeps and sensitivity analyses.
let slurmOptionGroup =
  Command.OptionGroup(
  title: "SLURM",
  options: [
    Option(
      .emitSlurm, .path("DIR"),
      """
      Write DIR/array.sbatch (one array task per shard), DIR/merge.sbatch
      (merges the shards into --out once every task succeeded) and
      DIR/submit.sh, print the submit command, and run nothing.
      """),
    Option(
      .arraySize, .integer("N", 1...1_000_000),
      "Array tasks, i.e. shards (default: the runs, at most 100)."),
    Option(.partition, .text("P"), "Slurm partition."),
    Option(.time, .text("HH:MM:SS"), "Wall-time limit of each array task."),
    Option(
      .cpusPerTask, .integer("C", 1...1024),
      "CPUs of each array task, used as its workers (default 1)."),
  ])

/// Runs a sweep or a sensitivity analysis (`command`), whose plan `load` makes from the
/// specification file and the `--set` overrides: the whole of it, a shard, or its Slurm scripts.
func runPlanned(
  _ arguments: Arguments, command: String,
  load: (_ file: String, _ overrides: [String]) throws -> SweepPlan
) throws -> ExitCode {
  let what = command == "sweep" ? "sweep" : "sensitivity analysis"
  guard arguments.positionals.count == 1, let specFile = arguments.positionals.first else {
    throw UsageError("expected one \(what) specification file, got \(arguments.positionals.count)")
  }
  let overrides = arguments.all(.set)

  if let folder = arguments.value(.emitSlurm) {
    for name in [OptionName.workers, .shard, .resume, .quiet] where arguments.given(name) {
      throw UsageError("--\(name.rawValue) does not go with --emit-slurm")
    }
    let options = try slurmOptions(arguments)
    let plan = try load(specFile, overrides)
    return try emitSlurm(
      options, plan: plan, specFile: specFile, overrides: overrides, folder: folder,
      out: arguments.value(.out), command: command)
  }
  for name in [OptionName.arraySize, .partition, .time, .cpusPerTask]
  where arguments.given(name) {
    throw UsageError("--\(name.rawValue) only goes with --emit-slurm")
  }
  var shard: SweepShard? = nil
  if let text = arguments.value(.shard) {
    guard let parsed = SweepShard(text) else {
      throw UsageError("--shard must be K/N with 1 ≤ K ≤ N, got \(text)")
    }
    shard = parsed
  }
  let workers =
    arguments.integer(.workers)
    ?? ProcessInfo.processInfo.activeProcessorCount

  let plan = try load(specFile, overrides)
  let defaultOut =
    shard.map { "output/\(plan.name)-shards/shard-\($0.index)" } ?? "output/\(plan.name)"
  let folder = URL(fileURLWithPath: arguments.value(.out) ?? defaultOut)
  let quiet = arguments.has(.quiet)
  let showProgress = !quiet && isatty(STDERR_FILENO) == 1
  installInterruptMessage(command: command)

  let outcome = try SweepRunner.run(
    plan: plan, folder: folder, shard: shard, workers: workers, resume: arguments.has(.resume),
    progress: { progress in
      guard showProgress else { return }
      FileHandle.standardError.write(
        Data(progressLine(progress, name: "\(command) \(plan.name)").utf8))
    })
  if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  if !quiet {
    print(sweepSummary(outcome, plan: plan, shard: shard, workers: workers))
  }
  guard outcome.failures.isEmpty else {
    let folder = outcome.folder.path
    let listed =
      shard == nil
      ? "\(folder)/failures.csv lists them"
      : "\(folder)/shard.json lists them, and `talentflow merge` carries them into failures.csv"
    let indices = plan.analysis == nil || shard != nil ? "" : " Indices need every run, so indices.csv waits for them."
    printError(
      failureSummary(
        "talentflow \(command)", failures: outcome.failures, total: outcome.total,
        of: shard.map { " of shard \($0)" } ?? "",
        then: "\(listed); run the same command with --resume to retry only them.\(indices)"))
    return ExitCode.failure
  }
  return ExitCode.success
}

/// What a sweep, shard or merge in which runs failed says on stderr: how many failed, which,
/// what `then` says, and the first failure's message.
func failureSummary(
  _ command: String, failures: [SweepFailure], total: Int, of part: String, then: String
) -> String {
  let ids = failures.prefix(10).map(\.run.id).joined(separator: ", ")
  let more = failures.count > 10 ? ", …" : ""
  let others = total - failures.count
  var text =
    "\(command): \(failures.count) of \(total) runs\(part) failed (\(ids)\(more)); "
    + "the other \(others) finished. \(then)"
  if let first = failures.first {
    text += "\nThe first, \(first.run.id): \(first.message)"
  }
  return text
}

/// "sweep x: 37/200 runs  12.3 runs/min  about 13m 20s left", starting with a carriage return;
/// `name` is the command and the plan's name.
func progressLine(_ p: SweepProgress, name: String) -> String {
  var line = "\r\(name): \(p.finished)/\(p.total) runs"
  if p.failed > 0 { line += " (\(p.failed) failed)" }
  if p.finishedNow > 0 && p.seconds > 0 {
    let perSecond = Double(p.finishedNow) / p.seconds
    line += String(format: "  %.1f runs/min", perSecond * 60)
    line += "  about \(duration(Double(p.total - p.finished) / perSecond)) left"
  }
  return line + "   "
}

/// A duration as "45s", "13m 20s" or "2h 05m".
func duration(_ seconds: Double) -> String {
  let s = Int(seconds.rounded())
  if s < 60 { return "\(s)s" }
  if s < 3600 { return "\(s / 60)m \(String(format: "%02d", s % 60))s" }
  return "\(s / 3600)h \(String(format: "%02d", s % 3600 / 60))m"
}

/// What a sweep or shard wrote.
func sweepSummary(_ outcome: SweepOutcome, plan: SweepPlan, shard: SweepShard?, workers: Int)
  -> String
{
  let folder = outcome.folder.path
  let kind = plan.analysis == nil ? "sweep" : "sensitivity analysis"
  if outcome.alreadyComplete {
    return
      "\(folder)/ already holds the finished \(shard.map { "shard \($0)" } ?? kind); "
      + "nothing to do."
  }
  let ran =
    "ran \(outcome.ran) of \(outcome.total) runs in "
    + "\(String(format: "%.1f", outcome.wallSeconds)) s "
    + "with \(workers) worker\(workers == 1 ? "" : "s")"
    + (outcome.ran < outcome.total ? " (\(outcome.total - outcome.ran) were already finished)" : "")
  if let shard {
    return """
      Wrote shard \(shard) of \(kind) \(plan.name) to \(folder)/: \(ran).
      When all \(shard.count) shards are done: talentflow merge SHARD-FOLDERS... --out DIR
      """
  }
  return """
    Wrote \(folder)/: \(writtenFiles(plan: plan, failures: outcome.failures))
    \(kind == "sweep" ? "Sweep" : "Sensitivity analysis") \(plan.name): \(ran).
    """
}

/// The files of a finished sweep or merge, with what they hold.
func writtenFiles(plan: SweepPlan, failures: [SweepFailure]) -> String {
  let finished = plan.runCount - failures.count
  let counted = failures.isEmpty ? "\(plan.runCount)" : "\(finished) of \(plan.runCount)"
  let failed =
    failures.isEmpty
    ? "" : ", failures.csv (\(failures.count) failed run\(failures.count == 1 ? "" : "s"))"
  let kept = plan.keep == .none ? "" : ", runs/ (\(finished) run folders)"
  let design = "design.csv (\(plan.points.count) design points), runs.csv (\(counted) runs), "
  guard let analysis = plan.analysis else { return design + "summary.csv\(failed), manifest.json\(kept)" }
  let pairs: String
  if case .sobol(_, true) = analysis.method { pairs = ", S2.csv" } else { pairs = "" }
  let indices = failures.isEmpty ? "indices.csv\(pairs)" : "no indices.csv (runs failed)"
  return design + indices + "\(failed), manifest.json"
}

/// On SIGINT or SIGTERM, says how to continue before exiting (finished runs are on disk);
/// `command` is `sweep`, `sensitivity` or `calibrate`.
func installInterruptMessage(command: String = "sweep") {
  // Static strings: nothing in a signal handler may allocate.
  let sweep: @convention(c) (Int32) -> Void = { signal in
    let message: StaticString = """

      talentflow sweep: interrupted; finished runs are kept. Run the same command with --resume \
      to continue.

      """
    _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
    _exit(128 + signal)
  }
  let sensitivity: @convention(c) (Int32) -> Void = { signal in
    let message: StaticString = """

      talentflow sensitivity: interrupted; finished runs are kept. Run the same command with \
      --resume to continue.

      """
    _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
    _exit(128 + signal)
  }
  let calibrate: @convention(c) (Int32) -> Void = { signal in
    let message: StaticString = """

      talentflow calibrate: interrupted; finished evaluations are kept. Run the same command \
      with --resume to continue.

      """
    _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
    _exit(128 + signal)
  }
  let handler =
    command == "sensitivity" ? sensitivity : command == "calibrate" ? calibrate : sweep
  // A parent may have left these signals blocked (Foundation's Process does); a shell's
  // background job ignores SIGINT, and that is respected.
  var blocked = sigset_t()
  sigemptyset(&blocked)
  for number in [SIGINT, SIGTERM] {
    var current = sigaction()
    sigaction(number, nil, &current)
    let ignored = current.__sigaction_handler.sa_handler.map {
      unsafeBitCast($0, to: Int.self) == 1
    }
    if ignored == true { continue }
    signal(number, handler)
    sigaddset(&blocked, number)
  }
  sigprocmask(SIG_UNBLOCK, &blocked, nil)
}

/// The options of `--emit-slurm`, checked before the specification is read.
struct SlurmOptions {
  var arraySize: Int?
  var cpusPerTask: Int
  var partition: String?
  var time: String?
}

func slurmOptions(_ arguments: Arguments) throws -> SlurmOptions {
  let arraySize = arguments.integer(.arraySize)
  let cpus = arguments.integer(.cpusPerTask) ?? 1
  if let time = arguments.value(.time), !SlurmScripts.isTimeLimit(time) {
    throw UsageError(
      "--time must be a Slurm time limit such as 02:00:00 or 1-12:00:00, got \(time)")
  }
  if let partition = arguments.value(.partition),
    partition.isEmpty || partition.contains(where: { $0.isWhitespace || $0 == "'" || $0 == "\"" })
  {
    throw UsageError("--partition must be a partition name, got \"\(partition)\"")
  }
  return SlurmOptions(
    arraySize: arraySize, cpusPerTask: cpus, partition: arguments.value(.partition),
    time: arguments.value(.time))
}

/// Writes the Slurm scripts for a sweep and prints how to submit them.
func emitSlurm(
  _ options: SlurmOptions, plan: SweepPlan, specFile: String, overrides: [String],
  folder: String, out: String?, command: String = "sweep"
) throws -> ExitCode {
  let arraySize = min(options.arraySize ?? min(plan.runCount, 100), plan.runCount)
  let scripts = SlurmScripts(
    executable: currentExecutable(),
    specification: URL(fileURLWithPath: specFile).standardizedFileURL.path,
    overrides: overrides,
    folder: URL(fileURLWithPath: folder),
    output: URL(fileURLWithPath: out ?? "output/\(plan.name)"),
    name: plan.name, arraySize: arraySize, partition: options.partition,
    time: options.time, cpusPerTask: options.cpusPerTask, command: command)
  try scripts.write()
  let dir = scripts.folder.path
  print(
    """
    Wrote \(dir)/array.sbatch (\(arraySize) array tasks for \(plan.runCount) runs), \(dir)/merge.sbatch and \(dir)/submit.sh.
    The merged \(command == "sweep" ? "sweep" : "analysis") will be in \(scripts.output.path)/. Submit with:

    \(scripts.submitCommand)
    """)
  return ExitCode.success
}

/// The absolute path of the running `talentflow`, for scripts that call it again.
func currentExecutable() -> String {
  var buffer = [Int8](repeating: 0, count: 4096)
  let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
  if n > 0 {
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
  return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
}
