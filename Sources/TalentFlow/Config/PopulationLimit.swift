import Foundation

/// The most professionals a run may hold at once, so that a run that would outgrow memory stops
/// with an error before it gets there.
///
/// A run's limit is `maximum`, or `growth` × `population.size` plus the counts of its
/// `entrySurge` events when that is smaller. At about 175 bytes a professional (README,
/// "Performance"), `maximum` is some 9 GB; `growth` stops a run whose entry rate makes it grow
/// without bound long before that, whatever its size.
public enum PopulationLimit {
  /// The most professionals any run may hold at once.
  public static let maximum = 50_000_000
  /// How many times its initial size (plus its surges) a population may grow to.
  public static let growth = 1_000

  /// The limit of a run of `config`: `maximum`, or less for a small population.
  public static func limit(for config: Configuration) -> Int {
    var surges = 0
    for event in config.events {
      if case .entrySurge(let count) = event.action { surges = saturatingSum(surges, count) }
    }
    let grown = config.population.size.multipliedReportingOverflow(by: growth)
    let relative = grown.overflow ? Int.max : saturatingSum(grown.partialValue, surges)
    return min(maximum, relative)
  }

  private static func saturatingSum(_ a: Int, _ b: Int) -> Int {
    let sum = a.addingReportingOverflow(b)
    return sum.overflow ? Int.max : sum.partialValue
  }
}
