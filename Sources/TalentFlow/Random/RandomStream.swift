import Foundation

/// The random draws of one (purpose, entity, tick), with the model's own conversions (MODEL 7).
///
/// Draw number `d` of the stream is Philox4x32-10 applied to the counter
/// `(entity, UInt32(bitPattern: tick), purpose, d)` under the run's key. Each block gives four
/// 32-bit words, used as two 64-bit values: first `x | y << 32`, then `z | w << 32`. The second
/// value is kept in the struct and returned by the next call, so two consecutive 64-bit draws
/// cost one block. The stream holds no references and never allocates.
///
/// Every conversion from bits to numbers is defined here (never the standard library's
/// `random(in:using:)`), so a run's outputs depend only on its seed and configuration:
/// - `uniform()` uses the top 53 bits of one 64-bit value (`uniformPositive()`, for logs, the
///   top 52 bits plus one half);
/// - `normal()` is Box–Muller, cosine branch only: it consumes exactly two 64-bit values and
///   caches nothing, so its value depends only on the position in the stream;
/// - `gamma(shape:)` is Marsaglia–Tsang (2000), boosted for shapes below one;
/// - `poisson(mean:)` is inversion below mean 10 and Hörmann's PTRS (1993) from 10 on.
struct RandomStream: Sendable {
  /// 2^-53, the spacing of the uniform doubles.
  static let unit53 = 0x1p-53

  /// The run's key.
  let key: PhiloxKey
  /// Counter word 0: the entity (professional, firm, ...) index.
  let entity: UInt32
  /// Counter word 1: the tick, as a bit pattern.
  let tickWord: UInt32
  /// Counter word 2: the purpose of the draws.
  let purpose: UInt32
  /// Counter word 3 of the next block to compute.
  private(set) var drawNumber: UInt32 = 0
  /// The unused second half of the last block.
  private var buffered: UInt64 = 0
  /// Whether `buffered` holds a value not yet returned.
  private var hasBuffered = false

  /// The stream of draws for `purpose`, `entity` and `tick` under `key`.
  init(key: PhiloxKey, purpose: UInt32, entity: UInt32, tick: Int32) {
    self.key = key
    self.entity = entity
    self.tickWord = UInt32(bitPattern: tick)
    self.purpose = purpose
  }

  /// The stream as it is after its first 2·`draw` + 1 values: block `draw`'s first half
  /// returned and its second half, `secondHalf` (`z | w << 32`), the next value.
  ///
  /// For callers that keep only the value a stream holds back rather than the whole stream
  /// (search keeps each searcher's after her choice draw for her hiring score); the values
  /// that follow are those the stream itself would have given.
  init(
    key: PhiloxKey, purpose: UInt32, entity: UInt32, tick: Int32,
    afterFirstHalfOf draw: UInt32, secondHalf: UInt64
  ) {
    self.init(key: key, purpose: purpose, entity: entity, tick: tick)
    drawNumber = draw &+ 1
    buffered = secondHalf
    hasBuffered = true
  }

  // MARK: Bits and uniforms

  /// The next 64 random bits.
  @inline(__always)
  mutating func nextUInt64() -> UInt64 {
    if hasBuffered {
      hasBuffered = false
      return buffered
    }
    let counter = SIMD4<UInt32>(entity, tickWord, purpose, drawNumber)
    let b = Philox4x32.block(counter, key: key)
    drawNumber &+= 1
    buffered = UInt64(b.z) | (UInt64(b.w) << 32)
    hasBuffered = true
    return UInt64(b.x) | (UInt64(b.y) << 32)
  }

  /// A uniform double in [0, 1) from the top 53 bits of `bits`.
  @inline(__always)
  static func uniform(fromBits bits: UInt64) -> Double {
    Double(bits >> 11) * unit53
  }

  /// A uniform double in (0, 1) from the top 52 bits m of `bits`: (m + 1/2) · 2^-52.
  ///
  /// 52 bits, not 53, so that m + 1/2 is exact in a double: with 53 bits the largest value,
  /// 1 − 2^-54, would round to 1. The results run from 2^-53 to 1 − 2^-53, symmetric about 1/2.
  @inline(__always)
  static func uniformPositive(fromBits bits: UInt64) -> Double {
    (Double(bits >> 12) + 0.5) * 0x1p-52
  }

  /// A uniform double in [0, 1): the top 53 bits of the next value times 2^-53.
  @inline(__always)
  mutating func uniform() -> Double {
    RandomStream.uniform(fromBits: nextUInt64())
  }

