import Foundation

/// Reading each file of a sensitivity folder; every problem names the file, the line and the
/// column, or the manifest's key path.
extension SensitivityData {
  static func readFacts(_ url: URL) throws(ReportError) -> Facts {
    let manifest = try ManifestReader<ReportError>(url)
    return Facts(
      plan: PlanFacts.read(manifest, unnamed: "(unnamed sensitivity analysis)"),
      analysis: try readAnalysis(try manifest.root.object("analysis")))
  }

  /// The manifest's `analysis`: the method and the lists are required, the settings optional.
  static func readAnalysis(_ analysis: JSONObjectReader<ReportError>) throws(ReportError)
    -> Analysis
  {
    let method = try analysis.string("method", "must be \"morris\" or \"sobol\"") {
      Method(rawValue: $0) != nil
    }
    let positive = "must be a positive integer"
    var parameters: [Parameter] = []
    for parameter in try analysis.objects("parameters") {
      parameters.append(
        Parameter(
          key: try parameter.string("key"), lower: try parameter.double("lower"),
          upper: try parameter.double("upper")))
    }
    guard !parameters.isEmpty else {
      throw analysis.error("parameters", "analysis.parameters must list at least one parameter")
    }
    var measures: [String] = []
    for (k, measure) in try analysis.list("measures").enumerated() {
      guard let name = measure.stringValue else {
        throw analysis.invalid("measures[\(k)]", "must be a measure's name", measure)
      }
      measures.append(name)
    }
    guard !measures.isEmpty else {
      throw analysis.error("measures", "analysis.measures must list at least one measure")
    }
    return Analysis(
      method: Method(rawValue: method) ?? .morris,
      levels: try analysis.optionalInteger("levels", positive) { $0 > 0 },
      trajectories: try analysis.optionalInteger("trajectories", positive) { $0 > 0 },
      samples: try analysis.optionalInteger("samples", positive) { $0 > 0 },
      secondOrder: try analysis.optionalBool("secondOrder") ?? false,
      resamples: try analysis.optionalInteger("resamples", positive) { $0 > 0 },
      confidenceLevel: try analysis.optionalDouble(
        "confidenceLevel", "must be a number between 0 and 1"
      ) { $0 > 0 && $0 < 1 } ?? 0.95,
      seed: ManifestReader<ReportError>.text(analysis["seed"]),
      parameters: parameters, measures: measures)
  }

  /// The number of design points; a header that is not `point` and the parameters in the
  /// manifest's order is a problem, not an error (the count is all the report needs).
  static func readDesign(_ url: URL, keys: [String], problems: inout [String])
    throws(ReportError) -> Int
  {
    let csv = try CSVReader(url: url)
    guard csv.header.first == "point" else {
      throw ReportError(
        file: url.path,
        message: "the first column must be point, got \(csv.header.first ?? "nothing")")
    }
    if Array(csv.header.dropFirst()) != keys {
      problems.append(
        "design.csv's columns (\(csv.header.dropFirst().joined(separator: ", "))) are not "
          + "manifest.json's parameters (\(keys.joined(separator: ", "))).")
    }
    var count = 0
    try csv.forEachRow { (_, _) throws(ReportError) in count += 1 }
    return count
  }

  /// Each measure's values over the finished runs; an empty field is NaN (unavailable).
  static func readRuns(_ url: URL, measures: [String]) throws(ReportError) -> [MeasureValues] {
    let csv = try CSVReader(url: url)
    var columns: [Int] = []
    for name in measures { columns.append(try csv.column(name)) }
    var values = [[Double]](repeating: [], count: measures.count)
    try csv.forEachRow { (line, fields) throws(ReportError) in
      for (m, column) in columns.enumerated() {
        values[m].append(try csv.number(fields[column], line: line, column: column))
      }
    }
    return zip(measures, values).map { MeasureValues(name: $0, values: $1) }
  }

  /// The failed runs: their run, point and message where `failures.csv` has those columns.
  static func readFailures(_ url: URL) throws(ReportError) -> [Failure] {
    let csv = try CSVReader(url: url)
    let run = csv.header.firstIndex(of: "run")
    let point = csv.header.firstIndex(of: "point")
    let message = csv.header.firstIndex(of: "message")
    var failures: [Failure] = []
    try csv.forEachRow { (_, fields) throws(ReportError) in
      failures.append(
        Failure(
          run: run.map { String(fields[$0]) } ?? "?",
          point: point.map { String(fields[$0]) } ?? "?",
          message: message.map { String(fields[$0]) } ?? ""))
    }
    return failures
  }

