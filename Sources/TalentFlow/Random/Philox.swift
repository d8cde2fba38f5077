/// The key of the Philox4x32-10 generator, derived from a run's seed (MODEL 7).
///
/// Two 32-bit words. `init(seed:)` passes the seed through one step of SplitMix64 before
/// splitting it, so that nearby seeds (1, 2, 3, ...) give unrelated keys.
struct PhiloxKey: Sendable, Hashable {
  /// First key word.
  var k0: UInt32
  /// Second key word.
  var k1: UInt32

  /// A key given word by word (as in the Random123 known-answer tests).
  init(k0: UInt32, k1: UInt32) {
    self.k0 = k0
    self.k1 = k1
  }

  /// The key of a run with the given seed.
  ///
  /// The seed is mixed by one step of SplitMix64 (Steele, Lea & Flood 2014): the state is
  /// `seed + 0x9E3779B97F4A7C15` and the output is its finaliser (the first value a SplitMix64
  /// generator seeded with `seed` would return). `k0` is the low 32 bits of that output and
  /// `k1` the high 32 bits. The finaliser is a bijection on 64-bit words, so distinct seeds
  /// give distinct keys, and a change of one bit in the seed changes about half of the key.
  init(seed: UInt64) {
    var z = seed &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    self.k0 = UInt32(truncatingIfNeeded: z)
    self.k1 = UInt32(truncatingIfNeeded: z >> 32)
  }
}

/// The Philox4x32-10 counter-based generator (Salmon, Moraes, Dror & Shaw 2011; MODEL 7).
///
/// Bit-for-bit the `philox4x32` of Random123 with ten rounds: a pure function from a 128-bit
/// counter and a 64-bit key to 128 random bits. It keeps no state; every draw in the model is
/// addressed by its counter (see `RandomStream`).
enum Philox4x32 {
  /// Multiplier of counter word 0.
  static let multiplier0: UInt32 = 0xD251_1F53
  /// Multiplier of counter word 2.
  static let multiplier1: UInt32 = 0xCD9E_8D57
  /// Weyl increment of key word 0 between rounds (golden ratio).
  static let weyl0: UInt32 = 0x9E37_79B9
  /// Weyl increment of key word 1 between rounds (sqrt(3) - 1).
  static let weyl1: UInt32 = 0xBB67_AE85

  /// The ten-round Philox4x32 bijection of counter `c` under `key`.
  ///
  /// Words are in Random123 order: `c.x` is `ctr.v[0]`, and the result's `x` is `out.v[0]`.
  @inline(__always)
  static func block(_ c: SIMD4<UInt32>, key: PhiloxKey) -> SIMD4<UInt32> {
    let b = block(c.x, c.y, c.z, c.w, key: key)
    return SIMD4(b.0, b.1, b.2, b.3)
  }

  /// The ten-round bijection on four counter words given one by one: `block`'s arithmetic,
  /// for loops over many counters (`PhiloxBatch`) that the compiler vectorises.
  @inline(__always)
  static func block(
    _ c0: UInt32, _ c1: UInt32, _ c2: UInt32, _ c3: UInt32, key: PhiloxKey
  ) -> (UInt32, UInt32, UInt32, UInt32) {
    var c0 = c0
    var c1 = c1
    var c2 = c2
    var c3 = c3
    var k0 = key.k0
    var k1 = key.k1
    round(&c0, &c1, &c2, &c3, k0, k1)  // 1
    bump(&k0, &k1)
    round(&c0, &c1, &c2, &c3, k0, k1)  // 2
    bump(&k0, &k1)
    round(&c0, &c1, &c2, &c3, k0, k1)  // 3
    bump(&k0, &k1)
    round(&c0, &c1, &c2, &c3, k0, k1)  // 4
    bump(&k0, &k1)
    round(&c0, &c1, &c2, &c3, k0, k1)  // 5
    bump(&k0, &k1)
    round(&c0, &c1, &c2, &c3, k0, k1)  // 6
    bump(&k0, &k1)
    round(&c0, &c1, &c2, &c3, k0, k1)  // 7
    bump(&k0, &k1)
    round(&c0, &c1, &c2, &c3, k0, k1)  // 8
    bump(&k0, &k1)
    round(&c0, &c1, &c2, &c3, k0, k1)  // 9
    bump(&k0, &k1)
    round(&c0, &c1, &c2, &c3, k0, k1)  // 10
    return (c0, c1, c2, c3)
  }

  /// One Philox S-box round: two 32x32→64 multiplications, then a word permutation.
  @inline(__always)
  private static func round(
    _ c0: inout UInt32, _ c1: inout UInt32, _ c2: inout UInt32, _ c3: inout UInt32,
    _ k0: UInt32, _ k1: UInt32
  ) {
    let p0 = UInt64(multiplier0) &* UInt64(c0)
    let p1 = UInt64(multiplier1) &* UInt64(c2)
    let hi0 = UInt32(truncatingIfNeeded: p0 >> 32)
    let lo0 = UInt32(truncatingIfNeeded: p0)
    let hi1 = UInt32(truncatingIfNeeded: p1 >> 32)
    let lo1 = UInt32(truncatingIfNeeded: p1)
    let n0 = hi1 ^ c1 ^ k0
    let n2 = hi0 ^ c3 ^ k1
    c0 = n0
    c1 = lo1
    c2 = n2
    c3 = lo0
  }

  /// Advances the round key by the Weyl increments.
  @inline(__always)
  private static func bump(_ k0: inout UInt32, _ k1: inout UInt32) {
    k0 &+= weyl0
    k1 &+= weyl1
  }
}
