import Foundation
import TalentFlow

let datasetCommand = Command(
  name: "dataset",
  summary: "Build a dataset (tidy tables + Frictionless Data Package) from a specification.",
  usage: """
    talentflow dataset SPEC.json --out DIR [--workers N] [--set key.path=value]...
                              [--force] [--quiet]
    """,
  about: """
    Runs every scenario of the specification on every replicate seed (the same seeds in every
    scenario), in parallel, and writes into DIR: flows_yearly.csv, stocks_monthly.csv,
    scenarios.csv, datapackage.json (schemas, units, allowed values, SHA-256 of every file) and
    README.md. The folder appears only when every file is complete. The files do not depend on
    --workers. Run it from the repository root so recorded paths are relative.
    """,
  options: [
    Option(.out, .path("DIR"), "Dataset folder (required)."),
    Option(.workers, .integer("N", 1...1024), "Runs at once (default: all cores)."),
    Option(
      .set, .text("key.path=value"), "Override a configuration key in every scenario; repeatable."),
    Option(
      .force,
      """
      Replace an existing folder, if empty or written by TalentFlow
      (as for `run --force`).
      """),
    Option(.quiet, "No progress line."),
  ],
  run: { arguments in
    guard arguments.positionals.count == 1, var file = arguments.positionals.first else {
      throw UsageError("expected one specification file")
    }
    guard let out = arguments.value(.out) else { throw UsageError("--out DIR is required") }
    let cwd = FileManager.default.currentDirectoryPath + "/"
    if file.hasPrefix(cwd) { file.removeFirst(cwd.count) }
    let workers =
      arguments.integer(.workers)
      ?? ProcessInfo.processInfo.activeProcessorCount
    let spec = try DatasetSpecification.load(file: file, extraOverrides: arguments.all(.set))
    let showProgress = !arguments.has(.quiet) && isatty(STDERR_FILENO) == 1
    let files = try Dataset.build(
      spec, destination: URL(fileURLWithPath: out), workers: workers,
      force: arguments.has(.force),
      progress: { done, total in
        guard showProgress else { return }
        FileHandle.standardError.write(Data("\rruns \(done)/\(total)   ".utf8))
      })
    if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    if !arguments.has(.quiet) {
      print(
        "Wrote \(out)/: "
          + files.map { "\($0.name) (\($0.rows) rows)" }.joined(separator: ", ")
          + ", datapackage.json, README.md")
    }
    return ExitCode.success
  })
