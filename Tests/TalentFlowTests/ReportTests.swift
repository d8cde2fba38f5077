import Foundation
import Testing

@testable import TalentFlow

/// Elements of a page, after checking it is well-formed XML.
private func parsedPage(_ html: String, sourceLocation: SourceLocation = #_sourceLocation)
  -> [ParsedElement]
{
  let parsed = parseXML(html)
  #expect(parsed.error == nil, "report.html: \(parsed.error ?? "")", sourceLocation: sourceLocation)
  return parsed.elements
}

/// Checks that a page loads nothing and runs nothing.
private func expectSelfContained(_ html: String, sourceLocation: SourceLocation = #_sourceLocation)
{
  let lowered = html.lowercased()
  for forbidden in [
    "<script", "<link", "@import", "url(", "<img", "<iframe", "https:", "@font-face",
  ] {
    #expect(
      !lowered.contains(forbidden), "page contains \(forbidden)", sourceLocation: sourceLocation)
  }
  let http = lowered.components(separatedBy: "http://").dropFirst()
  #expect(
    http.allSatisfy { $0.hasPrefix("www.w3.org/2000/svg\"") }, "page refers to a web address",
    sourceLocation: sourceLocation)
}

@Suite("Run reports")
struct ReportTests {
  @Test func syntheticRunHasExpectedCharts() throws {
    let folder = try TestFolder.make("report-synthetic")
    defer { TestFolder.remove(folder) }
    let run = try writeSyntheticRun(in: folder.appendingPathComponent("run"), ticks: 24)
    let data = try RunData.load(folder: run)
    #expect(data.problems.isEmpty, "\(data.problems)")
    #expect(
      data.rsu == [
        .init(tick: 0, mean: 70, minimum: 60, maximum: 80),
        .init(tick: 12, mean: 70, minimum: 60, maximum: 80),
        .init(tick: 24, mean: 70, minimum: 60, maximum: 80),
      ])
    #expect(data.cumulativeFlows[.bigtech, .startup, .voluntary] == 24)
    let document = RunReport.document(data)
    let charts = Dictionary(uniqueKeysWithValues: document.charts.map { ($0.id, $0) })
    #expect(
      document.charts.map(\.id) == [
        "employment", "moves-per-year", "hires-layoffs-per-year", "flows-sankey",
        "startups-per-year", "living-startups", "startup-equity-offer", "bigtech-rsu-offer",
        "wages", "funding-climate",
      ])
    for chart in document.charts { _ = checkedSVG(chart) }

    // Employment: three stacked layers of ticks 0…24; the top (100 + 24 + 50 + 10) is under 200.
    let employment = try #require(charts["employment"])
    #expect(employment.series.map(\.name) == ["Big tech", "Startups", "Unemployed"])
    #expect(employment.series.allSatisfy { $0.points == 25 })
    #expect(employment.yScale.map { ($0.lower, $0.upper, $0.step) } ?? (0, 0, 0) == (0, 200, 50))
    #expect(employment.xScale.map { ($0.lower, $0.upper) } ?? (0, 0) == (0, 2))

    // Moves per year: one big-tech → startup move a tick gives 12 a year, for years 1 and 2.
    let moves = try #require(charts["moves-per-year"])
    #expect(moves.series.count == 4 && moves.series.allSatisfy { $0.points == 2 })
    #expect(moves.yScale.map { ($0.lower, $0.upper, $0.step) } ?? (0, 0, 0) == (0, 12, 2))
    #expect(moves.svg.contains("Year 2 (ticks 13–24)\nBig tech → startup: 12"))

    // RSU: a band and a mean at the three snapshots.
    let rsu = try #require(charts["bigtech-rsu-offer"])
    #expect(rsu.series == [DrawnSeries(name: "Mean over big-tech firms", points: 3)])
    #expect(rsu.svg.contains("Range across big-tech firms: 60 – 80\nMean over big-tech firms: 70"))

    // The Sankey has the two flows of the file.
    let sankey = try #require(charts["flows-sankey"])
    #expect(sankey.series.filter { $0.points > 0 }.map(\.name) == ["voluntary", "entry"])
    #expect(sankey.svg.contains("Big tech → Startups, voluntary: 24 people"))
  }

  @Test func partialYearsAreMarked() throws {
    let folder = try TestFolder.make("report-partial")
    defer { TestFolder.remove(folder) }
    let run = try writeSyntheticRun(in: folder, ticks: 30)
    let document = RunReport.document(try RunData.load(folder: run))
    let moves = try #require(document.charts.first { $0.id == "moves-per-year" })
    #expect(moves.series.allSatisfy { $0.points == 3 })
    #expect(moves.svg.contains("Year 3 (ticks 25–30, partial year)\nBig tech → startup: 6"))
  }

  @Test func headlineMeasuresMatchAnInMemoryRun() throws {
    let folder = try TestFolder.make("report-real")
    defer { TestFolder.remove(folder) }
    var config = Configuration()
    config.name =
      String(repeating: "A very long scenario name <&> \"quoted\" ", count: 10) + "\u{1}"
    config.description = "Tests that names & descriptions with <markup> are escaped."
    config.population.size = 1500
    config.firms.startups = 60
    config.time.ticks = 30
    config.time.warmup = 12
    let runFolder = folder.appendingPathComponent("run")
    _ = try Runner.run(config: config, destination: runFolder, force: false, threads: 2)
    let page = runFolder.appendingPathComponent("report.html")
    let written = try ReportWriter.write(
      folder: runFolder, page: page, svgFolder: folder.appendingPathComponent("svg"))
    #expect(written.charts == 10 && written.svgFiles.count == 10)
    let html = try String(contentsOf: page, encoding: .utf8)
    expectSelfContained(html)
    let elements = parsedPage(html)
    #expect(elements.filter { $0.name == "svg" }.count == 10)
    #expect(
      elements.first { $0.name == "h1" }?.text
        == config.name.replacingOccurrences(
          of: "\u{1}", with: "\u{FFFD}"))
    #expect(nonFiniteAttributes(elements).isEmpty)
    #expect(elements.first { $0.name == "a" }?.attributes["href"] == "manifest.json")
    for file in written.svgFiles {
      let svg = try String(contentsOf: file, encoding: .utf8)
      #expect(
        svg.hasPrefix(
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Generator: talentflow report -->\n"
            + "<svg xmlns="))
      let parsed = parseXML(svg)
      #expect(parsed.error == nil, "\(file.lastPathComponent): \(parsed.error ?? "")")
      #expect(nonFiniteAttributes(parsed.elements).isEmpty)
    }

    // The table shows the library's headline measures of the same run, computed in memory.
    let expected = RunMeasures.headlineValues(
      of: MeasuredRun(records: try Runner.records(config: config, threads: 1), config: config))
    let cells = elements.filter { $0.name == "td" }.map(\.text)
    for (k, name) in RunMeasures.headlineNames.enumerated() {
      let row = try #require(cells.firstIndex(of: name))
      #expect(expected[k].isFinite, "\(name)")
      #expect(cells[row + 1].hasPrefix(NumberFormat.value(expected[k])), "\(name)")
    }
    let data = try RunData.load(folder: runFolder)
    #expect(data.problems.isEmpty)
    #expect(data.records.count == 31)

    // The same folder gives the same page, byte for byte; a page elsewhere links back.
    let again = folder.appendingPathComponent("elsewhere/copy.html")
    _ = try ReportWriter.write(folder: runFolder, page: again, svgFolder: nil)
    let copy = try String(contentsOf: again, encoding: .utf8)
    #expect(copy.replacingOccurrences(of: "href=\"../run/", with: "href=\"") == html)
  }

  @Test func constantRunRendersEveryChart() throws {
    let folder = try TestFolder.make("report-constant")
    defer { TestFolder.remove(folder) }
    let run = try writeSyntheticRun(in: folder, ticks: 12, constant: true, firms: false)
    let document = RunReport.document(try RunData.load(folder: run))
    #expect(document.charts.count == 9)
    for chart in document.charts { _ = checkedSVG(chart) }
    #expect(document.charts.first { $0.id == "flows-sankey" }?.svg.contains(">No flows<") == true)
    let html = HTMLPage.render(document, relativeTo: run)
    _ = parsedPage(html)
    #expect(html.contains("wrote no firms.csv"))
    // A run of zero recorded ticks still has a report.
    let empty = try writeSyntheticRun(in: folder.appendingPathComponent("zero"), ticks: 0)
    let zero = RunReport.document(try RunData.load(folder: empty))
    for chart in zero.charts { _ = checkedSVG(chart) }
  }

  @Test func tenThousandTicksStayReadable() throws {
    let folder = try TestFolder.make("report-long")
    defer { TestFolder.remove(folder) }
    let run = try writeSyntheticRun(
      in: folder, ticks: 10_200, name: String(repeating: "Long-run scenario ", count: 30))
    let document = RunReport.document(try RunData.load(folder: run))
    for chart in document.charts {
      let elements = checkedSVG(chart)
      #expect(chart.series.allSatisfy { $0.points <= Downsample.maximumPoints }, "\(chart.id)")
      #expect(
        elements.filter { $0.attributes["fill-opacity"] == "0" }.count
          <= LineChart.maximumHoverColumns)
      #expect(chart.svg.utf8.count < 300_000, "\(chart.id): \(chart.svg.utf8.count) bytes")
    }
    let employment = try #require(document.charts.first)
    #expect(employment.xScale.map { ($0.lower, $0.upper) } ?? (0, 0) == (0, 900))
    let html = HTMLPage.render(document, relativeTo: run)
    _ = parsedPage(html)
    #expect(html.utf8.count < 2_000_000)
  }

  @Test func damagedFilesAreReportedNotCharted() throws {
    let folder = try TestFolder.make("report-damaged")
    defer { TestFolder.remove(folder) }
    let run = try writeSyntheticRun(in: folder, ticks: 24)
    let timeseries = run.appendingPathComponent("timeseries.csv")
    let original = try String(contentsOf: timeseries, encoding: .utf8)

    // An edited file: the report is made but says the checksum does not match.
    try Data((original + "\n").utf8).write(to: timeseries)
    let edited = try RunData.load(folder: run)
    #expect(edited.problems.count == 1)
    #expect(edited.problems.first?.contains("timeseries.csv does not match its SHA-256") == true)
    #expect(HTMLPage.render(RunReport.document(edited), relativeTo: run).contains("Warning: "))

    // A value that is not a number: the file, line, column and value are named.
    var lines = original.split(separator: "\n").map(String.init)
    var fields = lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    let column = try #require(Timeseries.columns.firstIndex(of: "funding_climate"))
    fields[column] = "abc"
    lines[2] = fields.joined(separator: ",")
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: timeseries)
    #expect(
      throws: ReportError(
        file: timeseries.path,
        message: "line 3, column funding_climate: expected a number, got \"abc\"")
    ) {
      try RunData.load(folder: run)
    }

    // A missing column, and a short row.
    try Data(original.replacingOccurrences(of: ",mean_utility\n", with: ",utility\n").utf8)
      .write(to: timeseries)
    #expect(throws: ReportError.self) { try RunData.load(folder: run) }
    do {
      _ = try RunData.load(folder: run)
    } catch {
      #expect(error.message.hasPrefix("has no column mean_utility"))
    }
    try Data((original + "1,2\n").utf8).write(to: timeseries)
    #expect(
      throws: ReportError(
        file: timeseries.path,
        message: "line 27 has 2 fields, the header has \(Timeseries.columns.count)")
    ) {
      try RunData.load(folder: run)
    }
    try Data(original.utf8).write(to: timeseries)

    // An unknown sector in flows.csv.
    let flows = run.appendingPathComponent("flows.csv")
    try Data("tick,from,to,reason,count\n1,bigtek,startup,voluntary,1\n".utf8).write(to: flows)
    #expect(
      throws: ReportError(
        file: flows.path,
        message:
          "line 2, column from: \"bigtek\" is not one of bigtech, startup, unemployed, outside")
    ) {
      try RunData.load(folder: run)
    }

    // A manifest without ticks per year.
    let manifest = run.appendingPathComponent("manifest.json")
    try Data("{\"configuration\": {\"time\": {\"ticksPerYear\": 0}}}".utf8).write(to: manifest)
    #expect(
      throws: ReportError(
        file: manifest.path,
        message: "configuration.time.ticksPerYear must be a positive integer, got 0")
    ) {
      try RunData.load(folder: run)
    }
  }

  @Test func foldersAreRecognisedByTheirFiles() throws {
    let folder = try TestFolder.make("report-kinds")
    defer { TestFolder.remove(folder) }
    #expect(
      throws: ReportError(
        file: folder.appendingPathComponent("missing").path, message: "is not a folder")
    ) {
      try ReportKind.detect(folder: folder.appendingPathComponent("missing"))
    }
    do {
      _ = try ReportKind.detect(folder: folder)
      Issue.record("an empty folder was accepted")
    } catch {
      #expect(error.message.hasPrefix("is not a folder a report can be made of"))
      #expect(error.message.contains("timeseries.csv"))
    }
    let run = try writeSyntheticRun(in: folder.appendingPathComponent("run"), ticks: 12)
    #expect(try ReportKind.detect(folder: run) == .run)
  }
}
