import Foundation

/// A file a run wrote, as listed in its manifest.
public struct OutputFile: Sendable, Equatable {
  public var name: String
  public var rows: Int
  public var bytes: Int
  public var sha256: String
}

extension OutputFile {
  /// The file's entry in a manifest: name, rows, bytes and SHA-256.
  public var json: JSONValue {
    .object([
      ("name", .string(name)), ("rows", .number(Double(rows))), ("bytes", .number(Double(bytes))),
      ("sha256", .string(sha256)),
    ])
  }
}

/// The outcome of a run.
public struct RunResult: Sendable {
  /// The run folder.
  public var folder: URL
  public var files: [OutputFile]
  /// The record of the last tick.
  public var last: TickRecord
  /// Totals over the recorded ticks of every timeseries column.
  public var totals: [Double]
  public var wallSeconds: Double
}

/// Runs a configuration and writes its outputs (MODEL 6) into a run folder, atomically.
public enum Runner {
  /// Names of every CSV file some run can write, in manifest order: `outputNames(for:)` is a
  /// selection of these.
  public static let allOutputNames = [
    "timeseries.csv", "flows.csv", "firms.csv", "agents.csv", "moves.csv",
  ]

  /// Names of the CSV files a run writes, in manifest order.
  public static func outputNames(for config: Configuration) -> [String] {
    var names = ["timeseries.csv", "flows.csv"]
    if config.output.firmsEvery > 0 { names.append("firms.csv") }
    if config.output.agents != .none { names.append("agents.csv") }
    if config.output.moves { names.append("moves.csv") }
    return names
  }

  /// Runs warm-up and every recorded tick in memory and returns the records of ticks 0…T.
  ///
  /// For comparisons and sweeps that need the timeseries but no files.
  public static func records(config: Configuration, threads: Int) throws(SimulationError)
    -> [TickRecord]
  {
    var simulation = Simulation(config: config, threads: threads)
    try simulation.warmUp()
    var records = [simulation.tickZeroRecord()]
    records.reserveCapacity(config.time.ticks + 1)
    for _ in 0..<config.time.ticks { records.append(try simulation.step()) }
    return records
  }

  /// Runs warm-up and every recorded tick, writing into `destination`.
  ///
  /// The files go to a temporary folder beside the destination, which is renamed into place only
  /// when every file and the manifest are complete. With `checkpoints`, the whole state is saved
  /// every `checkpoints.every` recorded ticks (see `RunCheckpoint`); the checkpoint file is
  /// deleted when the run completes, and once one has been written a failed run keeps its
  /// working folder so that it can be resumed. With a `profile`, where the time went is added
  /// to it (for `talentflow bench`); the outputs are the same either way.
  public static func run(
    config: Configuration, destination: URL, force: Bool, threads: Int,
    checkpoints: CheckpointSchedule? = nil,
    progress: ((_ tick: Int, _ ticks: Int, _ agentTicks: Int) -> Void)? = nil,
    profile: RunProfile? = nil
  ) throws -> RunResult {
    let started = Date()
    var lap = ProfileLap(profile)
    let folder = try RunFolder(destination: destination, force: force)
    // A checkpoint that cannot be saved is found now, not after the warm-up has been spent
    // (after the run folder, which creates the default checkpoint's folder).
    if let checkpoints {
      do {
        try CheckpointFile.checkWritable(checkpoints.file)
      } catch {
        folder.discard()
        throw error
      }
    }
    lap.output()
    var session = RunSession(
      folder: folder, config: config, checkpoints: checkpoints, startedAt: started,
      sessionStart: started, wallBefore: 0,
      totals: [Double](repeating: 0, count: Timeseries.columns.count))
    session.lap = lap
    do {
      var simulation = Simulation(config: config, threads: threads)
      session.lap.initialisation()
      let warmup = config.time.warmup
      for w in 0..<warmup {
        session.agentTicks += simulation.professionals.presentCount
        try session.lap.step(&simulation)
        progress?(w - warmup, config.time.ticks, session.agentTicks)
      }
      try simulation.warmUp()
      session.lap.ticks()
      let writer = try OutputWriter(folder: folder, config: config)
      try writer.write(simulation.tickZeroRecord(), simulation: simulation)
      session.lap.output()
      // A checkpoint at tick 0 saves the warm-up.
      try session.checkpoint(simulation, writer: writer)
      return try session.finish(&simulation, writer: writer, progress: progress)
    } catch {
      if !session.checkpointed { folder.discard() }
      throw error
    }
  }

