import Foundation
import TalentFlow

/// Loads a configuration from an optional file plus `--seed`, `--ticks` and `--set` overrides.
func loadConfiguration(_ arguments: Arguments) throws -> Configuration {
  if arguments.positionals.count > 1 {
    throw UsageError("expected at most one configuration file, got \(arguments.positionals.count)")
  }
  // Applied last, like a final --set, but a bad value is reported as the option the user typed;
  // the whole is validated once.
  var shorthands: [(source: String, override: String)] = []
  if let seed = arguments.value(.seed) { shorthands.append(("--seed", "seed=\(seed)")) }
  if let ticks = arguments.value(.ticks) {
    shorthands.append(("--ticks", "time.ticks=\(ticks)"))
  }
  return try Configuration.load(
    file: arguments.positionals.first, overrides: arguments.all(.set), shorthands: shorthands)
}

let runCommand = Command(
  name: "run",
  summary: "Run the simulator on a configuration (the built-in baseline if none).",
  usage: """
    talentflow run [CONFIG.json] [--seed N] [--ticks N] [--set key.path=value]...
                          [--out DIR] [--threads N] [--quiet] [--force] [--report]
                          [--checkpoint-every K [--checkpoint FILE]]
           talentflow run --resume CHECKPOINT [--threads N] [--checkpoint-every K] [--quiet]
                          [--report]
    """,
  about: """
    Runs warm-up and every recorded tick, then writes timeseries.csv, flows.csv, firms.csv,
    optional agents.csv and moves.csv, and manifest.json into the run folder. The folder appears
    only when every file is complete.
    """,
  positionals: [
    .init(
      label: "CONFIG.json",
      help: """
        A configuration or scenario file; any key may be omitted (defaults
        are MODEL.md's). Without it the built-in baseline runs.
        """)
  ],
  options: Option.configurationShorthands + [
    Option(
      .set, .text("key.path=value"),
      """
      Override any configuration key; repeatable. The value is JSON
      (numbers, true/false, lists) or else a string.
      """),
    Option(.out, .path("DIR"), "Run folder (default: output/<name>-seed<seed>/)."),
    .threads,
    Option(.quiet, "No progress line and no summary."),
    Option(
      .force,
      """
      Replace an existing run folder: an empty folder or one TalentFlow
      wrote (with its manifest.json), never a file, a link, another
      folder, the current directory or one that contains it (exit 73).
      Also replaces an existing TalentFlow checkpoint file.
      """),
    Option(
      .checkpointEvery, .integer("K", 1...Int.max),
      """
      Save the whole state every K recorded ticks, replacing the previous
      checkpoint atomically. Deleted when the run completes.
      """),
    Option(
      .checkpoint, .path("FILE"),
      """
      Where to save it (default: the run folder's path + .checkpoint).
      """),
    Option(
      .resume, .path("CHECKPOINT"),
      """
      Continue an interrupted run from its checkpoint to the end. The
      configuration, the run folder and --force come from the checkpoint;
      the outputs are byte-identical to those of an uninterrupted run.
      """),
    Option(
      .report,
      """
      Also write report.html (see `talentflow report`) into the run
      folder once the run is complete. It is derived from the data
      files and not listed in manifest.json.
      """),
  ],
  run: { arguments in
    let threads =
      arguments.integer(.threads) ?? ProcessInfo.processInfo.activeProcessorCount
    let every = arguments.integer(.checkpointEvery)
    let quiet = arguments.has(.quiet)
    let showProgress = !quiet && isatty(STDERR_FILENO) == 1
    let result: RunResult
    let config: Configuration
    let shownDestination: String
    if let resume = arguments.value(.resume) {
      let fixed = [OptionName.seed, .ticks, .set, .out, .checkpoint].filter(arguments.given)
      if !arguments.positionals.isEmpty || !fixed.isEmpty || arguments.has(.force) {
        let given =
          (arguments.positionals + fixed.map { "--" + $0.rawValue }
          + (arguments.has(.force) ? ["--force"] : [])).joined(separator: ", ")
        throw UsageError(
          "--resume continues the run saved in the checkpoint, with its configuration and run "
            + "folder; \(given) cannot be given with it")
      }
      let url = URL(fileURLWithPath: resume)
      let saved = try RunCheckpoint.read(from: url, threads: threads)
      config = saved.simulation.initialConfig
      shownDestination = displayPath(saved.destination)
      result = try Runner.resume(
        saved, file: url, every: every,
        progress: showProgress
          ? progressPrinter(config: config, resumedAt: saved.simulation.tick) : nil)
    } else {
      if arguments.value(.checkpoint) != nil && every == nil {
        throw UsageError("--checkpoint needs --checkpoint-every K")
      }
      config = try loadConfiguration(arguments)
      shownDestination = arguments.value(.out) ?? "output/\(config.name)-seed\(config.seed)"
      let destination = URL(fileURLWithPath: shownDestination)
      var schedule: CheckpointSchedule? = nil
      if let every {
        let file = URL(
          fileURLWithPath: arguments.value(.checkpoint)
            ?? destination.standardizedFileURL.path + ".checkpoint")
        if FileManager.default.fileExists(atPath: file.path) && !arguments.has(.force) {
          printError(
            "talentflow run: \(file.path) already exists, perhaps the checkpoint of an "
              + "interrupted run: continue it with `talentflow run --resume \(file.path)`, or "
              + "delete it (or use --force) to start over")
          return ExitCode.cannotCreate
        }
        if let what = CheckpointFile.whyNotReplaceable(file) {
          printError(
            "talentflow run: cannot use \(file.path) as the checkpoint: it is \(what); --force "
              + "replaces only a TalentFlow checkpoint file. Choose another --checkpoint FILE.")
          return ExitCode.cannotCreate
        }
        schedule = CheckpointSchedule(every: every, file: file)
      }
      result = try Runner.run(
        config: config, destination: destination, force: arguments.has(.force),
        threads: threads, checkpoints: schedule,
        progress: showProgress ? progressPrinter(config: config, resumedAt: nil) : nil)
    }
    if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    if !quiet { print(runSummary(result, config: config, shownAs: shownDestination)) }
    if arguments.has(.report) {
      // After the commit: the data files and manifest are complete whatever happens here, and
      // report.html appears atomically (temporary name, then rename) or not at all.
      let page = result.folder.appendingPathComponent("report.html")
      do {
        let written = try ReportWriter.write(folder: result.folder, page: page, svgFolder: nil)
        if !quiet { print("Wrote \(shownDestination)/report.html (\(written.charts) charts)") }
      } catch {
        printError(
          "talentflow run: the run is complete in \(shownDestination)/, but its report could "
            + "not be written: \(error)\nRetry with `talentflow report \(shownDestination)`.")
        return ExitCode.failure
      }
    }
    return ExitCode.success
  })

