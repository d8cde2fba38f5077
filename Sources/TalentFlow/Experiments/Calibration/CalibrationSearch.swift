import Foundation

/// What one θ gave: the targets' moments of every replicate (R × M) and, when asked for, the
/// holdouts' (R × H).
public struct PointMoments: Sendable, Equatable {
  public var targets: [[Double]]
  public var holdouts: [[Double]]?
  /// Why a replicate has no moments (the model stopped it, a configuration was refused), if so.
  public var failure: String?

  public init(targets: [[Double]], holdouts: [[Double]]? = nil, failure: String? = nil) {
    self.targets = targets
    self.holdouts = holdouts
    self.failure = failure
  }
}

/// Which step of the calibration an evaluation belongs to.
public enum CalibrationPhase: Sendable, Equatable, CustomStringConvertible {
  /// The Latin-hypercube start.
  case start
  /// Nelder–Mead search i (from 1).
  case search(Int)
  /// The estimate again, with the holdouts.
  case estimate
  /// The finite-difference Jacobian at the estimate.
  case jacobian

  public var description: String {
    switch self {
    case .start: return "lhs"
    case .search(let i): return "search-\(i)"
    case .estimate: return "estimate"
    case .jacobian: return "jacobian"
    }
  }

  /// Whether the evaluation needs the holdouts' moments.
  var needsHoldouts: Bool { self == .estimate }
}

/// The whole estimation as a deterministic procedure over an evaluator of batches of θ:
///
/// 1. the Latin-hypercube start (`LatinHypercubeStart`, keyed by the optimizer's seed);
/// 2. Nelder–Mead from each of the best start points, in order (`NelderMead`), each within its
///    share of the budget;
/// 3. θ̂ = the lowest objective of all evaluations (the first on ties), evaluated once more
///    with the holdouts;
/// 4. the Jacobian of the mean moments at θ̂ (`MomentJacobianDesign`) and the sandwich
///    covariance with the 1 + 1/R factor (`EstimatorCovariance.standardErrors`).
///
/// The evaluator gets each batch of points with its phase and returns their moments; it may
/// run them in parallel. The same evaluator values give the same estimate bit for bit: the
/// procedure holds no clock and no randomness of its own.
public struct CalibrationSearch: Sendable {
  /// One evaluation, in the order made.
  public struct Evaluation: Sendable, Equatable {
    /// From 1.
    public var index: Int
    public var phase: CalibrationPhase
    public var point: [Double]
    public var objective: Double
    public var failure: String?
  }

  /// What the estimation found.
  public struct Result: Sendable {
    public var trace: [Evaluation]
    public var estimate: [Double]
    public var fit: MomentFit
    public var holdoutFit: MomentFit?
    /// How each search ended.
    public var terminations: [NelderMead.Termination]
    /// G at θ̂, M × k; nil if it could not be computed (`covarianceProblem` says why).
    public var jacobian: [[Double]]?
    public var covariance: EstimatorCovariance?
    public var covarianceProblem: String?
  }

  public let box: CalibrationBox
  public let optimizer: CalibrationOptimizer
  public let targets: MomentTargets
  public let holdouts: MomentTargets?
  public let replicates: Int
  public let jacobianStep: Double

  public init(
    box: CalibrationBox, optimizer: CalibrationOptimizer, targets: MomentTargets,
    holdouts: MomentTargets?, replicates: Int, jacobianStep: Double
  ) {
    self.box = box
    self.optimizer = optimizer
    self.targets = targets
    self.holdouts = holdouts
    self.replicates = replicates
    self.jacobianStep = jacobianStep
  }

  /// Runs the estimation. `evaluate` returns one `PointMoments` per point, in order;
  /// `progress` is told about each finished batch.
  public func run(
    evaluate: ([[Double]], CalibrationPhase, _ firstIndex: Int) throws -> [PointMoments],
    progress: ((_ done: [Evaluation]) -> Void)? = nil
  ) throws -> Result {
    var trace: [Evaluation] = []
    var fits: [MomentFit?] = []

    func batch(_ points: [[Double]], _ phase: CalibrationPhase) throws -> [PointMoments] {
      let results = try evaluate(points, phase, trace.count + 1)
      guard results.count == points.count else {
        throw CalibrationError("\(points.count) points were evaluated into \(results.count) results")
      }
      for (point, result) in zip(points, results) {
        let fit = result.failure == nil
          ? try MomentEstimator.fit(targets: targets, replicates: result.targets) : nil
        fits.append(fit)
        trace.append(
          Evaluation(
            index: trace.count + 1, phase: phase, point: point,
            objective: fit?.objective ?? .infinity, failure: result.failure))
      }
      progress?(trace)
      return results
    }

    // 1. The start.
    let k = box.dimensions
    let unitPoints = try LatinHypercubeStart.points(
      count: optimizer.latinHypercube, dimensions: k, seed: optimizer.seed)
    _ = try batch(unitPoints.map(box.point(fromUnit:)), .start)
    let startValues = trace.map(\.objective)

    // 2. The searches.
    var terminations: [NelderMead.Termination] = []
    var searches = try LatinHypercubeStart.searches(
      box: box, points: unitPoints, values: startValues, starts: optimizer.searches,
      options: optimizer.nelderMeadOptions)
    for i in searches.indices {
      while !searches[i].proposals.isEmpty {
        let results = try batch(searches[i].proposals, .search(i + 1))
        try searches[i].tell(Array(trace.suffix(results.count)).map(\.objective))
      }
      terminations.append(searches[i].termination ?? .maximumEvaluations)
    }

    // 3. The estimate, with the holdouts.
    var bestIndex = 0
    for (i, evaluation) in trace.enumerated()
    where NelderMead.compared(evaluation.objective) < NelderMead.compared(trace[bestIndex].objective) {
      bestIndex = i
    }
    let estimate = trace[bestIndex].point
    guard trace[bestIndex].objective.isFinite else {
      throw CalibrationError(
        "no evaluation gave finite moments; the first failure: "
          + (trace.first(where: { $0.failure != nil })?.failure ?? "moments not finite"))
    }
    let again = try batch([estimate], .estimate)[0]
    guard let fit = fits.last ?? nil else {
      throw CalibrationError(
        "the estimate failed when evaluated again: \(again.failure ?? "no moments")")
    }
    var holdoutFit: MomentFit? = nil
    if let holdouts, let rows = again.holdouts {
      holdoutFit = try MomentEstimator.fit(targets: holdouts, replicates: rows)
    }

    // 4. Standard errors.
    let design = try MomentJacobianDesign(box: box, center: estimate, relativeStep: jacobianStep)
    _ = try batch(design.points, .jacobian)
    let jacobianFits = Array(fits.suffix(design.points.count))
    var jacobian: [[Double]]? = nil
    var covariance: EstimatorCovariance? = nil
    var problem: String? = nil
    if let failed = trace.suffix(design.points.count).first(where: { $0.failure != nil }) {
      problem = "Jacobian point \(failed.index) failed: \(failed.failure ?? "")"
    } else {
      do throws(CalibrationError) {
        let g = try design.jacobian(means: jacobianFits.map { $0?.mean ?? [] })
        jacobian = g
        covariance = try EstimatorCovariance.standardErrors(
          targets: targets, jacobian: g, replicates: replicates, box: box)
      } catch {
        problem = error.message
      }
    }
    return Result(
      trace: trace, estimate: estimate, fit: fit, holdoutFit: holdoutFit,
      terminations: terminations, jacobian: jacobian, covariance: covariance,
      covarianceProblem: problem)
  }
}
