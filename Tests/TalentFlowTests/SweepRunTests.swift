import Foundation
import Testing

@testable import TalentFlow

/// Runs `talentflow` to the end.
private func talentflow(_ arguments: [String]) throws -> ProcessOutcome {
  try TalentflowProcess.run(arguments)
}

/// Every file under `folder` by relative path, with each run's own `manifest.json` stripped of
/// its `run` member (wall time and host, which no checksum covers), and without the files under
/// `skipping` (a folder's relative path ending in `/`).
func sweepTree(_ folder: URL, skipping: String? = nil) throws -> [String: [UInt8]] {
  var files: [String: [UInt8]] = [:]
  let root = folder.standardizedFileURL.path
  guard let walker = FileManager.default.enumerator(atPath: root) else { return files }
  while let relative = walker.nextObject() as? String {
    if let skipping, relative.hasPrefix(skipping) { continue }
    let path = root + "/" + relative
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue
    else { continue }
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    if relative.hasPrefix("runs/") && relative.hasSuffix("/manifest.json") {
      let json = try JSONParser.parse(bytes: bytes)
      let kept = (json.objectValue ?? []).filter { $0.key != "run" }
      bytes = Array(JSONValue.object(kept).serialized().utf8)
    }
    files[relative] = bytes
  }
  return files
}

/// Checks two sweep folders hold the same files with the same bytes (but those under
/// `skipping`).
func expectSameSweepFiles(
  _ a: URL, _ b: URL, skipping: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let left = try sweepTree(a, skipping: skipping)
  let right = try sweepTree(b, skipping: skipping)
  #expect(left.keys.sorted() == right.keys.sorted(), sourceLocation: sourceLocation)
  for (name, bytes) in left where right[name] != bytes {
    Issue.record("\(name) differs between \(a.path) and \(b.path)", sourceLocation: sourceLocation)
  }
}

/// A small sweep: 2 grid values × 2 sampled points × 3 replicates = 12 runs of 600
/// professionals over 12 ticks after 6 of warm-up.
private func writeSpecification(in folder: URL, keep: String = "timeseries", name: String = "tiny")
  throws -> String
{
  let base = folder.appendingPathComponent("base.json")
  try Data(
    #"{"population": {"size": 600}, "firms": {"startups": 20}, "time": {"warmup": 6}}"#.utf8
  ).write(to: base)
  let spec = folder.appendingPathComponent("\(name)-\(keep).json")
  try Data(
    """
    {"name": "\(name)", "base": "base.json", "ticks": 12,
     "grid": {"policy.nonCompete": [0, 1]},
     "sample": {"method": "lhs", "points": 2, "seed": 3, "ranges": {"equity.optimism": [1, 5]}},
     "replicates": {"count": 3, "baseSeed": 40},
     "keep": "\(keep)"}
    """.utf8
  ).write(to: spec)
  return spec.path
}

/// The reference: the tiny sweep on one worker, computed once for all tests, in a folder
/// removed when the test process exits.
private let reference: Result<(spec: String, folder: URL), any Error> = Result {
  let referenceFolder = try TestFolder.makeShared("sweep-reference")
  let spec = try writeSpecification(in: referenceFolder)
  let out = referenceFolder.appendingPathComponent("out")
  let result = try talentflow(["sweep", spec, "--workers", "1", "--out", out.path])
  guard result.status == 0 else {
    throw SweepError(.failure, "reference sweep failed: \(result.stderr)")
  }
  return (spec, out)
}

