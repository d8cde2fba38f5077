import Foundation
import TalentFlow

/// A command-line error: printed to stderr with the command's usage line, exit 64.
struct UsageError: TalentFlowError {
  var description: String
  init(_ message: String) { description = message }
  var exitCode: ExitCode { .usage }
}

/// The parsed command line of one subcommand, looked up by option name.
struct Arguments {
  /// The arguments that are not options, in order.
  private(set) var positionals: [String] = []
  private var flags: Set<OptionName> = []
  private var values: [OptionName: [String]] = [:]
  /// The options the command declared: lookups of any other are programming errors.
  private let declared: [OptionName: Option]

  /// Parses `args` against the options `command` declares.
  init(_ args: [String], for command: Command) throws {
    try self.init(args, options: command.options)
  }

  /// Parses `args` against `options`.
  init(_ args: [String], options: [Option]) throws {
    declared = Dictionary(options.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
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
      guard let option = OptionName(rawValue: name).flatMap({ declared[$0] }) else {
        let known = options.map(\.name.rawValue)
        let hint = didYouMean(name, among: known.sorted(), prefix: "--")
        throw UsageError("unknown option --\(name)\(hint)")
      }
      if case .none = option.value {
        if inline != nil { throw UsageError("--\(name) takes no value") }
        flags.insert(option.name)
        continue
      }
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
      if value.isEmpty, case .path = option.value {
        throw UsageError("--\(name) needs a path, got an empty value (an unset shell variable?)")
      }
      values[option.name, default: []].append(value)
    }
    // Numbers are checked once every option is read, so an unknown option is reported first.
    for option in options {
      guard case .integer(_, let range) = option.value, let text = values[option.name]?.last
      else { continue }
      guard let n = Int(text), range.contains(n) else {
        let bounds =
          range.upperBound == Int.max
          ? "an integer ≥ \(range.lowerBound)"
          : "an integer between \(range.lowerBound) and \(range.upperBound)"
        throw UsageError("--\(option.name.rawValue) must be \(bounds), got \(text)")
      }
    }
  }

  /// Whether a flag was given.
  func has(_ flag: OptionName) -> Bool {
    assert(declared[flag] != nil, "--\(flag.rawValue) is not an option of this command")
    return flags.contains(flag)
  }

  /// The last value of an option, if given.
  func value(_ option: OptionName) -> String? {
    assert(declared[option] != nil, "--\(option.rawValue) is not an option of this command")
    return values[option]?.last
  }

  /// Every value of a repeatable option, in order.
  func all(_ option: OptionName) -> [String] {
    assert(declared[option] != nil, "--\(option.rawValue) is not an option of this command")
    return values[option] ?? []
  }

  /// Whether an option was given, flag or value.
  func given(_ option: OptionName) -> Bool { flags.contains(option) || values[option] != nil }

  /// A whole-number option, already checked against the range it declares.
  func integer(_ option: OptionName) -> Int? {
    value(option).flatMap { Int($0) }
  }
}
