import Foundation
import TalentFlow

let mergeCommand = Command(
  name: "merge",
  summary: "Combine the shard folders of a sweep into the files of the whole sweep.",
  help: """
    USAGE: talentflow merge SHARD-DIR... --out DIR [--quiet]

    Reads the shard folders written by `talentflow sweep SPEC --shard K/N` and writes into DIR
    exactly the files the unsharded sweep writes (design.csv, runs.csv, summary.csv,
    manifest.json and runs/ when kept), byte for byte. Refuses shards of different
    specifications, of different splits, repeated, unfinished or missing shards. DIR appears
    only when complete and must not exist yet.

    OPTIONS:
      --out DIR            The merged sweep folder.
      --quiet              No summary.
    """,
  run: { args in
    let arguments = try Arguments(args, options: ["out"], flags: ["quiet"])
    guard !arguments.positionals.isEmpty else {
      throw UsageError("expected the shard folders to merge")
    }
    guard let out = arguments.value("out") else { throw UsageError("--out DIR is required") }
    let destination = URL(fileURLWithPath: out)
    let plan = try SweepMerge.merge(
      shards: arguments.positionals.map { URL(fileURLWithPath: $0) }, destination: destination)
    if !arguments.has("quiet") {
      print(
        "Merged \(arguments.positionals.count) shard\(arguments.positionals.count == 1 ? "" : "s") "
          + "of sweep \(plan.name) into \(destination.standardizedFileURL.path)/: design.csv "
          + "(\(plan.points.count) design points), runs.csv (\(plan.runCount) runs), summary.csv, "
          + "manifest.json\(plan.keep == .none ? "" : ", runs/")")
    }
    return Exit.success
  })