  /// Continues the run saved in a checkpoint to its end, exactly as if it had never stopped.
  ///
  /// The run's working folder must still hold its partial files (a killed run leaves them);
  /// each is cut back to its length at the checkpoint and checked against its recorded
  /// SHA-256 first. Checkpoints go on being written to `url` every `every` ticks (the
  /// checkpoint's own interval if nil), and `url` is deleted when the run completes.
  public static func resume(
    checkpoint url: URL, threads: Int, every: Int? = nil,
    progress: ((_ tick: Int, _ ticks: Int, _ agentTicks: Int) -> Void)? = nil
  ) throws -> RunResult {
    try resume(
      RunCheckpoint.read(from: url, threads: threads), file: url, every: every, progress: progress)
  }

  /// Continues a checkpoint already read from `url` (see `resume(checkpoint:threads:every:)`).
  public static func resume(
    _ checkpoint: RunCheckpoint, file url: URL, every: Int? = nil,
    progress: ((_ tick: Int, _ ticks: Int, _ agentTicks: Int) -> Void)? = nil
  ) throws -> RunResult {
    let sessionStart = Date()
    var simulation = checkpoint.simulation
    let config = simulation.initialConfig
    guard FileManager.default.fileExists(atPath: checkpoint.workingFolder.path) else {
      let finished =
        FileManager.default.fileExists(atPath: checkpoint.destination.path)
        ? "; \(checkpoint.destination.path) exists, so the run probably finished and this "
          + "checkpoint is stale" : ""
      throw CheckpointError(
        file: url.path,
        message: "cannot be resumed: the run's working folder \(checkpoint.workingFolder.path) "
          + "is gone\(finished)")
    }
    let folder = try RunFolder(
      resuming: checkpoint.workingFolder, destination: checkpoint.destination,
      force: checkpoint.force)
    let writer: OutputWriter
    do {
      writer = try OutputWriter(folder: folder, config: config, resuming: checkpoint.files)
    } catch let error as CSVBufferError {
      throw CheckpointError(
        file: url.path,
        message: "cannot be resumed: the partial output \(error.path) does not match it: "
          + "\(error.reason)")
    }
    var session = RunSession(
      folder: folder, config: config,
      checkpoints: CheckpointSchedule(every: every ?? checkpoint.every, file: url),
      startedAt: checkpoint.startedAt, sessionStart: sessionStart,
      wallBefore: checkpoint.wallSeconds, totals: checkpoint.totals)
    session.checkpointed = true
    return try session.finish(&simulation, writer: writer, progress: progress)
  }
}

/// When and where a run saves checkpoints.
public struct CheckpointSchedule: Sendable {
  /// Recorded ticks between checkpoints (a checkpoint follows every tick divisible by it).
  public var every: Int
  /// The checkpoint file, replaced atomically each time.
  public var file: URL

  public init(every: Int, file: URL) {
    self.every = max(1, every)
    self.file = file
  }
}

/// The recorded ticks of one run, whether started afresh or resumed.
struct RunSession {
  let folder: RunFolder
  let config: Configuration
  let checkpoints: CheckpointSchedule?
  let startedAt: Date
  let sessionStart: Date
  /// Wall time of earlier sessions of a resumed run.
  let wallBefore: Double
  var totals: [Double]
  var agentTicks = 0
  /// Whether a checkpoint refers to the working folder, which must then be kept on failure.
  var checkpointed = false
  /// Where the time goes, when profiling.
  var lap = ProfileLap(nil)

  init(
    folder: RunFolder, config: Configuration, checkpoints: CheckpointSchedule?, startedAt: Date,
    sessionStart: Date, wallBefore: Double, totals: [Double]
  ) {
    self.folder = folder
    self.config = config
    self.checkpoints = checkpoints
    self.startedAt = startedAt
    self.sessionStart = sessionStart
    self.wallBefore = wallBefore
    self.totals = totals
  }

