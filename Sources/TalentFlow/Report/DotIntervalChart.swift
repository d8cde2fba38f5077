/// A dot-and-interval chart (a "forest plot"): one row per item, top to bottom, a dot at its
/// value with a whisker across its interval, on one horizontal axis, over a shaded reference
/// band.
///
/// Made for a calibration's fit: each moment's standardised distance from its target, with the
/// simulation's uncertainty as the whisker, over the band of an acceptable distance. Rows
/// belong to groups (targets, holdouts) drawn in their own colour, filled or hollow. It is laid
/// out like a `BarChart` with one bar per row (same label column, row shading and value axis);
/// a value that is not finite draws "n/a" at zero, an interval with an end that is not finite no
/// whisker. Hovering a row shows its full name, value, interval and note.
public struct DotIntervalChart: Sendable {
  /// One row.
  public struct Row: Sendable {
    public var name: String
    public var value: Double
    public var lower: Double
    public var upper: Double
    /// The index of its group in `groups`.
    public var group: Int
    /// Extra lines for its tooltip.
    public var note: String

    public init(
      name: String, value: Double, lower: Double, upper: Double, group: Int, note: String = ""
    ) {
      self.name = name
      self.value = value
      self.lower = lower
      self.upper = upper
      self.group = group
      self.note = note
    }
  }

  /// A kind of row, with how its dots look.
  public struct Group: Sendable {
    public var name: String
    /// A CSS colour, normally from `Palette`.
    public var color: String
    /// A ring instead of a filled dot.
    public var hollow: Bool

    public init(name: String, color: String, hollow: Bool = false) {
      self.name = name
      self.color = color
      self.hollow = hollow
    }
  }

  /// A shaded range of values across every row.
  public struct Band: Sendable {
    public var name: String
    public var lower: Double
    public var upper: Double

    public init(name: String, lower: Double, upper: Double) {
      self.name = name
      self.lower = lower
      self.upper = upper
    }
  }

  public var id: String
  public var title: String
  public var xLabel: String
  public var rows: [Row] = []
  public var groups: [Group] = []
  /// What the whiskers show, for the legend and tooltips.
  public var intervalName = "interval"
  public var band: Band? = nil
  public var width = 640.0
  public var wide = false

  static let bandColor = "#999999"
  static let whiskerColor = "#333333"

  public init(id: String, title: String, xLabel: String) {
    self.id = id
    self.title = title
    self.xLabel = xLabel
  }

  public func render() -> RenderedChart {
    var entries = groups.map { ChartLegend.Entry(name: $0.name, color: $0.color, swatch: .point) }
    if rows.contains(where: { $0.lower.isFinite && $0.upper.isFinite }) {
      entries.append(.init(name: intervalName, color: DotIntervalChart.whiskerColor, swatch: .line))
    }
    if let band {
      entries.append(.init(name: band.name, color: DotIntervalChart.bandColor, swatch: .band))
    }
    let legend = ChartLegend(
      entries, from: 16, to: width - ChartAxes.rightMargin, labelsStateFontSize: true)
    // The geometry of a bar chart with one bar per row, the band's ends covered by its axis.
    var proxy = BarChart(id: id, title: title, xLabel: xLabel, categories: rows.map(\.name))
    proxy.bars = [
      BarChart.Bars(
        name: "", color: "", values: rows.map(\.value), lower: rows.map(\.lower),
        upper: rows.map(\.upper))
    ]
    proxy.xCovers = band.map { [$0.lower, $0.upper] } ?? []
    proxy.width = width
    let layout = BarChart.Layout(proxy, top: legend.bottom + 8)
    let frame = ChartFrame(id: id, title: title, width: width, height: layout.height)
    var svg = frame.begin()
    legend.draw(&svg)
    proxy.drawRowShading(&svg, layout)
    if let band, band.lower.isFinite, band.upper.isFinite, band.upper > band.lower {
      let left = layout.px(band.lower)
      svg.element(
        "rect",
        [
          ("class", "band"), ("x", Markup.number(left)), ("y", Markup.number(layout.top)),
          ("width", Markup.number(layout.px(band.upper) - left)),
          ("height", Markup.number(layout.bottom - layout.top)),
          ("fill", DotIntervalChart.bandColor), ("fill-opacity", "0.22"),
        ])
    }
    layout.drawXAxis(&svg, xLabel: xLabel)
    guard !rows.isEmpty else {
      ChartFrame.message(&svg, "No data", x: layout.centreX, y: layout.top + 20)
      return frame.finish(
        &svg, wide: wide, xScale: layout.scale, yScale: nil,
        series: groups.map { DrawnSeries(name: $0.name, points: 0) })
    }
    let drawn = drawRows(&svg, layout)
    proxy.drawCategoryLabels(&svg, layout)
    hoverRows(&svg, layout)
    return frame.finish(&svg, wide: wide, xScale: layout.scale, yScale: nil, series: drawn)
  }

