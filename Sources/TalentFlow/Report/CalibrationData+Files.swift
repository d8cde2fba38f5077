import Foundation

/// Reading each file of a calibration folder; every problem names the file, the line and the
/// column, or the manifest's key path.
extension CalibrationData {
  /// The manifest's facts; a manifest of another kind of folder is refused, so that the report
  /// never reads a sweep's files as a calibration's.
  static func readFacts(_ url: URL) throws(ReportError) -> Facts {
    let manifest = try ManifestReader<ReportError>(url)
    let root = manifest.root
    let kind = try root.string("kind", "must be \"calibration\"")
    guard kind == "calibration" else {
      throw root.error(
        "kind",
        "is the manifest of a \(kind) folder, not of a calibration (kind must be \"calibration\")")
    }
    let text = ManifestReader<ReportError>.text
    let plan = try root.object("plan")
    var ranges: [Range] = []
    for parameter in try plan.objects("parameters") {
      ranges.append(
        Range(
          key: try parameter.string("key"), lower: try parameter.double("lower"),
          upper: try parameter.double("upper")))
    }
    let seeds = try plan.list("seeds", "must be a list of seeds") { !$0.isEmpty }
    var searches: [String] = []
    for (k, search) in (try root.optionalList("searches") ?? []).enumerated() {
      guard let outcome = search.stringValue else {
        throw root.invalid("searches[\(k)]", "must be a string", search)
      }
      searches.append(outcome)
    }
    return Facts(
      name: text(root["name"]) ?? "(unnamed calibration)",
      modelVersion: text(root["modelVersion"]) ?? "?",
      modelSpecification: text(root["modelSpecification"]) ?? "?",
      toolVersion: text(root["toolVersion"]) ?? "?",
      calibrationSHA256: text(root["calibrationSHA256"]) ?? "?",
      evaluations: try root.integer("evaluations", "must be a non-negative integer") { $0 >= 0 },
      objective: try root.double("objective"),
      searches: searches,
      standardErrors: text(root["standardErrors"]) ?? "",
      replicates: seeds.count, parameters: ranges,
      method: text(plan["optimizer"]?["method"]) ?? "?",
      files: manifest.listedFiles)
  }

  /// `parameters.csv`: an empty se is NaN (not identified).
  static func readParameters(_ url: URL) throws(ReportError) -> [Parameter] {
    let csv = try CSVReader(url: url)
    let key = try csv.column("key")
    var numbers: [Int] = []
    for name in ["lower", "upper", "estimate", "se"] { numbers.append(try csv.column(name)) }
    let identification = try csv.column("identification")
    var parameters: [Parameter] = []
    try csv.forEachRow { (line, fields) throws(ReportError) in
      var values: [Double] = []
      for column in numbers {
        values.append(try csv.number(fields[column], line: line, column: column))
      }
      parameters.append(
        Parameter(
          key: String(fields[key]), lower: values[0], upper: values[1], estimate: values[2],
          se: values[3], identification: String(fields[identification])))
    }
    return parameters
  }

  /// `fit.csv`: the targets and holdouts; the role must be `target` or `holdout`.
  static func readFit(_ url: URL) throws(ReportError) -> [Moment] {
    let csv = try CSVReader(url: url)
    let measure = try csv.column("measure")
    let scenario = try csv.column("scenario")
    let contrast = try csv.column("contrast")
    var numbers: [Int] = []
    for name in ["target", "se", "simulated", "simulated_sd", "z"] {
      numbers.append(try csv.column(name))
    }
    let role = try csv.column("role")
    let source = try csv.column("source")
    var moments: [Moment] = []
    try csv.forEachRow { (line, fields) throws(ReportError) in
      var values: [Double] = []
      for column in numbers {
        values.append(try csv.number(fields[column], line: line, column: column))
      }
      guard let parsedRole = Moment.Role(rawValue: String(fields[role])) else {
        throw ReportError(
          file: url.path,
          message: "line \(line), column role: expected target or holdout, got \"\(fields[role])\"")
      }
      moments.append(
        Moment(
          measure: String(fields[measure]), scenario: String(fields[scenario]),
          contrast: String(fields[contrast]), target: values[0], se: values[1],
          simulated: values[2], simulatedSD: values[3], z: values[4], role: parsedRole,
          source: String(fields[source])))
    }
    return moments
  }

  /// `trace.csv`: every evaluation in order.
  ///
  /// An empty objective is +∞ (failed or not finite); the parameter columns must be the plan's.
  static func readTrace(_ url: URL, keys: [String]) throws(ReportError) -> [Evaluation] {
    let csv = try CSVReader(url: url)
    let evaluation = try csv.column("evaluation")
    let phase = try csv.column("phase")
    for key in keys { _ = try csv.column(key) }
    let objective = try csv.column("objective")
    let failure = try csv.column("failure")
    var trace: [Evaluation] = []
    try csv.forEachRow { (line, fields) throws(ReportError) in
      guard let index = Int(fields[evaluation]) else {
        throw ReportError(
          file: url.path,
          message: "line \(line), column evaluation: expected a whole number, got "
            + "\"\(fields[evaluation])\"")
      }
      let q = try csv.number(fields[objective], line: line, column: objective)
      trace.append(
        Evaluation(
          index: index, phase: String(fields[phase]), objective: q.isNaN ? .infinity : q,
          failure: String(fields[failure])))
    }
    return trace
  }
}
