import Foundation

/// What a sweep report reads from a sweep folder: the manifest, `design.csv`, `runs.csv` and the
/// chosen columns of `summary.csv`.
public struct SweepData: Sendable {
  /// The facts of the sweep, from its `manifest.json`.
  /// The manifest's facts: those every plan folder has (`PlanFacts`, read through `facts.name`
  /// and the like), the swept keys and the ticks per year.
  @dynamicMemberLookup
  public struct Facts: Sendable, Equatable {
    public var plan: PlanFacts
    public var parameters: [String]
    public var ticksPerYear: Int

    public subscript<T>(dynamicMember keyPath: KeyPath<PlanFacts, T>) -> T {
      plan[keyPath: keyPath]
    }
  }

  /// One design point: its number and its parameter values as `design.csv` writes them.
  public struct DesignPoint: Sendable, Equatable {
    public var number: Int
    public var values: [String]
  }

  /// A column of `summary.csv` for one design point: per tick, the mean and the 2.5–97.5% band.
  public struct Band: Sendable, Equatable {
    public var ticks: [Double] = []
    public var mean: [Double] = []
    public var q025: [Double] = []
    public var q975: [Double] = []
  }

  /// The timeseries columns a sweep report charts unless told otherwise.
  public static let defaultSeries = [
    "employed_startup", "moves_bigtech_to_startup", "firms_startup", "unemployed",
  ]

  public var folder: URL
  public var facts: Facts
  /// Design points in `design.csv` order.
  public var design: [DesignPoint]
  /// The measure columns of `runs.csv`, those after the swept keys: `RunMeasures.headlineNames`
  /// for a sweep of this version, whatever measures an older sweep wrote.
  public var measureNames: [String]
  /// Measures from `runs.csv`: `[point][measure]` → the values of its replicates (NaN where a
  /// run's measure is unavailable), measures in `measureNames` order.
  public var measures: [[[Double]]]
  /// The charted `summary.csv` columns.
  public var series: [String]
  /// `[series][point]`: each charted column of each design point.
  public var bands: [[Band]]
  /// Disagreements between the files and the manifest, in words.
  public var problems: [String]

  /// Reads a sweep folder, charting `series` (timeseries column names).
  public static func load(folder: URL, series: [String] = defaultSeries) throws(ReportError)
    -> SweepData
  {
    let manifestURL = folder.appendingPathComponent("manifest.json")
    let facts = try readFacts(manifestURL)
    let design = try readDesign(folder.appendingPathComponent("design.csv"), facts: facts)
    var pointIndex: [Int: Int] = [:]
    for (k, point) in design.enumerated() { pointIndex[point.number] = k }
    let (measureNames, measures) = try readRuns(
      folder.appendingPathComponent("runs.csv"), parameters: facts.parameters,
      points: pointIndex, count: design.count)
    let bands = try readSummary(
      folder.appendingPathComponent("summary.csv"), series: series, points: pointIndex,
      count: design.count)
    let tables =
      ["design.csv", "runs.csv", "summary.csv"] + (facts.failedRuns > 0 ? ["failures.csv"] : [])
    var problems = RunData.verifyChecksums(folder: folder, files: facts.files, names: tables)
    if facts.designPoints != design.count {
      problems.append(
        "design.csv has \(design.count) design points; manifest.json says \(facts.designPoints).")
    }
    let runCount = measures.reduce(0) { $0 + ($1.first?.count ?? 0) }
    if facts.runs - facts.failedRuns != runCount {
      let failed = facts.failedRuns > 0 ? " of which \(facts.failedRuns) failed" : ""
      problems.append(
        "runs.csv has \(runCount) runs; manifest.json says \(facts.runs)\(failed).")
    }
    return SweepData(
      folder: folder, facts: facts, design: design, measureNames: measureNames,
      measures: measures, series: series, bands: bands, problems: problems)
  }

  static func readFacts(_ url: URL) throws(ReportError) -> Facts {
    let manifest = try ManifestReader<ReportError>(url)
    let json = manifest.json
    let config = json["configuration"]
    let ticksPerYear = try manifest.positiveInteger(
      config?["time"]?["ticksPerYear"], "configuration.time.ticksPerYear")
    return Facts(
      plan: PlanFacts.read(manifest, unnamed: "(unnamed sweep)"),
      parameters: (json["parameters"]?.arrayValue ?? []).compactMap(\.stringValue),
      ticksPerYear: ticksPerYear)
  }

