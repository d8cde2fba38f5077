import Foundation

/// Sobol' variance-based sensitivity indices from a Saltelli design, SALib's `sobol.analyze`
/// (version 1.6.0) without groups.
///
/// The outputs come in the row order of `SaltelliDesign`. First they are normalised as SALib
/// does, y = (Y − mean Y) / sd Y over all N · rows-per-sample outputs (sd with an n
/// denominator). With A_i, B_i, AB_i^j and BA_i^j the normalised outputs of the rows of base
/// sample i, and V = the variance (n denominator) of the 2N values A_1 … A_N, B_1 … B_N:
///
///     S1_j = (1/N) Σ_i B_i (AB_i^j − A_i) / V                      (Saltelli et al. 2010)
///     ST_j = (1/2) (1/N) Σ_i (A_i − AB_i^j)² / V                    (Jansen 1999)
///     S2_jl = (1/N) Σ_i (BA_i^j AB_i^l − A_i B_i) / V − S1_j − S1_l   (Saltelli 2002)
///
/// and SALib 1.6.0's guards against constant outputs: when max − min of the A and B values is
/// at most ε = 2^−52 every index is 0, and when V ≤ ε every quotient by V is 0 (S2 is then
/// 0 − S1_j − S1_l). A constant output has sd Y = 0; SALib's normalisation then gives NaN,
/// which its guards turn into 0, so every index and every interval is 0 here too.
///
/// Intervals: resample b draws N base samples with replacement (stream purpose
/// `SensitivityRandom.sobolBootstrap`, entity b, tick the measure), the same draws for every
/// index of the measure as in SALib, and computes each index from the drawn samples with the
/// formulas above (V from the drawn A and B; the constant guard over the drawn values of all
/// resamples together, as SALib's `np.ptp` of the stacked resamples). An interval is
/// z · sd_b (n − 1 denominator) of the index over the resamples.
///
/// Outputs must be finite: SALib would turn a NaN into an index of 0 without a word.
public enum SobolAnalysis {
  /// SALib's tolerance for a constant output or a zero variance: `np.finfo(float).eps`.
  public static let tolerance = Double.ulpOfOne

  /// S1, ST (and S2 with `secondOrder`) with their intervals, for outputs in the row order of
  /// `SaltelliDesign(parameters: k, baseSamples: N, secondOrder:)`.
  ///
  /// `threads` only shares out the resamples: the result is the same for any number.
  public static func analyze(
    outputs: [Double], parameters k: Int, baseSamples n: Int, secondOrder: Bool,
    bootstrap: BootstrapOptions, threads: Int = 1
  ) throws(SensitivityError) -> SobolIndices {
    try bootstrap.validate()
    guard k >= 1, n >= 1 else {
      throw SensitivityError(
        "a Sobol' analysis needs k ≥ 1 parameters and N ≥ 1 base samples, got k = \(k), N = \(n)")
    }
    let step = SaltelliDesign.rowsPerSample(parameters: k, secondOrder: secondOrder)
    guard outputs.count == n * step else {
      throw SensitivityError(
        "a Saltelli design with k = \(k), N = \(n)\(secondOrder ? " and second order" : "") has "
          + "\(n * step) points, but there are \(outputs.count) outputs")
    }
    if let bad = outputs.firstIndex(where: { !$0.isFinite }) {
      throw SensitivityError("the output of point \(bad + 1) is not a finite number")
    }
    let pairs = secondOrder ? (0..<k).flatMap { j in (j + 1..<k).map { (j, $0) } } : []
    let mean = SensitivityStatistics.mean(outputs)
    let sd = SensitivityStatistics.standardDeviation(outputs, ddof: 0)
    guard sd.isFinite else {
      throw SensitivityError("the outputs are too large to take their variance")
    }
    guard sd > 0 else {
      let zero = SobolIndices.Parameter(
        firstOrder: 0, firstOrderConfidence: 0, totalOrder: 0, totalOrderConfidence: 0)
      return SobolIndices(
        parameters: Array(repeating: zero, count: k),
        pairs: pairs.map {
          .init(first: $0.0, second: $0.1, secondOrder: 0, secondOrderConfidence: 0)
        })
    }
    let samples = SaltelliOutputs(
      normalised: outputs.map { ($0 - mean) / sd }, parameters: k, baseSamples: n,
      secondOrder: secondOrder, pairs: pairs)

    let point = samples.moments(of: Array(0..<n))
    let estimate = point.indices(constant: point.maximum - point.minimum <= tolerance)

    let key = PhiloxKey(seed: bootstrap.seed)
    let measure = bootstrap.measure
    let resampled = Parallel(threads: threads).map(bootstrap.resamples) { b in
      var drawn: [Int] = []
      SensitivityRandom.resampleIndices(
        key: key, purpose: SensitivityRandom.sobolBootstrap, resample: b, measure: measure,
        count: n, into: &drawn)
      return samples.moments(of: drawn)
    }
    let lowest = resampled.map(\.minimum).min() ?? 0
    let highest = resampled.map(\.maximum).max() ?? 0
    let constant = highest - lowest <= tolerance
    let draws = resampled.map { $0.indices(constant: constant) }
    let z = bootstrap.z
    func interval(_ value: (Estimate) -> Double) -> Double {
      z * SensitivityStatistics.standardDeviation(draws.map(value), ddof: 1)
    }
    let parameters = (0..<k).map { j in
      SobolIndices.Parameter(
        firstOrder: estimate.first[j], firstOrderConfidence: interval { $0.first[j] },
        totalOrder: estimate.total[j], totalOrderConfidence: interval { $0.total[j] })
    }
    let pairIndices = pairs.enumerated().map { p, pair in
      SobolIndices.Pair(
        first: pair.0, second: pair.1, secondOrder: estimate.second[p],
        secondOrderConfidence: interval { $0.second[p] })
    }
    return SobolIndices(parameters: parameters, pairs: pairIndices)
  }

