import Foundation
import Testing

@testable import TalentFlow

/// Overrides that make a run take a fraction of a second.
private let tiny = [
  "--set", "population.size=200", "--set", "firms.startups=10", "--set", "time.warmup=2",
  "--ticks", "2",
]

/// A command that writes an output folder with `--out` and has `--force`.
enum ForcingCommand: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case run
  case compare
  case replay

  var testDescription: String { rawValue }

  /// The files the command puts in its folder.
  var outputs: [String] {
    switch self {
    case .run, .replay: return ["firms.csv", "flows.csv", "manifest.json", "timeseries.csv"]
    case .compare: return ["difference.csv", "manifest.json", "replicates.csv", "summary.csv"]
    }
  }

  /// The command line that writes to `out`, its inputs in `inputs` (see `makeInputs`).
  func arguments(out: String, inputs: URL, _ extra: [String] = []) -> [String] {
    let common = ["--quiet", "--out", out] + extra
    switch self {
    case .run:
      return ["run", "--threads", "1"] + tiny + common
    case .compare:
      let scenario = inputs.appendingPathComponent("tiny.json").path
      return ["compare", scenario, scenario, "--replicates", "2", "--workers", "1"] + common
    case .replay:
      return ["replay", inputs.appendingPathComponent("published").path, "--threads", "1"]
        + common
    }
  }

  /// Writes the command's inputs (a scenario file, a published run) into `folder`.
  static func makeInputs(in folder: URL) throws {
    let scenario = #"""
      {"population": {"size": 200}, "firms": {"startups": 10}, "time": {"warmup": 2, "ticks": 2}}
      """#
    try TestFolder.write(scenario, named: "tiny.json", in: folder)
    let published = try TalentflowProcess.run(
      ForcingCommand.run.arguments(out: "published", inputs: folder), in: folder)
    guard published.exited(with: 0) else {
      throw ProcessSetupError(description: "the run to replay failed: \(published.stderr)")
    }
  }
}

/// A scratch area: `root/work` is the command's current directory, holding a precious file;
/// the inputs live apart in `inputs`.
private struct Scratch {
  let root: URL
  let work: URL
  let inputs: URL

  init(_ command: ForcingCommand) throws {
    root = try TestFolder.make("hostile-\(command.rawValue)")
    work = root.appendingPathComponent("work")
    inputs = try TestFolder.make("hostile-inputs")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    try TestFolder.write("precious\n", named: "precious.txt", in: work)
    try ForcingCommand.makeInputs(in: inputs)
  }

  func remove() {
    TestFolder.remove(root)
    TestFolder.remove(inputs)
  }

  /// Runs the command in `work`, writing to `out`.
  func run(_ command: ForcingCommand, out: String, _ extra: [String] = []) throws
    -> ProcessOutcome
  {
    try TalentflowProcess.run(command.arguments(out: out, inputs: inputs, extra), in: work)
  }

  /// Every path under `root` with its contents, to show that nothing changed.
  var snapshot: [String: Data] { RunFolderForceTests.snapshot(root) }
}

@Suite("Hostile --out and --force: nothing but a run folder is ever replaced", .serialized)
struct HostileOutputTests {
  @Test(
    "--out \"\" is a usage error (64), not the current directory",
    arguments: ForcingCommand.allCases)
  func emptyOut(_ command: ForcingCommand) throws {
    let scratch = try Scratch(command)
    defer { scratch.remove() }
    let before = scratch.snapshot
    for extra in [[], ["--force"]] {
      let outcome = try scratch.run(command, out: "", extra)
      #expect(outcome.exited(with: 64), "\(extra): \(outcome.stderr)")
      #expect(
        outcome.stderr.hasPrefix(
          "talentflow \(command.rawValue): --out needs a path, got an empty value"))
      #expect(scratch.snapshot == before)
    }
  }

  @Test(
    "--out . and --out .. with --force are refused (73), the current directory intact",
    arguments: ForcingCommand.allCases)
  func currentDirectoryAndAncestors(_ command: ForcingCommand) throws {
    let scratch = try Scratch(command)
    defer { scratch.remove() }
    let before = scratch.snapshot
    let cases = [
      (".", "the current directory"), ("./", "the current directory"),
      (scratch.work.path, "the current directory"),
      ("..", "a folder that contains the current directory"),
      ("sub/../..", "a folder that contains the current directory"),
    ]
    for (out, what) in cases {
      let outcome = try scratch.run(command, out: out, ["--force"])
      #expect(outcome.exited(with: 73), "\(out): \(outcome.stderr)")
      #expect(outcome.stderr.contains(": it is \(what); --force replaces only"), "\(out)")
      #expect(scratch.snapshot == before, "\(out)")
    }
  }

  @Test(
    "a file, a link or an unrelated folder as --out is refused with --force (73), intact",
    arguments: ForcingCommand.allCases)
  func notRunFolders(_ command: ForcingCommand) throws {
    let scratch = try Scratch(command)
    defer { scratch.remove() }
    let other = scratch.work.appendingPathComponent("other")
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    try TestFolder.write("mine\n", named: "keep.txt", in: other)
    try FileManager.default.createSymbolicLink(
      at: scratch.work.appendingPathComponent("link"), withDestinationURL: other)
    let before = scratch.snapshot
    let cases = [
      ("precious.txt", "a file, not a run folder"),
      ("link", "a symbolic link, not a run folder"),
      ("other", "a folder TalentFlow did not write"),
    ]
    for (out, what) in cases {
      let outcome = try scratch.run(command, out: out, ["--force"])
      #expect(outcome.exited(with: 73), "\(out): \(outcome.stderr)")
      #expect(
        outcome.stderr.hasPrefix(
          "talentflow \(command.rawValue): cannot use "
            + "\(scratch.work.appendingPathComponent(out).path): it is \(what)"), "\(out)")
      #expect(scratch.snapshot == before, "\(out)")
    }
  }

  @Test(
    "an empty folder and the command's own earlier output are replaced with --force",
    arguments: ForcingCommand.allCases)
  func runFoldersAreReplaced(_ command: ForcingCommand) throws {
    let scratch = try Scratch(command)
    defer { scratch.remove() }
    let out = scratch.work.appendingPathComponent("out")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    let intoEmpty = try scratch.run(command, out: "out", ["--force"])
    #expect(intoEmpty.exited(with: 0), "\(intoEmpty.stderr)")
    #expect(TestFolder.contents(out) == command.outputs)

    // A note left in the earlier output goes with it: the folder was replaced, not merged.
    try TestFolder.write("old\n", named: "note.txt", in: out)
    let again = try scratch.run(command, out: "out")
    #expect(again.exited(with: 73))
    #expect(again.stderr.contains("already exists; use --force to overwrite it"))
    let replaced = try scratch.run(command, out: "out", ["--force"])
    #expect(replaced.exited(with: 0), "\(replaced.stderr)")
    #expect(TestFolder.contents(out) == command.outputs)
    #expect(TestFolder.contents(scratch.work) == ["out", "precious.txt"])
  }

  @Test("--out followed by --force is a missing value, not a folder named --force")
  func optionAsValue() throws {
    let folder = try TestFolder.make("hostile")
    defer { TestFolder.remove(folder) }
    for command in ForcingCommand.allCases {
      let outcome = try TalentflowProcess.run(
        command.arguments(out: "--force", inputs: folder), in: folder)
      #expect(outcome.exited(with: 64), "\(command)")
      #expect(
        outcome.stderr
          == "talentflow \(command.rawValue): --out needs a value\n"
          + "Run `talentflow \(command.rawValue) --help` for usage.\n")
      #expect(TestFolder.contents(folder).isEmpty)
    }
  }

  @Test("a --out that is not UTF-8 is refused (64), never written under another name")
  func nonUTF8Out() throws {
    let folder = try TestFolder.make("hostile")
    defer { TestFolder.remove(folder) }
    // Process takes Strings, so the raw byte 0xFF goes through the shell's printf.
    let script = #"exec "$0" run "$@" --out "$(printf 'out-\377')""#
    let outcome = try TalentflowProcess.runTool(
      "/bin/sh", ["-c", script, TalentflowProcess.binary.path, "--quiet"] + tiny, in: folder)
    #expect(outcome.exited(with: 64), "\(outcome.stderr)")
    #expect(
      outcome.stderr
        == #"talentflow run: the value of --out, "out-\xFF", is not valid UTF-8; file names "#
        + "and values must be UTF-8 text (rename the file, or choose another name)\n"
        + "Run `talentflow run --help` for usage.\n")
    #expect(TestFolder.contents(folder).isEmpty)
  }

  @Test("a name with / or a newline is refused (65): it would leave output/ or reach a folder")
  func hostileNames() throws {
    let folder = try TestFolder.make("hostile")
    defer { TestFolder.remove(folder) }
    let work = folder.appendingPathComponent("work")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let cases = [
      ("name=../escaped", #""../escaped""#), ("name=a/b", #""a/b""#),
      ("name=two\nlines", #""two\nlines""#),
    ]
    for (override, shown) in cases {
      let outcome = try TalentflowProcess.run(
        ["run", "--quiet", "--set", override] + tiny, in: work)
      #expect(outcome.exited(with: 65), "\(override)")
      #expect(
        outcome.stderr
          == "talentflow run: --set: name must be a string without \"/\" or control characters "
          + "(it names the output folder), got \(shown)\n")
    }
    try TestFolder.write("{}", named: "two\nlines.json", in: work)
    let fromFile = try TalentflowProcess.run(
      ["run", "two\nlines.json", "--quiet"] + tiny, in: work)
    #expect(fromFile.exited(with: 65))
    #expect(fromFile.stderr.contains(#"the file name "two\nlines" cannot name the run"#))
    #expect(TestFolder.contents(folder) == ["work"])
    #expect(TestFolder.contents(work) == ["two\nlines.json"])

    // A name with spaces is still a fine folder name.
    let spaced = try TalentflowProcess.run(
      ["run", "--quiet", "--set", "name=my trial"] + tiny, in: work)
    #expect(spaced.exited(with: 0), "\(spaced.stderr)")
    #expect(TestFolder.contents(work.appendingPathComponent("output")) == ["my trial-seed1"])
  }

  @Test("a directory as CONFIG says so (65), and a key with a space is shown quoted")
  func configurationMessages() throws {
    let folder = try TestFolder.make("hostile")
    defer { TestFolder.remove(folder) }
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("configs.json"), withIntermediateDirectories: true)
    for command in [["run"], ["validate"], ["config"]] {
      let outcome = try TalentflowProcess.run(command + ["configs.json"], in: folder)
      #expect(outcome.exited(with: 65), "\(command)")
      let prefix = command == ["validate"] ? "" : "talentflow \(command[0]): "
      #expect(
        outcome.stderr == prefix + "configs.json: is a directory, not a configuration file\n")
    }

    try TestFolder.write(#"{"seed ": 3}"#, named: "spaced.json", in: folder)
    let file = try TalentflowProcess.run(["config", "spaced.json"], in: folder)
    #expect(file.exited(with: 65))
    #expect(
      file.stderr == "talentflow config: spaced.json: unknown key \"seed \" (did you mean seed?)\n")
    let set = try TalentflowProcess.run(["config", "--set", "time.ticks\t=3"], in: folder)
    #expect(set.exited(with: 65))
    #expect(
      set.stderr
        == "talentflow config: --set: unknown key \"time.ticks\\t\" (did you mean time.ticks?)\n")
  }

  @Test("run --force does not replace a file that is not a checkpoint as --checkpoint (73)")
  func checkpointFile() throws {
    let scratch = try Scratch(.run)
    defer { scratch.remove() }
    let before = scratch.snapshot
    let outcome = try scratch.run(
      .run, out: "out",
      ["--force", "--checkpoint-every", "1", "--checkpoint", "precious.txt"])
    #expect(outcome.exited(with: 73), "\(outcome.stderr)")
    #expect(
      outcome.stderr
        == "talentflow run: cannot use \(scratch.work.path)/precious.txt as the checkpoint: it "
        + "is a file that is not a TalentFlow checkpoint; --force replaces only a TalentFlow "
        + "checkpoint file. Choose another --checkpoint FILE.\n")
    #expect(scratch.snapshot == before)
  }

  @Test("replay refuses an --out that is or holds the run it replays (64), which stays intact")
  func replayOntoItself() throws {
    let scratch = try Scratch(.replay)
    defer { scratch.remove() }
    let before = RunFolderForceTests.snapshot(scratch.inputs)
    let published = scratch.inputs.appendingPathComponent("published").path
    for out in [published, scratch.inputs.path] {
      let outcome = try scratch.run(.replay, out: out, ["--force"])
      #expect(outcome.exited(with: 64), "\(out): \(outcome.stderr)")
      #expect(outcome.stderr.contains("the run being replayed"))
      #expect(RunFolderForceTests.snapshot(scratch.inputs) == before)
    }
  }
}
