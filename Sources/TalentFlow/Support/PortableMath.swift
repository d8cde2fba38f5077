/// The logarithm, exponential, power and cosine the model computes with (Model.md, "Randomness
/// and determinism"), and ln Γ, ln(1 + x) and the Cauchy quantile of the analyses' statistics,
/// written with IEEE-754 additions, multiplications and divisions only.
///
/// The C library's `log`, `exp`, `pow` and `cos` are not the same function on every machine:
/// glibc picks an FMA or a plain variant at load time by the processor's features, and the two
/// round a few arguments differently (a run of model 1.5.0 wrote a different `firms.csv` with
/// `GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA`), and other systems' libraries differ again.
/// These do not depend on the processor, the library or the operating system, so a run's bytes
/// do not either. Swift does not fuse a multiplication and an addition unless asked, so the
/// arithmetic below is the same on every IEEE-754 machine.
///
/// `log` and `exp` are table-driven and divide nothing; their tables are computed when first
/// used, in double-double arithmetic, not typed in (`LogTable`, `ExpTable`). The cosine uses
/// the polynomial kernels of Sun's fdlibm 5.3 (`k_sin.c`, `k_cos.c`) after an exact reduction
/// of the turn fraction.
enum PortableMath {
  // ln 2 in two parts (fdlibm's: ln2Hi has 32 significant bits), the thresholds of exp, 1/ln 2
  // and fdlibm's sine and cosine coefficients, by bit pattern.
  private static let ln2Hi = Double(bitPattern: 0x3FE6_2E42_FEE0_0000)
  private static let ln2Lo = Double(bitPattern: 0x3DEA_39EF_3579_3C76)
  private static let overflowThreshold = Double(bitPattern: 0x4086_2E42_FEFA_39EF)
  private static let underflowThreshold = Double(bitPattern: 0xC087_4910_D52D_3051)
  private static let invLn2 = Double(bitPattern: 0x3FF7_1547_652B_82FE)
  private static let s1 = Double(bitPattern: 0xBFC5_5555_5555_5549)
  private static let s2 = Double(bitPattern: 0x3F81_1111_1110_F8A6)
  private static let s3 = Double(bitPattern: 0xBF2A_01A0_19C1_61D5)
  private static let s4 = Double(bitPattern: 0x3EC7_1DE3_57B1_FE7D)
  private static let s5 = Double(bitPattern: 0xBE5A_E5E6_8A2B_9CEB)
  private static let s6 = Double(bitPattern: 0x3DE5_D93A_5ACF_D57C)
  private static let c1 = Double(bitPattern: 0x3FA5_5555_5555_554C)
  private static let c2 = Double(bitPattern: 0xBF56_C16C_16C1_5177)
  private static let c3 = Double(bitPattern: 0x3EFA_01A0_19CB_1590)
  private static let c4 = Double(bitPattern: 0xBE92_7E4F_809C_52AD)
  private static let c5 = Double(bitPattern: 0x3E21_EE9E_BDB4_B1C4)
  private static let c6 = Double(bitPattern: 0xBDA8_FAE9_BE88_38D4)

  /// The natural logarithm: −∞ at ±0, NaN below 0 and at NaN, +∞ at +∞; error about ½ ulp.
  ///
  /// Table-driven and without a division, after Tang (1990) and glibc's `log` since 2.28, but
  /// without fused multiply-adds: x = 2^k · z with z in [0.6875, 1.375), cut into 256
  /// intervals. On interval i, c_i ≈ 1/z has 11 bits, so c_i times z's top 42 bits is exact,
  /// and r = z · c_i − 1 is the sum of that product less 1 and a tiny rest; |r| ≤ 2^-8. Then
  /// ln x = k · ln 2 − ln c_i + ln(1 + r), with −ln c_i in two doubles (`LogTable`; the high
  /// part on a grid of 2^-42, so its sum with k · ln2Hi is exact) and ln(1 + r) from its Taylor
  /// series to r⁷. On the two intervals beside 1, c_i = 1 and r = z − 1 exactly, so arguments
  /// near 1 keep their relative accuracy.
  @inline(__always)
  static func log(_ x: Double) -> Double {
    log(x, .shared)
  }

