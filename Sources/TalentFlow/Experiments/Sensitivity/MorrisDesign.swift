import Foundation

/// A Morris (1991) elementary-effects design in the unit hypercube: r trajectories of k + 1
/// points for k parameters on a grid of p levels, in the row order of SALib's `morris.sample`
/// (no optimal-trajectory selection, no groups).
///
/// With Δ = p / (2(p − 1)), trajectory t is SALib's `_generate_trajectory`, the matrix
///
///     B* = J x* + (Δ/2) [(2B − J) D* + J] P*
///
/// with B the (k + 1) × k strictly lower-triangular matrix of ones, J a matrix of ones, x* a
/// base point whose coordinates are drawn from the grid `linspace(0, 1 − Δ, p/2)` (numpy's
/// values: i · ((1 − Δ)/(p/2 − 1)) for i < p/2 − 1, and exactly 1 − Δ for the last; in exact
/// arithmetic i/(p − 1)), D* a diagonal of random signs d_j = ±1 and P* a random permutation.
/// Written out: parameter j moves at step π_j ∈ {1, …, k} (π a uniformly random permutation,
/// P*), and row s of the trajectory has
///
///     x_j = x*_j + Δ · [(π_j ≤ s) = (d_j = +1)],
///
/// so it starts at x*_j (d_j = +1) or x*_j + Δ (d_j = −1) and moves by +Δ or −Δ at its step:
/// consecutive rows differ in exactly one coordinate, by ±Δ, and every value is on the grid
/// {0, 1/(p − 1), …, 1}. (x*_j + Δ is computed as SALib's `x* + (Δ/2)·2`, the same double.)
///
/// The draws are Philox streams keyed by `seed` (layout in `SensitivityRandom`): for trajectory
/// t, x*_j is grid level `index(below: p/2)`, d_j is −1 when `uniform() < 1/2`, and π is a
/// Fisher–Yates shuffle. Row s of trajectory t is row t(k + 1) + s of `unitRows`.
public struct MorrisDesign: Sendable, Equatable {
  /// The number of parameters k.
  public let parameters: Int
  /// The number of grid levels p (even, at least 2).
  public let levels: Int
  /// The number of trajectories r.
  public let trajectories: Int
  /// The seed of the design's draws.
  public let seed: UInt64
  /// r(k + 1) rows of k coordinates in [0, 1].
  public let unitRows: [[Double]]

  /// The step Δ = p / (2(p − 1)) of a p-level grid (SALib's `_compute_delta`).
  public static func delta(levels: Int) -> Double {
    Double(levels) / (2.0 * Double(levels - 1))
  }

  /// The step of this design's grid.
  public var delta: Double { Self.delta(levels: levels) }

  /// The points per trajectory, k + 1.
  public var trajectorySize: Int { parameters + 1 }

  /// The base levels of x*: numpy's `linspace(0, 1 − Δ, p/2)`.
  public static func baseLevels(levels: Int) -> [Double] {
    let count = levels / 2
    let bound = 1 - delta(levels: levels)
    guard count > 1 else { return [0] }
    let step = bound / Double(count - 1)
    return (0..<count).map { $0 == count - 1 ? bound : Double($0) * step }
  }

  /// Draws the design of k ≥ 1 parameters, p ≥ 2 levels (even) and r ≥ 1 trajectories.
  public init(parameters: Int, levels: Int, trajectories: Int, seed: UInt64)
    throws(SensitivityError)
  {
    guard parameters >= 1, parameters <= Int(Int32.max) else {
      throw SensitivityError("a Morris design needs at least 1 parameter, got \(parameters)")
    }
    guard levels >= 2, levels % 2 == 0, levels <= 1 << 20 else {
      throw SensitivityError(
        "the number of Morris levels must be even and from 2 to \(1 << 20), got \(levels)")
    }
    guard trajectories >= 1, trajectories <= Int(UInt32.max) else {
      throw SensitivityError(
        "a Morris design needs from 1 to \(UInt32.max) trajectories, got \(trajectories)")
    }
    self.parameters = parameters
    self.levels = levels
    self.trajectories = trajectories
    self.seed = seed
    let key = PhiloxKey(seed: seed)
    let grid = Self.baseLevels(levels: levels)
    let half = Self.delta(levels: levels) / 2.0
    var rows: [[Double]] = []
    rows.reserveCapacity(trajectories * (parameters + 1))
    for t in 0..<trajectories {
      let entity = UInt32(t)
      var levelDraws = RandomStream(
        key: key, purpose: SensitivityRandom.morrisLevels, entity: entity, tick: 0)
      var directionDraws = RandomStream(
        key: key, purpose: SensitivityRandom.morrisDirections, entity: entity, tick: 0)
      var orderDraws = RandomStream(
        key: key, purpose: SensitivityRandom.morrisOrder, entity: entity, tick: 0)
      let low = (0..<parameters).map { _ in grid[levelDraws.index(below: grid.count)] }
      let high = low.map { $0 + half * 2.0 }
      let rising = (0..<parameters).map { _ in !(directionDraws.uniform() < 0.5) }
      // order[s − 1] is the parameter that moves at step s.
      var order = Array(0..<parameters)
      var i = parameters - 1
      while i > 0 {
        order.swapAt(i, orderDraws.index(below: i + 1))
        i -= 1
      }
      var row = (0..<parameters).map { rising[$0] ? low[$0] : high[$0] }
      rows.append(row)
      for j in order {
        row[j] = rising[j] ? high[j] : low[j]
        rows.append(row)
      }
    }
    self.unitRows = rows
  }

  /// The rows mapped onto the parameters' ranges, `lower + x · (upper − lower)` per column.
  ///
  /// Throws if a range is not valid, or if scaling makes two consecutive points of a
  /// trajectory equal (a range so narrow against its bounds that x and x ± Δ round to the
  /// same double): the analysis could not tell which parameter moved.
  public func scaledRows(_ ranges: [SensitivityRange]) throws(SensitivityError) -> [[Double]] {
    let scaled = try SensitivityRange.scale(unitRows, onto: ranges, parameters: parameters)
    for t in 0..<trajectories {
      for s in 1...parameters {
        let row = t * trajectorySize + s
        if scaled[row] == scaled[row - 1] {
          throw SensitivityError(
            "points \(row) and \(row + 1) of the Morris design are equal after scaling: a "
              + "parameter's range is too narrow for its bounds to move by Δ = \(delta)")
        }
      }
    }
    return scaled
  }
}
