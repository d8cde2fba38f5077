import Foundation

/// A file or folder that could not be read, created, written or renamed, with the system's
/// reason.
public enum FileSystemError: TalentFlowError, Sendable, Equatable {
  /// A file could not be read (an input that is not what it should be: exit 65).
  case cannotRead(path: String, reason: String)
  /// A folder could not be created.
  case cannotCreate(path: String, reason: String)
  /// A file could not be written.
  case cannotWrite(path: String, reason: String)
  /// A rename failed.
  case cannotRename(from: String, to: String, reason: String)

  /// What the system said, without the path.
  public var reason: String {
    switch self {
    case .cannotRead(_, let reason), .cannotCreate(_, let reason), .cannotWrite(_, let reason),
      .cannotRename(_, _, let reason):
      return reason
    }
  }

  public var description: String {
    switch self {
    case .cannotRead(let path, let reason): return "cannot read \(path): \(reason)"
    case .cannotCreate(let path, let reason): return "cannot create \(path): \(reason)"
    case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
    case .cannotRename(let from, let to, let reason):
      return "cannot rename \(from) to \(to): \(reason)"
    }
  }

  public var exitCode: ExitCode {
    switch self {
    case .cannotRead: return .dataError
    case .cannotCreate, .cannotWrite, .cannotRename: return .cannotCreate
    }
  }
}
