/// Why a report could not be made: the file, and what is wrong with it.
public struct ReportError: InputError, Sendable, Equatable {
  /// The file (or folder) at fault, as the user named it.
  public var file: String
  public var message: String

  public init(file: String, message: String) {
    self.file = file
    self.message = message
  }

  /// An error about `keyPath` of `file`; the message names the key, so only the file is kept.
  public init(file: String, keyPath: String, message: String) {
    self.init(file: file, message: message)
  }

  public var description: String { "\(file): \(message)" }

  public var exitCode: ExitCode { .dataError }
}
