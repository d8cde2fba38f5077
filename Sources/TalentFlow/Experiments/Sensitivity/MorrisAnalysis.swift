import Foundation

/// The Morris measures of one parameter.
public struct MorrisIndices: Sendable, Equatable {
  /// μ: the mean elementary effect.
  public var mu: Double
  /// μ*: the mean absolute elementary effect (Campolongo, Cariboni & Saltelli 2007).
  public var muStar: Double
  /// σ: the standard deviation of the elementary effects (n − 1 denominator); NaN for one
  /// trajectory, as in SALib.
  public var sigma: Double
  /// The half-width of the bootstrap interval of μ*: z · sd of μ* over the resamples.
  public var muStarConfidence: Double

  public init(mu: Double, muStar: Double, sigma: Double, muStarConfidence: Double) {
    self.mu = mu
    self.muStar = muStar
    self.sigma = sigma
    self.muStarConfidence = muStarConfidence
  }
}

/// Morris elementary-effects screening, SALib's `morris.analyze` without groups or scaling.
///
/// The design is read as r trajectories of k + 1 consecutive rows (k = the rows' width). In
/// trajectory t the parameter j that changes between rows s and s + 1 gives the elementary
/// effect
///
///     EE_j^t = (y(x_j high) − y(x_j low)) / Δ,   Δ = p / (2(p − 1)),
///
/// where "high" is whichever of the two rows has the larger x_j: the effect of raising x_j,
/// whichever way the trajectory moved. Δ is the step in the unit hypercube even when the rows
/// are scaled, so an effect is the change of y over the fraction Δ of the range: for
/// y = Σ a_j x_j on [l_j, u_j], EE_j = a_j (u_j − l_j) up to rounding. The direction comes
/// from the rows themselves (their differences), so the scaled design read back from
/// `design.csv` works as well as the unit one. Then, over the r trajectories,
///
///     μ_j = Σ_t EE_j^t / r,   μ*_j = Σ_t |EE_j^t| / r,   σ_j = √(Σ_t (EE_j^t − μ_j)² / (r − 1)),
///
/// and the interval of μ*_j is z · sd_b(μ*_j^(b)) with the bootstrap resamples b of
/// `BootstrapOptions`: resample b of parameter j draws r trajectories with replacement from
/// the stream (purpose `SensitivityRandom.morrisBootstrap` + j, entity b, tick measure).
public enum MorrisAnalysis {
  /// The elementary effects, `[j][t]` for parameter j and trajectory t.
  ///
  /// Throws unless the rows have one width k ≥ 1, match the outputs in number, come in whole
  /// trajectories of k + 1, and each step of a trajectory changes exactly one parameter, each
  /// parameter once (what `MorrisDesign` makes); values must be finite. SALib would instead
  /// silently give 0 for a parameter that does not move and sum the moves of one that moves
  /// twice; a design like that is not a Morris design.
  public static func elementaryEffects(rows: [[Double]], outputs: [Double], levels: Int)
    throws(SensitivityError) -> [[Double]]
  {
    guard levels >= 2 else {
      throw SensitivityError("the number of Morris levels must be at least 2, got \(levels)")
    }
    guard let k = rows.first?.count, k >= 1 else {
      throw SensitivityError("the Morris design has no rows, or rows without parameters")
    }
    let size = k + 1
    guard rows.count == outputs.count else {
      throw SensitivityError(
        "the Morris design has \(rows.count) points but there are \(outputs.count) outputs")
    }
    guard rows.count % size == 0 else {
      throw SensitivityError(
        "the Morris design has \(rows.count) points, not a multiple of k + 1 = \(size)")
    }
    for (i, row) in rows.enumerated() {
      guard row.count == k else {
        throw SensitivityError("point \(i + 1) has \(row.count) values, point 1 has \(k)")
      }
      guard row.allSatisfy(\.isFinite) else {
        throw SensitivityError("point \(i + 1) of the Morris design has a value that is not finite")
      }
      guard outputs[i].isFinite else {
        throw SensitivityError("the output of point \(i + 1) is not a finite number")
      }
    }
    let delta = MorrisDesign.delta(levels: levels)
    let r = rows.count / size
    var effects = [[Double]](repeating: [Double](repeating: 0, count: r), count: k)
    for t in 0..<r {
      var moved = [Bool](repeating: false, count: k)
      for s in 0..<k {
        let before = t * size + s
        let after = before + 1
        let changed = (0..<k).filter { rows[after][$0] != rows[before][$0] }
        guard changed.count == 1, let j = changed.first, !moved[j] else {
          throw SensitivityError(
            "points \(before + 1) and \(after + 1) (trajectory \(t + 1)) must differ in exactly "
              + "one parameter that has not moved yet in the trajectory; they differ in "
              + "\(changed.count == 1 ? "one that already moved" : "\(changed.count)")")
        }
        moved[j] = true
        let rises = rows[after][j] > rows[before][j]
        let high = rises ? outputs[after] : outputs[before]
        let low = rises ? outputs[before] : outputs[after]
        effects[j][t] = (high - low) / delta
      }
    }
    return effects
  }

  /// μ, μ*, σ and the bootstrap interval of μ* of each parameter, in column order.
  public static func analyze(
    rows: [[Double]], outputs: [Double], levels: Int, bootstrap: BootstrapOptions
  ) throws(SensitivityError) -> [MorrisIndices] {
    try bootstrap.validate()
    let effects = try elementaryEffects(rows: rows, outputs: outputs, levels: levels)
    guard effects.count <= 0x1_0000 else {
      throw SensitivityError("a Morris analysis has at most 65536 parameters, got \(effects.count)")
    }
    let key = PhiloxKey(seed: bootstrap.seed)
    let z = bootstrap.z
    var indices: [Int] = []
    return effects.enumerated().map { j, ee in
      let magnitudes = ee.map { abs($0) }
      var resampled = [Double](repeating: 0, count: bootstrap.resamples)
      for b in 0..<bootstrap.resamples {
        SensitivityRandom.resampleIndices(
          key: key, purpose: SensitivityRandom.morrisBootstrap &+ UInt32(j), resample: b,
          measure: bootstrap.measure, count: ee.count, into: &indices)
        var sum = 0.0
        for i in indices { sum += magnitudes[i] }
        resampled[b] = sum / Double(ee.count)
      }
      return MorrisIndices(
        mu: SensitivityStatistics.mean(ee), muStar: SensitivityStatistics.mean(magnitudes),
        sigma: SensitivityStatistics.standardDeviation(ee, ddof: 1),
        muStarConfidence: z * SensitivityStatistics.standardDeviation(resampled, ddof: 1))
    }
  }
}
