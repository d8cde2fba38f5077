import Foundation

/// A bounded Nelder–Mead minimiser driven one batch of evaluations at a time.
///
/// The objective (a simulated-moments distance) is expensive and evaluated by the caller, in
/// parallel, so the optimiser is a deterministic state machine: `proposals` are the points to
/// evaluate next, `tell(_:)` takes their values in the same order, and the loop ends when
/// `proposals` is empty:
///
///     var search = try NelderMead(box: box, start: x0)
///     while !search.proposals.isEmpty {
///       try search.tell(evaluateInParallel(search.proposals))
///     }
///
/// The same box, start, options and values give the same proposals, bit for bit: every sum is
/// taken in index order and every comparison breaks ties towards the lower index.
///
/// The search works in the unit cube, x = lower + u · (upper − lower) (`CalibrationBox`), so
/// tolerances and steps are fractions of each parameter's range. Algorithm (Lagarias, Reeds,
/// Wright & Wright 1998, the form SciPy implements), with the simplex u_0, …, u_k sorted by
/// value f_0 ≤ … ≤ f_k, the centroid c = Σ_{i<k} u_i / k and d = c − u_k:
///
///     reflection  r  = c + α d           expansion  e  = c + α γ d
///     outside     oc = c + α β d         inside     ic = c − β d
///     shrink      u_i ← u_0 + σ (u_i − u_0),  i = 1…k
///
/// - f_r < f_0: expand; keep e if f_e < f_r, else r.
/// - f_0 ≤ f_r < f_{k−1}: keep r.
/// - f_{k−1} ≤ f_r < f_k: contract outside; keep oc if f_oc ≤ f_r, else shrink.
/// - f_r ≥ f_k: contract inside; keep ic if f_ic < f_k, else shrink.
///
/// Bounds are handled by reflection: a coordinate of r, e, oc or ic outside [0, 1] is mirrored
/// back at the bound it crossed, u → −u below 0 and u → 2 − u above 1 (a triangle wave, so a
/// step longer than the cube folds again; `fold`). Shrink points are convex combinations and
/// stay inside. Not clamping, as SciPy does: clamped points of a simplex moving towards a
/// corner land on the same corner, the simplex collapses there and meets the tolerances
/// falsely (a minimum beyond the face u_0 = 1 of [0, 1]² ended at the corner (1, 0), 0.4 away
/// from the constrained minimum). A minimum outside the box is approached by contractions
/// towards the face and ends within the simplex tolerance of the boundary. After each
/// iteration the simplex is sorted by (value, position), the replaced vertex taking the last
/// position, so a new vertex that ties an old one goes after it.
///
/// A value that is not finite (NaN, ±∞) counts as +∞: such a point is never kept over a finite
/// one, and a failed simulation cannot attract the search. The trace keeps the value as told.
public struct NelderMead: Sendable {
  /// The coefficients α (reflection), γ (expansion), β (contraction) and σ (shrink).
  public struct Coefficients: Sendable, Equatable {
    public var reflection: Double
    public var expansion: Double
    public var contraction: Double
    public var shrink: Double

    /// α = 1, γ = 2, β = 1/2, σ = 1/2.
    public static let standard = Coefficients(
      reflection: 1, expansion: 2, contraction: 0.5, shrink: 0.5)

    /// Gao & Han (2012): α = 1, γ = 1 + 2/k, β = 3/4 − 1/(2k), σ = 1 − 1/k, for k ≥ 2; the
    /// standard coefficients for k = 1, where σ would be 0.
    public static func adaptive(dimensions k: Int) -> Coefficients {
      guard k >= 2 else { return .standard }
      let n = Double(k)
      return Coefficients(
        reflection: 1, expansion: 1 + 2 / n, contraction: 0.75 - 1 / (2 * n), shrink: 1 - 1 / n)
    }
  }

  /// When to stop, and how the simplex starts.
  public struct Options: Sendable, Equatable {
    /// The budget of evaluations, the initial simplex included; never exceeded.
    public var maximumEvaluations: Int
    /// fatol: converged when max_i |f_i − f_0| ≤ this (and the simplex is small).
    public var functionTolerance: Double
    /// xatol: converged when max_i max_j |u_ij − u_0j| ≤ this, in the unit cube (and the
    /// values agree).
    public var simplexTolerance: Double
    /// The side of the initial simplex, as a fraction of each range.
    ///
    /// u_0 = start and u_j = u_0 ± `initialStep` e_j: + unless that leaves the cube, then −.
    /// In (0, 1/2], so one of the two stays inside.
    public var initialStep: Double
    /// Gao & Han's coefficients instead of the standard ones.
    public var adaptive: Bool
    /// Propose r, e, oc and ic of an iteration together (4 points) instead of one at a time:
    /// the accepted simplexes are the same; more evaluations, fewer rounds.
    public var speculative: Bool

    public init(
      maximumEvaluations: Int = 1000, functionTolerance: Double = 1e-8,
      simplexTolerance: Double = 1e-6, initialStep: Double = 0.1, adaptive: Bool = false,
      speculative: Bool = false
    ) {
      self.maximumEvaluations = maximumEvaluations
      self.functionTolerance = functionTolerance
      self.simplexTolerance = simplexTolerance
      self.initialStep = initialStep
      self.adaptive = adaptive
      self.speculative = speculative
    }
  }

