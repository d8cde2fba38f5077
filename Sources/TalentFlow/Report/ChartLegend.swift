/// A chart's legend: a swatch and a name per entry, in rows below the title.
struct ChartLegend {
  /// How an entry's swatch is drawn.
  enum Swatch { case line, dashed, area, band, point }

  /// One entry: what it names, in which colour, drawn how.
  struct Entry {
    var name: String
    var color: String
    var swatch: Swatch
  }

  /// The y of the first row (just below the title).
  static let top = 40.0
  /// The distance between rows.
  static let rowHeight = 18.0
  static let fontSize = 12.0

  let entries: [Entry]
  /// Where each entry goes: its (possibly shortened) text, its x and its row.
  let places: [(text: String, x: Double, row: Int)]
  /// Whether each label says `font-size="12"` itself (line charts) or inherits the chart's
  /// 12 (the Sankey diagram); it looks the same, and each chart keeps its markup.
  let labelsStateFontSize: Bool

  /// A legend whose entries are wrapped onto rows that fit between `from` and `to`.
  init(_ entries: [Entry], from: Double, to: Double, labelsStateFontSize: Bool) {
    self.entries = entries
    self.places = ChartLegend.layout(
      entries.map(\.name), fontSize: ChartLegend.fontSize, from: from, to: to)
    self.labelsStateFontSize = labelsStateFontSize
  }

  /// The y below the last row (`top` when the legend is empty): where the chart goes on.
  var bottom: Double {
    let rows = Double((places.map(\.row).max() ?? -1) + 1)
    return ChartLegend.top + rows * ChartLegend.rowHeight
  }

  /// Each entry's swatch and label.
  func draw(_ svg: inout SVGBuilder) {
    for (entry, place) in zip(entries, places) {
      let y = ChartLegend.top + Double(place.row) * ChartLegend.rowHeight
      ChartLegend.drawSwatch(&svg, entry.swatch, color: entry.color, x: place.x, y: y)
      var attributes = [("x", Markup.number(place.x + 20)), ("y", Markup.number(y + 4))]
      if labelsStateFontSize { attributes.append(("font-size", "\(Int(ChartLegend.fontSize))")) }
      attributes.append(("fill", "#333333"))
      svg.element("text", attributes, text: place.text)
    }
  }

  /// Positions of legend entries, wrapped onto rows that fit between `from` and `to`.
  ///
  /// At most `maximumRows` rows: when the names need more, they go into equal columns and are
  /// shortened with an ellipsis (tooltips keep the full names), so the plot keeps its height.
  static func layout(
    _ names: [String], fontSize: Double, from: Double, to: Double, maximumRows: Int = 4
  ) -> [(text: String, x: Double, row: Int)] {
    let available = to - from
    var placed: [(String, Double, Int)] = []
    var x = from
    var row = 0
    for name in names {
      let text = TextMetrics.truncate(name, toWidth: available - 24, fontSize: fontSize)
      let itemWidth = 20 + TextMetrics.width(text, fontSize: fontSize) + 16
      if x > from && x + itemWidth > to + 16 {
        row += 1
        x = from
      }
      placed.append((text, x, row))
      x += itemWidth
    }
    guard row >= maximumRows else { return placed }
    let columns = (names.count + maximumRows - 1) / maximumRows
    let columnWidth = available / Double(columns)
    return names.enumerated().map { k, name in
      let text = TextMetrics.truncate(name, toWidth: columnWidth - 36, fontSize: fontSize)
      return (text, from + Double(k % columns) * columnWidth, k / columns)
    }
  }

  /// The swatch of an entry whose row is at `y`, starting at `x`.
  static func drawSwatch(
    _ svg: inout SVGBuilder, _ swatch: Swatch, color: String, x: Double, y: Double
  ) {
    switch swatch {
    case .line, .dashed:
      var attributes: [(String, String)] = [
        ("x1", Markup.number(x)), ("x2", Markup.number(x + 15)), ("y1", Markup.number(y)),
        ("y2", Markup.number(y)), ("stroke", color), ("stroke-width", "2.5"),
      ]
      if swatch == .dashed { attributes.append(("stroke-dasharray", "4 3")) }
      svg.element("line", attributes)
    case .point:
      svg.element(
        "circle",
        [("cx", Markup.number(x + 7)), ("cy", Markup.number(y)), ("r", "4"), ("fill", color)])
    case .area, .band:
      svg.element(
        "rect",
        [
          ("x", Markup.number(x)), ("y", Markup.number(y - 6)), ("width", "15"), ("height", "11"),
          ("fill", color), ("fill-opacity", swatch == .band ? "0.3" : "0.85"),
        ])
    }
  }
}
