import Foundation

/// A mean with a two-sided confidence interval.
public struct MeanInterval: Sendable, Equatable {
  public var mean: Double
  public var low: Double
  public var high: Double

  /// high − low: the precision a comparison reached.
  public var width: Double { high - low }

  public init(mean: Double, low: Double, high: Double) {
    self.mean = mean
    self.low = low
    self.high = high
  }
}

/// Confidence intervals for the difference policy − base over replicate runs.
///
/// `paired` treats run r of both scenarios as a pair (same seed, common random numbers) and
/// applies the one-sample t interval to the differences; `welch` ignores the pairing and applies
/// Welch's unequal-variance t interval to the two samples, which is what two independent sets
/// of runs would give. The ratio of their widths is what pairing bought.
public enum ConfidenceInterval {
  /// The t interval of the mean of policy[r] − base[r]; needs two or more pairs.
  public static func paired(base: [Double], policy: [Double], level: Double = 0.95)
    -> MeanInterval
  {
    let n = min(base.count, policy.count)
    let differences = (0..<n).map { policy[$0] - base[$0] }
    let (mean, variance) = meanAndVariance(differences)
    guard n >= 2 else { return MeanInterval(mean: mean, low: .nan, high: .nan) }
    let half =
      StudentT.quantile(0.5 + level / 2, degreesOfFreedom: Double(n - 1))
      * (variance / Double(n)).squareRoot()
    return MeanInterval(mean: mean, low: mean - half, high: mean + half)
  }

  /// Welch's interval for mean(policy) − mean(base), as if the runs were independent.
  ///
  /// The degrees of freedom are Welch–Satterthwaite's (not an integer in general). When both
  /// samples have no variance the interval has width 0.
  public static func welch(base: [Double], policy: [Double], level: Double = 0.95)
    -> MeanInterval
  {
    let (meanBase, varianceBase) = meanAndVariance(base)
    let (meanPolicy, variancePolicy) = meanAndVariance(policy)
    let difference = meanPolicy - meanBase
    guard base.count >= 2, policy.count >= 2 else {
      return MeanInterval(mean: difference, low: .nan, high: .nan)
    }
    let a = varianceBase / Double(base.count)
    let b = variancePolicy / Double(policy.count)
    let se2 = a + b
    guard se2 > 0 else { return MeanInterval(mean: difference, low: difference, high: difference) }
    let df = se2 * se2 / (a * a / Double(base.count - 1) + b * b / Double(policy.count - 1))
    let half = StudentT.quantile(0.5 + level / 2, degreesOfFreedom: df) * se2.squareRoot()
    return MeanInterval(mean: difference, low: difference - half, high: difference + half)
  }

  /// The mean and the sample variance (divisor n − 1; 0 for fewer than two values), summed in
  /// index order.
  public static func meanAndVariance(_ xs: [Double]) -> (mean: Double, variance: Double) {
    guard !xs.isEmpty else { return (.nan, .nan) }
    var sum = 0.0
    for x in xs { sum += x }
    let mean = sum / Double(xs.count)
    guard xs.count >= 2 else { return (mean, 0) }
    var squares = 0.0
    for x in xs { squares += (x - mean) * (x - mean) }
    return (mean, squares / Double(xs.count - 1))
  }
}

/// Student's t distribution: distribution function and quantiles for any real df > 0.
///
/// The distribution function goes through the regularised incomplete beta function (a
/// continued fraction, Numerical Recipes §6.4); the quantile is exact in closed form for df 1
/// and 2, and otherwise starts from the Cornish–Fisher expansion (Abramowitz & Stegun 26.7.5)
/// and is refined by safeguarded Newton steps on the upper tail, to about 1e-13 relative.
public enum StudentT {
  /// P(T ≤ t) for T ~ t(df); df = +infinity is the standard normal.
  public static func cdf(_ t: Double, degreesOfFreedom df: Double) -> Double {
    if t.isNaN || !(df > 0) { return .nan }
    if t == 0 { return 0.5 }
    let tail = upperTail(abs(t), df)
    return t > 0 ? 1 - tail : tail
  }

