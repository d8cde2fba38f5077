import Foundation
import Synchronization

/// How far a sweep has got, for a progress line.
public struct SweepProgress: Sendable {
  /// Runs of this sweep or shard done, finished or failed, including those found finished on
  /// resume.
  public var finished: Int
  /// Runs of those that failed.
  public var failed: Int
  /// Runs of this sweep or shard in all.
  public var total: Int
  /// Runs done by this process, finished or failed.
  public var finishedNow: Int
  /// Seconds since this process started running.
  public var seconds: Double
}

/// What a sweep or shard did.
public struct SweepOutcome: Sendable {
  /// The sweep or shard folder.
  public var folder: URL
  /// Runs of this sweep or shard in all.
  public var total: Int
  /// Runs this process ran (the others were already finished).
  public var ran: Int
  /// Whether the folder already held the finished sweep or shard, so nothing ran.
  public var alreadyComplete: Bool
  /// The runs that failed, in run order; the others finished.
  public var failures: [SweepFailure]
  public var wallSeconds: Double
}

/// Runs a sweep, or one shard of it, into a folder that can be resumed after any interruption.
///
/// While it works, the folder holds `results/` (`sweep.json`, the plan and its fingerprint,
/// then one `<run id>.csv` per finished run and one `<run id>.failure.json` per failed run; see
/// `SweepFailure`) and, when runs are kept, `runs/<run id>/`. Each result file is written under
/// a hidden temporary name and renamed into place only when complete, after the run's folder,
/// so a run counts as finished exactly when its result file exists: a process killed at any
/// moment (even by SIGKILL) leaves finished runs and hidden leftovers, never a half-written run
/// under a finished name. `--resume` deletes the leftovers, skips finished runs and redoes the
/// rest, failed runs included.
///
/// At the end a whole sweep writes `design.csv`, `runs.csv`, `summary.csv`, `failures.csv` when
/// runs failed, and `manifest.json` (see `SweepTables`), and deletes `results/` unless runs
/// failed (`--resume` needs it to retry them); a shard writes `shard.json` (the plan, its
/// fingerprint, the checksum of each finished run's result and each failed run's message) and
/// keeps `results/` for `merge`.
public enum SweepRunner {
  /// Runs the plan (or the shard's share of it) into `folder` with `workers` concurrent runs.
  ///
  /// Each run is simulated on one thread; results do not depend on `workers` or on the order in
  /// which runs finish. A run the model stops is recorded and returned in the outcome's
  /// `failures`; it stops nothing else. `progress` is called on the calling thread about twice
  /// a second.
  public static func run(
    plan: SweepPlan, folder: URL, shard: SweepShard?, workers: Int, resume: Bool,
    progress: ((SweepProgress) -> Void)? = nil
  ) throws(SweepError) -> SweepOutcome {
    let started = Date()
    let folder = folder.standardizedFileURL
    let indices = plan.runIndices(shard: shard)
    let fingerprint = plan.fingerprint
    if let done = try finishedOutcome(
      folder: folder, fingerprint: fingerprint, shard: shard, resume: resume, total: indices.count)
    {
      return done
    }

    let results = folder.appendingPathComponent("results")
    try SweepFiles.makeFolder(results)
    let lock = try SweepLock(folder: results)
    defer { lock.release() }
    let identity = results.appendingPathComponent("sweep.json")
    if FileSystem.exists(identity) {
      try checkIdentity(identity, folder: folder, fingerprint: fingerprint, shard: shard)
    } else {
      try SweepFiles.writeAtomically(
        Array((identityJSON(plan: plan, shard: shard).serialized(pretty: true) + "\n").utf8),
        to: identity)
    }
    // A folder that finished with failed runs is unfinished again until this retry ends: its
    // record goes first, then the tables it lists.
    for name in ["manifest.json", "shard.json"] + SweepTables.tableNames {
      try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
    }
    removeLeftovers(in: [folder, results, folder.appendingPathComponent("runs")])

    let pending = indices.filter { !isFinished(plan.run($0), plan: plan, folder: folder) }
    let alreadyFinished = indices.count - pending.count
    try execute(
      plan: plan, runs: pending, folder: folder, workers: workers, started: started,
      report: { finishedNow, failedNow in
        progress?(
          SweepProgress(
            finished: alreadyFinished + finishedNow, failed: failedNow, total: indices.count,
            finishedNow: finishedNow, seconds: Date().timeIntervalSince(started)))
      })

    let failures = try collectFailures(plan: plan, indices: indices, folder: folder)
    if let shard {
      try writeShardRecord(
        plan: plan, shard: shard, indices: indices, failures: failures, folder: folder)
    } else {
      var failed: [Int: String] = [:]
      for failure in failures { failed[failure.run.index] = failure.message }
      try SweepTables.write(plan: plan, into: folder) { run throws(SweepError) in
        if let message = failed[run.index] { return .failed(message: message) }
        let url = resultURL(run, folder: folder)
        return .finished(bytes: try SweepFiles.read(url), path: url.path)
      }
      if failures.isEmpty { try? FileManager.default.removeItem(at: results) }
    }
    return SweepOutcome(
      folder: folder, total: indices.count, ran: pending.count, alreadyComplete: false,
      failures: failures, wallSeconds: Date().timeIntervalSince(started))
  }

