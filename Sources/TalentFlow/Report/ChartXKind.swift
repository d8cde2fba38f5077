/// What x means, for tick labels and tooltips.
public enum ChartXKind: Sendable, Equatable {
  /// x = tick ÷ ticksPerYear; tooltips name the tick and its year (MODEL 6: year = ⌈tick/T⌉).
  case time(ticksPerYear: Int)
  /// x is a whole year number.
  case years
  /// x is a plain number.
  case plain

  /// The label of a time axis: x in years, with the ticks a year has.
  static func timeLabel(ticksPerYear: Int) -> String {
    "Time (years after warm-up; \(ticksPerYear) ticks = 1 year)"
  }

  /// The x of a point in words, for tooltips.
  func describe(_ x: Double) -> String {
    switch self {
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
}