  /// Runs the remaining recorded ticks, writing rows and checkpoints, then closes the files,
  /// writes the manifest and puts the folder in place.
  mutating func finish(
    _ simulation: inout Simulation, writer: OutputWriter,
    progress: ((_ tick: Int, _ ticks: Int, _ agentTicks: Int) -> Void)?
  ) throws -> RunResult {
    let ticks = config.time.ticks
    var last = simulation.tickZeroRecord()
    while simulation.tick < ticks {
      agentTicks += simulation.professionals.presentCount
      last = try lap.step(&simulation)
      for k in totals.indices { totals[k] += last.row[k] }
      lap.ticks()
      try writer.write(last, simulation: simulation)
      lap.output()
      try checkpoint(simulation, writer: writer)
      progress?(simulation.tick, ticks, agentTicks)
    }
    let files = try writer.close()
    let wall = wallSeconds
    let manifest = Manifest(
      config: config, files: files, wallSeconds: wall, threads: simulation.threads,
      startedAt: startedAt)
    try FileSystem.writeAtomically(
      Array((manifest.json.serialized(pretty: true) + "\n").utf8),
      to: folder.url(for: "manifest.json"))
    try folder.commit()
    if let checkpoints { try? FileManager.default.removeItem(at: checkpoints.file) }
    lap.output()
    lap.finish(agentTicks: agentTicks)
    return RunResult(
      folder: folder.destination, files: files, last: last, totals: totals, wallSeconds: wall)
  }

  /// Saves a checkpoint if one is due after this tick: on ticks divisible by the interval,
  /// tick 0 included, but not after the last tick, when the run is about to complete.
  mutating func checkpoint(_ simulation: Simulation, writer: OutputWriter) throws {
    guard let checkpoints, simulation.tick % checkpoints.every == 0,
      simulation.tick < config.time.ticks
    else { return }
    let checkpoint = RunCheckpoint(
      simulation: simulation, destination: folder.destination, workingFolder: folder.workingURL,
      force: folder.force, every: checkpoints.every, startedAt: startedAt,
      wallSeconds: wallSeconds, totals: totals, files: try writer.checkpointPositions())
    try checkpoint.write(to: checkpoints.file)
    checkpointed = true
  }

  /// Wall time over every session so far.
  var wallSeconds: Double { wallBefore + Date().timeIntervalSince(sessionStart) }
}

/// Where the time of a run went: filled in by `Runner.run` when given one.
///
/// A reference type so that a run can add to it as it goes; every value accumulates, so one
/// profile may cover several runs.
public final class RunProfile {
  /// Setting up the initial state (MODEL 5).
  public var initialisationSeconds = 0.0
  /// Preparing the run folder, writing every row, closing the files, the manifest and the rename.
  public var outputSeconds = 0.0
  /// Warm-up and recorded ticks, outputs excluded.
  public var tickSeconds = 0.0
  /// The tick time step by step.
  public var steps = StepTimings()
  /// The whole run, from preparing the folder to the rename.
  public var wallSeconds = 0.0
  /// Σ over warm-up and recorded ticks of the professionals present at the tick's start.
  public var agentTicks = 0

  public init() {}
}

/// Adds the time since the previous lap to one part of a `RunProfile`; does nothing without one.
struct ProfileLap {
  let profile: RunProfile?
  private let start: UInt64
  private var last: UInt64

  init(_ profile: RunProfile?) {
    self.profile = profile
    start = StepTimings.now()
    last = start
  }

  private mutating func lap() -> Double {
    let now = StepTimings.now()
    defer { last = now }
    return Double(now &- last) / 1e9
  }

  mutating func initialisation() {
    guard let profile else { return }
    profile.initialisationSeconds += lap()
  }

  mutating func ticks() {
    guard let profile else { return }
    profile.tickSeconds += lap()
  }

  mutating func output() {
    guard let profile else { return }
    profile.outputSeconds += lap()
  }

  /// One tick, timed step by step when profiling (the record is the same either way); throws
  /// when the population would outgrow its limit.
  @discardableResult
  func step(_ simulation: inout Simulation) throws(SimulationError) -> TickRecord {
    guard let profile else { return try simulation.step() }
    return try simulation.step(clock: &profile.steps)
  }

