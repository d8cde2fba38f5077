import Foundation

/// A run of a sweep that the model stopped (a `SimulationError`), and why.
///
/// A failed run does not stop its sweep: it is recorded in `results/<run id>.failure.json`,
/// beside where its result file would go and written atomically like one, and the other runs go
/// on. The sweep's tables leave it out and `failures.csv` lists it; `--resume` retries it with
/// the unfinished runs. A run fails only because of its configuration and seed, so retrying
/// fails again unless the software changed; failures that are not the run's own (a disk that is
/// full, a folder that cannot be written) still stop the sweep.
public struct SweepFailure: Sendable, Equatable {
  public var run: SweepRun
  /// The run's error, as `talentflow run` prints it.
  public var message: String

  public init(run: SweepRun, message: String) {
    self.run = run
    self.message = message
  }

  /// Where a run's failure record goes.
  static func recordURL(_ run: SweepRun, folder: URL) -> URL {
    folder.appendingPathComponent("results").appendingPathComponent("\(run.id).failure.json")
  }

  /// Writes this failure's record under a temporary name and renames it into place.
  func write(folder: URL) throws(SweepError) {
    let json = JSONValue.object([("run", .string(run.id)), ("message", .string(message))])
    try SweepFiles.writeAtomically(
      Array((json.serialized(pretty: true) + "\n").utf8),
      to: SweepFailure.recordURL(run, folder: folder))
  }

  /// Reads a run's failure record; nil when it has none.
  static func read(_ run: SweepRun, folder: URL) throws(SweepError) -> SweepFailure? {
    let url = recordURL(run, folder: folder)
    guard FileSystem.exists(url) else { return nil }
    let json = try SweepFiles.readJSON(url)
    guard json["run"]?.stringValue == run.id, let message = json["message"]?.stringValue else {
      throw SweepError(
        .badInput,
        "\(url.path) is not the failure record of run \(run.id); delete it and run the sweep "
          + "again with --resume to redo the run")
    }
    return SweepFailure(run: run, message: message)
  }
}

/// What became of one run, as the sweep's tables need it.
enum SweepRunResult {
  /// It finished: its result file's bytes, and its path for messages.
  case finished(bytes: [UInt8], path: String)
  /// It failed with this message.
  case failed(message: String)
}
