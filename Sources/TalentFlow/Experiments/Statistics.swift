import Foundation

/// Summary statistics over replicates, computed the same way everywhere they are reported.
public enum Statistics {
  /// The arithmetic mean; 0 for no values.
  public static func mean(_ xs: [Double]) -> Double {
    xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count)
  }

  /// The sample standard deviation (n − 1 denominator); 0 for fewer than two values.
  public static func standardDeviation(_ xs: [Double]) -> Double {
    guard xs.count > 1 else { return 0 }
    let m = mean(xs)
    let ss = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) }
    return (ss / Double(xs.count - 1)).squareRoot()
  }

  /// The p-quantile by linear interpolation between order statistics (Hyndman & Fan type 7,
  /// the default of R's `quantile` and numpy's `quantile`); 0 for no values.
  public static func quantile(_ xs: [Double], _ p: Double) -> Double {
    guard !xs.isEmpty else { return 0 }
    let sorted = xs.sorted()
    let h = Double(sorted.count - 1) * p
    let lower = Int(h.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
  }
}
