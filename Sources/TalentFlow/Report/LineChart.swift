import Foundation

/// A line chart or stacked-area chart over a numeric x axis, rendered to standalone SVG.
///
/// Every chart has a title, axis labels with units, a legend, "nice" ticks and a hover tooltip
/// (`<title>`) per x position listing every series' value. Series longer than
/// `Downsample.maximumPoints` are reduced deterministically; missing values leave gaps.
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

  /// A point list with its original indices, after dropping non-finite x.
  private struct Prepared {
    var name: String
    var color: String
    var dashed: Bool
    var x: [Double]
    var y: [Double]
  }

  /// Pairs x and y, drops points whose x is not finite.
  private static func prepare(_ s: ChartSeries) -> Prepared {
    let n = min(s.x.count, s.y.count)
    var x: [Double] = []
    var y: [Double] = []
    x.reserveCapacity(n)
    y.reserveCapacity(n)
    for k in 0..<n where s.x[k].isFinite {
      x.append(s.x[k])
      y.append(s.y[k])
    }
    return Prepared(name: s.name, color: s.color, dashed: s.dashed, x: x, y: y)
  }

  public func render() -> RenderedChart {
    let prepared = series.map(LineChart.prepare)
    let stacked = style == .stackedArea
    // Stacked layers share the x positions of the first series.
    let sharedCount = stacked ? (prepared.map { $0.x.count }.min() ?? 0) : 0
    var stackTops: [[Double]] = []
    if stacked {
      var running = [Double](repeating: 0, count: sharedCount)
      for s in prepared {
        for k in 0..<sharedCount where s.y[k].isFinite { running[k] += s.y[k] }
        stackTops.append(running)
      }
    }

    // Scales.
    var xs: [Double] = prepared.flatMap { $0.x }
    var ys: [Double] = stacked ? stackTops.flatMap { $0 } : prepared.flatMap { $0.y }
    for band in bands {
      xs += band.x.filter { $0.isFinite }
      ys += band.lower + band.upper
    }
    if let referenceY { ys.append(referenceY) }
    ys += yCovers
    let hasData = ys.contains { $0.isFinite } && xs.contains { $0.isFinite }
    // Markers at the ends of a points chart would be cut in half by the plot's edge.
    if style == .points, let first = xs.min(), let last = xs.max() {
      xs += [first - 0.5, last + 0.5]
    }
    let integerX = xKind == .years || style == .points
    let xScale = NiceScale(covering: xs, targetTicks: 7, minimumStep: integerX ? 1 : 0)
    let yScale = NiceScale(
      covering: ys, includeZero: includeZero, targetTicks: 6, minimumStep: countsY ? 1 : 0,
      padding: includeZero ? 0 : 0.03)

    // Layout.
    let tickSize = 11.0
    var entries: [ChartLegend.Entry] = bands.filter(\.inLegend).map {
      ChartLegend.Entry(name: $0.name, color: $0.color, swatch: .band)
    }
    entries += prepared.map {
      ChartLegend.Entry(
        name: $0.name, color: $0.color,
        swatch: stacked ? .area : style == .points ? .point : ($0.dashed ? .dashed : .line))
    }
    let yTickLabels = yScale.ticks.map { NumberFormat.number($0, decimals: yScale.decimals) }
    let widestTick = yTickLabels.map { TextMetrics.width($0, fontSize: tickSize) }.max() ?? 0
    let plotLeft = (28 + widestTick + 8).rounded()
    let plotRight = width - 18
    let legend = ChartLegend(
      showLegend ? entries : [], from: 16, to: plotRight, labelsStateFontSize: true)
    let plotTop = legend.bottom + 8
    let plotBottom = height - 46
    func px(_ x: Double) -> Double { xScale.position(x, from: plotLeft, to: plotRight) }
    func py(_ y: Double) -> Double { yScale.position(y, from: plotBottom, to: plotTop) }

    let frame = ChartFrame(id: id, title: title, width: width, height: height)
    var svg = frame.begin()
    legend.draw(&svg)

    // Grid, ticks and axis labels.
    for (k, tick) in yScale.ticks.enumerated() {
      let y = py(tick)
      svg.element(
        "line",
        [
          ("class", "grid"), ("x1", Markup.number(plotLeft)), ("x2", Markup.number(plotRight)),
          ("y1", Markup.number(y)), ("y2", Markup.number(y)),
          ("stroke", tick == 0 ? "#9a9a9a" : "#e4e4e4"), ("stroke-width", "1"),
        ])
      svg.element(
        "text",
        [
          ("x", Markup.number(plotLeft - 6)), ("y", Markup.number(y + 4)),
          ("text-anchor", "end"), ("font-size", "\(Int(tickSize))"), ("fill", "#555555"),
        ], text: yTickLabels[k])
    }
    for tick in xScale.ticks {
      let x = px(tick)
      svg.element(
        "line",
        [
          ("x1", Markup.number(x)), ("x2", Markup.number(x)),
          ("y1", Markup.number(plotBottom)), ("y2", Markup.number(plotBottom + 5)),
          ("stroke", "#555555"),
        ])
      svg.element(
        "text",
        [
          ("x", Markup.number(x)), ("y", Markup.number(plotBottom + 18)),
          ("text-anchor", "middle"), ("font-size", "\(Int(tickSize))"), ("fill", "#555555"),
        ], text: NumberFormat.number(tick, decimals: xScale.decimals))
    }
    svg.element(
      "line",
      [
        ("x1", Markup.number(plotLeft)), ("x2", Markup.number(plotRight)),
        ("y1", Markup.number(plotBottom)), ("y2", Markup.number(plotBottom)),
        ("stroke", "#555555"),
      ])
    svg.element(
      "text",
      [
        ("x", Markup.number((plotLeft + plotRight) / 2)), ("y", Markup.number(height - 10)),
        ("text-anchor", "middle"), ("fill", "#333333"),
      ],
      text: TextMetrics.truncate(xLabel, toWidth: plotRight - plotLeft, fontSize: 12))
    let yMiddle = (plotTop + plotBottom) / 2
    svg.element(
      "text",
      [
        ("x", "0"), ("y", "0"), ("text-anchor", "middle"), ("fill", "#333333"),
        ("transform", "translate(14 \(Markup.number(yMiddle))) rotate(-90)"),
      ],
      text: TextMetrics.truncate(yLabel, toWidth: plotBottom - plotTop + 30, fontSize: 12))

    guard hasData else {
      ChartFrame.message(&svg, "No data", x: (plotLeft + plotRight) / 2, y: yMiddle)
      return frame.finish(
        &svg, wide: wide, xScale: xScale, yScale: yScale,
        series: prepared.map { DrawnSeries(name: $0.name, points: 0) })
    }

    // Bands, beneath the lines; whiskers in the points style.
    for band in bands where style == .points {
      let n = min(band.x.count, band.lower.count, band.upper.count)
      for k in Downsample.strideIndices(count: n)
      where band.x[k].isFinite && band.lower[k].isFinite && band.upper[k].isFinite {
        svg.element(
          "line",
          [
            ("class", "whisker"), ("x1", Markup.number(px(band.x[k]))),
            ("x2", Markup.number(px(band.x[k]))), ("y1", Markup.number(py(band.lower[k]))),
            ("y2", Markup.number(py(band.upper[k]))), ("stroke", band.color),
            ("stroke-opacity", "0.55"), ("stroke-width", "3"), ("stroke-linecap", "round"),
          ])
      }
    }
    for band in bands where style != .points {
      let n = min(band.x.count, band.lower.count, band.upper.count)
      let indices = Downsample.strideIndices(count: n)
      for segment in LineChart.segments(
        indices,
        valid: { k in
          band.x[k].isFinite && band.lower[k].isFinite && band.upper[k].isFinite
        })
      {
        var d = ""
        for (j, k) in segment.enumerated() {
          d +=
            (j == 0 ? "M" : "L") + Markup.number(px(band.x[k])) + " "
            + Markup.number(py(band.upper[k])) + " "
        }
        for k in segment.reversed() {
          d += "L" + Markup.number(px(band.x[k])) + " " + Markup.number(py(band.lower[k])) + " "
        }
        svg.element(
          "path",
          [
            ("class", "band"), ("d", d + "Z"), ("fill", band.color), ("fill-opacity", "0.22"),
            ("stroke", "none"),
          ])
      }
    }

    var drawn: [DrawnSeries] = []
    if stacked {
      let indices = Downsample.strideIndices(count: sharedCount)
      let x = prepared.first?.x ?? []
      for (layer, s) in prepared.enumerated() {
        var d = ""
        for (j, k) in indices.enumerated() {
          d +=
            (j == 0 ? "M" : "L") + Markup.number(px(x[k])) + " "
            + Markup.number(py(stackTops[layer][k])) + " "
        }
        for k in indices.reversed() {
          let base = layer == 0 ? 0 : stackTops[layer - 1][k]
          d += "L" + Markup.number(px(x[k])) + " " + Markup.number(py(base)) + " "
        }
        svg.element(
          "path",
          [
            ("class", "area"), ("data-series", s.name), ("d", d + "Z"), ("fill", s.color),
            ("fill-opacity", "0.85"), ("stroke", "#ffffff"), ("stroke-width", "0.6"),
          ])
        drawn.append(DrawnSeries(name: s.name, points: indices.count))
      }
    } else if style == .points {
      for s in prepared {
        let indices = Downsample.strideIndices(count: s.x.count)
        var points = 0
        for k in indices where s.y[k].isFinite {
          svg.element(
            "circle",
            [
              ("class", "point"), ("data-series", s.name), ("cx", Markup.number(px(s.x[k]))),
              ("cy", Markup.number(py(s.y[k]))), ("r", "4"), ("fill", s.color),
            ])
          points += 1
        }
        drawn.append(DrawnSeries(name: s.name, points: points))
      }
    } else {
      for s in prepared {
        let allFinite = s.y.allSatisfy { $0.isFinite }
        let indices =
          allFinite
          ? Downsample.largestTriangleIndices(x: s.x, y: s.y)
          : Downsample.strideIndices(count: s.x.count)
        var d = ""
        var points = 0
        for segment in LineChart.segments(indices, valid: { s.y[$0].isFinite }) {
          for (j, k) in segment.enumerated() {
            d +=
              (j == 0 ? "M" : "L") + Markup.number(px(s.x[k])) + " "
              + Markup.number(py(s.y[k])) + " "
          }
          points += segment.count
        }
        var attributes: [(String, String)] = [
          ("class", "line"), ("data-series", s.name), ("d", d.isEmpty ? "M0 0" : d),
          ("fill", "none"), ("stroke", s.color), ("stroke-width", "2"),
          ("stroke-linejoin", "round"), ("stroke-linecap", "round"),
        ]
        if d.isEmpty { attributes.append(("visibility", "hidden")) }
        if s.dashed { attributes.append(("stroke-dasharray", "6 4")) }
        svg.element("path", attributes)
        if points <= LineChart.markerLimit {
          for k in indices where s.y[k].isFinite {
            svg.element(
              "circle",
              [
                ("cx", Markup.number(px(s.x[k]))), ("cy", Markup.number(py(s.y[k]))),
                ("r", "2.8"), ("fill", s.color),
              ])
          }
        }
        drawn.append(DrawnSeries(name: s.name, points: points))
      }
    }

    if let referenceY {
      let y = py(referenceY)
      svg.element(
        "line",
        [
          ("x1", Markup.number(plotLeft)), ("x2", Markup.number(plotRight)),
          ("y1", Markup.number(y)), ("y2", Markup.number(y)), ("stroke", "#333333"),
          ("stroke-dasharray", "3 3"), ("stroke-width", "1"),
        ])
    }

    hoverColumns(
      &svg, prepared: prepared, stackTops: stackTops, px: px, top: plotTop,
      bottom: plotBottom, left: plotLeft, right: plotRight)
    return frame.finish(&svg, wide: wide, xScale: xScale, yScale: yScale, series: drawn)
  }

  // MARK: Pieces

  /// Runs of consecutive chosen indices whose points are all valid (a gap splits a line).
  static func segments(_ indices: [Int], valid: (Int) -> Bool) -> [[Int]] {
    var result: [[Int]] = []
    var current: [Int] = []
    for k in indices {
      if valid(k) {
        current.append(k)
      } else if !current.isEmpty {
        result.append(current)
        current = []
      }
    }
    if !current.isEmpty { result.append(current) }
    return result
  }

  /// The x of a point in words, for tooltips.
  func describeX(_ x: Double) -> String {
    switch xKind {
    case .time(let ticksPerYear):
      let tick = Int((x * Double(ticksPerYear)).rounded())
      if tick <= 0 { return "Tick \(tick) (end of warm-up)" }
      let year = (tick + ticksPerYear - 1) / max(ticksPerYear, 1)
      return "Tick \(tick) · year \(year)"
    case .years:
      return "Year \(NumberFormat.number(x))"
    case .plain:
      return NumberFormat.value(x)
    }
  }

  /// The value of a series at the point nearest `x` (series x values are ascending).
  private static func value(_ s: Prepared, at x: Double) -> (index: Int, value: Double)? {
    guard !s.x.isEmpty else { return nil }
    var low = 0
    var high = s.x.count - 1
    while low < high {
      let mid = (low + high) / 2
      if s.x[mid] < x { low = mid + 1 } else { high = mid }
    }
    var k = low
    if k > 0 && abs(s.x[k - 1] - x) <= abs(s.x[k] - x) { k -= 1 }
    return (k, s.y[k])
  }

  /// Transparent columns across the plot, each with a tooltip listing every series at that x.
  private func hoverColumns(
    _ svg: inout SVGBuilder, prepared: [Prepared], stackTops: [[Double]], px: (Double) -> Double,
    top: Double, bottom: Double, left: Double, right: Double
  ) {
    guard let reference = prepared.max(by: { $0.x.count < $1.x.count }) ?? bandReference(),
      !reference.x.isEmpty
    else { return }
    let n = reference.x.count
    let columns = min(n, LineChart.maximumHoverColumns)
    let representative = (0..<columns).map { c in
      n == columns ? c : (c * (n - 1) + (columns - 1) / 2) / max(columns - 1, 1)
    }
    let centres = representative.map { px(reference.x[$0]) }
    svg.open("g", [("class", "hover")])
    for (c, k) in representative.enumerated() {
      let x = reference.x[k]
      let lower = c == 0 ? left : (centres[c - 1] + centres[c]) / 2
      let upper = c == columns - 1 ? right : (centres[c] + centres[c + 1]) / 2
      guard upper > lower else { continue }
      var lines = [describeX(x)]
      if let first = prepared.first, let found = LineChart.value(first, at: x),
        first.x[found.index] == x, found.index < pointNotes.count, !pointNotes[found.index].isEmpty
      {
        lines[0] += " (\(pointNotes[found.index]))"
      }
      for band in bands {
        let n = min(band.x.count, band.lower.count, band.upper.count)
        let b = Prepared(
          name: band.name, color: band.color, dashed: false, x: Array(band.x.prefix(n)),
          y: Array(band.lower.prefix(n)))
        if let found = LineChart.value(b, at: x), found.index < n {
          let high = band.upper[found.index]
          lines.append(
            "\(band.name): \(NumberFormat.value(found.value)) – \(NumberFormat.value(high))")
        }
      }
      for s in prepared {
        if let found = LineChart.value(s, at: x) {
          lines.append("\(s.name): \(NumberFormat.value(found.value))")
        }
      }
      if style == .stackedArea, let total = stackTops.last, k < total.count {
        lines.append("total: \(NumberFormat.value(total[k]))")
      }
      svg.element(
        "rect",
        [
          ("x", Markup.number(lower)), ("y", Markup.number(top)),
          ("width", Markup.number(upper - lower)), ("height", Markup.number(bottom - top)),
          ("fill", "#000000"), ("fill-opacity", "0"),
        ], tooltip: lines.joined(separator: "\n"))
    }
    svg.close("g")
  }

  /// The first band as a point list, for charts that have bands and no series.
  private func bandReference() -> Prepared? {
    guard let band = bands.first else { return nil }
    let n = min(band.x.count, band.lower.count)
    return Prepared(
      name: band.name, color: band.color, dashed: false, x: Array(band.x.prefix(n)),
      y: Array(band.lower.prefix(n)))
  }
}
