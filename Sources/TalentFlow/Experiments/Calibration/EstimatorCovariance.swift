import Foundation

/// The standard error of one parameter, or why it has none.
public enum ParameterStandardError: Sendable, Equatable {
  case estimated(Double)
  /// The moments do not pin the parameter down; no number is given.
  case notIdentified(NotIdentified)

  /// Why a parameter is not identified.
  public enum NotIdentified: Sendable, Equatable {
    /// Its Jacobian column is flat: c_j / max c below `IdentificationThresholds.column`.
    case flatMoments(relativeSensitivity: Double)
    /// Its column is nearly a combination of earlier kept ones: 1 − R²_j below
    /// `IdentificationThresholds.pivot`.
    case collinear(relativePivot: Double)
  }

  /// The number, if there is one.
  public var value: Double? {
    if case .estimated(let se) = self { return se }
    return nil
  }
}

/// When a parameter counts as not identified.
///
/// With B = GᵀWG, the sensitivity of parameter j is c_j = √B_jj · (upper_j − lower_j): the
/// weighted change of the moments, in target standard errors, across its whole range, so the
/// test does not depend on the parameter's units. Parameter j is flat when c_j ≤ `column` ·
/// max_i c_i (default 10⁻⁶: moving it across its range moves Q a millionth of what the most
/// informative parameter does, well below the simulation noise a 1% finite-difference step
/// can resolve). The others go through `DenseMatrix.cholesky` of B in index order, and j is
/// collinear when its relative pivot 1 − R²_j ≤ `pivot` (default 10⁻⁸: its variance would be
/// inflated by more than 10⁸ and its standard error by 10⁴ over an orthogonal design, beyond
/// what the rounding of G and of B's factorisation, ~10⁻¹⁰ relative here, leaves
/// meaningful). Of two collinear parameters the later one is flagged.
public struct IdentificationThresholds: Sendable, Equatable {
  public var column: Double
  public var pivot: Double

  public init(column: Double = 1e-6, pivot: Double = 1e-8) {
    self.column = column
    self.pivot = pivot
  }
}

/// The covariance of the SMM estimate θ̂ and the standard errors of its parameters.
///
/// With G the M × k Jacobian of the simulated mean moments (`MomentJacobianDesign`), W the
/// weights of Q, Ω the covariance of the target moments and R replicates (Gouriéroux &
/// Monfort 1996; McFadden 1989), over the identified parameters S:
///
///     V = (1 + 1/R) (G_SᵀWG_S)⁻¹ G_SᵀWΩWG_S (G_SᵀWG_S)⁻¹,
///
/// the sandwich, whose factor 1 + 1/R accounts for the simulation noise of m̄ next to the
/// sampling noise of the targets. With W = Ω⁻¹ it is (1 + 1/R)(G_SᵀWG_S)⁻¹ (`efficient`).
/// The standard error of j ∈ S is √V_jj (NaN if V_jj < 0, which needs W or Ω not positive
/// semi-definite); the rows and columns of parameters outside S are NaN.
public struct EstimatorCovariance: Sendable, Equatable {
  /// V, k × k.
  public var covariance: [[Double]]
  public var standardErrors: [ParameterStandardError]
  /// c_j / max c (see `IdentificationThresholds`).
  public var relativeSensitivities: [Double]
  /// 1 − R²_j of the parameters that passed the column test, NaN for the others.
  public var relativePivots: [Double]

  /// The sandwich V with general W and Ω (M × M, symmetric positive semi-definite).
  public static func sandwich(
    jacobian g: [[Double]], weights w: [[Double]], targetCovariance omega: [[Double]],
    replicates r: Int, parameterScales scales: [Double],
    thresholds: IdentificationThresholds = IdentificationThresholds()
  ) throws(CalibrationError) -> EstimatorCovariance {
    try make(g, w, omega, r, scales, thresholds)
  }

  /// V = (1 + 1/R)(GᵀWG)⁻¹ with W = Ω⁻¹ = diag(1/s²) of `targets`.
  public static func efficient(
    jacobian g: [[Double]], targets: MomentTargets, replicates r: Int,
    parameterScales scales: [Double],
    thresholds: IdentificationThresholds = IdentificationThresholds()
  ) throws(CalibrationError) -> EstimatorCovariance {
    try make(g, targets.weights, nil, r, scales, thresholds)
  }

