import Foundation
import TalentFlow

let compareCommand = Command(
  name: "compare",
  summary: "Compare a policy scenario with a base on common random numbers.",
  usage: """
    talentflow compare BASE.json POLICY.json [--replicates N] [--seed S] [--ticks T]
                              [--set key.path=value]... [--out DIR] [--workers N]
                              [--quiet] [--force]
    """,
  about: """
    Runs both scenarios on the same seeds S, S+1, …, S+N−1 (a replicate is one seed), so each
    policy run shares its random numbers with its base run wherever the policy does not change
    the path. Writes into DIR:
      difference.csv  tick, column, mean_difference, ci_low, ci_high, replicates: for every
                      tick and timeseries column, the mean of policy − base over the replicates
                      and its 95% t interval over the paired differences;
      summary.csv     the headline measures (the timeseries measures of talentflow
                      measures): base and policy means, difference, 95% CI, relative
                      effect (%), and the width of the paired interval next to the width an
                      unpaired (Welch) comparison of the same runs would give;
      replicates.csv  the headline measures of every run (empty when unavailable);
      manifest.json   versions, both resolved configurations, the seeds, every file's SHA-256.
    The folder appears only when every file is complete. Results do not depend on --workers.
    """,
  positionals: [
    .init(
      label: "BASE.json, POLICY.json",
      help: "Scenario or configuration files (see README, \"Scenarios\").")
  ],
  options: [
    Option(.replicates, .integer("N", 2...100_000), "Seeds to run (default 10, at least 2)."),
    Option(
      .seed, .integer("S", 0...(1 << 53)), "First seed (default: the base scenario's `seed`)."),
    Option(.ticks, .text("T"), "Recorded ticks of both scenarios (time.ticks)."),
    Option(.set, .text("key.path=value"), "Override a key in both scenarios; repeatable."),
    Option(
      .out, .path("DIR"),
      """
      Output folder (default: output/compare-<base>-vs-<policy>/).
      """),
    Option(
      .workers, .integer("N", 1...1024), "Runs at a time, each on one thread (default: all cores)."),
    Option(.quiet, "No progress line and no table."),
    Option(
      .force,
      """
      Replace an existing output folder, if empty or written by
      TalentFlow (as for `run --force`).
      """),
  ],
  run: { arguments in
    guard arguments.positionals.count == 2 else {
      throw UsageError(
        "expected two scenario files, BASE and POLICY, got \(arguments.positionals.count)")
    }
    let replicates = arguments.integer(.replicates) ?? 10
    let workers =
      arguments.integer(.workers)
      ?? ProcessInfo.processInfo.activeProcessorCount
    func load(_ file: String) throws -> Configuration {
      try Configuration.load(
        file: file, overrides: arguments.all(.set),
        shorthands: arguments.value(.ticks).map { [("--ticks", "time.ticks=\($0)")] } ?? [])
    }
    let baseFile = arguments.positionals[0]
    let policyFile = arguments.positionals[1]
    let base = try load(baseFile)
    let policy = try load(policyFile)
    try Comparison.checkComparable(base: base, policy: policy, policySource: policyFile)
    // Seeds are integers below 2^53 (exact in JSON); the last one is S + N − 1.
    let maximumSeed = (1 << 53) - replicates
    let firstSeed = arguments.integer(.seed) ?? Int(base.seed)
    if firstSeed > maximumSeed, let given = arguments.value(.seed) {
      throw UsageError("--seed must be an integer between 0 and \(maximumSeed), got \(given)")
    }
    if firstSeed > maximumSeed {
      throw UsageError(
        "the base scenario's seed \(firstSeed) leaves no room for \(replicates) replicates; give --seed"
      )
    }
    let seeds = Comparison.seeds(first: UInt64(firstSeed), replicates: replicates)
    let folderName = arguments.value(.out) ?? "output/compare-\(base.name)-vs-\(policy.name)"
    let destination = URL(fileURLWithPath: folderName)
    let quiet = arguments.has(.quiet)
    let showProgress = !quiet && isatty(STDERR_FILENO) == 1

    // Refuse an existing folder before the runs, not after.
    try RunFolder.checkDestination(destination, force: arguments.has(.force))
    let started = Date()
    let runs = try Comparison.run(
      base: base, policy: policy, seeds: seeds, workers: workers,
      progress: { done, total in
        guard showProgress else { return }
        let line = "\rruns \(done)/\(total) (\(replicates) seeds × 2 scenarios)   "
        FileHandle.standardError.write(Data(line.utf8))
      })
    if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    let written = try Comparison.write(
      base: .init(
        file: baseFile, chain: try Scenario.resolve(file: baseFile).files, configuration: base),
      policy: .init(
        file: policyFile, chain: try Scenario.resolve(file: policyFile).files,
        configuration: policy),
      seeds: seeds, runs: runs, destination: destination, force: arguments.has(.force),
      workers: workers, startedAt: started)
    if !quiet {
      let seconds = Date().timeIntervalSince(started)
      print(
        comparisonReport(
          written, folder: folderName, base: base, policy: policy, seeds: seeds,
          seconds: seconds, workers: workers))
    }
    return ExitCode.success
  })

