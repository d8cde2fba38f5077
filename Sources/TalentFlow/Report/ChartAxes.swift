/// The plot area of a chart with two numeric axes: where a value is drawn, and the grid, ticks
/// and axis labels around it.
struct ChartAxes {
  let xScale: NiceScale
  let yScale: NiceScale
  /// The plot's edges in the chart's pixels.
  let left: Double
  let right: Double
  let top: Double
  let bottom: Double
  /// The chart's height (the x axis label sits near its foot).
  let chartHeight: Double
  /// The labels of the y ticks, which decide how far in the plot starts.
  let yTickLabels: [String]

  /// The space right of the plot.
  static let rightMargin = 18.0
  /// The font size of tick labels.
  static let tickSize = 11.0

  /// The plot of a chart of `chartWidth` × `chartHeight` from `top` down, left of it room
  /// for the widest y tick label and the y axis label.
  init(
    xScale: NiceScale, yScale: NiceScale, chartWidth: Double, chartHeight: Double, top: Double
  ) {
    self.xScale = xScale
    self.yScale = yScale
    yTickLabels = yScale.ticks.map { NumberFormat.number($0, decimals: yScale.decimals) }
    let widestTick =
      yTickLabels.map { TextMetrics.width($0, fontSize: ChartAxes.tickSize) }.max() ?? 0
    left = (28 + widestTick + 8).rounded()
    right = chartWidth - ChartAxes.rightMargin
    self.top = top
    bottom = chartHeight - 46
    self.chartHeight = chartHeight
  }

  /// The pixel x of a value.
  func px(_ x: Double) -> Double { xScale.position(x, from: left, to: right) }
  /// The pixel y of a value.
  func py(_ y: Double) -> Double { yScale.position(y, from: bottom, to: top) }

  /// The middle of the plot, across and down.
  var centreX: Double { (left + right) / 2 }
  var centreY: Double { (top + bottom) / 2 }

  /// Grid lines and labels of the y ticks, ticks and labels of the x axis, the x axis line and
  /// both axis labels.
  func draw(_ svg: inout SVGBuilder, xLabel: String, yLabel: String) {
    drawYGrid(&svg)
    drawXTicks(&svg)
    svg.element(
      "line",
      [
        ("x1", Markup.number(left)), ("x2", Markup.number(right)),
        ("y1", Markup.number(bottom)), ("y2", Markup.number(bottom)), ("stroke", "#555555"),
      ])
    svg.element(
      "text",
      [
        ("x", Markup.number(centreX)), ("y", Markup.number(chartHeight - 10)),
        ("text-anchor", "middle"), ("fill", "#333333"),
      ],
      text: TextMetrics.truncate(xLabel, toWidth: right - left, fontSize: 12))
    svg.element(
      "text",
      [
        ("x", "0"), ("y", "0"), ("text-anchor", "middle"), ("fill", "#333333"),
        ("transform", "translate(14 \(Markup.number(centreY))) rotate(-90)"),
      ],
      text: TextMetrics.truncate(yLabel, toWidth: bottom - top + 30, fontSize: 12))
  }

  /// A grid line across the plot at each y tick (darker at 0), labelled on the left.
  private func drawYGrid(_ svg: inout SVGBuilder) {
    for (k, tick) in yScale.ticks.enumerated() {
      let y = py(tick)
      svg.element(
        "line",
        [
          ("class", "grid"), ("x1", Markup.number(left)), ("x2", Markup.number(right)),
          ("y1", Markup.number(y)), ("y2", Markup.number(y)),
          ("stroke", tick == 0 ? "#9a9a9a" : "#e4e4e4"), ("stroke-width", "1"),
        ])
      svg.element(
        "text",
        [
          ("x", Markup.number(left - 6)), ("y", Markup.number(y + 4)),
          ("text-anchor", "end"), ("font-size", "\(Int(ChartAxes.tickSize))"),
          ("fill", "#555555"),
        ], text: yTickLabels[k])
    }
  }

  /// A tick mark below the plot at each x tick, labelled below it.
  private func drawXTicks(_ svg: inout SVGBuilder) {
    for tick in xScale.ticks {
      let x = px(tick)
      svg.element(
        "line",
        [
          ("x1", Markup.number(x)), ("x2", Markup.number(x)),
          ("y1", Markup.number(bottom)), ("y2", Markup.number(bottom + 5)),
          ("stroke", "#555555"),
        ])
      svg.element(
        "text",
        [
          ("x", Markup.number(x)), ("y", Markup.number(bottom + 18)),
          ("text-anchor", "middle"), ("font-size", "\(Int(ChartAxes.tickSize))"),
          ("fill", "#555555"),
        ], text: NumberFormat.number(tick, decimals: xScale.decimals))
    }
  }
}
