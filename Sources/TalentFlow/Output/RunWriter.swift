import Foundation

/// A file a run wrote, as listed in its manifest.
public struct OutputFile: Sendable, Equatable {
  public var name: String
  public var rows: Int
  public var bytes: Int
  public var sha256: String
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
  public static func records(config: Configuration, threads: Int) -> [TickRecord] {
    var simulation = Simulation(config: config, threads: threads)
    simulation.warmUp()
    var records = [simulation.tickZeroRecord()]
    records.reserveCapacity(config.time.ticks + 1)
    for _ in 0..<config.time.ticks { records.append(simulation.step()) }
    return records
  }

  /// Runs warm-up and every recorded tick, writing into `destination`.
  ///
  /// The files go to a temporary folder beside the destination, which is renamed into place only
  /// when every file and the manifest are complete.
  public static func run(
    config: Configuration, destination: URL, force: Bool, threads: Int,
    progress: ((_ tick: Int, _ ticks: Int, _ agentTicks: Int) -> Void)? = nil
  ) throws -> RunResult {
    let started = Date()
    let folder = try RunFolder(destination: destination, force: force)
    do {
      var simulation = Simulation(config: config, threads: threads)
      var agentTicks = 0
      let warmup = config.time.warmup
      for w in 0..<warmup {
        agentTicks += simulation.professionals.presentCount
        simulation.step()
        progress?(w - warmup, config.time.ticks, agentTicks)
      }
      simulation.warmUp()
      let writer = try OutputWriter(folder: folder, config: config)
      var last = simulation.tickZeroRecord()
      try writer.write(last, simulation: simulation)
      var totals = [Double](repeating: 0, count: Timeseries.columns.count)
      for _ in 0..<config.time.ticks {
        agentTicks += simulation.professionals.presentCount
        last = simulation.step()
        for k in totals.indices { totals[k] += last.row[k] }
        try writer.write(last, simulation: simulation)
        progress?(simulation.tick, config.time.ticks, agentTicks)
      }
      let files = try writer.close()
      let wall = Date().timeIntervalSince(started)
      let manifest = Manifest(
        config: config, files: files, wallSeconds: wall, threads: threads, startedAt: started)
      try RunFolder.writeAtomically(
        Array((manifest.json.serialized(pretty: true) + "\n").utf8),
        to: folder.url(for: "manifest.json"))
      try folder.commit()
      return RunResult(
        folder: destination, files: files, last: last, totals: totals, wallSeconds: wall)
    } catch {
      folder.discard()
      throw error
    }
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

  init(folder: RunFolder, config: Configuration) throws {
    self.config = config
    timeseries = try CSVBuffer(url: folder.url(for: "timeseries.csv"))
    timeseries.header(Timeseries.columns)
    flows = try CSVBuffer(url: folder.url(for: "flows.csv"))
    flows.header(["tick", "from", "to", "reason", "count"])
    if config.output.firmsEvery > 0 {
      var buffer = try CSVBuffer(url: folder.url(for: "firms.csv"))
      buffer.header(OutputWriter.firmColumns)
      firms = buffer
    }
    if config.output.agents != .none {
      var buffer = try CSVBuffer(url: folder.url(for: "agents.csv"))
      buffer.header(OutputWriter.agentColumns)
      agents = buffer
    }
    if config.output.moves {
      var buffer = try CSVBuffer(url: folder.url(for: "moves.csv"))
      buffer.header(OutputWriter.moveColumns)
      moves = buffer
    }
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

extension CSVBuffer {
  /// A `Float` in its own shortest round-trip form ("0.15234567"), integral values without ".0".
  mutating func field(_ value: Float) {
    if !value.isFinite {
      emptyField()
    } else if value == value.rounded() && abs(value) < 1e7 {
      field(Int(value))
    } else {
      field(value.description)
    }
  }
}