  /// A uniform double in (0, 1), safe to take the logarithm of.
  @inline(__always)
  mutating func uniformPositive() -> Double {
    RandomStream.uniformPositive(fromBits: nextUInt64())
  }

  /// True with probability `p` (one uniform: `uniform() < p`).
  @inline(__always)
  mutating func bernoulli(_ p: Double) -> Bool {
    uniform() < p
  }

  /// A uniform integer in `0..<n`, `floor(uniform() · n)` clamped to `n - 1`; n must be positive.
  @inline(__always)
  mutating func index(below n: Int) -> Int {
    precondition(n > 0, "index(below:) needs a positive bound")
    let i = Int(uniform() * Double(n))
    return i < n ? i : n - 1
  }

  // MARK: Continuous distributions

  /// A standard normal draw (Box–Muller, cosine branch; consumes two 64-bit values).
  ///
  /// A loop of many draws passes `tables` loaded once (`PortableMath.Tables`).
  @inline(__always)
  mutating func normal(_ tables: PortableMath.Tables = .shared) -> Double {
    let u1 = uniformPositive()
    let u2 = uniform()
    return (-2 * PortableMath.log(u1, tables)).squareRoot() * PortableMath.cosTwoPi(u2, tables)
  }

  /// A normal draw with the given mean and standard deviation.
  @inline(__always)
  mutating func normal(mean: Double, sd: Double) -> Double {
    mean + sd * normal()
  }

  /// A lognormal draw: `exp(mu + sigma · Z)` with Z standard normal.
  @inline(__always)
  mutating func lognormal(mu: Double, sigma: Double) -> Double {
    PortableMath.exp(mu + sigma * normal())
  }

  /// A gamma draw with the given shape and scale 1.
  ///
  /// Marsaglia & Tsang (2000) for shape ≥ 1; for 0 < shape < 1 the boost
  /// `gamma(shape + 1) · U^(1/shape)`. Shape 0 returns 0 without consuming a draw (the limit of
  /// the distribution). Requires a finite, non-negative shape. A loop of many draws passes
  /// `tables` loaded once (`PortableMath.Tables`).
  mutating func gamma(shape: Double, _ tables: PortableMath.Tables = .shared) -> Double {
    precondition(shape >= 0 && shape.isFinite, "gamma shape must be finite and non-negative")
    if shape == 0 { return 0 }
    if shape < 1 {
      let g = gamma(shape: shape + 1, tables)
      return g * PortableMath.pow(uniformPositive(), 1 / shape, tables)
    }
    let d = shape - 1.0 / 3.0
    let c = 1 / (9 * d).squareRoot()
    while true {
      let x = normal(tables)
      var v = 1 + c * x
      if v <= 0 { continue }
      v = v * v * v
      let u = uniformPositive()
      let x2 = x * x
      if u < 1 - 0.0331 * x2 * x2 { return d * v }
      if PortableMath.log(u, tables) < 0.5 * x2 + d * (1 - v + PortableMath.log(v, tables)) {
        return d * v
      }
    }
  }

  /// A Beta(a, b) draw, as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
  ///
  /// If both gammas underflow to 0 (only for tiny shapes), one more uniform returns 1 with
  /// probability a / (a + b) and 0 otherwise, the limit of the distribution. Requires a, b > 0.
  mutating func beta(_ a: Double, _ b: Double, _ tables: PortableMath.Tables = .shared) -> Double {
    precondition(a > 0 && b > 0, "beta shapes must be positive")
    let x = gamma(shape: a, tables)
    let y = gamma(shape: b, tables)
    let s = x + y
    if s > 0 { return x / s }
    return uniform() < a / (a + b) ? 1 : 0
  }

