import Foundation
import Testing

@testable import TalentFlow

/// Writes a sweep specification in which exactly one run fails, and returns its path.
///
/// With `macro.persistence` 1 the funding climate is a random walk, and with big-tech demand
/// ten times as sensitive to it, volatility 1 drives a big-tech target head count past 2^31 − 1
/// at tick 21 for seed 1 (run p2-r1): the run stops with a `SimulationError`. Seed 5 survives
/// the 40 ticks at volatility 1, and volatility 0.05 never comes close. `volatilities` other
/// than the default give a sweep without failures over the same runs.
private func writeFaultySpecification(
  in folder: URL, volatilities: String = "[0.05, 1]", name: String = "faulty"
) throws -> String {
  try TestFolder.write(
    """
    {"name": "\(name)", "ticks": 40,
     "set": {"population.size": 300, "firms.startups": 10, "time.warmup": 0,
             "macro.persistence": 1, "bigtech.climateSensitivity": 10},
     "grid": {"macro.volatility": \(volatilities)},
     "replicates": {"seeds": [1, 5]},
     "keep": "timeseries"}
    """, named: "\(name).json", in: folder)
}

/// The reference: the faulty sweep on one worker, run once for all tests, in a folder removed
/// when the test process exits.
private let reference: Result<(spec: String, out: URL, outcome: ProcessOutcome), any Error> =
  Result {
    let referenceFolder = try TestFolder.makeShared("faulty-reference")
    let spec = try writeFaultySpecification(in: referenceFolder)
    let out = referenceFolder.appendingPathComponent("out")
    let outcome = try TalentflowProcess.run(["sweep", spec, "--workers", "1", "--out", out.path])
    return (spec, out, outcome)
  }

/// The text of a file.
private func text(_ url: URL) throws -> String {
  try String(contentsOf: url, encoding: .utf8)
}

/// The first field of every data row of a CSV file.
private func firstFields(_ url: URL) throws -> [String] {
  try text(url).split(separator: "\n").dropFirst().map {
    String($0.split(separator: ",", maxSplits: 1)[0])
  }
}

/// A file's inode and modification time: what a rewrite, atomic or not, changes.
private func identity(_ url: URL) throws -> [String] {
  let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
  return [
    "\(attributes[.systemFileNumber] ?? "?")", "\(attributes[.modificationDate] ?? "?")",
  ]
}

/// Runs an emitted Slurm script with bash, as an array task `task` would run it.
private func runScript(_ script: URL, task: Int? = nil) throws -> ProcessOutcome {
  try TalentflowProcess.runTool(
    "/bin/bash", [script.path],
    environment: task.map { ["SLURM_ARRAY_TASK_ID": "\($0)"] } ?? [:], timeout: 300)
}

/// Sweeps given hostile ranges, and sweeps in which some runs fail.
@Suite("Sweep faults")
struct SweepFaultTests {
  @Test func aSampledRangeBeyondItsKeysRangeIsRefusedNamingFileKeyAndValue() throws {
    let folder = try TestFolder.make("sweep-range")
    defer { TestFolder.remove(folder) }
    let spec = try TestFolder.write(
      #"{"name": "wide", "sample": {"method": "lhs", "points": 4, "seed": 1, "ranges": {"macro.volatility": [-1e308, 1e308]}}}"#,
      named: "wide.json", in: folder)
    let out = folder.appendingPathComponent("out")
    let result = try TalentflowProcess.run(["sweep", spec, "--out", out.path])
    #expect(result.exited(with: 65), "\(result.stderr)")
    #expect(
      result.stderr.contains(
        "\(spec): sample.ranges.macro.volatility: macro.volatility must be a probability in "
          + "[0, 1], got -1e+308"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func aFailedRunIsRecordedAndEveryOtherRunFinishes() throws {
    let (spec, out, outcome) = try reference.get()
    #expect(outcome.exited(with: 1), "\(outcome.stderr)")
    #expect(
      outcome.stderrLines.first
        == "talentflow sweep: 1 of 4 runs failed (p2-r1); the other 3 finished. "
        + "\(out.path)/failures.csv lists them; run the same command with --resume to retry only "
        + "them.")
    #expect(
      outcome.stderr.contains(
        "The first, p2-r1: tick 21, after firm finance: the target head count of bigtech firm 0 "
      ), "\(outcome.stderr)")
    #expect(outcome.stdout.contains("runs.csv (3 of 4 runs), summary.csv, failures.csv (1 failed"))
    #expect(
      TestFolder.contents(out) == [
        "design.csv", "failures.csv", "manifest.json", "results", "runs", "runs.csv",
        "summary.csv",
      ])

