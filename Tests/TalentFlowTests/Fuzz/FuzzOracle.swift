import Foundation

/// Runs one fuzz case through `talentflow validate` and `talentflow run` and says what is wrong.
///
/// The promises checked: every process exits by itself (no signal, no timeout) with 0, 64, 65
/// or 73; `validate` and `run` agree (a run refused only as a usage error, or after validation
/// passed only by the finite-range guard, with nothing published); an input the fuzzer knows
/// to be invalid is refused; a refusal names the file or the option; a successful run's folder
/// keeps every promise of its manifest, has no blank cell and satisfies the accounting
/// identities; a failed run leaves nothing behind.
enum FuzzOracle {
  /// The longest a single `talentflow` process may take; longer is a hang.
  static let timeout: TimeInterval = 60
  /// The virtual memory a process may use (KiB), so that a runaway run fails fast instead of
  /// taking the memory of a shared machine.
  static let memoryLimit = 3_000_000
  /// Exit codes the README documents for `validate` and `run`.
  static let documented: Set<Int32> = [0, 64, 65, 73]

  /// What happened to one case.
  struct Outcome {
    var findings: [FuzzFinding] = []
    /// Each command and how it ended, for the report.
    var log: [String] = []
    /// How `validate` and `run` ended (`0`, `65`, `signal 6`, `hang`, `skipped`), for the log.
    var validateEnding = "-"
    var runEnding = "skipped"
  }

  /// Runs `talentflow` in `folder` with a memory limit and the oracle's timeout.
  static func talentflow(_ arguments: [String], in folder: URL) throws -> ProcessOutcome {
    try TalentflowProcess.run(arguments, in: folder, memoryLimit: memoryLimit, timeout: timeout)
  }

