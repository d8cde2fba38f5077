import Foundation

/// Combines the shard folders of a sweep into the folder the unsharded sweep would have written.
///
/// Every shard carries the whole plan in its `shard.json`, so no specification is needed, and
/// the merged files are byte-identical to a sweep run in one piece: the same `design.csv`,
/// `runs.csv`, `summary.csv`, `failures.csv` when runs failed, and `manifest.json`, and the same
/// `runs/` folders when kept. A shard's failed runs are carried through, not refused: retrying
/// them is the shard's business (`--resume`), before merging again.
/// Shards of different specifications, shards of different splits, repeated shards, unfinished
/// shards and missing shards are refused before anything is written. The destination appears
/// only when complete.
public enum SweepMerge {
  /// One finished shard folder, as read from its `shard.json`.
  struct Shard {
    var folder: URL
    var shard: SweepShard
    var fingerprint: String
    /// Run id → SHA-256 of its result file, for finished runs.
    var checksums: [String: String]
    /// Run id → message, for failed runs.
    var failures: [String: String]
    var runIDs: [String]
    var planJSON: JSONValue
  }

  /// What a merge wrote.
  public struct Outcome: Sendable {
    public var plan: SweepPlan
    /// The runs that failed in their shards, in run order.
    public var failures: [SweepFailure]
  }

  /// Merges `shards` into `destination`, which must not exist yet.
  @discardableResult
  public static func merge(shards folders: [URL], destination: URL) throws(SweepError)
    -> Outcome
  {
    guard !folders.isEmpty else { throw SweepError(.badInput, "no shard folders given") }
    var shards: [Shard] = []
    for folder in folders { shards.append(try read(folder.standardizedFileURL)) }

    let first = shards[0]
    for other in shards.dropFirst() where other.fingerprint != first.fingerprint {
      throw SweepError(
        .badInput,
        "\(first.folder.path) and \(other.folder.path) are shards of different specifications "
          + "(sweep SHA-256 \(first.fingerprint.prefix(12))… and "
          + "\(other.fingerprint.prefix(12))…); "
          + "only shards of one sweep, run with the same specification, base and --set options, "
          + "can be merged"
      )
    }
    for other in shards.dropFirst() where other.shard.count != first.shard.count {
      throw SweepError(
        .badInput,
        "\(first.folder.path) is shard \(first.shard) but \(other.folder.path) is shard "
          + "\(other.shard); "
          + "the shards must come from one split into \(first.shard.count) (or "
          + "\(other.shard.count))"
      )
    }
    let count = first.shard.count
    var byIndex = [Shard?](repeating: nil, count: count)
    for shard in shards {
      if let earlier = byIndex[shard.shard.index - 1] {
        throw SweepError(
          .badInput,
          "shard \(shard.shard) is given twice: \(earlier.folder.path) and \(shard.folder.path)")
      }
      byIndex[shard.shard.index - 1] = shard
    }
    let missing = (1...count).filter { byIndex[$0 - 1] == nil }
    if !missing.isEmpty {
      let list = missing.prefix(20).map { "\($0)/\(count)" }.joined(separator: ", ")
      throw SweepError(
        .badInput,
        "missing \(missing.count == 1 ? "shard" : "\(missing.count) shards") \(list)"
          + "\(missing.count > 20 ? ", …" : ""); merge needs all \(count) shards of the sweep")
    }

    let plan: SweepPlan
    do {
      plan = try SweepPlan(
        json: first.planJSON, source: first.folder.appendingPathComponent("shard.json").path)
    } catch {
      throw SweepError(.badInput, error.description)
    }
    guard plan.fingerprint == first.fingerprint else {
      throw SweepError(
        .badInput,
        "\(first.folder.path)/shard.json was altered: its plan does not match its sweep SHA-256")
    }
    for case let shard? in byIndex {
      let expected = plan.runIndices(shard: shard.shard).map { plan.run($0).id }
      guard shard.runIDs == expected else {
        throw SweepError(
          .badInput,
          "\(shard.folder.path)/shard.json does not list the runs of shard \(shard.shard)")
      }
    }

    if FileSystem.exists(destination) {
      throw SweepError(
        .cannotCreate,
        "\(destination.standardizedFileURL.path) already exists; merge into a new folder")
    }
    var failures: [SweepFailure] = []
    let output: RunFolder
    do {
      output = try RunFolder(destination: destination, force: false)
    } catch {
      throw SweepError(.cannotCreate, error.description)
    }
    do throws(SweepError) {
      if plan.keep != .none {
        let runs = output.workingURL.appendingPathComponent("runs")
        try SweepFiles.makeFolder(runs)
        for index in 0..<plan.runCount {
          let run = plan.run(index)
          guard let shard = byIndex[index % count], shard.failures[run.id] == nil else {
            continue
          }
          try linkFolder(
            SweepRunner.runFolderURL(run, folder: shard.folder),
            to: runs.appendingPathComponent(run.id))
        }
      }
      failures = try SweepTables.write(plan: plan, into: output.workingURL) {
        run throws(SweepError) in
        guard let shard = byIndex[run.index % count] else {
          throw SweepError(.badInput, "no shard holds run \(run.id)")
        }
        if let message = shard.failures[run.id] { return .failed(message: message) }
        let url = SweepRunner.resultURL(run, folder: shard.folder)
        let bytes = try SweepFiles.read(url)
        guard SHA256.hexDigest(bytes) == shard.checksums[run.id] else {
          throw SweepError(
            .badInput,
            "\(url.path) does not match its SHA-256 in \(shard.folder.path)/shard.json; rerun "
              + "that shard"
          )
        }
        return .finished(bytes: bytes, path: url.path)
      }
      do {
        try output.commit()
      } catch {
        throw SweepError(.cannotCreate, error.description)
      }
    } catch {
      output.discard()
      throw error
    }
    return Outcome(plan: plan, failures: failures)
  }