  /// The failed runs among `indices`, from their records; every other run must have finished.
  private static func collectFailures(plan: SweepPlan, indices: [Int], folder: URL)
    throws(SweepError) -> [SweepFailure]
  {
    var failures: [SweepFailure] = []
    for index in indices {
      let run = plan.run(index)
      if isFinished(run, plan: plan, folder: folder) {
        // A process killed between a retry's result and the removal of its old record.
        try? FileManager.default.removeItem(at: SweepFailure.recordURL(run, folder: folder))
      } else if let failure = try SweepFailure.read(run, folder: folder) {
        failures.append(failure)
      } else {
        throw SweepError(
          .badInput,
          "run \(run.id) neither finished nor failed: \(resultURL(run, folder: folder).path) "
            + "is missing; run the same command with --resume to redo it")
      }
    }
    return failures
  }

  /// Where a run's result file goes.
  static func resultURL(_ run: SweepRun, folder: URL) -> URL {
    folder.appendingPathComponent("results").appendingPathComponent("\(run.id).csv")
  }

  /// Where a run's kept folder goes.
  static func runFolderURL(_ run: SweepRun, folder: URL) -> URL {
    folder.appendingPathComponent("runs").appendingPathComponent(run.id)
  }

  /// A run is finished when its result file exists (and its folder, when runs are kept).
  static func isFinished(_ run: SweepRun, plan: SweepPlan, folder: URL) -> Bool {
    FileSystem.exists(resultURL(run, folder: folder))
      && (plan.keep == .none || FileSystem.exists(runFolderURL(run, folder: folder)))
  }

  // MARK: Starting and resuming

  /// Checks what is already in `folder`; returns an outcome when the work is already done.
  private static func finishedOutcome(
    folder: URL, fingerprint: String, shard: SweepShard?, resume: Bool, total: Int
  ) throws(SweepError) -> SweepOutcome? {
    let names = SweepFiles.names(in: folder)
    let results = folder.appendingPathComponent("results")
    let onlyStartLeftovers =
      names.allSatisfy { $0 == "results" }
      && SweepFiles.names(in: results).allSatisfy { $0.hasPrefix(".") }
    if names.isEmpty || onlyStartLeftovers { return nil }
    guard resume else {
      throw SweepError(
        .cannotCreate,
        "\(folder.path) already holds files; add --resume to continue the sweep in it, or choose "
          + "another --out"
      )
    }
    let manifest = folder.appendingPathComponent("manifest.json")
    let shardRecord = folder.appendingPathComponent("shard.json")
    for (url, isShard) in [(manifest, false), (shardRecord, true)] where FileSystem.exists(url) {
      let json = try SweepFiles.readJSON(url)
      let found = json["sweepSHA256"]?.stringValue ?? "?"
      let foundShard = json["shard"].flatMap { $0.stringValue }.flatMap(SweepShard.init)
      guard found == fingerprint, foundShard == shard, isShard == (shard != nil) else {
        throw SweepError(
          .badInput,
          "\(folder.path) holds a finished \(describe(isShard ? foundShard : nil)) of another "
            + "specification or shard "
            + "(sweep SHA-256 \(found.prefix(12))…, this one \(fingerprint.prefix(12))…); choose "
            + "another --out"
        )
      }
      // Finished with failed runs: resuming retries them.
      if recordsFailures(json) { return nil }
      if !isShard { try? FileManager.default.removeItem(at: results) }
      return SweepOutcome(
        folder: folder, total: total, ran: 0, alreadyComplete: true, failures: [],
        wallSeconds: 0)
    }
    guard FileSystem.exists(results.appendingPathComponent("sweep.json")) else {
      throw SweepError(
        .badInput,
        "\(folder.path) is not a sweep folder (no results/sweep.json, manifest.json or "
          + "shard.json); choose another --out"
      )
    }
    return nil
  }

