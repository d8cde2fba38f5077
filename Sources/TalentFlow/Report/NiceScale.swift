import Foundation

/// An axis range with "nice" round tick values (1, 2 or 5 times a power of ten).
///
/// In the spirit of Heckbert, "Nice numbers for graph labels" (Graphics Gems, 1990), choosing the
/// step that wastes least of the axis. Empty, constant and non-finite inputs give a usable range
/// rather than a division by zero.
public struct NiceScale: Sendable, Equatable {
  /// The lowest value on the axis (the first tick).
  public let lower: Double
  /// The highest value on the axis (the last tick).
  public let upper: Double
  /// The distance between ticks.
  public let step: Double
  /// The tick values from `lower` to `upper`.
  public let ticks: [Double]

  /// Magnitudes beyond this are clipped so that every span stays finite.
  static let limit = 1e100

  /// A scale covering `values` (non-finite ones ignored) with about `targetTicks` ticks.
  ///
  /// - Parameters:
  ///   - includeZero: extend the range to 0 (counts and stocks).
  ///   - minimumStep: the smallest allowed step (1 for years or people).
  ///   - padding: a fraction of the data's span added below and above, so that a line at the
  ///     extreme of the data does not sit on the axis (not below 0 when `includeZero`).
  public init(
    covering values: [Double], includeZero: Bool = false, targetTicks: Int = 6,
    minimumStep: Double = 0, padding: Double = 0
  ) {
    var low = Double.infinity
    var high = -Double.infinity
    for v in values where v.isFinite {
      let clipped = min(max(v, -NiceScale.limit), NiceScale.limit)
      low = min(low, clipped)
      high = max(high, clipped)
    }
    if padding > 0 && low.isFinite && high > low {
      let pad = (high - low) * padding
      low = includeZero && low >= 0 ? max(low - pad, 0) : low - pad
      high = includeZero && high <= 0 ? min(high + pad, 0) : high + pad
    }
    if includeZero {
      low = min(low, 0)
      high = max(high, 0)
    }
    if !low.isFinite || !high.isFinite {
      (low, high) = (0, 1)
    } else if low == high {
      let pad = low == 0 ? 1 : abs(low) * 0.1
      (low, high) = (
        includeZero && low >= 0 ? 0 : low - pad, includeZero && high <= 0 ? 0 : high + pad
      )
      if low == high { high = low + 1 }
    }
    let choice = NiceScale.bestStep(
      low: low, high: high, targetTicks: max(targetTicks, 3), minimumStep: minimumStep)
    self.lower = choice.lower
    self.upper = choice.upper
    self.step = choice.step
    self.ticks = (0..<min(max(choice.ticks, 1), 50)).map { k in
      let t = choice.lower + Double(k) * choice.step
      return abs(t) < choice.step * 1e-9 ? 0 : t
    }
  }

  /// Chooses among steps of 1, 2 and 5 times a power of ten near the span ÷ (ticks − 1): the
  /// one wasting least of the axis (ties: the tick count nearest the target, then the larger
  /// step), with between 3 and target + 3 ticks; else the smallest step with few enough ticks.
  private static func bestStep(low: Double, high: Double, targetTicks: Int, minimumStep: Double)
    -> (lower: Double, upper: Double, step: Double, ticks: Int)
  {
    let span = high - low
    let exponent = log10(span / Double(targetTicks - 1)).rounded(.down)
    var steps: [Double] = []
    for e in [exponent - 1, exponent, exponent + 1] {
      for m in [1.0, 2, 5] { steps.append(m * pow(10, e)) }
    }
    if minimumStep > 0 {
      steps = steps.filter { $0 >= minimumStep }
      steps.insert(minimumStep, at: 0)
    }
    typealias Candidate = (lower: Double, upper: Double, step: Double, ticks: Int, waste: Double)
    let candidates: [Candidate] = steps.map { step in
      let lower = (low / step).rounded(.down) * step
      let upper = (high / step).rounded(.up) * step
      let ticks = Int(((upper - lower) / step).rounded()) + 1
      return (lower, upper, step, ticks, (upper - lower) / span)
    }
    let limit = targetTicks + 3
    let feasible = candidates.filter { $0.ticks >= 3 && $0.ticks <= limit }
    func better(_ a: Candidate, _ b: Candidate) -> Bool {
      if abs(a.waste - b.waste) > 1e-9 { return a.waste < b.waste }
      let da = abs(a.ticks - targetTicks)
      let db = abs(b.ticks - targetTicks)
      if da != db { return da < db }
      return a.step > b.step
    }
    let best =
      feasible.min(by: better)
      ?? candidates.filter { $0.ticks <= limit }.min { $0.step < $1.step }
      ?? candidates.max { $0.step < $1.step }
      ?? (low, high, high - low, 2, 1)
    return (best.lower, best.upper, best.step, best.ticks)
  }

  /// Decimals that show every tick of this scale exactly ("0.5" needs 1, "20" needs 0).
  public var decimals: Int {
    max(0, -Int((log10(step) + 1e-9).rounded(.down)))
  }

  /// Maps `value` in `lower…upper` linearly onto `from…to` (pixels); the middle if degenerate.
  func position(_ value: Double, from: Double, to: Double) -> Double {
    let span = upper - lower
    guard span > 0, span.isFinite, value.isFinite else { return (from + to) / 2 }
    let clipped = min(max(value, -NiceScale.limit), NiceScale.limit)
    return from + (clipped - lower) / span * (to - from)
  }
}