  /// Writes the case's files into `folder`, runs it, and checks everything.
  static func check(_ fuzzCase: FuzzCase, in folder: URL) throws -> Outcome {
    var outcome = Outcome()
    let fileManager = FileManager.default
    try fuzzCase.writeInputs(into: folder)
    let inputs = Set(TestFolder.contents(folder))
    func fail(_ kind: FuzzFinding.Kind, _ detail: String) {
      outcome.findings.append(FuzzFinding(kind: kind, detail: detail))
    }
    /// Whether a failed run may keep its working folder and checkpoint, for `--resume`: a run
    /// with checkpoints that stopped part-way.
    func resumable(_ run: ProcessOutcome, _ stopped: Bool) -> Bool {
      fuzzCase.checkpoint && run.status == 65 && stopped
    }
    /// Runs a command, records it, and reports a crash or a hang; nil if it did not exit.
    func execute(_ arguments: [String]) throws -> ProcessOutcome? {
      let result = try talentflow(arguments, in: folder)
      let shown = "talentflow " + arguments.map(shellQuoted).joined(separator: " ")
      let ending =
        result.timedOut
        ? "hang" : result.signalled ? "signal \(result.status)" : "\(result.status)"
      outcome.log.append(
        "\(shown)  → \(result.timedOut || result.signalled ? "" : "exit ")\(ending)")
      if arguments.first == "validate" && outcome.validateEnding == "-" {
        outcome.validateEnding = ending
      }
      if arguments.first == "run" && outcome.runEnding == "skipped" { outcome.runEnding = ending }
      if result.timedOut {
        fail(.hang, "`\(shown)` did not finish in \(Int(timeout)) s")
        return nil
      }
      if result.signalled {
        fail(.crash, "`\(shown)` ended by signal \(result.status)\(excerpt(result.stderr))")
        return nil
      }
      if !documented.contains(result.status) {
        fail(.exitCode, "`\(shown)` exited \(result.status)\(excerpt(result.stderr))")
      }
      return result
    }

    // validate
    let validate = try execute(fuzzCase.validateArguments)
    if let validate {
      if let usage = fuzzCase.validateUsage {
        if validate.status != 64 {
          fail(.exitCode, "validate exited \(validate.status), not 64, for \(usage)")
        }
      } else if validate.status == 0 {
        if !fuzzCase.invalidBecause.isEmpty {
          fail(
            .acceptedInvalid,
            "validate accepted the input, but " + fuzzCase.invalidBecause.joined(separator: "; "))
        }
        if !validate.stdout.contains("\(fuzzCase.configuration): ok") {
          fail(.message, "validate exited 0 without printing \"\(fuzzCase.configuration): ok\"")
        }
      } else if validate.status == 65 {
        if !names(validate.stderr, fuzzCase.sources) {
          fail(.message, "validate's refusal names no file or option\(excerpt(validate.stderr))")
        }
      } else if validate.status != 64 || fuzzCase.validateUsage == nil {
        fail(.exitCode, "validate exited \(validate.status)\(excerpt(validate.stderr))")
      }
    }
    var produced: Set<String> = []
    var resolved: NSDictionary? = nil
    if validate?.status == 0 && fuzzCase.roundTrip {
      produced.insert("resolved.json")
      resolved = try checkRoundTrip(fuzzCase, in: folder, execute: execute, fail: fail)
    }
    if validate?.status == 0, let tooCostly = fuzzCase.tooCostly {
      outcome.log.append("(run skipped: \(tooCostly))")
      return outcome
    }

    // run
    let defaultFolder = folder.appendingPathComponent("output")
    let out = fuzzCase.defaultOut ? nil : "out"
    guard let run = try execute(fuzzCase.runArguments(out: out, threads: fuzzCase.threads))
    else {
      return outcome
    }
    let stopped =
      run.stderr.contains("nothing was published") || run.stderr.contains("the run stopped")
    var expected: String
    var allowed: Set<Int32>
    if let usage = fuzzCase.runUsage ?? fuzzCase.validateUsage {
      (expected, allowed) = ("64 for \(usage)", [64])
    } else if let validate, validate.status == 65 {
      (expected, allowed) = ("65, as validate refused the input", [65])
    } else if let validate, validate.status == 0 {
      (expected, allowed) = ("0 or a stopped run, as validate accepted the input", [0])
      if stopped { allowed.insert(65) }
      // The default folder is named after `name`, which may be too long for a folder name.
      if fuzzCase.defaultOut && fuzzCase.longName { allowed.insert(73) }
    } else {
      (expected, allowed) = ("a documented exit code", documented)
    }
    if !allowed.contains(run.status) {
      fail(
        .disagreement,
        "run exited \(run.status), expected \(expected)\(excerpt(run.stderr))"
          + (validate.map { "; validate exited \($0.status)\(excerpt($0.stderr))" } ?? ""))
    }
    if fuzzCase.defaultOut && fileManager.fileExists(atPath: defaultFolder.path) {
      produced.insert("output")
    }
    if run.status == 0 {
      produced.insert("out")
      let written = TestFolder.contents(defaultFolder)
      if fuzzCase.defaultOut && written.count != 1 {
        fail(.lostFile, "the run exited 0 and output/ holds \(written), not one run folder")
        return outcome
      }
      let runPath = fuzzCase.defaultOut ? "output/" + (written.first ?? "") : "out"
      let runFolder = folder.appendingPathComponent(runPath)
      var folderCheck = RunFolderCheck(folder: runFolder, report: fuzzCase.report)
      folderCheck.run()
      outcome.findings += folderCheck.findings
      if let resolved, manifestConfiguration(runFolder) != resolved {
        fail(.roundTrip, "the manifest's configuration is not what `talentflow config` prints")
      }
      if fuzzCase.compareThreads {
        produced.insert("out-2")
        if let again = try execute(fuzzCase.runArguments(out: "out-2", threads: "2")) {
          compare(runFolder, folder.appendingPathComponent("out-2"), again, &outcome)
        }
      }
      if fuzzCase.replay {
        produced.insert("out-replay")
        let arguments = ["replay", runPath, "--out", "out-replay", "--quiet", "--threads", "2"]
        if let replay = try execute(arguments), replay.status != 0 {
          fail(.replay, "replay exited \(replay.status)\(excerpt(replay.stdout + replay.stderr))")
        }
      }
    } else {
      if run.stderr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
        fail(.message, "run exited \(run.status) with nothing on stderr")
      } else if !stopped && !names(run.stderr, fuzzCase.sources) {
        fail(.message, "run's refusal names no file or option\(excerpt(run.stderr))")
      }
      if fileManager.fileExists(atPath: folder.appendingPathComponent("out").path) {
        fail(.lostFile, "run exited \(run.status) but left something at --out")
      }
      let written = TestFolder.contents(defaultFolder).filter {
        !(resumable(run, stopped) && ($0.contains(".partial") || $0.hasSuffix(".checkpoint")))
      }
      if !written.isEmpty {
        fail(.lostFile, "run exited \(run.status) but left \(written) in output/")
      }
    }
    // Nothing else may appear beside the inputs: no partial folder, no stray output/ folder,
    // no checkpoint after a complete run. A stopped run with checkpoints keeps its working
    // folder and checkpoint, for --resume.
    for name in Set(TestFolder.contents(folder)).subtracting(inputs).subtracting(produced).sorted()
    {
      let kept = name.hasPrefix(".out.partial") || name.hasPrefix("out.checkpoint")
      if !(kept && resumable(run, stopped)) {
        fail(.lostFile, "run exited \(run.status) and left \(name) beside its inputs")
      }
    }
    return outcome
  }

  /// Checks that `talentflow config` prints, for an input `validate` accepted, a configuration
  /// that validates too; returns it, to compare with the run's manifest.
  private static func checkRoundTrip(
    _ fuzzCase: FuzzCase, in folder: URL, execute: ([String]) throws -> ProcessOutcome?,
    fail: (FuzzFinding.Kind, String) -> Void
  ) throws -> NSDictionary? {
    guard let config = try execute(fuzzCase.configArguments) else { return nil }
    guard config.status == 0 else {
      fail(
        .roundTrip,
        "validate accepted the input but config exited \(config.status)\(excerpt(config.stderr))")
      return nil
    }
    try Data(config.stdout.utf8).write(to: folder.appendingPathComponent("resolved.json"))
    if let again = try execute(["validate", "resolved.json"]), again.status != 0 {
      fail(.roundTrip, "the configuration config printed does not validate\(excerpt(again.stderr))")
    }
    guard let object = try? JSONSerialization.jsonObject(with: Data(config.stdout.utf8)),
      let dictionary = object as? NSDictionary
    else {
      fail(.roundTrip, "config printed something that is not a JSON object")
      return nil
    }
    return dictionary
  }

  /// The `configuration` a run folder's manifest records.
  private static func manifestConfiguration(_ runFolder: URL) -> NSDictionary? {
    guard let data = try? Data(contentsOf: runFolder.appendingPathComponent("manifest.json")),
      let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    else { return nil }
    return object["configuration"] as? NSDictionary
  }

  /// Compares two run folders of one configuration on different thread counts.
  private static func compare(
    _ first: URL, _ second: URL, _ result: ProcessOutcome, _ outcome: inout Outcome
  ) {
    guard result.status == 0 else {
      outcome.findings.append(
        FuzzFinding(
          kind: .determinism,
          detail: "the same run on 2 threads exited \(result.status)\(excerpt(result.stderr))"))
      return
    }
    let names = Set(TestFolder.contents(first)).union(TestFolder.contents(second))
    for name in names.sorted() where name != "manifest.json" && name != "report.html" {
      let a = try? Data(contentsOf: first.appendingPathComponent(name))
      let b = try? Data(contentsOf: second.appendingPathComponent(name))
      if a == nil || a != b {
        outcome.findings.append(
          FuzzFinding(kind: .determinism, detail: "\(name) differs between 1 and 2 threads"))
      }
    }
    func files(_ folder: URL) -> NSArray? {
      guard let data = try? Data(contentsOf: folder.appendingPathComponent("manifest.json")),
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
      else { return nil }
      return object["files"] as? NSArray
    }
    if files(first) == nil || files(first) != files(second) {
      outcome.findings.append(
        FuzzFinding(
          kind: .determinism, detail: "manifest.json files differ between 1 and 2 threads"))
    }
  }

  /// Whether an error message names one of the case's files or options.
  private static func names(_ stderr: String, _ sources: [String]) -> Bool {
    sources.contains { stderr.contains($0) }
  }

  /// The first lines of a process's output, to quote in a finding.
  static func excerpt(_ text: String) -> String {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { return " (nothing on stderr)" }
    let lines = trimmed.split(separator: "\n", omittingEmptySubsequences: false).prefix(4)
    let joined = lines.joined(separator: " ⏎ ")
    return ": " + (joined.count > 600 ? String(joined.prefix(600)) + "…" : joined)
  }

  /// An argument as a POSIX shell reads it back.
  static func shellQuoted(_ argument: String) -> String {
    let plain =
      !argument.isEmpty
      && argument.allSatisfy {
        $0.isASCII && ($0.isLetter || $0.isNumber || "-_./=+,:".contains($0))
      }
    return plain ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
