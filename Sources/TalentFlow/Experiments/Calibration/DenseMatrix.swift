import Foundation

/// The small dense linear algebra of the estimator (k ≤ ~30 parameters, M moments), on
/// row-major `[[Double]]`; every sum runs in index order, so results are reproducible.
enum DenseMatrix {
  /// diag(values).
  static func diagonal(_ values: [Double]) -> [[Double]] {
    values.indices.map { i in
      var row = [Double](repeating: 0, count: values.count)
      row[i] = values[i]
      return row
    }
  }

  /// Aᵀ.
  static func transpose(_ a: [[Double]]) -> [[Double]] {
    guard let columns = a.first?.count else { return [] }
    return (0..<columns).map { j in a.map { $0[j] } }
  }

  /// A B, with c_ij = Σ_p a_ip b_pj summed over p in order.
  static func product(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
    let inner = b.count
    let columns = b.first?.count ?? 0
    return a.map { row in
      (0..<columns).map { j in
        var sum = 0.0
        for p in 0..<inner { sum += row[p] * b[p][j] }
        return sum
      }
    }
  }

  /// The Cholesky factor of the symmetric A restricted to the columns that are not nearly
  /// combinations of earlier ones (Cholesky–Banachiewicz, row by row in `candidates` order).
  ///
  /// For candidate j, with K the columns kept so far and L their factor,
  ///
  ///     ℓ_jp = (a_{j,K_p} − Σ_{q<p} ℓ_jq ℓ_pq) / ℓ_pp,   d_j = a_jj − Σ_p ℓ_jp²,
  ///
  /// d_j is the part of a_jj that the kept columns do not explain, and d_j / a_jj = 1 − R²_j
  /// is the relative pivot: scale-free, 1 for a column orthogonal to the kept ones, 0 for a
  /// combination of them. Column j is kept, with ℓ_jj = √d_j, when d_j / a_jj > `threshold`;
  /// else it is dropped and the factor stays well defined. `pivots[c]` is candidate c's
  /// relative pivot (NaN when a_jj ≤ 0).
  static func cholesky(_ a: [[Double]], candidates: [Int], threshold: Double)
    -> (kept: [Int], factor: [[Double]], pivots: [Double])
  {
    var kept: [Int] = []
    var factor: [[Double]] = []
    var pivots: [Double] = []
    for j in candidates {
      var row: [Double] = []
      for (p, column) in kept.enumerated() {
        var sum = a[j][column]
        for q in 0..<p { sum -= row[q] * factor[p][q] }
        row.append(sum / factor[p][p])
      }
      var d = a[j][j]
      for value in row { d -= value * value }
      let relative = a[j][j] > 0 ? d / a[j][j] : .nan
      pivots.append(relative)
      if relative > threshold {
        row.append(d.squareRoot())
        factor.append(row)
        kept.append(j)
      }
    }
    return (kept, factor, pivots)
  }

  /// A⁻¹ = L⁻ᵀ L⁻¹ from the lower-triangular factor L of A = L Lᵀ (rows of growing length).
  ///
  /// X = L⁻¹ by forward substitution, x_cc = 1/ℓ_cc and x_ic = −Σ_{c≤q<i} ℓ_iq x_qc / ℓ_ii,
  /// then (A⁻¹)_ab = Σ_{i ≥ max(a,b)} x_ia x_ib.
  static func inverse(choleskyFactor l: [[Double]]) -> [[Double]] {
    let n = l.count
    var x = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for c in 0..<n {
      x[c][c] = 1 / l[c][c]
      for i in (c + 1)..<n {
        var sum = 0.0
        for q in c..<i { sum += l[i][q] * x[q][c] }
        x[i][c] = -sum / l[i][i]
      }
    }
    var inverse = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for a in 0..<n {
      for b in a..<n {
        var sum = 0.0
        for i in b..<n { sum += x[i][a] * x[i][b] }
        inverse[a][b] = sum
        inverse[b][a] = sum
      }
    }
    return inverse
  }

  /// A⁻¹ of a symmetric positive-definite A, or nil when a relative pivot is ≤ `threshold`.
  static func inverse(symmetricPositiveDefinite a: [[Double]], threshold: Double = 0)
    -> [[Double]]?
  {
    let (kept, factor, _) = cholesky(a, candidates: Array(a.indices), threshold: threshold)
    return kept.count == a.count ? inverse(choleskyFactor: factor) : nil
  }
}
