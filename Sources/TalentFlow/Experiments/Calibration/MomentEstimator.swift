import Foundation

/// The target moments of a calibration: the observed values m and their standard errors s.
public struct MomentTargets: Sendable, Equatable {
  public let values: [Double]
  public let standardErrors: [Double]

  /// Throws unless there is at least one moment, every value is finite and every standard
  /// error finite and positive (the weights are 1/s²).
  public init(values: [Double], standardErrors: [Double]) throws(CalibrationError) {
    guard !values.isEmpty, values.count == standardErrors.count else {
      throw CalibrationError(
        "the targets need one standard error per moment, at least one moment, got "
          + "\(values.count) values and \(standardErrors.count) standard errors")
    }
    for i in values.indices {
      guard values[i].isFinite, standardErrors[i].isFinite, standardErrors[i] > 0 else {
        throw CalibrationError(
          "moment \(i + 1): the target must be finite and its standard error finite and "
            + "positive, got \(values[i]) ± \(standardErrors[i])")
      }
    }
    self.values = values
    self.standardErrors = standardErrors
  }

  /// M, the number of moments.
  public var count: Int { values.count }

  /// W = diag(1/s²), the weights of the objective.
  public var weights: [[Double]] { DenseMatrix.diagonal(standardErrors.map { 1 / ($0 * $0) }) }

  /// Ω = diag(s²), the covariance of the target moments.
  public var covariance: [[Double]] { DenseMatrix.diagonal(standardErrors.map { $0 * $0 }) }
}

/// How far the simulated moments at one θ are from the targets.
public struct MomentFit: Sendable, Equatable {
  /// R, the number of replicates.
  public var replicates: Int
  /// m̄_i = Σ_r m_ri / R, summed in replicate order.
  public var mean: [Double]
  /// √(Σ_r (m_ri − m̄_i)² / (R − 1)); NaN when R = 1.
  public var standardDeviation: [Double]
  /// z_i = (m̄_i − target_i) / s_i.
  public var z: [Double]
  /// Q(θ) = Σ_i z_i², summed in moment order; +∞ when it is not finite (a replicate with a
  /// non-finite moment, or an overflow), so that the optimiser treats the point as failed.
  public var objective: Double
}

/// The statistics of estimation by the simulated method of moments (McFadden 1989; Pakes &
/// Pollard 1989) with diagonal weights W = diag(1/s²).
///
/// At each θ the caller simulates R replicates with common random numbers (the same R seeds at
/// every θ, so Q is a smooth-as-possible function of θ) and gives their moments, R × M;
/// `fit(targets:replicates:)` summarises them into the objective
///
///     Q(θ) = Σ_i ((m̄_i(θ) − target_i) / s_i)²
///
/// that `NelderMead` minimises. The covariance of the estimate is `EstimatorCovariance`.
public enum MomentEstimator {
  /// Mean, standard deviation, z and Q of `replicates` (R rows of M moments).
  public static func fit(targets: MomentTargets, replicates: [[Double]])
    throws(CalibrationError) -> MomentFit
  {
    let mean = try self.mean(replicates, moments: targets.count)
    let r = replicates.count
    var sd = [Double](repeating: .nan, count: targets.count)
    if r > 1 {
      for i in 0..<targets.count {
        var sum = 0.0
        for row in replicates { sum += (row[i] - mean[i]) * (row[i] - mean[i]) }
        sd[i] = (sum / Double(r - 1)).squareRoot()
      }
    }
    let z = (0..<targets.count).map { i in
      (mean[i] - targets.values[i]) / targets.standardErrors[i]
    }
    var q = 0.0
    for zi in z { q += zi * zi }
    return MomentFit(
      replicates: r, mean: mean, standardDeviation: sd, z: z,
      objective: q.isFinite ? q : .infinity)
  }

  /// The mean moments m̄ of R ≥ 1 rows of `moments` values each, summed in row order.
  public static func mean(_ replicates: [[Double]], moments: Int) throws(CalibrationError)
    -> [Double]
  {
    guard !replicates.isEmpty else {
      throw CalibrationError("at least one replicate is needed, got none")
    }
    var sum = [Double](repeating: 0, count: moments)
    for (r, row) in replicates.enumerated() {
      guard row.count == moments else {
        throw CalibrationError(
          "replicate \(r + 1) has \(row.count) moments, the targets have \(moments)")
      }
      for i in 0..<moments { sum[i] += row[i] }
    }
    return sum.map { $0 / Double(replicates.count) }
  }
}
