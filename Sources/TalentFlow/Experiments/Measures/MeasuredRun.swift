import Foundation

/// A run's output files, read for measuring: the configuration from `manifest.json`, the
/// timeseries by column, and whichever of firms.csv, agents.csv and moves.csv the run wrote.
public struct MeasuredRun: Sendable {
  /// The run's resolved configuration (for `time.ticksPerYear` and `output.*`).
  public let config: Configuration
  /// `timeseries.csv` by column name, tick 0 first.
  let timeseries: [String: [Double]]
  let firms: MeasureTable?
  let agents: MeasureTable?
  let moves: MeasureTable?

  /// Reads the run folder at `path`.
  ///
  /// Throws naming the file when the folder is not a run folder (no manifest.json or no
  /// timeseries.csv), when the manifest does not read, or when a file does not parse.
  public init(folder path: String) throws(MeasureError) {
    let folder = URL(fileURLWithPath: path, isDirectory: true)
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: folder.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw MeasureError(file: path, message: "is not a run folder: no such folder")
    }
    for name in ["manifest.json", "timeseries.csv"]
    where !manager.fileExists(atPath: folder.appendingPathComponent(name).path) {
      throw MeasureError(file: path, message: "is not a run folder: it has no \(name)")
    }
    do {
      config = try RunManifest(path: folder.path).config
    } catch {
      // A run of another model version may hold keys this version no longer knows; measuring
      // needs only its ticks per year and firms.csv's interval, so those are read alone.
      guard
        let older = MeasuredRun.olderRunConfiguration(
          folder.appendingPathComponent("manifest.json"))
      else { throw MeasureError(file: error.file, message: error.message) }
      config = older
    }
    let table = try MeasureTable(url: folder.appendingPathComponent("timeseries.csv"))
    var columns: [String: [Double]] = [:]
    for name in table.header { columns[name] = try table.numbers(name) }
    timeseries = columns
    func optional(_ name: String) throws(MeasureError) -> MeasureTable? {
      let url = folder.appendingPathComponent(name)
      return manager.fileExists(atPath: url.path) ? try MeasureTable(url: url) : nil
    }
    firms = try optional("firms.csv")
    agents = try optional("agents.csv")
    moves = try optional("moves.csv")
  }

  /// The configuration a run of another model version records, reduced to what measures read
  /// (`time.ticksPerYear`, `output.firmsEvery`); nil for a manifest of this model version (it
  /// must read in full) or one without those values.
  static func olderRunConfiguration(_ manifest: URL) -> Configuration? {
    guard let data = try? Data(contentsOf: manifest),
      let json = try? JSONParser.parse(bytes: [UInt8](data)),
      let version = json["modelVersion"]?.stringValue, version != TalentFlowVersion.model,
      let perYear = json["configuration"]?["time"]?["ticksPerYear"]?.doubleValue,
      let every = json["configuration"]?["output"]?["firmsEvery"]?.doubleValue,
      perYear >= 1, perYear <= 10_000, perYear == perYear.rounded(),
      every >= 0, every <= 100_000, every == every.rounded()
    else { return nil }
    var config = Configuration()
    config.time.ticksPerYear = Int(perYear)
    config.output.firmsEvery = Int(every)
    return config
  }

  /// A run held in memory: its timeseries records (tick 0 first), without the other files.
  public init(records: [TickRecord], config: Configuration) {
    self.init(records: records, config: config, firms: nil, agents: nil, moves: nil)
  }

  /// A run held in memory with the columns of firms.csv, agents.csv and moves.csv that the
  /// measures read, captured as the run went (`Runner.measuredRun`), so measuring it writes
  /// and parses no file. A nil table is a file the run would not have written.
  init(
    records: [TickRecord], config: Configuration, firms: MeasureTable?, agents: MeasureTable?,
    moves: MeasureTable?
  ) {
    self.config = config
    var columns: [String: [Double]] = [:]
    for (k, name) in Timeseries.columns.enumerated() { columns[name] = records.map { $0.row[k] } }
    timeseries = columns
    self.firms = firms
    self.agents = agents
    self.moves = moves
  }

  /// Whether the run has the named output file.
  public func has(_ file: String) -> Bool {
    switch file {
    case "manifest.json", "timeseries.csv": return true
    case "firms.csv": return firms != nil
    case "agents.csv": return agents != nil
    case "moves.csv": return moves != nil
    default: return false
    }
  }

  /// The recorded ticks T (the timeseries has rows 0…T).
  var ticks: Int { max((timeseries["tick"]?.count ?? 0) - 1, 0) }

  /// A timeseries column, tick 0 first; an error naming the file if the column is missing.
  func column(_ name: String) throws(MeasureError) -> [Double] {
    guard let values = timeseries[name] else {
      throw MeasureError(file: "timeseries.csv", message: "has no column \(name)")
    }
    return values
  }
}
