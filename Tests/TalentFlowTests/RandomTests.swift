import Foundation
import Testing

@testable import TalentFlow

// Tests of the random numbers (MODEL 7): Philox known answers, stream addressing, and the
// first two moments of every distribution against their known values. Every statistical
// check uses a fixed key, so it is deterministic; tolerances are several standard errors, so a
// wrong formula fails while a correct one passes.

/// Sample moments of a set of draws (two-pass, so large means lose no precision).
private struct Moments {
  let count: Int
  let mean: Double
  /// Sample variance (divisor n - 1).
  let variance: Double
  /// Fourth central moment, for the standard error of the variance.
  let fourth: Double

  init(_ xs: [Double]) {
    count = xs.count
    let n = Double(xs.count)
    mean = xs.reduce(0, +) / n
    var m2 = 0.0
    var m4 = 0.0
    for x in xs {
      let d = x - mean
      let d2 = d * d
      m2 += d2
      m4 += d2 * d2
    }
    variance = m2 / (n - 1)
    fourth = m4 / n
  }

  /// Whether the mean is within `z` standard errors of `expected`, given the true variance.
  func meanMatches(_ expected: Double, variance trueVariance: Double, z: Double = 5) -> Bool {
    abs(mean - expected) <= z * (trueVariance / Double(count)).squareRoot()
  }

  /// Whether the variance is within `z` standard errors of `expected`.
  ///
  /// The standard error of the sample variance is sqrt((m4 - σ^4) / n), with m4 and σ^2
  /// estimated from the sample.
  func varianceMatches(_ expected: Double, z: Double = 5) -> Bool {
    let se = (max(fourth - variance * variance, 0) / Double(count)).squareRoot()
    return abs(variance - expected) <= z * se
  }
}

/// A fixed key for the statistical tests.
private let testKey = PhiloxKey(seed: 20_240_601)

/// A stream for the statistical tests; `purpose` separates the cases.
private func testStream(_ purpose: UInt32) -> RandomStream {
  RandomStream(key: testKey, purpose: purpose, entity: 7, tick: 3)
}

/// Draws `n` values from a fresh test stream.
private func draws(
  _ n: Int, purpose: UInt32, _ draw: (inout RandomStream) -> Double
) -> [Double] {
  var stream = testStream(purpose)
  var xs: [Double] = []
  xs.reserveCapacity(n)
  for _ in 0..<n { xs.append(draw(&stream)) }
  return xs
}

/// Draws per statistical case.
private let sampleSize = 200_000

// MARK: Philox

/// A Random123 known-answer vector for Philox4x32-10.
struct PhiloxVector: Sendable, CustomTestStringConvertible {
  let counter: SIMD4<UInt32>
  let key: PhiloxKey
  let expected: SIMD4<UInt32>
  var testDescription: String { "counter \(counter.x)…, key \(key.k0)" }
}

@Test(
  "Philox4x32-10 matches the Random123 known answers",
  arguments: [
    PhiloxVector(
      counter: SIMD4(0, 0, 0, 0), key: PhiloxKey(k0: 0, k1: 0),
      expected: SIMD4(0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8)),
    PhiloxVector(
      counter: SIMD4(repeating: 0xffff_ffff), key: PhiloxKey(k0: 0xffff_ffff, k1: 0xffff_ffff),
      expected: SIMD4(0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd)),
    PhiloxVector(
      counter: SIMD4(0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344),
      key: PhiloxKey(k0: 0xa409_3822, k1: 0x299f_31d0),
      expected: SIMD4(0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1)),
  ])
func philoxKnownAnswers(_ v: PhiloxVector) {
  #expect(Philox4x32.block(v.counter, key: v.key) == v.expected)
}

@Test("A seed's key is one SplitMix64 step, and nearby seeds give unrelated keys")
func keyFromSeed() {
  // The first output of SplitMix64 from state 0 is 0xE220A8397B1DCDAF.
  let k = PhiloxKey(seed: 0)
  #expect(k.k0 == 0x7B1D_CDAF)
  #expect(k.k1 == 0xE220_A839)
  let a = PhiloxKey(seed: 1)
  let b = PhiloxKey(seed: 2)
  #expect(a != b)
  // About half of the 64 key bits differ between neighbouring seeds.
  let flipped = (a.k0 ^ b.k0).nonzeroBitCount + (a.k1 ^ b.k1).nonzeroBitCount
  #expect(flipped > 16 && flipped < 48)
}

// MARK: Stream addressing

