/// A shaded range between two curves (an interval, or a min–max range).
public struct ChartBand: Sendable {
  public var name: String
  public var color: String
  public var x: [Double]
  public var lower: [Double]
  public var upper: [Double]
  /// Whether the legend lists the band (not when its line already names it).
  public var inLegend: Bool

  public init(
    name: String, color: String, x: [Double], lower: [Double], upper: [Double],
    inLegend: Bool = true
  ) {
    self.name = name
    self.color = color
    self.x = x
    self.lower = lower
    self.upper = upper
    self.inLegend = inLegend
  }
}
