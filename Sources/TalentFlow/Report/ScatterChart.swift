/// A scatter plot of named points over two numeric axes, each point labelled with its name
/// where the label does not cover another, and a dashed diagonal y = x if asked for.
///
/// Made for the μ*–σ plane of a Morris analysis: parameters far right matter, parameters
/// above the diagonal act nonlinearly or through interactions. A point whose x or y is not
/// finite is not drawn; every point's full name and values are in its tooltip.
public struct ScatterChart: Sendable {
  /// One named point.
  public struct Point: Sendable {
    public var name: String
    public var x: Double
    public var y: Double
    /// Extra text for its tooltip.
    public var note: String

    public init(name: String, x: Double, y: Double, note: String = "") {
      self.name = name
      self.x = x
      self.y = y
      self.note = note
    }
  }

  public var id: String
  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var points: [Point] = []
  /// What the points are, for the legend ("Parameter").
  public var pointName: String
  public var color = Palette.blue
  /// The legend's name of the dashed line y = x; nil: no line.
  public var diagonal: String? = nil
  public var width = 640.0
  public var height = 400.0

  /// Labels are cut to this width, so that a few long names do not fill the plot.
  static let labelWidth = 170.0
  static let labelSize = 11.0

  public init(id: String, title: String, xLabel: String, yLabel: String, pointName: String) {
    self.id = id
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.pointName = pointName
  }

  public func render() -> RenderedChart {
    let shown = points.filter { $0.x.isFinite && $0.y.isFinite }
    var entries = [ChartLegend.Entry(name: pointName, color: color, swatch: .point)]
    if let diagonal { entries.append(.init(name: diagonal, color: "#333333", swatch: .dashed)) }
    let legend = ChartLegend(
      entries, from: 16, to: width - ChartAxes.rightMargin, labelsStateFontSize: true)
    // Both axes from 0 (μ* and σ are not negative), a little room beyond the largest value.
    let xScale = NiceScale(
      covering: shown.map(\.x), includeZero: true, targetTicks: 6, padding: 0.05)
    let yScale = NiceScale(
      covering: shown.map(\.y), includeZero: true, targetTicks: 6, padding: 0.05)
    let axes = ChartAxes(
      xScale: xScale, yScale: yScale, chartWidth: width, chartHeight: height,
      top: legend.bottom + 8)
    let frame = ChartFrame(id: id, title: title, width: width, height: height)
    var svg = frame.begin()
    legend.draw(&svg)
    axes.draw(&svg, xLabel: xLabel, yLabel: yLabel)
    guard !shown.isEmpty else {
      ChartFrame.message(&svg, "No data", x: axes.centreX, y: axes.centreY)
      return frame.finish(
        &svg, wide: false, xScale: xScale, yScale: yScale,
        series: [DrawnSeries(name: pointName, points: 0)])
    }
    if diagonal != nil { drawDiagonal(&svg, axes) }
    drawPoints(&svg, shown, axes)
    return frame.finish(
      &svg, wide: false, xScale: xScale, yScale: yScale,
      series: [DrawnSeries(name: pointName, points: shown.count)])
  }

  /// The dashed line y = x across the part of the plot where both axes have it.
  private func drawDiagonal(_ svg: inout SVGBuilder, _ axes: ChartAxes) {
    let low = max(axes.xScale.lower, axes.yScale.lower)
    let high = min(axes.xScale.upper, axes.yScale.upper)
    guard high > low else { return }
    svg.element(
      "line",
      [
        ("class", "diagonal"), ("x1", Markup.number(axes.px(low))),
        ("y1", Markup.number(axes.py(low))), ("x2", Markup.number(axes.px(high))),
        ("y2", Markup.number(axes.py(high))), ("stroke", "#333333"),
        ("stroke-dasharray", "4 3"), ("stroke-width", "1"),
      ])
  }

  /// The labels, then each point with its tooltip (on top, so that hovering finds it).
  ///
  /// Labels go largest x first, each right of its point (left of it near the right edge), and
  /// are left out where they would cover a label already placed.
  private func drawPoints(_ svg: inout SVGBuilder, _ shown: [Point], _ axes: ChartAxes) {
    var placed: [(left: Double, right: Double, top: Double, bottom: Double)] = []
    let order = shown.indices.sorted { a, b in
      shown[a].x != shown[b].x ? shown[a].x > shown[b].x : a < b
    }
    for k in order {
      let point = shown[k]
      let text = TextMetrics.truncateMiddle(
        point.name, toWidth: ScatterChart.labelWidth, fontSize: ScatterChart.labelSize)
      let textWidth = TextMetrics.width(text, fontSize: ScatterChart.labelSize)
      let x = axes.px(point.x)
      let y = axes.py(point.y)
      let onLeft = x + 8 + textWidth > width - 4
      let left = onLeft ? x - 8 - textWidth : x + 8
      // A pixel of space around each label, so that neighbours do not touch.
      let box = (left: left - 1, right: left + textWidth + 1, top: y - 9, bottom: y + 5)
      let covers = placed.contains {
        box.left < $0.right && $0.left < box.right && box.top < $0.bottom && $0.top < box.bottom
      }
      guard !covers, box.left >= 0 else { continue }
      placed.append(box)
      svg.element(
        "text",
        [
          ("class", "label"), ("x", Markup.number(onLeft ? x - 8 : x + 8)),
          ("y", Markup.number(y + 4)), ("text-anchor", onLeft ? "end" : "start"),
          ("font-size", "\(Int(ScatterChart.labelSize))"), ("fill", "#333333"),
        ], text: text)
    }
    svg.open("g", [("class", "hover")])
    for point in shown {
      var tooltip =
        "\(point.name)\n\(xLabel): \(NumberFormat.value(point.x))\n"
        + "\(yLabel): \(NumberFormat.value(point.y))"
      if !point.note.isEmpty { tooltip += "\n" + point.note }
      svg.element(
        "circle",
        [
          ("class", "point"), ("data-series", point.name),
          ("cx", Markup.number(axes.px(point.x))), ("cy", Markup.number(axes.py(point.y))),
          ("r", "5"), ("fill", color), ("fill-opacity", "0.85"), ("stroke", "#ffffff"),
          ("stroke-width", "1"),
        ], tooltip: tooltip)
    }
    svg.close("g")
  }
}
