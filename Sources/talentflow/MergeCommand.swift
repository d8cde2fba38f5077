import Foundation
import TalentFlow

let mergeCommand = Command(
  name: "merge",
  summary: "Combine the shard folders of a sweep or analysis into the whole one's files.",
  usage: """
    talentflow merge SHARD-DIR... --out DIR [--quiet]
    """,
  about: """
    Reads the shard folders written by `talentflow sweep SPEC --shard K/N` (or `talentflow
    sensitivity SPEC --shard K/N`) and writes into DIR exactly the files the unsharded sweep
    (or analysis) writes (design.csv, runs.csv, summary.csv or indices.csv, failures.csv when
    runs failed, manifest.json and runs/ when kept), byte for byte. Refuses
    shards of different specifications, of different splits, repeated, unfinished or missing
    shards. DIR appears only when complete and must not exist yet. Runs that failed in their
    shards are listed in failures.csv, and the exit code is then 1.
    """,
  options: [
    Option(.out, .path("DIR"), "The merged sweep folder."),
    Option(.quiet, "No summary."),
  ],
  run: { arguments in
    guard !arguments.positionals.isEmpty else {
      throw UsageError("expected the shard folders to merge")
    }
    guard let out = arguments.value(.out) else { throw UsageError("--out DIR is required") }
    let destination = URL(fileURLWithPath: out)
    let merged = try SweepMerge.merge(
      shards: arguments.positionals.map { URL(fileURLWithPath: $0) }, destination: destination)
    let plan = merged.plan
    let folder = destination.standardizedFileURL.path
    if !arguments.has(.quiet) {
      let shards = arguments.positionals.count
      print(
        "Merged \(shards) shard\(shards == 1 ? "" : "s") of "
          + "\(plan.analysis == nil ? "sweep" : "sensitivity analysis") \(plan.name) into \(folder)/: "
          + writtenFiles(plan: plan, failures: merged.failures))
    }
    guard merged.failures.isEmpty else {
      printError(
        failureSummary(
          "talentflow merge", failures: merged.failures, total: plan.runCount, of: "",
          then: "\(folder)/failures.csv lists them. To retry them, run their shards again with "
            + "--resume, then merge into a new folder."))
      return ExitCode.failure
    }
    return ExitCode.success
  })
