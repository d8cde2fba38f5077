import Foundation
import TalentFlow

/// A command-line error: printed to stderr with the command's usage line, exit 64.
struct UsageError: TalentFlowError {
  var description: String
  init(_ message: String) { description = message }
  var exitCode: ExitCode { .usage }
}

/// The parsed arguments of one subcommand.
struct Arguments {
  var positionals: [String] = []
  var flags: Set<String> = []
  var values: [String: [String]] = [:]

  /// Options, in any command, whose value is a file or folder.
  ///
  /// An empty value would name the current directory, so it is refused.
  static let pathOptions: Set<String> = ["out", "checkpoint", "resume", "svg", "emit-slurm"]

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
          // `--out --force` is a forgotten value, not a folder named `--force` (write
          // `--out=--force` or `--out ./--force` for that).
          guard i < args.count, !args[i].hasPrefix("--") else {
            throw UsageError("--\(name) needs a value")
          }
          value = args[i]
          i += 1
        }
        if value.isEmpty && Arguments.pathOptions.contains(name) {
          throw UsageError("--\(name) needs a path, got an empty value (an unset shell variable?)")
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

/// The first command-line argument that is not valid UTF-8, described for a usage error.
///
/// `CommandLine.arguments` replaces invalid bytes with U+FFFD, so such a file name would be
/// read or written under another name; the raw bytes of `argv` are checked instead. Paths go
/// through Swift strings everywhere, so they are refused rather than passed on.
func nonUTF8Argument() -> String? {
  let argv = CommandLine.unsafeArgv
  for k in 1..<Int(CommandLine.argc) {
    guard let pointer = argv[k] else { continue }
    if String(validatingCString: pointer) != nil { continue }
    let bytes = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer)))
      .map { UInt8(bitPattern: $0) }
    var previous: String? = nil
    if k > 1, let before = argv[k - 1] { previous = String(cString: before) }
    var value = bytes[...]
    let name: String?
    if bytes.starts(with: Array("--".utf8)), let equals = bytes.firstIndex(of: UInt8(ascii: "=")) {
      name = String(decoding: bytes[..<equals], as: UTF8.self)
      value = bytes[(equals + 1)...]
    } else if let previous, previous.hasPrefix("--"), !previous.contains("=") {
      name = previous
    } else {
      name = nil
    }
    let shown = "\"\(escapingInvalidUTF8(Array(value)))\""
    let what = name.map { "the value of \($0), \(shown)," } ?? "the argument \(shown)"
    return "\(what) is not valid UTF-8; file names and values must be UTF-8 text "
      + "(rename the file, or choose another name)"
  }
  return nil
}

/// Bytes as text, with every byte that is not part of valid UTF-8 shown as `\xHH`.
func escapingInvalidUTF8(_ bytes: [UInt8]) -> String {
  var text = ""
  var k = 0
  while k < bytes.count {
    var decoded = false
    for length in 1...4 where k + length <= bytes.count {
      if let part = String(validating: bytes[k..<(k + length)], as: UTF8.self) {
        text += part
        k += length
        decoded = true
        break
      }
    }
    if !decoded {
      text += "\\x" + String(bytes[k], radix: 16, uppercase: true)
      k += 1
    }
  }
  return text
}

/// Writes to standard error.
func printError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}