  /// The indices of one set of base samples (all of them, or one resample).
  struct Estimate {
    var first: [Double]
    var total: [Double]
    var second: [Double]
  }
}

/// The normalised outputs of a Saltelli design, split into A, B, AB^j and BA^j.
private struct SaltelliOutputs: Sendable {
  let k: Int
  let n: Int
  let pairs: [(Int, Int)]
  var a: [Double]
  var b: [Double]
  /// AB^j_i at `ab[j * n + i]`.
  var ab: [Double]
  /// BA^j_i at `ba[j * n + i]` (empty without second order).
  var ba: [Double]

  init(
    normalised y: [Double], parameters k: Int, baseSamples n: Int, secondOrder: Bool,
    pairs: [(Int, Int)]
  ) {
    self.k = k
    self.n = n
    self.pairs = pairs
    let step = SaltelliDesign.rowsPerSample(parameters: k, secondOrder: secondOrder)
    a = (0..<n).map { y[$0 * step] }
    b = (0..<n).map { y[$0 * step + step - 1] }
    ab = (0..<k).flatMap { j in (0..<n).map { y[$0 * step + 1 + j] } }
    ba = secondOrder ? (0..<k).flatMap { j in (0..<n).map { y[$0 * step + 1 + k + j] } } : []
  }

  /// The sums behind the indices, over the base samples `drawn` (with repeats).
  ///
  /// The drawn values are first copied into contiguous columns, so that every sum below runs
  /// over adjacent doubles (this is the inner loop of the bootstrap).
  func moments(of drawn: [Int]) -> Moments {
    let m = drawn.count
    let count = Double(m)
    var columns = [Double](repeating: 0, count: (ba.isEmpty ? k + 2 : 2 * k + 2) * m)
    columns.withUnsafeMutableBufferPointer { out in
      drawn.withUnsafeBufferPointer { idx in
        a.withUnsafeBufferPointer { a in
          b.withUnsafeBufferPointer { b in
            for i in 0..<m {
              out[i] = a[idx[i]]
              out[m + i] = b[idx[i]]
            }
          }
        }
        for (offset, source) in [(2, ab), (2 + k, ba)] where !source.isEmpty {
          source.withUnsafeBufferPointer { source in
            for j in 0..<k {
              let to = (offset + j) * m
              let from = j * n
              for i in 0..<m { out[to + i] = source[from + idx[i]] }
            }
          }
        }
      }
    }
    return columns.withUnsafeBufferPointer { c in
      var sum = 0.0
      for i in 0..<(2 * m) { sum += c[i] }
      let mean = sum / (2 * count)
      var squares = 0.0
      var low = c[0]
      var high = c[0]
      for i in 0..<(2 * m) {
        let x = c[i]
        squares += (x - mean) * (x - mean)
        low = min(low, x)
        high = max(high, x)
      }
      var moments = Moments(
        variance: squares / (2 * count), minimum: low, maximum: high, first: [], total: [],
        joint: [], pairs: pairs)
      for j in 0..<k {
        let ab = (2 + j) * m
        var first = 0.0
        var total = 0.0
        for i in 0..<m {
          let a = c[i]
          let x = c[ab + i]
          first += c[m + i] * (x - a)
          total += (a - x) * (a - x)
        }
        moments.first.append(first / count)
        moments.total.append(0.5 * (total / count))
      }
      for (j, l) in pairs {
        let baj = (2 + k + j) * m
        let abl = (2 + l) * m
        var joint = 0.0
        for i in 0..<m { joint += c[baj + i] * c[abl + i] - c[i] * c[m + i] }
        moments.joint.append(joint / count)
      }
      return moments
    }
  }
}

/// Means of B(AB^j − A), (A − AB^j)²/2 and BA^j AB^l − AB, the variance V of A and B, and
/// their range, over one set of base samples.
private struct Moments: Sendable {
  var variance: Double
  var minimum: Double
  var maximum: Double
  var first: [Double]
  var total: [Double]
  var joint: [Double]
  let pairs: [(Int, Int)]

  /// The indices, with SALib 1.6.0's guards (see `SobolAnalysis`).
  func indices(constant: Bool) -> SobolAnalysis.Estimate {
    if constant {
      return .init(
        first: first.map { _ in 0 }, total: total.map { _ in 0 }, second: joint.map { _ in 0 })
    }
    let usable = variance > SobolAnalysis.tolerance
    let s1 = first.map { usable ? $0 / variance : 0 }
    let st = total.map { usable ? $0 / variance : 0 }
    let s2 = joint.enumerated().map { p, v in
      (usable ? v / variance : 0) - s1[pairs[p].0] - s1[pairs[p].1]
    }
    return .init(first: s1, total: st, second: s2)
  }
}