@Test("A stream's counter is (entity, tick, purpose, draw number), two 64-bit values a block")
func streamCounterLayout() {
  let key = PhiloxKey(seed: 99)
  var s = RandomStream(key: key, purpose: 5, entity: 1234, tick: -2)
  for d: UInt32 in 0..<3 {
    let b = Philox4x32.block(SIMD4(1234, UInt32(bitPattern: -2), 5, d), key: key)
    let first = s.nextUInt64()
    let second = s.nextUInt64()
    #expect(first == UInt64(b.x) | UInt64(b.y) << 32)
    #expect(second == UInt64(b.z) | UInt64(b.w) << 32)
    #expect(s.drawNumber == d + 1)
  }
}

@Test("The same address gives the same draws; any other address gives others")
func streamReproducibility() {
  let key = PhiloxKey(seed: 1)
  func sequence(_ s: RandomStream) -> [UInt64] {
    var s = s
    return (0..<16).map { _ in s.nextUInt64() }
  }
  let base = sequence(RandomStream(key: key, purpose: 2, entity: 3, tick: 4))
  #expect(base == sequence(RandomStream(key: key, purpose: 2, entity: 3, tick: 4)))
  #expect(Set(base).count == base.count)
  let others = [
    RandomStream(key: key, purpose: 2, entity: 4, tick: 4),
    RandomStream(key: key, purpose: 3, entity: 3, tick: 4),
    RandomStream(key: key, purpose: 2, entity: 3, tick: 5),
    RandomStream(key: PhiloxKey(seed: 2), purpose: 2, entity: 3, tick: 4),
  ]
  for other in others {
    let seq = sequence(other)
    #expect(Set(seq).isDisjoint(with: base))
  }
  // Derived draws are reproducible too.
  var a = RandomStream(key: key, purpose: 9, entity: 0, tick: 0)
  var b = RandomStream(key: key, purpose: 9, entity: 0, tick: 0)
  for _ in 0..<50 {
    let (ga, gb) = (a.gamma(shape: 0.7), b.gamma(shape: 0.7))
    let (pa, pb) = (a.poisson(mean: 42), b.poisson(mean: 42))
    #expect(ga == gb)
    #expect(pa == pb)
  }
}

@Test("Uniforms are the top 53 bits and stay in range")
func uniformBits() {
  #expect(RandomStream.uniform(fromBits: 0) == 0)
  #expect(RandomStream.uniform(fromBits: .max) == 1 - 0x1p-53)
  #expect(RandomStream.uniform(fromBits: 1 << 11) == 0x1p-53)
  #expect(RandomStream.uniform(fromBits: (1 << 11) - 1) == 0)
  #expect(RandomStream.uniformPositive(fromBits: 0) == 0x1p-53)
  #expect(RandomStream.uniformPositive(fromBits: .max) == 1 - 0x1p-53)
  #expect(RandomStream.uniformPositive(fromBits: 1 << 63) == 0.5 + 0x1p-53)
  var s = testStream(1)
  for _ in 0..<10_000 {
    let u = s.uniform()
    #expect(u >= 0 && u < 1)
    let v = s.uniformPositive()
    #expect(v > 0 && v < 1)
  }
}

// MARK: Moments of the continuous distributions

/// A distribution with its known mean and variance.
struct MomentCase: Sendable, CustomTestStringConvertible {
  let name: String
  let mean: Double
  let variance: Double
  let draw: @Sendable (inout RandomStream) -> Double
  var testDescription: String { name }
}

private func gammaCase(_ k: Double) -> MomentCase {
  MomentCase(name: "gamma(\(k))", mean: k, variance: k) { $0.gamma(shape: k) }
}

private func betaCase(_ a: Double, _ b: Double) -> MomentCase {
  let s = a + b
  return MomentCase(
    name: "beta(\(a), \(b))", mean: a / s, variance: a * b / (s * s * (s + 1))
  ) { $0.beta(a, b) }
}

private func lognormalCase(_ mu: Double, _ sigma: Double) -> MomentCase {
  let s2 = sigma * sigma
  return MomentCase(
    name: "lognormal(\(mu), \(sigma))", mean: exp(mu + s2 / 2),
    variance: (exp(s2) - 1) * exp(2 * mu + s2)
  ) { $0.lognormal(mu: mu, sigma: sigma) }
}

