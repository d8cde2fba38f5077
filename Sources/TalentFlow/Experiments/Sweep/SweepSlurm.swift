import Foundation

/// The Slurm job array that runs a sweep on a cluster, one shard per array task, and the merge
/// job that waits for it.
///
/// `DIR/array.sbatch` runs task K as `talentflow sweep SPEC --shard K/N --out
/// DIR/shards/shard-K --resume` (a requeued or resubmitted task continues where it stopped);
/// a shard that finished with failed runs (exit 1 with its `shard.json` written) counts as a
/// success, since the merge carries its failures into `failures.csv`. `DIR/merge.sbatch`
/// merges `DIR/shards/shard-*` into the sweep folder and is submitted with
/// `--dependency=afterok:<array job>`, so it starts only when every task succeeded;
/// `DIR/submit.sh` holds the one-line command that submits both. Logs go to `DIR/logs/`. Every
/// path in the scripts is absolute: the cluster's nodes must see the same file system.
public struct SlurmScripts: Sendable {
  /// The `talentflow` executable the tasks call.
  public var executable: String
  /// The specification file.
  public var specification: String
  /// `--set` overrides, passed on to every task.
  public var overrides: [String]
  /// Where the scripts, logs and shards go.
  public var folder: URL
  /// The merged sweep folder.
  public var output: URL
  /// The sweep's name, for job names.
  public var name: String
  /// Array tasks (= shards).
  public var arraySize: Int
  public var partition: String?
  /// Wall-time limit per task, `[D-]HH:MM:SS`.
  public var time: String?
  /// CPUs per task; each task runs that many concurrent runs.
  public var cpusPerTask: Int
  /// The talentflow command each task runs: `sweep` or `sensitivity`.
  public var command: String

  public init(
    executable: String, specification: String, overrides: [String], folder: URL, output: URL,
    name: String, arraySize: Int, partition: String?, time: String?, cpusPerTask: Int,
    command: String = "sweep"
  ) {
    self.executable = executable
    self.specification = specification
    self.overrides = overrides
    self.folder = folder.standardizedFileURL
    self.output = output.standardizedFileURL
    self.name = name
    self.arraySize = arraySize
    self.partition = partition
    self.time = time
    self.cpusPerTask = cpusPerTask
    self.command = command
  }

  /// Whether `text` is a Slurm time limit: `MM:SS`, `HH:MM:SS` or `D-HH:MM:SS`, or minutes.
  public static func isTimeLimit(_ text: String) -> Bool {
    let pattern = #"^([0-9]+-)?([0-9]+:)?[0-9]+:[0-9]{2}$|^[0-9]+$"#
    return text.range(of: pattern, options: .regularExpression) != nil
  }

