import Foundation
import Testing

/// README's sessions print what README says they print.
///
/// README shows what `talentflow` prints in two ways: the quick start's run (a fenced block of
/// the four lines `talentflow run` prints) and sessions in indented blocks, a `$ talentflow …`
/// line followed by its output. A model version that moves a number, or a message that changes
/// its words, fails here instead of leaving README behind. The sessions run in README's order
/// in one folder (with the package's `configs` in it), so a command may use what an earlier one
/// wrote (`output/…`), and `$ cat FILE` followed by lines writes that file. Commands of the
/// release binary (`.build/release/talentflow …`, timing examples) are not run. Whitespace is
/// compared loosely (README wraps long messages) and wall times such as `(1.8 s)` not at all.
@Suite("README's examples")
struct ReadmeExampleTests {
  /// One `$ …` line (continuation lines joined) and the lines printed after it.
  struct Session: CustomStringConvertible {
    let command: String
    let output: [String]
    let line: Int

    var description: String { "README line \(line): $ \(command)" }
  }

  /// Every indented `$ …` session in `markdown`, in order.
  static func sessions(in markdown: String) -> [Session] {
    let lines = markdown.components(separatedBy: "\n")
    var sessions: [Session] = []
    var index = 0
    while index < lines.count {
      guard lines[index].hasPrefix("    $ ") else {
        index += 1
        continue
      }
      let line = index + 1
      var command = String(lines[index].dropFirst(6))
      while command.hasSuffix("\\"), index + 1 < lines.count {
        index += 1
        command =
          command.dropLast().trimmingCharacters(in: .whitespaces) + " "
          + lines[index].trimmingCharacters(in: .whitespaces)
      }
      index += 1
      var output: [String] = []
      while index < lines.count, lines[index].hasPrefix("    "), !lines[index].hasPrefix("    $ ") {
        output.append(String(lines[index].dropFirst(4)))
        index += 1
      }
      sessions.append(Session(command: command, output: output, line: line))
    }
    return sessions
  }

  /// Text compared as README shows it: runs of whitespace as one space, wall times dropped.
  static func normalised(_ text: String) -> String {
    let words = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    return words.replacingOccurrences(
      of: #"\(\d+(\.\d+)? s(, \d+ workers?)?\)"#, with: "(… s)", options: .regularExpression)
  }

  static let readme: String = {
    let url = TalentflowProcess.packageRoot.appendingPathComponent("README.md")
    return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
  }()

  /// A working folder with the package's `configs` beside it, as in a checkout.
  static func workingFolder(_ label: String) throws -> URL {
    let folder = try TestFolder.make(label)
    try FileManager.default.createSymbolicLink(
      at: folder.appendingPathComponent("configs"),
      withDestinationURL: TalentflowProcess.packageRoot.appendingPathComponent("configs"))
    return folder
  }

  /// What README's reader does between two sessions, before the command it names: the
  /// replay example changes one number of a published file first.
  static let preparations: [String: @Sendable (URL) throws -> Void] = [
    "talentflow replay output/baseline-seed42 --quiet": { folder in
      let file = folder.appendingPathComponent("output/baseline-seed42/timeseries.csv")
      var rows = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
      // Row 30 (tick 29), column employed_bigtech (the fourth).
      var fields = rows[30].components(separatedBy: ",")
      fields[3] = "4000"
      rows[30] = fields.joined(separator: ",")
      try rows.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
    }
  ]

  @Test("README's sessions print what README shows")
  func sessionsPrintWhatReadmeShows() throws {
    let sessions = Self.sessions(in: Self.readme)
    // The decide, validate, run, sweep and replay examples, at least.
    #expect(sessions.count >= 20, "README has \(sessions.count) sessions")
    let folder = try Self.workingFolder("readme-sessions")
    defer { TestFolder.remove(folder) }
    var ran = 0
    for session in sessions {
      if session.command.hasPrefix("cat ") {
        let name = String(session.command.dropFirst(4))
        try (session.output.joined(separator: "\n") + "\n").write(
          to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        continue
      }
      guard session.command.hasPrefix("talentflow ") else { continue }
      try Self.preparations[session.command]?(folder)
      let arguments = session.command.split(separator: " ").dropFirst().map(String.init)
      let outcome = try TalentflowProcess.run(arguments, in: folder)
      #expect(!outcome.signalled && !outcome.timedOut, "\(session)")
      let printed = Self.normalised(outcome.stdout + "\n" + outcome.stderr)
      let shown = Self.normalised(session.output.joined(separator: "\n"))
      #expect(printed == shown, "\(session)")
      ran += 1
    }
    #expect(ran >= 15, "ran \(ran) of README's sessions")
  }

  @Test("the quick start's run prints the four lines README shows")
  func quickStartPrintsWhatReadmeShows() throws {
    let lines = Self.readme.components(separatedBy: "\n")
    let start = try #require(lines.firstIndex { $0.hasPrefix("Wrote output/baseline-seed1/") })
    let shown = lines[start..<min(start + 4, lines.count)].joined(separator: "\n")
    #expect(lines[start + 4] == "```", "the quick start's block is four lines")
    let folder = try Self.workingFolder("readme-quick-start")
    defer { TestFolder.remove(folder) }
    let outcome = try TalentflowProcess.run(["run"], in: folder)
    #expect(outcome.exited(with: 0))
    #expect(Self.normalised(outcome.stdout + "\n" + outcome.stderr) == Self.normalised(shown))
  }

  @Test("sessions are read as README writes them")
  func sessionsAreParsed() {
    let markdown = """
      Text.

          $ talentflow run --set a=1 \\
              --quiet
          $ talentflow validate x.json
          x.json: ok
          more (1.8 s)

      Prose.
      """
    let sessions = Self.sessions(in: markdown)
    #expect(
      sessions.map(\.command) == ["talentflow run --set a=1 --quiet", "talentflow validate x.json"])
    #expect(sessions.map(\.output) == [[], ["x.json: ok", "more (1.8 s)"]])
    #expect(sessions.map(\.line) == [3, 5])
    #expect(Self.normalised("a\n  b (12.5 s)") == "a b (… s)")
    #expect(Self.normalised("done (6.8 s, 2 workers)") == "done (… s)")
  }
}