    // failures.csv: the run, its point, replicate, seed and swept values, and the message.
    let failures = try text(out.appendingPathComponent("failures.csv")).split(separator: "\n")
    #expect(failures.count == 2)
    #expect(failures.first == "run,point,replicate,seed,macro.volatility,message")
    #expect(
      failures.last?.hasPrefix(
        #"p2-r1,2,1,1,1,"tick 21, after firm finance: the target head count of bigtech firm 0 is "#
      ) == true, "\(failures)")
    let record = try JSONParser.parse(
      bytes: [UInt8](Data(contentsOf: out.appendingPathComponent("results/p2-r1.failure.json"))))
    #expect(record["run"] == .string("p2-r1"))

    // The tables hold what finished: runs.csv the other runs, summary.csv the points all of
    // whose replicates finished; no run folder for the failed run.
    #expect(try firstFields(out.appendingPathComponent("runs.csv")) == ["p1-r1", "p1-r2", "p2-r2"])
    #expect(Set(try firstFields(out.appendingPathComponent("summary.csv"))) == ["1"])
    #expect(TestFolder.contents(out.appendingPathComponent("runs")) == ["p1-r1", "p1-r2", "p2-r2"])

    let manifest = try JSONParser.parse(
      bytes: [UInt8](Data(contentsOf: out.appendingPathComponent("manifest.json"))))
    #expect(manifest["runs"] == .number(4) && manifest["failedRuns"] == .number(1))
    let files = try #require(manifest["files"]?.arrayValue)
    let names = files.compactMap { $0["name"]?.stringValue }
    #expect(names.contains("failures.csv"))
    #expect(files.count == 4 + 3 * 2)
    for file in files {
      let name = try #require(file["name"]?.stringValue)
      let bytes = [UInt8](try Data(contentsOf: out.appendingPathComponent(name)))
      #expect(file["sha256"]?.stringValue == SHA256.hexDigest(bytes), "\(name)")
    }

    // The finished runs' outputs are those of a sweep over the point that does not fail.
    let folder = try TestFolder.make("sweep-healthy")
    defer { TestFolder.remove(folder) }
    let healthySpec = try writeFaultySpecification(in: folder, volatilities: "[0.05]")
    let healthy = folder.appendingPathComponent("out")
    let result = try TalentflowProcess.run(["sweep", healthySpec, "--out", healthy.path])
    #expect(result.exited(with: 0), "\(result.stderr)")
    #expect(!result.stderr.contains("failed"))
    #expect(
      TestFolder.contents(healthy) == [
        "design.csv", "manifest.json", "runs", "runs.csv", "summary.csv",
      ])
    let healthyManifest = try text(healthy.appendingPathComponent("manifest.json"))
    #expect(!healthyManifest.contains("failedRuns"))
    #expect(!healthyManifest.contains("failures.csv"))
    let runs = try text(out.appendingPathComponent("runs.csv")).split(separator: "\n")
    #expect(
      Array(runs.prefix(3))
        == (try text(healthy.appendingPathComponent("runs.csv")).split(separator: "\n")))
    #expect(
      try Data(contentsOf: out.appendingPathComponent("summary.csv"))
        == Data(contentsOf: healthy.appendingPathComponent("summary.csv")))
    for id in ["p1-r1", "p1-r2"] {
      #expect(
        try Data(contentsOf: out.appendingPathComponent("runs/\(id)/timeseries.csv"))
          == Data(contentsOf: healthy.appendingPathComponent("runs/\(id)/timeseries.csv")))
    }
    _ = spec
  }

  @Test func resumeRetriesOnlyTheFailedRuns() throws {
    let (spec, reference, _) = try reference.get()
    let folder = try TestFolder.make("sweep-retry")
    defer { TestFolder.remove(folder) }
    let out = folder.appendingPathComponent("out")
    let first = try TalentflowProcess.run(["sweep", spec, "--workers", "2", "--out", out.path])
    #expect(first.exited(with: 1), "\(first.stderr)")

    let again = try TalentflowProcess.run(["sweep", spec, "--out", out.path])
    #expect(again.exited(with: 73))
    #expect(again.stderr.contains("add --resume"))

    let finished =
      ["results/p1-r1.csv", "results/p1-r2.csv", "results/p2-r2.csv"]
      + ["p1-r1", "p1-r2", "p2-r2"].map { "runs/\($0)/timeseries.csv" }
    let before = try finished.map { try identity(out.appendingPathComponent($0)) }
    let resumed = try TalentflowProcess.run([
      "sweep", spec, "--workers", "2", "--out", out.path, "--resume",
    ])
    #expect(resumed.exited(with: 1), "\(resumed.stderr)")
    #expect(resumed.stderr.contains("1 of 4 runs failed (p2-r1)"), "\(resumed.stderr)")
    #expect(resumed.stdout.contains("ran 1 of 4 runs"), "\(resumed.stdout)")
    #expect(resumed.stdout.contains("(3 were already finished)"), "\(resumed.stdout)")
    #expect(try finished.map { try identity(out.appendingPathComponent($0)) } == before)
    try expectSameSweepFiles(reference, out)

    // A run recorded as failed that finishes when retried leaves no trace of its failure.
    try FileManager.default.removeItem(at: out.appendingPathComponent("results/p1-r1.csv"))
    try FileManager.default.removeItem(at: out.appendingPathComponent("runs/p1-r1"))
    try SweepFailure(
      run: SweepRun(index: 0, point: 1, replicate: 1, seed: 1, id: "p1-r1"), message: "pretend"
    ).write(folder: out)
    let retried = try TalentflowProcess.run(["sweep", spec, "--out", out.path, "--resume"])
    #expect(retried.exited(with: 1), "\(retried.stderr)")
    #expect(retried.stdout.contains("ran 2 of 4 runs"), "\(retried.stdout)")
    try expectSameSweepFiles(reference, out)
  }

  @Test func aSweepWhoseFailedRunsAllFinishOnRetryIsLikeOneThatNeverFailed() throws {
    let folder = try TestFolder.make("sweep-recovered")
    defer { TestFolder.remove(folder) }
    let spec = try writeFaultySpecification(in: folder, volatilities: "[0.05]")
    let healthy = folder.appendingPathComponent("healthy")
    let result = try TalentflowProcess.run(["sweep", spec, "--out", healthy.path])
    #expect(result.exited(with: 0), "\(result.stderr)")

    // The folder as a sweep in which p1-r1 failed would have left it.
    let out = folder.appendingPathComponent("out")
    try FileManager.default.copyItem(at: healthy, to: out)
    let plan = try SweepPlan(specification: SweepSpecification.load(file: spec), overrides: [])
    let results = out.appendingPathComponent("results")
    try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
    try Data(
      (SweepRunner.identityJSON(plan: plan, shard: nil).serialized(pretty: true) + "\n").utf8
    ).write(to: results.appendingPathComponent("sweep.json"))
    try FileManager.default.copyItem(
      at: out.appendingPathComponent("runs/p1-r2/timeseries.csv"),
      to: results.appendingPathComponent("p1-r2.csv"))
    try FileManager.default.removeItem(at: out.appendingPathComponent("runs/p1-r1"))
    try SweepFailure(run: plan.run(0), message: "pretend").write(folder: out)
    try TestFolder.write("stale", named: "failures.csv", in: out)
    let manifest = out.appendingPathComponent("manifest.json")
    let marked = try text(manifest).replacingOccurrences(
      of: "\"runs\": 2,\n", with: "\"runs\": 2,\n  \"failedRuns\": 1,\n")
    #expect(marked.contains("failedRuns"))
    try Data(marked.utf8).write(to: manifest)

    let resumed = try TalentflowProcess.run(["sweep", spec, "--out", out.path, "--resume"])
    #expect(resumed.exited(with: 0), "\(resumed.stderr)")
    #expect(resumed.stdout.contains("ran 1 of 2 runs"), "\(resumed.stdout)")
    try expectSameSweepFiles(healthy, out)
  }

  @Test func failuresAreTheSameWithTwoWorkersAndWithMergedShards() throws {
    let (spec, reference, _) = try reference.get()
    let folder = try TestFolder.make("sweep-split")
    defer { TestFolder.remove(folder) }
    let two = folder.appendingPathComponent("two")
    let result = try TalentflowProcess.run(["sweep", spec, "--workers", "2", "--out", two.path])
    #expect(result.exited(with: 1), "\(result.stderr)")
    try expectSameSweepFiles(reference, two)

    // Shard 1/2 holds p1-r1 and p2-r1, shard 2/2 p1-r2 and p2-r2.
    let shards = (1...2).map { folder.appendingPathComponent("shard-\($0)") }
    for (k, shard) in shards.enumerated() {
      let result = try TalentflowProcess.run([
        "sweep", spec, "--shard", "\(k + 1)/2", "--out", shard.path, "--quiet",
      ])
      #expect(result.exited(with: k == 0 ? 1 : 0), "\(result.stderr)")
      #expect(result.stdout.isEmpty)
    }
    let record = try JSONParser.parse(
      bytes: [UInt8](Data(contentsOf: shards[0].appendingPathComponent("shard.json"))))
    let entries = try #require(record["runs"]?.arrayValue)
    #expect(entries.map { $0["id"] } == [.string("p1-r1"), .string("p2-r1")])
    #expect(entries[0]["sha256"] != nil && entries[1]["failure"] != nil)

    // Retrying the shard retries its failed run only.
    let resumed = try TalentflowProcess.run([
      "sweep", spec, "--shard", "1/2", "--out", shards[0].path, "--resume",
    ])
    #expect(resumed.exited(with: 1), "\(resumed.stderr)")
    #expect(resumed.stderr.contains("1 of 2 runs of shard 1/2 failed (p2-r1)"), "\(resumed.stderr)")
    #expect(resumed.stdout.contains("ran 1 of 2 runs"), "\(resumed.stdout)")

    let merged = folder.appendingPathComponent("merged")
    let merge = try TalentflowProcess.run(
      ["merge"] + shards.reversed().map(\.path) + ["--out", merged.path])
    #expect(merge.exited(with: 1), "\(merge.stderr)")
    #expect(
      merge.stderrLines.first
        == "talentflow merge: 1 of 4 runs failed (p2-r1); the other 3 finished. "
        + "\(merged.path)/failures.csv lists them. To retry them, run their shards again with "
        + "--resume, then merge into a new folder.")
    #expect(!TestFolder.contents(merged).contains("results"))
    try expectSameSweepFiles(reference, merged, skipping: "results/")
  }

  @Test func theReportOfASweepWithFailedRunsCountsThemAndFindsNoMismatch() throws {
    let (_, out, _) = try reference.get()
    let data = try SweepData.load(folder: out)
    #expect(data.problems.isEmpty, "\(data.problems)")
    #expect(data.facts.runs == 4 && data.facts.failedRuns == 1)
    let runs = SweepReport.document(data).facts.first { $0.label == "Runs" }
    #expect(runs?.value == "4 (1 failed; failures.csv lists them)")
  }

  @Test func theSlurmArrayLetsAShardWithFailedRunsThroughToTheMerge() throws {
    let (spec, reference, _) = try reference.get()
    let folder = try TestFolder.make("sweep-slurm-faults")
    defer { TestFolder.remove(folder) }
    let scripts = folder.appendingPathComponent("slurm")
    let merged = folder.appendingPathComponent("merged")
    let emitted = try TalentflowProcess.run([
      "sweep", spec, "--emit-slurm", scripts.path, "--array-size", "2", "--out", merged.path,
    ])
    #expect(emitted.exited(with: 0), "\(emitted.stderr)")
    let array = scripts.appendingPathComponent("array.sbatch")
    for task in 1...2 {
      let result = try runScript(array, task: task)
      #expect(result.exited(with: 0), "task \(task): \(result.stderr)")
    }
    // Any other failure still fails the task, so the merge never starts.
    #expect(try runScript(array, task: 3).exited(with: 64))

    let merge = try runScript(scripts.appendingPathComponent("merge.sbatch"))
    #expect(merge.exited(with: 1), "\(merge.stderr)")
    #expect(merge.stderr.contains("1 of 4 runs failed (p2-r1)"))
    try expectSameSweepFiles(reference, merged, skipping: "results/")
  }
}
