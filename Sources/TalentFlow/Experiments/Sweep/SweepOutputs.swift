import Foundation

/// The summary statistics of `summary.csv` over the replicates of a design point.
///
/// They are `Statistics`' (shared with datasets): the mean; the sample standard deviation,
/// √(Σ(x − mean)² / (n − 1)), 0 for a single replicate; and quantiles of type 7 of Hyndman &
/// Fan (1996), R's and NumPy's default: with the values sorted ascending as x[0] ≤ … ≤ x[n−1]
/// and h = (n − 1)·p, the p-quantile is x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]). A value that
/// is not a finite number (an empty field in a timeseries) makes every statistic of its cell
/// empty.
public enum SweepStatistics {
  /// The probabilities of the two quantiles in `summary.csv`.
  public static let quantiles = (lower: 0.025, upper: 0.975)

  /// Mean, standard deviation and the 2.5% and 97.5% quantiles (NaN when a value is not finite).
  public static func summarize(_ values: [Double]) -> (
    mean: Double, sd: Double, lower: Double, upper: Double
  ) {
    guard !values.isEmpty, values.allSatisfy(\.isFinite) else { return (.nan, .nan, .nan, .nan) }
    return (
      Statistics.mean(values), Statistics.standardDeviation(values),
      Statistics.quantile(values, quantiles.lower), Statistics.quantile(values, quantiles.upper)
    )
  }
}

/// A run's recorded ticks as stored in its result file: `timeseries.csv`'s bytes.
enum SweepResult {
  /// The header line of a result file.
  static let header = Timeseries.columns.joined(separator: ",")

  /// Writes a run's records as a result file, atomically.
  static func write(_ records: [TickRecord], to url: URL) throws(SweepError) {
    var csv = try AtomicCSV(url)
    csv.buffer.header(Timeseries.columns)
    for record in records {
      for value in record.row { csv.buffer.field(value) }
      csv.buffer.endRow()
    }
    _ = try csv.commit(name: url.lastPathComponent)
  }

  /// Parses a result file back into records (ticks 0…T; empty fields become NaN).
  ///
  /// Numbers were written in their shortest round-trip form, so they read back exactly.
  static func parse(_ bytes: [UInt8], path: String, ticks: Int) throws(SweepError) -> [TickRecord] {
    func damaged(_ why: String) -> SweepError {
      SweepError(
        .badInput,
        "\(path) is damaged (\(why)); delete it and run the sweep again with --resume to "
          + "redo the run"
      )
    }
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    guard lines.last?.isEmpty == true else { throw damaged("it does not end with a newline") }
    lines.removeLast()
    guard let first = lines.first, String(decoding: first, as: UTF8.self) == header else {
      throw damaged("its header is not the timeseries header")
    }
    guard lines.count == ticks + 2 else {
      throw damaged("\(lines.count - 1) rows, expected \(ticks + 1)")
    }
    let columns = Timeseries.columns.count
    var records: [TickRecord] = []
    records.reserveCapacity(ticks + 1)
    for (number, line) in lines.dropFirst().enumerated() {
      var row: [Double] = []
      row.reserveCapacity(columns)
      for field in line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
        if field.isEmpty {
          row.append(.nan)
        } else if let x = Double(String(decoding: field, as: UTF8.self)) {
          row.append(x)
        } else {
          throw damaged("row \(number + 1) holds a field that is not a number")
        }
      }
      guard row.count == columns, row[0] == Double(number) else {
        throw damaged("row \(number + 1) is not tick \(number) with \(columns) fields")
      }
      records.append(TickRecord(tick: number, row: row, flows: FlowTable(), moves: []))
    }
    return records
  }
}

/// Writes a finished sweep's tables and manifest from its plan and its runs' results.
///
/// Failed runs are left out of `runs.csv`, and design points with a failed run out of
/// `summary.csv` (a point's statistics are over all its replicates or not given at all);
/// `failures.csv`, written only when runs failed, lists them. A sweep without failures writes
/// the same bytes as before failures were recorded.
enum SweepTables {
  /// The tables a sweep can write, in the order they are written.
  static let tableNames = [
    "design.csv", "runs.csv", "summary.csv", "failures.csv", "indices.csv", "S2.csv",
  ]

  /// The timeseries columns `summary.csv` summarises: all but the tick and the year.
  static let summarisedColumns = Array(
    Timeseries.columns.enumerated().filter { $0.element != "tick" && $0.element != "year" })

