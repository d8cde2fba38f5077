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

  /// Simulates `config` on one thread and measures it, in memory (`Runner.measuredRun`): the
  /// measures that read firms.csv, agents.csv or moves.csv get the columns they read, captured
  /// as the run went. `config` must turn on the outputs the measures need (`withOutputs`).
  static func measure(_ config: Configuration, measures: [String]) throws(SweepError) -> Outcome {
    let run: MeasuredRun
    do {
      run = try Runner.measuredRun(config: config, threads: 1)
    } catch {
      return .stopped(error)
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
