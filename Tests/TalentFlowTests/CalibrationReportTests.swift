import Foundation
import Testing

@testable import TalentFlow

/// The parameters of the synthetic folder: one identified, one not.
private let parametersCSV = """
  key,lower,upper,estimate,se,identification
  market.leadsEmployed,0.1,0.5,0.3,0.05,identified
  startup.roundRate.1,0.02,0.15,0.1499,,not identified: the moments barely move across its range (relative sensitivity 0)

  """

/// Four targets whose z² sum to Q = 3.5625 and two holdouts, one beyond two standard errors;
/// a source that CSV must quote.
private let fitCSV = """
  measure,scenario,contrast,target,se,simulated,simulated_sd,z,role,source
  move_rate_monthly,,level,0.02,0.004,0.022,0.002,0.5,target,"CPS, Fallick & Fleischman 2004"
  unemployment_rate,,level,0.04,0.01,0.03,0.02,-1,target,BLS
  startups_failed_per_year,/configs/scenarios/funding-winter.json,relative,0.25,0.1,0.4,0.3,1.5,target,Carta
  startup_share_final,,level,0.3,0.04,0.31,0.04,0.25,target,test
  startups_born_per_year,,level,5,2,12,3,3.5,holdout,test
  mean_tenure_months,,level,30,5,28,4,-0.4,holdout,test

  """

/// Every phase: a start, two searches, the estimate and the Jacobian's four points, one of
/// which has a lower Q than the estimate; evaluation 3 failed.
private let traceCSV = """
  evaluation,phase,market.leadsEmployed,startup.roundRate.1,objective,failure
  1,lhs,0.2,0.05,40,
  2,lhs,0.4,0.1,12,
  3,lhs,0.45,0.12,,the finite-value guard stopped the run
  4,search-1,0.4,0.1,12,
  5,search-1,0.35,0.11,6,
  6,search-1,0.32,0.13,20,
  7,search-2,0.3,0.14,4,
  8,search-2,0.3,0.1499,3.5625,
  9,estimate,0.3,0.1499,3.5625,
  10,jacobian,0.304,0.1499,5,
  11,jacobian,0.296,0.1499,3.25,
  12,jacobian,0.3,0.15,3.5625,
  13,jacobian,0.3,0.1486,3.5625,

  """

/// Writes a calibration folder as `talentflow calibrate` does: the three tables, calibrated.json
/// and a manifest listing them with their checksums (R = 4 replicates).
@discardableResult
private func writeCalibrationFolder(
  in folder: URL, kind: String = "calibration", objective: Double = 3.5625,
  parameters: String = parametersCSV, fit: String = fitCSV, trace: String = traceCSV
) throws -> URL {
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let files = [
    ("calibrated.json", "{\"name\": \"synthetic-calibrated\"}\n"),
    ("parameters.csv", parameters), ("fit.csv", fit), ("trace.csv", trace),
  ]
  var listed: [JSONValue] = []
  for (name, text) in files {
    try TestFolder.write(text, named: name, in: folder)
    listed.append(
      .object([
        ("name", .string(name)), ("rows", .number(Double(text.split(separator: "\n").count - 1))),
        ("bytes", .number(Double(text.utf8.count))),
        ("sha256", .string(SHA256.hexDigest(Array(text.utf8)))),
      ]))
  }
  let range = { (key: String, lower: Double, upper: Double) -> JSONValue in
    .object([("key", .string(key)), ("lower", .number(lower)), ("upper", .number(upper))])
  }
  let manifest = JSONValue.object([
    ("tool", .string("talentflow")), ("toolVersion", .string("0.1.0")),
    ("modelSpecification", .string("MODEL.md v1.2")), ("modelVersion", .string("1.3.0")),
    ("kind", .string(kind)), ("name", .string("synthetic-calibration")),
    ("calibrationSHA256", .string(String(repeating: "c4", count: 32))),
    ("evaluations", .number(13)), ("objective", .number(objective)),
    ("searches", .array([.string("converged"), .string("evaluation budget spent")])),
    ("estimates", .array([])),
    ("standardErrors", .string("SMM sandwich with the 1 + 1/R simulation factor")),
    (
      "plan",
      .object([
        (
          "parameters",
          .array([
            range("market.leadsEmployed", 0.1, 0.5), range("startup.roundRate.1", 0.02, 0.15),
          ])
        ),
        ("seeds", .array((1...4).map { .number(Double($0)) })),
        ("optimizer", .object([("method", .string("nelder-mead"))])),
      ])
    ),
    ("files", .array(listed)),
  ])
  try TestFolder.write(manifest.serialized(pretty: true) + "\n", named: "manifest.json", in: folder)
  return folder
}

