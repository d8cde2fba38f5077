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

  /// A copy of `firms.published`, made in parallel chunks of firms.
  init(_ firms: Firms, _ parallel: Parallel) {
    let stride = Firms.publishedStride
    let count = firms.count
    let storage = UnsafeMutableRawPointer.allocate(
      byteCount: max(1, count * stride) * MemoryLayout<Double>.stride, alignment: 64)
    nonisolated(unsafe) let doubles = storage.bindMemory(to: Double.self, capacity: count * stride)
    firms.published.withUnsafeBufferPointer { sourceBuffer in
      nonisolated(unsafe) let source = sourceBuffer
      guard let base = source.baseAddress else { return }
      parallel.forEachChunk(count: count) { _, range, _ in
        (doubles + range.lowerBound * stride).initialize(
          from: base + range.lowerBound * stride, count: range.count * stride)
      }
    }
    self.count = count
    self.storage = storage
    values = UnsafeBufferPointer(start: doubles, count: count * stride)
  }

  deinit { storage.deallocate() }

  /// Calls `body` with the values, `Firms.publishedStride` per firm, kept alive meanwhile.
  func withValues<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R {
    withExtendedLifetime(self) { body(values) }
  }
}
