/// The long name of an option, without its `--`.
///
/// One case for every option any command takes, so a command looks its options up by a name the
/// compiler checks, not by a string that can be misspelt.
enum OptionName: String, Sendable {
  case agents, allowDebug = "allow-debug", arraySize = "array-size", checkpoint, climate, found
  case checkpointEvery = "checkpoint-every", cpusPerTask = "cpus-per-task", csv
  case emitSlurm = "emit-slurm", equity, force, job, keys, moneyWeight = "money-weight", out
  case partition, quiet, replicates, `repeat`, report, resume, riskAversion = "risk-aversion"
  case series, set, shard, single, skill, svg, threads, ticks, time, seed, wage, wealth, weights
  case workers
}

/// One option of one command: its name, what it takes, and its help.
///
/// A command's options are declared once, as a list of these; parsing, the typed lookups of
/// `Arguments` and the OPTIONS section of `--help` all come from that list.
struct Option: Sendable {
  /// What follows the option on the command line.
  enum Value: Sendable {
    /// Nothing: a flag.
    case none
    /// A value, shown in help as the placeholder.
    case text(String)
    /// A file or folder. An empty value would name the current directory, so it is refused.
    case path(String)
    /// A whole number in a range, checked when the command line is parsed.
    case integer(String, ClosedRange<Int>)
  }

  var name: OptionName
  var value: Value
  /// The help text, its lines broken as they are to be shown; nil for an option that commands
  /// pass to their own child processes and that a person does not use.
  var help: String?

  init(_ name: OptionName, _ value: Value, _ help: String?) {
    self.name = name
    self.value = value
    self.help = help
  }

  /// A flag.
  init(_ name: OptionName, _ help: String?) {
    self.init(name, .none, help)
  }

  /// The placeholder of the value, nil for a flag.
  var placeholder: String? {
    switch value {
    case .none: return nil
    case .text(let shown), .path(let shown), .integer(let shown, _): return shown
    }
  }

  /// How the option is shown in help: `--out DIR`, `--quiet`.
  var label: String {
    "--" + name.rawValue + (placeholder.map { " " + $0 } ?? "")
  }
}

/// Options several commands share, with the same help.
extension Option {
  /// `--threads N` of a command that runs one simulation.
  static let threads = Option(
    .threads, .integer("N", 1...1024), "Threads (default: all cores). Outputs do not depend on it.")

  /// `--seed N` and `--ticks N` of a command that loads one configuration, as `run` does.
  static let configurationShorthands: [Option] = [
    Option(.seed, .text("N"), "Seed (default: the configuration's `seed`, 1 in the baseline)."),
    Option(.ticks, .text("N"), "Recorded ticks after warm-up (time.ticks)."),
  ]
}
