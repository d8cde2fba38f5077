/// What a checkpoint file says about itself, read without decoding the payload.
public struct CheckpointHeader: Sendable, Equatable {
  public var formatVersion: UInt32
  public var modelVersion: String
  public var toolVersion: String
  /// The last completed tick of the run it holds.
  public var tick: Int
}
