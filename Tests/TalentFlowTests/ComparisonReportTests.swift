import Foundation
import Testing

@testable import TalentFlow

@Suite("Comparison reports")
struct ComparisonReportTests {
  @Test func syntheticComparisonHasBandsAndEffects() throws {
    let folder = try TestFolder.make("comparison-report")
    defer { TestFolder.remove(folder) }
    let comparison = try writeSyntheticComparison(in: folder)
    #expect(try ReportKind.detect(folder: comparison) == .comparison)
    let data = try ComparisonData.load(folder: comparison)
    #expect(data.problems.isEmpty, "\(data.problems)")
    #expect(data.measures.map(\.name) == RunMeasures.headlineNames)
    #expect(data.measures[2].low == 0.5 && data.measures[2].high == 3.5)
    let document = ComparisonReport.document(data)
    #expect(document.title == "ban − baseline")
    #expect(document.charts.map(\.id) == ComparisonData.defaultSeries.map { "difference-\($0)" })
    for chart in document.charts {
      let elements = checkedSVG(chart)
      #expect(chart.series == [DrawnSeries(name: "Mean difference", points: 13)])
      #expect(elements.filter { $0.attributes["class"] == "band" }.count == 1)
      // −6…+6 with a ±2 band, and the zero line.
      #expect(chart.yScale.map { ($0.lower, $0.upper) } ?? (0, 0) == (-8, 8))
    }
    let first = try #require(document.charts.first)
    #expect(first.svg.contains("Tick 12 · year 1\n95% interval: 4 – 8\nMean difference: 6"))

    let html = HTMLPage.render(document, relativeTo: comparison)
    let page = parseXML(html)
    #expect(page.error == nil, "\(page.error ?? "")")
    let cells = page.elements.filter { $0.name == "td" }.map(\.text)
    // Measure 0's interval includes 0, measure 2's does not.
    let zero = try #require(cells.firstIndex(of: RunMeasures.headlineNames[0]))
    #expect(
      Array(cells[zero...(zero + 7)]) == [
        "move_rate_monthly", "100", "100", "0", "[-1.5, +1.5]", "+0.0%", "no", "3 / 6 (0.50)",
      ])
    let two = try #require(cells.firstIndex(of: RunMeasures.headlineNames[2]))
    #expect(cells[two + 6] == "yes")
  }

  @Test func unknownColumnsAndDamagedFilesAreNamed() throws {
    let folder = try TestFolder.make("comparison-report-bad")
    defer { TestFolder.remove(folder) }
    let comparison = try writeSyntheticComparison(in: folder)
    let difference = comparison.appendingPathComponent("difference.csv")
    do {
      _ = try ComparisonData.load(folder: comparison, series: ["nope"])
      Issue.record("an unknown column was accepted")
    } catch {
      #expect(error.file == difference.path)
      #expect(error.message.hasPrefix("has no rows for column nope (it has professionals,"))
    }
    let text = try String(contentsOf: difference, encoding: .utf8)
    try Data(
      text.replacingOccurrences(of: "0,employed_startup,-6,", with: "0,employed_startup,x,").utf8
    )
    .write(to: difference)
    #expect(
      throws: ReportError(
        file: difference.path,
        message: "line 4, column mean_difference: expected a number, got \"x\"")
    ) {
      try ComparisonData.load(folder: comparison)
    }
    try Data((text + "\n").utf8).write(to: difference)
    #expect(try ComparisonData.load(folder: comparison).problems.count == 1)
  }
}
