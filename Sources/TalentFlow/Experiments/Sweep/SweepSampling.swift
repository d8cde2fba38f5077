import Foundation

/// A Latin hypercube sample of configuration keys over ranges, with its own Philox stream.
///
/// With `points` = n, each range [lo, hi] is cut into n equal strata and every stratum of every
/// key is used by exactly one point (McKay, Beckman & Conover 1979). For key k (in written
/// order) a permutation π_k of 0..<n is drawn by Fisher–Yates, and point i takes
/// `lo + (π_k(i) + U_ik) / n · (hi − lo)` with U_ik uniform in [0, 1) (computed without
/// overflow when hi − lo exceeds the largest Double; see `interpolate`). Integer keys take that
/// value rounded to the nearest integer (halves away from zero), so their bounds must be
/// integers. The draws come from the sample's seed only, never from the runs' seeds: the design
/// is fixed by the specification.
public struct LatinHypercube: Sendable, Equatable {
  /// One sampled key.
  public struct Range: Sendable, Equatable {
    public var path: String
    public var lower: Double
    public var upper: Double
    /// Whether values are rounded to integers.
    public var isInteger: Bool
  }

  public var points: Int
  public var seed: UInt64
  public var ranges: [Range]

  /// The `purpose` words of the sample's Philox counters; entity is the key's index.
  private enum Purpose: UInt32 {
    case permutation = 1
    case offset = 2
  }

  public init(points: Int, seed: UInt64, ranges: [Range]) {
    self.points = points
    self.seed = seed
    self.ranges = ranges
  }

  /// Reads `{"method": "lhs", "points": n, "seed": s, "ranges": {"key.path": [lo, hi]}}`.
  init(json: JSONValue, source: String) throws(ConfigurationError) {
    let shape =
      "must be {\"method\": \"lhs\", \"points\": n, \"seed\": s, \"ranges\": {\"key.path\": "
      + "[lo, hi]}}"
    let sample = try JSONObjectReader<ConfigurationError>(json, file: source, path: "sample") {
      "sample \(shape), got \($0.serialized(pretty: false))"
    }
    try sample.checkKeys(["method", "points", "seed", "ranges"]) { key, _ in
      "unknown key \(ConfigurationKeys.shown(key)); sample \(shape)"
    }
    func missing(_ key: String) -> JSONMissing { .message("sample \(shape); \(key) is missing") }
    _ = try sample.string(
      "method", "must be \"lhs\" (Latin hypercube)", missing: missing("method")
    ) { $0 == "lhs" }
    let n = try sample.integer("points", "must be a positive integer", missing: missing("points")) {
      $0 >= 1 && $0 <= SweepSpecification.maximumRuns
    }
    let s = try sample.required(
      "seed", "must be an integer in [0, 2^53 − 1]", missing: missing("seed"),
      as: SweepSpecification.seed)
    let keys = try sample.object(
      "ranges", "must be a non-empty object of key paths and [lo, hi]", missing: missing("ranges"))
    guard !keys.members.isEmpty else {
      throw sample.invalid(
        "ranges", "must be a non-empty object of key paths and [lo, hi]", keys.json)
    }
    var ranges: [Range] = []
    for (path, bounds) in keys.members {
      try SweepSpecification.checkSweptKey(path, section: "sample.ranges", source: source)
      let at = "sample.ranges.\(path)"
      guard let key = ConfigurationKeys.key(path), key.value(in: Configuration()).doubleValue != nil
      else {
        throw keys.error(path, "\(at): only number keys can be sampled; \(path) is not a number")
      }
      guard let pair = bounds.arrayValue, pair.count == 2, let lo = pair[0].doubleValue,
        let hi = pair[1].doubleValue, lo < hi
      else {
        throw keys.invalid(path, "must be [lo, hi] with lo < hi", bounds)
      }
      if key.isInteger && (lo.rounded() != lo || hi.rounded() != hi) {
        throw keys.error(
          path,
          "\(at): \(path) is an integer key, so its bounds must be integers, got "
            + bounds.serialized(pretty: false))
      }
      for bound in pair {
        var scratch = Configuration()
        do {
          try scratch.set(path: path, value: bound, source: source)
        } catch {
          throw keys.error(path, "\(at): \(error.message)")
        }
      }
      ranges.append(Range(path: path, lower: lo, upper: hi, isInteger: key.isInteger))
    }
    self.init(points: n, seed: s, ranges: ranges)
  }

  /// The sampled values: `points` rows, one value per range in `ranges` order.
  public func values() -> [[Double]] {
    let key = PhiloxKey(seed: seed)
    let n = points
    var rows = [[Double]](repeating: [Double](repeating: 0, count: ranges.count), count: n)
    for (k, range) in ranges.enumerated() {
      var permutation = Array(0..<n)
      var shuffle = RandomStream(
        key: key, purpose: Purpose.permutation.rawValue, entity: UInt32(k), tick: 0)
      var i = n - 1
      while i > 0 {
        let j = shuffle.index(below: i + 1)
        permutation.swapAt(i, j)
        i -= 1
      }
      var offsets = RandomStream(
        key: key, purpose: Purpose.offset.rawValue, entity: UInt32(k), tick: 0)
      let width = range.upper - range.lower
      for point in 0..<n {
        let u = (Double(permutation[point]) + offsets.uniform()) / Double(n)
        var x = LatinHypercube.interpolate(range.lower, range.upper, width: width, at: u)
        if range.isInteger {
          x = x.rounded(.toNearestOrAwayFromZero)
        }
        rows[point][k] = min(max(x, range.lower), range.upper)
      }
    }
    return rows
  }

  /// The point a fraction `u` in [0, 1) of the way from `lower` to `upper`.
  ///
  /// `lower + u·(upper − lower)` is the documented formula, kept wherever the width is finite so
  /// that no existing design changes by a bit. Bounds of opposite signs can be finite while
  /// their width is not (`[-1e308, 1e308]`): that formula would then give ±∞, or NaN at u = 0,
  /// and every point would collapse onto a bound after clamping. Such a range takes
  /// `lower·(1 − u) + upper·u`, whose two terms are no larger than the bounds and of opposite
  /// signs, so their sum is finite.
  static func interpolate(_ lower: Double, _ upper: Double, width: Double, at u: Double)
    -> Double
  {
    width.isFinite ? lower + u * width : lower * (1 - u) + upper * u
  }
}
