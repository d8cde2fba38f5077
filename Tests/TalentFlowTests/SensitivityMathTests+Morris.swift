import Foundation
import Testing

@testable import TalentFlow

// The Morris estimators on functions whose elementary effects are known exactly.

extension SensitivityMathTests {
  /// Four parameters on ranges of different widths and signs.
  static let morrisRanges = [
    SensitivityRange(lower: 0, upper: 1), SensitivityRange(lower: -2, upper: 6),
    SensitivityRange(lower: 100, upper: 100.5), SensitivityRange(lower: -3, upper: -1),
  ]

  /// The scaled design of four parameters, 30 trajectories, and its outputs under `f`.
  static func morrisCase(levels: Int = 4, seed: UInt64 = 9, _ f: ([Double]) -> Double) throws
    -> (rows: [[Double]], outputs: [Double])
  {
    let design = try MorrisDesign(parameters: 4, levels: levels, trajectories: 30, seed: seed)
    let rows = try design.scaledRows(morrisRanges)
    return (rows, rows.map(f))
  }

  @Test("Morris on a linear function: μ = a_j (u_j − l_j), μ* = |μ|, σ = 0", arguments: [4, 6])
  func morrisLinear(levels: Int) throws {
    let a = [3.0, -0.5, 2.0, 0.0]
    let (rows, outputs) = try Self.morrisCase(levels: levels) { x in
      a[0] * x[0] + a[1] * x[1] + a[2] * x[2] + a[3] * x[3]
    }
    let result = try MorrisAnalysis.analyze(
      rows: rows, outputs: outputs, levels: levels,
      bootstrap: BootstrapOptions(resamples: 100, seed: 4))
    // SALib divides the change of y by Δ, the step in the unit cube, while x_j moved by
    // Δ (u_j − l_j): the effect of a_j x_j is a_j (u_j − l_j), whatever the levels.
    for (j, indices) in result.enumerated() {
      let width = Self.morrisRanges[j].upper - Self.morrisRanges[j].lower
      let effect = a[j] * width
      // Rounding of y (up to |y| ≈ 200) over a step of Δ·width leaves errors near 1e-13.
      let tolerance = 1e-11
      #expect(abs(indices.mu - effect) <= tolerance, "μ of x\(j + 1): \(indices.mu)")
      #expect(abs(indices.muStar - abs(effect)) <= tolerance)
      #expect(indices.sigma <= tolerance)
      #expect(indices.muStarConfidence >= 0 && indices.muStarConfidence <= tolerance)
    }
  }

  @Test("Morris on y = x1 + x2·x4 + x3: σ > 0 for the interacting pair only")
  func morrisInteraction() throws {
    let (rows, outputs) = try Self.morrisCase { x in x[0] + x[1] * x[3] + x[2] }
    let result = try MorrisAnalysis.analyze(
      rows: rows, outputs: outputs, levels: 4,
      bootstrap: BootstrapOptions(resamples: 100, seed: 4))
    #expect(result[0].sigma < 1e-12 && result[2].sigma < 1e-12)
    // x2's effect is 8·x4 with x4 on four levels in [−3, −1], and x4's is 2·x2: both vary.
    #expect(result[1].sigma > 1 && result[3].sigma > 1)
    // Every effect of x2 is negative (x4 < 0): μ = −μ*, in [8·(−3), 8·(−1)].
    #expect(result[1].mu == -result[1].muStar && result[1].mu >= -24 && result[1].mu <= -8)
    for indices in result {
      #expect(indices.muStarConfidence.isFinite && indices.muStarConfidence >= 0)
    }
    #expect(result[1].muStarConfidence > 0 && result[3].muStarConfidence > 0)
  }

  @Test("an elementary effect is y(x_j high) − y(x_j low) over Δ whichever way the step went")
  func morrisEffectSign() throws {
    // One trajectory of two parameters, p = 4 (Δ = 2/3): x1 falls, then x2 rises.
    let rows: [[Double]] = [[2.0 / 3, 0], [0, 0], [0, 2.0 / 3]]
    let outputs = [5.0, 1.0, 3.0]
    let effects = try MorrisAnalysis.elementaryEffects(rows: rows, outputs: outputs, levels: 4)
    #expect(effects == [[(5.0 - 1.0) / (2.0 / 3)], [(3.0 - 1.0) / (2.0 / 3)]])
    let one = try MorrisAnalysis.analyze(
      rows: rows, outputs: outputs, levels: 4, bootstrap: BootstrapOptions(resamples: 5, seed: 1))
    // One trajectory: σ has no n − 1 to divide by (NaN, as in SALib); μ* cannot vary.
    #expect(one[0].sigma.isNaN && one[0].muStarConfidence == 0)
  }

  @Test("Morris analysis refuses what is not a Morris design")
  func morrisRejectsBadDesigns() throws {
    let good: [[Double]] = [[0, 0], [1, 0], [1, 1]]
    let outputs = [1.0, 2.0, 3.0]
    func analyze(_ rows: [[Double]], _ ys: [Double]) throws {
      _ = try MorrisAnalysis.elementaryEffects(rows: rows, outputs: ys, levels: 2)
    }
    try analyze(good, outputs)
    #expect(throws: SensitivityError.self) { try analyze([[0, 0], [1, 1], [1, 0]], outputs) }
    #expect(throws: SensitivityError.self) { try analyze([[0, 0], [1, 0], [0, 0]], outputs) }
    #expect(throws: SensitivityError.self) { try analyze(good, [1, 2]) }
    #expect(throws: SensitivityError.self) { try analyze(Array(good.prefix(2)), [1, 2]) }
    #expect(throws: SensitivityError.self) { try analyze(good, [1, .nan, 3]) }
    #expect(throws: SensitivityError.self) {
      _ = try MorrisAnalysis.analyze(
        rows: good, outputs: outputs, levels: 2, bootstrap: BootstrapOptions(resamples: 1, seed: 1))
    }
    #expect(throws: SensitivityError.self) {
      _ = try MorrisAnalysis.analyze(
        rows: good, outputs: outputs, levels: 2,
        bootstrap: BootstrapOptions(resamples: 10, confidenceLevel: 1, seed: 1))
    }
  }

  @Test("Morris intervals are reproducible and depend on the seed and the measure")
  func morrisBootstrapIsReproducible() throws {
    let (rows, outputs) = try Self.morrisCase { x in x[0] * x[0] + x[1] * x[3] + sin(x[2]) }
    func run(seed: UInt64, measure: Int = 0) throws -> [MorrisIndices] {
      try MorrisAnalysis.analyze(
        rows: rows, outputs: outputs, levels: 4,
        bootstrap: BootstrapOptions(
          resamples: 200, confidenceLevel: 0.9, seed: seed,
          measure: measure))
    }
    let base = try run(seed: 7)
    #expect(try run(seed: 7) == base)
    for other in [try run(seed: 8), try run(seed: 7, measure: 3)] {
      #expect(other.map(\.muStar) == base.map(\.muStar))
      #expect(other.map(\.muStarConfidence) != base.map(\.muStarConfidence))
    }
    for indices in base {
      #expect(indices.muStarConfidence.isFinite && indices.muStarConfidence > 0)
      // A 90 % interval of a mean of 30 effects is about 1.645 · sd(|EE|)/√30; the bootstrap
      // gives that within a few tens of percent.
      #expect(indices.muStarConfidence < indices.muStar)
    }
  }
}