  /// Writes `design.csv`, `runs.csv`, `summary.csv`, `failures.csv` when runs failed, and,
  /// last, `manifest.json` into `folder`; returns the failed runs in run order.
  ///
  /// `result` says what became of a run; per-run folders of finished runs, when kept, must
  /// already be in `folder/runs/`. Each file appears under its name only when complete, and the
  /// manifest only when every other file is in place.
  @discardableResult
  static func write(
    plan: SweepPlan, into folder: URL,
    result: (SweepRun) throws(SweepError) -> SweepRunResult
  ) throws(SweepError) -> [SweepFailure] {
    if let analysis = plan.analysis {
      return try SensitivityTables.write(
        plan: plan, analysis: analysis, into: folder, result: result)
    }
    var files: [OutputFile] = []
    var failures: [SweepFailure] = []
    files.append(try writeDesign(plan: plan, into: folder))

    var runs = try AtomicCSV(folder.appendingPathComponent("runs.csv"))
    runs.buffer.header(
      ["run", "point", "replicate", "seed"] + plan.parameters + RunMeasures.headlineNames)
    var summary = try AtomicCSV(folder.appendingPathComponent("summary.csv"))
    summary.buffer.header(["point", "tick", "column", "mean", "sd", "q025", "q975"])

    var runFiles: [OutputFile] = []
    for point in 1...plan.points.count {
      let config: Configuration
      do {
        config = try plan.configuration(point: point)
      } catch {
        throw SweepError(.badInput, error.description)
      }
      var tables: [[TickRecord]] = []
      for replicate in 1...plan.seeds.count {
        let run = plan.run((point - 1) * plan.seeds.count + replicate - 1)
        let bytes: [UInt8]
        let path: String
        switch try result(run) {
        case .failed(let message):
          failures.append(SweepFailure(run: run, message: message))
          continue
        case .finished(let b, let p):
          (bytes, path) = (b, p)
        }
        let records = try SweepResult.parse(bytes, path: path, ticks: config.time.ticks)
        tables.append(records)
        runs.buffer.field(run.id)
        runs.buffer.field(run.point)
        runs.buffer.field(run.replicate)
        runs.buffer.field(Int(run.seed))
        for value in plan.points[point - 1] { field(value, into: &runs.buffer) }
        // The library's headline measures, so runs.csv agrees with `talentflow measures` on the
        // run's folder; an unavailable one is an empty field.
        let measured = MeasuredRun(records: records, config: config)
        for value in RunMeasures.headlineValues(of: measured) { runs.buffer.field(value) }
        runs.buffer.endRow()
        if plan.keep != .none {
          runFiles += try keptFiles(of: run, config: config, plan: plan, folder: folder)
        }
      }
      guard tables.count == plan.seeds.count else { continue }
      var values = [Double](repeating: 0, count: plan.seeds.count)
      for tick in 0...config.time.ticks {
        for (k, column) in summarisedColumns {
          for r in tables.indices { values[r] = tables[r][tick].row[k] }
          let s = SweepStatistics.summarize(values)
          summary.buffer.field(point)
          summary.buffer.field(tick)
          summary.buffer.field(column)
          summary.buffer.field(s.mean)
          summary.buffer.field(s.sd)
          summary.buffer.field(s.lower)
          summary.buffer.field(s.upper)
          summary.buffer.endRow()
        }
      }
    }
    files.append(try runs.commit(name: "runs.csv"))
    files.append(try summary.commit(name: "summary.csv"))
    let failuresURL = folder.appendingPathComponent("failures.csv")
    if failures.isEmpty {
      try? FileManager.default.removeItem(at: failuresURL)
    } else {
      files.append(try writeFailures(failures, plan: plan, to: failuresURL))
    }
    files += runFiles
    let manifest = manifestJSON(plan: plan, files: files, failed: failures.count)
    try SweepFiles.writeAtomically(
      Array((manifest.serialized(pretty: true) + "\n").utf8),
      to: folder.appendingPathComponent("manifest.json"))
    return failures
  }

  /// `failures.csv`: one row per failed run, with `runs.csv`'s leading columns and the message.
  static func writeFailures(_ failures: [SweepFailure], plan: SweepPlan, to url: URL)
    throws(SweepError) -> OutputFile
  {
    var csv = try AtomicCSV(url)
    csv.buffer.header(["run", "point", "replicate", "seed"] + plan.parameters + ["message"])
    for failure in failures {
      let run = failure.run
      csv.buffer.field(run.id)
      csv.buffer.field(run.point)
      csv.buffer.field(run.replicate)
      csv.buffer.field(Int(run.seed))
      for value in plan.points[run.point - 1] { field(value, into: &csv.buffer) }
      csv.buffer.field(failure.message)
      csv.buffer.endRow()
    }
    return try csv.commit(name: "failures.csv")
  }

