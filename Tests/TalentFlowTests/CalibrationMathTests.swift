import Foundation
import Testing

@testable import TalentFlow

// Tests of the numerical core of `talentflow calibrate`: the batch Nelder–Mead search, the
// Latin hypercube starts, and (in CalibrationMathTests+Moments.swift) the SMM statistics.

/// Runs `search` to the end the way the command will, and returns the sizes of the batches.
///
/// Each batch is evaluated in parallel into slots in proposal order.
@discardableResult
func drive(_ search: inout NelderMead, _ f: @Sendable @escaping ([Double]) -> Double) throws
  -> [Int]
{
  var sizes: [Int] = []
  while !search.proposals.isEmpty {
    let batch = search.proposals
    sizes.append(batch.count)
    let values = UnsafeMutableBufferPointer<Double>.allocate(capacity: batch.count)
    defer { values.deallocate() }
    nonisolated(unsafe) let slots = values
    DispatchQueue.concurrentPerform(iterations: batch.count) { slots[$0] = f(batch[$0]) }
    try search.tell(Array(values))
  }
  return sizes
}

private func rosenbrock(_ x: [Double]) -> Double {
  (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])
}

private let shift: [Double] = [0.3, -1.2, 2.5, 0.7, -0.4]

private func shiftedQuadratic(_ x: [Double]) -> Double {
  var sum = 0.0
  for j in x.indices { sum += Double(j + 1) * (x[j] - shift[j]) * (x[j] - shift[j]) }
  return sum
}

private func bits(_ trace: [NelderMead.Evaluation]) -> [[UInt64]] {
  trace.map { $0.point.map(\.bitPattern) + [$0.value.bitPattern] }
}

@Suite("Calibration math: Nelder–Mead and start points")
struct CalibrationMathTests {
  let tight = NelderMead.Options(
    maximumEvaluations: 4000, functionTolerance: 1e-14, simplexTolerance: 1e-10)

  @Test func rosenbrockInABoxReachesItsMinimum() throws {
    let box = try CalibrationBox(lower: [-2, -1], upper: [2, 3])
    var search = try NelderMead(box: box, start: [-1.2, 1], options: tight)
    try drive(&search, rosenbrock)
    #expect(search.termination == .converged)
    let best = try #require(search.best)
    #expect(abs(best.point[0] - 1) < 1e-5 && abs(best.point[1] - 1) < 1e-5)
    #expect(best.value < 1e-10)
  }

