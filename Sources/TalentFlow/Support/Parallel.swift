import Dispatch
import Synchronization

/// Runs loops over professionals on a fixed number of threads, in fixed-size chunks.
///
/// Chunks are cut at multiples of `chunkSize` whatever the thread count, and per-chunk results are
/// combined in chunk order, so a result never depends on how many threads ran it (MODEL 7).
public struct Parallel: Sendable {
  /// Professionals per chunk.
  ///
  /// Fixed: changing it may change floating-point sums.
  public static let chunkSize = 8192

  /// Threads used; 1 runs everything on the calling thread.
  public let threads: Int

  public init(threads: Int) {
    self.threads = max(1, threads)
  }

  /// Number of chunks that cover `count` items.
  public static func chunkCount(_ count: Int) -> Int {
    (count + chunkSize - 1) / chunkSize
  }

  /// Calls `body(chunk, range, worker)` for every chunk of `0..<count`, on up to `threads` threads.
  ///
  /// `worker` is in `0..<threads` and is unique among concurrently running calls, so a body may
  /// accumulate into per-worker storage — but only with order-free (integer) arithmetic.
  ///
  /// `chunkSize` may be smaller than `Parallel.chunkSize` only for loops whose results cannot
  /// depend on where chunks are cut: each item written from its own draws into its own slot,
  /// with no sum over items (a tick's few entrants, say, which would otherwise fit in one
  /// chunk and run on one thread).
  public func forEachChunk(
    count: Int, chunkSize: Int = Parallel.chunkSize,
    _ body: (_ chunk: Int, _ range: Range<Int>, _ worker: Int) -> Void
  ) {
    precondition(chunkSize > 0, "chunks must hold at least one item")
    let chunks = (count + chunkSize - 1) / chunkSize
    if chunks <= 0 { return }
    let workers = min(threads, chunks)
    if workers == 1 {
      for c in 0..<chunks {
        body(c, c * chunkSize..<min(count, (c + 1) * chunkSize), 0)
      }
      return
    }
    withoutActuallyEscaping(body) { body in
      // The body only touches disjoint chunks or per-worker storage; see the doc comment.
      let shared = UncheckedSendable(body)
      let next = Atomic<Int>(0)
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        while true {
          let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
          if c >= chunks { break }
          shared.value(c, c * chunkSize..<min(count, (c + 1) * chunkSize), worker)
        }
      }
    }
  }

  /// Maps every chunk to a value and returns the values in chunk order.
  public func mapChunks<T>(count: Int, _ body: (_ range: Range<Int>) -> T) -> [T] {
    mapChunksByWorker(count: count) { range, _ in body(range) }
  }

  /// Maps every chunk to a value, as `mapChunks`, also telling the body its worker, as
  /// `forEachChunk` does (for per-worker storage, with order-free arithmetic only).
  public func mapChunksByWorker<T>(
    count: Int, _ body: (_ range: Range<Int>, _ worker: Int) -> T
  ) -> [T] {
    let chunks = Parallel.chunkCount(count)
    var results = [T?](repeating: nil, count: chunks)
    results.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let out = buffer
      forEachChunk(count: count) { c, range, worker in out[c] = body(range, worker) }
    }
    return results.compactMap { $0 }
  }
}

extension Parallel {
  /// Runs `body(i)` for every i in `0..<count` on up to `threads` threads.
  ///
  /// One task per index (one simulation run, say); the results come back in index order.
  public func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    var results = [T?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let out = buffer
      withoutActuallyEscaping(body) { body in
        let shared = UncheckedSendable(body)
        let next = Atomic<Int>(0)
        let work: @Sendable (Int) -> Void = { _ in
          while true {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if i >= count { break }
            out[i] = shared.value(i)
          }
        }
        if threads == 1 || count <= 1 {
          work(0)
        } else {
          DispatchQueue.concurrentPerform(iterations: min(threads, count)) { work($0) }
        }
      }
    }
    return results.compactMap { $0 }
  }
}

/// Carries a value into concurrently executing code whose safety the caller guarantees.
struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
