/// A line chart or stacked-area chart over a numeric x axis, rendered to standalone SVG.
///
/// Every chart has a title, axis labels with units, a legend, "nice" ticks and a hover tooltip
/// (`<title>`) per x position listing every series' value. Series longer than
/// `Downsample.maximumPoints` are reduced deterministically; missing values leave gaps.
///
/// The frame, legend and axes are `ChartFrame`, `ChartLegend` and `ChartAxes`; the data is
/// prepared in LineChart+Data.swift, drawn in LineChart+Marks.swift and described on hover in
/// LineChart+Hover.swift.
public struct LineChart: Sendable {
  /// How the series are drawn.
  public enum Style: Sendable {
    /// Lines through the points (markers too when there are few).
    case lines
    /// Stacked areas: each series on top of the previous ones.
    case stackedArea
    /// Markers only, bands as vertical whiskers: for categories such as design points.
    case points
  }

  public var id: String
  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var style: Style = .lines
  public var xKind: ChartXKind = .plain
  public var series: [ChartSeries] = []
  public var bands: [ChartBand] = []
  /// Extend the y axis to 0 (counts and stocks).
  public var includeZero = true
  /// Whether to draw the legend (small multiples explain their marks in a caption instead).
  public var showLegend = true
  /// Values the y axis must cover besides the data (small multiples share one axis so).
  public var yCovers: [Double] = []
  /// Whether y counts whole things (people, firms), so ticks are never fractions.
  public var countsY = false
  /// A dashed horizontal reference line, such as a neutral funding climate of 1.
  public var referenceY: Double? = nil
  /// Extra text per point of the first series, shown in its tooltip ("partial year").
  public var pointNotes: [String] = []
  public var width = 640.0
  public var height = 360.0
  /// Whether the chart should take the whole width of the page (give it a larger `width`).
  public var wide = false

  /// The most hover columns per chart (each a transparent rectangle with a tooltip).
  static let maximumHoverColumns = 240
  /// Lines with at most this many points get a marker at each point.
  static let markerLimit = 40

  public init(id: String, title: String, xLabel: String, yLabel: String) {
    self.id = id
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
  }

  public func render() -> RenderedChart {
    let prepared = series.map(LineChart.prepare)
    let stackTops = style == .stackedArea ? LineChart.stackTops(prepared) : []
    let (xScale, yScale, hasData) = scales(prepared, stackTops: stackTops)
    let legend = ChartLegend(
      showLegend ? legendEntries(prepared) : [], from: 16, to: width - ChartAxes.rightMargin,
      labelsStateFontSize: true)
    let axes = ChartAxes(
      xScale: xScale, yScale: yScale, chartWidth: width, chartHeight: height,
      top: legend.bottom + 8)
    let frame = ChartFrame(id: id, title: title, width: width, height: height)
    var svg = frame.begin()
    legend.draw(&svg)
    axes.draw(&svg, xLabel: xLabel, yLabel: yLabel)
    guard hasData else {
      ChartFrame.message(&svg, "No data", x: axes.centreX, y: axes.centreY)
      return frame.finish(
        &svg, wide: wide, xScale: xScale, yScale: yScale,
        series: prepared.map { DrawnSeries(name: $0.name, points: 0) })
    }
    drawBands(&svg, axes)
    let drawn: [DrawnSeries]
    switch style {
    case .stackedArea: drawn = drawStack(&svg, prepared, stackTops: stackTops, axes)
    case .points: drawn = drawPoints(&svg, prepared, axes)
    case .lines: drawn = drawLines(&svg, prepared, axes)
    }
    drawReference(&svg, axes)
    hoverColumns(&svg, prepared: prepared, stackTops: stackTops, axes)
    return frame.finish(&svg, wide: wide, xScale: xScale, yScale: yScale, series: drawn)
  }

  /// The legend: the bands it lists, then every series, each with the swatch of its style.
  private func legendEntries(_ prepared: [Prepared]) -> [ChartLegend.Entry] {
    let swatch: (Prepared) -> ChartLegend.Swatch = {
      switch style {
      case .stackedArea: return .area
      case .points: return .point
      case .lines: return $0.dashed ? .dashed : .line
      }
    }
    let listedBands = bands.filter(\.inLegend).map {
      ChartLegend.Entry(name: $0.name, color: $0.color, swatch: .band)
    }
    return listedBands
      + prepared.map { ChartLegend.Entry(name: $0.name, color: $0.color, swatch: swatch($0)) }
  }
}
