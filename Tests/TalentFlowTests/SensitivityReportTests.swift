import Foundation
import Testing

@testable import TalentFlow

/// The three parameters of the synthetic folders: a short key, a second one, and one of the
/// longest keys of the key table.
private let parameters: [(key: String, lower: Double, upper: Double)] = [
  ("market.leadsEmployed", 0.1, 0.5), ("policy.nonCompete", 0, 1),
  ("startup.attributes.innovationSlope", -1, 2),
]

/// Morris indices of two measures; policy.nonCompete has no values for the second, and μ is
/// negative for some parameters.
private let morrisIndices = """
  measure,parameter,mu,mu_star,sigma,mu_star_conf
  move_rate_monthly,market.leadsEmployed,0.012,0.015,0.004,0.003
  move_rate_monthly,policy.nonCompete,-0.02,0.03,0.035,0.006
  move_rate_monthly,startup.attributes.innovationSlope,0.001,0.002,0.001,
  startup_share_final,market.leadsEmployed,0.1,0.1,0.02,0.01
  startup_share_final,policy.nonCompete,,,,
  startup_share_final,startup.attributes.innovationSlope,-0.3,0.3,0.5,0.05

  """

/// Sobol indices of one measure; S1 of policy.nonCompete is slightly negative.
private let sobolIndices = """
  measure,parameter,S1,S1_conf,ST,ST_conf
  move_rate_monthly,market.leadsEmployed,0.5,0.05,0.6,0.07
  move_rate_monthly,policy.nonCompete,-0.01,0.02,0.05,0.01
  move_rate_monthly,startup.attributes.innovationSlope,0.2,0.04,0.3,0.05

  """

private let sobolSecondOrder = """
  measure,parameter_1,parameter_2,S2,S2_conf
  move_rate_monthly,market.leadsEmployed,policy.nonCompete,0.01,0.02
  move_rate_monthly,market.leadsEmployed,startup.attributes.innovationSlope,0.08,0.03
  move_rate_monthly,policy.nonCompete,startup.attributes.innovationSlope,,

  """

/// Writes a sensitivity folder as `talentflow sensitivity` does: `points` design points of the
/// three parameters, two replicates each, the measures of each run in `runs.csv` (the last
/// `failed` runs are in `failures.csv` instead), the given `indices.csv` and `S2.csv` (nil:
/// not written), and a manifest listing every file with its checksum.
@discardableResult
private func writeSensitivityFolder(
  in folder: URL, method: String, measures: [String], points: Int, indices: String?,
  secondOrder: String? = nil, failed: Int = 0, kind: Bool = true
) throws -> URL {
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let keys = parameters.map(\.key)
  var design = "point," + keys.joined(separator: ",") + "\n"
  var runs = "run,point,replicate,seed," + measures.joined(separator: ",") + "\n"
  var failures = "run,point,replicate,seed," + keys.joined(separator: ",") + ",message\n"
  let replicates = 2
  for p in 1...points {
    let values = parameters.map { NumberFormat.value($0.lower + Double(p) / 100) }
    design += "\(p)," + values.joined(separator: ",") + "\n"
    for r in 1...replicates {
      let run = (p - 1) * replicates + r
      if run > points * replicates - failed {
        failures +=
          "p\(p)-r\(r),\(p),\(r),\(r),\(values.joined(separator: ",")),"
          + "\"the finite-value guard stopped the run at tick 7\"\n"
        continue
      }
      // Values that differ by design point, measure and replicate.
      let measured = measures.indices.map { m in
        NumberFormat.fixed(Double(p) / 100 + Double(m) / 10 + Double(r) / 1000, decimals: 3)
      }
      runs += "p\(p)-r\(r),\(p),\(r),\(r)," + measured.joined(separator: ",") + "\n"
    }
  }
  var files = [("design.csv", design), ("runs.csv", runs)]
  if let indices { files.append(("indices.csv", indices)) }
  if let secondOrder { files.append(("S2.csv", secondOrder)) }
  if failed > 0 { files.append(("failures.csv", failures)) }
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
  let settings: [(key: String, value: JSONValue)] =
    method == "morris"
    ? [("levels", .number(4)), ("trajectories", .number(Double(points / 4)))]
    : [("samples", .number(Double(points / 8))), ("secondOrder", .bool(secondOrder != nil))]
  let analysis = JSONValue.object(
    [("method", .string(method))] + settings + [
      ("resamples", .number(1000)), ("confidenceLevel", .number(0.95)), ("seed", .number(11)),
      (
        "parameters",
        .array(
          parameters.map {
            .object([
              ("key", .string($0.key)), ("lower", .number($0.lower)), ("upper", .number($0.upper)),
            ])
          })
      ),
      ("measures", .array(measures.map(JSONValue.string))),
    ])
  var members: [(key: String, value: JSONValue)] = [
    ("tool", .string("talentflow")), ("toolVersion", .string("0.1.0")),
    ("modelSpecification", .string("MODEL.md v1.2")), ("modelVersion", .string("1.2.1")),
  ]
  if kind { members.append(("kind", .string("sensitivity"))) }
  members += [
    ("name", .string("synthetic-\(method)")),
    ("sweepSHA256", .string(String(repeating: "5e", count: 32))),
    ("designPoints", .number(Double(points))), ("replicates", .number(Double(replicates))),
    ("runs", .number(Double(points * replicates))),
  ]
  if failed > 0 { members.append(("failedRuns", .number(Double(failed)))) }
  members += [
    ("parameters", .array(keys.map(JSONValue.string))),
    ("seeds", .array([.number(1), .number(2)])),
    (
      "configuration",
      .object([
        ("name", .string("baseline")), ("description", .string("The base.")),
        ("time", .object([("ticksPerYear", .number(12)), ("ticks", .number(24))])),
        ("population", .object([("size", .number(2000))])),
      ])
    ),
    ("analysis", analysis),
    ("files", .array(listed)),
  ]
  try TestFolder.write(
    JSONValue.object(members).serialized(pretty: true) + "\n", named: "manifest.json", in: folder)
  return folder
}

