/// Why a report could not be made: the file, and what is wrong with it.
public struct ReportError: TalentFlowError, Sendable, Equatable {
  /// The file (or folder) at fault, as the user named it.
  public var file: String
  public var message: String

  public init(file: String, message: String) {
    self.file = file
    self.message = message
  }

  public var description: String { "\(file): \(message)" }

  public var exitCode: ExitCode { .dataError }
}