  /// Where a row's measure and parameter go: their positions in the manifest's lists, or an
  /// error naming the line.
  private static func position(
    _ csv: CSVReader, line: Int, _ field: Substring, column: Int, among names: [String]
  ) throws(ReportError) -> Int {
    guard let k = names.firstIndex(of: String(field)) else {
      throw ReportError(
        file: csv.path,
        message: "line \(line), column \(csv.header[column]): \"\(field)\" is not one of "
          + "manifest.json's analysis.\(csv.header[column] == "measure" ? "measures" : "parameters")"
          + " (\(names.joined(separator: ", ")))")
    }
    return k
  }

  /// `indices.csv` as indices per measure, parameters in the manifest's order; and how many
  /// (measure, parameter) pairs had no row (their values are NaN).
  static func readIndices(_ url: URL, analysis: Analysis) throws(ReportError)
    -> (indices: [Indices], missing: Int)
  {
    let csv = try CSVReader(url: url)
    let measureColumn = try csv.column("measure")
    let parameterColumn = try csv.column("parameter")
    let names =
      analysis.method == .morris
      ? ["mu", "mu_star", "sigma", "mu_star_conf"] : ["S1", "S1_conf", "ST", "ST_conf"]
    var columns: [Int] = []
    for name in names { columns.append(try csv.column(name)) }
    let keys = analysis.parameters.map(\.key)
    let measures = analysis.measures
    var values = [[[Double]?]](
      repeating: [[Double]?](repeating: nil, count: keys.count), count: measures.count)
    try csv.forEachRow { (line, fields) throws(ReportError) in
      let m = try position(
        csv, line: line, fields[measureColumn], column: measureColumn, among: measures)
      let p = try position(
        csv, line: line, fields[parameterColumn], column: parameterColumn, among: keys)
      guard values[m][p] == nil else {
        throw ReportError(
          file: url.path,
          message: "line \(line): a second row for measure \(measures[m]) and parameter "
            + "\(keys[p])")
      }
      var row: [Double] = []
      for column in columns {
        row.append(try csv.number(fields[column], line: line, column: column))
      }
      values[m][p] = row
    }
    let missing = values.reduce(0) { $0 + $1.filter { $0 == nil }.count }
    let none = [Double](repeating: .nan, count: names.count)
    let indices: [Indices] = values.map { rows in
      let rows = rows.map { $0 ?? none }
      switch analysis.method {
      case .morris:
        return .morris(
          zip(keys, rows).map {
            MorrisIndex(parameter: $0, mu: $1[0], muStar: $1[1], sigma: $1[2], muStarConf: $1[3])
          })
      case .sobol:
        return .sobol(
          zip(keys, rows).map {
            SobolIndex(parameter: $0, s1: $1[0], s1Conf: $1[1], st: $1[2], stConf: $1[3])
          }, secondOrder: nil)
      }
    }
    return (indices, missing)
  }

  /// `S2.csv`: per measure, its pairs in the file's order.
  static func readSecondOrder(_ url: URL, analysis: Analysis) throws(ReportError)
    -> [[SecondOrderIndex]]
  {
    let csv = try CSVReader(url: url)
    let measureColumn = try csv.column("measure")
    let firstColumn = try csv.column("parameter_1")
    let secondColumn = try csv.column("parameter_2")
    let s2Column = try csv.column("S2")
    let confColumn = try csv.column("S2_conf")
    let keys = analysis.parameters.map(\.key)
    var pairs = [[SecondOrderIndex]](repeating: [], count: analysis.measures.count)
    try csv.forEachRow { (line, fields) throws(ReportError) in
      let m = try position(
        csv, line: line, fields[measureColumn], column: measureColumn, among: analysis.measures)
      let first = try position(
        csv, line: line, fields[firstColumn], column: firstColumn, among: keys)
      let second = try position(
        csv, line: line, fields[secondColumn], column: secondColumn, among: keys)
      pairs[m].append(
        SecondOrderIndex(
          parameter1: keys[first], parameter2: keys[second],
          s2: try csv.number(fields[s2Column], line: line, column: s2Column),
          s2Conf: try csv.number(fields[confColumn], line: line, column: confColumn)))
    }
    return pairs
  }
}
