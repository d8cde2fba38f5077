/// A chart as SVG markup, with what it drew.
public struct RenderedChart: Sendable {
  /// A short identifier, used for element ids and the `--svg` file name.
  public var id: String
  public var title: String
  /// The `<svg>` element, without an XML declaration (for inline use).
  public var svg: String
  /// Whether the chart should take the whole width of the page.
  public var wide: Bool
  public var xScale: NiceScale?
  public var yScale: NiceScale?
  public var series: [DrawnSeries]

  /// The chart as a file of its own (for papers): XML declaration, a generator comment (by
  /// which a later report knows it may replace the file) and the `<svg>` element.
  public var standaloneSVG: String {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\(ReportWriter.generatorComment)\n" + svg
  }
}
