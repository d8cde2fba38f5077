/// The marks of a line chart: bands beneath, then areas, points or lines, then the reference line.
extension LineChart {
  /// A step of an SVG path to a point: "Mx y " to start, "Lx y " to go on.
  private static func pathStep(_ start: Bool, _ x: Double, _ y: Double) -> String {
    (start ? "M" : "L") + Markup.number(x) + " " + Markup.number(y) + " "
  }

  /// The bands, beneath everything else: shaded areas, or vertical whiskers in the points style.
  func drawBands(_ svg: inout SVGBuilder, _ axes: ChartAxes) {
    for band in bands {
      if style == .points {
        drawWhiskers(&svg, band, axes)
      } else {
        drawBandArea(&svg, band, axes)
      }
    }
  }

  /// A vertical line from lower to upper at each x of a band.
  private func drawWhiskers(_ svg: inout SVGBuilder, _ band: ChartBand, _ axes: ChartAxes) {
    let n = min(band.x.count, band.lower.count, band.upper.count)
    for k in Downsample.strideIndices(count: n)
    where band.x[k].isFinite && band.lower[k].isFinite && band.upper[k].isFinite {
      svg.element(
        "line",
        [
          ("class", "whisker"), ("x1", Markup.number(axes.px(band.x[k]))),
          ("x2", Markup.number(axes.px(band.x[k]))), ("y1", Markup.number(axes.py(band.lower[k]))),
          ("y2", Markup.number(axes.py(band.upper[k]))), ("stroke", band.color),
          ("stroke-opacity", "0.55"), ("stroke-width", "3"), ("stroke-linecap", "round"),
        ])
    }
  }

  /// The band shaded between its curves: one area per run of points with every value present.
  private func drawBandArea(_ svg: inout SVGBuilder, _ band: ChartBand, _ axes: ChartAxes) {
    let n = min(band.x.count, band.lower.count, band.upper.count)
    let indices = Downsample.strideIndices(count: n)
    let valid = { (k: Int) in
      band.x[k].isFinite && band.lower[k].isFinite && band.upper[k].isFinite
    }
    for segment in LineChart.segments(indices, valid: valid) {
      var d = ""
      for (j, k) in segment.enumerated() {
        d += LineChart.pathStep(j == 0, axes.px(band.x[k]), axes.py(band.upper[k]))
      }
      for k in segment.reversed() {
        d += LineChart.pathStep(false, axes.px(band.x[k]), axes.py(band.lower[k]))
      }
      svg.element(
        "path",
        [
          ("class", "band"), ("d", d + "Z"), ("fill", band.color), ("fill-opacity", "0.22"),
          ("stroke", "none"),
        ])
    }
  }

  /// Each layer as the area between its top and the top of the layer below (0 for the first).
  func drawStack(
    _ svg: inout SVGBuilder, _ prepared: [Prepared], stackTops: [[Double]], _ axes: ChartAxes
  ) -> [DrawnSeries] {
    let indices = Downsample.strideIndices(count: stackTops.first?.count ?? 0)
    let x = prepared.first?.x ?? []
    var drawn: [DrawnSeries] = []
    for (layer, s) in prepared.enumerated() {
      var d = ""
      for (j, k) in indices.enumerated() {
        d += LineChart.pathStep(j == 0, axes.px(x[k]), axes.py(stackTops[layer][k]))
      }
      for k in indices.reversed() {
        let base = layer == 0 ? 0 : stackTops[layer - 1][k]
        d += LineChart.pathStep(false, axes.px(x[k]), axes.py(base))
      }
      svg.element(
        "path",
        [
          ("class", "area"), ("data-series", s.name), ("d", d + "Z"), ("fill", s.color),
          ("fill-opacity", "0.85"), ("stroke", "#ffffff"), ("stroke-width", "0.6"),
        ])
      drawn.append(DrawnSeries(name: s.name, points: indices.count))
    }
    return drawn
  }

  /// A marker at every point with a value.
  func drawPoints(_ svg: inout SVGBuilder, _ prepared: [Prepared], _ axes: ChartAxes)
    -> [DrawnSeries]
  {
    prepared.map { s in
      var points = 0
      for k in Downsample.strideIndices(count: s.x.count) where s.y[k].isFinite {
        svg.element(
          "circle",
          [
            ("class", "point"), ("data-series", s.name), ("cx", Markup.number(axes.px(s.x[k]))),
            ("cy", Markup.number(axes.py(s.y[k]))), ("r", "4"), ("fill", s.color),
          ])
        points += 1
      }
      return DrawnSeries(name: s.name, points: points)
    }
  }

  /// Each series as one path, broken where values are missing, with markers when it has few
  /// points.
  func drawLines(_ svg: inout SVGBuilder, _ prepared: [Prepared], _ axes: ChartAxes)
    -> [DrawnSeries]
  {
    prepared.map { s in
      // Largest-triangle downsampling needs every value; gaps fall back to a stride.
      let indices =
        s.y.allSatisfy { $0.isFinite }
        ? Downsample.largestTriangleIndices(x: s.x, y: s.y)
        : Downsample.strideIndices(count: s.x.count)
      var d = ""
      var points = 0
      for segment in LineChart.segments(indices, valid: { s.y[$0].isFinite }) {
        for (j, k) in segment.enumerated() {
          d += LineChart.pathStep(j == 0, axes.px(s.x[k]), axes.py(s.y[k]))
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
              ("cx", Markup.number(axes.px(s.x[k]))), ("cy", Markup.number(axes.py(s.y[k]))),
              ("r", "2.8"), ("fill", s.color),
            ])
        }
      }
      return DrawnSeries(name: s.name, points: points)
    }
  }

  /// The dashed horizontal line at `referenceY`, if there is one.
  func drawReference(_ svg: inout SVGBuilder, _ axes: ChartAxes) {
    guard let referenceY else { return }
    let y = axes.py(referenceY)
    svg.element(
      "line",
      [
        ("x1", Markup.number(axes.left)), ("x2", Markup.number(axes.right)),
        ("y1", Markup.number(y)), ("y2", Markup.number(y)), ("stroke", "#333333"),
        ("stroke-dasharray", "3 3"), ("stroke-width", "1"),
      ])
  }
}
