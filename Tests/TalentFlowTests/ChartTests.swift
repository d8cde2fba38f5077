import Foundation
import Testing

@testable import TalentFlow

@Suite("Report charts")
struct ChartTests {
  struct ScaleCase: Sendable, CustomTestStringConvertible {
    var values: [Double]
    var includeZero: Bool
    var minimumStep: Double
    var lower: Double
    var upper: Double
    var step: Double
    var testDescription: String { "\(values) zero:\(includeZero)" }
  }

  @Test(arguments: [
    ScaleCase(values: [0, 97], includeZero: true, minimumStep: 0, lower: 0, upper: 100, step: 20),
    ScaleCase(
      values: [0.13, 0.87], includeZero: false, minimumStep: 0, lower: 0.1, upper: 0.9, step: 0.1),
    ScaleCase(values: [-3, 7], includeZero: false, minimumStep: 0, lower: -4, upper: 8, step: 2),
    ScaleCase(values: [1, 5], includeZero: false, minimumStep: 1, lower: 1, upper: 5, step: 1),
    ScaleCase(values: [1, 2], includeZero: false, minimumStep: 1, lower: 1, upper: 2, step: 1),
    ScaleCase(values: [184, 3], includeZero: true, minimumStep: 0, lower: 0, upper: 200, step: 50),
    ScaleCase(
      values: [0, 2300], includeZero: true, minimumStep: 0, lower: 0, upper: 2500, step: 500),
    ScaleCase(values: [0, 12], includeZero: true, minimumStep: 0, lower: 0, upper: 12, step: 2),
    ScaleCase(values: [], includeZero: false, minimumStep: 0, lower: 0, upper: 1, step: 0.2),
    ScaleCase(
      values: [.nan, .infinity], includeZero: true, minimumStep: 0, lower: 0, upper: 1, step: 0.2),
    ScaleCase(values: [0, 0, 0], includeZero: true, minimumStep: 0, lower: 0, upper: 1, step: 0.2),
  ])
  func niceScale(_ c: ScaleCase) {
    let scale = NiceScale(
      covering: c.values, includeZero: c.includeZero, minimumStep: c.minimumStep)
    #expect(abs(scale.lower - c.lower) < 1e-9)
    #expect(abs(scale.upper - c.upper) < 1e-9)
    #expect(abs(scale.step - c.step) < 1e-12)
    #expect(scale.ticks.first == scale.lower)
    #expect(abs((scale.ticks.last ?? .nan) - scale.upper) < 1e-9)
  }

  @Test func paddingKeepsExtremesOffTheAxis() {
    let padded = NiceScale(covering: [12, 16], padding: 0.03)
    #expect((padded.lower, padded.upper, padded.step) == (11, 17, 1))
    let zero = NiceScale(covering: [0, 10], includeZero: true, padding: 0.03)
    #expect(zero.lower == 0)
  }

