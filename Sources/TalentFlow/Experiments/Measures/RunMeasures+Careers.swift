import Foundation

// MARK: - From agents.csv and moves.csv

extension RunMeasures {
  static let careers: [RunMeasure] = [
    tenure("mean_tenure_bigtech", sector: "bigtech"),
    tenure("mean_tenure_startup", sector: "startup"),
    retention("hire_retention_12", horizon: 12),
    retention("hire_retention_24", horizon: 24),
  ]

  /// The mean tenure of a sector's employees at the last agents.csv snapshot.
  static func tenure(_ name: String, sector: String) -> RunMeasure {
    RunMeasure(
      name, unit: "ticks", files: ["agents.csv"],
      "mean of tenure over the agents.csv rows of its last snapshot tick with sector = \(sector)"
    ) { run throws(MeasureError) in
      guard let agents = run.agents else { return .unavailable("needs agents.csv") }
      let ticks = try agents.integers("tick")
      let sectors = try agents.texts("sector")
      let tenures = try agents.numbers("tenure")
      guard let last = ticks.max() else { return .unavailable("agents.csv has no rows") }
      var sum = 0.0
      var count = 0
      for k in ticks.indices where ticks[k] == last && sectors[k] == sector {
        sum += tenures[k]
        count += 1
      }
      guard count > 0 else {
        return .unavailable("no one is employed at a \(sector) firm at tick \(last)")
      }
      return .value(sum / Double(count))
    }
  }

  /// The share of hires still at the firm `horizon` ticks later, from moves.csv.
  ///
  /// A hire is a row with reason `voluntary` or `hire` (she chose the firm); she stays until
  /// her next row of any other reason than `graduation` (which does not change her employer).
  static func retention(_ name: String, horizon: Int) -> RunMeasure {
    RunMeasure(
      name, unit: "fraction", files: ["moves.csv"],
      "share of moves.csv rows with reason voluntary or hire at ticks h ≤ T − \(horizon) whose "
        + "professional has no later row other than graduation at a tick ≤ h + \(horizon)"
    ) { run throws(MeasureError) in
      guard let moves = run.moves else { return .unavailable("needs moves.csv") }
      let ticks = try moves.integers("tick")
      let people = try moves.integers("professional")
      let reasons = try moves.texts("reason")
      // Walking backwards, the tick of each professional's next leaving row.
      var nextLeave: [Int: Int] = [:]
      var hires = 0
      var stayed = 0
      for k in ticks.indices.reversed() {
        let reason = reasons[k]
        if (reason == "voluntary" || reason == "hire") && ticks[k] <= run.ticks - horizon {
          hires += 1
          let left = nextLeave[people[k]].map { $0 <= ticks[k] + horizon } ?? false
          if !left { stayed += 1 }
        }
        if reason != "graduation" { nextLeave[people[k]] = ticks[k] }
      }
      guard hires > 0 else {
        return .unavailable("no hire at ticks 1…T − \(horizon) (T = \(run.ticks))")
      }
      return .value(Double(stayed) / Double(hires))
    }
  }
}
