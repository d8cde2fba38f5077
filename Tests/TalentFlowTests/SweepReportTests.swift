import Foundation
import Testing

@testable import TalentFlow

@Suite("Sweep reports")
struct SweepReportTests {
  @Test func syntheticSweepHasMeasuresOverlaysAndMultiples() throws {
    let folder = try TestFolder.make("sweep-report")
    defer { TestFolder.remove(folder) }
    let sweep = try writeSyntheticSweep(in: folder, points: 3)
    #expect(try ReportKind.detect(folder: sweep) == .sweep)
    let data = try SweepData.load(folder: sweep, series: ["employed_startup", "unemployed"])
    #expect(data.problems.isEmpty, "\(data.problems)")
    #expect(data.design.map(\.values) == [["0.0"], ["0.1"], ["0.2"]])
    #expect(data.bands[0][1].mean.first == 200 && data.bands[0][1].q975.last == 217)
    let document = SweepReport.document(data)
    let ids = document.charts.map(\.id)
    let measureCount = RunMeasures.headline.count
    #expect(data.measureNames == RunMeasures.headlineNames)
    #expect(
      ids.prefix(measureCount) == ArraySlice(RunMeasures.headlineNames.map { "measure-\($0)" }))
    #expect(
      Array(ids.dropFirst(measureCount)) == [
        "sweep-employed_startup", "sweep-employed_startup-p1", "sweep-employed_startup-p2",
        "sweep-employed_startup-p3", "sweep-unemployed", "sweep-unemployed-p1",
        "sweep-unemployed-p2", "sweep-unemployed-p3",
      ])
    for chart in document.charts { _ = checkedSVG(chart) }
    let charts = Dictionary(uniqueKeysWithValues: document.charts.map { ($0.id, $0) })

    // The share by design point: three means (0.1, 0.2, 0.3) with their replicate ranges.
    let share = try #require(charts["measure-startup_share_final"])
    #expect(share.series == [DrawnSeries(name: "Mean over replicates", points: 3)])
    let elements = checkedSVG(share)
    #expect(elements.filter { $0.attributes["class"] == "whisker" }.count == 3)
    #expect(elements.filter { $0.attributes["class"] == "point" }.count == 3)
    #expect(share.xScale.map { ($0.lower, $0.upper) } ?? (0, 0) == (0, 4))
    #expect(share.svg.contains("3 (p3: nonCompete=0.2)\nRange over replicates: 0.29 – 0.31"))

    // Overlay: three means with their bands; the multiples share one y axis.
    let overlay = try #require(charts["sweep-employed_startup"])
    #expect(overlay.series.count == 3 && overlay.series.allSatisfy { $0.points == 13 })
    let multiples = (1...3).compactMap { charts["sweep-employed_startup-p\($0)"] }
    #expect(multiples.count == 3)
    let axes = multiples.compactMap { $0.yScale }
    #expect(axes.count == 3 && axes.allSatisfy { $0 == axes[0] })
    #expect(axes[0].lower == 0 && axes[0].upper >= 317)

    // The page: well-formed, self-contained, a table of means with spreads on hover.
    let html = HTMLPage.render(document, relativeTo: sweep)
    let page = parseXML(html)
    #expect(page.error == nil, "\(page.error ?? "")")
    let cells = page.elements.filter { $0.name == "td" }
    #expect(cells.count == 3 * (2 + RunMeasures.headline.count))
    #expect(
      cells.contains {
        $0.text == "0.3" && $0.attributes["title"] == "2 runs: sd 0.01414, range 0.29 – 0.31"
      })
    #expect(!html.lowercased().contains("<script"))
  }

  @Test func manyDesignPointsAreCappedNotCrammed() throws {
    let folder = try TestFolder.make("sweep-report-many")
    defer { TestFolder.remove(folder) }
    let sweep = try writeSyntheticSweep(in: folder, points: 60)
    let document = SweepReport.document(try SweepData.load(folder: sweep, series: ["unemployed"]))
    let ids = document.charts.map(\.id)
    #expect(!ids.contains("sweep-unemployed"))
    #expect(ids.filter { $0.hasPrefix("sweep-unemployed-p") }.count == SweepReport.multiplesLimit)
    let html = HTMLPage.render(document, relativeTo: sweep)
    #expect(html.contains("The first 48 of 60 points; all are in summary.csv."))
    #expect(parseXML(html).error == nil)
    for chart in document.charts { _ = checkedSVG(chart) }
  }

  @Test func badSweepFilesAreNamed() throws {
    let folder = try TestFolder.make("sweep-report-bad")
    defer { TestFolder.remove(folder) }
    let sweep = try writeSyntheticSweep(in: folder, points: 2)
    let summary = sweep.appendingPathComponent("summary.csv")
    do {
      _ = try SweepData.load(folder: sweep, series: ["not_a_column"])
      Issue.record("an unknown column was accepted")
    } catch {
      #expect(error.file == summary.path)
      #expect(error.message.hasPrefix("has no rows for column not_a_column (it has professionals,"))
    }
    let runs = sweep.appendingPathComponent("runs.csv")
    let text = try String(contentsOf: runs, encoding: .utf8)
    try Data(text.replacingOccurrences(of: "p2-r1,2,", with: "p2-r1,7,").utf8).write(to: runs)
    #expect(
      throws: ReportError(
        file: runs.path,
        message: "line 4, column point: \"7\" is not a design point of design.csv")
    ) {
      try SweepData.load(folder: sweep)
    }
    try Data(text.utf8).write(to: runs)
    try Data((try String(contentsOf: summary, encoding: .utf8) + "\n").utf8).write(to: summary)
    let edited = try SweepData.load(folder: sweep)
    #expect(
      edited.problems == [
        "summary.csv does not match its SHA-256 in manifest.json (edited or damaged?)."
      ])
  }
}
