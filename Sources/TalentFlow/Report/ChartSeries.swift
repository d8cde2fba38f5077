/// One named line (or layer of a stacked area) of a chart.
public struct ChartSeries: Sendable {
  public var name: String
  /// A CSS colour, normally from `Palette`.
  public var color: String
  public var x: [Double]
  /// Values; a non-finite value is missing (a gap in a line, 0 in a stack).
  public var y: [Double]
  public var dashed: Bool

  public init(name: String, color: String, x: [Double], y: [Double], dashed: Bool = false) {
    self.name = name
    self.color = color
    self.x = x
    self.y = y
    self.dashed = dashed
  }
}
