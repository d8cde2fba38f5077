import Foundation

/// Settings of the C library's allocator for runs that hold large arrays for a long time.
///
/// glibc gives each thread that allocates its own arena, and freed scratch memory stays in
/// the arena of the worker thread that used it; its adaptive threshold also moves multi-
/// megabyte blocks (a tick's per-firm scratch) from `mmap` onto the heap, where they stay
/// resident after they are freed. At a million professionals the two cost about 10% of peak
/// memory. `apply()` asks for one arena and a fixed 256 KiB `mmap` threshold instead.
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
      _ = mallopt(arenaMax, 1)
      _ = mallopt(mmapThreshold, 256 * 1024)
      _ = mallopt(trimThreshold, 64 * 1024 * 1024)
    #endif
  }
}
