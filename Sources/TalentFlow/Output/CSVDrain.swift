import Dispatch
import Foundation
import Synchronization

/// Hashes and writes the bytes a `CSVBuffer` flushes, in the order it flushes them, on a serial
/// queue of the file's own.
///
/// The thread producing rows (a run's main thread, which formats its outputs between ticks)
/// hands each full buffer over and goes on while the buffer is hashed and written. SHA-256 has
/// to see a file's bytes in order, so one file's hashing cannot be split; with a queue per file,
/// the files of a run are hashed at once, and beside the next tick's steps.
///
/// At most `maximumPending` buffers wait at a time: the producer waits when it is that far ahead,
/// so a file takes at most three buffers of about 1 MiB (the one being filled and two handed
/// over) whatever its size; `CSVBuffer.append(_:)` never grows one beyond that. Two pending
/// buffers hashed a 300,000-professional run's `agents.csv` beside the next tick's steps
/// better than one did, for about 1 MB more peak memory at a million professionals; buffers
/// allowed to grow to a snapshot's 2 MB parts cost 5 MB more, above issue 16's bound of 200
/// bytes per professional.
///
/// A write error is kept and reported by `settle()` and `close()`; after it, nothing more is
/// written (the bytes are still hashed, as before the queue existed).
final class CSVDrain: @unchecked Sendable {
  /// Buffers handed over and not yet written, beyond which `submit` waits.
  static let maximumPending = 2

  private let path: String
  private let queue = DispatchQueue(label: "talentflow.csv-drain")
  private let room = DispatchSemaphore(value: CSVDrain.maximumPending)
  /// Buffers the queue has written and emptied, for the producer to fill again.
  private let spares = Mutex<[Bytes]>([])
  // Read and written only on `queue` (the @unchecked Sendable above rests on it).
  private var hasher: SHA256
  private var handle: FileHandle?
  private var error: CSVBufferError?

  /// A drain into `handle`, whose bytes so far (if any) `hasher` has seen.
  init(handle: FileHandle, path: String, hasher: SHA256 = SHA256()) {
    self.handle = handle
    self.path = path
    self.hasher = hasher
  }

  /// Hashes and writes the bytes of `buffer` after everything submitted before, and gives
  /// `buffer` an empty array with room for `capacity` bytes: one the drain has written before,
  /// so that its pages are reused rather than mapped afresh for every flush. Waits first if
  /// `maximumPending` buffers are still waiting.
  func submit(_ buffer: inout [UInt8], capacity: Int) {
    room.wait()
    let box = spares.withLock { $0.popLast() } ?? Bytes()
    swap(&box.bytes, &buffer)
    buffer.reserveCapacity(capacity)
    queue.async {
      self.hasher.update(box.bytes)
      if self.error == nil, let handle = self.handle {
        do {
          try handle.write(contentsOf: box.bytes)
        } catch {
          self.error = CSVBufferError(path: self.path, reason: "\(error)")
        }
      }
      box.bytes.removeAll(keepingCapacity: true)
      self.spares.withLock { $0.append(box) }
      self.room.signal()
    }
  }

  /// A buffer passed between the producer and the queue; only one of them holds it at a time.
  private final class Bytes: @unchecked Sendable {
    var bytes: [UInt8] = []
  }

  /// Waits until everything submitted is hashed and written; returns the first write error and
  /// the hash of every byte submitted.
  func settle() -> (error: CSVBufferError?, hasher: SHA256) {
    queue.sync { (error, hasher) }
  }

  /// `settle()`, then closes the file (a failure to close is the error if there was none).
  func close() -> (error: CSVBufferError?, hasher: SHA256) {
    queue.sync {
      if let handle {
        self.handle = nil
        do {
          try handle.close()
        } catch {
          if self.error == nil { self.error = CSVBufferError(path: path, reason: "\(error)") }
        }
      }
      return (error, hasher)
    }
  }
}
