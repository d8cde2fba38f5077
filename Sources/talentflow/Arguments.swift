import Foundation
import TalentFlow

/// Exit codes, after sysexits.h.
enum Exit {
  static let success: Int32 = 0
  /// A run or check finished but found a problem.
  static let failure: Int32 = 1
  /// The command line is wrong (EX_USAGE).
  static let usage: Int32 = 64
  /// A configuration or input file is wrong (EX_DATAERR).
  static let dataError: Int32 = 65
  /// An output could not be created (EX_CANTCREAT).
  static let cannotCreate: Int32 = 73
}

/// A command-line error: printed to stderr with the command's usage line, exit 64.
struct UsageError: Error, CustomStringConvertible {
  var description: String
  init(_ message: String) { description = message }
}

/// The parsed arguments of one subcommand.
struct Arguments {
  var positionals: [String] = []
  var flags: Set<String> = []
  var values: [String: [String]] = [:]

  /// Parses `args` given the options that take a value and the flags that do not.
  init(_ args: [String], options: Set<String>, flags allowedFlags: Set<String>) throws {
    var i = 0
    var onlyPositionals = false
    while i < args.count {
      let arg = args[i]
      i += 1
      if onlyPositionals || !arg.hasPrefix("--") || arg == "-" {
        if arg.hasPrefix("-") && arg != "-" && !onlyPositionals && Double(arg) == nil {
          throw UsageError("unknown option \(arg)")
        }
        positionals.append(arg)
        continue
      }
      if arg == "--" {
        onlyPositionals = true
        continue
      }
      var name = String(arg.dropFirst(2))
      var inline: String? = nil
      if let eq = name.firstIndex(of: "=") {
        inline = String(name[name.index(after: eq)...])
        name = String(name[..<eq])
      }
      if allowedFlags.contains(name) {
        if inline != nil { throw UsageError("--\(name) takes no value") }
        flags.insert(name)
      } else if options.contains(name) {
        let value: String
        if let inline {
          value = inline
        } else {
          guard i < args.count else { throw UsageError("--\(name) needs a value") }
          value = args[i]
          i += 1
        }
        values[name, default: []].append(value)
      } else {
        let known = (options.union(allowedFlags)).sorted()
        let near = known.min {
          editDistance($0, name) < editDistance($1, name)
        }
        let hint = near.map { editDistance($0, name) <= 3 ? " (did you mean --\($0)?)" : "" } ?? ""
        throw UsageError("unknown option --\(name)\(hint)")
      }
    }
  }

  func has(_ flag: String) -> Bool { flags.contains(flag) }

  /// The last value of an option, if given.
  func value(_ name: String) -> String? { values[name]?.last }

  /// Every value of a repeatable option.
  func all(_ name: String) -> [String] { values[name] ?? [] }

  /// A whole-number option within a range.
  func integer(_ name: String, range: ClosedRange<Int>) throws -> Int? {
    guard let text = value(name) else { return nil }
    guard let n = Int(text), range.contains(n) else {
      let upper = range.upperBound == Int.max ? "" : " and \(range.upperBound)"
      let bounds =
        range.upperBound == Int.max
        ? "an integer ≥ \(range.lowerBound)" : "an integer between \(range.lowerBound)\(upper)"
      throw UsageError("--\(name) must be \(bounds), got \(text)")
    }
    return n
  }
}

/// Writes to standard error.
func printError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}