  @Test func constantAndExtremeValuesGiveFiniteScales() {
    for values in [[5.0, 5.0], [-2.5], [1e-12, 1e-12], [-1e300, 1e300], [1e308, .nan]] {
      let scale = NiceScale(covering: values)
      #expect(scale.lower.isFinite && scale.upper.isFinite && scale.step > 0, "\(values)")
      #expect(scale.upper > scale.lower, "\(values)")
      #expect(scale.ticks.count >= 2 && scale.ticks.count <= 20, "\(values)")
      #expect(scale.ticks.allSatisfy { $0.isFinite }, "\(values)")
      let finite = values.filter { $0.isFinite && abs($0) < 1e100 }
      for v in finite { #expect(scale.lower <= v && v <= scale.upper, "\(values)") }
      #expect(scale.position(.nan, from: 0, to: 100).isFinite)
    }
  }

  @Test func numbersFormatWithoutLocale() {
    #expect(NumberFormat.number(1_234_567) == "1,234,567")
    #expect(NumberFormat.number(-1234.5, decimals: 1) == "-1,234.5")
    #expect(NumberFormat.number(-0.0001, decimals: 2) == "0.00")
    #expect(NumberFormat.number(999) == "999")
    #expect(NumberFormat.number(.nan) == "–")
    #expect(NumberFormat.value(0.037128) == "0.03713")
    #expect(NumberFormat.value(7.8) == "7.8")
    #expect(NumberFormat.value(13.8) == "13.8")
    #expect(NumberFormat.value(545) == "545")
    #expect(NumberFormat.value(-.infinity) == "–")
    #expect(NiceScale(covering: [0, 1]).decimals == 1)
    #expect(NiceScale(covering: [0, 97]).decimals == 0)
    #expect(NiceScale(covering: [0, 0.09]).decimals == 2)
  }

  @Test func theChecksThemselvesCatchBrokenSVG() {
    #expect(parseXML("<svg><g></svg>").error != nil)
    #expect(parseXML("<svg a=\"1\" a=\"2\"/>").error != nil)
    #expect(parseXML("<svg>&</svg>").error != nil)
    #expect(parseXML("<svg><title>a &amp; b</title></svg>").error == nil)
    let elements = parseXML("<svg><path d=\"M0 0 L1 nan\"/><rect x=\"inf\" width=\"1e999\"/></svg>")
      .elements
    #expect(nonFiniteAttributes(elements).count == 3)
    #expect(numberTokens("translate(14 180.5) rotate(-90)") == ["14", "180.5", "-90"])
    #expect(pathPoints("M1 2 L3.5 -4 L5 6").count == 3)
  }

  @Test func markupEscapesAndDropsForbiddenCharacters() {
    #expect(Markup.escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
    #expect(Markup.escape("x\u{1}y\u{0}z") == "x\u{FFFD}y\u{FFFD}z")
    #expect(Markup.number(12.5) == "12.5")
    #expect(Markup.number(3) == "3")
    #expect(Markup.number(-0.001) == "0")
    #expect(Markup.number(-0.25) == "-0.25")
    #expect(Markup.number(1234.567) == "1234.57")
    #expect(Markup.number(.nan) == "nan")
  }

  /// Three lines of five points on x = 0…4, y up to 10.
  func knownLines() -> LineChart {
    var chart = LineChart(
      id: "known", title: "Known lines", xLabel: "x (units)", yLabel: "y (units)")
    let x: [Double] = [0, 1, 2, 3, 4]
    chart.series = [
      ChartSeries(name: "A", color: Palette.blue, x: x, y: [1, 2, 3, 4, 5]),
      ChartSeries(name: "B", color: Palette.orange, x: x, y: [5, 4, 3, 2, 1], dashed: true),
      ChartSeries(name: "C", color: Palette.bluishGreen, x: x, y: [0, 0, 0, 0, 10]),
    ]
    return chart
  }

  @Test func knownLinesHaveExpectedSeriesPointsAndAxes() throws {
    let chart = knownLines().render()
    let elements = checkedSVG(chart)
    #expect(
      chart.series == [
        DrawnSeries(name: "A", points: 5), DrawnSeries(name: "B", points: 5),
        DrawnSeries(name: "C", points: 5),
      ])
    let y = try #require(chart.yScale)
    let x = try #require(chart.xScale)
    #expect((y.lower, y.upper, y.step) == (0, 10, 2))
    #expect((x.lower, x.upper, x.step) == (0, 4, 1))
    let lines = elements.filter { $0.attributes["class"] == "line" }
    #expect(lines.map { $0.attributes["data-series"] } == ["A", "B", "C"])
    let points = lines.map { pathPoints($0.attributes["d"] ?? "") }
    #expect(points.map(\.count) == [5, 5, 5])
    #expect(lines[1].attributes["stroke-dasharray"] != nil)
    // Five points each: markers on every point, one hover column per x.
    #expect(elements.filter { $0.name == "circle" }.count == 15)
    let hover = elements.filter { $0.name == "rect" && $0.attributes["fill-opacity"] == "0" }
    #expect(hover.count == 5)
    // C's last point (10) sits on the top gridline, A's first point (x = 0) on the left edge.
    let gridlines = elements.filter { $0.attributes["class"] == "grid" }
    #expect(gridlines.count == 6)
    let top = gridlines.compactMap { Double($0.attributes["y1"] ?? "") }.min()
    let left = gridlines.compactMap { Double($0.attributes["x1"] ?? "") }.min()
    #expect(points[2].last?.y == top)
    #expect(points[0].first?.x == left)
    #expect(points[0][4].y > points[2][4].y)
    // Tooltips name every series at the hovered x.
    let titles = elements.filter { $0.name == "title" }.map(\.text)
    #expect(titles.contains("4\nA: 5\nB: 1\nC: 10"))
    // Tick labels are the nice values.
    let labels = elements.filter { $0.name == "text" }.map(\.text)
    for label in ["0", "2", "4", "6", "8", "10"] { #expect(labels.contains(label)) }
  }

  @Test func stackedAreasStackAndReportTotals() throws {
    var chart = LineChart(id: "stack", title: "Stacked", xLabel: "x", yLabel: "y")
    chart.style = .stackedArea
    chart.series = [
      ChartSeries(name: "one", color: Palette.blue, x: [0, 1, 2], y: [1, 1, 1]),
      ChartSeries(name: "two", color: Palette.orange, x: [0, 1, 2], y: [2, 2, 2]),
      ChartSeries(name: "three", color: Palette.reddishPurple, x: [0, 1, 2], y: [3, 3, .nan]),
    ]
    let rendered = chart.render()
    let elements = checkedSVG(rendered)
    let areas = elements.filter { $0.attributes["class"] == "area" }
    #expect(areas.count == 3)
    #expect(areas.map { pathPoints($0.attributes["d"] ?? "").count } == [6, 6, 6])
    let y = try #require(rendered.yScale)
    #expect((y.lower, y.upper) == (0, 6))
    let titles = elements.filter { $0.name == "title" }.map(\.text)
    #expect(titles.contains { $0.hasSuffix("total: 6") })
    #expect(titles.contains { $0.hasSuffix("three: –\ntotal: 3") })
  }

  @Test func emptyAndConstantSeriesRenderWithoutDividingByZero() {
    var empty = LineChart(id: "empty", title: "Nothing", xLabel: "x", yLabel: "y")
    _ = checkedSVG(empty.render())
    #expect(empty.render().svg.contains(">No data<"))
    empty.series = [ChartSeries(name: "none", color: Palette.blue, x: [], y: [])]
    empty.bands = [ChartBand(name: "band", color: Palette.blue, x: [], lower: [], upper: [])]
    _ = checkedSVG(empty.render())

    for style in [LineChart.Style.lines, .stackedArea] {
      for value in [0.0, 5.0, -3.0] {
        var chart = LineChart(id: "constant", title: "Constant", xLabel: "x", yLabel: "y")
        chart.style = style
        chart.includeZero = value != 5
        chart.series = [
          ChartSeries(name: "flat", color: Palette.blue, x: [2, 2, 2], y: [value, value, value])
        ]
        let rendered = chart.render()
        _ = checkedSVG(rendered)
        #expect((rendered.yScale?.upper ?? 0) > (rendered.yScale?.lower ?? 0))
      }
    }
    var counts = LineChart(id: "counts", title: "Counts", xLabel: "x", yLabel: "people")
    counts.countsY = true
    counts.series = [ChartSeries(name: "none", color: Palette.blue, x: [1, 2], y: [0, 0])]
    let zeroCounts = counts.render()
    _ = checkedSVG(zeroCounts)
    #expect(zeroCounts.yScale?.ticks == [0, 1])

    var single = LineChart(id: "single", title: "One point", xLabel: "x", yLabel: "y")
    single.series = [ChartSeries(name: "p", color: Palette.blue, x: [1], y: [1])]
    single.referenceY = 1
    _ = checkedSVG(single.render())
  }

  @Test func missingAndInfiniteValuesLeaveGaps() {
    var chart = LineChart(id: "gaps", title: "Gaps", xLabel: "x", yLabel: "y")
    chart.series = [
      ChartSeries(
        name: "gappy", color: Palette.blue, x: [0, 1, 2, 3, 4, .nan],
        y: [1, .nan, 3, .infinity, 5, 6])
    ]
    chart.bands = [
      ChartBand(
        name: "range", color: Palette.blue, x: [0, 1, 2], lower: [0, .nan, 1],
        upper: [2, 3, -.infinity])
    ]
    let rendered = chart.render()
    let elements = checkedSVG(rendered)
    let d = elements.first { $0.attributes["class"] == "line" }?.attributes["d"] ?? ""
    #expect(d.filter { $0 == "M" }.count == 3)
    #expect(rendered.series == [DrawnSeries(name: "gappy", points: 3)])
  }

  @Test func longSeriesAreDownsampledDeterministically() throws {
    let n = 12_001
    let x = (0..<n).map { Double($0) / 12 }
    var chart = LineChart(id: "long", title: "Ten thousand ticks", xLabel: "years", yLabel: "y")
    chart.xKind = .time(ticksPerYear: 12)
    chart.series = [
      ChartSeries(name: "wave", color: Palette.blue, x: x, y: x.map { sin($0) * 100 + $0 }),
      ChartSeries(
        name: "spike", color: Palette.orange, x: x, y: (0..<n).map { $0 == 6_000 ? 1e4 : 0 }),
    ]
    chart.bands = [
      ChartBand(
        name: "band", color: Palette.blue, x: x, lower: x.map { $0 - 5 }, upper: x.map { $0 + 5 })
    ]
    let first = chart.render()
    #expect(first.svg == chart.render().svg)
    let elements = checkedSVG(first)
    for drawn in first.series {
      #expect(drawn.points <= Downsample.maximumPoints && drawn.points >= 1_000, "\(drawn)")
    }
    #expect(
      elements.filter { $0.attributes["fill-opacity"] == "0" }.count
        <= LineChart.maximumHoverColumns)
    #expect(elements.filter { $0.name == "circle" }.isEmpty)
    // The spike survives downsampling: its path reaches the top of the axis.
    let spike = try #require(elements.first { $0.attributes["data-series"] == "spike" })
    let ys = pathPoints(spike.attributes["d"] ?? "").map(\.y)
    #expect(try #require(first.yScale).upper >= 1e4)
    let spikeTop = try #require(ys.min())
    let zeroLevel = try #require(ys.max())
    #expect(zeroLevel - spikeTop > 200)
    #expect(first.svg.utf8.count < 400_000)

    var stacked = chart
    stacked.style = .stackedArea
    stacked.bands = []
    let area = stacked.render()
    _ = checkedSVG(area)
    #expect(area.series.allSatisfy { $0.points <= Downsample.maximumPoints })
  }