private func morrisFolder(_ folder: URL, kind: Bool = true) throws -> URL {
  try writeSensitivityFolder(
    in: folder.appendingPathComponent("morris"), method: "morris",
    measures: ["move_rate_monthly", "startup_share_final"], points: 8, indices: morrisIndices,
    kind: kind)
}

private func sobolFolder(_ folder: URL) throws -> URL {
  try writeSensitivityFolder(
    in: folder.appendingPathComponent("sobol"), method: "sobol", measures: ["move_rate_monthly"],
    points: 16, indices: sobolIndices, secondOrder: sobolSecondOrder)
}

/// A bar of a rendered bar chart: its series, category and extent in pixels.
private struct DrawnBar {
  var series: String
  var category: String
  var left: Double
  var right: Double
  var top: Double
}

private func bars(_ elements: [ParsedElement], class name: String = "bar") -> [DrawnBar] {
  elements.filter { $0.attributes["class"] == name }.map { e in
    let x = Double(e.attributes["x"] ?? e.attributes["x1"] ?? "") ?? .nan
    let width = Double(e.attributes["width"] ?? "") ?? 0
    let right = Double(e.attributes["x2"] ?? "") ?? x + width
    return DrawnBar(
      series: e.attributes["data-series"] ?? "", category: e.attributes["data-category"] ?? "",
      left: x, right: right, top: Double(e.attributes["y"] ?? e.attributes["y1"] ?? "") ?? .nan)
  }
}

/// The categories of a chart's bars of one series, top to bottom.
private func order(_ bars: [DrawnBar], series: String) -> [String] {
  bars.filter { $0.series == series }.sorted { $0.top < $1.top }.map(\.category)
}

@Suite("Sensitivity reports")
struct SensitivityReportTests {
  @Test func foldersAreRecognisedByTheirManifestOrTheirFiles() throws {
    let folder = try TestFolder.make("sensitivity-kind")
    defer { TestFolder.remove(folder) }
    #expect(try ReportKind.detect(folder: try morrisFolder(folder)) == .sensitivity)
    let unlabelled = try morrisFolder(folder.appendingPathComponent("unlabelled"), kind: false)
    #expect(try ReportKind.detect(folder: unlabelled) == .sensitivity)
    // Without indices.csv and without a kind, nothing says what the folder is.
    try FileManager.default.removeItem(at: unlabelled.appendingPathComponent("indices.csv"))
    do {
      _ = try ReportKind.detect(folder: unlabelled)
      Issue.record("a folder without indices.csv or a kind was recognised")
    } catch {
      #expect(error.message.contains("a sensitivity folder (manifest.json, design.csv, runs.csv, "))
    }
  }