  /// Records the run's agent-ticks and whole wall time.
  func finish(agentTicks: Int) {
    guard let profile else { return }
    profile.agentTicks += agentTicks
    profile.wallSeconds += Double(StepTimings.now() &- start) / 1e9
  }
}

/// Writes the CSV files of a run, tick by tick.
final class OutputWriter {
  let config: Configuration
  var timeseries: CSVBuffer
  var flows: CSVBuffer
  var firms: CSVBuffer?
  var agents: CSVBuffer?
  var moves: CSVBuffer?

  static let firmColumns = [
    "tick", "firm", "type", "alive", "age", "headcount", "vacancies", "cash", "revenue",
    "valuation", "stage", "equity_offer", "stability", "resources", "career", "innovation",
    "autonomy", "worklife",
  ]
  static let agentColumns = [
    "tick", "id", "employer", "sector", "skill", "tenure", "w_stability", "w_resources",
    "w_career", "w_innovation", "w_autonomy", "w_worklife", "money_weight", "risk_aversion",
    "visa_dependent", "wealth",
  ]
  static let moveColumns = ["tick", "professional", "from_firm", "to_firm", "from", "to", "reason"]

  /// Creates the files of a new run, or, given the positions recorded in a checkpoint, reopens
  /// those of an interrupted one where the checkpoint left them.
  init(folder: RunFolder, config: Configuration, resuming positions: [OutputFilePosition]? = nil)
    throws
  {
    self.config = config
    func open(_ name: String, _ columns: [String]) throws -> CSVBuffer {
      let url = folder.url(for: name)
      guard let positions else {
        var buffer = try CSVBuffer(url: url)
        buffer.header(columns)
        return buffer
      }
      guard let position = positions.first(where: { $0.name == name }) else {
        throw CSVBufferError(path: url.path, reason: "the checkpoint does not record this file")
      }
      return try CSVBuffer(resuming: url, at: position)
    }
    timeseries = try open("timeseries.csv", Timeseries.columns)
    flows = try open("flows.csv", ["tick", "from", "to", "reason", "count"])
    if config.output.firmsEvery > 0 { firms = try open("firms.csv", OutputWriter.firmColumns) }
    if config.output.agents != .none { agents = try open("agents.csv", OutputWriter.agentColumns) }
    if config.output.moves { moves = try open("moves.csv", OutputWriter.moveColumns) }
  }

  /// Flushes every file and returns their positions, in manifest order, for a checkpoint.
  func checkpointPositions() throws -> [OutputFilePosition] {
    var positions = [
      try timeseries.checkpointPosition(name: "timeseries.csv"),
      try flows.checkpointPosition(name: "flows.csv"),
    ]
    if firms != nil, let p = try firms?.checkpointPosition(name: "firms.csv") {
      positions.append(p)
    }
    if agents != nil, let p = try agents?.checkpointPosition(name: "agents.csv") {
      positions.append(p)
    }
    if moves != nil, let p = try moves?.checkpointPosition(name: "moves.csv") {
      positions.append(p)
    }
    return positions
  }

  /// Writes one tick's rows to every file that takes a row this tick.
  func write(_ record: TickRecord, simulation: Simulation) throws {
    let t = record.tick
    for value in record.row { timeseries.field(value) }
    timeseries.endRow()
    for row in record.flows.nonZero {
      flows.field(t)
      flows.field(row.from.name)
      flows.field(row.to.name)
      flows.field(row.reason.name)
      flows.field(row.count)
      flows.endRow()
    }
    if moves != nil {
      for m in record.moves {
        moves?.field(t)
        moves?.field(Int(m.professional))
        moves?.field(Int(m.fromFirm))
        moves?.field(Int(m.toFirm))
        moves?.field(m.from.name)
        moves?.field(m.to.name)
        moves?.field(m.reason.name)
        moves?.endRow()
      }
    }
    let every = config.output.firmsEvery
    if firms != nil && every > 0 && t % every == 0 { writeFirms(t, simulation.firms, every) }
    if agents != nil {
      switch config.output.agents {
      case .none: break
      case .final: if t == config.time.ticks { writeAgents(t, simulation) }
      case .every(let n): if t % n == 0 { writeAgents(t, simulation) }
      }
    }
    try refuseBlankCells(t)
  }