  @Test func downsamplingKeepsEndsAndPeaks() {
    let stride = Downsample.strideIndices(count: 10_001)
    #expect(stride.count <= Downsample.maximumPoints)
    #expect(stride.first == 0 && stride.last == 10_000)
    #expect(zip(stride, stride.dropFirst()).allSatisfy { $0 < $1 })
    #expect(Downsample.strideIndices(count: 10) == Array(0..<10))
    let x = (0..<10_000).map(Double.init)
    let y = (0..<10_000).map { $0 == 4_321 ? 50.0 : 0 }
    let chosen = Downsample.largestTriangleIndices(x: x, y: y)
    #expect(chosen.count == Downsample.maximumPoints)
    #expect(chosen.contains(4_321))
    #expect(chosen.first == 0 && chosen.last == 9_999)
    #expect(zip(chosen, chosen.dropFirst()).allSatisfy { $0 < $1 })
  }

  @Test func longTitlesAndLegendsStayInsideTheChart() throws {
    var chart = knownLines()
    chart.title = String(repeating: "A very long title about labour markets ", count: 8)
    chart.series = (0..<12).map { k in
      ChartSeries(
        name: "Series number \(k) with a rather long descriptive name", color: Palette.cycle[k % 8],
        x: [0, 1], y: [Double(k), Double(k + 1)])
    }
    let rendered = chart.render()
    let elements = checkedSVG(rendered)
    let texts = elements.filter { $0.name == "text" }
    let title = try #require(texts.first)
    #expect(title.text.hasSuffix("…"))
    #expect(TextMetrics.width(title.text, fontSize: 15) + 16 <= chart.width)
    #expect(elements.first { $0.name == "title" }?.text == chart.title)
    for text in texts where text.attributes["transform"] == nil {
      let x = try #require(Double(text.attributes["x"] ?? ""))
      let anchor = text.attributes["text-anchor"] ?? "start"
      let size = Double(text.attributes["font-size"] ?? "12") ?? 12
      let width = TextMetrics.width(text.text, fontSize: size)
      let right = anchor == "start" ? x + width : anchor == "middle" ? x + width / 2 : x
      #expect(right <= chart.width + 1, "\(text.text) ends at \(right)")
    }
    // The legend wrapped onto several rows and the plot kept a usable height.
    let legendYs = Set(texts.dropFirst().prefix(12).compactMap { $0.attributes["y"] })
    #expect(legendYs.count > 2)
    let y = try #require(rendered.yScale)
    let grid = elements.filter { $0.attributes["class"] == "grid" }
    let gridYs = grid.compactMap { Double($0.attributes["y1"] ?? "") }
    #expect((gridYs.max() ?? 0) - (gridYs.min() ?? 0) > 120)
    #expect(y.upper >= 12)
  }

