import Foundation

/// Builds an industry-trend dataset: every scenario × every replicate, summarised into tidy
/// tables and described by a Frictionless Data Package (v1).
public enum Dataset {
  /// The stocks and rates summarised per scenario and tick in `stocks_monthly.csv`.
  static let measures: [(name: String, description: String, unit: String)] = [
    ("professionals", "Professionals in the population at the end of the tick", "people"),
    ("employed_bigtech", "Professionals employed by big-tech firms", "people"),
    ("employed_startup", "Professionals employed by startups", "people"),
    ("unemployed", "Professionals without a job", "people"),
    ("startup_share", "Startups' share of employment", "fraction"),
    ("unemployment_rate", "Unemployed as a share of professionals", "fraction"),
    ("voluntary_move_rate", "Voluntary job-to-job moves in the tick per employed professional", "fraction per month"),
    ("moves_bigtech_to_startup", "Voluntary big-tech → startup moves in the tick", "people per month"),
    ("moves_startup_to_bigtech", "Voluntary startup → big-tech moves in the tick", "people per month"),
    ("firms_startup", "Living startups", "firms"),
    ("foundings", "Startups founded in the tick", "firms per month"),
    ("startups_failed", "Startups that failed or closed in the tick", "firms per month"),
    ("mean_equity_offer", "Mean equity offer of living startups, as a fraction of the company", "fraction"),
    ("mean_wage_bigtech", "Mean monthly wage of big-tech employees", "k$ per month"),
    ("mean_wage_startup", "Mean monthly wage of startup employees", "k$ per month"),
    ("funding_climate", "Funding climate F (1 = neutral)", "index"),
  ]

  /// The value of a `stocks_monthly` measure in one tick's record.
  static func measure(_ name: String, _ r: TickRecord) -> Double {
    let employed = r["employed_bigtech"] + r["employed_startup"]
    switch name {
    case "startup_share": return employed > 0 ? r["employed_startup"] / employed : 0
    case "unemployment_rate":
      return r["professionals"] > 0 ? r["unemployed"] / r["professionals"] : 0
    case "voluntary_move_rate":
      let moves =
        r["moves_bigtech_to_startup"] + r["moves_startup_to_bigtech"]
        + r["moves_startup_to_startup"] + r["moves_bigtech_to_bigtech"]
      return employed > 0 ? moves / employed : 0
    default: return r[name]
    }
  }

  /// Runs every scenario on every seed and writes the dataset into `destination` atomically.
  @discardableResult
  public static func build(
    _ spec: DatasetSpecification, destination: URL, workers: Int, force: Bool,
    progress: ((_ done: Int, _ total: Int) -> Void)? = nil
  ) throws -> [OutputFile] {
    // Refuse a destination that cannot be written before the runs, not after.
    try RunFolder.checkDestination(destination, force: force)
    let runs = spec.scenarios.flatMap { scenario in
      spec.seeds.map { seed -> Configuration in
        var config = scenario.config
        config.seed = seed
        return config
      }
    }
    let done = Counter()
    let outcomes = Parallel(threads: workers).map(runs.count) { k in
      let records = Result { () throws(SimulationError) in
        try Runner.records(config: runs[k], threads: 1)
      }
      progress?(done.increment(), runs.count)
      return records
    }
    // The first failed run in the specification's order, whatever the number of workers.
    let results = try outcomes.indices.map { k throws(SimulationError) in
      do throws(SimulationError) {
        return try outcomes[k].get()
      } catch {
        var named = error
        named.run = "scenario \(spec.scenarios[k / spec.seeds.count].path), seed \(runs[k].seed)"
        throw named
      }
    }
    let folder = try RunFolder(destination: destination, force: force)
    do {
      var files: [OutputFile] = []
      files.append(try writeFlows(spec, results, folder))
      files.append(try writeStocks(spec, results, folder))
      files.append(try writeScenarios(spec, folder))
      let package = dataPackage(spec, files)
      try FileSystem.writeAtomically(
        Array((package.serialized(pretty: true) + "\n").utf8),
        to: folder.url(for: "datapackage.json"))
      try FileSystem.writeAtomically(
        Array(readme(spec, files).utf8), to: folder.url(for: "README.md"))
      try folder.commit()
      return files
    } catch {
      folder.discard()
      throw error
    }
  }

