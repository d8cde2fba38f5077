/// What every firm published this tick, copied so that each firm's eight values fill exactly
/// one cache line.
///
/// `Firms.published` holds them contiguously too, but an array's elements start 32 bytes into
/// its allocation, so each firm's 64 bytes straddle two cache lines, and the random reads of
/// search and updates (a professional's employer, her options) would miss twice. A derived
/// copy made once per tick after step 6 (when the values are final for the tick, but for the
/// startups founded in step 7, whose rows are appended to it), never part of the state; it
/// costs one copy of the array, into the memory of the last tick's copy while the firms fit in
/// it (`Simulation.publishedRows()`, `refill`).
final class PublishedRows: @unchecked Sendable {
  /// Firms covered.
  private(set) var count: Int
  /// Firms the allocation has room for.
  let capacity: Int
  private let storage: UnsafeMutableRawPointer
  private let doubles: UnsafeMutablePointer<Double>

  /// A copy of `firms.published`, made in parallel chunks of firms.
  ///
  /// It has room for an eighth more firms (at least 16), so the startups founded in step 7
  /// are added to it (`appendNewFirms`) rather than to a second copy. Not more: a copy larger
  /// than glibc's `mmap` threshold (256 KiB, `AllocatorTuning`) is mapped afresh every tick
  /// and its pages faulted in again, which room for all of `firms.published`'s capacity cost
  /// small runs (the medium sweep spent 3.2–4.1 s in the kernel instead of 0.1 s).
  init(_ firms: Firms, _ parallel: Parallel) {
    let stride = Firms.publishedStride
    let count = firms.count
    let capacity = count + PublishedRows.room(for: count)
    let storage = UnsafeMutableRawPointer.allocate(
      byteCount: capacity * stride * MemoryLayout<Double>.stride, alignment: 64)
    let doubles = storage.bindMemory(to: Double.self, capacity: capacity * stride)
    self.count = 0
    self.capacity = capacity
    self.storage = storage
    self.doubles = doubles
    copyRows(of: firms, upTo: count, parallel)
  }

  deinit { storage.deallocate() }

  /// Room for startups founded after a copy of `count` firms is made: an eighth more, at least 16.
  static func room(for count: Int) -> Int { max(16, count / 8) }

  /// Copies every firm's row afresh into this memory, for a new tick; false (nothing copied)
  /// if less than half the room a new copy would have is left for the tick's foundings.
  ///
  /// Without that margin a tick's founders would outgrow the memory during the tick, and the
  /// new copy made then would be in memory beside this one.
  func refill(_ firms: Firms, _ parallel: Parallel) -> Bool {
    guard firms.count + PublishedRows.room(for: firms.count) / 2 <= capacity else { return false }
    count = 0
    copyRows(of: firms, upTo: firms.count, parallel)
    return true
  }

  /// Copies the rows of the firms added since the copy was made; false if they do not fit.
  ///
  /// They are the startups founded in step 7, which publish at birth; no other firm's row
  /// changes after step 4. If they do not fit, nothing is copied: make a new copy then.
  func appendNewFirms(_ firms: Firms, _ parallel: Parallel) -> Bool {
    guard firms.count <= capacity else { return false }
    copyRows(of: firms, upTo: firms.count, parallel)
    return true
  }

  /// Copies the rows of firms `count..<end` and makes `end` the count.
  private func copyRows(of firms: Firms, upTo end: Int, _ parallel: Parallel) {
    let stride = Firms.publishedStride
    let first = count
    nonisolated(unsafe) let target = doubles
    firms.published.withUnsafeBufferPointer { sourceBuffer in
      nonisolated(unsafe) let source = sourceBuffer
      guard let base = source.baseAddress else { return }
      parallel.forEachChunk(count: end - first) { _, range, _ in
        let from = (first + range.lowerBound) * stride
        (target + from).initialize(from: base + from, count: range.count * stride)
      }
    }
    count = end
  }

  /// Calls `body` with the values, `Firms.publishedStride` per firm, kept alive meanwhile.
  func withValues<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R {
    withExtendedLifetime(self) {
      body(UnsafeBufferPointer(start: doubles, count: count * Firms.publishedStride))
    }
  }
}
