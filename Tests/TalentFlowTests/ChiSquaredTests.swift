import Foundation
import Testing

@testable import TalentFlow

/// The χ² upper tail that a calibration report reads its objective with, against closed forms
/// and published tables.
@Suite("χ² distribution")
struct ChiSquaredTests {
  /// P(χ²(ν) ≥ x) in closed form: e^(−x/2) Σ_{j<ν/2} (x/2)^j / j! for even ν; for ν = 1 and 3
  /// through erfc.
  private static func closedFormUpperTail(_ x: Double, _ df: Int) -> Double {
    switch df {
    case 1: return erfc((x / 2).squareRoot())
    case 3: return erfc((x / 2).squareRoot()) + (2 * x / Double.pi).squareRoot() * exp(-x / 2)
    default:
      var term = 1.0
      var sum = 1.0
      for j in 1..<(df / 2) {
        term *= x / 2 / Double(j)
        sum += term
      }
      return exp(-x / 2) * sum
    }
  }

  @Test(arguments: [1, 2, 3, 4, 10, 40])
  func chiSquaredUpperTailMatchesClosedForms(df: Int) {
    for x in [1e-6, 0.01, 0.5, 1, 2.5, Double(df), Double(df) + 1, 7.5, 20, 60, 150, 300] {
      let expected = Self.closedFormUpperTail(x, df)
      let got = ChiSquared.upperTail(x, degreesOfFreedom: Double(df))
      #expect(abs(got - expected) <= 1e-12 * max(expected, 1e-300) + 1e-15, "ν = \(df), x = \(x)")
    }
  }

  /// The 95% and 99% points of published χ² tables (Abramowitz & Stegun, Table 26.8).
  @Test(arguments: [
    (1, 3.841459, 0.05), (2, 5.991465, 0.05), (3, 7.814728, 0.05), (5, 11.070498, 0.05),
    (10, 18.307038, 0.05), (30, 43.772972, 0.05), (100, 124.342113, 0.05),
    (1, 6.634897, 0.01), (10, 23.209251, 0.01), (100, 135.806723, 0.01),
  ])
  func chiSquaredUpperTailMatchesTables(df: Int, x: Double, p: Double) {
    #expect(abs(ChiSquared.upperTail(x, degreesOfFreedom: Double(df)) - p) < 1e-6)
  }

  @Test func chiSquaredEdges() {
    #expect(ChiSquared.upperTail(0, degreesOfFreedom: 3) == 1)
    #expect(ChiSquared.upperTail(-2, degreesOfFreedom: 3) == 1)
    #expect(ChiSquared.upperTail(.infinity, degreesOfFreedom: 3) == 0)
    #expect(ChiSquared.upperTail(1, degreesOfFreedom: 0).isNaN)
    #expect(ChiSquared.upperTail(.nan, degreesOfFreedom: 2).isNaN)
    // Far in the tail the value is tiny but neither 0 nor negative.
    let tail = ChiSquared.upperTail(1000, degreesOfFreedom: 4)
    #expect(tail > 0 && abs(tail - exp(-500) * 501) <= 1e-10 * tail)
  }
}
