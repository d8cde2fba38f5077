/// SplitMix64: a tiny seeded generator for fuzz cases, the same on every platform and release.
///
/// The fuzzer draws only from this, never from the system generator or the standard library's
/// `random(in:)`, so a seed and a case number name one input forever.
struct FuzzRandom {
  private var state: UInt64

  /// The generator of case `number` of the fuzz run with `seed`.
  init(seed: UInt64, number: Int) {
    state = seed ^ (UInt64(truncatingIfNeeded: number) &* 0xD1B5_4A32_D192_ED03)
    _ = next()
  }

  /// The next 64 random bits.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A whole number in `0 ..< n` (`n` > 0), by the multiply-high method.
  mutating func below(_ n: Int) -> Int {
    precondition(n > 0, "FuzzRandom.below needs a positive bound")
    return Int(next().multipliedFullWidth(by: UInt64(n)).high)
  }

  /// A whole number in `range`.
  mutating func int(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + below(range.upperBound - range.lowerBound + 1)
  }

  /// A number in [0, 1) with 53 random bits.
  mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// True with probability `p`.
  mutating func chance(_ p: Double) -> Bool { unit() < p }

  /// One of `items` (not empty), each equally likely.
  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

  /// One of `items`, each as likely as its weight.
  mutating func weighted<T>(_ items: [(weight: Int, item: T)]) -> T {
    var left = below(items.reduce(0) { $0 + $1.weight })
    for entry in items {
      if left < entry.weight { return entry.item }
      left -= entry.weight
    }
    return items[items.count - 1].item
  }
}