  /// `log(x)`, reading its table through `tables`: for loops of many logarithms (`Tables`).
  @inline(__always)
  static func log(_ x: Double, _ tables: Tables) -> Double {
    let (high, low) = logParts(x, tables)
    return high + low
  }

  /// The tables of `log` and `exp`, to be loaded once before a loop that takes many of them.
  ///
  /// `log(x)` and `exp(x)` find their tables through a lazily initialised static, and on Linux
  /// every such access is a call to the runtime's `swift_once`; inside a loop, that call also
  /// makes the compiler save and reload every floating-point value it holds in registers. A
  /// `Tables` value read once outside the loop costs neither. The values are `LogTable`'s and
  /// `ExpTable`'s, copied once into memory that is never freed, so the results are the same bits.
  struct Tables: @unchecked Sendable {
    let log: UnsafePointer<LogTable.Entry>
    let exp: UnsafePointer<ExpTable.Entry>
    /// 0 and all ones: `mask(_:)` reads its mask here (see `pick`).
    let masks: UnsafePointer<UInt64>

    static let shared = Tables()

    private init() {
      log = UnsafePointer(Tables.copy(LogTable.entries))
      exp = UnsafePointer(Tables.copy(ExpTable.entries))
      masks = UnsafePointer(Tables.copy([0, .max]))
    }

    /// All ones if `condition` holds, else 0, for `pick`.
    ///
    /// Read from memory whose contents the compiler cannot see, so that it cannot turn the
    /// `pick` back into a select, which it would compile as a branch.
    @inline(__always)
    func mask(_ condition: Bool) -> UInt64 { masks[condition ? 1 : 0] }

    /// `entries` in memory of their own, never freed (the tables live as long as the process).
    private static func copy<Entry>(_ entries: [Entry]) -> UnsafeMutablePointer<Entry> {
      let memory = UnsafeMutablePointer<Entry>.allocate(capacity: entries.count)
      memory.initialize(from: entries, count: entries.count)
      return memory
    }
  }

  /// ln x as high + low before their last rounding (low is about an ulp of high at most), for
  /// `log` and `pow`.
  @inline(__always)
  private static func logParts(_ x: Double, _ tables: Tables) -> (
    high: Double, low: Double
  ) {
    var bits = x.bitPattern
    var k: Int64 = 0
    if bits &- 0x0010_0000_0000_0000 >= 0x7FE0_0000_0000_0000 {  // not a positive normal
      if bits & 0x7FFF_FFFF_FFFF_FFFF == 0 { return (-.infinity, 0) }
      if bits == 0x7FF0_0000_0000_0000 { return (x, 0) }
      if bits >= 0x7FF0_0000_0000_0000 { return (.nan, 0) }  // negative, or NaN
      bits = (x * 0x1p52).bitPattern  // subnormal: scale it up to a normal number
      k = -52
    }
    let offset = bits &- LogTable.firstBits
    let i = Int(truncatingIfNeeded: (offset >> 44) & 255)
    k += Int64(bitPattern: offset) >> 52
    let zBits = bits &- (offset & 0xFFF0_0000_0000_0000)
    let entry = tables.log[i]
    let z = Double(bitPattern: zBits)
    let zHigh = Double(bitPattern: zBits & entry.highBits)
    // z · c_i − 1 = a + b: a has no rounding (42 bits times 11, then Sterbenz), b is tiny;
    // where c_i = 1, a = z − 1 and b = 0.
    let a = zHigh * entry.inverse - 1
    let b = (z - zHigh) * entry.inverse
    let r = a + b
    let kd = Double(k)
    let w = kd * ln2Hi + entry.logHigh  // exact: both on a grid of 2^-42, |w| < 2^10
    let hi = w + a  // |w| ≥ |a| or w = 0 (checked for every interval by a test)
    let hiError = (w - hi) + a
    let series =
      r * r
      * (-0.5
        + r * (1.0 / 3 + r * (-0.25 + r * (0.2 + r * (-1.0 / 6 + r * (1.0 / 7))))))
    return (hi, ((hiError + b) + (kd * ln2Lo + entry.logLow)) + series)
  }

