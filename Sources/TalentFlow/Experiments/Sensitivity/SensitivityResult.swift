import Foundation

/// One run of a sensitivity analysis, summarised: its measures, as stored in its result file.
///
/// The result file (`results/<run id>.csv`) has the analysis's measure names as its header and
/// one row of values, an empty field for a measure the run's files cannot give (see
/// `MeasureValue.unavailable`). Runs are summarised as they finish and nothing else of them is
/// kept, so an analysis of any number of runs needs the memory of one run per worker.
enum SensitivityResult {
  /// What became of a run: its measures in the analysis's order (NaN where unavailable), or the
  /// model's reason for stopping it.
  enum Outcome {
    case measured([Double])
    case stopped(SimulationError)
  }

  /// Simulates `config` and measures it. Measures that read only timeseries.csv are computed
  /// from the run in memory; the others from a run folder written to `scratch`, a hidden
  /// temporary folder removed afterwards (and by `--resume` if the process is killed first).
  static func measure(
    _ config: Configuration, analysis: SensitivityAnalysis, scratch: URL
  ) throws(SweepError) -> Outcome {
    let run: MeasuredRun
    if analysis.neededFiles.isEmpty {
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
    for name in analysis.measures {
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

  /// Writes a run's measures as its result file, atomically.
  static func write(_ values: [Double], measures: [String], to url: URL) throws(SweepError) {
    var csv = try AtomicCSV(url)
    csv.buffer.header(measures)
    for value in values { csv.buffer.field(value) }
    csv.buffer.endRow()
    _ = try csv.commit(name: url.lastPathComponent)
  }

  /// Reads a result file back: one value per measure, NaN for an empty field.
  static func parse(_ bytes: [UInt8], path: String, measures: [String]) throws(SweepError)
    -> [Double]
  {
    func damaged(_ why: String) -> SweepError {
      SweepError(
        .badInput,
        "\(path) is damaged (\(why)); delete it and run the analysis again with --resume to "
          + "redo the run")
    }
    let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    guard lines.count == 3, lines[2].isEmpty else {
      throw damaged("it is not a header and one row ending with a newline")
    }
    guard String(decoding: lines[0], as: UTF8.self) == measures.joined(separator: ",") else {
      throw damaged("its header is not the analysis's measures")
    }
    var values: [Double] = []
    for field in lines[1].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
      if field.isEmpty {
        values.append(.nan)
      } else if let x = Double(String(decoding: field, as: UTF8.self)), x.isFinite {
        values.append(x)
      } else {
        throw damaged("it holds a field that is not a number")
      }
    }
    guard values.count == measures.count else { throw damaged("its row has the wrong width") }
    return values
  }
}