  /// Whether a sweep's `manifest.json` or a shard's `shard.json` records failed runs.
  private static func recordsFailures(_ json: JSONValue) -> Bool {
    (json["failedRuns"]?.intValue ?? 0) > 0
      || (json["runs"]?.arrayValue ?? []).contains { $0["failure"] != nil }
  }

  private static func describe(_ shard: SweepShard?) -> String {
    shard.map { "shard \($0)" } ?? "sweep"
  }

  /// The identity of the work in a folder: the plan, its fingerprint and the shard.
  static func identityJSON(plan: SweepPlan, shard: SweepShard?) -> JSONValue {
    .object([
      ("sweepSHA256", .string(plan.fingerprint)),
      ("shard", shard.map { .string($0.description) } ?? .null),
      ("plan", plan.json),
    ])
  }

  private static func checkIdentity(
    _ url: URL, folder: URL, fingerprint: String, shard: SweepShard?
  ) throws(SweepError) {
    let json = try SweepFiles.readJSON(url)
    let found = json["sweepSHA256"]?.stringValue ?? "?"
    let foundShard = json["shard"].flatMap { $0.stringValue }.flatMap(SweepShard.init)
    guard found == fingerprint else {
      throw SweepError(
        .badInput,
        "\(folder.path) holds an unfinished sweep of another specification (sweep SHA-256 "
          + "\(found.prefix(12))…, this one \(fingerprint.prefix(12))…): the "
          + "specification, its base "
          + "or the --set options changed; resume with the same ones, or choose another --out")
    }
    guard foundShard == shard else {
      throw SweepError(
        .badInput,
        "\(folder.path) holds an unfinished \(describe(foundShard)), not \(describe(shard)); "
          + "resume with the same --shard, or choose another --out")
    }
  }

  /// Deletes the hidden temporary files and folders an interrupted process left.
  private static func removeLeftovers(in folders: [URL]) {
    for folder in folders {
      for name in SweepFiles.names(in: folder) where SweepFiles.isLeftover(name) {
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
      }
    }
  }

  // MARK: Running

  /// Runs `runs` on `workers` threads, each taking the next run when it finishes one.
  ///
  /// `report` gets the runs done and the runs failed so far. A failed run is recorded and the
  /// workers go on; any other error stops them from taking new runs and is thrown.
  private static func execute(
    plan: SweepPlan, runs: [Int], folder: URL, workers: Int, started: Date,
    report: (_ done: Int, _ failed: Int) -> Void
  ) throws(SweepError) {
    report(0, 0)
    guard !runs.isEmpty else { return }
    let work = SharedWork()
    let group = DispatchGroup()
    let threads = max(1, min(workers, runs.count))
    for _ in 0..<threads {
      group.enter()
      let thread = Thread {
        defer { group.leave() }
        while work.failure.withLock({ $0 == nil }) {
          let k = work.next.wrappingAdd(1, ordering: .relaxed).oldValue
          if k >= runs.count { break }
          do throws(SweepError) {
            if try perform(plan.run(runs[k]), plan: plan, folder: folder) != nil {
              work.failed.wrappingAdd(1, ordering: .relaxed)
            }
            work.finished.wrappingAdd(1, ordering: .relaxed)
          } catch {
            work.failure.withLock { if $0 == nil { $0 = error } }
          }
        }
      }
      thread.stackSize = 16 << 20
      thread.start()
    }
    while group.wait(timeout: .now() + 0.5) == .timedOut {
      report(work.finished.load(ordering: .relaxed), work.failed.load(ordering: .relaxed))
    }
    report(work.finished.load(ordering: .relaxed), work.failed.load(ordering: .relaxed))
    if let error = work.failure.withLock({ $0 }) {
      throw SweepError(
        error.kind,
        "\(error.message)\nFinished runs are kept; run the same command with --resume to continue.")
    }
  }

