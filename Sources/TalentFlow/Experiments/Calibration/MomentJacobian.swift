import Foundation

/// The 2k points of a central finite-difference Jacobian G = ∂m̄/∂θ at θ̂, and G from the
/// simulated mean moments there.
///
/// The caller evaluates `points` (in parallel, with the same R replicate seeds as the search:
/// common random numbers, so the simulation noise cancels in the differences) and gives their
/// mean moments to `jacobian(means:)`. Parameter j moves by
///
///     h_j = δ · (upper_j − lower_j),   δ = `relativeStep` (default 0.05),
///     θ⁺ = θ̂ + min(h_j, upper_j − θ̂_j) e_j,   θ⁻ = θ̂ − min(h_j, θ̂_j − lower_j) e_j,
///     G_ij = (m̄_i(θ⁺) − m̄_i(θ⁻)) / (θ⁺_j − θ⁻_j),
///
/// so the points never leave the box: at a bound the difference is one-sided (θ̂ itself is
/// one of the two points), near one it is off-centre. The denominator is the difference of the
/// coordinates actually used, so the quotient is exact for a linear m̄ up to the rounding of
/// m̄. Why 5% of the range rather than the √ε of smooth functions: a simulated moment is
/// piecewise constant in θ at the scale of one agent changing state, and common random numbers
/// keep the draws but not the trajectory (one agent deciding otherwise changes what follows), so
/// a small step measures the jump of a diverging trajectory as well as the slope. Differences
/// over 1% of a range did, and gave standard errors far too small (a recovery test missed the
/// true value by 15 of them); 5% measures the slope, with a central-difference error O(h²) of
/// about 0.25% of the curvature over the range for moments with bounded curvature.
public struct MomentJacobianDesign: Sendable, Equatable {
  /// δ = 0.05, the default `jacobianStep` of a calibration specification.
  public static let defaultRelativeStep = 0.05

  public let box: CalibrationBox
  public let center: [Double]
  public let relativeStep: Double
  /// 2k points: θ⁺ of parameter j at 2j, θ⁻ at 2j + 1.
  public let points: [[Double]]

  /// The design at `center` (inside the box) with 0 < `relativeStep` ≤ 1/2.
  public init(
    box: CalibrationBox, center: [Double], relativeStep: Double = defaultRelativeStep
  ) throws(CalibrationError) {
    try box.validate(center, "the centre of the Jacobian")
    guard relativeStep > 0, relativeStep <= 0.5 else {
      throw CalibrationError(
        "the finite-difference step must be in (0, 0.5] of each range, got \(relativeStep)")
    }
    self.box = box
    self.center = center
    self.relativeStep = relativeStep
    var points: [[Double]] = []
    for j in center.indices {
      let h = relativeStep * (box.upper[j] - box.lower[j])
      var plus = center
      var minus = center
      plus[j] = center[j] + min(h, box.upper[j] - center[j])
      minus[j] = center[j] - min(h, center[j] - box.lower[j])
      plus[j] = min(plus[j], box.upper[j])
      minus[j] = max(minus[j], box.lower[j])
      points += [plus, minus]
    }
    self.points = points
  }

  /// θ⁺_j − θ⁻_j, the denominator of column j.
  public var steps: [Double] {
    center.indices.map { j in points[2 * j][j] - points[2 * j + 1][j] }
  }

  /// G, M × k, from the mean moments at `points` (2k rows of M, in the order of `points`).
  public func jacobian(means: [[Double]]) throws(CalibrationError) -> [[Double]] {
    guard means.count == points.count, let m = means.first?.count, m >= 1 else {
      throw CalibrationError(
        "the Jacobian needs the mean moments at its \(points.count) points, got \(means.count)")
    }
    for (p, row) in means.enumerated() {
      guard row.count == m, row.allSatisfy(\.isFinite) else {
        throw CalibrationError(
          "the mean moments at Jacobian point \(p + 1) must be \(m) finite numbers, got \(row)")
      }
    }
    let steps = self.steps
    return (0..<m).map { i in
      center.indices.map { j in (means[2 * j][i] - means[2 * j + 1][i]) / steps[j] }
    }
  }
}