private let momentCases: [MomentCase] = [
  MomentCase(name: "uniform", mean: 0.5, variance: 1.0 / 12) { $0.uniform() },
  MomentCase(name: "uniformPositive", mean: 0.5, variance: 1.0 / 12) { $0.uniformPositive() },
  MomentCase(name: "normal", mean: 0, variance: 1) { $0.normal() },
  MomentCase(name: "normal(3, 2)", mean: 3, variance: 4) { $0.normal(mean: 3, sd: 2) },
  lognormalCase(0.5, 0.4),
  gammaCase(0.5),
  gammaCase(2),
  gammaCase(9.5),
  betaCase(2, 3),
  betaCase(2, 5),
  MomentCase(name: "bernoulli(0.3)", mean: 0.3, variance: 0.21) { $0.bernoulli(0.3) ? 1 : 0 },
  MomentCase(name: "index(below: 7)", mean: 3, variance: 4) { Double($0.index(below: 7)) },
]

@Test("Sample mean and variance match the distribution", arguments: momentCases.indices)
func distributionMoments(_ i: Int) {
  let c = momentCases[i]
  let m = Moments(draws(sampleSize, purpose: 100 + UInt32(i), c.draw))
  #expect(m.meanMatches(c.mean, variance: c.variance), "\(c.name): mean \(m.mean)")
  #expect(m.varianceMatches(c.variance), "\(c.name): variance \(m.variance)")
}

@Test("Normals have the right shape, not just the right moments")
func normalShape() {
  let xs = draws(sampleSize, purpose: 11) { $0.normal() }
  let inside = Double(xs.filter { abs($0) < 1 }.count) / Double(xs.count)
  let p = 0.682_689_492_137_085_9
  #expect(abs(inside - p) <= 5 * (p * (1 - p) / Double(xs.count)).squareRoot())
}

