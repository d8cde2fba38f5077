/// SplitMix64 (the tests' `SeededGenerator`) for fuzz cases, the same on every platform and release.
///
/// The fuzzer draws only from this, never from the system generator or the standard library's
/// `random(in:)`, so a seed and a case number name one input forever.
struct FuzzRandom {
  private var bits: SeededGenerator

  /// The generator of case `number` of the fuzz run with `seed`.
  init(seed: UInt64, number: Int) {
    let mixed = UInt64(truncatingIfNeeded: number) &* 0xD1B5_4A32_D192_ED03
    bits = SeededGenerator(seed: seed ^ mixed)
    _ = next()
  }

  /// The next 64 random bits.
  mutating func next() -> UInt64 { bits.next() }

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
