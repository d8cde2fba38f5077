import Foundation

/// The outcome of a run.
public struct RunResult: Sendable {
  /// The run folder.
  public var folder: URL
  public var files: [OutputFile]
  /// The record of the last tick.
  public var last: TickRecord
  /// Totals over the recorded ticks of every timeseries column.
  public var totals: [Double]
  public var wallSeconds: Double
}
