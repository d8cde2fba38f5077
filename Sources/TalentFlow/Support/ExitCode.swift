/// How a command ends: the exit statuses of `talentflow`, after sysexits.h.
public enum ExitCode: Int32, Sendable {
  case success = 0
  /// A run or check finished but found a problem.
  case failure = 1
  /// The command line is wrong (EX_USAGE).
  case usage = 64
  /// A configuration or input file is wrong, or a run stopped on a value it cannot go on with
  /// (EX_DATAERR).
  case dataError = 65
  /// An output could not be created (EX_CANTCREAT).
  case cannotCreate = 73
}

/// An error a person can act on: its description names the file, the key and the value, and it
/// says how a command that meets it ends.
///
/// Every error the library throws to a command conforms; `main.swift` maps them to exit codes in
/// one place, as swift-argument-parser does with its own errors.
public protocol TalentFlowError: Error, CustomStringConvertible {
  /// The exit status of a command that stops on this error.
  var exitCode: ExitCode { get }
}
