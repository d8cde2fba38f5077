import Foundation

/// Settings of the C library's allocator for runs that hold large arrays for a long time.
///
/// glibc gives threads that allocate at the same time arenas of their own (up to eight per
/// core), and freed scratch memory stays in the arena of the worker thread that used it; its
/// adaptive threshold also moves multi-megabyte blocks (a tick's per-firm scratch) from `mmap`
/// onto the heap, where they stay resident after they are freed. At a million professionals
/// the two cost about 10% of peak memory. `apply()` fixes the `mmap` threshold at 256 KiB and
/// allows one arena per processor (`arenas`).
///
/// One arena for the whole process was tried first, for memory; but every thread's scratch
/// then came from one heap behind one lock. On two threads the lock was contended: a
/// 1,000,000-professional run made about 80 more `futex` calls a tick than with two arenas
/// (strace), its processor time rose by about 12% and the medium sweep with two workers took
/// 1.17–1.19× as long (README "Performance", ninth pass). Two arenas on this 2-core machine
/// cost no memory measurably (197.0–198.9 bytes per professional against 197.3–198.4).
///
/// Smaller blocks (search's per-chunk scratch, up to ~250 KB each) come from the heap and are
/// freed every tick. With glibc's 128 KiB trim threshold, or 256 KiB, the freed top of the heap
/// went back to the kernel every tick and the next tick faulted its pages in again: 12,758
/// page faults in a 10,000-professional run, 4.5 s of system time in the 200-run medium sweep.
/// A 64 MiB trim threshold keeps up to that much freed heap resident: 1,902 faults, 0.17 s, the
/// sweep 16% faster; peak memory at a million professionals rose by about 4 bytes per
/// professional (205–207 against 201–203 in paired benches, README "Performance"). Results do
/// not depend on it; it only changes where memory comes from.
public enum AllocatorTuning {
  /// At most as many arenas as threads can run at once: the processors this process may use.
  public static var arenas: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

  /// Applies the settings, if the C library is glibc; call before starting threads.
  public static func apply() {
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
