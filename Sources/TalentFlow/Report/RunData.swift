import Foundation

/// What a run report reads from a run folder (MODEL 6): the manifest, `timeseries.csv`,
/// `flows.csv` and, when the run wrote it, `firms.csv`.
public struct RunData: Sendable {
  /// The facts of the run, from `manifest.json`.
  public struct Facts: Sendable, Equatable {
    public var name: String
    public var description: String
    public var seed: String
    public var populationSize: String
    public var ticks: Int
    public var warmup: String
    public var ticksPerYear: Int
    public var modelVersion: String
    public var modelSpecification: String
    public var toolVersion: String
    public var configurationSHA256: String
    /// The data files the manifest lists.
    public var files: [ManifestFile]
  }

  /// A data file as the manifest lists it.
  public typealias ManifestFile = ManifestListing

  /// Big-tech RSU offers at one `firms.csv` snapshot (k$/year, MODEL 4.3).
  public struct RSUSnapshot: Sendable, Equatable {
    public var tick: Int
    public var mean: Double
    public var minimum: Double
    public var maximum: Double
  }

  public var folder: URL
  public var facts: Facts
  /// `timeseries.csv` as columns, in `Timeseries.columns` order, ticks 0…T.
  public var timeseries: [[Double]]
  /// Flows summed over the recorded ticks 1…T.
  public var cumulativeFlows: FlowTable
  /// Big-tech RSU offers per `firms.csv` snapshot; nil when the run wrote no `firms.csv`.
  public var rsu: [RSUSnapshot]?
  /// Disagreements between the files and the manifest (checksums, row counts), in words.
  public var problems: [String]

  /// A `timeseries.csv` column by name (every name of `Timeseries.columns` is present).
  public func column(_ name: String) -> [Double] {
    guard let k = Timeseries.columns.firstIndex(of: name) else { return [] }
    return timeseries[k]
  }

  /// The ticks of `timeseries.csv` (0…T).
  public var ticks: [Int] { column("tick").map { Int($0) } }

  /// The timeseries as `TickRecord`s, so measures are computed exactly as for in-memory runs.
  public var records: [TickRecord] {
    let rows = timeseries.first?.count ?? 0
    return (0..<rows).map { r in
      TickRecord(
        tick: Int(timeseries[0][r]), row: timeseries.map { $0[r] }, flows: FlowTable(), moves: [])
    }
  }

  /// Reads a run folder; throws a `ReportError` naming the file and what is wrong.
  public static func load(folder: URL) throws(ReportError) -> RunData {
    let facts = try readFacts(folder.appendingPathComponent("manifest.json"))
    let timeseries = try readTimeseries(folder.appendingPathComponent("timeseries.csv"))
    let flows = try readFlows(folder.appendingPathComponent("flows.csv"))
    let firmsURL = folder.appendingPathComponent("firms.csv")
    let rsu = FileManager.default.fileExists(atPath: firmsURL.path) ? try readRSU(firmsURL) : nil
    return RunData(
      folder: folder, facts: facts, timeseries: timeseries, cumulativeFlows: flows, rsu: rsu,
      problems: verify(folder: folder, facts: facts, rows: timeseries[0].count))
  }

  /// Checks the files the report reads against the manifest's checksums and the tick count,
  /// so a report of an edited or truncated folder says so.
  static func verify(folder: URL, facts: Facts, rows: Int) -> [String] {
    var problems = verifyChecksums(
      folder: folder, files: facts.files, names: ["timeseries.csv", "flows.csv", "firms.csv"])
    if facts.ticks > 0 && rows != facts.ticks + 1 {
      problems.append(
        "timeseries.csv has \(rows) rows of ticks; manifest.json says ticks 0…\(facts.ticks).")
    }
    return problems
  }

  /// Compares files with their SHA-256 in a manifest; a problem per missing, unlisted or
  /// different file among `names` (files absent and unlisted are fine).
  static func verifyChecksums(folder: URL, files: [ManifestFile], names: [String]) -> [String] {
    var problems: [String] = []
    for name in names {
      let url = folder.appendingPathComponent(name)
      let exists = FileManager.default.fileExists(atPath: url.path)
      guard let listed = files.first(where: { $0.name == name }) else {
        if exists { problems.append("\(name) is not listed in manifest.json.") }
        continue
      }
      guard exists else {
        problems.append("manifest.json lists \(name), which is missing.")
        continue
      }
      if let expected = listed.sha256 {
        let actual = try? SHA256.hexDigest(ofFile: url)
        if actual != expected {
          problems.append(
            "\(name) does not match its SHA-256 in manifest.json (edited or damaged?).")
        }
      }
    }
    return problems
  }

  // MARK: Files

