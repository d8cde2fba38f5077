/// What x means, for tick labels and tooltips.
public enum ChartXKind: Sendable, Equatable {
  /// x = tick ÷ ticksPerYear; tooltips name the tick and its year (MODEL 6: year = ⌈tick/T⌉).
  case time(ticksPerYear: Int)
  /// x is a whole year number.
  case years
  /// x is a plain number.
  case plain
}
