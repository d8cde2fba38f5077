import Foundation

/// When and where a run saves checkpoints.
public struct CheckpointSchedule: Sendable {
  /// Recorded ticks between checkpoints (a checkpoint follows every tick divisible by it).
  public var every: Int
  /// The checkpoint file, replaced atomically each time.
  public var file: URL

  public init(every: Int, file: URL) {
    self.every = max(1, every)
    self.file = file
  }
}
