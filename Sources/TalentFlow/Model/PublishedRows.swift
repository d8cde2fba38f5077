/// What every firm published this tick, copied so that each firm's eight values fill exactly
/// one cache line.
///
/// `Firms.published` holds them contiguously too, but an array's elements start 32 bytes into
/// its allocation, so each firm's 64 bytes straddle two cache lines, and the random reads of
/// search and updates (a professional's employer, her options) would miss twice. A derived
/// copy made once per tick after step 6 (when the values are final for the tick), never part
/// of the state; it costs one copy of the array.
final class PublishedRows: @unchecked Sendable {
  /// Firms covered.
  let count: Int
  private let storage: UnsafeMutableRawPointer
  private let values: UnsafeBufferPointer<Double>

  /// A copy of `firms.published`.
  init(_ firms: Firms) {
    let stride = Firms.publishedStride
    count = firms.count
    storage = UnsafeMutableRawPointer.allocate(
      byteCount: max(1, count * stride) * MemoryLayout<Double>.stride, alignment: 64)
    let doubles = storage.bindMemory(to: Double.self, capacity: count * stride)
    firms.published.withUnsafeBufferPointer { source in
      if let base = source.baseAddress { doubles.initialize(from: base, count: source.count) }
    }
    values = UnsafeBufferPointer(start: doubles, count: count * stride)
  }

  deinit { storage.deallocate() }

  /// Calls `body` with the values, `Firms.publishedStride` per firm, kept alive meanwhile.
  func withValues<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R {
    withExtendedLifetime(self) { body(values) }
  }
}