  @Test func sankeyOfKnownFlows() {
    let sankey = SankeyChart(
      id: "flows", title: "Flows",
      nodes: [
        .init(name: "Big tech", color: Palette.blue),
        .init(name: "Startups", color: Palette.orange),
        .init(name: "Unemployed", color: Palette.reddishPurple),
      ],
      categories: [
        .init(name: "voluntary", color: Palette.skyBlue),
        .init(name: "layoff", color: Palette.vermillion),
      ],
      links: [
        .init(source: 0, target: 1, category: 0, value: 30),
        .init(source: 1, target: 0, category: 0, value: 10),
        .init(source: 1, target: 1, category: 0, value: 5),
        .init(source: 0, target: 2, category: 1, value: 5),
        .init(source: 2, target: 0, category: 1, value: 0),
        .init(source: 9, target: 0, category: 0, value: 3),
        .init(source: 0, target: 1, category: 0, value: .nan),
      ], unit: "people")
    let rendered = sankey.render()
    let elements = checkedSVG(rendered)
    #expect(rendered.wide)
    #expect(
      rendered.series == [
        DrawnSeries(name: "voluntary", points: 3), DrawnSeries(name: "layoff", points: 1),
      ])
    #expect(elements.filter { $0.attributes["class"] == "link" }.count == 4)
    // Nodes: big tech and startups on both sides, unemployed only on the right.
    #expect(elements.filter { $0.attributes["class"] == "node" }.count == 5)
    let titles = elements.filter { $0.name == "title" }.map(\.text)
    #expect(
      titles.contains("Big tech → Startups, voluntary: 30 people (85.7% of flows from big tech)"))
    #expect(titles.contains("Big tech: 35 people left"))

    let none = SankeyChart(
      id: "none", title: "No flows", nodes: [.init(name: "A", color: Palette.blue)],
      categories: [.init(name: "c", color: Palette.blue)], links: [], unit: "people"
    ).render()
    _ = checkedSVG(none)
    #expect(none.svg.contains(">No flows<"))
  }

  @Test func lineChartsAndSankeyDiagramsShareTheirFrame() {
    var line = LineChart(id: "same", title: "The same <title>", xLabel: "x", yLabel: "y")
    line.width = 800
    line.height = 300
    var sankey = SankeyChart(
      id: "same", title: "The same <title>", nodes: [], categories: [], links: [], unit: "")
    sankey.width = 800
    sankey.height = 300
    let frame = ChartFrame(id: "same", title: "The same <title>", width: 800, height: 300)
      .begin().markup
    #expect(line.render().svg.hasPrefix(frame))
    #expect(sankey.render().svg.hasPrefix(frame))
    #expect(frame.hasSuffix(">The same &lt;title&gt;</text>\n"))
  }

  /// The charts of the synthetic run, sweep and comparison, byte for byte.
  ///
  /// A refactoring must leave these digests alone; a change meant to alter the charts updates
  /// them. The funding-climate chart is left out: its data comes from `sin`, whose last bit may
  /// differ between C libraries.
  @Test func chartMarkupIsPinned() throws {
    let folder = try TestFolder.make("chart-pins")
    defer { TestFolder.remove(folder) }
    let documents = [
      RunReport.document(
        try RunData.load(
          folder: try writeSyntheticRun(in: folder.appendingPathComponent("run"), ticks: 40))),
      SweepReport.document(
        try SweepData.load(
          folder: try writeSyntheticSweep(in: folder.appendingPathComponent("sweep"), points: 3))),
      ComparisonReport.document(
        try ComparisonData.load(
          folder: try writeSyntheticComparison(in: folder.appendingPathComponent("compare")))),
    ]
    let digests = documents.map { document in
      let markup = document.charts.filter { $0.id != "funding-climate" }.map(\.svg).joined()
      return SHA256.hexDigest(Array(markup.utf8))
    }
    #expect(
      digests == [
        "61cb96e295358201c7fe41dd5c4fdcd6e4a2280ea7c4cba4f09979ed2c70d842",
        "a3e58c08ad4eff79a106bc765aa18a6fc2b506df2caefba0f57da5aac8df9b56",
        "f69c228a25ec794f27d87bec853a06a3d8d3200b11dd5cb7b3255c1791b71312",
      ])
  }

  @Test func relativeLinks() {
    let base = URL(fileURLWithPath: "/data/runs/a", isDirectory: true)
    #expect(
      HTMLPage.relativePath(from: base, to: base.appendingPathComponent("manifest.json"))
        == "manifest.json")
    #expect(
      HTMLPage.relativePath(
        from: URL(fileURLWithPath: "/data/reports", isDirectory: true),
        to: URL(fileURLWithPath: "/data/runs/my run/manifest.json"))
        == "../runs/my%20run/manifest.json")
  }
}