  /// The group of a row, or a plain one if its index is out of range.
  private func style(_ row: Row) -> Group {
    groups.indices.contains(row.group) ? groups[row.group] : Group(name: "", color: Palette.black)
  }

  /// Each row's whisker with end caps, then its dot (or "n/a" at zero); how many dots of each
  /// group were drawn.
  private func drawRows(_ svg: inout SVGBuilder, _ layout: BarChart.Layout) -> [DrawnSeries] {
    var drawn = groups.map { DrawnSeries(name: $0.name, points: 0) }
    for (k, row) in rows.enumerated() {
      let y = layout.rowTop(k) + layout.rowHeight / 2
      let group = style(row)
      if row.lower.isFinite && row.upper.isFinite {
        let low = layout.px(row.lower)
        let high = layout.px(row.upper)
        svg.element(
          "line",
          [
            ("class", "whisker"), ("data-series", group.name), ("data-category", row.name),
            ("x1", Markup.number(low)), ("x2", Markup.number(high)), ("y1", Markup.number(y)),
            ("y2", Markup.number(y)), ("stroke", DotIntervalChart.whiskerColor),
            ("stroke-width", "1.5"),
          ])
        for x in [low, high] {
          svg.element(
            "line",
            [
              ("x1", Markup.number(x)), ("x2", Markup.number(x)), ("y1", Markup.number(y - 4)),
              ("y2", Markup.number(y + 4)), ("stroke", DotIntervalChart.whiskerColor),
              ("stroke-width", "1.5"),
            ])
        }
      }
      guard row.value.isFinite else {
        svg.element(
          "text",
          [
            ("class", "missing"), ("data-series", group.name), ("data-category", row.name),
            ("x", Markup.number(layout.px(0) + 4)), ("y", Markup.number(y + 4)),
            ("font-size", "10"), ("fill", "#777777"),
          ], text: "n/a")
        continue
      }
      svg.element(
        "circle",
        [
          ("class", "point"), ("data-series", group.name), ("data-category", row.name),
          ("cx", Markup.number(layout.px(row.value))), ("cy", Markup.number(y)), ("r", "5"),
          ("fill", group.hollow ? "#ffffff" : group.color), ("stroke", group.color),
          ("stroke-width", "2"),
        ])
      if groups.indices.contains(row.group) { drawn[row.group].points += 1 }
    }
    return drawn
  }

  /// A transparent rectangle over each row whose tooltip names it in full, with its group, value,
  /// interval and note.
  private func hoverRows(_ svg: inout SVGBuilder, _ layout: BarChart.Layout) {
    svg.open("g", [("class", "hover")])
    for (k, row) in rows.enumerated() {
      let group = style(row)
      var lines = [row.name + (group.name.isEmpty ? "" : " (\(group.name))")]
      var line = "\(xLabel): \(NumberFormat.value(row.value))"
      if row.lower.isFinite && row.upper.isFinite {
        line +=
          " (\(intervalName) \(NumberFormat.value(row.lower)) – \(NumberFormat.value(row.upper)))"
      }
      lines.append(line)
      if !row.note.isEmpty { lines.append(row.note) }
      svg.element(
        "rect",
        [
          ("x", "0"), ("y", Markup.number(layout.rowTop(k))),
          ("width", Markup.number(layout.right)), ("height", Markup.number(layout.rowHeight)),
          ("fill", "#000000"), ("fill-opacity", "0"),
        ], tooltip: lines.joined(separator: "\n"))
    }
    svg.close("g")
  }
}
