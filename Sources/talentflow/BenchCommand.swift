import Foundation
import TalentFlow

/// Whether this executable was built without optimisation (`swift build` without `-c release`).
let isDebugBuild: Bool = {
  #if DEBUG
    return true
  #else
    return false
  #endif
}()

let benchCommand = Command(
  name: "bench",
  summary: "Measure speed and memory on the baseline scaled to given sizes (release build).",
  usage: """
    talentflow bench [--agents N,N,...] [--ticks N] [--threads N] [--repeat R]
                            [--set key.path=value]... [--csv] [--allow-debug]
    """,
  about: """
    Runs the baseline scaled to each size (startups = professionals / 25, 10 big-tech firms)
    for the 36 warm-up ticks plus --ticks recorded ticks, initialisation and the standard
    outputs (timeseries.csv, flows.csv, firms.csv, written to a temporary folder) included.
    Every run happens in a fresh child process, so each size's peak memory is its own. Each
    size runs --repeat times on --threads threads and, when that is more than one, --repeat
    times on one thread, for the parallel speedup.

    Prints per size and thread count: wall time (median of the repeats), agent-ticks per second
    and nanoseconds per agent-tick (agent-ticks = professionals × (warm-up + ticks)), peak
    resident memory (VmHWM, the largest of the repeats) and bytes per professional, the shares
    of initialisation and output writing in the wall time, the speedup over one thread, and
    the share of tick time in each step of MODEL 3 (from the median run). `cpu s` is the
    processor time the run used (all threads): on a machine shared with other work, wall time
    includes waiting for a core and processor time does not.

    `x floor` is the run's wall time over the draw floor, measured right after it in the same
    process: the time that only the draws the model requires of every professional in every
    tick take (her tick block, one Philox block whose four words decide exit, a founding
    opportunity, its non-compete and her number of leads, computed in batches as the model
    computes it; and the logarithm of her utility), on the same threads. No run of this model
    can be faster than its floor on this machine.

    A debug build refuses to run: its timings say nothing about the release build. Build with
    `swift build -c release` and run `.build/release/talentflow bench`.
    """,
  options: [
    Option(.agents, .text("N,N,..."), "Population sizes (default 10000,100000,1000000)."),
    Option(.ticks, .integer("N", 1...100_000), "Recorded ticks after warm-up (default 120)."),
    Option(.threads, .integer("N", 1...1024), "Threads (default: all cores)."),
    Option(
      .repeat, .integer("R", 1...100),
      """
      Runs per size and thread count; the median is reported (default 3).
      """),
    Option(
      .set, .text("key.path=value"),
      """
      Change the scaled baseline, as `run --set` does; repeatable. E.g.
      `--set output.moves=true --set output.agents=final` times the
      micro outputs too (they count in output%).
      """),
    Option(.csv, "One CSV row per size and thread count instead of tables."),
    Option(
      .allowDebug,
      """
      Run even in a debug build (for testing this command), with a warning.
      """),
    Option(.single, nil),
  ],
  run: { arguments in
    if !arguments.positionals.isEmpty {
      throw UsageError("unexpected argument \(arguments.positionals[0])")
    }
    let sizes = try benchSizes(arguments.value(.agents) ?? "10000,100000,1000000")
    let ticks = arguments.integer(.ticks) ?? 120
    let threads =
      arguments.integer(.threads)
      ?? ProcessInfo.processInfo.activeProcessorCount
    let repeats = arguments.integer(.repeat) ?? 3
    let overrides = arguments.all(.set)
    // A bad --set is reported here, naming the key and value, before any child starts.
    for size in sizes {
      _ = try Benchmark.configuration(professionals: size, ticks: ticks, overrides: overrides)
    }

    if arguments.has(.single) {
      // A child started by the parent below: one run, reported as one JSON line.
      guard sizes.count == 1 else { throw UsageError("--single takes one size") }
      let measurement = try Benchmark.measure(
        professionals: sizes[0], ticks: ticks, threads: threads, overrides: overrides)
      print(measurement.json.serialized(pretty: false))
      return ExitCode.success
    }
    if isDebugBuild {
      let warning = """
        talentflow bench: this is a debug build; its timings are many times slower than the \
        release build's and say nothing about it.
        Build with `swift build -c release` and run `.build/release/talentflow bench`.
        """
      guard arguments.has(.allowDebug) else {
        printError(warning)
        return ExitCode.failure
      }
      printError("WARNING: " + warning)
    }

    let threadCounts = threads > 1 ? [threads, 1] : [1]
    var results: [BenchResult] = []
    for size in sizes {
      for count in threadCounts {
        var runs: [Benchmark.Measurement] = []
        for r in 1...repeats {
          printError(
            "bench: \(NumberFormat.number(Double(size))) professionals, \(count) thread\(count == 1 ? "" : "s"), "
              + "run \(r) of \(repeats)")
          runs.append(
            try benchChild(size: size, ticks: ticks, threads: count, overrides: overrides))
        }
        results.append(BenchResult(runs: runs))
      }
    }
    let warmup = Configuration().time.warmup
    if arguments.has(.csv) {
      print(benchCSV(results, threads: threads))
    } else {
      print(
        benchTables(
          results, threads: threads, ticks: ticks, warmup: warmup, repeats: repeats,
          overrides: overrides))
    }
    return ExitCode.success
  })

