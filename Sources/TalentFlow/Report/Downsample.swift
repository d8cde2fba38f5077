/// Deterministic reduction of long series so that a 10,000-tick run still draws quickly.
public enum Downsample {
  /// The most points drawn per series.
  public static let maximumPoints = 1500

  /// Evenly strided indices into `count` points: at most `limit`, first and last kept.
  ///
  /// For series that must share x positions (stacked areas, bands).
  public static func strideIndices(count: Int, limit: Int = maximumPoints) -> [Int] {
    guard count > limit, limit >= 2 else { return Array(0..<count) }
    let step = (count - 1 + (limit - 2)) / (limit - 1)
    var indices = Array(stride(from: 0, to: count - 1, by: step))
    indices.append(count - 1)
    return indices
  }

  /// At most `limit` indices chosen by Largest-Triangle-Three-Buckets (Steinarsson, 2013).
  ///
  /// The points keep the visual shape of a line, peaks included. Every y must be finite.
  public static func largestTriangleIndices(x: [Double], y: [Double], limit: Int = maximumPoints)
    -> [Int]
  {
    let count = min(x.count, y.count)
    guard count > limit, limit >= 3 else { return Array(0..<count) }
    var chosen = [0]
    chosen.reserveCapacity(limit)
    let bucketSize = Double(count - 2) / Double(limit - 2)
    var previous = 0
    for b in 0..<(limit - 2) {
      let start = Int(Double(b) * bucketSize) + 1
      let end = min(Int(Double(b + 1) * bucketSize) + 1, count - 1)
      // The average of the next bucket (or the last point) is the third triangle vertex.
      let nextStart = end
      let nextEnd = min(Int(Double(b + 2) * bucketSize) + 1, count)
      var averageX = 0.0
      var averageY = 0.0
      for k in nextStart..<max(nextEnd, nextStart + 1) {
        averageX += x[k]
        averageY += y[k]
      }
      let n = Double(max(nextEnd - nextStart, 1))
      averageX /= n
      averageY /= n
      var best = start
      var bestArea = -1.0
      for k in start..<max(end, start + 1) {
        let area = abs(
          (x[previous] - averageX) * (y[k] - y[previous]) - (x[previous] - x[k])
            * (averageY - y[previous]))
        if area > bestArea {
          bestArea = area
          best = k
        }
      }
      chosen.append(best)
      previous = best
    }
    chosen.append(count - 1)
    return chosen
  }
}
