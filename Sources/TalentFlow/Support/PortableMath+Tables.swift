/// The 256 intervals of `PortableMath.log`: for each, c (≈ 1/z, a multiple of 2^-10) and −ln c
/// in two doubles.
///
/// Computed when first used, in double-double arithmetic (`DoubleDouble`) from
/// −ln c = ln((1 + s)/(1 − s)) = 2 · atanh(s) with s = (1 − c)/(1 + c), so no constant is typed
/// in and none comes from the C library; `PortableMathTests` checks every entry against an
/// independent computation.
enum LogTable {
  struct Entry: Sendable {
    /// c, about 1/z on the interval, with at most 11 significant bits.
    let inverse: Double
    /// −ln c rounded to a multiple of 2^-42, so that k · ln2Hi + logHigh is exact.
    let logHigh: Double
    /// −ln c − logHigh, rounded to a double.
    let logLow: Double
    /// The bits of z that c multiplies exactly: its top 42 significant bits, or all where c = 1.
    let highBits: UInt64
  }

  /// The bits of 0.6875, where interval 0 starts; x's bits less these give k and the interval.
  static var firstBits: UInt64 { 0x3FE6_0000_0000_0000 }

  /// The entries, by the interval's index (bits 44–51 of x's bits less `firstBits`).
  static let entries: [Entry] = (0..<256).map(entry)

  /// The interval i covers [start, end) in z.
  static func interval(_ i: Int) -> (start: Double, end: Double) {
    (
      Double(bitPattern: firstBits &+ UInt64(i) << 44),
      Double(bitPattern: firstBits &+ UInt64(i + 1) << 44)
    )
  }

  static func entry(_ i: Int) -> Entry {
    let (start, end) = interval(i)
    let inverse = start <= 1 && 1 <= end ? 1 : (1024 / ((start + end) / 2)).rounded() / 1024
    let minusLog = DoubleDouble.logOfInverse(inverse)
    let logHigh = (minusLog.high * 0x1p42).rounded() * 0x1p-42
    return Entry(
      inverse: inverse, logHigh: logHigh, logLow: (minusLog.high - logHigh) + minusLog.low,
      highBits: inverse == 1 ? ~0 : ~0x7FF)
  }
}

/// 2^(j/128) for j in 0..<128, in two doubles, for `PortableMath.exp`.
///
/// Computed when first used, as e^(j · ln 2 / 128) by the Taylor series in double-double
/// arithmetic, ln 2 itself from 2 · atanh(1/3).
enum ExpTable {
  struct Entry: Sendable {
    /// 2^(j/128), rounded to a double.
    let high: Double
    /// 2^(j/128) − high, rounded to a double.
    let low: Double
  }

  static let entries: [Entry] = (0..<128).map(entry)

  static func entry(_ j: Int) -> Entry {
    let ln2 = DoubleDouble.logOfInverse(0.5)
    let a = DoubleDouble.multiply(ln2, DoubleDouble(Double(j) / 128, 0))
    // a < ln 2, so a^n / n! < 2^-110 from n = 30 on.
    var term = DoubleDouble(1, 0)
    var sum = DoubleDouble(1, 0)
    for n in 1...30 {
      term = DoubleDouble.divide(DoubleDouble.multiply(term, a), by: Double(n))
      sum = DoubleDouble.add(sum, term)
    }
    return Entry(high: sum.high, low: sum.low)
  }
}

/// high + low, with |low| at most half an ulp of high: about 106 bits, from IEEE-754 double
/// operations only (Dekker 1971; Knuth's TwoSum), to compute the tables of `PortableMath`.
struct DoubleDouble {
  var high: Double
  var low: Double

  init(_ high: Double, _ low: Double) {
    self.high = high
    self.low = low
  }

  /// −ln c = 2 · atanh(s), s = (1 − c)/(1 + c), for c a multiple of 2^-10 in [0.5, 1.5]
  /// (then both differences are exact and |s| ≤ 1/3).
  static func logOfInverse(_ c: Double) -> DoubleDouble {
    let s = divide(DoubleDouble(1 - c, 0), by: 1 + c)
    let s2 = multiply(s, s)
    var term = s
    var sum = s
    // s² ≤ 1/9, so 40 terms leave less than 2^-120.
    for n in 1...40 {
      term = multiply(term, s2)
      sum = add(sum, divide(term, by: Double(2 * n + 1)))
    }
    return DoubleDouble(2 * sum.high, 2 * sum.low)
  }

  /// a · b as the rounded product and its exact error (Dekker, with Veltkamp's split).
  static func twoProduct(_ a: Double, _ b: Double) -> DoubleDouble {
    let p = a * b
    let (aHigh, aLow) = split(a)
    let (bHigh, bLow) = split(b)
    return DoubleDouble(p, ((aHigh * bHigh - p) + aHigh * bLow + aLow * bHigh) + aLow * bLow)
  }

  /// a as two halves of at most 26 significant bits, so that their products are exact.
  static func split(_ a: Double) -> (Double, Double) {
    let c = 134_217_729 * a  // 2^27 + 1
    let high = c - (c - a)
    return (high, a - high)
  }

  static func normalised(_ high: Double, _ low: Double) -> DoubleDouble {
    let s = high + low
    return DoubleDouble(s, low - (s - high))
  }

  static func add(_ a: DoubleDouble, _ b: DoubleDouble) -> DoubleDouble {
    let (s, e) = PortableMath.twoSum(a.high, b.high)
    return normalised(s, e + a.low + b.low)
  }

  static func multiply(_ a: DoubleDouble, _ b: DoubleDouble) -> DoubleDouble {
    let p = twoProduct(a.high, b.high)
    return normalised(p.high, p.low + (a.high * b.low + a.low * b.high))
  }

  static func divide(_ a: DoubleDouble, by d: Double) -> DoubleDouble {
    let q = a.high / d
    let p = twoProduct(q, d)
    return normalised(q, (((a.high - p.high) - p.low) + a.low) / d)
  }
}
