/// Philox4x32-10 blocks of many counters at once, in struct-of-arrays form (issue 16).
///
/// The counters of a batch differ only in word 0 (the entity): `(entity[i], tick, purpose,
/// draw)`. `compute` runs the ten rounds over all of them in one plain loop with no call per
/// element, so the compiler vectorises the two 32×32→64 multiplications of each round across
/// counters (what counter-based generators were designed for; Salmon et al. 2011). Each
/// block is the pure function `Philox4x32.block` of its counter, so a result never depends on
/// the batch size nor on how batches are cut.
struct PhiloxBatch {
  /// Counters per batch unless a caller asks for another size: a few cache lines per word
  /// array, enough for the vector loop to run at full width.
  static let defaultSize = 64

  /// How many counters the arrays hold.
  let capacity: Int
  /// Counter word 0 of each block; callers fill `entity[0..<count]` before `compute`.
  var entity: [UInt32]
  /// Output words, Random123 order: `x[i]` is `out.v[0]` of counter i.
  private(set) var x: [UInt32]
  private(set) var y: [UInt32]
  private(set) var z: [UInt32]
  private(set) var w: [UInt32]

  /// Empty arrays of `capacity` counters (allocates once; reuse the batch in loops).
  init(capacity: Int = PhiloxBatch.defaultSize) {
    precondition(capacity > 0, "a batch holds at least one counter")
    self.capacity = capacity
    entity = [UInt32](repeating: 0, count: capacity)
    x = entity
    y = entity
    z = entity
    w = entity
  }

  /// Computes the blocks of counters `(entity[i], tick, purpose, draw)` for i in `0..<count`.
  mutating func compute(count: Int, key: PhiloxKey, tick: Int32, purpose: UInt32, draw: UInt32) {
    precondition(count <= capacity, "more counters than the batch holds")
    let tickWord = UInt32(bitPattern: tick)
    entity.withUnsafeBufferPointer { entity in
      x.withUnsafeMutableBufferPointer { x in
        y.withUnsafeMutableBufferPointer { y in
          z.withUnsafeMutableBufferPointer { z in
            w.withUnsafeMutableBufferPointer { w in
              // The arrays hold `capacity` > 0 elements, so every base address exists.
              guard let e = entity.baseAddress, let xs = x.baseAddress, let ys = y.baseAddress,
                let zs = z.baseAddress, let ws = w.baseAddress
              else { return }
              PhiloxBatch.blocks(
                count: count, entity: e, tickWord: tickWord, purpose: purpose, draw: draw,
                key: key, x: xs, y: ys, z: zs, w: ws)
            }
          }
        }
      }
    }
  }

  /// The vector loop: one block per counter, written word by word.
  @inline(__always)
  private static func blocks(
    count: Int, entity: UnsafePointer<UInt32>, tickWord: UInt32, purpose: UInt32, draw: UInt32,
    key: PhiloxKey, x: UnsafeMutablePointer<UInt32>, y: UnsafeMutablePointer<UInt32>,
    z: UnsafeMutablePointer<UInt32>, w: UnsafeMutablePointer<UInt32>
  ) {
    for i in 0..<count {
      let b = Philox4x32.block(entity[i], tickWord, purpose, draw, key: key)
      x[i] = b.0
      y[i] = b.1
      z[i] = b.2
      w[i] = b.3
    }
  }

  /// A uniform double in (0, 1) from one 32-bit word: (word + 1/2) · 2^-32.
  ///
  /// Exact in a double, symmetric about 1/2, never 0 or 1. `u < p` holds with probability
  /// within 2^-33 of p for every p in [0, 1], which is what the decisions that use it need.
  @inline(__always)
  static func uniform(_ word: UInt32) -> Double {
    (Double(word) + 0.5) * 0x1p-32
  }

}
