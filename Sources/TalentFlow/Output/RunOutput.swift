/// One CSV file a run can write (MODEL 6): its name, its columns, when the configuration asks for
/// it, and how one tick's rows are written.
///
/// `RunOutput.all` is the one list of a run's files: the writer, the checkpoint's file positions,
/// the manifest and replay all take theirs from it, in its order (the manifest order).
public struct RunOutput: Sendable {
  /// The file's name in the run folder.
  public let name: String
  /// The header row.
  public let columns: [String]
  /// Whether a run of this configuration writes the file.
  let isWritten: @Sendable (Configuration) -> Bool
  /// Appends one tick's rows (none on a tick the file skips).
  let writeRows: @Sendable (inout CSVBuffer, OutputTick) -> Void

  /// Every file some run can write, in manifest order.
  public static let all = [timeseries, flows, firms, agents, moves]

  /// The files a run of `config` writes, in manifest order.
  public static func written(by config: Configuration) -> [RunOutput] {
    all.filter { $0.isWritten(config) }
  }

  /// The names of the files a run of `config` writes, in manifest order.
  public static func names(for config: Configuration) -> [String] {
    written(by: config).map(\.name)
  }

  /// One row a tick: every timeseries column.
  public static let timeseries = RunOutput(
    name: "timeseries.csv", columns: Timeseries.columns, isWritten: { _ in true }
  ) { out, tick in
    for value in tick.record.row { out.field(value) }
    out.endRow()
  }

  /// The tick's non-zero flow counts.
  public static let flows = RunOutput(
    name: "flows.csv", columns: ["tick", "from", "to", "reason", "count"],
    isWritten: { _ in true }
  ) { out, tick in
    for row in tick.record.flows.nonZero {
      out.field(tick.record.tick)
      out.field(row.from.name)
      out.field(row.to.name)
      out.field(row.reason.name)
      out.field(row.count)
      out.endRow()
    }
  }

  /// Every `output.firmsEvery` ticks, each firm alive or died since the previous snapshot.
  public static let firms = RunOutput(
    name: "firms.csv",
    columns: [
      "tick", "firm", "type", "alive", "age", "headcount", "vacancies", "cash", "revenue",
      "valuation", "stage", "equity_offer", "stability", "resources", "career", "innovation",
      "autonomy", "worklife",
    ],
    isWritten: { $0.output.firmsEvery > 0 }
  ) { out, tick in
    let t = tick.record.tick
    let every = tick.config.output.firmsEvery
    guard every > 0 && t % every == 0 else { return }
    writeFirms(&out, t, tick.firms, every, tick.parallel)
  }

  /// Every professional present, at the ticks `output.agents` names.
  public static let agents = RunOutput(
    name: "agents.csv",
    columns: [
      "tick", "id", "employer", "sector", "skill", "tenure", "w_stability", "w_resources",
      "w_career", "w_innovation", "w_autonomy", "w_worklife", "money_weight", "risk_aversion",
      "visa_dependent", "wealth",
    ],
    isWritten: { $0.output.agents != .none }
  ) { out, tick in
    let t = tick.record.tick
    switch tick.config.output.agents {
    case .none: break
    case .final: if t == tick.config.time.ticks { writeAgents(&out, t, tick) }
    case .every(let n): if t % n == 0 { writeAgents(&out, t, tick) }
    }
  }

  /// Every move of the tick, with `output.moves`.
  public static let moves = RunOutput(
    name: "moves.csv",
    columns: ["tick", "professional", "from_firm", "to_firm", "from", "to", "reason"],
    isWritten: { $0.output.moves }
  ) { out, tick in
    for m in tick.record.moves {
      out.field(tick.record.tick)
      out.field(Int(m.professional))
      out.field(Int(m.fromFirm))
      out.field(Int(m.toFirm))
      out.field(m.from.name)
      out.field(m.to.name)
      out.field(m.reason.name)
      out.endRow()
    }
  }

  /// Living firms, and those that died since the previous snapshot.
  private static func writeFirms(
    _ out: inout CSVBuffer, _ t: Int, _ f: Firms, _ every: Int, _ parallel: Parallel
  ) {
    appendRows(to: &out, count: f.count, parallel) { out, range in
      for j in range where f.alive[j] || Int(f.diedTick[j]) > t - every {
        out.field(t)
        out.field(j)
        out.field(f.type[j].name)
        out.field(f.alive[j] ? "true" : "false")
        out.field(Int(f.age[j]))
        out.field(Int(f.headcount[j]))
        out.field(
          Int(Firms.vacancies(alive: f.alive[j], target: f.target[j], headcount: f.headcount[j])))
        let isStartup = f.type[j] == .startup
        out.field(isStartup ? f.cash[j] : 0)
        out.field(f.revenue[j])
        out.field(isStartup ? f.valuation[j] : 0)
        out.field(Int(f.stage[j]))
        out.field(f.equityOffer[j])
        for k in 0..<Professionals.attributeCount { out.field(f.publishedValue(j, k)) }
        out.endRow()
      }
    }
  }

  private static func writeAgents(_ out: inout CSVBuffer, _ t: Int, _ tick: OutputTick) {
    let pr = tick.professionals
    let firmType = tick.firms.type
    appendRows(to: &out, count: pr.slotCount, tick.parallel) { out, range in
      for p in range where pr.employer[p] != Professionals.gone {
        let e = pr.employer[p]
        out.field(t)
        out.field(Int(pr.id[p]))
        out.field(Int(e))
        out.field(e >= 0 ? firmType[Int(e)].name : "unemployed")
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
    }
  }

  /// Formats the rows of items `0..<count` (a snapshot's firms or professionals) in chunks on
  /// `parallel`'s threads and appends them to `out` in item order. A few chunks per thread are
  /// formatted at a time, so a snapshot of a million rows never sits in memory whole.
  private static func appendRows(
    to out: inout CSVBuffer, count: Int, _ parallel: Parallel,
    _ format: (inout CSVBuffer, Range<Int>) -> Void
  ) {
    let url = out.url
    let wave = Parallel.chunkSize * 2 * parallel.threads
    var start = 0
    while start < count {
      let first = start
      let end = min(count, first + wave)
      let parts = parallel.mapChunks(count: end - first) { range in
        var part = CSVBuffer(rowsFor: url)
        format(&part, (first + range.lowerBound)..<(first + range.upperBound))
        return part
      }
      for part in parts { out.append(part) }
      start = end
    }
  }
}

/// What a run writes of one tick: its record and the state after it.
struct OutputTick {
  let record: TickRecord
  let firms: Firms
  let professionals: Professionals
  /// The configuration the run started from, which decides what is written whatever events
  /// change later.
  let config: Configuration
  /// The threads that format the rows of the large snapshots (`agents.csv`, `firms.csv`).
  let parallel: Parallel
}