/// A progress callback that redraws one line on stderr at most five times a second: the
/// warm-up or recorded tick, the speed in agent-ticks a second and the time left. A resumed run
/// counts its progress from the tick it resumed at.
func progressPrinter(config: Configuration, resumedAt: Int?)
  -> (_ tick: Int, _ ticks: Int, _ agentTicks: Int) -> Void
{
  let started = Date()
  nonisolated(unsafe) var lastPrinted = Date.distantPast
  let warmup = config.time.warmup
  return { tick, ticks, agentTicks in
    let now = Date()
    guard now.timeIntervalSince(lastPrinted) > 0.2 || tick == ticks else { return }
    lastPrinted = now
    let elapsed = max(now.timeIntervalSince(started), 1e-9)
    // Warm-up ticks are −warmup … −1; recorded ticks 1 … ticks.
    let done: Double
    let all: Double
    if let resumedAt {
      done = Double(tick - resumedAt)
      all = Double(ticks - resumedAt)
    } else {
      done = Double(tick < 0 ? tick + warmup + 1 : tick + warmup)
      all = Double(ticks + warmup)
    }
    let left = done > 0 ? elapsed * (all - done) / done : 0
    let rate = Double(agentTicks) / elapsed
    let position = tick < 0 ? "warm-up \(tick + warmup + 1)/\(warmup)" : "tick \(tick)/\(ticks)"
    let line = String(
      format: "\r%@  %.1fM agent-ticks/s  %.0fs left   ", position, rate / 1e6, left)
    FileHandle.standardError.write(Data(line.utf8))
  }
}

