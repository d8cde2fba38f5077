import Foundation

/// Simulates a configuration and computes some measures of it, for the experiments that
/// summarise each run by its measures as it finishes (sensitivity analyses, calibrations).
enum SimulatedMeasures {
  /// What became of a run: its measures in the order asked (NaN where unavailable), or the
  /// model's reason for stopping it.
  enum Outcome {
    case measured([Double])
    case stopped(SimulationError)
  }

  /// The output files `measures` read besides timeseries.csv: `firms.csv` (every tick),
  /// `moves.csv`, `agents.csv` (final).
  static func neededFiles(_ measures: [String]) -> Set<String> {
    var files = Set<String>()
    for name in measures {
      for file in RunMeasures.named(name)?.files ?? [] where file != "timeseries.csv" {
        files.insert(file)
      }
    }
    return files
  }

  /// `configuration` with the output keys `files` need turned on (and nothing else).
  static func withOutputs(_ files: Set<String>, _ configuration: Configuration) -> Configuration {
    var config = configuration
    if files.contains("firms.csv") { config.output.firmsEvery = 1 }
    if files.contains("moves.csv") { config.output.moves = true }
    if files.contains("agents.csv"), config.output.agents == .none { config.output.agents = .final }
    return config
  }

  /// Simulates `config` on one thread and measures it. Measures that read only
  /// timeseries.csv are computed from the run in memory; the others from a run folder written
  /// to `scratch`, a hidden temporary folder removed afterwards (and by `--resume` if the
  /// process is killed first). `config` must already write the files the measures need.
  static func measure(_ config: Configuration, measures: [String], scratch: URL)
    throws(SweepError) -> Outcome
  {
    let run: MeasuredRun
    if neededFiles(measures).isEmpty {
      do {
        run = MeasuredRun(records: try Runner.records(config: config, threads: 1), config: config)
      } catch {
        return .stopped(error)
      }
    } else {
      try? FileManager.default.removeItem(at: scratch)
      defer { try? FileManager.default.removeItem(at: scratch) }
      do {
        _ = try Runner.run(config: config, destination: scratch, force: true, threads: 1)
      } catch let error as SimulationError {
        return .stopped(error)
      } catch {
        throw SweepError(.cannotCreate, "\(scratch.path): \(error)")
      }
      do {
        run = try MeasuredRun(folder: scratch.path)
      } catch {
        throw SweepError(.badInput, error.description)
      }
    }
    var values: [Double] = []
    for name in measures {
      guard let measure = RunMeasures.named(name) else {
        throw SweepError(.badInput, "unknown measure \(name)")
      }
      do {
        values.append(try measure.value(of: run).number ?? .nan)
      } catch {
        throw SweepError(.badInput, error.description)
      }
    }
    return .measured(values)
  }
}