  /// A Dirichlet(alpha) draw written into `output` (same count as `alpha`), without allocating.
  ///
  /// Component k is G_k / ΣG with G_k ~ Gamma(alpha_k), drawn in order k = 0, 1, .... If every
  /// gamma underflows to 0 (only for tiny alphas), one more uniform picks a single component
  /// with probability alpha_k / Σalpha and sets it to 1. Requires non-negative alphas with a
  /// positive sum.
  mutating func dirichlet(
    alpha: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>,
    _ tables: PortableMath.Tables = .shared
  ) {
    precondition(alpha.count == output.count, "dirichlet output must match alpha")
    var total = 0.0
    for k in 0..<alpha.count {
      let g = gamma(shape: alpha[k], tables)
      output[k] = g
      total += g
    }
    if total > 0 {
      let inverse = 1 / total
      for k in 0..<output.count { output[k] *= inverse }
      return
    }
    var alphaSum = 0.0
    for k in 0..<alpha.count { alphaSum += alpha[k] }
    precondition(alphaSum > 0, "dirichlet needs a positive alpha")
    let target = uniform() * alphaSum
    var chosen = -1
    var cumulative = 0.0
    for k in 0..<alpha.count {
      output[k] = 0
      if chosen < 0 && alpha[k] > 0 {
        cumulative += alpha[k]
        if target < cumulative { chosen = k }
      }
    }
    if chosen < 0 {
      // Rounding left target at or above the running sum: take the last positive alpha.
      chosen = alpha.lastIndex(where: { $0 > 0 }) ?? 0
    }
    output[chosen] = 1
  }

  /// A Dirichlet(alpha) draw written into `output`, which must have `alpha.count` elements.
  mutating func dirichlet(alpha: [Double], into output: UnsafeMutableBufferPointer<Double>) {
    alpha.withUnsafeBufferPointer { a in dirichlet(alpha: a, into: output) }
  }

  /// A Dirichlet(alpha) draw as a new array (allocates; see the buffer versions for hot loops).
  mutating func dirichlet(alpha: [Double]) -> [Double] {
    var result = [Double](repeating: 0, count: alpha.count)
    result.withUnsafeMutableBufferPointer { out in dirichlet(alpha: alpha, into: out) }
    return result
  }

  // MARK: Poisson

  /// A Poisson draw with the given mean (exact).
  ///
  /// Mean 0 returns 0 without consuming a draw. Means below 10 use inversion by sequential
  /// search from one uniform (`poissonInversion`); means from 10 on use Hörmann's transformed
  /// rejection with squeeze, PTRS (1993), which takes two uniforms per attempt and is exact for
  /// any mean. Requires a finite, non-negative mean.
  mutating func poisson(mean: Double) -> Int {
    precondition(mean >= 0 && mean.isFinite, "poisson mean must be finite and non-negative")
    if mean == 0 { return 0 }
    if mean < 10 { return RandomStream.poissonInversion(mean: mean, u: uniform()) }
    return poissonPTRS(mean: mean)
  }

  /// The Poisson(mean) quantile of `u` in [0, 1), by sequential search from 0.
  ///
  /// Allocation-free, for hot loops with small means (the work grows with the mean; exp(-mean)
  /// must not underflow, so the mean must be below about 700). Returns the smallest k with
  /// u < P(X ≤ k); if rounding stops the cumulative sum short of u, the last k reached.
  ///
  /// `LeadCountRule` keeps these cumulative sums for a whole tick's lead counts.
  @inline(__always)
  static func poissonInversion(mean: Double, u: Double) -> Int {
    assert(mean >= 0 && mean < 700, "poissonInversion is for small means")
    var k = 0
    var p = PortableMath.exp(-mean)
    var cumulative = p
    while u >= cumulative {
      k += 1
      p *= mean / Double(k)
      let next = cumulative + p
      if next == cumulative { break }
      cumulative = next
    }
    return k
  }

  /// Hörmann's PTRS for a mean of at least 10.
  private mutating func poissonPTRS(mean lambda: Double) -> Int {
    let sqrtLambda = lambda.squareRoot()
    let logLambda = PortableMath.log(lambda)
    let b = 0.931 + 2.53 * sqrtLambda
    let a = -0.059 + 0.02483 * b
    let logInvAlpha = PortableMath.log(1.1239 + 1.1328 / (b - 3.4))
    let vr = 0.9277 - 3.6224 / (b - 2)
    while true {
      let u = uniform() - 0.5
      let v = uniform()
      let us = 0.5 - abs(u)
      let kd = ((2 * a / us + b) * u + lambda + 0.43).rounded(.down)
      // Also rejects -inf (us == 0) and values too large to be a plausible count.
      guard kd >= 0, kd < 0x1p62 else { continue }
      if us >= 0.07 && v <= vr { return Int(kd) }
      if us < 0.013 && v > us { continue }
      let lhs = PortableMath.log(v) + logInvAlpha - PortableMath.log(a / (us * us) + b)
      let rhs = -lambda + kd * logLambda - PortableMath.logFactorial(kd)
      if lhs <= rhs { return Int(kd) }
    }
  }
}
