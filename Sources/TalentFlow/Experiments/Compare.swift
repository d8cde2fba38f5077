import Dispatch
import Foundation
import Synchronization

/// Paired comparisons of two scenarios on common random numbers (MODEL 1, use 1).
///
/// Both scenarios run on the same seeds S, S+1, …, S+N−1. Every draw is keyed by (purpose,
/// entity, tick, draw), so a base run and a policy run of one seed share their random numbers
/// wherever the policy leaves the path alone, and the replicate-by-replicate difference
/// policy − base has far less variance than the difference of two independent runs. The
/// comparison reports that difference with a t interval over the pairs, and, for the headline
/// measures (`RunMeasures.headline`), the width an unpaired (Welch) interval of the same runs
/// would have had.
public enum Comparison {
  /// The runs of one scenario on one seed, reduced to what a comparison reads.
  public struct Run: Sendable {
    public var seed: UInt64
    /// The `timeseries.csv` rows of ticks 0…T, in `Timeseries.columns` order.
    public var rows: [[Double]]
    /// The headline measures, in `RunMeasures.headline` order; NaN where unavailable.
    public var measures: [Double]
  }

  /// Checks that two configurations can be compared tick by tick.
  public static func checkComparable(
    base: Configuration, policy: Configuration, policySource: String
  ) throws(ConfigurationError) {
    for (path, a, b) in [
      ("time.ticks", base.time.ticks, policy.time.ticks),
      ("time.ticksPerYear", base.time.ticksPerYear, policy.time.ticksPerYear),
    ] where a != b {
      throw ConfigurationError(
        source: policySource, path: path,
        message:
          "\(path) must equal the base scenario's (\(a)) for a tick-by-tick comparison, got \(b)")
    }
  }

  /// The seeds of N replicates from S: S, S+1, …, S+N−1.
  public static func seeds(first: UInt64, replicates: Int) -> [UInt64] {
    (0..<UInt64(max(replicates, 0))).map { first + $0 }
  }