  /// The p-quantile of t(df): the t with P(T ≤ t) = p.
  ///
  /// NaN outside 0 < p < 1 or for df ≤ 0.
  public static func quantile(_ p: Double, degreesOfFreedom df: Double) -> Double {
    guard p > 0, p < 1, df > 0 else { return .nan }
    if p == 0.5 { return 0 }
    if p < 0.5 { return -quantile(1 - p, degreesOfFreedom: df) }
    if df == 1 { return PortableMath.cauchyQuantile(p) }  // tan(π(p − ½))
    if df == 2 { return (2 * p - 1) / (2 * p * (1 - p)).squareRoot() }
    let q = 1 - p
    let z = Normal.upperQuantile(q)
    if df.isInfinite { return z }

    // Cornish–Fisher start, then Newton on upperTail(t) = q inside a bracket [low, high].
    let z2 = z * z
    let g1 = (z2 + 1) * z / 4
    let g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
    let g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384
    let g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160
    var t = z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df
    if !(t > 0) || !t.isFinite { t = z }
    var low = 0.0
    var high = t
    while upperTail(high, df) > q {
      low = high
      high *= 2
      if !high.isFinite { return .infinity }
    }
    for _ in 0..<200 {
      let excess = upperTail(t, df) - q
      if excess > 0 { low = max(low, t) } else { high = min(high, t) }
      var next = t + excess / density(t, df)
      if !(next > low && next < high) { next = (low + high) / 2 }
      if abs(next - t) <= 1e-15 * max(1, abs(t)) {
        t = next
        break
      }
      t = next
    }
    return t
  }

  /// The density of t(df) at t.
  public static func density(_ t: Double, _ df: Double) -> Double {
    let logNormaliser =
      PortableMath.logGamma((df + 1) / 2) - PortableMath.logGamma(df / 2) - 0.5
      * PortableMath.log(df * Double.pi)
    return PortableMath.exp(logNormaliser - (df + 1) / 2 * PortableMath.log1p(t * t / df))
  }

  /// P(T > t) for t ≥ 0.
  static func upperTail(_ t: Double, _ df: Double) -> Double {
    if df.isInfinite { return Normal.upperTail(t) }
    return 0.5 * regularisedIncompleteBeta(df / (df + t * t), a: df / 2, b: 0.5)
  }

  /// I_x(a, b), the regularised incomplete beta function.
  static func regularisedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logFront =
      PortableMath.logGamma(a + b) - PortableMath.logGamma(a) - PortableMath.logGamma(b) + a
      * PortableMath.log(x) + b * PortableMath.log1p(-x)
    let front = PortableMath.exp(logFront)
    if x < (a + 1) / (a + b + 2) {
      return front * betaContinuedFraction(x, a: a, b: b) / a
    }
    return 1 - front * betaContinuedFraction(1 - x, a: b, b: a) / b
  }

  /// The continued fraction of I_x(a, b), by the modified Lentz method.
  private static func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
    let tiny = 1e-300
    let qab = a + b
    let qap = a + 1
    let qam = a - 1
    var c = 1.0
    var d = 1 - qab * x / qap
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1...10_000 {
      let m = Double(m)
      let m2 = 2 * m
      var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
      d = 1 + aa * d
      if abs(d) < tiny { d = tiny }
      c = 1 + aa / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      h *= d * c
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
      d = 1 + aa * d
      if abs(d) < tiny { d = tiny }
      c = 1 + aa / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let step = d * c
      h *= step
      if abs(step - 1) < 1e-16 { break }
    }
    return h
  }
}

/// The standard normal distribution.
public enum Normal {
  /// P(Z > z) = ½ erfc(z / √2) = ½ Q(½, z²/2) for z ≥ 0, with the regularised upper
  /// incomplete gamma function of `ChiSquared` (so nothing comes from the C library).
  public static func upperTail(_ z: Double) -> Double {
    if z.isNaN { return z }
    if z == .infinity { return 0 }
    if z == -.infinity { return 1 }
    let tail = 0.5 * ChiSquared.regularisedUpperGamma(0.5, z * z / 2)
    return z >= 0 ? tail : 1 - tail
  }

  /// The z with P(Z > z) = q, for 0 < q < 1.
  ///
  /// Starts from Abramowitz & Stegun 26.2.23 (error below 4.5e-4) and refines by Newton steps.
  public static func upperQuantile(_ q: Double) -> Double {
    guard q > 0, q < 1 else { return .nan }
    if q > 0.5 { return -upperQuantile(1 - q) }
    let s = (-2 * PortableMath.log(q)).squareRoot()
    var z =
      s - (2.515517 + (0.802853 + 0.010328 * s) * s)
      / (1 + (1.432788 + (0.189269 + 0.001308 * s) * s) * s)
    for _ in 0..<50 {
      let density = PortableMath.exp(-z * z / 2) / (2 * Double.pi).squareRoot()
      let step = (upperTail(z) - q) / density
      z += step
      if abs(step) <= 1e-15 * max(1, abs(z)) { break }
    }
    return z
  }
}