@Suite("Sweeps end to end")
struct SweepRunTests {
  @Test func theReferenceSweepWritesItsTablesAndAFolderPerRun() throws {
    let (_, out) = try reference.get()
    let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
    #expect(names == ["design.csv", "manifest.json", "runs", "runs.csv", "summary.csv"])
    let runs = try String(contentsOf: out.appendingPathComponent("runs.csv"), encoding: .utf8)
      .split(separator: "\n")
    #expect(runs.count == 13)
    #expect(
      runs[0] == "run,point,replicate,seed,policy.nonCompete,equity.optimism,"
        + RunMeasures.headlineNames.joined(separator: ","))
    #expect(runs[1].hasPrefix("p1-r1,1,1,40,0,") && runs[12].hasPrefix("p4-r3,4,3,42,1,"))
    let summary = try String(contentsOf: out.appendingPathComponent("summary.csv"), encoding: .utf8)
      .split(separator: "\n")
    #expect(summary.count == 1 + 4 * 13 * (Timeseries.columns.count - 2))
    #expect(summary[0] == "point,tick,column,mean,sd,q025,q975")
    #expect(summary[1].hasPrefix("1,0,professionals,"))
    let folders = try FileManager.default.contentsOfDirectory(
      atPath: out.appendingPathComponent("runs").path
    ).sorted()
    #expect(folders.count == 12 && folders.first == "p1-r1")
    let kept = try FileManager.default.contentsOfDirectory(
      atPath: out.appendingPathComponent("runs/p2-r3").path
    ).sorted()
    #expect(kept == ["flows.csv", "manifest.json", "timeseries.csv"])

    // The manifest's checksums are those of the files.
    let manifest = try JSONParser.parse(
      bytes: [UInt8](Data(contentsOf: out.appendingPathComponent("manifest.json"))))
    let files = try #require(manifest["files"]?.arrayValue)
    #expect(files.count == 3 + 12 * 2)
    for file in files {
      let name = try #require(file["name"]?.stringValue)
      let bytes = [UInt8](try Data(contentsOf: out.appendingPathComponent(name)))
      #expect(file["sha256"]?.stringValue == SHA256.hexDigest(bytes), "\(name)")
    }
    #expect(manifest["runs"] == .number(12))

    // A run's timeseries is that of `talentflow run` with the same configuration and seed.
    let runManifest = try JSONParser.parse(
      bytes: [UInt8](Data(contentsOf: out.appendingPathComponent("runs/p2-r3/manifest.json"))))
    let configuration = try #require(runManifest["configuration"])
    #expect(configuration["seed"] == .number(42))
    let scratch = try TestFolder.make("sweep-single")
    defer { TestFolder.remove(scratch) }
    let config = scratch.appendingPathComponent("p2-r3.json")
    try Data(configuration.serialized().utf8).write(to: config)
    let single = scratch.appendingPathComponent("single")
    let run = try talentflow(["run", config.path, "--out", single.path, "--quiet"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      try Data(contentsOf: single.appendingPathComponent("timeseries.csv"))
        == Data(contentsOf: out.appendingPathComponent("runs/p2-r3/timeseries.csv")))
  }

  /// runs.csv's measures are the library's: every run's row equals `talentflow measures` on
  /// the run's kept folder, value for value (an unavailable measure an empty field in both).
  @Test func runsCSVMeasuresEqualTalentflowMeasuresOnTheKeptRun() throws {
    let (_, out) = try reference.get()
    let lines = try String(contentsOf: out.appendingPathComponent("runs.csv"), encoding: .utf8)
      .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    let header = lines[0].map(String.init)
    let first = try #require(header.firstIndex(of: RunMeasures.headlineNames[0]))
    #expect(Array(header[first...]) == RunMeasures.headlineNames)
    #expect(lines.count == 13)
    for fields in lines.dropFirst() {
      let folder = out.appendingPathComponent("runs/\(fields[0])")
      let measured = try TalentflowProcess.run(["measures", folder.path, "--csv"])
      #expect(measured.exited(with: 0), "\(measured.stderr)")
      var printed: [String: String] = [:]
      for row in measured.stdout.split(separator: "\n").dropFirst() {
        let cells = row.split(separator: ",", omittingEmptySubsequences: false)
        printed[String(cells[0])] = String(cells[1])
      }
      for (k, name) in RunMeasures.headlineNames.enumerated() {
        #expect(String(fields[first + k]) == printed[name], "\(fields[0]) \(name)")
        #expect(!fields[first + k].isEmpty, "\(fields[0]) \(name)")
      }
    }
  }