  /// `design.csv`: one row per design point and its parameter values.
  static func writeDesign(plan: SweepPlan, into folder: URL) throws(SweepError)
    -> OutputFile
  {
    var design = try AtomicCSV(folder.appendingPathComponent("design.csv"))
    design.buffer.header(["point"] + plan.parameters)
    for (index, values) in plan.points.enumerated() {
      design.buffer.field(index + 1)
      for value in values { field(value, into: &design.buffer) }
      design.buffer.endRow()
    }
    return try design.commit(name: "design.csv")
  }

  /// The configuration a run's folder is written with: `keep: timeseries` turns the optional
  /// outputs off.
  static func runConfiguration(_ config: Configuration, keep: SweepKeep) -> Configuration {
    var config = config
    if keep == .timeseries {
      config.output.firmsEvery = 0
      config.output.agents = .none
      config.output.moves = false
    }
    return config
  }

  /// The manifest entries of a kept run folder's data files (its own manifest records wall time
  /// and host, so the sweep's manifest does not list it).
  private static func keptFiles(
    of run: SweepRun, config: Configuration, plan: SweepPlan, folder: URL
  ) throws(SweepError) -> [OutputFile] {
    var runConfig = runConfiguration(config, keep: plan.keep)
    runConfig.seed = run.seed
    let runFolder = folder.appendingPathComponent("runs").appendingPathComponent(run.id)
    var entries: [OutputFile] = []
    for name in RunOutput.names(for: runConfig) {
      let url = runFolder.appendingPathComponent(name)
      guard FileSystem.exists(url) else {
        throw SweepError(.badInput, "\(url.path) is missing; the run folder is incomplete")
      }
      entries.append(try SweepFiles.summary(of: url, name: "runs/\(run.id)/\(name)"))
    }
    return entries
  }

  /// Writes a parameter value: numbers and text as themselves, lists as compact JSON.
  static func field(_ value: JSONValue, into buffer: inout CSVBuffer) {
    switch value {
    case .number(let x): buffer.field(x)
    case .string(let s): buffer.field(s)
    case .bool(let b): buffer.field(b ? "true" : "false")
    case .null: buffer.emptyField()
    case .array, .object: buffer.field(value.serialized(pretty: false))
    }
  }

  /// The sweep's `manifest.json`: versions, the plan's identity and every file's SHA-256.
  ///
  /// Nothing in it depends on the machine, the time or how the runs were split, so it is
  /// byte-identical between a sweep run on one worker and the same sweep merged from shards.
  /// `failedRuns` appears only when runs failed, so a sweep without failures keeps its bytes.
  static func manifestJSON(plan: SweepPlan, files: [OutputFile], failed: Int) -> JSONValue {
    let manifest = JSONValue.object([
      ("tool", .string("talentflow")),
      ("toolVersion", .string(TalentFlowVersion.tool)),
      ("modelSpecification", .string("MODEL.md v\(TalentFlowVersion.modelSpecification)")),
      ("modelVersion", .string(TalentFlowVersion.model)),
      ("kind", .string("sweep")),
      ("name", .string(plan.name)),
      ("sweepSHA256", .string(plan.fingerprint)),
      ("designPoints", .number(Double(plan.points.count))),
      ("replicates", .number(Double(plan.seeds.count))),
      ("runs", .number(Double(plan.runCount))),
      ("keep", .string(plan.keep.rawValue)),
      ("parameters", .array(plan.parameters.map(JSONValue.string))),
      ("seeds", .array(plan.seeds.map { .number(Double($0)) })),
      (
        "summaryStatistics",
        .string(
          "mean; sd with n − 1 (0 for one replicate); q025 and q975 are quantiles of type 7 "
            + "(Hyndman & Fan 1996)"
        )
      ),
      ("configuration", plan.base.resolvedJSON()),
      (
        "files",
        .array(files.map(\.json))
      ),
    ])
    guard failed > 0, case .object(var members) = manifest,
      let runs = members.firstIndex(where: { $0.key == "runs" })
    else { return manifest }
    members.insert((key: "failedRuns", value: .number(Double(failed))), at: runs + 1)
    return .object(members)
  }
}