  /// Runs one run and records its result (the result file appears last) or, when the model
  /// stops it, its failure, which is returned.
  static func perform(_ run: SweepRun, plan: SweepPlan, folder: URL) throws(SweepError)
    -> SweepFailure?
  {
    let config: Configuration
    do {
      config = try plan.configuration(run: run)
    } catch {
      throw SweepError(.badInput, error.description)
    }
    let result = resultURL(run, folder: folder)
    if let analysis = plan.analysis {
      switch try SensitivityResult.measure(config, analysis: analysis) {
      case .stopped(let error): return try fail(run, error, folder: folder)
      case .measured(let values):
        try SensitivityResult.write(values, measures: analysis.measures, to: result)
      }
    } else if plan.keep == .none {
      let records: [TickRecord]
      do {
        records = try Runner.records(config: config, threads: 1)
      } catch {
        return try fail(run, error, folder: folder)
      }
      try SweepResult.write(records, to: result)
    } else {
      let destination = runFolderURL(run, folder: folder)
      do {
        _ = try Runner.run(
          config: SweepTables.runConfiguration(config, keep: plan.keep),
          destination: destination, force: true, threads: 1)
      } catch let error as SimulationError {
        return try fail(run, error, folder: folder)
      } catch {
        throw SweepError(.cannotCreate, "run \(run.id): \(error)")
      }
      let timeseries = try SweepFiles.read(destination.appendingPathComponent("timeseries.csv"))
      try SweepFiles.writeAtomically(timeseries, to: result)
    }
    // The record of an earlier attempt, now retried with success.
    try? FileManager.default.removeItem(at: SweepFailure.recordURL(run, folder: folder))
    return nil
  }

  /// Records that the model stopped `run`.
  private static func fail(_ run: SweepRun, _ error: SimulationError, folder: URL)
    throws(SweepError) -> SweepFailure
  {
    let failure = SweepFailure(run: run, message: error.description)
    try failure.write(folder: folder)
    return failure
  }

  // MARK: Shards

  /// Writes `shard.json`: the plan, its fingerprint, the shard, each finished run's result's
  /// SHA-256 and each failed run's message.
  private static func writeShardRecord(
    plan: SweepPlan, shard: SweepShard, indices: [Int], failures: [SweepFailure], folder: URL
  ) throws(SweepError) {
    var failed: [Int: String] = [:]
    for failure in failures { failed[failure.run.index] = failure.message }
    var runs: [JSONValue] = []
    runs.reserveCapacity(indices.count)
    for index in indices {
      let run = plan.run(index)
      if let message = failed[index] {
        runs.append(.object([("id", .string(run.id)), ("failure", .string(message))]))
        continue
      }
      let bytes = try SweepFiles.read(resultURL(run, folder: folder))
      runs.append(
        .object([("id", .string(run.id)), ("sha256", .string(SHA256.hexDigest(bytes)))]))
    }
    let record = JSONValue.object([
      ("kind", .string("sweep-shard")),
      ("toolVersion", .string(TalentFlowVersion.tool)),
      ("sweepSHA256", .string(plan.fingerprint)),
      ("shard", .string(shard.description)),
      ("runs", .array(runs)),
      ("plan", plan.json),
    ])
    try SweepFiles.writeAtomically(
      Array((record.serialized(pretty: true) + "\n").utf8),
      to: folder.appendingPathComponent("shard.json"))
  }
}

/// The counters the worker threads of a sweep share.
private final class SharedWork: Sendable {
  /// The position in the pending runs of the next run to take.
  let next = Atomic<Int>(0)
  /// Runs done by this process, finished or failed.
  let finished = Atomic<Int>(0)
  /// Runs failed in this process.
  let failed = Atomic<Int>(0)
  /// The first error other than a failed run; once set, workers take no new runs.
  let failure = Mutex<SweepError?>(nil)
}

/// An exclusive `flock` on a sweep's `results/.lock`, so two processes never work on one folder.
///
/// The kernel drops the lock when the process ends, however it ends.
struct SweepLock {
  let descriptor: Int32

  init(folder: URL) throws(SweepError) {
    let path = folder.appendingPathComponent(".lock").path
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw SweepError(.cannotCreate, "cannot create \(path): \(String(cString: strerror(errno)))")
    }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      close(fd)
      throw SweepError(
        .cannotCreate,
        "another talentflow process is working in \(folder.deletingLastPathComponent().path); wait "
          + "for it or stop it first"
      )
    }
    descriptor = fd
  }

  func release() {
    close(descriptor)
  }
}