/// Where the outputs went and three lines on what happened.
func runSummary(_ result: RunResult, config: Configuration, shownAs folder: String) -> String {
  func n(_ x: Double) -> String { NumberFormat.number(x.rounded(.towardZero)) }
  func total(_ column: String) -> Double {
    Timeseries.columns.firstIndex(of: column).map { result.totals[$0] } ?? 0
  }
  let last = result.last
  let files = result.files.map { "\($0.name) (\($0.rows) rows)" }.joined(separator: ", ")
  return """
    Wrote \(folder.hasSuffix("/") ? folder : folder + "/"): \(files), manifest.json
    Final stocks (tick \(last.tick)): big tech \(n(last["employed_bigtech"])), startups \(n(last["employed_startup"])), unemployed \(n(last["unemployed"])); \(n(last["firms_startup"])) living startups
    Job-to-job moves over \(config.time.ticks) ticks: big tech → startup \(n(total("moves_bigtech_to_startup"))), startup → big tech \(n(total("moves_startup_to_bigtech"))), startup → startup \(n(total("moves_startup_to_startup"))), big tech → big tech \(n(total("moves_bigtech_to_bigtech")))
    Startups: \(n(total("startups_born"))) born, \(n(total("startups_failed"))) failed, \(n(total("startups_acquired"))) acquired, \(n(total("startups_graduated"))) graduated (\(String(format: "%.1f", result.wallSeconds)) s)
    """
}

let validateCommand = Command(
  name: "validate",
  summary: "Check configuration files without running them.",
  usage: """
    talentflow validate FILE.json... [--set key.path=value]...
    """,
  about: """
    Checks every file as `run` would (every key, type, range and cross-key rule, and every
    scenario event) and prints "ok" or the first problem of each. Exit 0 when all are valid,
    65 otherwise.
    """,
  options: [
    Option(.set, .text("key.path=value"), "Override a key in every file; repeatable.")
  ],
  run: { arguments in
    guard !arguments.positionals.isEmpty else { throw UsageError("expected at least one file") }
    var status = ExitCode.success
    for file in arguments.positionals {
      do {
        _ = try Configuration.load(file: file, overrides: arguments.all(.set))
        print("\(file): ok")
      } catch {
        printError("\(error)")
        status = ExitCode.dataError
      }
    }
    return status
  })

let configCommand = Command(
  name: "config",
  summary: "Print the fully resolved configuration (defaults + file + overrides).",
  usage: """
    talentflow config [CONFIG.json] [--seed N] [--ticks N] [--set key.path=value]...
                             [--keys]
    """,
  about: """
    Prints, as JSON, every key with the value a run would use. `talentflow config >
    my.json` is a complete starting point for a new configuration.
    """,
  options: Option.configurationShorthands + [
    Option(.set, .text("key.path=value"), "Override any configuration key; repeatable."),
    Option(
      .keys,
      """
      Print instead a Markdown table of every key: its value, the range
      it allows and what it means (the model document's key table).
      """),
  ],
  run: { arguments in
    let config = try loadConfiguration(arguments)
    if arguments.has(.keys) {
      print("| Key | Value | Allowed | Meaning |\n|---|---|---|---|")
      for row in ConfigurationKeys.tableRows(config) { print(row) }
    } else {
      print(config.resolvedJSON().serialized(pretty: true))
    }
    return ExitCode.success
  })
