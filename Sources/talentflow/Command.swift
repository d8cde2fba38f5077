import TalentFlow

/// A subcommand: its name, a one-line summary, what `--help` shows, its options, and what it does.
///
/// The help page is built from the declared options, so an option cannot be accepted without
/// being documented, or documented without being accepted.
struct Command: Sendable {
  /// A positional argument shown in the ARGUMENTS section.
  struct Positional: Sendable {
    var label: String
    var help: String
  }

  /// A titled group of options in the help page (OPTIONS, SLURM, …).
  struct OptionGroup: Sendable {
    var title: String
    var options: [Option]
  }

  let name: String
  let summary: String
  /// The synopsis after `USAGE: `, its lines broken as they are to be shown.
  let usage: String
  /// What the command does, its paragraphs as they are to be shown.
  let about: String
  let positionals: [Positional]
  let groups: [OptionGroup]
  let run: @Sendable (Arguments) throws -> ExitCode

  init(
    name: String, summary: String, usage: String, about: String,
    positionals: [Positional] = [], options: [Option], more groups: [OptionGroup] = [],
    run: @escaping @Sendable (Arguments) throws -> ExitCode
  ) {
    self.name = name
    self.summary = summary
    self.usage = usage
    self.about = about
    self.positionals = positionals
    self.groups = [OptionGroup(title: "OPTIONS", options: options)] + groups
    self.run = run
  }

  /// Every option the command accepts, shown in help or not.
  var options: [Option] { groups.flatMap(\.options) }

  /// The allocator arenas for this invocation (`AllocatorTuning`): one per worker, up to the
  /// processors, for a command that runs simulations side by side (it takes `--workers`, and
  /// uses every processor without it); one otherwise.
  func allocatorArenas(_ arguments: Arguments) -> Int {
    let sideBySide = options.contains { $0.name == .workers }
    return AllocatorTuning.arenas(
      sideBySide: sideBySide, workers: sideBySide ? arguments.integer(.workers) : nil)
  }

  /// The page `talentflow <command> --help` prints.
  var help: String {
    var sections = ["USAGE: " + usage, about]
    if !positionals.isEmpty {
      sections.append(
        "ARGUMENTS:\n" + positionals.map { Command.row($0.label, $0.help) }.joined(separator: "\n"))
    }
    for group in groups {
      let rows = group.options.compactMap { option in
        option.help.map { Command.row(option.label, $0) }
      }
      if !rows.isEmpty { sections.append(group.title + ":\n" + rows.joined(separator: "\n")) }
    }
    return sections.joined(separator: "\n\n")
  }

  /// The column where help text starts; a longer label gets a line of its own.
  static let helpColumn = 23

  /// One entry of a help section: the label indented by two, its help from `helpColumn`.
  static func row(_ label: String, _ help: String) -> String {
    let indent = String(repeating: " ", count: helpColumn)
    let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
    let head = "  " + label
    var text: String
    if head.count < helpColumn {
      text = head.padding(toLength: helpColumn, withPad: " ", startingAt: 0) + lines[0]
    } else {
      text = head + "\n" + indent + lines[0]
    }
    for line in lines.dropFirst() { text += "\n" + indent + line }
    return text
  }
}