  /// Stops the run if a number written this tick was NaN or infinite, which the CSV would show
  /// as a blank cell. The model's own guards (`checkFirms`, `checkRecord`) catch such values
  /// where they arise; this is the last line behind them, for the micro files.
  private func refuseBlankCells(_ t: Int) throws(SimulationError) {
    func check(_ place: (row: Int, column: Int, value: Double)?, _ file: String, _ columns: [String])
      throws(SimulationError)
    {
      guard let place else { return }
      let column = columns[place.column]
      let keys: [String]
      switch column {
      case "wealth":
        keys = ["startup.acquisitionPremium"] + Simulation.Drivers.startupValuation
      case "money_weight": keys = ["money.median", "money.sigma"]
      case "risk_aversion": keys = ["risk.median", "risk.sigma"]
      case "skill": keys = ["skill.learningRate", "skill.decay"]
      case "cash", "revenue": keys = Simulation.Drivers.startupCash
      case "valuation": keys = Simulation.Drivers.startupValuation
      default: keys = Simulation.Drivers.published
      }
      throw SimulationError(
        tick: t, step: "writing the outputs",
        quantity: "\(file) value in column \(column) (data row \(place.row + 1))",
        value: place.value, keys: keys)
    }
    try check(timeseries.firstNonFinite, "timeseries.csv", Timeseries.columns)
    try check(firms?.firstNonFinite, "firms.csv", OutputWriter.firmColumns)
    try check(agents?.firstNonFinite, "agents.csv", OutputWriter.agentColumns)
  }

  /// Living firms, and those that died since the previous snapshot.
  private func writeFirms(_ t: Int, _ f: Firms, _ every: Int) {
    guard var out = firms else { return }
    firms = nil  // keep the buffer uniquely referenced while writing
    for j in 0..<f.count where f.alive[j] || Int(f.diedTick[j]) > t - every {
      out.field(t)
      out.field(j)
      out.field(f.type[j].name)
      out.field(f.alive[j] ? "true" : "false")
      out.field(Int(f.age[j]))
      out.field(Int(f.headcount[j]))
      let open = f.alive[j] ? f.target[j].rounded(.toNearestOrAwayFromZero) - Double(f.headcount[j]) : 0
      out.field(open > 0 ? Int(open) : 0)
      let isStartup = f.type[j] == .startup
      out.field(isStartup ? f.cash[j] : 0)
      out.field(f.revenue[j])
      out.field(isStartup ? f.valuation[j] : 0)
      out.field(Int(f.stage[j]))
      out.field(f.equityOffer[j])
      for k in 0..<Professionals.attributeCount { out.field(f.publishedValue(j, k)) }
      out.endRow()
    }
    firms = out
  }

  private func writeAgents(_ t: Int, _ sim: Simulation) {
    guard var out = agents else { return }
    agents = nil
    let pr = sim.professionals
    for p in 0..<pr.slotCount where pr.employer[p] != Professionals.gone {
      let e = pr.employer[p]
      out.field(t)
      out.field(Int(pr.id[p]))
      out.field(Int(e))
      out.field(e >= 0 ? sim.firms.type[Int(e)].name : "unemployed")
      out.field(pr.skill[p])
      out.field(Int(pr.tenure[p]))
      for k in 0..<Professionals.attributeCount {
        out.field(pr.weights[p * Professionals.attributeCount + k])
      }
      out.field(pr.moneyWeight[p])
      out.field(pr.riskAversion[p])
      out.field(pr.visaDependent[p] ? "true" : "false")
      out.field(pr.wealth[p])
      out.endRow()
    }
    agents = out
  }

  /// Flushes and closes every file; returns them in manifest order.
  func close() throws -> [OutputFile] {
    var files: [OutputFile] = []
    func finish(_ name: String, _ buffer: inout CSVBuffer) throws {
      let summary = try buffer.close()
      files.append(
        OutputFile(name: name, rows: summary.rows, bytes: summary.bytes, sha256: summary.sha256))
    }
    try finish("timeseries.csv", &timeseries)
    try finish("flows.csv", &flows)
    if var buffer = firms { try finish("firms.csv", &buffer) }
    if var buffer = agents { try finish("agents.csv", &buffer) }
    if var buffer = moves { try finish("moves.csv", &buffer) }
    return files
  }
}
