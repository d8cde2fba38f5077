/// A horizontal bar chart: one row per category (top to bottom, in the order given), in each
/// row one bar per kind of bar, each with an optional interval drawn as a whisker.
///
/// Values run along x from 0, so a negative value is a bar left of the zero line; a value that
/// is not finite draws no bar but an "n/a" mark at zero, and an interval with an end that is not
/// finite draws no whisker. The height follows from the number of rows. Category labels that do
/// not fit their column lose their middle (`TextMetrics.truncateMiddle`); hovering a row shows
/// its full name and every value.
///
/// The frame and legend are `ChartFrame` and `ChartLegend`, as for the line charts; the layout
/// is in BarChart+Layout.swift and the marks in BarChart+Marks.swift.
public struct BarChart: Sendable {
  /// One kind of bar (such as μ*): a value per category and, optionally, an interval per
  /// category.
  public struct Bars: Sendable {
    public var name: String
    /// A CSS colour, normally from `Palette`.
    public var color: String
    /// One value per category; a non-finite value is missing.
    public var values: [Double]
    /// The ends of each value's interval, parallel to `values` (empty: no intervals).
    public var lower: [Double]
    public var upper: [Double]

    public init(
      name: String, color: String, values: [Double], lower: [Double] = [],
      upper: [Double] = []
    ) {
      self.name = name
      self.color = color
      self.values = values
      self.lower = lower
      self.upper = upper
    }

    /// The interval of category `k`, if both ends are finite.
    func interval(_ k: Int) -> (lower: Double, upper: Double)? {
      guard k < lower.count, k < upper.count, lower[k].isFinite, upper[k].isFinite else {
        return nil
      }
      return (lower[k], upper[k])
    }

    /// The value of category `k` (NaN past the end).
    func value(_ k: Int) -> Double { k < values.count ? values[k] : .nan }
  }

  public var id: String
  public var title: String
  public var xLabel: String
  /// The rows' names, top first.
  public var categories: [String]
  /// The bars of each row, top first within the row.
  public var bars: [Bars] = []
  /// What the whiskers show, for the legend ("95% bootstrap interval"); nil: not listed.
  public var intervalName: String? = nil
  /// Extra lines per category for its tooltip, parallel to `categories` (empty: none).
  public var categoryNotes: [String] = []
  /// Values the x axis must cover besides the bars and whiskers.
  public var xCovers: [Double] = []
  public var width = 640.0
  /// Whether the chart should take the whole width of the page.
  public var wide = false

  /// The colour of whiskers: dark, so that they show on a bar and beyond its end alike.
  static let whiskerColor = "#333333"

  public init(id: String, title: String, xLabel: String, categories: [String]) {
    self.id = id
    self.title = title
    self.xLabel = xLabel
    self.categories = categories
  }

  public func render() -> RenderedChart {
    var entries = bars.map { ChartLegend.Entry(name: $0.name, color: $0.color, swatch: .area) }
    if let intervalName, hasIntervals {
      entries.append(.init(name: intervalName, color: BarChart.whiskerColor, swatch: .line))
    }
    let legend = ChartLegend(
      entries, from: 16, to: width - ChartAxes.rightMargin, labelsStateFontSize: true)
    let layout = Layout(self, top: legend.bottom + 8)
    let frame = ChartFrame(id: id, title: title, width: width, height: layout.height)
    var svg = frame.begin()
    legend.draw(&svg)
    drawRowShading(&svg, layout)
    layout.drawXAxis(&svg, xLabel: xLabel)
    guard !categories.isEmpty else {
      ChartFrame.message(&svg, "No data", x: layout.centreX, y: layout.top + 20)
      return frame.finish(
        &svg, wide: wide, xScale: layout.scale, yScale: nil,
        series: bars.map { DrawnSeries(name: $0.name, points: 0) })
    }
    let drawn = drawBars(&svg, layout)
    drawWhiskers(&svg, layout)
    drawCategoryLabels(&svg, layout)
    hoverRows(&svg, layout)
    return frame.finish(&svg, wide: wide, xScale: layout.scale, yScale: nil, series: drawn)
  }

  /// Whether any bar has an interval to draw.
  var hasIntervals: Bool {
    bars.contains { b in categories.indices.contains { b.interval($0) != nil } }
  }
}