  private static func finish(_ name: String, _ buffer: inout CSVBuffer) throws -> OutputFile {
    let summary = try buffer.close()
    return OutputFile(name: name, rows: summary.rows, bytes: summary.bytes, sha256: summary.sha256)
  }

  /// `flows_yearly.csv`: every non-zero flow summed by scenario, replicate, year and kind.
  static func writeFlows(
    _ spec: DatasetSpecification, _ results: [[TickRecord]], _ folder: RunFolder
  ) throws -> OutputFile {
    var out = try CSVBuffer(url: folder.url(for: "flows_yearly.csv"))
    out.header(["scenario", "replicate", "seed", "year", "from", "to", "reason", "count"])
    for (s, scenario) in spec.scenarios.enumerated() {
      let ticksPerYear = scenario.config.time.ticksPerYear
      for (r, seed) in spec.seeds.enumerated() {
        let records = results[s * spec.seeds.count + r]
        var year = 1
        var total = FlowTable()
        func emit() {
          for row in total.nonZero {
            out.field(scenario.config.name)
            out.field(r + 1)
            out.field(Int(seed))
            out.field(year)
            out.field(row.from.name)
            out.field(row.to.name)
            out.field(row.reason.name)
            out.field(row.count)
            out.endRow()
          }
        }
        for record in records.dropFirst() {
          let y = (record.tick + ticksPerYear - 1) / ticksPerYear
          if y != year {
            emit()
            year = y
            total = FlowTable()
          }
          for row in record.flows.nonZero {
            total.add(row.from, row.to, row.reason, row.count)
          }
        }
        if records.count > 1 { emit() }
      }
    }
    return try finish("flows_yearly.csv", &out)
  }

  /// `stocks_monthly.csv`: per scenario and tick, each measure's mean and 2.5% / 97.5% quantiles.
  static func writeStocks(
    _ spec: DatasetSpecification, _ results: [[TickRecord]], _ folder: RunFolder
  ) throws -> OutputFile {
    var out = try CSVBuffer(url: folder.url(for: "stocks_monthly.csv"))
    var header = ["scenario", "tick", "year", "replicates"]
    for m in measures { header += ["\(m.name)_mean", "\(m.name)_q025", "\(m.name)_q975"] }
    out.header(header)
    for (s, scenario) in spec.scenarios.enumerated() {
      let runs = (0..<spec.seeds.count).map { results[s * spec.seeds.count + $0] }
      let ticksPerYear = scenario.config.time.ticksPerYear
      for t in 0...spec.ticks {
        out.field(scenario.config.name)
        out.field(t)
        out.field(t <= 0 ? 0 : (t + ticksPerYear - 1) / ticksPerYear)
        out.field(runs.count)
        for m in measures {
          let values = runs.map { measure(m.name, $0[t]) }
          out.field(Statistics.mean(values))
          out.field(Statistics.quantile(values, 0.025))
          out.field(Statistics.quantile(values, 0.975))
        }
        out.endRow()
      }
    }
    return try finish("stocks_monthly.csv", &out)
  }

  /// `scenarios.csv`: one row per scenario with the settings that differ from the reference.
  static func writeScenarios(_ spec: DatasetSpecification, _ folder: RunFolder) throws
    -> OutputFile
  {
    var out = try CSVBuffer(url: folder.url(for: "scenarios.csv"))
    out.header(["scenario", "file", "description", "differences", "events"])
    for scenario in spec.scenarios {
      out.field(scenario.config.name)
      out.field(scenario.path)
      out.field(scenario.config.description)
      out.field(differences(scenario.config, from: spec.reference).joined(separator: "; "))
      out.field(JSONValue.array(scenario.config.events.map(\.json)).serialized(pretty: false))
      out.endRow()
    }
    return try finish("scenarios.csv", &out)
  }

  /// `key=value` for every model key whose value differs (name, description, seed left out).
  static func differences(_ config: Configuration, from reference: Configuration) -> [String] {
    ConfigurationKeys.all.compactMap { key in
      if ["name", "description", "seed"].contains(key.path) { return nil }
      let value = key.value(in: config)
      return value == key.value(in: reference)
        ? nil : "\(key.path)=\(value.serialized(pretty: false))"
    }
  }

  /// A thread-safe counter for progress reports.
  final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int {
      lock.lock()
      defer { lock.unlock() }
      value += 1
      return value
    }
  }
}
