import Foundation

/// The χ² distribution's upper tail, for reading a calibration's objective as a test of fit.
///
/// With M targets, k estimated parameters and weights 1/se², the objective Q at the estimate is
/// approximately χ²(M − k) under a correct model (Hansen 1982's J test; for simulated moments,
/// McFadden 1989), so P(χ²(M − k) ≥ Q) is the p-value of the fit.
public enum ChiSquared {
  /// P(X ≥ x) for X ~ χ²(`degreesOfFreedom`).
  ///
  /// The regularised upper incomplete gamma function Q(ν/2, x/2); NaN unless ν > 0 and x is not
  /// NaN; 1 for x ≤ 0.
  public static func upperTail(_ x: Double, degreesOfFreedom df: Double) -> Double {
    guard df > 0, df.isFinite, !x.isNaN else { return .nan }
    if x <= 0 { return 1 }
    if x == .infinity { return 0 }
    return regularisedUpperGamma(df / 2, x / 2)
  }

  /// Q(a, x) = Γ(a, x) / Γ(a) for a > 0, x > 0: by its series below x = a + 1 (as 1 − P), by
  /// its continued fraction above (Numerical Recipes §6.2, modified Lentz), each where it
  /// converges fast.
  static func regularisedUpperGamma(_ a: Double, _ x: Double) -> Double {
    // e^(−x) x^a / Γ(a), with e^(−x) apart where it does not underflow: the rounding of one
    // sum near −x would cost |x| ulp.
    let logRest = a * PortableMath.log(x) - PortableMath.logGamma(a)
    let front =
      x < 700 ? PortableMath.exp(-x) * PortableMath.exp(logRest) : PortableMath.exp(logRest - x)
    if x < a + 1 {
      // P(a, x) = e^(−x) x^a / Γ(a + 1) · Σ x^n / ((a + 1)…(a + n)).
      var term = 1 / a
      var sum = term
      var n = a
      for _ in 0..<10_000 {
        n += 1
        term *= x / n
        sum += term
        if abs(term) < abs(sum) * 1e-17 { break }
      }
      return max(0, 1 - sum * front)
    }
    let tiny = 1e-300
    var b = x + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    for i in 1...10_000 {
      let an = -Double(i) * (Double(i) - a)
      b += 2
      d = an * d + b
      if abs(d) < tiny { d = tiny }
      c = b + an / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let step = d * c
      h *= step
      if abs(step - 1) < 1e-15 { break }
    }
    return min(1, front * h)
  }
}