  @Test func threeWorkersWriteTheSameFilesAsOne() throws {
    let (spec, out) = try reference.get()
    let folder = try TestFolder.make("sweep-workers")
    defer { TestFolder.remove(folder) }
    let three = folder.appendingPathComponent("three")
    let result = try talentflow(["sweep", spec, "--workers", "3", "--out", three.path])
    #expect(result.status == 0, "\(result.stderr)")
    try expectSameSweepFiles(out, three)

    // Keeping nothing changes neither the tables nor the design, only the manifest.
    let noneSpec = try writeSpecification(in: folder, keep: "none")
    let none = folder.appendingPathComponent("none")
    let second = try talentflow(["sweep", noneSpec, "--workers", "3", "--out", none.path])
    #expect(second.status == 0, "\(second.stderr)")
    for name in ["design.csv", "runs.csv", "summary.csv"] {
      #expect(
        try Data(contentsOf: none.appendingPathComponent(name))
          == Data(contentsOf: out.appendingPathComponent(name)), "\(name)")
    }
    #expect(!FileManager.default.fileExists(atPath: none.appendingPathComponent("runs").path))
  }

  @Test func keepAllKeepsEveryOutputTheBaseAsksFor() throws {
    let folder = try TestFolder.make("sweep-all")
    defer { TestFolder.remove(folder) }
    let spec = try writeSpecification(in: folder, keep: "all")
    let out = folder.appendingPathComponent("out")
    let result = try talentflow([
      "sweep", spec, "--out", out.path, "--workers", "2", "--set", "output.moves=true",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let kept = try FileManager.default.contentsOfDirectory(
      atPath: out.appendingPathComponent("runs/p3-r2").path
    ).sorted()
    #expect(kept == ["firms.csv", "flows.csv", "manifest.json", "moves.csv", "timeseries.csv"])
    let manifest = try JSONParser.parse(
      bytes: [UInt8](Data(contentsOf: out.appendingPathComponent("manifest.json"))))
    let names = try #require(manifest["files"]?.arrayValue).compactMap { $0["name"]?.stringValue }
    #expect(names.count == 3 + 12 * 4)
    #expect(names.contains("runs/p3-r2/moves.csv"))
    #expect(manifest["keep"] == .string("all"))
  }

  @Test(arguments: [1, 2, 5])
  func shardsMergedWriteTheSameFilesAsOneSweep(shards: Int) throws {
    let (spec, out) = try reference.get()
    let folder = try TestFolder.make("sweep-shards")
    defer { TestFolder.remove(folder) }
    var shardFolders: [String] = []
    for k in 1...shards {
      let shard = folder.appendingPathComponent("shard-\(k)").path
      let result = try talentflow([
        "sweep", spec, "--shard", "\(k)/\(shards)", "--workers", "2", "--out", shard, "--quiet",
      ])
      #expect(result.status == 0, "\(result.stderr)")
      shardFolders.append(shard)
    }
    let merged = folder.appendingPathComponent("merged")
    let result = try talentflow(["merge"] + shardFolders.reversed() + ["--out", merged.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Merged \(shards) shard"))
    try expectSameSweepFiles(out, merged)
  }

  @Test func mergeRefusesMissingRepeatedUnfinishedAndForeignShards() throws {
    let (spec, _) = try reference.get()
    let folder = try TestFolder.make("sweep-refuse")
    defer { TestFolder.remove(folder) }
    func shard(_ k: Int, of n: Int, _ extra: [String] = []) throws -> String {
      let path = folder.appendingPathComponent("s\(k)of\(n)\(extra.joined())").path
      let result = try talentflow(
        ["sweep", spec, "--shard", "\(k)/\(n)", "--out", path, "--quiet"] + extra)
      #expect(result.status == 0, "\(result.stderr)")
      return path
    }
    let one = try shard(1, of: 3)
    let two = try shard(2, of: 3)
    let out = folder.appendingPathComponent("merged").path

    let missing = try talentflow(["merge", one, two, "--out", out])
    #expect(missing.status == 65)
    #expect(missing.stderr.contains("missing shard 3/3; merge needs all 3 shards of the sweep"))

    let repeated = try talentflow(["merge", one, two, one, "--out", out])
    #expect(repeated.status == 65)
    #expect(repeated.stderr.contains("shard 1/3 is given twice"))

    let foreign = try shard(3, of: 3, ["--set", "policy.antitrust=0.5"])
    let mixed = try talentflow(["merge", one, two, foreign, "--out", out])
    #expect(mixed.status == 65)
    #expect(mixed.stderr.contains("are shards of different specifications"), "\(mixed.stderr)")

    let otherSplit = try shard(2, of: 2)
    let split = try talentflow(["merge", one, otherSplit, "--out", out])
    #expect(split.status == 65)
    #expect(split.stderr.contains("is shard 1/3 but"), "\(split.stderr)")

    // An unfinished shard: its shard.json is what marks it finished.
    let three = try shard(3, of: 3)
    try FileManager.default.removeItem(atPath: three + "/shard.json")
    let unfinished = try talentflow(["merge", one, two, three, "--out", out])
    #expect(unfinished.status == 65)
    #expect(unfinished.stderr.contains("holds shard 3/3, unfinished (no shard.json)"))
    #expect(!FileManager.default.fileExists(atPath: out))

    // A damaged result is caught by its checksum.
    let resumed = try talentflow([
      "sweep", spec, "--shard", "3/3", "--out", three, "--resume", "--quiet",
    ])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let result = three + "/results/p1-r3.csv"
    try Data("tick\n".utf8).write(to: URL(fileURLWithPath: result))
    let damaged = try talentflow(["merge", one, two, three, "--out", out])
    #expect(damaged.status == 65)
    #expect(damaged.stderr.contains("p1-r3.csv does not match its SHA-256"), "\(damaged.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test(arguments: [SIGKILL, SIGTERM, SIGINT])
  func aSweepKilledPartWayAndResumedWritesTheSameFiles(signal: Int32) throws {
    let (spec, out) = try reference.get()
    let folder = try TestFolder.make("sweep-resume")
    defer { TestFolder.remove(folder) }
    let sweep = folder.appendingPathComponent("sweep")
    let results = sweep.appendingPathComponent("results")
    let running = try TalentflowProcess.launch([
      "sweep", spec, "--workers", "1", "--out", sweep.path,
    ])
    func finished() -> Int {
      ((try? FileManager.default.contentsOfDirectory(atPath: results.path)) ?? [])
        .filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") }.count
    }
    let deadline = Date().addingTimeInterval(120)
    while finished() < 3 && running.isRunning && Date() < deadline {
      usleep(5_000)
    }
    running.send(signal)
    let killed = try running.wait()
    #expect(killed.status != 0)
    let done = finished()
    #expect(done >= 3 && done < 12, "the kill should land part-way")
    #expect(
      !FileManager.default.fileExists(atPath: sweep.appendingPathComponent("manifest.json").path))
    if signal != SIGKILL {
      #expect(killed.stderr.contains("interrupted; finished runs are kept"))
    }

    // What an interrupted write leaves behind is hidden and is never taken for a finished run.
    try Data("tick,year\n0,".utf8).write(to: results.appendingPathComponent(".p4-r3.csv.tmp-1-2"))
    let partial = sweep.appendingPathComponent("runs/.p4-r3.partial-1-2")
    try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)

    let again = try talentflow(["sweep", spec, "--workers", "2", "--out", sweep.path])
    #expect(again.status == 73)
    #expect(again.stderr.contains("add --resume"))
    let resumed = try talentflow(["sweep", spec, "--workers", "2", "--out", sweep.path, "--resume"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout.contains("(\(done) were already finished)"), "\(resumed.stdout)")
    try expectSameSweepFiles(out, sweep)

    let complete = try talentflow(["sweep", spec, "--out", sweep.path, "--resume"])
    #expect(complete.status == 0)
    #expect(complete.stdout.contains("already holds the finished sweep; nothing to do"))
    try expectSameSweepFiles(out, sweep)
  }

  @Test func resumeRefusesAFolderOfAnotherSpecification() throws {
    let (spec, out) = try reference.get()
    let result = try talentflow([
      "sweep", spec, "--out", out.path, "--resume", "--set", "policy.antitrust=0.5",
    ])
    #expect(result.status == 65)
    #expect(
      result.stderr.contains("holds a finished sweep of another specification"), "\(result.stderr)")
  }

  @Test func anInvalidSpecificationRunsNothing() throws {
    let folder = try TestFolder.make("sweep-invalid")
    defer { TestFolder.remove(folder) }
    let spec = folder.appendingPathComponent("bad.json")
    try Data(
      #"{"set": {"population.size": 1000, "firms.bigTech": 5}, "grid": {"firms.startups": [20, 900]}}"#
        .utf8
    ).write(to: spec)
    let out = folder.appendingPathComponent("out")
    let result = try talentflow(["sweep", spec.path, "--out", out.path])
    #expect(result.status == 65)
    #expect(
      result.stderr.contains(
        "\(spec.path): design point 2 (firms.startups=900): firms.startups must not exceed"),
      "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out.path))

    let usage = try talentflow(["sweep", spec.path, "--shard", "4/3"])
    #expect(usage.status == 64)
    #expect(usage.stderr.contains("--shard must be K/N with 1 ≤ K ≤ N, got 4/3"))
  }

  @Test func emitSlurmWritesAnArrayAMergeJobAndTheSubmitCommand() throws {
    let (spec, _) = try reference.get()
    let folder = try TestFolder.make("sweep-slurm")
    defer { TestFolder.remove(folder) }
    let scripts = folder.appendingPathComponent("slurm")
    let out = folder.appendingPathComponent("merged")
    let result = try talentflow([
      "sweep", spec, "--emit-slurm", scripts.path, "--array-size", "5", "--partition", "short",
      "--time", "00:30:00", "--cpus-per-task", "2", "--out", out.path, "--set",
      "policy.antitrust=0.25",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let array = try String(
      contentsOf: scripts.appendingPathComponent("array.sbatch"), encoding: .utf8)
    let merge = try String(
      contentsOf: scripts.appendingPathComponent("merge.sbatch"), encoding: .utf8)
    let submit = try String(
      contentsOf: scripts.appendingPathComponent("submit.sh"), encoding: .utf8)
    for line in [
      "#SBATCH --array=1-5", "#SBATCH --partition=short", "#SBATCH --time=00:30:00",
      "#SBATCH --cpus-per-task=2", "--shard \"$k/5\"", "--set policy.antitrust=0.25", "--resume",
      "k=\"$SLURM_ARRAY_TASK_ID\"", TalentflowProcess.binary.resolvingSymlinksInPath().path,
    ] {
      #expect(array.contains(line), "array.sbatch lacks \(line)")
    }
    #expect(merge.contains("merge \(scripts.path)/shards/shard-* --out \(out.path)"))
    #expect(submit.contains("sbatch --dependency=afterok:$jid"))
    #expect(result.stdout.contains("jid=$(sbatch --parsable"))
    #expect(!FileManager.default.fileExists(atPath: out.path))

    // Emitting again replaces its own scripts; a submit.sh of the user's is never replaced.
    let again = try talentflow(["sweep", spec, "--emit-slurm", scripts.path, "--out", out.path])
    #expect(again.status == 0, "\(again.stderr)")
    let mine = scripts.appendingPathComponent("submit.sh")
    try Data("#!/bin/sh\necho mine\n".utf8).write(to: mine)
    let refused = try talentflow(["sweep", spec, "--emit-slurm", scripts.path, "--out", out.path])
    #expect(refused.status == 73)
    #expect(refused.stderr.contains("it is a file talentflow did not write"))
    #expect(try String(contentsOf: mine, encoding: .utf8) == "#!/bin/sh\necho mine\n")

    let bad = try talentflow(["sweep", spec, "--emit-slurm", scripts.path, "--time", "soon"])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("--time must be a Slurm time limit"))
    let stray = try talentflow(["sweep", spec, "--partition", "short"])
    #expect(stray.status == 64)
    #expect(stray.stderr.contains("--partition only goes with --emit-slurm"))
  }
}
