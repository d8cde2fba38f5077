import Foundation

/// Start points of a multi-start calibration: a Latin hypercube in the unit cube, then the best
/// m of them by objective value.
///
/// With n points in k dimensions, axis j is cut into n strata [s/n, (s + 1)/n) and every
/// stratum of every axis holds exactly one point (McKay, Beckman & Conover 1979). For each j a
/// permutation π_j of 0..<n is drawn by Fisher–Yates, and point i takes
///
///     u_ij = (π_j(i) + V_ij) / n,   V_ij uniform in [0, 1).
///
/// Philox layout, key `PhiloxKey(seed:)`:
///
/// | stream | purpose | entity | tick | draws, in order |
/// | --- | --- | --- | --- | --- |
/// | permutation of axis j | 0x434C_0001 | j | 0 | i = n−1…1: `index(below: i + 1)` |
/// | offsets of axis j | 0x434C_0002 | j | 0 | i = 0…n−1: `uniform()` = V_ij |
///
/// (0x434C is "CL", calibration Latin hypercube: purposes apart from the sweep sample's 1 and
/// 2 and the sensitivity designs', so equal seeds still give unrelated designs.) The points
/// depend only on n, k and the seed.
public enum LatinHypercubeStart {
  /// Purpose of the permutation of axis j (entity j).
  public static let permutationPurpose: UInt32 = 0x434C_0001
  /// Purpose of the offsets within strata of axis j (entity j).
  public static let offsetPurpose: UInt32 = 0x434C_0002

  /// n points of the unit cube [0, 1)^k, one stratum of each axis per point.
  public static func points(count n: Int, dimensions k: Int, seed: UInt64)
    throws(CalibrationError) -> [[Double]]
  {
    guard n >= 1, n <= Int(UInt32.max) else {
      throw CalibrationError("the number of start points must be from 1 to \(UInt32.max), got \(n)")
    }
    guard k >= 1, k <= Int(UInt32.max) else {
      throw CalibrationError("the number of parameters must be at least 1, got \(k)")
    }
    let key = PhiloxKey(seed: seed)
    var rows = [[Double]](repeating: [Double](repeating: 0, count: k), count: n)
    for j in 0..<k {
      var permutation = Array(0..<n)
      var shuffle = RandomStream(key: key, purpose: permutationPurpose, entity: UInt32(j), tick: 0)
      var i = n - 1
      while i > 0 {
        permutation.swapAt(i, shuffle.index(below: i + 1))
        i -= 1
      }
      var offsets = RandomStream(key: key, purpose: offsetPurpose, entity: UInt32(j), tick: 0)
      for point in 0..<n {
        rows[point][j] = (Double(permutation[point]) + offsets.uniform()) / Double(n)
      }
    }
    return rows
  }

  /// The indices of the m lowest `values`, lowest first; ties go to the lower index, and
  /// non-finite values count as +∞ (so they come last, in index order).
  public static func best(_ m: Int, of values: [Double]) throws(CalibrationError) -> [Int] {
    guard m >= 1, m <= values.count else {
      throw CalibrationError(
        "the number of starts must be from 1 to the \(values.count) points evaluated, got \(m)")
    }
    let compared = values.map(NelderMead.compared)
    let order = values.indices.sorted { a, b in
      compared[a] < compared[b] || (compared[a] == compared[b] && a < b)
    }
    return Array(order.prefix(m))
  }

  /// One search from each of the m best of `points` (unit cube), in the order of `best`:
  /// start i of the multi-start is the i-th lowest value.
  public static func searches(
    box: CalibrationBox, points: [[Double]], values: [Double], starts m: Int,
    options: NelderMead.Options = NelderMead.Options()
  ) throws(CalibrationError) -> [NelderMead] {
    guard points.count == values.count else {
      throw CalibrationError("\(points.count) start points but \(values.count) values")
    }
    var searches: [NelderMead] = []
    for i in try best(m, of: values) {
      guard points[i].count == box.dimensions else {
        throw CalibrationError(
          "start point \(i + 1) has \(points[i].count) values, the box has \(box.dimensions)")
      }
      searches.append(
        try NelderMead(box: box, start: box.point(fromUnit: points[i]), options: options))
    }
    return searches
  }
}
