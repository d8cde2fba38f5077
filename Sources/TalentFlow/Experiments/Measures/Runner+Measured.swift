import Foundation

extension Runner {
  /// Runs warm-up and every recorded tick in memory and returns the run ready to be measured:
  /// its timeseries, and the columns of firms.csv, agents.csv and moves.csv that the measures
  /// read (`RunMeasures`), captured as the run goes, for the files `config` writes.
  ///
  /// The captured rows are the rows `RunOutput` would write at the same ticks (firms every
  /// `output.firmsEvery` ticks, living or died since the previous snapshot; agents at the ticks
  /// `output.agents` names; every move), so a measure of it equals the measure of the same run
  /// written to a folder (tested), without formatting or parsing a file. For experiments that
  /// summarise each run by its measures (sensitivity analyses, calibrations).
  static func measuredRun(config: Configuration, threads: Int) throws(SimulationError)
    -> MeasuredRun
  {
    var capture = MeasureCapture(config: config)
    let records = try records(config: config, threads: threads) { record, simulation in
      capture.take(record, simulation)
    }
    return MeasuredRun(
      records: records, config: config, firms: capture.firmsTable, agents: capture.agentsTable,
      moves: capture.movesTable)
  }
}

/// The columns of firms.csv, agents.csv and moves.csv that measures read, row by row as the
/// run would write them.
private struct MeasureCapture {
  let config: Configuration
  var firmTick: [Int] = []
  var firm: [Int] = []
  var firmType: [Substring] = []
  var alive: [Substring] = []
  var stage: [Int] = []
  var agentTick: [Int] = []
  var sector: [Substring] = []
  var tenure: [Int] = []
  var moveTick: [Int] = []
  var professional: [Int] = []
  var fromFirm: [Int] = []
  var reason: [Substring] = []

  init(config: Configuration) { self.config = config }

  mutating func take(_ record: TickRecord, _ simulation: Simulation) {
    let t = record.tick
    let every = config.output.firmsEvery
    if every > 0 && t % every == 0 {
      let f = simulation.firms
      for j in 0..<f.count where f.alive[j] || Int(f.diedTick[j]) > t - every {
        firmTick.append(t)
        firm.append(j)
        firmType.append(Substring(f.type[j].name))
        alive.append(f.alive[j] ? "true" : "false")
        stage.append(Int(f.stage[j]))
      }
    }
    let agentsNow: Bool
    switch config.output.agents {
    case .none: agentsNow = false
    case .final: agentsNow = t == config.time.ticks
    case .every(let n): agentsNow = t % n == 0
    }
    if agentsNow {
      let pr = simulation.professionals
      for p in 0..<pr.slotCount where pr.employer[p] != Professionals.gone {
        let e = pr.employer[p]
        agentTick.append(t)
        sector.append(e >= 0 ? Substring(simulation.firms.type[Int(e)].name) : "unemployed")
        tenure.append(Int(pr.tenure[p]))
      }
    }
    if config.output.moves {
      for m in record.moves {
        moveTick.append(t)
        professional.append(Int(m.professional))
        fromFirm.append(Int(m.fromFirm))
        reason.append(Substring(m.reason.name))
      }
    }
  }

  var firmsTable: MeasureTable? {
    guard config.output.firmsEvery > 0 else { return nil }
    return MeasureTable(
      path: "firms.csv",
      columns: [
        ("tick", .integers(firmTick)), ("firm", .integers(firm)), ("type", .texts(firmType)),
        ("alive", .texts(alive)), ("stage", .integers(stage)),
      ])
  }

  var agentsTable: MeasureTable? {
    guard config.output.agents != .none else { return nil }
    return MeasureTable(
      path: "agents.csv",
      columns: [("tick", .integers(agentTick)), ("sector", .texts(sector)), ("tenure", .integers(tenure))])
  }

  var movesTable: MeasureTable? {
    guard config.output.moves else { return nil }
    return MeasureTable(
      path: "moves.csv",
      columns: [
        ("tick", .integers(moveTick)), ("professional", .integers(professional)),
        ("from_firm", .integers(fromFirm)), ("reason", .texts(reason)),
      ])
  }
}