  @Test(arguments: [false, true])
  func shiftedQuadraticIn5DReachesItsMinimum(adaptive: Bool) throws {
    let box = try CalibrationBox(lower: [-3, -3, -3, -3, -3], upper: [3, 3, 3, 3, 3])
    var options = tight
    options.adaptive = adaptive
    var search = try NelderMead(box: box, start: [0, 0, 0, 0, 0], options: options)
    try drive(&search, shiftedQuadratic)
    #expect(search.termination == .converged)
    let best = try #require(search.best)
    for j in shift.indices { #expect(abs(best.point[j] - shift[j]) < 1e-5) }
  }

  @Test func aMinimumOutsideTheBoxEndsOnItsBoundary() throws {
    let box = try CalibrationBox(lower: [0, 0], upper: [1, 1])
    var search = try NelderMead(box: box, start: [0.5, 0.5], options: tight)
    try drive(&search) { x in (x[0] - 3) * (x[0] - 3) + (x[1] - 0.4) * (x[1] - 0.4) }
    let best = try #require(search.best)
    #expect(abs(best.point[0] - 1) < 1e-8)
    #expect(abs(best.point[1] - 0.4) < 1e-5)
    for evaluation in search.trace {
      #expect(evaluation.point.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
  }

  @Test func theSameInputsGiveTheSameProposalsBitForBit() throws {
    let box = try CalibrationBox(lower: [-2, -1], upper: [2, 3])
    var first = try NelderMead(box: box, start: [-1.2, 1], options: tight)
    var second = try NelderMead(box: box, start: [-1.2, 1], options: tight)
    try drive(&first, rosenbrock)
    try drive(&second, rosenbrock)
    #expect(first.trace.count > 100)
    #expect(bits(first.trace) == bits(second.trace))
  }

  @Test func batchesAreTheSimplexThenOneOrTwoPointsOrAShrink() throws {
    let box = try CalibrationBox(lower: [-3, -3, -3, -3, -3], upper: [3, 3, 3, 3, 3])
    var search = try NelderMead(box: box, start: [2, 2, 2, 2, 2], options: tight)
    let first = search.proposals
    #expect(first.count == 6)
    #expect(abs(first[1][0] - 2.6) < 1e-12 && first[1][1...] == [2, 2, 2, 2])
    let sizes = try drive(&search) { x in abs(x[0]) + shiftedQuadratic(x) }
    #expect(sizes[0] == 6)
    #expect(sizes.dropFirst().allSatisfy { $0 == 1 || $0 == 5 })
    #expect(sizes.reduce(0, +) == search.trace.count)
    #expect(sizes.contains(5), "a kink at x0 = 0 should force at least one shrink")
  }

  @Test func speculativeBatchesAcceptTheSameSimplexes() throws {
    let box = try CalibrationBox(lower: [-2, -1], upper: [2, 3])
    var serial = try NelderMead(box: box, start: [-1.2, 1], options: tight)
    var options = tight
    options.speculative = true
    var speculative = try NelderMead(box: box, start: [-1.2, 1], options: options)
    try drive(&serial, rosenbrock)
    let sizes = try drive(&speculative, rosenbrock)
    #expect(sizes.dropFirst().allSatisfy { $0 == 4 || $0 == 2 })
    #expect(speculative.iterations == serial.iterations)
    #expect(speculative.best == serial.best)
    // The serial trace is a subsequence of the speculative one.
    var rest = bits(speculative.trace)[...]
    for evaluation in bits(serial.trace) {
      guard let at = rest.firstIndex(of: evaluation) else {
        Issue.record("serial evaluation \(evaluation) missing from the speculative trace")
        break
      }
      rest = rest[(at + 1)...]
    }
  }

  @Test func theBudgetIsNeverExceeded() throws {
    let box = try CalibrationBox(lower: [-2, -1], upper: [2, 3])
    var options = tight
    options.maximumEvaluations = 40
    var search = try NelderMead(box: box, start: [-1.2, 1], options: options)
    try drive(&search, rosenbrock)
    #expect(search.termination == .maximumEvaluations)
    #expect(search.trace.count <= 40 && search.trace.count >= 39)
    #expect(throws: CalibrationError.self) { try search.tell([]) }
  }

  @Test func nonFiniteValuesCountAsInfinityAndAreKeptInTheTrace() throws {
    let box = try CalibrationBox(lower: [0, 0], upper: [1, 1])
    var search = try NelderMead(box: box, start: [0.75, 0.75], options: tight)
    try drive(&search) { x in
      x[0] > 0.8 ? .infinity : (x[0] + x[1] > 1.5 ? .nan : shiftedQuadratic(x + [0, 0, 0]))
    }
    #expect(search.trace[1].value == .infinity && search.trace[2].value.isNaN)
    #expect(search.termination == .converged)
    let best = try #require(search.best)
    #expect(abs(best.point[0] - 0.3) < 1e-5 && best.point[1] < 1e-8)
  }

  @Test func oneParameter() throws {
    let box = try CalibrationBox(lower: [-1], upper: [1])
    var search = try NelderMead(box: box, start: [0.95], options: tight)
    #expect(search.proposals.count == 2)
    #expect(abs(search.proposals[1][0] - 0.75) < 1e-12, "0.95 + 0.1·2 leaves the box: it folds")
    try drive(&search) { x in (x[0] - 0.3) * (x[0] - 0.3) }
    #expect(abs(try #require(search.best).point[0] - 0.3) < 1e-6)
  }

  @Test func inputsThatCannotWorkAreRejected() throws {
    let box = try CalibrationBox(lower: [0, 0], upper: [1, 1])
    #expect(throws: CalibrationError.self) { try NelderMead(box: box, start: [0.5, 1.5]) }
    #expect(throws: CalibrationError.self) {
      try NelderMead(box: box, start: [0.5, 0.5], options: .init(maximumEvaluations: 2))
    }
    #expect(throws: CalibrationError.self) { try CalibrationBox(lower: [1], upper: [1]) }
    var search = try NelderMead(box: box, start: [0.5, 0.5])
    #expect(throws: CalibrationError.self) { try search.tell([1, 2]) }
  }

  @Test func latinHypercubeStartsFillEveryStratumOnce() throws {
    let n = 37
    let points = try LatinHypercubeStart.points(count: n, dimensions: 4, seed: 2024)
    #expect(points.count == n)
    for j in 0..<4 {
      let strata = points.map { Int(($0[j] * Double(n)).rounded(.down)) }.sorted()
      #expect(strata == Array(0..<n))
    }
    let again = try LatinHypercubeStart.points(count: n, dimensions: 4, seed: 2024)
    #expect(points.map { $0.map(\.bitPattern) } == again.map { $0.map(\.bitPattern) })
    let other = try LatinHypercubeStart.points(count: n, dimensions: 4, seed: 2025)
    #expect(points != other)
    let sweep = LatinHypercube(
      points: n, seed: 2024,
      ranges: (0..<4).map { _ in .init(path: "x", lower: 0, upper: 1, isInteger: false) })
    #expect(points != sweep.values(), "the calibration starts have their own Philox purposes")
  }

  @Test func theBestStartsComeInValueOrderTiesToTheLowerIndex() throws {
    let values = [3.0, .nan, 1.0, 1.0, .infinity, 0.5, 2.0]
    #expect(try LatinHypercubeStart.best(4, of: values) == [5, 2, 3, 6])
    #expect(try LatinHypercubeStart.best(7, of: values) == [5, 2, 3, 6, 0, 1, 4])
    #expect(throws: CalibrationError.self) { try LatinHypercubeStart.best(8, of: values) }
    let box = try CalibrationBox(lower: [-3, -3], upper: [3, 3])
    let points = try LatinHypercubeStart.points(count: 10, dimensions: 2, seed: 7)
    let values10 = points.map { shiftedQuadratic(box.point(fromUnit: $0) + [0.7, -0.4]) }
    let order = try LatinHypercubeStart.best(3, of: values10)
    var searches = try LatinHypercubeStart.searches(
      box: box, points: points, values: values10, starts: 3, options: tight)
    #expect(searches.count == 3)
    for i in searches.indices {
      #expect(searches[i].proposals[0] == box.point(fromUnit: points[order[i]]))
      try drive(&searches[i]) { x in shiftedQuadratic(x + [0.7, -0.4]) }
      let best = try #require(searches[i].best)
      #expect(abs(best.point[0] - 0.3) < 1e-5 && abs(best.point[1] + 1.2) < 1e-5)
    }
  }
}
