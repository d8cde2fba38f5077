import Foundation
import Testing

@testable import TalentFlow

/// A linear moment model m(θ) = Aθ + c with known A (5 moments, 3 parameters).
private let a: [[Double]] = [[2, 0.5, 0], [1, -1, 0.5], [0, 3, 1], [0.5, 0, -2], [1, 1, 1]]
private let c: [Double] = [1, -2, 0.5, 3, 0]
private let theta0: [Double] = [0.5, -1, 2]
private let s: [Double] = [0.1, 0.2, 0.5, 0.3, 0.4]
private let replicates = 4

/// The R replicates at θ under model `matrix`: the exact moments plus common noise whose mean
/// over the replicates is zero, so the simulated mean is the model's.
private func simulate(_ theta: [Double], _ matrix: [[Double]] = a) -> [[Double]] {
  let signs: [Double] = [1, -1, 2, -2]
  let exact = matrix.indices.map { i in
    var sum = c[i]
    for j in theta.indices { sum += matrix[i][j] * theta[j] }
    return sum
  }
  return signs.map { sign in exact.indices.map { i in exact[i] + sign * 0.01 * Double(i + 1) } }
}

/// (1 + 1/R)(AᵀWA)⁻¹ for the columns `columns` of A, W = diag(1/s²), inverted by the
/// adjugate (independently of the estimator's Cholesky).
private func analyticCovariance(_ columns: [Int]) -> [[Double]] {
  let b = columns.map { p in
    columns.map { q in
      var sum = 0.0
      for i in a.indices { sum += a[i][p] * a[i][q] / (s[i] * s[i]) }
      return sum
    }
  }
  let inflation = 1 + 1 / Double(replicates)
  if b.count == 2 {
    let det = b[0][0] * b[1][1] - b[0][1] * b[1][0]
    return [[b[1][1], -b[0][1]], [-b[1][0], b[0][0]]].map { $0.map { inflation * $0 / det } }
  }
  func m(_ i: Int, _ j: Int) -> Double { b[i % 3][j % 3] }
  let cof = (0..<3).map { i in
    (0..<3).map { j in m(i + 1, j + 1) * m(i + 2, j + 2) - m(i + 1, j + 2) * m(i + 2, j + 1) }
  }
  let det = b[0][0] * cof[0][0] + b[0][1] * cof[0][1] + b[0][2] * cof[0][2]
  return (0..<3).map { i in (0..<3).map { j in inflation * cof[j][i] / det } }
}

private func close(_ x: Double, _ y: Double, _ relative: Double) -> Bool {
  abs(x - y) <= relative * abs(y)
}

@Suite("Calibration math: SMM statistics and standard errors")
struct CalibrationMathMomentTests {
  let targets = Result { () throws -> MomentTargets in
    let exact = simulate(theta0)[0].indices.map { i in
      simulate(theta0).map { $0[i] }.reduce(0, +) / Double(replicates)
    }
    return try MomentTargets(values: exact, standardErrors: s)
  }