/// The text of every note of a document.
private func notes(_ document: ReportDocument) -> [String] {
  document.sections.flatMap(\.items).compactMap { item in
    if case .note(let text) = item { return text }
    return nil
  }
}

/// Every table of a document.
private func tables(_ document: ReportDocument) -> [ReportDocument.Table] {
  document.sections.flatMap(\.items).compactMap { item in
    if case .table(let table) = item { return table }
    return nil
  }
}

@Suite("Calibration reports")
struct CalibrationReportTests {
  @Test func calibrationFolderIsReadAsWritten() throws {
    let folder = try TestFolder.make("calibration-data")
    defer { TestFolder.remove(folder) }
    let calibration = try writeCalibrationFolder(in: folder.appendingPathComponent("c"))
    #expect(try ReportKind.detect(folder: calibration) == .calibration)
    let data = try CalibrationData.load(folder: calibration)
    #expect(data.problems.isEmpty, "\(data.problems)")
    #expect(data.facts.replicates == 4 && data.facts.evaluations == 13)
    #expect(data.facts.searches == ["converged", "evaluation budget spent"])
    #expect(data.parameters.map(\.key) == ["market.leadsEmployed", "startup.roundRate.1"])
    #expect(data.parameters[0].se == 0.05 && data.parameters[1].se.isNaN)
    #expect(data.targets.count == 4 && data.holdouts.count == 2)
    #expect(data.targets[0].source == "CPS, Fallick & Fleischman 2004")
    #expect(data.targets[2].label == "startups_failed_per_year · funding-winter (relative)")
    #expect(data.trace.count == 13 && data.trace[2].objective == .infinity)
    #expect(data.trace[2].failure == "the finite-value guard stopped the run")
  }

  @Test func reportShowsTheEstimateTheFitAndTheSearch() throws {
    let folder = try TestFolder.make("calibration-report")
    defer { TestFolder.remove(folder) }
    let data = try CalibrationData.load(
      folder: try writeCalibrationFolder(in: folder.appendingPathComponent("c")))
    let document = CalibrationReport.document(data)
    #expect(document.kind == "Calibration" && document.title == "synthetic-calibration")
    // Q = 3.5625 over 4 targets and 2 parameters: χ²(2), whose tail is e^(−Q/2).
    let p = NumberFormat.value(exp(-3.5625 / 2))
    #expect(document.facts.contains(.init("Fit test", "χ²(2), p = \(p)")))
    #expect(document.facts.contains(.init("Objective Q", "3.562 over 4 targets")))
    let reading = try #require(notes(document).first)
    #expect(
      reading.contains("M − k = 2 degrees of freedom (expected value 2): P(χ²(2) ≥ 3.562) = \(p)"))
    #expect(reading.contains("The fit is not rejected at the 5% level."))
    // Simulation noise: Σ sd² / (R se²) = (0.25 + 4 + 9 + 1) / 4.
    #expect(reading.contains("add about 3.562 to Q in expectation"))

    let all = tables(document)
    let estimates = all[0]
    #expect(estimates.rows[0][5] == "0.202 – 0.398")
    #expect(estimates.rows[1][4] == "–" && estimates.rows[1][5] == "–")
    #expect(estimates.rows[1][7] == "at the upper bound: the minimum may lie above the range")
    #expect(estimates.rows[0][7] == "")
    let targets = all[1]
    let holdouts = all[2]
    #expect(targets.rows.map { $0[5] } == ["+0.50", "-1.00", "+1.50", "+0.25"])
    #expect(targets.rows.allSatisfy { $0[6] == "" })
    #expect(holdouts.rows.map { $0[6] } == ["yes", ""])
    #expect(targets.cellTitles[0][3] == "95% interval of the simulated mean: 0.02004 – 0.02396")

