/// Draws an index with probability proportional to its weight from one uniform (MODEL 7).
///
/// Vose's (1991) alias method: column i keeps itself with probability `threshold[i]` and
/// otherwise gives its alias. Construction is deterministic (the work lists are filled in index
/// order and used last-in, first-out), so the same weights always give the same table and the
/// same uniform always gives the same index. An entry of weight 0 has threshold 0 and a
/// positive-weight alias, so it is never drawn.
struct AliasTable: Sendable {
  /// One column of the table.
  private struct Column: Sendable {
    /// Probability of keeping the column itself, given the column.
    var threshold: Double
    /// The index drawn otherwise.
    var alias: Int
  }

  /// The columns, one per weight.
  private let columns: [Column]
  /// Sum of the weights.
  let totalWeight: Double

  /// Number of weights (columns), zero weights included.
  var count: Int { columns.count }
  /// True when there are no weights or all are 0; `sample` must not be called then.
  var isEmpty: Bool { !(totalWeight > 0) }

  /// The table for `weights`: finite, non-negative numbers such as vacancy counts.
  ///
  /// Runs once or twice a tick over every firm, so it works on unsafe buffers; the steps are
  /// Vose's as described above.
  init(weights: [Double]) {
    let n = weights.count
    var total = 0.0
    var valid = true
    for w in weights {
      valid = valid && w >= 0 && w.isFinite
      total += w
    }
    precondition(valid, "alias weights must be finite and non-negative")
    precondition(total.isFinite, "alias weights must have a finite sum")
    totalWeight = total
    guard n > 0, total > 0 else {
      columns = weights.indices.map { Column(threshold: 1, alias: $0) }
      return
    }
    let scale = Double(n) / total
    var table = [Column](repeating: Column(threshold: 1, alias: 0), count: n)
    weights.withUnsafeBufferPointer { weights in
      table.withUnsafeMutableBufferPointer { table in
        AliasTable.build(weights: weights, scale: scale, into: table)
      }
    }
    columns = table
  }

  /// Vose's construction into `table` (n columns, n = weights.count > 0, total weight > 0).
  ///
  /// The work lists are two stacks in one buffer: small indices grow from the front, large
  /// ones from the back, each filled in index order and used last-in, first-out.
  private static func build(
    weights: UnsafeBufferPointer<Double>, scale: Double,
    into table: UnsafeMutableBufferPointer<Column>
  ) {
    let n = weights.count
    let scaled = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
    let lists = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
    defer {
      scaled.deallocate()
      lists.deallocate()
    }
    var smallCount = 0
    var largeStart = n
    for i in 0..<n {
      scaled[i] = weights[i] * scale
      table[i] = Column(threshold: 1, alias: i)
    }
    // Large indices are pushed in index order too: fill them, then reverse that part. Each
    // index is written to the top of both stacks and counted in one: whether a weight is
    // small is a coin toss for the branch predictor where dead firms (weight 0) are scattered
    // among the living. The two places differ until the last index, which fills the gap.
    for i in 0..<n {
      let small = scaled[i] < 1 ? 1 : 0
      lists[smallCount] = Int32(i)
      lists[largeStart - 1] = Int32(i)
      smallCount += small
      largeStart -= 1 - small
    }
    // lists[largeStart..<n] holds large indices in decreasing index order, so its top (the
    // last pushed, the highest index) is lists[largeStart]: a stack growing downward.
    while smallCount > 0 && largeStart < n {
      let l = Int(lists[smallCount - 1])
      let g = Int(lists[largeStart])
      smallCount -= 1
      largeStart += 1
      table[l] = Column(threshold: scaled[l], alias: g)
      scaled[g] = (scaled[g] + scaled[l]) - 1
      if scaled[g] < 1 {
        lists[smallCount] = Int32(g)
        smallCount += 1
      } else {
        largeStart -= 1
        lists[largeStart] = Int32(g)
      }
    }
    // Whatever is left is full up to rounding: it keeps itself. A zero weight can only be left
    // over through gross rounding; it then points at the largest weight instead.
    var heaviest = 0
    for i in 1..<n where weights[i] > weights[heaviest] { heaviest = i }
    func finalColumn(_ i: Int) -> Column {
      weights[i] > 0 ? Column(threshold: 1, alias: i) : Column(threshold: 0, alias: heaviest)
    }
    for k in largeStart..<n { table[Int(lists[k])] = finalColumn(Int(lists[k])) }
    for k in 0..<smallCount { table[Int(lists[k])] = finalColumn(Int(lists[k])) }
  }

  /// The index drawn by the uniform `u` in [0, 1).
  ///
  /// The column is `Int(u · n)` and the fractional part `u · n − column` is compared with the
  /// column's threshold. Requires `!isEmpty`.
  @inline(__always)
  func sample(_ u: Double, _ tables: PortableMath.Tables = .shared) -> Int {
    precondition(!isEmpty, "cannot sample an alias table without positive weights")
    let n = columns.count
    let scaled = u * Double(n)
    var column = Int(scaled)
    if column >= n { column = n - 1 }
    if column < 0 { column = 0 }
    let fraction = scaled - Double(column)
    let entry = columns[column]
    // Column or alias is a coin toss: picked without a branch (`PortableMath.pick`).
    return PortableMath.pick(tables.mask(fraction < entry.threshold), column, entry.alias)
  }

  /// Column i's threshold and alias (for tests comparing constructions).
  func column(_ i: Int) -> (threshold: Double, alias: Int) {
    (columns[i].threshold, columns[i].alias)
  }

  /// The probability that `sample` returns `index` for a uniform u (exact up to rounding).
  ///
  /// Sums the share of every column that leads to `index`; O(n), meant for tests.
  func probability(of index: Int) -> Double {
    guard !isEmpty, columns.indices.contains(index) else { return 0 }
    var mass = 0.0
    for (c, entry) in columns.enumerated() {
      if c == index { mass += entry.threshold }
      if entry.alias == index && c != index { mass += 1 - entry.threshold }
    }
    return mass / Double(columns.count)
  }
}