/// The printed table of a comparison and where its files went.
func comparisonReport(
  _ written: Comparison.Written, folder: String, base: Configuration, policy: Configuration,
  seeds: [UInt64], seconds: Double, workers: Int
) -> String {
  let seedRange = seeds.count > 1 ? "\(seeds[0])…\(seeds[seeds.count - 1])" : "\(seeds[0])"
  var lines = [
    "\(policy.name) (policy) − \(base.name) (base): \(seeds.count) paired replicates, "
      + "seeds \(seedRange), \(base.time.ticks) ticks",
    "",
  ]
  let header = [
    "measure", "base", "policy", "difference", "95% CI", "effect", "CI width paired / unpaired",
  ]
  var rows: [[String]] = [header]
  for s in written.summary {
    let digits = decimals(for: max(abs(s.baseMean), abs(s.policyMean)))
    let effect = s.relativeEffectPercent
    let ratio = s.widthRatio
    rows.append([
      s.measure,
      fixed(s.baseMean, digits),
      fixed(s.policyMean, digits),
      fixed(s.paired.mean, digits, sign: true),
      "[\(fixed(s.paired.low, digits, sign: true)), \(fixed(s.paired.high, digits, sign: true))]",
      effect.isNaN ? "–" : String(format: "%+.1f%%", effect),
      "\(fixed(s.paired.width, digits)) / \(fixed(s.unpaired.width, digits))"
        + (ratio.isNaN ? "" : String(format: " (%.2f)", ratio)),
    ])
  }
  let widths = header.indices.map { k in rows.map { $0[k].count }.max() ?? 0 }
  for row in rows {
    let cells = row.indices.map { k -> String in
      let cell = row[k]
      let pad = String(repeating: " ", count: widths[k] - cell.count)
      return k == 0 || k == row.count - 1 ? cell + pad : pad + cell
    }
    lines.append(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
  }
  let median = Comparison.medianWidthRatio(written.summary)
  lines.append("")
  if median.isNaN {
    lines.append(
      "Common random numbers: no measure varied between seeds, so there is no unpaired width to compare with."
    )
  } else if median == 0 {
    lines.append(
      "Common random numbers: every paired interval has width 0; the two scenarios ran identically."
    )
  } else {
    let factor = String(format: "%.1f", 1 / (median * median))
    lines.append(
      String(
        format:
          "Common random numbers: the paired intervals are %.2f× (median) the width of unpaired ones of the same runs;",
        median))
    lines.append(
      "as precise an unpaired comparison would need about \(factor)× as many replicates.")
  }
  let files = written.files.map { "\($0.name) (\($0.rows) rows)" }.joined(separator: ", ")
  lines.append(
    "Wrote \(folder.hasSuffix("/") ? folder : folder + "/"): \(files), manifest.json "
      + String(format: "(%.1f s, %d workers)", seconds, workers))
  return lines.joined(separator: "\n")
}

/// Decimals that show about four significant digits of a value of this size.
private func decimals(for magnitude: Double) -> Int {
  guard magnitude > 0, magnitude.isFinite else { return 2 }
  return max(0, min(6, 3 - Int(log10(magnitude).rounded(.down))))
}
