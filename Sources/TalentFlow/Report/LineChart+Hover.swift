/// The tooltips of a line chart: transparent columns across the plot, each listing the values
/// at its x.
extension LineChart {
  /// Transparent columns across the plot, each with a tooltip listing every series at that x.
  func hoverColumns(
    _ svg: inout SVGBuilder, prepared: [Prepared], stackTops: [[Double]], _ axes: ChartAxes
  ) {
    guard let reference = prepared.max(by: { $0.x.count < $1.x.count }) ?? bandReference(),
      !reference.x.isEmpty
    else { return }
    let n = reference.x.count
    let columns = min(n, LineChart.maximumHoverColumns)
    let representative = (0..<columns).map { c in
      n == columns ? c : (c * (n - 1) + (columns - 1) / 2) / max(columns - 1, 1)
    }
    let centres = representative.map { axes.px(reference.x[$0]) }
    svg.open("g", [("class", "hover")])
    for (c, k) in representative.enumerated() {
      let lower = c == 0 ? axes.left : (centres[c - 1] + centres[c]) / 2
      let upper = c == columns - 1 ? axes.right : (centres[c] + centres[c + 1]) / 2
      guard upper > lower else { continue }
      let tooltip = tooltipLines(
        at: reference.x[k], index: k, prepared: prepared, stackTops: stackTops)
      svg.element(
        "rect",
        [
          ("x", Markup.number(lower)), ("y", Markup.number(axes.top)),
          ("width", Markup.number(upper - lower)),
          ("height", Markup.number(axes.bottom - axes.top)),
          ("fill", "#000000"), ("fill-opacity", "0"),
        ], tooltip: tooltip.joined(separator: "\n"))
    }
    svg.close("g")
  }

  /// What a column's tooltip lists: its x (with the first series' note there), each band's
  /// range and each series' value nearest x, and a stack's total at the reference index `k`.
  private func tooltipLines(
    at x: Double, index k: Int, prepared: [Prepared], stackTops: [[Double]]
  ) -> [String] {
    var lines = [xKind.describe(x)]
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
    return lines
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

  /// The first band as a point list, for charts that have bands and no series.
  private func bandReference() -> Prepared? {
    guard let band = bands.first else { return nil }
    let n = min(band.x.count, band.lower.count)
    return Prepared(
      name: band.name, color: band.color, dashed: false, x: Array(band.x.prefix(n)),
      y: Array(band.lower.prefix(n)))
  }
}
