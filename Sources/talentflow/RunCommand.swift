import Foundation
import TalentFlow

/// The options every command that loads a configuration shares.
let configOptions: Set<String> = ["seed", "ticks", "set"]

/// Loads a configuration from an optional file plus `--seed`, `--ticks` and `--set` overrides.
func loadConfiguration(_ arguments: Arguments) throws -> Configuration {
  if arguments.positionals.count > 1 {
    throw UsageError("expected at most one configuration file, got \(arguments.positionals.count)")
  }
  let file = arguments.positionals.first
  var config = try Configuration.load(file: file, overrides: arguments.all("set"))
  // Applied last, like a final --set, but a bad value is reported as the option the user typed.
  if let seed = arguments.value("seed") {
    try config.apply(override: "seed=\(seed)", source: "--seed")
  }
  if let ticks = arguments.value("ticks") {
    try config.apply(override: "time.ticks=\(ticks)", source: "--ticks")
  }
  try config.validate(source: file ?? "configuration")
  return config
}

let runCommand = Command(
  name: "run",
  summary: "Run the simulator on a configuration (the built-in baseline if none).",
  help: """
    USAGE: talentflow run [CONFIG.json] [--seed N] [--ticks N] [--set key.path=value]...
                          [--out DIR] [--threads N] [--quiet] [--force]

    Runs warm-up and every recorded tick, then writes timeseries.csv, flows.csv, firms.csv,
    optional agents.csv and moves.csv, and manifest.json into the run folder. The folder appears
    only when every file is complete.

    ARGUMENTS:
      CONFIG.json          A configuration or scenario file; any key may be omitted (defaults
                           are MODEL.md's). Without it the built-in baseline runs.

    OPTIONS:
      --seed N             Seed (default: the configuration's `seed`, 1 in the baseline).
      --ticks N            Recorded ticks after warm-up (time.ticks).
      --set key.path=value Override any configuration key; repeatable. The value is JSON
                           (numbers, true/false, lists) or else a string.
      --out DIR            Run folder (default: output/<name>-seed<seed>/).
      --threads N          Threads (default: all cores). Outputs do not depend on it.
      --quiet              No progress line and no summary.
      --force              Replace an existing run folder.
    """,
  run: { args in
    let arguments = try Arguments(
      args, options: configOptions.union(["out", "threads"]), flags: ["quiet", "force"])
    let config = try loadConfiguration(arguments)
    let threads =
      try arguments.integer("threads", range: 1...1024) ?? ProcessInfo.processInfo.activeProcessorCount
    let shownDestination = arguments.value("out") ?? "output/\(config.name)-seed\(config.seed)"
    let destination = URL(fileURLWithPath: shownDestination)
    let quiet = arguments.has("quiet")
    let showProgress = !quiet && isatty(STDERR_FILENO) == 1
    let started = Date()
    var lastPrinted = Date.distantPast
    let result = try Runner.run(
      config: config, destination: destination, force: arguments.has("force"), threads: threads,
      progress: { tick, ticks, agentTicks in
        guard showProgress else { return }
        let now = Date()
        guard now.timeIntervalSince(lastPrinted) > 0.2 || tick == ticks else { return }
        lastPrinted = now
        let elapsed = max(now.timeIntervalSince(started), 1e-9)
        // Warm-up ticks are −warmup … −1; recorded ticks 1 … ticks.
        let done = Double(tick < 0 ? tick + config.time.warmup + 1 : tick + config.time.warmup)
        let all = Double(ticks + config.time.warmup)
        let left = done > 0 ? elapsed * (all - done) / done : 0
        let rate = Double(agentTicks) / elapsed
        let position =
          tick < 0
          ? "warm-up \(tick + config.time.warmup + 1)/\(config.time.warmup)" : "tick \(tick)/\(ticks)"
        let line = String(
          format: "\r%@  %.1fM agent-ticks/s  %.0fs left   ", position, rate / 1e6, left)
        FileHandle.standardError.write(Data(line.utf8))
      })
    if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    if !quiet { print(runSummary(result, config: config, shownAs: shownDestination)) }
    return Exit.success
  })

/// Where the outputs went and three lines on what happened.
func runSummary(_ result: RunResult, config: Configuration, shownAs folder: String) -> String {
  func n(_ x: Double) -> String {
    let formatter = NumberFormatter()
    formatter.numberStyle = .decimal
    formatter.locale = Locale(identifier: "en_US")
    return formatter.string(from: NSNumber(value: Int(x))) ?? String(Int(x))
  }
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
  help: """
    USAGE: talentflow validate FILE.json... [--set key.path=value]...

    Checks every file as `run` would (every key, type, range and cross-key rule, and every
    scenario event) and prints "ok" or the first problem of each. Exit 0 when all are valid,
    65 otherwise.
    """,
  run: { args in
    let arguments = try Arguments(args, options: ["set"], flags: [])
    guard !arguments.positionals.isEmpty else { throw UsageError("expected at least one file") }
    var status = Exit.success
    for file in arguments.positionals {
      do {
        _ = try Configuration.load(file: file, overrides: arguments.all("set"))
        print("\(file): ok")
      } catch {
        printError("\(error)")
        status = Exit.dataError
      }
    }
    return status
  })

let configCommand = Command(
  name: "config",
  summary: "Print the fully resolved configuration (defaults + file + overrides).",
  help: """
    USAGE: talentflow config [CONFIG.json] [--seed N] [--ticks N] [--set key.path=value]...

    Prints, as JSON, every key with the value a run would use. `talentflow config >
    my.json` is a complete starting point for a new configuration.
    """,
  run: { args in
    let arguments = try Arguments(args, options: configOptions, flags: [])
    let config = try loadConfiguration(arguments)
    print(config.resolvedJSON().serialized(pretty: true))
    return Exit.success
  })
