import Foundation
import TalentFlow

let replayCommand = Command(
  name: "replay",
  summary: "Regenerate a published run from its manifest and prove every file identical.",
  usage: """
    talentflow replay RUN_DIR|MANIFEST [--out DIR] [--threads N] [--force] [--quiet]
    """,
  about: """
    Rebuilds the run from its manifest.json alone (the resolved configuration, seed, ticks and
    warm-up), runs it into a fresh folder, and compares each output file's rows, bytes and
    SHA-256 with the manifest and with the published file beside it: one line per file,
    `identical`, `MISSING` (the manifest lists it, it is not there) or `DIFFERS`, a differing
    CSV named by its first differing row and column with both values. A manifest published
    without any of its files is checked against the replay alone (`matches the manifest`). A
    manifest made by another model version is replayed with a note first, since outputs are
    only promised identical within one model version.

    Exit status: 0 when every file is identical (or matches a manifest published alone); 1 when
    any file is missing, differs, or is written by the replay but not listed; 65, before
    anything runs, when the manifest contradicts itself: not valid JSON, a field missing or
    malformed (files[2].rows negative, a bad sha256), a file listed twice or one no run writes,
    a files list its configuration would not produce, or a configuration that no longer
    matches configurationSHA256; 73 when the replay folder cannot be created or replaced.
    """,
  positionals: [
    .init(label: "RUN_DIR|MANIFEST", help: "A run folder, or its manifest.json.")
  ],
  options: [
    Option(
      .out, .path("DIR"),
      """
      Where to regenerate the run (default: <run folder>-replay beside it,
      or -replay-2, -replay-3, … if that exists).
      """),
    .threads,
    Option(
      .force,
      """
      Replace an existing --out folder, if empty or written by
      TalentFlow (as for `run --force`), but never the run replayed.
      """),
    Option(.quiet, "Print only the per-file lines and the verdict."),
  ],
  run: { arguments in
    guard arguments.positionals.count == 1, let path = arguments.positionals.first else {
      throw UsageError("expected one run folder or manifest.json")
    }
    let threads =
      arguments.integer(.threads)
      ?? ProcessInfo.processInfo.activeProcessorCount
    let manifest = try RunManifest(path: path)
    let quiet = arguments.has(.quiet)
    let config = manifest.config
    if manifest.modelVersion != TalentFlowVersion.model {
      print(
        "Note: the manifest was made with model version \(manifest.modelVersion); this talentflow "
          + "implements model version \(TalentFlowVersion.model), so files may differ.")
    }
    if !manifest.missingKeys.isEmpty {
      print(
        "Note: the manifest's configuration lacks \(manifest.missingKeys.joined(separator: ", ")); "
          + "they take their defaults.")
    }
    let destination =
      arguments.value(.out).map { URL(fileURLWithPath: $0) }
      ?? manifest.defaultReplayFolder
    if let inside = realPath(manifest.folder), let out = realPath(destination),
      inside == out || inside.hasPrefix(out == "/" ? "/" : out + "/")
    {
      throw UsageError(
        "--out \(displayPath(destination)) \(inside == out ? "is" : "contains") the run being "
          + "replayed; the replay goes to another folder, so the published files stay to be "
          + "checked")
    }
    if !quiet {
      print(
        "Replaying \(displayPath(manifest.url)) (model \(manifest.modelVersion), seed \(config.seed), "
          + "\(config.time.warmup) warm-up + \(config.time.ticks) ticks, "
          + "\(config.population.size) professionals) into \(displayPath(destination))/")
    }
    let showProgress = !quiet && isatty(STDERR_FILENO) == 1
    let report = try Replay.run(
      manifest, destination: destination, force: arguments.has(.force), threads: threads,
      progress: showProgress ? progressPrinter(config: config, resumedAt: nil) : nil)
    if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    let width = (report.map(\.name.count).max() ?? 0) + 2
    for file in report {
      let name = file.name.padding(toLength: width, withPad: " ", startingAt: 0)
      print(name + verdictText(file))
    }
    if report.allSatisfy(\.identical) {
      print("All \(report.count) files identical: the run reproduces bit for bit.")
      return ExitCode.success
    }
    if report.allSatisfy(\.reproduces) {
      print(
        "All \(report.count) files match the manifest's rows, bytes and SHA-256; no published "
          + "file is beside it to compare.")
      return ExitCode.success
    }
    let missing = report.filter { $0.verdict == .missing }.count
    let differing = report.filter { $0.verdict == .differs }.count
    var counts: [String] = []
    if differing > 0 { counts.append("\(differing) of \(report.count) files differ") }
    if missing > 0 {
      counts.append(
        counts.isEmpty ? "\(missing) of \(report.count) files missing" : "\(missing) missing")
    }
    print(counts.joined(separator: "; ") + ".")
    return ExitCode.failure
  })

/// A file's verdict as its line of the report shows it.
func verdictText(_ file: ReplayedFile) -> String {
  switch file.verdict {
  case .identical: return "identical"
  case .matchesManifest: return "matches the manifest"
  case .missing: return "MISSING: \(file.detail ?? "")"
  case .differs: return "DIFFERS: \(file.detail ?? "")"
  }
}

/// The canonical path of an existing file or folder (symbolic links, `.` and `..` resolved).
func realPath(_ url: URL) -> String? {
  guard let resolved = realpath(url.standardizedFileURL.path, nil) else { return nil }
  defer { free(resolved) }
  return String(cString: resolved)
}

/// A path relative to the working directory when it lies inside it, else the absolute path.
func displayPath(_ url: URL) -> String {
  let path = url.standardizedFileURL.path
  let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
  return path.hasPrefix(here + "/") ? String(path.dropFirst(here.count + 1)) : path
}