  /// a + b as the rounded sum and its exact rounding error (Knuth's TwoSum).
  @inline(__always)
  static func twoSum(_ a: Double, _ b: Double) -> (sum: Double, error: Double) {
    let s = a + b
    let bVirtual = s - a
    return (s, (a - (s - bVirtual)) + (b - bVirtual))
  }

  /// e^x: +∞ above ln(max), 0 below the smallest subnormal's log, NaN at NaN; error about ½ ulp
  /// (above 2^-1022).
  ///
  /// Table-driven and without a division (Tang 1989): x = (128·k + j) · ln 2 / 128 + r with
  /// |r| ≤ ln 2 / 256, ln 2 / 128 in two parts so the product with the integer is exact; then
  /// e^x = 2^k · 2^(j/128) · e^r, with 2^(j/128) in two doubles (`ExpTable`) and e^r − 1 from
  /// its Taylor series to r⁵.
  @inline(__always)
  static func exp(_ x: Double) -> Double {
    exp(x, tail: nil, .shared)
  }

  /// `exp(x)`, reading its table through `tables`: for loops of many exponentials (`Tables`).
  @inline(__always)
  static func exp(_ x: Double, _ tables: Tables) -> Double {
    exp(x, tail: nil, tables)
  }

  /// e^(x + tail), for a tail below an ulp of x (`pow`); nil is 0, and costs nothing.
  @inline(__always)
  private static func exp(_ x: Double, tail: Double?, _ tables: Tables) -> Double {
    let high = UInt32(truncatingIfNeeded: x.bitPattern >> 32) & 0x7FFF_FFFF
    if high >= 0x4086_2E42 {  // |x| ≥ 709.78, or not finite
      if x.isNaN { return x + x }
      if x > overflowThreshold { return .infinity }
      if x < underflowThreshold { return 0 }
    }
    // n = x · 128 / ln 2 rounded to nearest, by adding and taking away 1.5 · 2^52.
    let shifted = x * (128 * invLn2) + 0x1.8p52
    let n = Int64(bitPattern: shifted.bitPattern &- (0x1.8p52 as Double).bitPattern)
    let nd = shifted - 0x1.8p52
    let reduced = (x - nd * (ln2Hi / 128)) - nd * (ln2Lo / 128)
    let r = tail.map { reduced + $0 } ?? reduced
    let entry = tables.exp[Int(truncatingIfNeeded: n & 127)]
    let k = n >> 7
    let p = r + r * r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120))))
    let y = entry.high + (entry.low + entry.high * p)
    if k >= -1021 && k <= 1022 {
      return Double(bitPattern: y.bitPattern &+ UInt64(bitPattern: k << 52))
    }
    // 2^k is not a normal number, or y · 2^k may round to a subnormal: scale in two steps.
    if k > 0 {
      return Double(bitPattern: y.bitPattern &+ UInt64(bitPattern: (k - 1000) << 52)) * 0x1p1000
    }
    return Double(bitPattern: y.bitPattern &+ UInt64(bitPattern: (k + 1000) << 52)) * 0x1p-1000
  }

  /// x^y = e^(y · ln x), for the model's powers (x ≥ 0); error about ½ ulp.
  ///
  /// ln x is kept in two parts and y · ln x is formed exactly (Dekker's product), so the
  /// rounding of the product does not grow the error with |y · ln x|. Exact at y = 0 and y = 1
  /// and at x = 0 or 1; negative x gives NaN unless y is 0 or 1.
  static func pow(_ x: Double, _ y: Double, _ tables: Tables = .shared) -> Double {
    if y == 0 || x == 1 { return 1 }
    if y == 1 { return x }
    if x == 0 { return y > 0 ? 0 : .infinity }
    let (high, low) = logParts(x, tables)
    let product = DoubleDouble.twoProduct(y, high)
    // Beyond ±2^996 Veltkamp's split overflows, and ±∞ has no tail: the product alone.
    if !product.low.isFinite { return exp(product.high, tables) }
    return exp(product.high, tail: product.low + y * low, tables)
  }

  /// cos(2π·u), the Box–Muller cosine (Model.md, "Randomness and determinism"); error below
  /// 1 ulp (0.81 ulp at worst in the tests' 200,000 arguments), exact at the quarter turns.
  ///
  /// The turn fraction is reduced exactly (cos 2πu is even, has period 1, and
  /// cos 2πa = −cos 2π(½ − a) = sin 2π(¼ − a)), to a in [0, 1/8]; the angle 2πa is then formed
  /// with 2π in two doubles, and fdlibm's kernels take it with its tail.
  static func cosTwoPi(_ u: Double, _ tables: Tables = .shared) -> Double {
    // a = |u − round(u)| in [0, 1/2], exactly; for a uniform in [0, 1] without rounding it.
    var a: Double
    if u >= 0 && u <= 1 {
      // 1 − u is exact on [1/2, 1] (Sterbenz) and at least 1/2 below it: 1 − u if u > 1/2.
      a = min(u, 1 - u)
    } else {
      a = u - u.rounded()
      if a < 0 { a = -a }
      if !(a <= 0.5) { return .nan }  // u was ±∞ or NaN
    }
    // For a uniform u, each reduction step below is a coin toss, which a branch would
    // mispredict half the time; they are written without one. On [0, 1/2], 1/2 − a is exact
    // where it is below a (Sterbenz), so min(a, 1/2 − a) is the reduced a either way, and
    // likewise 1/4 − a on [0, 1/4]; min is one instruction. The sign is +1 unless a > 1/4
    // (1/4 − a is never −0 here).
    let sign = Double(signOf: 0.25 - a, magnitudeOf: 1)
    a = min(a, 0.5 - a)
    let sine = tables.mask(a > 0.125)
    a = min(a, 0.25 - a)
    let product = DoubleDouble.twoProduct(twoPiHigh, a)
    let angle = DoubleDouble.normalised(product.high, product.low + twoPiLow * a)
    // Both kernels, one picked without a branch.
    return sign
      * pick(
        sine, sinKernel(angle.high, tail: angle.low),
        cosKernel(angle.high, tail: angle.low, tables))
  }

  /// `ifTrue` where `mask` is all ones, `ifFalse` where it is 0 (`Tables.mask`), merged bit by
  /// bit: a choice between two computed values without a branch, for choices that are coin
  /// tosses, where a branch would be mispredicted half the time. (Written as a select, or
  /// with a mask the compiler can see is one, the choice is compiled as a branch.)
  @inline(__always)
  static func pick(_ mask: UInt64, _ ifTrue: Double, _ ifFalse: Double) -> Double {
    let f = ifFalse.bitPattern
    return Double(bitPattern: f ^ ((f ^ ifTrue.bitPattern) & mask))
  }

  /// `pick` for integers.
  @inline(__always)
  static func pick(_ mask: UInt64, _ ifTrue: Int, _ ifFalse: Int) -> Int {
    ifFalse ^ ((ifFalse ^ ifTrue) & Int(bitPattern: UInt(mask)))
  }

  /// 2π as high + low (π's nearest double doubled, and the rest).
  private static let twoPiHigh = Double(bitPattern: 0x4019_21FB_5444_2D18)
  private static let twoPiLow = Double(bitPattern: 0x3CB1_A626_3314_5C07)

  /// sin(x + tail) for |x| ≤ π/4, |tail| below an ulp of x (fdlibm's `__kernel_sin`).
  @inline(__always)
  private static func sinKernel(_ x: Double, tail y: Double) -> Double {
    let z = x * x
    let v = z * x
    let r = s2 + z * (s3 + z * (s4 + z * (s5 + z * s6)))
    return x - ((z * (0.5 * y - v * r) - y) - v * s1)
  }

  /// cos(x + tail) for 0 ≤ x ≤ π/4, |tail| below an ulp of x (fdlibm's `__kernel_cos`).
  @inline(__always)
  private static func cosKernel(_ x: Double, tail y: Double, _ tables: Tables) -> Double {
    let z = x * x
    let r = z * (c1 + z * (c2 + z * (c3 + z * (c4 + z * (c5 + z * c6)))))
    let high = (x.bitPattern >> 32) & 0x7FFF_FFFF
    let near = 1 - (0.5 * z - (z * r - x * y))  // for |x| < 0.3
    // From 0.3 on, 1 − x²/2 loses bits: take out qx, x/4 cut to its high word (0.28125
    // above 0.78125), so that 1 − qx is exact. Both values are computed and one picked
    // (`pick`): below 0.3, qx is not used (and may be any value).
    let qx =
      high > 0x3FE9_0000
      ? 0.28125 : Double(bitPattern: (high &- 0x0020_0000) << 32)
    let halfZ = 0.5 * z - qx
    let far = (1 - qx) - (halfZ - (z * r - x * y))
    return pick(tables.mask(high < 0x3FD3_3333), near, far)
  }

  /// ln(n!) for n ≥ 0: from the exact product below 10, Stirling's series (to the x^-13 term,
  /// remainder below 10^-17) from 10 on.
  static func logFactorial(_ n: Double) -> Double {
    if n < 10 {
      var product = 1.0
      var i = 2.0
      while i <= n {
        product *= i
        i += 1
      }
      return log(product)
    }
    return stirlingLogGamma(n + 1)
  }

  /// ln Γ(x) for x > 0 (NaN otherwise, +∞ at +∞), for the statistics of analyses: below 10 from
  /// ln Γ(x + m) − ln(x (x + 1) … (x + m − 1)) with x + m ≥ 10, then Stirling's series. The
  /// error is a few ulp from 10 on; below, where the result is a difference of two numbers near
  /// 15, it is absolute, under 2^-46 (the tests' bound).
  static func logGamma(_ x: Double) -> Double {
    if !(x > 0) { return .nan }
    if x == .infinity { return x }
    if x == 1 || x == 2 { return 0 }
    if x >= 10 { return stirlingLogGamma(x) }
    var shifted = x
    var product = 1.0
    while shifted < 10 {
      product *= shifted
      shifted += 1
    }
    return stirlingLogGamma(shifted) - log(product)
  }

  /// ln Γ(x) for x ≥ 10 by Stirling's series to the x^-13 term (remainder below 10^-17).
  private static func stirlingLogGamma(_ x: Double) -> Double {
    let inverse = 1 / x
    let inverseSquare = inverse * inverse
    let series =
      inverse
      * (1.0 / 12
        - inverseSquare
        * (1.0 / 360
          - inverseSquare
          * (1.0 / 1260
            - inverseSquare
            * (1.0 / 1680
              - inverseSquare
              * (1.0 / 1188 - inverseSquare * (691.0 / 360_360 - inverseSquare / 156))))))
    return (x - 0.5) * log(x) - x + halfLogTwoPi + series
  }

  /// ½·ln(2π), rounded to the nearest double.
  private static let halfLogTwoPi = 0.918_938_533_204_672_741_78

  /// ln(1 + x) for x > −1, accurate for small x too: with u = 1 + x rounded,
  /// ln u · x / (u − 1) corrects for the rounding of u (Goldberg 1991, theorem 4).
  static func log1p(_ x: Double) -> Double {
    let u = 1 + x
    if u == 1 { return x }
    if u == .infinity { return u }
    return log(u) * (x / (u - 1))
  }

  /// tan(π(p − ½)) for p in (0, 1): the quantile of the Cauchy distribution (Student's t with one
  /// degree of freedom), as −cos(πp) / sin(πp) with both from `cosTwoPi`.
  static func cauchyQuantile(_ p: Double) -> Double {
    // sin(πp) = cos(2π(p/2 − 1/4)); p/2 is exact.
    -cosTwoPi(p / 2) / cosTwoPi(p / 2 - 0.25)
  }
}
