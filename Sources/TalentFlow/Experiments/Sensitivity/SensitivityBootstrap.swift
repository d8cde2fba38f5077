import Foundation

/// How the confidence intervals of a sensitivity analysis are bootstrapped.
///
/// An interval's half-width is z · s, where z = Φ⁻¹(1/2 + `confidenceLevel`/2)
/// (`NormalQuantile`) and s is the sample standard deviation (n − 1 denominator) of the
/// estimate over `resamples` bootstrap resamples, as in SALib. Each resample draws its indices
/// with replacement from the project's Philox generator, never from the runs' seeds, with the
/// counter layout of `SensitivityRandom`: so the intervals depend only on `seed`, `measure`
/// and the data, not on the number of threads or the order measures are analysed in.
public struct BootstrapOptions: Sendable, Equatable {
  /// Resamples per estimate; at least 2 (a standard deviation needs two values).
  public var resamples: Int
  /// The coverage of the intervals, strictly between 0 and 1 (0.95 gives z ≈ 1.96).
  public var confidenceLevel: Double
  /// The seed of the Philox key of the resamples.
  public var seed: UInt64
  /// Which measure (output) is analysed, from 0: each measure gets its own resamples.
  public var measure: Int

  public init(resamples: Int, confidenceLevel: Double = 0.95, seed: UInt64, measure: Int = 0) {
    self.resamples = resamples
    self.confidenceLevel = confidenceLevel
    self.seed = seed
    self.measure = measure
  }

  /// z = Φ⁻¹(1/2 + confidenceLevel/2).
  public var z: Double { NormalQuantile.value(at: 0.5 + confidenceLevel / 2) }

  /// Throws unless resamples ≥ 2, 0 < confidenceLevel < 1 and 0 ≤ measure < 2^31.
  func validate() throws(SensitivityError) {
    guard resamples >= 2, resamples <= Int(UInt32.max) else {
      throw SensitivityError(
        "resamples must be an integer from 2 to \(UInt32.max), got \(resamples)")
    }
    guard confidenceLevel > 0, confidenceLevel < 1 else {
      throw SensitivityError(
        "the confidence level must be strictly between 0 and 1, got \(confidenceLevel)")
    }
    guard measure >= 0, measure <= Int(Int32.max) else {
      throw SensitivityError("the measure index must be in 0...\(Int32.max), got \(measure)")
    }
  }
}

/// The Philox counters of the sensitivity designs and bootstraps.
///
/// Every stream is a `RandomStream(key: PhiloxKey(seed: seed), purpose:, entity:, tick:)`,
/// whose draw number d is Philox4x32-10 of the counter (entity, tick, purpose, d):
///
/// | stream | purpose | entity | tick | draws, in order |
/// | --- | --- | --- | --- | --- |
/// | Morris base levels | 0x4D44_0001 | trajectory t | 0 | k × `index(below: p/2)` |
/// | Morris directions | 0x4D44_0002 | trajectory t | 0 | k × `uniform() < 1/2` (−1 if so) |
/// | Morris order | 0x4D44_0003 | trajectory t | 0 | Fisher–Yates, k − 1 × `index(below:)` |
/// | Morris bootstrap | 0x4D42_0000 + j | resample b | measure | r × `index(below: r)` |
/// | Sobol bootstrap | 0x5342_0000 | resample b | measure | N × `index(below: N)` |
///
/// (0x4D44 is "MD", Morris design; 0x4D42 "MB", 0x5342 "SB", Morris and Sobol bootstraps; j
/// is the parameter, from 0, so a Morris resample of trajectories is drawn per parameter as
/// SALib draws it; a Sobol resample of base samples is shared by every index of the measure, as
/// SALib shares it.) The design streams use the design's seed; the bootstrap streams the
/// analysis's; different purposes keep them apart when the two seeds are equal.
public enum SensitivityRandom {
  /// Purpose of the Morris base levels x*.
  public static let morrisLevels: UInt32 = 0x4D44_0001
  /// Purpose of the Morris directions D*.
  public static let morrisDirections: UInt32 = 0x4D44_0002
  /// Purpose of the Morris order P* (the step at which each parameter moves).
  public static let morrisOrder: UInt32 = 0x4D44_0003
  /// Purpose of the Morris bootstrap of parameter j: this plus j.
  public static let morrisBootstrap: UInt32 = 0x4D42_0000
  /// Purpose of the Sobol bootstrap.
  public static let sobolBootstrap: UInt32 = 0x5342_0000

  /// The `count` indices in 0..<`count` of bootstrap resample `resample`, with replacement.
  static func resampleIndices(
    key: PhiloxKey, purpose: UInt32, resample: Int, measure: Int, count: Int,
    into indices: inout [Int]
  ) {
    var stream = RandomStream(
      key: key, purpose: purpose, entity: UInt32(resample), tick: Int32(measure))
    indices.removeAll(keepingCapacity: true)
    for _ in 0..<count { indices.append(stream.index(below: count)) }
  }
}

/// The few statistics of the analyses, with numpy's definitions.
enum SensitivityStatistics {
  /// Σx / n, summed in order (numpy's `mean`, up to its pairwise summation order).
  static func mean(_ xs: [Double]) -> Double {
    var sum = 0.0
    for x in xs { sum += x }
    return sum / Double(xs.count)
  }

  /// √(Σ(x − x̄)² / (n − ddof)) (numpy's `std(ddof:)`); NaN when n ≤ ddof, as numpy.
  static func standardDeviation(_ xs: [Double], ddof: Int) -> Double {
    guard xs.count > ddof else { return .nan }
    let m = mean(xs)
    var sum = 0.0
    for x in xs { sum += (x - m) * (x - m) }
    return (sum / Double(xs.count - ddof)).squareRoot()
  }
}
