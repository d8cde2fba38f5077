import Foundation

/// Settings of the C library's allocator for runs that hold large arrays for a long time.
///
/// glibc gives each thread that allocates its own arena, and freed scratch memory stays in
/// the arena of the worker thread that used it; its adaptive threshold also moves multi-
/// megabyte blocks (a tick's per-firm scratch) from `mmap` onto the heap, where they stay
/// resident after they are freed. At a million professionals the two cost about 10% of peak
/// memory. `apply()` asks for one arena and a fixed 256 KiB threshold instead. Results do not
/// depend on it; it only changes where memory comes from.
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
      _ = mallopt(trimThreshold, 256 * 1024)
    #endif
  }
}