/// The runs of one size and thread count.
struct BenchResult {
  /// Sorted by wall time.
  let runs: [Benchmark.Measurement]

  init(runs: [Benchmark.Measurement]) {
    self.runs = runs.sorted { $0.wallSeconds < $1.wallSeconds }
  }

  /// The run with the median wall time (the lower middle one for an even count).
  var median: Benchmark.Measurement { runs[(runs.count - 1) / 2] }
  var professionals: Int { median.professionals }
  var threads: Int { median.threads }
  /// The largest peak memory of the runs.
  var peakResidentBytes: Int? { runs.compactMap(\.peakResidentBytes).max() }
}

/// Parses `--agents`: a comma-separated list of sizes.
func benchSizes(_ text: String) throws -> [Int] {
  let parts = text.split(separator: ",", omittingEmptySubsequences: false)
  let sizes = try parts.map { part -> Int in
    let trimmed = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
    guard let n = Int(trimmed), (100...100_000_000).contains(n) else {
      throw UsageError(
        "--agents must be a comma-separated list of sizes between 100 and 100000000, got \(text)")
    }
    return n
  }
  return sizes
}

/// Runs one measurement in a fresh copy of this executable and reads its report.
func benchChild(
  size: Int, ticks: Int, threads: Int, overrides: [String]
) throws -> Benchmark.Measurement {
  let executable =
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
    ?? CommandLine.arguments[0]
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments =
    [
      "bench", "--single", "--agents", "\(size)", "--ticks", "\(ticks)", "--threads", "\(threads)",
    ] + overrides.flatMap { ["--set", $0] }
  // The child's errors go straight to this process's standard error.
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  let outputData = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  let text = String(decoding: outputData, as: UTF8.self)
  guard process.terminationStatus == 0,
    let line = text.split(separator: "\n").last,
    let json = try? JSONParser.parse(String(line)),
    let measurement = Benchmark.Measurement(json: json)
  else {
    throw BenchError(
      "the measuring process for \(NumberFormat.number(Double(size))) professionals on \(threads) "
        + "thread\(threads == 1 ? "" : "s") failed (exit status \(process.terminationStatus))")
  }
  return measurement
}

/// A bench child that failed.
struct BenchError: TalentFlowError {
  var description: String
  init(_ message: String) { description = message }
  var exitCode: ExitCode { .failure }
}

/// The speedup of the run on `threads` threads over one thread, for one size.
func benchSpeedup(_ results: [BenchResult], size: Int, threads: Int) -> Double? {
  guard threads > 1,
    let many = results.first(where: { $0.professionals == size && $0.threads == threads }),
    let one = results.first(where: { $0.professionals == size && $0.threads == 1 })
  else { return nil }
  return one.median.wallSeconds / many.median.wallSeconds
}

