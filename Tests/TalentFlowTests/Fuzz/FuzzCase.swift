import Foundation

/// A file the fuzzer writes into a case's folder.
struct FuzzFile: Sendable {
  var name: String
  var bytes: [UInt8]
}

/// One fuzz input: files, command lines, and what the fuzzer knows about them.
///
/// Made by `ConfigurationFuzzer.makeCase(seed:number:)`: the files of a case folder, the
/// `validate` and `run` command lines, and the mutations that made them.
struct FuzzCase: Sendable {
  var seed: UInt64
  var number: Int
  /// The configuration file's bytes.
  var configurationBytes: [UInt8] = []
  /// Whether the configuration file is written (not when it is missing or a folder).
  var writesConfiguration = true
  /// Other files to write into the case folder (the parents of an `extends` chain).
  var files: [FuzzFile] = []
  /// Folders to create there (a configuration path that is a folder).
  var folders: [String] = []
  /// The configuration file as both command lines name it.
  var configuration = "input.json"
  /// `validate`'s options: the `--set`s, with `--seed N` and `--ticks N` as `--set`s.
  var validateOptions: [String] = []
  /// `run`'s options other than the file, `--out`, `--quiet` and `--threads`.
  var runOptions: [String] = []
  /// `run`'s `--threads` value; nil for none (all cores).
  var threads: String? = "2"
  /// Whether the file comes after the options on the command lines.
  var fileLast = false
  /// What the fuzzer did, one line each.
  var mutations: [String] = []
  /// Why every loader must refuse the input (exit 65); empty when it may be valid.
  var invalidBecause: [String] = []
  /// Why `validate` must be a usage error (exit 64), if it must.
  var validateUsage: String?
  /// Why `run` must be a usage error (exit 64), if it must.
  var runUsage: String?
  /// Why the run is skipped when `validate` accepts the input (it would be too big), if it is.
  var tooCostly: String?
  /// Bug classes, fixed since, that the input exercises: a finding names them to help triage.
  var knownRisks: [String] = []
  /// Whether to run again on another thread count and compare the files byte for byte.
  var compareThreads = false
  /// Whether to `replay` the run folder.
  var replay = false
  /// Whether to check that `talentflow config` prints a configuration that validates (and
  /// is the one the run's manifest records).
  var roundTrip = false
  /// Whether the run writes to its default folder, `output/<name>-seed<seed>`, not `--out`.
  var defaultOut = false
  /// Whether a `name` too long for a folder name may be in force, so that the default run
  /// folder cannot be created (exit 73).
  var longName = false
  /// Whether the run saves checkpoints (`--checkpoint-every`).
  var checkpoint = false
  /// Whether the run writes `report.html` (`--report`).
  var report = false
  /// What an error message may name as its source: the files and the options.
  var sources: [String] = [
    "--set", "--seed", "--ticks", "--threads", "--checkpoint", ".checkpoint",
  ]

  /// `config`'s arguments: the resolved configuration `validate` checks.
  var configArguments: [String] { ["config", configuration] + validateOptions }

  /// `validate`'s arguments.
  var validateArguments: [String] {
    fileLast
      ? ["validate"] + validateOptions + [configuration]
      : ["validate", configuration] + validateOptions
  }

  /// `run`'s arguments, writing to `out` (nil: the default folder) on `threads` threads.
  func runArguments(out: String?, threads: String?) -> [String] {
    let options =
      runOptions + (out.map { ["--out", $0] } ?? []) + ["--quiet"]
      + (threads.map { ["--threads", $0] } ?? [])
    return fileLast ? ["run"] + options + [configuration] : ["run", configuration] + options
  }

  /// The configuration's text, for messages (invalid UTF-8 shown as U+FFFD).
  var configurationText: String { String(decoding: configurationBytes, as: UTF8.self) }

  /// "seed 0x…, case N", as the fuzz test names a case.
  var name: String { "seed \(seed), case \(number)" }

  /// Writes the case's input folders and files (its configuration too, when it has one) into
  /// `folder`.
  func writeInputs(into folder: URL) throws {
    for name in folders {
      try FileManager.default.createDirectory(
        at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
    }
    if writesConfiguration {
      try Data(configurationBytes).write(to: folder.appendingPathComponent(configuration))
    }
    for file in files {
      try Data(file.bytes).write(to: folder.appendingPathComponent(file.name))
    }
  }
}