@Test("Bernoulli and index(below:) at their edges")
func bernoulliAndIndexEdges() {
  var s = testStream(12)
  for _ in 0..<1_000 {
    let never = s.bernoulli(0)
    let always = s.bernoulli(1)
    let only = s.index(below: 1)
    #expect(!never)
    #expect(always)
    #expect(only == 0)
    let i = s.index(below: 3)
    #expect(i >= 0 && i < 3)
  }
  // Each of seven values is equally likely.
  let n = 70_000
  var counts = [Int](repeating: 0, count: 7)
  for _ in 0..<n { counts[s.index(below: 7)] += 1 }
  let expected = Double(n) / 7
  let se = (Double(n) * (1.0 / 7) * (6.0 / 7)).squareRoot()
  for c in counts { #expect(abs(Double(c) - expected) <= 5 * se) }
}

// MARK: Dirichlet

@Test("Dirichlet components have means α_k/α0 and variances α_k(α0−α_k)/(α0²(α0+1))")
func dirichletMoments() {
  let alpha = [0.3, 1.0, 2.5, 6.2]
  let a0 = alpha.reduce(0, +)
  let n = sampleSize / 4
  var s = testStream(13)
  var columns = [[Double]](repeating: [], count: alpha.count)
  var out = [Double](repeating: -1, count: alpha.count)
  for _ in 0..<n {
    out.withUnsafeMutableBufferPointer { s.dirichlet(alpha: alpha, into: $0) }
    #expect(abs(out.reduce(0, +) - 1) < 1e-12)
    for k in alpha.indices {
      #expect(out[k] >= 0)
      columns[k].append(out[k])
    }
  }
  for k in alpha.indices {
    let mean = alpha[k] / a0
    let variance = alpha[k] * (a0 - alpha[k]) / (a0 * a0 * (a0 + 1))
    let m = Moments(columns[k])
    #expect(m.meanMatches(mean, variance: variance), "component \(k): mean \(m.mean)")
    #expect(m.varianceMatches(variance), "component \(k): variance \(m.variance)")
  }
  // The array version gives the same draws as the buffer version.
  var a = testStream(14)
  var b = testStream(14)
  for _ in 0..<100 {
    out.withUnsafeMutableBufferPointer { b.dirichlet(alpha: alpha, into: $0) }
    let fromArray = a.dirichlet(alpha: alpha)
    #expect(fromArray == out)
  }
}

// MARK: Poisson

@Test(
  "Poisson draws have mean and variance equal to the mean",
  arguments: [0.25, 3, 9.99, 10, 37.5, 50_000])
func poissonMoments(_ lambda: Double) {
  let m = Moments(draws(sampleSize, purpose: 200) { Double($0.poisson(mean: lambda)) })
  #expect(m.meanMatches(lambda, variance: lambda), "mean \(m.mean)")
  #expect(m.varianceMatches(lambda), "variance \(m.variance)")
}

@Test("Poisson frequencies match the probability mass function", arguments: [3, 37.5])
func poissonMass(_ lambda: Double) {
  let n = sampleSize / 2
  var s = testStream(201)
  var counts: [Int: Int] = [:]
  for _ in 0..<n { counts[s.poisson(mean: lambda), default: 0] += 1 }
  let sd = lambda.squareRoot()
  let low = max(0, Int(lambda - 3 * sd))
  let high = Int(lambda + 3 * sd)
  for k in low...high {
    let p = exp(-lambda + Double(k) * log(lambda) - lgamma(Double(k) + 1))
    let observed = Double(counts[k, default: 0]) / Double(n)
    #expect(abs(observed - p) <= 5 * (p * (1 - p) / Double(n)).squareRoot(), "P(\(k))")
  }
}

@Test("Poisson edge cases: mean 0, inversion quantiles, huge means")
func poissonEdges() {
  var s = testStream(202)
  let zero = s.poisson(mean: 0)
  #expect(zero == 0)
  #expect(s.drawNumber == 0)
  #expect(RandomStream.poissonInversion(mean: 2, u: 0) == 0)
  // P(X = 0) = e^-2 ≈ 0.13534, P(X ≤ 1) = 3e^-2 ≈ 0.40601, P(X ≤ 2) = 5e^-2 ≈ 0.67668.
  #expect(RandomStream.poissonInversion(mean: 2, u: 0.1353) == 0)
  #expect(RandomStream.poissonInversion(mean: 2, u: 0.1354) == 1)
  #expect(RandomStream.poissonInversion(mean: 2, u: 0.4060) == 1)
  #expect(RandomStream.poissonInversion(mean: 2, u: 0.4061) == 2)
  #expect(RandomStream.poissonInversion(mean: 2, u: 0.6766) == 2)
  #expect(RandomStream.poissonInversion(mean: 2, u: 0.6767) == 3)
  #expect(RandomStream.poissonInversion(mean: 0.25, u: 1 - 0x1p-53) >= 5)
  // A mean of a million: 2,000 draws, mean within 5 standard errors.
  let lambda = 1e6
  var total = 0.0
  for _ in 0..<2_000 { total += Double(s.poisson(mean: lambda)) }
  #expect(abs(total / 2_000 - lambda) <= 5 * (lambda / 2_000).squareRoot())
}

// MARK: Alias table

@Test("Alias table frequencies follow the weights; zero weights are never drawn")
func aliasFrequencies() {
  let weights: [Double] = [3, 0, 1, 6, 0, 2.5, 0.5, 0]
  let table = AliasTable(weights: weights)
  let total = weights.reduce(0, +)
  #expect(table.count == weights.count)
  #expect(!table.isEmpty)
  for (i, w) in weights.enumerated() {
    #expect(abs(table.probability(of: i) - w / total) < 1e-12)
  }
  let n = sampleSize
  var s = testStream(300)
  var counts = [Int](repeating: 0, count: weights.count)
  for _ in 0..<n { counts[table.sample(s.uniform())] += 1 }
  for (i, w) in weights.enumerated() {
    let p = w / total
    if w == 0 {
      #expect(counts[i] == 0, "zero weight \(i) drawn")
    } else {
      let se = (Double(n) * p * (1 - p)).squareRoot()
      #expect(abs(Double(counts[i]) - Double(n) * p) <= 5 * se, "index \(i)")
    }
  }
}

@Test("Alias tables are deterministic and exact for many integer weights")
func aliasDeterministicAndExact() {
  var s = testStream(301)
  // Vacancy-like counts, half of them zero.
  let weights = (0..<1_000).map { _ in s.bernoulli(0.5) ? 0 : Double(s.index(below: 40)) }
  let total = weights.reduce(0, +)
  let t1 = AliasTable(weights: weights)
  let t2 = AliasTable(weights: weights)
  for (i, w) in weights.enumerated() {
    let p = t1.probability(of: i)
    #expect(abs(p - w / total) < 1e-12)
    #expect(p == t2.probability(of: i))
    if w == 0 { #expect(p == 0) }
  }
  // The same uniform gives the same index, and even the edge uniforms avoid zero weights.
  let edges = [0, 0x1p-53, 0.5, 1 - 0x1p-53]
  for u in edges + (0..<2_000).map({ _ in s.uniform() }) {
    let i = t1.sample(u)
    #expect(i == t2.sample(u))
    #expect(weights[i] > 0)
  }
}

@Test("Empty alias tables and a single weight")
func aliasEdges() {
  #expect(AliasTable(weights: []).isEmpty)
  #expect(AliasTable(weights: [0, 0, 0]).isEmpty)
  #expect(AliasTable(weights: [0, 0, 0]).count == 3)
  let one = AliasTable(weights: [0, 0, 4, 0])
  #expect(!one.isEmpty)
  for u in [0, 0.1, 0.26, 0.5, 0.74, 0.99, 1 - 0x1p-53] { #expect(one.sample(u) == 2) }
}
