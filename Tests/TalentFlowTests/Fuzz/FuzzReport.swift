import Foundation

/// A failing fuzz case written up: what was fuzzed, what went wrong, and how to reproduce it.
struct FuzzReport {
  let fuzzCase: FuzzCase
  let outcome: FuzzOracle.Outcome

  /// The folder a saved case goes to, under the findings folder.
  var folderName: String { "seed-\(fuzzCase.seed)-case-\(fuzzCase.number)" }

  /// The report, as the test failure and `finding.txt` show it.
  var text: String {
    var lines = [
      "fuzz \(fuzzCase.name): " + outcome.findings.map(\.kind.rawValue).joined(separator: ", ")
    ]
    if !fuzzCase.knownRisks.isEmpty {
      lines.append(
        "input of a bug class fixed before: " + fuzzCase.knownRisks.joined(separator: "; "))
    }
    lines += outcome.findings.map { "- \($0.kind.rawValue): \($0.detail)" }
    lines.append("mutations: " + fuzzCase.mutations.joined(separator: "; "))
    lines.append("commands (in the case folder):")
    lines += outcome.log.map { "  \($0)" }
    let input = fuzzCase.configurationText
    lines.append(
      "\(fuzzCase.configuration)\(fuzzCase.writesConfiguration ? "" : " (not written)"): "
        + (input.count > 1500 ? String(input.prefix(1500)) + "…" : input))
    for file in fuzzCase.files {
      lines.append("\(file.name): " + String(decoding: file.bytes, as: UTF8.self))
    }
    lines.append(
      "reproduce: TALENTFLOW_FUZZ_SEED=\(fuzzCase.seed) TALENTFLOW_FUZZ_CASE=\(fuzzCase.number) "
        + "TALENTFLOW_FUZZ_FINDINGS=/tmp/fuzz swift test --filter ConfigurationFuzzTests "
        + "(writes /tmp/fuzz/\(folderName)/reproduce.sh)")
    return lines.joined(separator: "\n")
  }

  /// Saves the inputs, `reproduce.sh` and `finding.txt` into `<findings>/<folderName>/`.
  func save(under findings: URL) throws {
    let folder = findings.appendingPathComponent(folderName, isDirectory: true)
    let fileManager = FileManager.default
    try? fileManager.removeItem(at: folder)
    try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
    try fuzzCase.writeInputs(into: folder)
    let q = FuzzOracle.shellQuoted
    let run = fuzzCase.runArguments(out: "out", threads: fuzzCase.threads)
    let script = """
      #!/bin/sh
      # fuzz \(fuzzCase.name): \(outcome.findings.map(\.kind.rawValue).joined(separator: ", "))
      # Runs the case's two commands in this folder. TALENTFLOW: the binary (default talentflow).
      cd "$(dirname "$0")" && rm -rf out out-2 out-replay .out.partial-* out.checkpoint*
      talentflow="${TALENTFLOW:-talentflow}"
      "$talentflow" \(fuzzCase.validateArguments.map(q).joined(separator: " "))
      echo "validate: exit $?"
      "$talentflow" \(run.map(q).joined(separator: " "))
      echo "run: exit $?"

      """
    let scriptURL = folder.appendingPathComponent("reproduce.sh")
    try Data(script.utf8).write(to: scriptURL)
    try fileManager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scriptURL.path)
    try Data((text + "\n").utf8).write(to: folder.appendingPathComponent("finding.txt"))
  }

  /// Appends one line to a log that parallel cases share (a single `O_APPEND` write each).
  static func append(_ line: String, to file: URL) {
    try? FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    let descriptor = open(file.path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    let bytes = Array(line.utf8)
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
  }
}