  static func readDesign(_ url: URL, facts: Facts) throws(ReportError) -> [DesignPoint] {
    let csv = try CSVReader(url: url)
    guard csv.header.first == "point" else {
      throw ReportError(
        file: url.path,
        message: "the first column must be point, got \(csv.header.first ?? "nothing")")
    }
    var points: [DesignPoint] = []
    var seen: Set<Int> = []
    try csv.forEachRow { (line, fields) throws(ReportError) in
      guard let number = Int(fields[0]), number >= 1, !seen.contains(number) else {
        throw ReportError(
          file: url.path,
          message: "line \(line), column point: expected a new design point number ≥ 1, "
            + "got \"\(fields[0])\"")
      }
      seen.insert(number)
      points.append(DesignPoint(number: number, values: fields.dropFirst().map(String.init)))
    }
    guard !points.isEmpty else {
      throw ReportError(file: url.path, message: "has a header but no design points")
    }
    return points
  }

  /// The measure columns of `runs.csv` (after `run,point,replicate,seed` and the swept keys)
  /// and their values by design point.
  static func readRuns(_ url: URL, parameters: [String], points: [Int: Int], count: Int)
    throws(ReportError) -> (names: [String], measures: [[[Double]]])
  {
    let csv = try CSVReader(url: url)
    let leading = ["run", "point", "replicate", "seed"] + parameters
    guard Array(csv.header.prefix(leading.count)) == leading else {
      throw ReportError(
        file: url.path,
        message: "the header must begin with \(leading.joined(separator: ",")), got "
          + csv.header.prefix(leading.count).joined(separator: ","))
    }
    let pointColumn = try csv.column("point")
    let measureColumns = Array(csv.header.indices.dropFirst(leading.count))
    var measures = [[[Double]]](
      repeating: [[Double]](repeating: [], count: measureColumns.count), count: count)
    try csv.forEachRow { (line, fields) throws(ReportError) in
      guard let number = Int(fields[pointColumn]), let k = points[number] else {
        throw ReportError(
          file: url.path,
          message: "line \(line), column point: \"\(fields[pointColumn])\" is not a design "
            + "point of design.csv")
      }
      for (m, column) in measureColumns.enumerated() {
        measures[k][m].append(try csv.number(fields[column], line: line, column: column))
      }
    }
    return (measureColumns.map { csv.header[$0] }, measures)
  }

  static func readSummary(_ url: URL, series: [String], points: [Int: Int], count: Int)
    throws(ReportError) -> [[Band]]
  {
    let csv = try CSVReader(url: url)
    let pointColumn = try csv.column("point")
    let tickColumn = try csv.column("tick")
    let nameColumn = try csv.column("column")
    let meanColumn = try csv.column("mean")
    let lowColumn = try csv.column("q025")
    let highColumn = try csv.column("q975")
    var seriesIndex: [String: Int] = [:]
    for (k, name) in series.enumerated() { seriesIndex[name] = k }
    var bands = [[Band]](repeating: [Band](repeating: Band(), count: count), count: series.count)
    var available: [String] = []
    var known: Set<String> = []
    try csv.forEachRow { (line, fields) throws(ReportError) in
      let name = String(fields[nameColumn])
      if !known.contains(name) {
        known.insert(name)
        available.append(name)
      }
      guard let s = seriesIndex[name] else { return }
      guard let number = Int(fields[pointColumn]), let p = points[number] else {
        throw ReportError(
          file: url.path,
          message: "line \(line), column point: \"\(fields[pointColumn])\" is not a design "
            + "point of design.csv")
      }
      bands[s][p].ticks.append(try csv.number(fields[tickColumn], line: line, column: tickColumn))
      bands[s][p].mean.append(try csv.number(fields[meanColumn], line: line, column: meanColumn))
      bands[s][p].q025.append(try csv.number(fields[lowColumn], line: line, column: lowColumn))
      bands[s][p].q975.append(try csv.number(fields[highColumn], line: line, column: highColumn))
    }
    for name in series where !known.contains(name) {
      throw ReportError(
        file: url.path,
        message: "has no rows for column \(name) (it has \(available.joined(separator: ", ")))")
    }
    return bands
  }
}