  @Test func morrisFolderIsReadAsWritten() throws {
    let folder = try TestFolder.make("sensitivity-morris-data")
    defer { TestFolder.remove(folder) }
    let data = try SensitivityData.load(folder: try morrisFolder(folder))
    #expect(data.problems.isEmpty, "\(data.problems)")
    let analysis = data.facts.analysis
    #expect(analysis.method == .morris && analysis.levels == 4 && analysis.trajectories == 2)
    #expect(analysis.parameters.map(\.key) == parameters.map(\.key))
    #expect(analysis.parameters.map(\.upper) == [0.5, 1, 2])
    #expect(analysis.seed == "11" && analysis.resamples == 1000)
    #expect((data.designPoints, data.facts.runs, data.measures[1].values.count) == (8, 16, 16))
    guard case .morris(let rate) = data.indices?[0], case .morris(let share) = data.indices?[1]
    else {
      Issue.record("the indices are not Morris indices")
      return
    }
    #expect(
      rate[1]
        == SensitivityData.MorrisIndex(
          parameter: "policy.nonCompete", mu: -0.02, muStar: 0.03, sigma: 0.035, muStarConf: 0.006
        ))
    #expect(rate[2].muStarConf.isNaN && share[1].muStar.isNaN && share[1].sigma.isNaN)
  }

  @Test func morrisBarsAreSortedByMuStarWithWhiskersFromTheCSV() throws {
    let folder = try TestFolder.make("sensitivity-morris")
    defer { TestFolder.remove(folder) }
    let morris = try morrisFolder(folder)
    let document = SensitivityReport.document(try SensitivityData.load(folder: morris))
    #expect(document.kind == "Sensitivity")
    #expect(
      document.charts.map(\.id) == [
        "morris-move_rate_monthly", "morris-plane-move_rate_monthly",
        "morris-startup_share_final", "morris-plane-startup_share_final",
      ])
    let chart = document.charts[0]
    let elements = checkedSVG(chart)
    let drawn = bars(elements)
    // Most influential first: μ* 0.03, 0.015, 0.002; σ beside each μ*.
    let expected = [
      "policy.nonCompete", "market.leadsEmployed", "startup.attributes.innovationSlope",
    ]
    #expect(order(drawn, series: "μ* (mean |effect|)") == expected)
    #expect(order(drawn, series: "σ (spread of effects)") == expected)
    #expect(
      chart.series == [
        DrawnSeries(name: "μ* (mean |effect|)", points: 3),
        DrawnSeries(name: "σ (spread of effects)", points: 3),
      ])
    let labels = elements.filter { $0.attributes["class"] == "category" }.map(\.text)
    #expect(labels == expected)

    // Each whisker spans μ* ± mu_star_conf of indices.csv, on the scale its bar is drawn on;
    // innovationSlope has no mu_star_conf, so no whisker.
    let muStar: [String: (value: Double, conf: Double)] = [
      "policy.nonCompete": (0.03, 0.006), "market.leadsEmployed": (0.015, 0.003),
    ]
    let whiskers = bars(elements, class: "whisker")
    #expect(whiskers.map(\.category).sorted() == muStar.keys.sorted())
    for whisker in whiskers {
      let bar = try #require(
        drawn.first { $0.category == whisker.category && $0.series == whisker.series })
      let (value, conf) = try #require(muStar[whisker.category])
      let px = { (x: Double) in bar.left + (bar.right - bar.left) * x / value }
      #expect(abs(whisker.left - px(value - conf)) < 0.02, "\(whisker)")
      #expect(abs(whisker.right - px(value + conf)) < 0.02, "\(whisker)")
    }
    #expect(try #require(chart.xScale).upper >= 0.036)
    #expect(
      chart.svg.contains(
        "<title>policy.nonCompete\nμ* (mean |effect|): 0.03 (95% bootstrap interval of μ* "
          + "0.024 – 0.036)\nσ (spread of effects): 0.035\nμ (signed mean): -0.02; σ/μ*: 1.167"
          + "</title>"))
    #expect(chart.svg.contains(">95% bootstrap interval of μ*</text>"))

    // The μ*–σ plane: each parameter at (μ*, σ) on the chart's scales, labelled, with the
    // diagonal σ = μ*; policy.nonCompete (σ 0.035 > μ* 0.03) lies above it.
    let plane = document.charts[1]
    let points = checkedSVG(plane).filter { $0.attributes["class"] == "point" }
    #expect(points.compactMap { $0.attributes["data-series"] }.sorted() == expected.sorted())
    let x = try #require(plane.xScale)
    let y = try #require(plane.yScale)
    #expect(x.upper >= 0.03 && y.upper >= 0.035 && x.lower == 0 && y.lower == 0)
    let place = { (name: String) throws -> (x: Double, y: Double) in
      let point = try #require(points.first { $0.attributes["data-series"] == name })
      return (
        Double(point.attributes["cx"] ?? "") ?? .nan, Double(point.attributes["cy"] ?? "") ?? .nan
      )
    }
    let nonCompete = try place("policy.nonCompete")
    let leads = try place("market.leadsEmployed")
    let slope = try place("startup.attributes.innovationSlope")
    #expect(nonCompete.x > leads.x && leads.x > slope.x)
    #expect(nonCompete.y < leads.y && leads.y < slope.y)
    // The first two points' x and y are proportional to μ* and σ (0.03 vs 0.015, 0.035 vs
    // 0.004), measured from the third's (0.002, 0.001).
    let ratioX = (nonCompete.x - slope.x) / (leads.x - slope.x)
    #expect(abs(ratioX - (0.03 - 0.002) / (0.015 - 0.002)) < 0.01)
    let ratioY = (nonCompete.y - slope.y) / (leads.y - slope.y)
    #expect(abs(ratioY - (0.035 - 0.001) / (0.004 - 0.001)) < 0.01)
    #expect(plane.svg.contains("class=\"diagonal\""))
    #expect(
      plane.svg.contains(
        "<title>policy.nonCompete\nμ* (fraction/month): 0.03\nσ (fraction/month): 0.035\nμ (signed mean): -0.02</title>"
      ))
  }

  @Test func everyParameterAndMeasureIsOnThePageWithAReading() throws {
    let folder = try TestFolder.make("sensitivity-page")
    defer { TestFolder.remove(folder) }
    let morris = try morrisFolder(folder)
    let document = SensitivityReport.document(try SensitivityData.load(folder: morris))
    let html = HTMLPage.render(document, relativeTo: morris)
    let page = parseXML(html)
    #expect(page.error == nil, "\(page.error ?? "")")
    #expect(!html.lowercased().contains("<script"))
    for name in parameters.map(\.key) + ["move_rate_monthly", "startup_share_final"] {
      #expect(html.contains(name), "\(name)")
    }
    #expect(
      document.sections.map(\.heading) == [
        "The analysis", "move_rate_monthly (fraction/month): Morris elementary effects",
        "startup_share_final (fraction): Morris elementary effects",
      ])
    let cells = page.elements.filter { $0.name == "td" }.map(\.text)
    #expect(
      cells.contains(
        "most sensitive to policy.nonCompete (μ* = 0.03 ± 0.006), then market.leadsEmployed "
          + "(μ* = 0.015); σ ≥ μ* for policy.nonCompete: nonlinear or interacting."))
    #expect(
      cells.contains(
        "most sensitive to startup.attributes.innovationSlope (μ* = 0.3 ± 0.05), then "
          + "market.leadsEmployed (μ* = 0.1); σ ≥ μ* for startup.attributes.innovationSlope: "
          + "nonlinear or interacting."))
    // The ranges from the manifest, with each key's meaning from the key table.
    let meaning = try #require(ConfigurationKeys.key("policy.nonCompete")).summary
    #expect(
      html.contains(
        "<td>policy.nonCompete</td><td class=\"number\">0</td>"
          + "<td class=\"number\">1</td><td>\(Markup.escape(meaning))</td>"))
    // The table under the chart: μ*, its ±, μ, σ and σ/μ* per parameter, in the chart's order.
    #expect(
      html.contains(
        "<td>policy.nonCompete</td><td class=\"number\" title=\"95% interval: 0.024 – 0.036\">"
          + "0.03</td><td class=\"number\">0.006</td><td class=\"number\">-0.02</td>"
          + "<td class=\"number\">0.035</td><td class=\"number\">1.167</td>"))
    for fact in [
      "Morris elementary effects", "Levels p", "Trajectories r", "95% bootstrap, 1,000 resamples",
    ] {
      #expect(html.contains(fact), "\(fact)")
    }
    #expect(html.contains("<a href=\"indices.csv\">indices.csv</a>"))
    #expect(document.facts.contains(.init("Data checksums", "match the manifest")))
  }

  @Test func missingAndNegativeValuesAreDrawnAndNamed() throws {
    let folder = try TestFolder.make("sensitivity-missing")
    defer { TestFolder.remove(folder) }
    let morris = try morrisFolder(folder)
    let document = SensitivityReport.document(try SensitivityData.load(folder: morris))
    let share = document.charts[2]
    let elements = checkedSVG(share)
    // policy.nonCompete has neither μ* nor σ: last, no bars, "n/a" twice.
    #expect(
      order(bars(elements), series: "μ* (mean |effect|)") == [
        "startup.attributes.innovationSlope", "market.leadsEmployed",
      ])
    let missing = elements.filter { $0.attributes["class"] == "missing" }
    #expect(missing.map(\.text) == ["n/a", "n/a"])
    #expect(missing.allSatisfy { $0.attributes["data-category"] == "policy.nonCompete" })
    #expect(share.series.map(\.points) == [2, 2])
    let captions = document.sections[2].items.compactMap { item -> String? in
      if case .chart(_, let caption) = item { return caption }
      return nil
    }
    #expect(
      captions[0].hasSuffix(
        " Not computable (an empty field in indices.csv), drawn as n/a: μ* of policy.nonCompete; "
          + "σ of policy.nonCompete."))
    #expect(captions[1].hasSuffix(" 1 parameter has no μ* or σ and is not drawn."))
    #expect(document.charts[3].series == [DrawnSeries(name: "Parameter", points: 2)])

    // A negative S1 is a bar left of the zero line, with its whisker.
    let sobol = SensitivityReport.document(
      try SensitivityData.load(folder: try sobolFolder(folder)))
    let chart = sobol.charts[0]
    let drawn = bars(checkedSVG(chart))
    let zero = try #require(
      drawn.first { $0.category == "market.leadsEmployed" && $0.series.hasPrefix("S1") }?.left)
    let negative = try #require(
      drawn.first { $0.category == "policy.nonCompete" && $0.series.hasPrefix("S1") })
    #expect(negative.left < zero && abs(negative.right - zero) < 0.01)
    #expect(try #require(chart.xScale).lower <= -0.03)
    #expect(
      HTMLPage.render(sobol, relativeTo: folder).contains(
        "Below 0: policy.nonCompete (S1 = -0.01, ST = 0.05)."))
  }

  @Test func sobolBarsAreSortedByTotalIndexWithBothIntervals() throws {
    let folder = try TestFolder.make("sensitivity-sobol")
    defer { TestFolder.remove(folder) }
    let sobol = try sobolFolder(folder)
    #expect(try ReportKind.detect(folder: sobol) == .sensitivity)
    let data = try SensitivityData.load(folder: sobol)
    #expect(data.problems.isEmpty, "\(data.problems)")
    let document = SensitivityReport.document(data)
    #expect(document.charts.map(\.id) == ["sobol-move_rate_monthly"])
    let chart = document.charts[0]
    let elements = checkedSVG(chart)
    let drawn = bars(elements)
    let expected = [
      "market.leadsEmployed", "startup.attributes.innovationSlope", "policy.nonCompete",
    ]
    #expect(order(drawn, series: "ST (total, with interactions)") == expected)
    #expect(order(drawn, series: "S1 (first order, alone)") == expected)
    // Six whiskers, S ± S_conf, each on its own bar's scale.
    let intervals: [String: (Double, Double)] = [
      "ST market.leadsEmployed": (0.6, 0.07), "S1 market.leadsEmployed": (0.5, 0.05),
      "ST policy.nonCompete": (0.05, 0.01), "S1 policy.nonCompete": (-0.01, 0.02),
      "ST startup.attributes.innovationSlope": (0.3, 0.05),
      "S1 startup.attributes.innovationSlope": (0.2, 0.04),
    ]
    let whiskers = bars(elements, class: "whisker")
    #expect(whiskers.count == 6)
    for whisker in whiskers {
      let name = whisker.series.prefix(2) + " " + whisker.category
      let (value, conf) = try #require(intervals[String(name)])
      let bar = try #require(
        drawn.first { $0.category == whisker.category && $0.series == whisker.series })
      let zero = value >= 0 ? bar.left : bar.right
      let end = value >= 0 ? bar.right : bar.left
      let px = { (x: Double) in zero + (end - zero) * x / value }
      #expect(abs(whisker.left - px(value - conf)) < 0.02, "\(name)")
      #expect(abs(whisker.right - px(value + conf)) < 0.02, "\(name)")
    }

    let html = HTMLPage.render(document, relativeTo: sobol)
    #expect(parseXML(html).error == nil)
    #expect(
      html.contains(
        "most sensitive to market.leadsEmployed (ST = 0.6, S1 = 0.5), then "
          + "startup.attributes.innovationSlope (ST = 0.3); ΣS1 = 0.69: interactions account "
          + "for about 0.31 of the variance."))
    // S2.csv as a table, largest first; a pair without a value last.
    let table = try #require(
      document.sections[1].items.compactMap { item -> ReportDocument.Table? in
        if case .table(let table) = item, table.caption.hasPrefix("Second-order") { return table }
        return nil
      }.first)
    #expect(
      table.rows == [
        ["market.leadsEmployed", "startup.attributes.innovationSlope", "0.08", "0.03"],
        ["market.leadsEmployed", "policy.nonCompete", "0.01", "0.02"],
        ["policy.nonCompete", "startup.attributes.innovationSlope", "–", "–"],
      ])
    for fact in ["Sobol indices", "Base samples N", "Second order"] {
      #expect(html.contains(fact), "\(fact)")
    }
  }

  @Test func failedRunsWithoutIndicesAreSaidPlainly() throws {
    let folder = try TestFolder.make("sensitivity-failed")
    defer { TestFolder.remove(folder) }
    let failed = try writeSensitivityFolder(
      in: folder.appendingPathComponent("failed"), method: "sobol",
      measures: ["move_rate_monthly"], points: 16, indices: nil, failed: 2)
    #expect(try ReportKind.detect(folder: failed) == .sensitivity)
    let data = try SensitivityData.load(folder: failed)
    #expect(data.problems.isEmpty, "\(data.problems)")
    #expect(data.indices == nil && data.failures.count == 2)
    let document = SensitivityReport.document(data)
    #expect(document.sections.count == 1 && document.charts.isEmpty)
    let page = folder.appendingPathComponent("report.html")
    let svg = folder.appendingPathComponent("svg")
    let written = try ReportWriter.write(folder: failed, page: page, svgFolder: svg)
    #expect(written.charts == 0 && written.svgFiles.isEmpty)
    let html = try String(contentsOf: page, encoding: .utf8)
    #expect(parseXML(html).error == nil)
    #expect(
      html.contains(
        "There are no sensitivity indices: 2 of 32 runs failed (failures.csv lists them, see "
          + "below), and the indices need every run of the design, so indices.csv was not "
          + "written."))
    #expect(
      html.contains(
        "<td>p16-r2</td><td class=\"number\">16</td>"
          + "<td>the finite-value guard stopped the run at tick 7</td>"))
    #expect(html.contains("<td class=\"number\">30 of 30</td>"))
    #expect(html.contains("Runs</dt><dd>32 (2 failed; failures.csv lists them)"))
  }

  @Test func svgExportWritesOneFilePerChartTheSameBytesEachTime() throws {
    let folder = try TestFolder.make("sensitivity-svg")
    defer { TestFolder.remove(folder) }
    let morris = try morrisFolder(folder)
    let first = try ReportWriter.write(
      folder: morris, page: folder.appendingPathComponent("a.html"),
      svgFolder: folder.appendingPathComponent("svg-a"))
    let second = try ReportWriter.write(
      folder: morris, page: folder.appendingPathComponent("b.html"),
      svgFolder: folder.appendingPathComponent("svg-b"))
    #expect(
      TestFolder.contents(folder.appendingPathComponent("svg-a")) == [
        "01-morris-move_rate_monthly.svg", "02-morris-plane-move_rate_monthly.svg",
        "03-morris-startup_share_final.svg", "04-morris-plane-startup_share_final.svg",
      ])
    #expect(first.charts == 4 && first.svgFiles.count == 4)
    for (a, b) in zip(first.svgFiles, second.svgFiles) {
      let bytes = try Data(contentsOf: a)
      #expect(bytes == (try Data(contentsOf: b)))
      let text = String(decoding: bytes, as: UTF8.self)
      #expect(
        text.hasPrefix(
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Generator: talentflow report -->\n<svg")
      )
      #expect(parseXML(text).error == nil)
    }
    #expect(try Data(contentsOf: first.page) == (try Data(contentsOf: second.page)))
  }

  @Test func badFilesAreNamed() throws {
    let folder = try TestFolder.make("sensitivity-bad")
    defer { TestFolder.remove(folder) }
    let morris = try morrisFolder(folder)
    let manifest = morris.appendingPathComponent("manifest.json")
    let original = try String(contentsOf: manifest, encoding: .utf8)
    try TestFolder.write(
      original.replacingOccurrences(of: "\"morris\"", with: "\"fast\""), named: "manifest.json",
      in: morris)
    #expect(
      throws: ReportError(
        file: manifest.path,
        message: "analysis.method must be \"morris\" or \"sobol\", got \"fast\"")
    ) {
      try SensitivityData.load(folder: morris)
    }
    try TestFolder.write(original, named: "manifest.json", in: morris)

    let indices = morris.appendingPathComponent("indices.csv")
    try TestFolder.write(
      morrisIndices.replacingOccurrences(of: "rate_monthly,policy", with: "rate_monthly,polcy"),
      named: "indices.csv", in: morris)
    #expect(
      throws: ReportError(
        file: indices.path,
        message: "line 3, column parameter: \"polcy.nonCompete\" is not one of manifest.json's "
          + "analysis.parameters (market.leadsEmployed, policy.nonCompete, "
          + "startup.attributes.innovationSlope)")
    ) {
      try SensitivityData.load(folder: morris)
    }
    try TestFolder.write(
      morrisIndices.replacingOccurrences(
        of: "share_final,policy.nonCompete", with: "share_final,market.leadsEmployed"),
      named: "indices.csv", in: morris)
    #expect(
      throws: ReportError(
        file: indices.path,
        message: "line 6: a second row for measure startup_share_final and parameter "
          + "market.leadsEmployed")
    ) {
      try SensitivityData.load(folder: morris)
    }
    // A row left out is shown as not computable, and said; so is an edited file.
    try TestFolder.write(
      morrisIndices.replacingOccurrences(
        of: "startup_share_final,policy.nonCompete,,,,\n", with: ""),
      named: "indices.csv", in: morris)
    let data = try SensitivityData.load(folder: morris)
    #expect(
      data.problems == [
        "indices.csv does not match its SHA-256 in manifest.json (edited or damaged?).",
        "indices.csv has no row for 1 of the 6 pairs of a measure and a parameter; they are "
          + "shown as not computable.",
      ])
    for chart in SensitivityReport.document(data).charts { _ = checkedSVG(chart) }
  }

  @Test func barChartsFitLongLabelsAndHandleEdgeCases() throws {
    let long = "startup.attributes.someVeryLongConfigurationKeyThatGoesOnAndOn.innovationSlope"
    var chart = BarChart(
      id: "edge", title: "Edge cases", xLabel: "value", categories: [long, "b", "c"])
    chart.bars = [
      BarChart.Bars(
        name: "one", color: Palette.blue, values: [-2, .nan, .infinity],
        lower: [-3, 0, .nan], upper: [-1, 1, 2])
    ]
    let rendered = chart.render()
    let elements = checkedSVG(rendered)
    let label = try #require(elements.first { $0.attributes["class"] == "category" })
    #expect(label.text.hasPrefix("startup.attribute") && label.text.hasSuffix("n.innovationSlope"))
    #expect(label.text.contains("…"))
    let x = try #require(Double(label.attributes["x"] ?? ""))
    #expect(x - TextMetrics.width(label.text, fontSize: 12) >= 0)
    #expect(x <= chart.width * 0.4 + 40)
    #expect(rendered.svg.contains("<title>\(long)\none: -2 (interval -3 – -1)</title>"))
    // One bar (the negative one); the missing and infinite values are n/a; the whisker of "b"
    // stands without its bar, "c" has no whisker.
    #expect(rendered.series == [DrawnSeries(name: "one", points: 1)])
    #expect(elements.filter { $0.attributes["class"] == "missing" }.count == 2)
    #expect(bars(elements, class: "whisker").map(\.category) == [long, "b"])
    let scale = try #require(rendered.xScale)
    #expect(scale.lower <= -3 && scale.upper >= 1)

    let empty = BarChart(id: "empty", title: "Nothing", xLabel: "x", categories: []).render()
    _ = checkedSVG(empty)
    #expect(empty.svg.contains(">No data<"))
    #expect(TextMetrics.truncateMiddle("abcdefghij", toWidth: 6 * 7.2, fontSize: 12) == "ab…hij")
    #expect(TextMetrics.truncateMiddle("abc", toWidth: 100, fontSize: 12) == "abc")
  }

  @Test func scatterChartsLabelWithoutOverlapAndSkipMissingPoints() throws {
    var chart = ScatterChart(
      id: "plane", title: "Plane", xLabel: "μ*", yLabel: "σ", pointName: "Parameter")
    chart.diagonal = "σ = μ*"
    chart.points = [
      .init(name: "far.right.parameter.with.a.long.name", x: 10, y: 2),
      .init(name: "near.origin.one", x: 0.01, y: 0.01),
      .init(name: "near.origin.two", x: 0.011, y: 0.012),
      .init(name: "missing", x: .nan, y: 1),
      .init(name: "infinite", x: 1, y: .infinity),
    ]
    let rendered = chart.render()
    let elements = checkedSVG(rendered)
    #expect(rendered.series == [DrawnSeries(name: "Parameter", points: 3)])
    let labels = elements.filter { $0.attributes["class"] == "label" }
    // The rightmost point's label turns left to stay inside; of the two points at the origin
    // only the one with the larger μ* is labelled, the other's label would cover it.
    // Long names lose their middle (the tooltip keeps them whole).
    #expect(labels.map(\.text) == ["far.right.pa….a.long.name", "near.origin.two"])
    #expect(rendered.svg.contains("<title>far.right.parameter.with.a.long.name\n"))
    #expect(labels[0].attributes["text-anchor"] == "end")
    for label in labels {
      let x = try #require(Double(label.attributes["x"] ?? ""))
      let width = TextMetrics.width(label.text, fontSize: ScatterChart.labelSize)
      let anchoredLeft = label.attributes["text-anchor"] == "end" ? x - width : x
      #expect(anchoredLeft >= 0 && anchoredLeft + width <= chart.width, "\(label.text)")
    }
    #expect(rendered.svg.contains("<title>near.origin.one\nμ*: 0.01\nσ: 0.01</title>"))
    let diagonal = try #require(elements.first { $0.attributes["class"] == "diagonal" })
    // Back from pixels to values through two known points: the line runs from (0, 0) along
    // y = x.
    let circles = elements.filter { $0.attributes["class"] == "point" }
    let pixel = { (k: Int, axis: String) in Double(circles[k].attributes[axis] ?? "") ?? .nan }
    let value = { (p: Double, axis: String, a: Double, b: Double) -> Double in
      let (pa, pb) = (pixel(0, axis), pixel(1, axis))
      return a + (p - pa) / (pb - pa) * (b - a)
    }
    let coordinate = { (name: String) in Double(diagonal.attributes[name] ?? "") ?? .nan }
    for end in ["1", "2"] {
      let x = value(coordinate("x" + end), "cx", 10, 0.01)
      let y = value(coordinate("y" + end), "cy", 2, 0.01)
      #expect(abs(x - y) < 0.02, "end \(end): \(x), \(y)")
    }
    #expect(abs(value(coordinate("x1"), "cx", 10, 0.01)) < 0.02)

    let empty = ScatterChart(id: "e", title: "Empty", xLabel: "x", yLabel: "y", pointName: "p")
      .render()
    _ = checkedSVG(empty)
    #expect(empty.svg.contains(">No data<"))
  }

  /// The charts of the synthetic Morris and Sobol folders, byte for byte, as `ChartTests`
  /// pins those of the other reports: a refactoring leaves these digests alone, a change meant
  /// to alter the charts updates them.
  @Test func chartMarkupIsPinned() throws {
    let folder = try TestFolder.make("sensitivity-pins")
    defer { TestFolder.remove(folder) }
    let digests = try [morrisFolder(folder), sobolFolder(folder)].map { sensitivity in
      let document = SensitivityReport.document(try SensitivityData.load(folder: sensitivity))
      return SHA256.hexDigest(Array(document.charts.map(\.svg).joined().utf8))
    }
    #expect(
      digests == [
        "7b171059b5fc0dfab671054f8be8696e43ecd02a1043bb10c0b975a5979574b5",
        "b1ce2db65be6e0b128cbfca5d49ac41c8f8b58f8eb017d89533757737e5e61c2",
      ])
  }

  @Test func reportCommandWritesTheSensitivityReport() throws {
    let folder = try TestFolder.make("sensitivity-cli")
    defer { TestFolder.remove(folder) }
    let sobol = try sobolFolder(folder)
    let svg = folder.appendingPathComponent("figures").path
    let report = try TalentflowProcess.run(["report", sobol.path, "--svg", svg])
    #expect(report.status == 0, "\(report.stderr)")
    #expect(
      report.stdout
        == "Wrote \(sobol.path)/report.html (1 charts)\nWrote 1 SVG files to \(svg)/\n")
    #expect(TestFolder.contents(URL(fileURLWithPath: svg)) == ["01-sobol-move_rate_monthly.svg"])
    let series = try TalentflowProcess.run(["report", sobol.path, "--series", "unemployed"])
    #expect(series.status == 64)
    #expect(
      series.stderr.contains(
        "--series applies to comparison and sweep folders; \(sobol.path) is a sensitivity folder"))
  }
}