/// The human-readable report.
func benchTables(
  _ results: [BenchResult], threads: Int, ticks: Int, warmup: Int, repeats: Int,
  overrides: [String] = []
) -> String {
  var lines: [String] = []
  lines.append(
    "Baseline scaled (startups = professionals / 25, 10 big-tech firms), \(warmup) warm-up + "
      + "\(ticks) ticks, outputs written; median of \(repeats) run\(repeats == 1 ? "" : "s").")
  if !overrides.isEmpty {
    lines.append("Changed with --set: " + overrides.joined(separator: ", ") + ".")
  }
  lines.append("")
  func row(_ cells: [String], _ widths: [Int]) -> String {
    zip(cells, widths).map { cell, width in
      String(repeating: " ", count: max(0, width - cell.count)) + cell
    }.joined(separator: "  ")
  }
  let widths = [13, 7, 8, 7, 13, 13, 8, 10, 6, 8, 7, 8]
  lines.append(
    row(
      [
        "professionals", "threads", "time s", "cpu s", "agent-ticks/s", "ns/agent-tick",
        "peak MB", "bytes/prof", "init%", "output%", "speedup", "x floor",
      ], widths))
  for result in results {
    let m = result.median
    let peak = result.peakResidentBytes
    let speedup = benchSpeedup(results, size: m.professionals, threads: m.threads)
    lines.append(
      row(
        [
          NumberFormat.number(Double(m.professionals)), "\(m.threads)", fixed(m.wallSeconds, 3),
          fixed(m.cpuSeconds, 2), fixed(m.agentTicksPerSecond / 1e6, 1) + "M",
          fixed(m.nanosecondsPerAgentTick, 1),
          peak.map { fixed(Double($0) / 1e6, 1) } ?? "-",
          peak.map { fixed(Double($0) / Double(m.professionals), 0) } ?? "-",
          fixed(100 * m.initialisationSeconds / m.wallSeconds, 1),
          fixed(100 * m.outputSeconds / m.wallSeconds, 1),
          speedup.map { fixed($0, 2) + "x" } ?? "-",
          m.timesFloor.map { fixed($0, 1) + "x" } ?? "-",
        ], widths))
  }
  lines.append("")
  lines.append("Share of tick time by step (%), MODEL 3 order:")
  let steps = TickStep.allCases
  let stepWidths = [13, 7] + steps.map { max(6, $0.name.count) }
  lines.append(row(["professionals", "threads"] + steps.map(\.name), stepWidths))
  for result in results {
    let m = result.median
    lines.append(
      row(
        [NumberFormat.number(Double(m.professionals)), "\(m.threads)"]
          + m.stepShares.map { fixed(100 * $0, 1) },
        stepWidths))
  }
  return lines.joined(separator: "\n")
}

/// The machine-readable report: one row per size and thread count.
func benchCSV(_ results: [BenchResult], threads: Int) -> String {
  var header = [
    "professionals", "threads", "ticks", "repeats", "wall_seconds", "cpu_seconds",
    "agent_ticks_per_second",
    "ns_per_agent_tick", "peak_bytes", "bytes_per_professional", "init_seconds",
    "output_seconds", "speedup_over_1_thread", "draw_floor_seconds",
  ]
  header += TickStep.allCases.map { "step_share_\($0.name)" }
  var lines = [header.joined(separator: ",")]
  for result in results {
    let m = result.median
    let peak = result.peakResidentBytes
    let speedup =
      m.threads == 1 ? 1 : benchSpeedup(results, size: m.professionals, threads: m.threads)
    let floor = m.floorSeconds.map { fixed($0, 4) } ?? ""
    var cells: [String] = [
      "\(m.professionals)", "\(m.threads)", "\(m.ticks)", "\(result.runs.count)",
      fixed(m.wallSeconds, 4), fixed(m.cpuSeconds, 4), fixed(m.agentTicksPerSecond, 0),
      fixed(m.nanosecondsPerAgentTick, 2),
      peak.map { "\($0)" } ?? "", peak.map { fixed(Double($0) / Double(m.professionals), 1) } ?? "",
      fixed(m.initialisationSeconds, 4), fixed(m.outputSeconds, 4),
      speedup.map { fixed($0, 3) } ?? "", floor,
    ]
    cells += m.stepShares.map { fixed($0, 4) }
    lines.append(cells.joined(separator: ","))
  }
  return lines.joined(separator: "\n")
}