  /// Single-quotes a word for the shell.
  public static func quote(_ word: String) -> String {
    if !word.isEmpty,
      word.unicodeScalars.allSatisfy({
        CharacterSet.alphanumerics.contains($0) || "/._-=+:,@".unicodeScalars.contains($0)
      })
    {
      return word
    }
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  var shards: URL { folder.appendingPathComponent("shards") }
  var logs: URL { folder.appendingPathComponent("logs") }

  /// The `#SBATCH` lines every job shares.
  private func common(job: String, log: String) -> [String] {
    var lines = ["#SBATCH --job-name=\(job)", "#SBATCH --output=\(SlurmScripts.quote(log))"]
    if let partition { lines.append("#SBATCH --partition=\(partition)") }
    if let time { lines.append("#SBATCH --time=\(time)") }
    return lines
  }

  /// The job-array script.
  public var arrayScript: String {
    let q = SlurmScripts.quote
    let sets = overrides.map { " --set \(q($0))" }.joined()
    let lines =
      [
        "#!/bin/bash",
        writtenBy,
        "# talentflow \(command) \(name): one array task per shard (\(arraySize) shards).",
      ]
      + common(job: "tf-\(name)", log: logs.appendingPathComponent("shard-%a.out").path)
      + [
        "#SBATCH --array=1-\(arraySize)",
        "#SBATCH --cpus-per-task=\(cpusPerTask)",
        "set -euo pipefail",
        "k=\"$SLURM_ARRAY_TASK_ID\"",
        "out=\(q(shards.path))/\"shard-$k\"",
        "status=0",
        "\(q(executable)) \(command) \(q(specification))\(sets) --shard \"$k/\(arraySize)\" \\",
        "  --out \"$out\" --workers \"${SLURM_CPUS_PER_TASK:-\(cpusPerTask)}\" --resume --quiet \\",
        "  || status=$?",
        "# Exit 1 with shard.json written: the shard finished, but some of its runs failed. It",
        "# lists them and the merge carries them into failures.csv, so the merge must still run.",
        "if [ \"$status\" = 1 ] && [ -f \"$out/shard.json\" ]; then exit 0; fi",
        "exit \"$status\"",
      ]
    return lines.joined(separator: "\n") + "\n"
  }

  /// The merge script.
  public var mergeScript: String {
    let q = SlurmScripts.quote
    let lines =
      [
        "#!/bin/bash",
        writtenBy,
        "# talentflow \(command) \(name): merge the shards once every array task succeeded.",
      ]
      + common(job: "tf-\(name)-merge", log: logs.appendingPathComponent("merge.out").path)
      + [
        "#SBATCH --cpus-per-task=1",
        "set -euo pipefail",
        "exec \(q(executable)) merge \(q(shards.path))/shard-* --out \(q(output.path))",
      ]
    return lines.joined(separator: "\n") + "\n"
  }

  /// The one-line command that submits the array and the merge job depending on it.
  public var submitCommand: String {
    let q = SlurmScripts.quote
    let array = q(folder.appendingPathComponent("array.sbatch").path)
    let merge = q(folder.appendingPathComponent("merge.sbatch").path)
    return
      "jid=$(sbatch --parsable \(array)) && jid=${jid%%;*} && echo \"array job $jid\" && "
      + "sbatch --dependency=afterok:$jid \(merge)"
  }

  /// The line every emitted script has second, by which a later `--emit-slurm` knows it may
  /// replace the file.
  var writtenBy: String { "# Written by talentflow \(command) --emit-slurm." }

  /// Whether the start of a file is that of a script `--emit-slurm` wrote (of a sweep or an
  /// analysis).
  static func isEmitted(_ head: String) -> Bool {
    ["sweep", "sensitivity"].contains { head.contains("# Written by talentflow \($0) --emit-slurm.") }
  }

  /// Writes `array.sbatch`, `merge.sbatch` and `submit.sh`, and creates `logs/`.
  ///
  /// A file of those names that an earlier `--emit-slurm` did not write is never replaced:
  /// nothing is written then (exit 73).
  public func write() throws(SweepError) {
    let files = [
      ("array.sbatch", arrayScript), ("merge.sbatch", mergeScript),
      ("submit.sh", "#!/bin/sh\n\(writtenBy)\n" + submitCommand + "\n"),
    ]
    for (name, _) in files {
      let url = folder.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: url.path) else { continue }
      let head = FileHandle(forReadingAtPath: url.path).flatMap { handle in
        defer { try? handle.close() }
        return try? handle.read(upToCount: 4096)
      }
      if let head, SlurmScripts.isEmitted(String(decoding: head, as: UTF8.self)) {
        continue
      }
      throw SweepError(
        .cannotCreate,
        "cannot write \(url.path): it is a file talentflow did not write; --emit-slurm replaces "
          + "only its own scripts. Choose another folder.")
    }
    try SweepFiles.makeFolder(logs)
    for (name, text) in files {
      let url = folder.appendingPathComponent(name)
      try SweepFiles.writeAtomically(Array(text.utf8), to: url)
      chmod(url.path, 0o755)
    }
  }
}
