extension LineChart {
  /// A series as drawn: its points in order, those with a non-finite x dropped.
  struct Prepared {
    var name: String
    var color: String
    var dashed: Bool
    var x: [Double]
    var y: [Double]
  }

  /// Pairs x and y, drops points whose x is not finite.
  static func prepare(_ s: ChartSeries) -> Prepared {
    let n = min(s.x.count, s.y.count)
    var x: [Double] = []
    var y: [Double] = []
    x.reserveCapacity(n)
    y.reserveCapacity(n)
    for k in 0..<n where s.x[k].isFinite {
      x.append(s.x[k])
      y.append(s.y[k])
    }
    return Prepared(name: s.name, color: s.color, dashed: s.dashed, x: x, y: y)
  }

  /// The top of each layer of a stack: the running sum of the layers up to it, a missing value
  /// counting 0.
  ///
  /// Stacked layers share the x positions of the first series, as far as the shortest goes.
  static func stackTops(_ prepared: [Prepared]) -> [[Double]] {
    let sharedCount = prepared.map { $0.x.count }.min() ?? 0
    var running = [Double](repeating: 0, count: sharedCount)
    var tops: [[Double]] = []
    for s in prepared {
      for k in 0..<sharedCount where s.y[k].isFinite { running[k] += s.y[k] }
      tops.append(running)
    }
    return tops
  }

  /// Scales that cover the series (the stack tops when stacked), the bands, the reference line
  /// and `yCovers`; and whether there is anything to draw at all.
  func scales(_ prepared: [Prepared], stackTops: [[Double]])
    -> (x: NiceScale, y: NiceScale, hasData: Bool)
  {
    var xs: [Double] = prepared.flatMap { $0.x }
    var ys: [Double] = style == .stackedArea ? stackTops.flatMap { $0 } : prepared.flatMap { $0.y }
    for band in bands {
      xs += band.x.filter { $0.isFinite }
      ys += band.lower + band.upper
    }
    if let referenceY { ys.append(referenceY) }
    ys += yCovers
    let hasData = ys.contains { $0.isFinite } && xs.contains { $0.isFinite }
    // Markers at the ends of a points chart would be cut in half by the plot's edge.
    if style == .points, let first = xs.min(), let last = xs.max() {
      xs += [first - 0.5, last + 0.5]
    }
    let integerX = xKind == .years || style == .points
    let xScale = NiceScale(covering: xs, targetTicks: 7, minimumStep: integerX ? 1 : 0)
    let yScale = NiceScale(
      covering: ys, includeZero: includeZero, targetTicks: 6, minimumStep: countsY ? 1 : 0,
      padding: includeZero ? 0 : 0.03)
    return (xScale, yScale, hasData)
  }

  /// Runs of consecutive chosen indices whose points are all valid (a gap splits a line).
  static func segments(_ indices: [Int], valid: (Int) -> Bool) -> [[Int]] {
    var result: [[Int]] = []
    var current: [Int] = []
    for k in indices {
      if valid(k) {
        current.append(k)
      } else if !current.isEmpty {
        result.append(current)
        current = []
      }
    }
    if !current.isEmpty { result.append(current) }
    return result
  }
}
