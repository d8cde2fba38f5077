import Foundation

/// What a comparison report reads from a `talentflow compare` folder: the manifest,
/// `summary.csv` and the chosen columns of `difference.csv`.
public struct ComparisonData: Sendable {
  /// One side of the comparison (the base or the policy), from the manifest.
  public struct Scenario: Sendable, Equatable {
    public var name: String
    public var description: String
    public var file: String
    public var configurationSHA256: String
  }

  /// The facts of the comparison, from its `manifest.json`.
  public struct Facts: Sendable, Equatable {
    public var base: Scenario
    public var policy: Scenario
    public var replicates: Int
    public var seeds: [String]
    public var ticks: Int
    public var ticksPerYear: Int
    public var confidenceLevel: Double
    public var populationSize: String
    public var modelVersion: String
    public var modelSpecification: String
    public var toolVersion: String
    public var files: [RunData.ManifestFile]
  }

  /// One headline measure of `summary.csv`.
  public struct Measure: Sendable, Equatable {
    public var name: String
    public var description: String
    public var baseMean: Double
    public var policyMean: Double
    public var difference: Double
    public var low: Double
    public var high: Double
    public var relativeEffect: Double
    public var pairedWidth: Double
    public var unpairedWidth: Double
    public var widthRatio: Double
  }

  /// Policy − base of one timeseries column over ticks: the mean and its interval.
  public struct Difference: Sendable, Equatable {
    public var ticks: [Double] = []
    public var mean: [Double] = []
    public var low: [Double] = []
    public var high: [Double] = []
  }

  /// The timeseries columns a comparison report charts unless told otherwise: employment,
  /// unemployment, living startups, the directed moves, foundings and failures.
  public static let defaultSeries = [
    "employed_startup", "employed_bigtech", "unemployed", "firms_startup",
    "moves_bigtech_to_startup", "moves_startup_to_bigtech", "foundings", "startups_failed",
  ]

  public var folder: URL
  public var facts: Facts
  public var measures: [Measure]
  /// The charted `difference.csv` columns.
  public var series: [String]
  /// One per charted column.
  public var differences: [Difference]
  /// Disagreements between the files and the manifest, in words.
  public var problems: [String]

  /// Reads a comparison folder, charting `series` (timeseries column names).
  public static func load(folder: URL, series: [String] = defaultSeries) throws(ReportError)
    -> ComparisonData
  {
    let facts = try readFacts(folder.appendingPathComponent("manifest.json"))
    let measures = try readSummary(folder.appendingPathComponent("summary.csv"))
    let differences = try readDifferences(
      folder.appendingPathComponent("difference.csv"), series: series)
    let problems = RunData.verifyChecksums(
      folder: folder, files: facts.files,
      names: ["difference.csv", "summary.csv", "replicates.csv"])
    return ComparisonData(
      folder: folder, facts: facts, measures: measures, series: series,
      differences: differences, problems: problems)
  }

  static func readFacts(_ url: URL) throws(ReportError) -> Facts {
    let manifest = try ManifestReader<ReportError>(url)
    let json = manifest.json
    let text = ManifestReader<ReportError>.text
    func scenario(_ key: String) throws(ReportError) -> Scenario {
      guard let side = json[key], side.objectValue != nil else {
        throw ReportError(file: url.path, message: "\(key) must be an object (missing)")
      }
      return Scenario(
        name: text(side["configuration"]?["name"]) ?? key,
        description: text(side["configuration"]?["description"]) ?? "",
        file: text(side["file"]) ?? "(built-in)",
        configurationSHA256: text(side["configurationSHA256"]) ?? "?")
    }
    let base = try scenario("base")
    let policy = try scenario("policy")
    let time = json["base"]?["configuration"]?["time"]
    let ticksPerYear = try manifest.positiveInteger(
      time?["ticksPerYear"], "base.configuration.time.ticksPerYear")
    return Facts(
      base: base, policy: policy, replicates: json["replicates"]?.intValue ?? 0,
      seeds: (json["seeds"]?.arrayValue ?? []).compactMap { text($0) },
      ticks: json["ticks"]?.intValue ?? time?["ticks"]?.intValue ?? 0,
      ticksPerYear: ticksPerYear,
      confidenceLevel: json["confidenceLevel"]?.doubleValue ?? 0.95,
      populationSize: json["base"]?["configuration"]?["population"]?["size"]?.doubleValue.map {
        NumberFormat.number($0)
      } ?? "?",
      modelVersion: text(json["modelVersion"]) ?? "?",
      modelSpecification: text(json["modelSpecification"]) ?? "?",
      toolVersion: text(json["toolVersion"]) ?? "?", files: manifest.listedFiles)
  }

  static func readSummary(_ url: URL) throws(ReportError) -> [Measure] {
    let csv = try CSVReader(url: url)
    let names = [
      "measure", "base_mean", "policy_mean", "difference", "ci_low", "ci_high",
      "relative_effect_pct", "paired_ci_width", "unpaired_ci_width", "width_ratio",
    ]
    var columns: [Int] = []
    for name in names { columns.append(try csv.column(name)) }
    let descriptionColumn = csv.header.firstIndex(of: "description")
    var measures: [Measure] = []
    try csv.forEachRow { (line, fields) throws(ReportError) in
      var x: [Double] = []
      for column in columns.dropFirst() {
        x.append(try csv.number(fields[column], line: line, column: column))
      }
      let name = String(fields[columns[0]])
      let description =
        descriptionColumn.map { String(fields[$0]) }
        ?? RunMeasures.named(name)?.definitionAndUnit ?? ""
      measures.append(
        Measure(
          name: name, description: description, baseMean: x[0], policyMean: x[1],
          difference: x[2], low: x[3], high: x[4], relativeEffect: x[5], pairedWidth: x[6],
          unpairedWidth: x[7], widthRatio: x[8]))
    }
    return measures
  }

  static func readDifferences(_ url: URL, series: [String]) throws(ReportError) -> [Difference] {
    let csv = try CSVReader(url: url)
    let tickColumn = try csv.column("tick")
    let nameColumn = try csv.column("column")
    let meanColumn = try csv.column("mean_difference")
    let lowColumn = try csv.column("ci_low")
    let highColumn = try csv.column("ci_high")
    var index: [String: Int] = [:]
    for (k, name) in series.enumerated() { index[name] = k }
    var differences = [Difference](repeating: Difference(), count: series.count)
    var available: [String] = []
    var known: Set<String> = []
    try csv.forEachRow { (line, fields) throws(ReportError) in
      let name = String(fields[nameColumn])
      if !known.contains(name) {
        known.insert(name)
        available.append(name)
      }
      guard let k = index[name] else { return }
      differences[k].ticks.append(
        try csv.number(fields[tickColumn], line: line, column: tickColumn))
      differences[k].mean.append(
        try csv.number(fields[meanColumn], line: line, column: meanColumn))
      differences[k].low.append(try csv.number(fields[lowColumn], line: line, column: lowColumn))
      differences[k].high.append(
        try csv.number(fields[highColumn], line: line, column: highColumn))
    }
    for name in series where !known.contains(name) {
      throw ReportError(
        file: url.path,
        message: "has no rows for column \(name) (it has \(available.joined(separator: ", ")))")
    }
    return differences
  }
}
