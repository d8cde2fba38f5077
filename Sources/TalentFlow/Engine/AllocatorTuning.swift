import Foundation

/// Settings of the C library's allocator for runs that hold large arrays for a long time.
///
/// glibc gives threads that allocate at the same time arenas of their own (up to eight per core),
/// and freed scratch memory stays in the arena of the worker thread that used it; its adaptive
/// threshold also moves multi-megabyte blocks (a tick's per-firm scratch) from `mmap` onto the
/// heap, where they stay resident after they are freed. At a million professionals the two cost
/// about 10% of peak memory. `apply(arenas:)` fixes the `mmap` threshold at 256 KiB and the number
/// of arenas.
///
/// One run keeps one arena, for its peak memory: at a million professionals on two threads, one
/// arena per processor gave 198.3–201.0 bytes per professional in four benches against 197.7–198.4
/// in eight with one, and wall times within the noise. Commands that run simulations side by side
/// (a sweep's workers) give each worker an arena: with one, every worker's scratch came from one
/// heap behind one lock. Two workers' medium sweep spent 0.19–0.28 s in the kernel against
/// 0.06–0.12 s with an arena each, mostly waiting on that lock (a run on two threads made 9,403
/// `futex` calls with one arena and 5,583 with two, strace), and took longer in seven of eight
/// paired rounds (notebooks-data/benchmarks/README.md, ninth pass). A sweep's runs are small, so
/// the arenas cost little memory.
///
/// Smaller blocks (search's per-chunk scratch, up to ~250 KB each) come from the heap and are freed
/// every tick. With glibc's 128 KiB trim threshold, or 256 KiB, the freed top of the heap went back
/// to the kernel every tick and the next tick faulted its pages in again: 12,758 page faults in a
/// 10,000-professional run, 4.5 s of system time in the 200-run medium sweep. A 64 MiB trim
/// threshold keeps up to that much freed heap resident: 1,902 faults, 0.17 s, the sweep 16% faster;
/// peak memory at a million professionals rose by about 4 bytes per professional (205–207 against
/// 201–203 in paired benches; notebooks-data/benchmarks/README.md, second pass). Results do not
/// depend on it; it only changes where memory comes from.
public enum AllocatorTuning {
  /// The processors this process may use: as many threads as can run at once.
  public static var processors: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

  /// The arenas for a command: one per worker, up to `processors`, for a command that runs
  /// simulations side by side (`workers` nil when none is asked for: one per processor then);
  /// one for everything else, a single run included.
  public static func arenas(sideBySide: Bool, workers: Int?, processors: Int = processors) -> Int {
    guard sideBySide else { return 1 }
    return max(1, min(workers ?? processors, processors))
  }

  /// Applies the settings with at most `arenas` arenas, if the C library is glibc; call before
  /// starting threads.
  public static func apply(arenas: Int = 1) {
    #if os(Linux)
      // mallopt is not visible from Swift's Glibc module; look it up instead.
      guard let symbol = dlsym(nil, "mallopt") else { return }
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
      let arenaMax: Int32 = -8  // M_ARENA_MAX
      let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
      let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
      _ = mallopt(arenaMax, Int32(clamping: arenas))
      _ = mallopt(mmapThreshold, 256 * 1024)
      _ = mallopt(trimThreshold, 64 * 1024 * 1024)
    #endif
  }
}