  /// One evaluated point, in parameter space, with its value as told.
  public struct Evaluation: Sendable, Equatable {
    public var point: [Double]
    public var value: Double
  }

  /// Why the search stopped.
  public enum Termination: Sendable, Equatable {
    /// Both tolerances are met by the sorted simplex.
    case converged
    /// The next batch would exceed `maximumEvaluations`.
    case maximumEvaluations
  }

  /// What the pending proposals are, and what the iteration knows so far.
  enum Phase: Sendable {
    case initial
    /// Pending: r (or r, e, oc, ic when speculative).
    case reflection(Step)
    case expansion(Step, r: Vertex)
    case outsideContraction(Step, r: Vertex)
    case insideContraction(Step)
    case shrink
    case finished
  }

  /// A point of the unit cube and its value as compared (non-finite → +∞).
  struct Vertex: Sendable {
    var u: [Double]
    var f: Double
  }

  /// The candidate points of one iteration, all fixed by c and the worst vertex.
  struct Step: Sendable {
    var reflection: [Double]
    var expansion: [Double]
    var outside: [Double]
    var inside: [Double]
    /// Their vertices, when proposed speculatively: e, oc, ic.
    var known: [Vertex]?
  }

  public let box: CalibrationBox
  public let options: Options
  public let coefficients: Coefficients
  /// Every evaluation told, in the order proposed.
  public internal(set) var trace: [Evaluation] = []
  /// Why the search stopped; nil while it runs.
  public internal(set) var termination: Termination?
  /// Completed iterations (the initial simplex is not one).
  public internal(set) var iterations = 0
  /// The points to evaluate next, in parameter space; empty once the search has stopped.
  public internal(set) var proposals: [[Double]] = []

  /// The simplex in the unit cube, sorted best first between iterations.
  var simplex: [Vertex] = []
  /// The pending proposals in the unit cube.
  var pending: [[Double]] = []
  var phase = Phase.initial

  /// A search from `start` (inside the box).
  public init(box: CalibrationBox, start: [Double], options: Options = Options())
    throws(CalibrationError)
  {
    try box.validate(start, "the start point")
    let k = box.dimensions
    guard options.maximumEvaluations >= k + 1 else {
      throw CalibrationError(
        "the evaluation budget must cover the initial simplex of k + 1 = \(k + 1) points, got "
          + "\(options.maximumEvaluations)")
    }
    guard options.initialStep > 0, options.initialStep <= 0.5 else {
      throw CalibrationError(
        "the initial step must be in (0, 0.5] of each range, got \(options.initialStep)")
    }
    guard options.functionTolerance >= 0, options.simplexTolerance >= 0 else {
      throw CalibrationError(
        "the tolerances must be non-negative, got \(options.functionTolerance) and "
          + "\(options.simplexTolerance)")
    }
    self.box = box
    self.options = options
    coefficients = options.adaptive ? .adaptive(dimensions: k) : .standard
    let u0 = box.unit(of: start)
    var initial = [u0]
    for j in 0..<k {
      var u = u0
      let up = u0[j] + options.initialStep
      u[j] = up <= 1 ? up : u0[j] - options.initialStep
      initial.append(u)
    }
    propose(initial, .initial)
  }

  /// The lowest value in the trace (non-finite as +∞), the first one on ties; nil before any.
  public var best: Evaluation? {
    var found: Evaluation?
    var lowest = Double.infinity
    for evaluation in trace {
      let f = NelderMead.compared(evaluation.value)
      if found == nil || f < lowest {
        found = evaluation
        lowest = f
      }
    }
    return found
  }

  /// Takes the values of `proposals`, in their order, and makes the next proposals.
  public mutating func tell(_ values: [Double]) throws(CalibrationError) {
    guard termination == nil else {
      throw CalibrationError("the search has stopped; there is nothing to evaluate")
    }
    guard values.count == pending.count else {
      throw CalibrationError(
        "\(pending.count) points were proposed but \(values.count) values were told")
    }
    for (point, value) in zip(proposals, values) {
      trace.append(Evaluation(point: point, value: value))
    }
    let told = zip(pending, values).map { Vertex(u: $0, f: NelderMead.compared($1)) }
    advance(told)
  }

  /// The value used in comparisons: itself if finite, else +∞.
  static func compared(_ value: Double) -> Double {
    value.isFinite ? value : .infinity
  }

  /// Sets the pending points (unit cube and parameter space) and the phase they belong to.
  mutating func propose(_ points: [[Double]], _ next: Phase) {
    pending = points
    proposals = points.map(box.point(fromUnit:))
    phase = next
  }

  /// Proposes `points` unless they would exceed the budget; then stops.
  mutating func proposeWithinBudget(_ points: [[Double]], _ next: Phase) {
    if trace.count + points.count > options.maximumEvaluations {
      stop(.maximumEvaluations)
    } else {
      propose(points, next)
    }
  }

  mutating func stop(_ reason: Termination) {
    termination = reason
    propose([], .finished)
  }
}