  @Test func theFitSummarisesTheReplicates() throws {
    let targets = try MomentTargets(values: [1, 2], standardErrors: [0.5, 1])
    let fit = try MomentEstimator.fit(
      targets: targets, replicates: [[1.5, 2], [0.5, 4], [1, 3]])
    #expect(fit.mean == [1, 3])
    #expect(fit.standardDeviation == [0.5, 1])
    #expect(fit.z == [0, 1])
    #expect(fit.objective == 1)
    let failed = try MomentEstimator.fit(targets: targets, replicates: [[1, .nan], [1, 2]])
    #expect(failed.objective == .infinity)
    let single = try MomentEstimator.fit(targets: targets, replicates: [[2, 2]])
    #expect(single.standardDeviation.allSatisfy { $0.isNaN } && single.objective == 4)
    #expect(throws: CalibrationError.self) {
      try MomentEstimator.fit(targets: targets, replicates: [[1, 2, 3]])
    }
    #expect(throws: CalibrationError.self) {
      try MomentTargets(values: [1], standardErrors: [0])
    }
  }

  @Test func aLinearModelIsRecoveredWithItsAnalyticStandardErrors() throws {
    let targets = try self.targets.get()
    let box = try CalibrationBox(lower: [-2, -3, 0], upper: [3, 2, 4])
    let options = NelderMead.Options(
      maximumEvaluations: 5000, functionTolerance: 1e-16, simplexTolerance: 1e-10)
    var search = try NelderMead(box: box, start: [0, 0, 1], options: options)
    try drive(&search) { theta in
      (try? MomentEstimator.fit(targets: targets, replicates: simulate(theta)).objective) ?? .nan
    }
    let estimate = try #require(search.best).point
    for j in theta0.indices { #expect(abs(estimate[j] - theta0[j]) < 1e-6) }

    let design = try MomentJacobianDesign(box: box, center: estimate)
    #expect(design.points.count == 6)
    let means = try design.points.map { try MomentEstimator.mean(simulate($0), moments: 5) }
    let g = try design.jacobian(means: means)
    for i in a.indices {
      for j in theta0.indices { #expect(abs(g[i][j] - a[i][j]) < 1e-10) }
    }
    let result = try EstimatorCovariance.standardErrors(
      targets: targets, jacobian: g, replicates: replicates, box: box)
    let expected = analyticCovariance([0, 1, 2])
    for j in 0..<3 {
      let se = try #require(result.standardErrors[j].value)
      #expect(close(se, expected[j][j].squareRoot(), 1e-8))
    }
  }

  @Test func aFlatParameterIsNotIdentifiedAndTheOthersKeepTheirErrors() throws {
    let flat = a.map { [$0[0], 0, $0[2]] }
    let targets = try self.targets.get()
    let result = try EstimatorCovariance.standardErrors(
      targets: targets, jacobian: flat, replicates: replicates,
      box: try CalibrationBox(lower: [0, 0, 0], upper: [1, 1, 1]))
    #expect(result.standardErrors[1] == .notIdentified(.flatMoments(relativeSensitivity: 0)))
    #expect(result.covariance[1].allSatisfy { $0.isNaN })
    let sub = analyticCovariance([0, 2])
    #expect(close(try #require(result.standardErrors[0].value), sub[0][0].squareRoot(), 1e-8))
    #expect(close(try #require(result.standardErrors[2].value), sub[1][1].squareRoot(), 1e-8))
  }

  @Test func aCollinearParameterIsNotIdentified() throws {
    let collinear = a.map { [$0[0], $0[1], $0[0] + 2 * $0[1]] }
    let targets = try self.targets.get()
    let result = try EstimatorCovariance.standardErrors(
      targets: targets, jacobian: collinear, replicates: replicates,
      box: try CalibrationBox(lower: [0, 0, 0], upper: [1, 1, 1]))
    guard case .notIdentified(.collinear(let pivot)) = result.standardErrors[2] else {
      Issue.record("parameter 3 should be collinear, got \(result.standardErrors[2])")
      return
    }
    #expect(abs(pivot) < 1e-12)
    let sub = analyticCovariance([0, 1])
    #expect(close(try #require(result.standardErrors[0].value), sub[0][0].squareRoot(), 1e-8))
    // Nearly but not quite collinear: identified, with a large error.
    let weak = a.enumerated().map { i, row in
      [row[0], row[1], row[0] + 2 * row[1] + 1e-3 * Double(i % 2)]
    }
    let weakResult = try EstimatorCovariance.standardErrors(
      targets: targets, jacobian: weak, replicates: replicates,
      box: try CalibrationBox(lower: [0, 0, 0], upper: [1, 1, 1]))
    #expect(try #require(weakResult.standardErrors[2].value) > 100)
  }

  @Test func theSandwichReducesToTheEfficientFormWhenWIsTheInverseOfOmega() throws {
    let targets = try self.targets.get()
    let scales = [1.0, 1, 1]
    let sandwich = try EstimatorCovariance.sandwich(
      jacobian: a, weights: targets.weights, targetCovariance: targets.covariance,
      replicates: replicates, parameterScales: scales)
    let efficient = try EstimatorCovariance.efficient(
      jacobian: a, targets: targets, replicates: replicates, parameterScales: scales)
    let analytic = analyticCovariance([0, 1, 2])
    for p in 0..<3 {
      for q in 0..<3 {
        #expect(close(sandwich.covariance[p][q], efficient.covariance[p][q], 1e-10))
        #expect(close(efficient.covariance[p][q], analytic[p][q], 1e-10))
      }
    }
    // Any other W is less efficient: its sandwich variances are at least the efficient ones.
    let identity = DenseMatrix.diagonal([1, 1, 1, 1, 1])
    let other = try EstimatorCovariance.sandwich(
      jacobian: a, weights: identity, targetCovariance: targets.covariance,
      replicates: replicates, parameterScales: scales)
    for j in 0..<3 { #expect(other.covariance[j][j] > efficient.covariance[j][j] * (1 + 1e-6)) }
  }

  @Test func jacobianPointsStayInsideTheBox() throws {
    let box = try CalibrationBox(lower: [0, -1], upper: [1, 1])
    let design = try MomentJacobianDesign(box: box, center: [1, -0.995], relativeStep: 0.01)
    #expect(design.points[0] == [1, -0.995])
    #expect(abs(design.points[1][0] - 0.99) < 1e-15)
    #expect(abs(design.points[2][1] - -0.975) < 1e-15 && design.points[3][1] == -1)
    #expect(abs(design.steps[0] - 0.01) < 1e-15 && abs(design.steps[1] - 0.025) < 1e-15)
    let g = try design.jacobian(means: design.points.map { [3 * $0[0] - $0[1]] })
    #expect(abs(g[0][0] - 3) < 1e-12 && abs(g[0][1] + 1) < 1e-12)
  }

  @Test func choleskyInvertsA30By30Matrix() throws {
    let n = 30
    var stream = RandomStream(key: PhiloxKey(seed: 3), purpose: 1, entity: 0, tick: 0)
    let b = (0..<n).map { _ in (0..<n).map { _ in stream.uniform() - 0.5 } }
    var spd = DenseMatrix.product(DenseMatrix.transpose(b), b)
    for i in 0..<n { spd[i][i] += 0.01 }
    let inverse = try #require(DenseMatrix.inverse(symmetricPositiveDefinite: spd))
    let identity = DenseMatrix.product(spd, inverse)
    for i in 0..<n {
      for j in 0..<n { #expect(abs(identity[i][j] - (i == j ? 1 : 0)) < 1e-8) }
    }
    var singular = spd
    singular[n - 1] = singular[0]
    for i in 0..<n { singular[i][n - 1] = singular[i][0] }
    #expect(DenseMatrix.inverse(symmetricPositiveDefinite: singular, threshold: 1e-8) == nil)
  }
}
