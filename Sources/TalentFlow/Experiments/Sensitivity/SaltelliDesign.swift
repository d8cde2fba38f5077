import Foundation

/// Saltelli's (2002, 2010) design for Sobol' indices, in the row order of SALib's
/// `sobol.sample`, from N base samples of an unscrambled Sobol' sequence in 2k dimensions.
///
/// Base sample i (from 0) is Sobol' point `skip + i`: A_i is its first k coordinates and B_i
/// its last k. Its block of rows is
///
///     A_i, AB_i^1, …, AB_i^k, [BA_i^1, …, BA_i^k,] B_i
///
/// where AB_i^j is A_i with coordinate j taken from B_i and BA_i^j is B_i with coordinate j
/// taken from A_i (only with `secondOrder`): k + 2 rows per sample, or 2k + 2 with second
/// order, and block i starts at row i · `rowsPerSample`.
///
/// Which Sobol' points: the first `skip` are left out, by default
/// `defaultSkip(baseSamples:)` = the smallest power of two ≥ max(N, 16). So the origin, point
/// 0, is never used. Unscrambled, it puts every parameter on its lower bound in both A and B,
/// so that block has A = AB = BA = B and spends 2k + 2 runs on nothing. Starting at a power of
/// two keeps the N points, when N is a power of two, a digitally shifted (t, m, s)-net; when
/// N ≥ 16 the default skip is N itself, and then every one-dimensional projection is exactly
/// the midpoints (j + 1/2)/N (each coordinate's mean is exactly 1/2) instead of the points j/N
/// that include the corner (checked against SciPy for N = 16, 64, 1024). This is also
/// SALib's own default before it moved to scrambled points: `saltelli.sample(problem, N)` (and
/// `sobol.sample(problem, N, scramble=False, skip_values=skip)`) give this design bit for bit.
/// SALib's current `sobol.sample` scrambles instead and skips nothing; scrambling needs random
/// digits we would have to draw, and we keep the design a fixed function of N and k.
public struct SaltelliDesign: Sendable, Equatable {
  /// What a row of the design is.
  public enum Row: Sendable, Equatable {
    /// A_i.
    case a
    /// A_i with coordinate j (from 0) from B_i.
    case ab(Int)
    /// B_i with coordinate j (from 0) from A_i.
    case ba(Int)
    /// B_i.
    case b
  }

  /// The most parameters: the sequence has `SobolSequence.maximumDimensions` = 2 · 64.
  public static let maximumParameters = SobolSequence.maximumDimensions / 2

  /// The number of parameters k.
  public let parameters: Int
  /// The number of base samples N.
  public let baseSamples: Int
  /// Whether the BA rows (for second-order indices) are in the design.
  public let secondOrder: Bool
  /// The number of Sobol' points left out at the start.
  public let skip: Int
  /// N · `rowsPerSample` rows of k coordinates in [0, 1).
  public let unitRows: [[Double]]

  /// The smallest power of two ≥ max(N, 16): SALib's `saltelli.sample` default.
  public static func defaultSkip(baseSamples: Int) -> Int {
    var skip = 16
    while skip < baseSamples { skip *= 2 }
    return skip
  }

  /// The rows per base sample: 2k + 2 with second order, k + 2 without.
  public static func rowsPerSample(parameters: Int, secondOrder: Bool) -> Int {
    secondOrder ? 2 * parameters + 2 : parameters + 2
  }

  /// The rows per base sample of this design.
  public var rowsPerSample: Int {
    Self.rowsPerSample(parameters: parameters, secondOrder: secondOrder)
  }

  /// What row `index` (from 0) is; its base sample is `index / rowsPerSample`.
  public func role(ofRow index: Int) -> Row {
    let offset = index % rowsPerSample
    if offset == 0 { return .a }
    if offset == rowsPerSample - 1 { return .b }
    return offset <= parameters ? .ab(offset - 1) : .ba(offset - 1 - parameters)
  }

  /// Builds the design: 1 ≤ k ≤ 64, N ≥ 1, skip ≥ 0 (nil for the default), and
  /// skip + N ≤ 2^32.
  public init(parameters: Int, baseSamples: Int, secondOrder: Bool, skip: Int? = nil)
    throws(SensitivityError)
  {
    guard parameters >= 1, parameters <= Self.maximumParameters else {
      throw SensitivityError(
        "a Saltelli design has 1 to \(Self.maximumParameters) parameters, got \(parameters)")
    }
    let skip = skip ?? Self.defaultSkip(baseSamples: baseSamples)
    guard baseSamples >= 1, skip >= 0, skip <= (1 << 32) - baseSamples else {
      throw SensitivityError(
        "a Saltelli design needs N ≥ 1 base samples and skip ≥ 0 with skip + N ≤ 2^32, got "
          + "N = \(baseSamples), skip = \(skip)")
    }
    self.parameters = parameters
    self.baseSamples = baseSamples
    self.secondOrder = secondOrder
    self.skip = skip
    let sequence = try SobolSequence(dimensions: 2 * parameters)
    let k = parameters
    var rows: [[Double]] = []
    rows.reserveCapacity(baseSamples * Self.rowsPerSample(parameters: k, secondOrder: secondOrder))
    for i in 0..<baseSamples {
      let point = sequence.point(skip + i)
      let a = Array(point[0..<k])
      let b = Array(point[k..<(2 * k)])
      rows.append(a)
      for j in 0..<k {
        var row = a
        row[j] = b[j]
        rows.append(row)
      }
      if secondOrder {
        for j in 0..<k {
          var row = b
          row[j] = a[j]
          rows.append(row)
        }
      }
      rows.append(b)
    }
    self.unitRows = rows
  }

  /// The rows mapped onto the parameters' ranges, `lower + x · (upper − lower)` per column.
  public func scaledRows(_ ranges: [SensitivityRange]) throws(SensitivityError) -> [[Double]] {
    try SensitivityRange.scale(unitRows, onto: ranges, parameters: parameters)
  }
}