  /// Reads a shard folder's `shard.json`, or says why the folder is not a finished shard.
  static func read(_ folder: URL) throws(SweepError) -> Shard {
    let record = folder.appendingPathComponent("shard.json")
    guard FileSystem.exists(record) else {
      let identity = folder.appendingPathComponent("results").appendingPathComponent("sweep.json")
      if FileSystem.exists(identity), let json = try? SweepFiles.readJSON(identity),
        let shard = json["shard"]?.stringValue
      {
        throw SweepError(
          .badInput,
          "\(folder.path) holds shard \(shard), unfinished (no shard.json); finish it with "
            + "`talentflow sweep SPEC --shard \(shard) --out \(folder.path) --resume`")
      }
      if FileSystem.exists(folder.appendingPathComponent("manifest.json")) {
        throw SweepError(
          .badInput, "\(folder.path) is a whole sweep, not a shard; there is nothing to merge")
      }
      if !FileSystem.exists(folder) {
        throw SweepError(.badInput, "\(folder.path) does not exist")
      }
      throw SweepError(.badInput, "\(folder.path) is not a shard folder (no shard.json)")
    }
    let json = try SweepFiles.readJSON(record)
    guard json["kind"]?.stringValue == "sweep-shard",
      let fingerprint = json["sweepSHA256"]?.stringValue,
      let shard = json["shard"]?.stringValue.flatMap(SweepShard.init),
      let runs = json["runs"]?.arrayValue, let plan = json["plan"]
    else {
      throw SweepError(.badInput, "\(record.path) is not a shard record of talentflow sweep")
    }
    var checksums: [String: String] = [:]
    var failures: [String: String] = [:]
    var ids: [String] = []
    for entry in runs {
      guard let id = entry["id"]?.stringValue else {
        throw SweepError(.badInput, "\(record.path) has a run entry without an id")
      }
      if let sha = entry["sha256"]?.stringValue {
        checksums[id] = sha
      } else if let message = entry["failure"]?.stringValue {
        failures[id] = message
      } else {
        throw SweepError(
          .badInput, "\(record.path): run \(id) has neither a sha256 nor a failure")
      }
      ids.append(id)
    }
    return Shard(
      folder: folder, shard: shard, fingerprint: fingerprint, checksums: checksums,
      failures: failures, runIDs: ids, planJSON: plan)
  }

  /// Recreates a run folder by hard links to its files (copies across file systems).
  private static func linkFolder(_ source: URL, to target: URL) throws(SweepError) {
    guard FileSystem.isFolder(source) else {
      throw SweepError(.badInput, "\(source.path) is missing; rerun its shard with --resume")
    }
    try SweepFiles.makeFolder(target)
    for name in SweepFiles.names(in: source) {
      let from = source.appendingPathComponent(name)
      let to = target.appendingPathComponent(name)
      if link(from.path, to.path) == 0 { continue }
      do {
        try FileManager.default.copyItem(at: from, to: to)
      } catch {
        throw SweepError(
          .cannotCreate,
          "cannot copy \(from.path) to \(to.path): \((error as NSError).localizedDescription)")
      }
    }
  }
}
