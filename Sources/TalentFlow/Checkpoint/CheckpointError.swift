/// A checkpoint that cannot be written, or is refused when read.
public struct CheckpointError: TalentFlowError, Sendable, Equatable {
  /// The checkpoint file.
  public var file: String
  /// What is wrong, and what to do about it when there is something to do.
  public var message: String
  /// Whether the file could not be written (exit 73), rather than refused when read (65).
  public var isWriteFailure: Bool

  public init(file: String, message: String, isWriteFailure: Bool = false) {
    self.file = file
    self.message = message
    self.isWriteFailure = isWriteFailure
  }

  public var description: String { "\(file): \(message)" }

  public var exitCode: ExitCode { isWriteFailure ? .cannotCreate : .dataError }
}
