/// The font stack of every chart and of the page: the reader's system font, no downloads.
let systemFontStack =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', "
  + "'Liberation Sans', 'DejaVu Sans', sans-serif"

/// What every chart draws around its content: the `<svg>` element labelled by its title, a
/// white background and the visible title; at the end, the closed element as a `RenderedChart`.
///
/// The line charts and the Sankey diagram share it, so every chart file starts the same way.
struct ChartFrame {
  var id: String
  var title: String
  var width: Double
  var height: Double

  /// The font size of the visible title.
  static let titleSize = 15.0

  /// Markup holding the opening `<svg>` tag, the accessible title, the background and the
  /// visible title (cut to the width), ready for the chart's content.
  func begin() -> SVGBuilder {
    var svg = SVGBuilder()
    let titleID = "\(id)-title"
    svg.open(
      "svg",
      [
        ("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(Int(width)) \(Int(height))"),
        ("width", "\(Int(width))"), ("height", "\(Int(height))"), ("role", "img"),
        ("aria-labelledby", titleID), ("font-family", systemFontStack), ("font-size", "12"),
      ])
    svg.newline()
    svg.element("title", [("id", titleID)], text: title)
    svg.element(
      "rect", [("width", "\(Int(width))"), ("height", "\(Int(height))"), ("fill", "#ffffff")])
    svg.element(
      "text",
      [
        ("x", "16"), ("y", "22"), ("font-size", "\(Int(ChartFrame.titleSize))"),
        ("font-weight", "600"), ("fill", "#1a1a1a"),
      ],
      text: TextMetrics.truncate(
        title, toWidth: width - 32, fontSize: ChartFrame.titleSize * 1.05))
    return svg
  }

  /// A grey message centred on (`x`, `y`) in place of content there is none of ("No data").
  static func message(_ svg: inout SVGBuilder, _ text: String, x: Double, y: Double) {
    svg.element(
      "text",
      [
        ("x", Markup.number(x)), ("y", Markup.number(y)), ("text-anchor", "middle"),
        ("fill", "#777777"), ("font-size", "14"),
      ], text: text)
  }

  /// Closes the `<svg>` element: the finished chart, with its scales and what it drew.
  func finish(
    _ svg: inout SVGBuilder, wide: Bool, xScale: NiceScale?, yScale: NiceScale?,
    series: [DrawnSeries]
  ) -> RenderedChart {
    svg.close("svg")
    return RenderedChart(
      id: id, title: title, svg: svg.markup, wide: wide, xScale: xScale, yScale: yScale,
      series: series)
  }
}
