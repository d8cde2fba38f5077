/// How many points of a series a chart drew (after downsampling), for checks and tests.
public struct DrawnSeries: Sendable, Equatable {
  public var name: String
  public var points: Int
}
