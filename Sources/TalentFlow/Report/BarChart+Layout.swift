/// Where a bar chart's rows, labels and values go, and its value axis.
extension BarChart {
  /// The geometry of a bar chart: a column of category labels on the left, the plot right of
  /// it, one row per category, the value axis below.
  struct Layout {
    let scale: NiceScale
    /// The plot's edges in the chart's pixels.
    let left: Double
    let right: Double
    let top: Double
    let bottom: Double
    /// The chart's height: the rows plus the axis below them.
    let height: Double
    /// The height of one category's row.
    let rowHeight: Double
    /// How many bars each row holds.
    let barsPerRow: Int
    /// The category labels as drawn (shortened to fit their column).
    let labels: [String]

    /// The thickness of one bar, the space between the bars of a row and above and below them.
    static let barThickness = 11.0
    static let barGap = 2.0
    static let rowPadding = 8.0
    static let labelSize = 12.0
    /// The label column takes at most this share of the chart's width.
    static let labelShare = 0.4

    init(_ chart: BarChart, top: Double) {
      var covered = chart.xCovers
      for bars in chart.bars {
        covered += bars.values
        for k in chart.categories.indices {
          if let interval = bars.interval(k) { covered += [interval.lower, interval.upper] }
        }
      }
      scale = NiceScale(covering: covered, includeZero: true, targetTicks: 6)
      let widest =
        chart.categories.map { TextMetrics.width($0, fontSize: Layout.labelSize) }.max() ?? 0
      let column = min(widest, (chart.width * Layout.labelShare).rounded())
      labels = chart.categories.map {
        TextMetrics.truncateMiddle($0, toWidth: column, fontSize: Layout.labelSize)
      }
      left = (16 + column + 10).rounded()
      right = chart.width - ChartAxes.rightMargin
      self.top = top
      barsPerRow = max(chart.bars.count, 1)
      rowHeight =
        Double(barsPerRow) * Layout.barThickness + Double(barsPerRow - 1) * Layout.barGap
        + 2 * Layout.rowPadding
      bottom = top + Double(max(chart.categories.count, 1)) * rowHeight
      height = bottom + 46
    }

    /// The pixel x of a value.
    func px(_ x: Double) -> Double { scale.position(x, from: left, to: right) }

    /// The top of row `k`.
    func rowTop(_ k: Int) -> Double { top + Double(k) * rowHeight }

    /// The top of the `b`th bar of row `k`.
    func barTop(_ k: Int, _ b: Int) -> Double {
      rowTop(k) + Layout.rowPadding + Double(b) * (Layout.barThickness + Layout.barGap)
    }

    /// The middle of the plot, across.
    var centreX: Double { (left + right) / 2 }

    /// A grid line down the plot at each value tick (darker at 0), labelled below, then the
    /// axis label.
    func drawXAxis(_ svg: inout SVGBuilder, xLabel: String) {
      for tick in scale.ticks {
        let x = px(tick)
        svg.element(
          "line",
          [
            ("class", "grid"), ("x1", Markup.number(x)), ("x2", Markup.number(x)),
            ("y1", Markup.number(top)), ("y2", Markup.number(bottom)),
            ("stroke", tick == 0 ? "#9a9a9a" : "#e4e4e4"), ("stroke-width", "1"),
          ])
        svg.element(
          "text",
          [
            ("x", Markup.number(x)), ("y", Markup.number(bottom + 18)),
            ("text-anchor", "middle"), ("font-size", "\(Int(ChartAxes.tickSize))"),
            ("fill", "#555555"),
          ], text: NumberFormat.number(tick, decimals: scale.decimals))
      }
      svg.element(
        "line",
        [
          ("x1", Markup.number(left)), ("x2", Markup.number(right)),
          ("y1", Markup.number(bottom)), ("y2", Markup.number(bottom)), ("stroke", "#555555"),
        ])
      svg.element(
        "text",
        [
          ("x", Markup.number(centreX)), ("y", Markup.number(height - 10)),
          ("text-anchor", "middle"), ("fill", "#333333"),
        ],
        text: TextMetrics.truncate(xLabel, toWidth: right - left, fontSize: 12))
    }
  }
}
