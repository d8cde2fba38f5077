import Foundation

/// Writes the CSV files of a run, tick by tick: those `RunOutput.written(by:)` names for its
/// configuration, in manifest order.
final class OutputWriter {
  /// The configuration the run started from.
  let config: Configuration
  /// The files written, in manifest order.
  let outputs: [RunOutput]
  /// One buffer per file of `outputs`.
  private var buffers: [CSVBuffer] = []

  /// Creates the files of a new run, or, given the positions recorded in a checkpoint, reopens
  /// those of an interrupted one where the checkpoint left them.
  init(folder: RunFolder, config: Configuration, resuming positions: [OutputFilePosition]? = nil)
    throws
  {
    self.config = config
    outputs = RunOutput.written(by: config)
    for output in outputs {
      let url = folder.url(for: output.name)
      guard let positions else {
        var buffer = try CSVBuffer(url: url)
        buffer.header(output.columns)
        buffers.append(buffer)
        continue
      }
      guard let position = positions.first(where: { $0.name == output.name }) else {
        throw CSVBufferError(path: url.path, reason: "the checkpoint does not record this file")
      }
      buffers.append(try CSVBuffer(resuming: url, at: position))
    }
  }

  /// Flushes every file and returns their positions, in manifest order, for a checkpoint.
  func checkpointPositions() throws -> [OutputFilePosition] {
    var positions: [OutputFilePosition] = []
    for k in buffers.indices {
      positions.append(try buffers[k].checkpointPosition(name: outputs[k].name))
    }
    return positions
  }

  /// Writes one tick's rows to every file that takes a row this tick; `firms` and
  /// `professionals` are the state after the tick. The rows of the snapshots are formatted on
  /// `parallel`'s threads; the bytes are the same on any number.
  func write(
    _ record: TickRecord, firms: Firms, professionals: Professionals,
    parallel: Parallel = Parallel(threads: 1)
  ) {
    let tick = OutputTick(
      record: record, firms: firms, professionals: professionals, config: config,
      parallel: parallel)
    for k in outputs.indices { outputs[k].writeRows(&buffers[k], tick) }
  }

  /// The first NaN or infinity written so far, which the CSV shows as a blank cell: the file,
  /// the column, the data row (0 is the first after the header) and the value.
  var firstBlankCell: (file: String, column: String, row: Int, value: Double)? {
    for k in buffers.indices {
      if let place = buffers[k].firstNonFinite {
        let output = outputs[k]
        return (output.name, output.columns[place.column], place.row, place.value)
      }
    }
    return nil
  }

  /// Flushes and closes every file; returns them in manifest order.
  func close() throws -> [OutputFile] {
    var files: [OutputFile] = []
    for k in buffers.indices {
      let summary = try buffers[k].close()
      files.append(
        OutputFile(
          name: outputs[k].name, rows: summary.rows, bytes: summary.bytes, sha256: summary.sha256))
    }
    return files
  }
}
