/// The unscrambled Sobol' low-discrepancy sequence in up to 128 dimensions, with the direction
/// numbers of Joe & Kuo (2008), file `new-joe-kuo-6.21201` (see `SobolDirectionNumbers`).
///
/// Construction (Bratley & Fox 1988, Algorithm 659; Joe & Kuo 2003), in 32-bit integers. For a
/// dimension with primitive polynomial of degree s, interior coefficients a_1 … a_(s−1) and
/// initial numbers m_1 … m_s, the direction numbers are V_k = m_k · 2^(32−k) for k ≤ s and, for
/// k > s,
///
///     V_k = V_(k−s) ⊕ (V_(k−s) >> s) ⊕ a_1·V_(k−1) ⊕ a_2·V_(k−2) ⊕ … ⊕ a_(s−1)·V_(k−s+1)
///
/// (⊕ is bitwise exclusive or). Dimension 1 has V_k = 2^(32−k). Point i (from 0) is taken in
/// Gray-code order (Antonov & Saleev 1979), by direct construction rather than by recursion,
/// so any index can be asked for: with g = i ⊕ (i >> 1) and bits g_0, g_1, … of g,
///
///     X_i = g_0·V_1 ⊕ g_1·V_2 ⊕ …,   x_i = X_i · 2^−32 ∈ [0, 1).
///
/// Point 0 is the origin. Each coordinate of a point with i < 2^b has at most b significant
/// bits, all exact in a Double, so the values do not depend on the word size as long as
/// i < 2^32: they equal `scipy.stats.qmc.Sobol(d, scramble=False)` (which uses 30 bits and
/// the same file) exactly, and SALib's `sobol_sequence.sample` (31 bits) too.
public struct SobolSequence: Sendable, Equatable {
  /// The most dimensions the embedded direction numbers give.
  public static let maximumDimensions = 1 + SobolDirectionNumbers.rows.count

  /// The number of bits of each coordinate: indices must be below 2^32.
  public static let bits = 32

  /// The number of coordinates of each point.
  public let dimensions: Int

  /// V_k of dimension d (from 0) at `directions[d * 32 + k − 1]`.
  private let directions: [UInt32]

  /// The sequence in `dimensions` dimensions, 1 to `maximumDimensions`.
  public init(dimensions: Int) throws(SensitivityError) {
    guard dimensions >= 1, dimensions <= Self.maximumDimensions else {
      throw SensitivityError(
        "the Sobol' sequence has 1 to \(Self.maximumDimensions) dimensions, got \(dimensions)")
    }
    self.dimensions = dimensions
    var directions = [UInt32](repeating: 0, count: dimensions * Self.bits)
    for k in 1...Self.bits {
      directions[k - 1] = 1 << UInt32(Self.bits - k)
    }
    for d in 1..<dimensions {
      let row = SobolDirectionNumbers.rows[d - 1]
      let s = row.degree
      let base = d * Self.bits
      for k in 1...Self.bits {
        var v: UInt32
        if k <= s {
          v = row.initial[k - 1] << UInt32(Self.bits - k)
        } else {
          let older = directions[base + k - s - 1]
          v = older ^ (older >> UInt32(s))
          for l in 1..<s where (row.coefficients >> UInt32(s - 1 - l)) & 1 == 1 {
            v ^= directions[base + k - l - 1]
          }
        }
        directions[base + k - 1] = v
      }
    }
    self.directions = directions
  }

  /// The coordinates of point `index` as 32-bit integers X (the point is X · 2^−32).
  public func integerPoint(_ index: UInt32) -> [UInt32] {
    let gray = index ^ (index >> 1)
    var point = [UInt32](repeating: 0, count: dimensions)
    for d in 0..<dimensions {
      var bits = gray
      var k = d * Self.bits
      var x: UInt32 = 0
      while bits != 0 {
        if bits & 1 == 1 { x ^= directions[k] }
        bits >>= 1
        k += 1
      }
      point[d] = x
    }
    return point
  }

  /// Point `index` (from 0, below 2^32) of the sequence, each coordinate in [0, 1).
  public func point(_ index: Int) -> [Double] {
    precondition(index >= 0 && index <= Int(UInt32.max), "Sobol' index out of range")
    return integerPoint(UInt32(index)).map { Double($0) * 0x1p-32 }
  }

  /// Points `start`, `start + 1`, …, `start + count − 1`.
  public func points(from start: Int, count: Int) -> [[Double]] {
    (0..<count).map { point(start + $0) }
  }
}