  /// Runs both scenarios on every seed, `workers` runs at a time, each run on one thread.
  ///
  /// Results are put in place by (seed, scenario), so they are the same for any `workers`.
  /// `progress(done, total)` is called after each run, from the worker that finished it. If a
  /// run stops on a `SimulationError`, the error of the first such run (by seed, then base
  /// before policy) is thrown once every run has ended.
  public static func run(
    base: Configuration, policy: Configuration, seeds: [UInt64], workers: Int,
    progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
  ) throws(SimulationError) -> (base: [Run], policy: [Run]) {
    let jobs = seeds.count * 2
    let results = Mutex([Result<Run, SimulationError>?](repeating: nil, count: jobs))
    let next = Atomic<Int>(0)
    let done = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: max(1, min(workers, jobs))) { _ in
      while true {
        let job = next.wrappingAdd(1, ordering: .relaxed).oldValue
        if job >= jobs { break }
        var config = job % 2 == 0 ? base : policy
        config.seed = seeds[job / 2]
        let run = Result { () throws(SimulationError) -> Run in
          let records = try Runner.records(config: config, threads: 1)
          return Run(
            seed: config.seed, rows: records.map(\.row),
            measures: RunMeasures.headlineValues(
              of: MeasuredRun(records: records, config: config)))
        }
        results.withLock { $0[job] = run }
        let finished = done.wrappingAdd(1, ordering: .relaxed).newValue
        progress?(finished, jobs)
      }
    }
    let outcomes = results.withLock { $0 }.compactMap { $0 }
    let runs = try outcomes.indices.map { job throws(SimulationError) in
      do throws(SimulationError) {
        return try outcomes[job].get()
      } catch {
        var named = error
        named.run = "\(job % 2 == 0 ? "base" : "policy") run, seed \(seeds[job / 2])"
        throw named
      }
    }
    return (
      stride(from: 0, to: runs.count, by: 2).map { runs[$0] },
      stride(from: 1, to: runs.count, by: 2).map { runs[$0] }
    )
  }

  /// One row of `difference.csv`.
  public struct DifferenceRow: Sendable, Equatable {
    public var tick: Int
    public var column: String
    public var interval: MeanInterval
    public var replicates: Int
  }

  /// The columns of `difference.csv`'s `column` field: every timeseries column but tick and
  /// year.
  public static let differenceColumns = Timeseries.columns.filter { $0 != "tick" && $0 != "year" }

  /// Per tick and per timeseries column, the mean of policy − base with its paired t interval.
  public static func differences(base: [Run], policy: [Run], level: Double = 0.95)
    -> [DifferenceRow]
  {
    guard let first = base.first else { return [] }
    let n = min(base.count, policy.count)
    let ticks = first.rows.count
    var rows: [DifferenceRow] = []
    rows.reserveCapacity(ticks * differenceColumns.count)
    let indices = differenceColumns.compactMap { Timeseries.columns.firstIndex(of: $0) }
    for tick in 0..<ticks {
      for (name, k) in zip(differenceColumns, indices) {
        let b = (0..<n).map { base[$0].rows[tick][k] }
        let p = (0..<n).map { policy[$0].rows[tick][k] }
        rows.append(
          DifferenceRow(
            tick: Int(first.rows[tick][0]), column: name,
            interval: ConfidenceInterval.paired(base: b, policy: p, level: level),
            replicates: n))
      }
    }
    return rows
  }

  /// One headline measure summarised over the replicates where both runs have it.
  public struct MeasureSummary: Sendable, Equatable {
    public var measure: String
    public var description: String
    public var baseMean: Double
    public var policyMean: Double
    /// The mean paired difference and its t interval.
    public var paired: MeanInterval
    /// Welch's interval of the same runs, ignoring the pairing.
    public var unpaired: MeanInterval
    /// The pairs summarised: those where the measure is available for both runs.
    public var replicates: Int

    /// 100 · difference / base mean; NaN when the base mean is 0.
    public var relativeEffectPercent: Double {
      baseMean != 0 ? 100 * paired.mean / baseMean : .nan
    }

    /// Paired width / unpaired width; NaN when the unpaired interval has width 0.
    public var widthRatio: Double {
      unpaired.width > 0 ? paired.width / unpaired.width : .nan
    }
  }

  /// The headline measures: base and policy means, the paired difference with its interval,
  /// and the unpaired interval for comparison.
  ///
  /// Each is over the pairs whose runs both have the measure; a measure no pair has gets NaN
  /// statistics (empty fields in summary.csv), never 0.
  public static func summary(base: [Run], policy: [Run], level: Double = 0.95)
    -> [MeasureSummary]
  {
    let n = min(base.count, policy.count)
    return RunMeasures.headline.enumerated().map { k, measure in
      let pairs = (0..<n).filter {
        !base[$0].measures[k].isNaN && !policy[$0].measures[k].isNaN
      }
      let b = pairs.map { base[$0].measures[k] }
      let p = pairs.map { policy[$0].measures[k] }
      return MeasureSummary(
        measure: measure.name, description: measure.definitionAndUnit,
        baseMean: ConfidenceInterval.meanAndVariance(b).mean,
        policyMean: ConfidenceInterval.meanAndVariance(p).mean,
        paired: ConfidenceInterval.paired(base: b, policy: p, level: level),
        unpaired: ConfidenceInterval.welch(base: b, policy: p, level: level),
        replicates: pairs.count)
    }
  }

  /// The median paired / unpaired width ratio over the measures that have one.
  public static func medianWidthRatio(_ summaries: [MeasureSummary]) -> Double {
    let ratios = summaries.map(\.widthRatio).filter { !$0.isNaN }.sorted()
    guard !ratios.isEmpty else { return .nan }
    let mid = ratios.count / 2
    return ratios.count % 2 == 1 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2
  }

  /// A scenario as the manifest records it.
  public struct Side: Sendable {
    /// The file given on the command line, if any.
    public var file: String?
    /// The `extends` chain, root first.
    public var chain: [String]
    /// The resolved configuration (its `seed` is the first seed).
    public var configuration: Configuration

    public init(file: String?, chain: [String], configuration: Configuration) {
      self.file = file
      self.chain = chain
      self.configuration = configuration
    }
  }

  /// What `write` put in the folder.
  public struct Written: Sendable {
    public var folder: URL
    public var files: [OutputFile]
    public var differences: [DifferenceRow]
    public var summary: [MeasureSummary]
  }

  /// Names of the files a comparison writes, in manifest order.
  public static let outputNames = [
    "difference.csv", "summary.csv", "replicates.csv",
  ]

  /// Writes `difference.csv`, `summary.csv`, `replicates.csv` and `manifest.json` into
  /// `destination`, atomically: the folder appears only when every file is complete.
  public static func write(
    base: Side, policy: Side, seeds: [UInt64], runs: (base: [Run], policy: [Run]),
    destination: URL, force: Bool, workers: Int, startedAt: Date
  ) throws -> Written {
    let folder = try RunFolder(destination: destination, force: force)
    do {
      let differences = Comparison.differences(base: runs.base, policy: runs.policy)
      let summary = Comparison.summary(base: runs.base, policy: runs.policy)
      var files: [OutputFile] = []

      var difference = try CSVBuffer(url: folder.url(for: "difference.csv"))
      difference.header(["tick", "column", "mean_difference", "ci_low", "ci_high", "replicates"])
      for row in differences {
        difference.field(row.tick)
        difference.field(row.column)
        difference.field(row.interval.mean)
        difference.field(row.interval.low)
        difference.field(row.interval.high)
        difference.field(row.replicates)
        difference.endRow()
      }
      files.append(try finish("difference.csv", &difference))

      var table = try CSVBuffer(url: folder.url(for: "summary.csv"))
      table.header([
        "measure", "base_mean", "policy_mean", "difference", "ci_low", "ci_high",
        "relative_effect_pct", "paired_ci_width", "unpaired_ci_width", "width_ratio",
        "replicates", "description",
      ])
      for s in summary {
        table.field(s.measure)
        table.field(s.baseMean)
        table.field(s.policyMean)
        table.field(s.paired.mean)
        table.field(s.paired.low)
        table.field(s.paired.high)
        table.field(s.relativeEffectPercent)
        table.field(s.paired.width)
        table.field(s.unpaired.width)
        table.field(s.widthRatio)
        table.field(s.replicates)
        table.field(s.description)
        table.endRow()
      }
      files.append(try finish("summary.csv", &table))

      var replicates = try CSVBuffer(url: folder.url(for: "replicates.csv"))
      replicates.header(["seed", "scenario"] + RunMeasures.headlineNames)
      for (side, list) in [("base", runs.base), ("policy", runs.policy)] {
        for run in list {
          replicates.field(Int(run.seed))
          replicates.field(side)
          for value in run.measures { replicates.field(value) }
          replicates.endRow()
        }
      }
      files.append(try finish("replicates.csv", &replicates))

      let manifest = manifestJSON(
        base: base, policy: policy, seeds: seeds, files: files, workers: workers,
        startedAt: startedAt)
      try FileSystem.writeAtomically(
        Array((manifest.serialized(pretty: true) + "\n").utf8),
        to: folder.url(for: "manifest.json"))
      try folder.commit()
      return Written(
        folder: destination, files: files, differences: differences, summary: summary)
    } catch {
      folder.discard()
      throw error
    }
  }

  private static func finish(_ name: String, _ buffer: inout CSVBuffer) throws -> OutputFile {
    let summary = try buffer.close()
    return OutputFile(
      name: name, rows: summary.rows, bytes: summary.bytes, sha256: summary.sha256)
  }

  /// The comparison's `manifest.json`: versions, both resolved configurations, the seeds, and
  /// every file's rows and SHA-256; wall time and host under `run`, which no checksum covers.
  static func manifestJSON(
    base: Side, policy: Side, seeds: [UInt64], files: [OutputFile], workers: Int,
    startedAt: Date
  ) -> JSONValue {
    func side(_ s: Side) -> JSONValue {
      var config = s.configuration
      if let first = seeds.first { config.seed = first }
      return .object([
        ("file", s.file.map(JSONValue.string) ?? .null),
        ("extends", .array(s.chain.dropLast().map(JSONValue.string))),
        ("configurationSHA256", .string(Manifest.configurationHash(config))),
        ("configuration", config.resolvedJSON()),
      ])
    }
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    let wall = Date().timeIntervalSince(startedAt)
    return .object([
      ("tool", .string("talentflow")),
      ("toolVersion", .string(TalentFlowVersion.tool)),
      ("modelSpecification", .string("MODEL.md v\(TalentFlowVersion.modelSpecification)")),
      ("modelVersion", .string(TalentFlowVersion.model)),
      ("command", .string("compare")),
      ("replicates", .number(Double(seeds.count))),
      ("seeds", .array(seeds.map { .number(Double($0)) })),
      ("ticks", .number(Double(base.configuration.time.ticks))),
      ("confidenceLevel", .number(0.95)),
      ("base", side(base)),
      ("policy", side(policy)),
      (
        "files",
        .array(files.map(\.json))
      ),
      (
        "run",
        .object([
          ("startedAt", .string(formatter.string(from: startedAt))),
          ("wallSeconds", .number((wall * 1000).rounded() / 1000)),
          ("workers", .number(Double(workers))),
          ("host", .string(ProcessInfo.processInfo.hostName)),
        ])
      ),
    ])
  }
}