  static func readFacts(_ url: URL) throws(ReportError) -> Facts {
    let manifest = try ManifestReader<ReportError>(url) { _ in "the top level must be an object" }
    let json = manifest.json
    let config = json["configuration"]
    let text = ManifestReader<ReportError>.text
    let ticksPerYear = try manifest.positiveInteger(
      config?["time"]?["ticksPerYear"], "configuration.time.ticksPerYear")
    let ticks = json["ticks"]?.intValue ?? config?["time"]?["ticks"]?.intValue ?? 0
    return Facts(
      name: text(config?["name"]) ?? "(unnamed)",
      description: text(config?["description"]) ?? "",
      seed: text(json["seed"] ?? config?["seed"]) ?? "?",
      populationSize: config?["population"]?["size"]?.doubleValue.map {
        NumberFormat.number($0)
      } ?? "?",
      ticks: ticks,
      warmup: text(json["warmup"] ?? config?["time"]?["warmup"]) ?? "?",
      ticksPerYear: ticksPerYear,
      modelVersion: text(json["modelVersion"]) ?? "?",
      modelSpecification: text(json["modelSpecification"]) ?? "?",
      toolVersion: text(json["toolVersion"]) ?? "?",
      configurationSHA256: text(json["configurationSHA256"]) ?? "?",
      files: manifest.listedFiles)
  }

  static func readTimeseries(_ url: URL) throws(ReportError) -> [[Double]] {
    let csv = try CSVReader(url: url)
    var indices: [Int] = []
    for name in Timeseries.columns { indices.append(try csv.column(name)) }
    var columns = [[Double]](repeating: [], count: Timeseries.columns.count)
    var previousTick = -1.0
    try csv.forEachRow { (line, fields) throws(ReportError) in
      for (k, index) in indices.enumerated() {
        columns[k].append(try csv.number(fields[index], line: line, column: index))
      }
      let tick = columns[0][columns[0].count - 1]
      guard tick.isFinite, tick == tick.rounded(), tick > previousTick else {
        throw ReportError(
          file: url.path,
          message: "line \(line), column tick: ticks must be whole numbers in increasing order, "
            + "got \(fields[indices[0]]) after \(NumberFormat.number(previousTick))")
      }
      previousTick = tick
    }
    guard !columns[0].isEmpty else {
      throw ReportError(file: url.path, message: "has a header but no rows")
    }
    return columns
  }

  static func readFlows(_ url: URL) throws(ReportError) -> FlowTable {
    let csv = try CSVReader(url: url)
    let tickColumn = try csv.column("tick")
    let fromColumn = try csv.column("from")
    let toColumn = try csv.column("to")
    let reasonColumn = try csv.column("reason")
    let countColumn = try csv.column("count")
    var table = FlowTable()
    try csv.forEachRow { (line, fields) throws(ReportError) in
      func sector(_ column: Int) throws(ReportError) -> Sector {
        let name = fields[column]
        guard let sector = Sector.allCases.first(where: { $0.name == name }) else {
          let allowed = Sector.allCases.map(\.name).joined(separator: ", ")
          throw ReportError(
            file: url.path,
            message:
              "line \(line), column \(csv.header[column]): \"\(name)\" is not one of \(allowed)")
        }
        return sector
      }
      let tick = try csv.number(fields[tickColumn], line: line, column: tickColumn)
      let from = try sector(fromColumn)
      let to = try sector(toColumn)
      let reasonName = fields[reasonColumn]
      guard let reason = FlowReason.allCases.first(where: { $0.name == reasonName }) else {
        let allowed = FlowReason.allCases.map(\.name).joined(separator: ", ")
        throw ReportError(
          file: url.path,
          message: "line \(line), column reason: \"\(reasonName)\" is not one of \(allowed)")
      }
      guard let count = Int(fields[countColumn]), count >= 0 else {
        throw ReportError(
          file: url.path,
          message:
            "line \(line), column count: expected a whole number ≥ 0, got \"\(fields[countColumn])\""
        )
      }
      if tick >= 1 { table[from, to, reason] += count }
    }
    return table
  }

  static func readRSU(_ url: URL) throws(ReportError) -> [RSUSnapshot] {
    let csv = try CSVReader(url: url)
    let tickColumn = try csv.column("tick")
    let typeColumn = try csv.column("type")
    let aliveColumn = try csv.column("alive")
    let offerColumn = try csv.column("equity_offer")
    var snapshots: [RSUSnapshot] = []
    var sums: [Double] = []
    var counts: [Int] = []
    try csv.forEachRow { (line, fields) throws(ReportError) in
      guard fields[typeColumn] == "bigtech", fields[aliveColumn] == "true" else { return }
      let tick = try csv.number(fields[tickColumn], line: line, column: tickColumn)
      let offer = try csv.number(fields[offerColumn], line: line, column: offerColumn)
      guard tick.isFinite, offer.isFinite else { return }
      if let last = snapshots.last, last.tick == Int(tick) {
        let k = snapshots.count - 1
        sums[k] += offer
        counts[k] += 1
        snapshots[k].minimum = min(last.minimum, offer)
        snapshots[k].maximum = max(last.maximum, offer)
      } else {
        guard snapshots.last.map({ $0.tick < Int(tick) }) ?? true else {
          throw ReportError(
            file: url.path, message: "line \(line), column tick: ticks must not decrease")
        }
        snapshots.append(RSUSnapshot(tick: Int(tick), mean: offer, minimum: offer, maximum: offer))
        sums.append(offer)
        counts.append(1)
      }
    }
    for k in snapshots.indices { snapshots[k].mean = sums[k] / Double(counts[k]) }
    return snapshots
  }
}