  /// The sandwich with the objective's W = diag(1/s²) and Ω = diag(s²), scales the box widths.
  public static func standardErrors(
    targets: MomentTargets, jacobian g: [[Double]], replicates r: Int, box: CalibrationBox,
    thresholds: IdentificationThresholds = IdentificationThresholds()
  ) throws(CalibrationError) -> EstimatorCovariance {
    try make(g, targets.weights, targets.covariance, r, box.widths, thresholds)
  }

  /// V over the identified parameters; the sandwich when `omega` is given, else the efficient
  /// form.
  private static func make(
    _ g: [[Double]], _ w: [[Double]], _ omega: [[Double]]?, _ r: Int, _ scales: [Double],
    _ thresholds: IdentificationThresholds
  ) throws(CalibrationError) -> EstimatorCovariance {
    let m = g.count
    guard m >= 1, let k = g.first?.count, k >= 1, g.allSatisfy({ $0.count == k }) else {
      throw CalibrationError("the Jacobian must be M × k with M, k ≥ 1 and rows of equal length")
    }
    try check(g, "the Jacobian", rows: m, columns: k)
    try check(w, "the weights W", rows: m, columns: m)
    if let omega { try check(omega, "the target covariance Ω", rows: m, columns: m) }
    guard r >= 1 else { throw CalibrationError("the replicates must be at least 1, got \(r)") }
    guard scales.count == k, scales.allSatisfy({ $0.isFinite && $0 > 0 }) else {
      throw CalibrationError("the parameter scales must be \(k) finite positive numbers")
    }
    let wg = DenseMatrix.product(w, g)
    let b = DenseMatrix.product(DenseMatrix.transpose(g), wg)
    let sensitivity = (0..<k).map { j in b[j][j].squareRoot() * scales[j] }
    var largest = 0.0
    for c in sensitivity where c > largest { largest = c }
    let relative = sensitivity.map { $0 / largest }
    let candidates = (0..<k).filter { relative[$0] > thresholds.column }
    let (kept, factor, pivots) = DenseMatrix.cholesky(
      b, candidates: candidates, threshold: thresholds.pivot)
    var relativePivots = [Double](repeating: .nan, count: k)
    for (c, j) in candidates.enumerated() { relativePivots[j] = pivots[c] }

    let inflation = 1 + 1 / Double(r)
    var v = DenseMatrix.inverse(choleskyFactor: factor)
    if let omega {
      let wgS = wg.map { row in kept.map { row[$0] } }
      let middle = DenseMatrix.product(
        DenseMatrix.transpose(wgS), DenseMatrix.product(omega, wgS))
      v = DenseMatrix.product(DenseMatrix.product(v, middle), v)
    }
    var covariance = [[Double]](repeating: [Double](repeating: .nan, count: k), count: k)
    for (a, ja) in kept.enumerated() {
      for (b, jb) in kept.enumerated() { covariance[ja][jb] = inflation * v[a][b] }
    }
    let standardErrors = (0..<k).map { j -> ParameterStandardError in
      if !(relative[j] > thresholds.column) {
        return .notIdentified(.flatMoments(relativeSensitivity: relative[j]))
      }
      if !kept.contains(j) { return .notIdentified(.collinear(relativePivot: relativePivots[j])) }
      return .estimated(covariance[j][j].squareRoot())
    }
    return EstimatorCovariance(
      covariance: covariance, standardErrors: standardErrors, relativeSensitivities: relative,
      relativePivots: relativePivots)
  }

  /// Throws unless `a` is `rows` × `columns` of finite numbers.
  private static func check(_ a: [[Double]], _ what: String, rows: Int, columns: Int)
    throws(CalibrationError)
  {
    guard a.count == rows, a.allSatisfy({ $0.count == columns && $0.allSatisfy(\.isFinite) })
    else {
      throw CalibrationError("\(what) must be \(rows) × \(columns) finite numbers")
    }
  }
}
