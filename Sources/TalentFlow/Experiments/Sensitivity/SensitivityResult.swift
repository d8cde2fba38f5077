import Foundation

/// One run of a sensitivity analysis, summarised: its measures, as stored in its result file.
///
/// The result file (`results/<run id>.csv`) has the analysis's measure names as its header and
/// one row of values, an empty field for a measure the run's files cannot give (see
/// `MeasureValue.unavailable`). Runs are summarised as they finish and nothing else of them is
/// kept, so an analysis of any number of runs needs the memory of one run per worker.
enum SensitivityResult {
  /// Simulates `config` and measures it (`SimulatedMeasures.measure`), the analysis's
  /// measures in its order.
  static func measure(_ config: Configuration, analysis: SensitivityAnalysis)
    throws(SweepError) -> SimulatedMeasures.Outcome
  {
    try SimulatedMeasures.measure(config, measures: analysis.measures)
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