    #expect(document.charts.map(\.id) == ["fit", "objective"])
    let fit = document.charts[0]
    #expect(
      fit.series == [
        DrawnSeries(name: "Target (in the objective)", points: 4),
        DrawnSeries(name: "Holdout (out of sample)", points: 2),
      ])
    let elements = checkedSVG(fit)
    // The dots sit at their z: back from pixels through the first two rows.
    let dots = elements.filter { $0.attributes["class"] == "point" }
    let cx = dots.map { Double($0.attributes["cx"] ?? "") ?? .nan }
    let z = [0.5, -1, 1.5, 0.25, 3.5, -0.4]
    for k in 2..<6 {
      let back = z[0] + (cx[k] - cx[0]) / (cx[1] - cx[0]) * (z[1] - z[0])
      #expect(abs(back - z[k]) < 0.01, "row \(k)")
    }
    #expect(dots.suffix(2).allSatisfy { $0.attributes["fill"] == "#ffffff" })
    // The whisker of the first target: z ± 1.96 · 0.002 / (√4 · 0.004) = 0.5 ± 0.49.
    let whisker = try #require(elements.first { $0.attributes["class"] == "whisker" })
    let ends = ["x1", "x2"].map { Double(whisker.attributes[$0] ?? "") ?? .nan }
    let scale = (cx[1] - cx[0]) / (z[1] - z[0])
    #expect(abs((ends[1] - ends[0]) / scale - 0.98) < 0.01)
    let band = try #require(elements.first { $0.attributes["class"] == "band" })
    let bandWidth = Double(band.attributes["width"] ?? "") ?? .nan
    #expect(abs(bandWidth / scale - 4) < 0.01)
    let fitCaption = document.sections[1].items.compactMap { item -> String? in
      if case .chart(_, let caption) = item { return caption }
      return nil
    }.first
    #expect(fitCaption?.contains("Beyond two standard errors: startups_born_per_year.") == true)

    let objective = document.charts[1]
    _ = checkedSVG(objective)
    #expect(
      objective.series.map(\.name) == [
        "Latin-hypercube start", "Nelder–Mead search 1", "Nelder–Mead search 2",
        "Estimate (with holdouts)", "Jacobian (finite differences)", "Lowest so far",
      ])
    // The failed evaluation is left out of its phase and of the running minimum.
    #expect(objective.series.map(\.points) == [2, 3, 2, 1, 4, 13])
    #expect(
      CalibrationReport.runningMinimum(data.trace)
        == [40, 12, 12, 12, 6, 6, 4, 3.5625, 3.5625, 3.5625, 3.5625, 3.5625, 3.5625])
    let search = try #require(notes(document).last)
    #expect(search.contains("1 of 2 searches stopped because the evaluation budget was spent"))
    #expect(
      search.contains("Evaluation 11 (phase jacobian in trace.csv) has a lower objective, 3.25"))
  }

  @Test func noMoreTargetsThanParametersIsNoTest() throws {
    let folder = try TestFolder.make("calibration-no-test")
    defer { TestFolder.remove(folder) }
    let fit =
      fitCSV.split(separator: "\n").enumerated().filter { $0.offset != 3 && $0.offset != 4 }
      .map { String($0.element) }.joined(separator: "\n") + "\n"
    let data = try CalibrationData.load(
      folder: try writeCalibrationFolder(
        in: folder.appendingPathComponent("c"), objective: 1.25, fit: fit))
    #expect(data.problems.isEmpty, "\(data.problems)")
    let document = CalibrationReport.document(data)
    #expect(document.facts.contains(.init("Fit test", "none: 2 targets for 2 parameters")))
    #expect(notes(document).first?.contains("Q is no test of the model") == true)
    #expect(CalibrationReport.fitTest(data).pValue == nil)
  }

  @Test func badFilesAreRefusedOrNamed() throws {
    let folder = try TestFolder.make("calibration-bad")
    defer { TestFolder.remove(folder) }
    let c = folder.appendingPathComponent("c")
    try writeCalibrationFolder(
      in: c, fit: fitCSV.replacingOccurrences(of: ",simulated_sd,", with: ",simulated_spread,"))
    #expect(
      throws: ReportError(
        file: c.appendingPathComponent("fit.csv").path,
        message: "has no column simulated_sd (header: measure,scenario,contrast,target,se,"
          + "simulated,simulated_spread,z,role,source)")
    ) { try CalibrationData.load(folder: c) }

    try writeCalibrationFolder(
      in: c,
      parameters: parametersCSV.replacingOccurrences(of: "0.5,0.3,0.05", with: "0.5,0.3x,0.05"))
    #expect(
      throws: ReportError(
        file: c.appendingPathComponent("parameters.csv").path,
        message: "line 2, column estimate: expected a number, got \"0.3x\"")
    ) { try CalibrationData.load(folder: c) }

    try writeCalibrationFolder(
      in: c,
      trace: traceCSV.replacingOccurrences(
        of: "5,search-1,0.35,0.11,6,", with: "5,search-1,0.35,0.11,six,"))
    #expect(
      throws: ReportError(
        file: c.appendingPathComponent("trace.csv").path,
        message: "line 6, column objective: expected a number, got \"six\"")
    ) { try CalibrationData.load(folder: c) }

    try writeCalibrationFolder(
      in: c, fit: fitCSV.replacingOccurrences(of: "-0.4,holdout", with: "-0.4,check"))
    #expect(
      throws: ReportError(
        file: c.appendingPathComponent("fit.csv").path,
        message: "line 7, column role: expected target or holdout, got \"check\"")
    ) { try CalibrationData.load(folder: c) }

    try writeCalibrationFolder(in: c, kind: "sweep")
    #expect(
      throws: ReportError(
        file: c.appendingPathComponent("manifest.json").path,
        message: "is the manifest of a sweep folder, not of a calibration (kind must be "
          + "\"calibration\")")
    ) { try CalibrationData.load(folder: c) }
    // A sweep folder is not read as a calibration, whatever the report is asked for.
    let sweep = try writeSyntheticSweep(in: folder.appendingPathComponent("sweep"), points: 2)
    #expect(throws: ReportError.self) { try CalibrationData.load(folder: sweep) }

    // An edited file is a warning, not a refusal, and so is a Q that Σz² does not give.
    try writeCalibrationFolder(in: c, objective: 3.5)
    try TestFolder.write(traceCSV + "14,jacobian,0.3,0.1499,3.5625,\n", named: "trace.csv", in: c)
    let data = try CalibrationData.load(folder: c)
    #expect(
      data.problems == [
        "trace.csv does not match its SHA-256 in manifest.json (edited or damaged?).",
        "trace.csv has 14 evaluations; manifest.json says 13.",
        "the targets' z in fit.csv give Q = Σz² = 3.562; manifest.json says 3.5.",
      ])
    let document = CalibrationReport.document(data)
    #expect(document.facts.contains(.init("Data checksums", "MISMATCH, see below")))
    for chart in document.charts { _ = checkedSVG(chart) }
  }

  /// The charts of the synthetic folder, byte for byte, as the other reports' are pinned: a
  /// refactoring leaves this digest alone, a change meant to alter the charts updates it.
  @Test func chartMarkupIsPinned() throws {
    let folder = try TestFolder.make("calibration-pins")
    defer { TestFolder.remove(folder) }
    let document = CalibrationReport.document(
      try CalibrationData.load(
        folder: try writeCalibrationFolder(in: folder.appendingPathComponent("c"))))
    #expect(
      SHA256.hexDigest(Array(document.charts.map(\.svg).joined().utf8))
        == "375bbbca69051cc4d8031e160a586bbd1aaa9d047c600effa95e641646d608d2")
  }

  /// `talentflow calibrate` on a tiny specification, then `talentflow report` on its folder.
  @Test func reportCommandWritesTheCalibrationReport() throws {
    let folder = try TestFolder.make("calibration-cli")
    defer { TestFolder.remove(folder) }
    try TestFolder.write(
      #"{"population": {"size": 300}, "firms": {"startups": 15}, "time": {"warmup": 6, "ticks": 12}}"#,
      named: "base.json", in: folder)
    let spec = try TestFolder.write(
      """
      {"name": "tiny", "base": "base.json",
       "parameters": {"market.leadsEmployed": [0.1, 0.5]},
       "targets": [
         {"measure": "move_rate_monthly", "value": 0.02, "se": 0.004, "source": "test, a"},
         {"measure": "unemployment_rate", "value": 0.05, "se": 0.01, "source": "test"}],
       "holdout": [{"measure": "startups_born_per_year", "value": 5, "se": 2, "source": "test"}],
       "replicates": {"count": 2, "baseSeed": 3},
       "optimizer": {"start": {"lhs": 3, "seed": 2}, "evaluations": 6}}
      """, named: "tiny.json", in: folder)
    let out = folder.appendingPathComponent("calibration").path
    let calibrate = try TalentflowProcess.run(["calibrate", spec, "--out", out, "--quiet"])
    #expect(calibrate.status == 0, "\(calibrate.stderr)")
    let svg = folder.appendingPathComponent("figures").path
    let report = try TalentflowProcess.run(["report", out, "--svg", svg])
    #expect(report.status == 0, "\(report.stderr)")
    #expect(report.stdout == "Wrote \(out)/report.html (2 charts)\nWrote 2 SVG files to \(svg)/\n")
    #expect(TestFolder.contents(URL(fileURLWithPath: svg)) == ["01-fit.svg", "02-objective.svg"])
    let page = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
    #expect(parseXML(page).error == nil)
    #expect(page.contains("TalentFlow · calibration report"))
    #expect(page.contains("Data checksums</dt><dd>match the manifest"))
    #expect(page.contains("market.leadsEmployed") && page.contains("startups_born_per_year"))
    // The report is derived: the manifest does not list it.
    let manifest = try Configuration.readJSON(file: out + "/manifest.json")
    let listed = manifest["files"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    #expect(!listed.contains("report.html"))
  }
}
