import Foundation

// MARK: - From firms.csv and moves.csv

extension RunMeasures {
  static let firms: [RunMeasure] = [
    RunMeasure(
      "startup_survival_48", unit: "fraction",
      files: ["timeseries.csv", "firms.csv", "moves.csv"],
      "share of startups born at ticks b with 1 ≤ b ≤ T − 48 that did not fail (die other than "
        + "by acquisition) at a tick ≤ b + 48; needs firms.csv every tick (output.firmsEvery = 1)"
    ) { run throws(MeasureError) in
      try survival(run, horizon: 48)
    }
  ]

  /// The startups' births and deaths, from per-tick firms.csv snapshots and moves.csv.
  ///
  /// A startup is born at the first snapshot that lists it and dies at the snapshot that lists
  /// it with alive = false. firms.csv does not say how it died: it was acquired if moves.csv has
  /// an `acquisition` row from it at that tick (an acquisition needs employees, MODEL 4.2 step
  /// 6), and failed otherwise. The inference is checked, tick by tick, against the timeseries
  /// columns startups_failed and startups_acquired; a disagreement makes the measure unavailable.
  static func survival(_ run: MeasuredRun, horizon: Int) throws(MeasureError) -> MeasureValue {
    guard let firms = run.firms, let moves = run.moves else { return .unavailable("needs files") }
    let every = run.config.output.firmsEvery
    guard every == 1 else {
      return .unavailable(
        "needs firms.csv written every tick (output.firmsEvery = 1); this run has \(every)")
    }
    let ticks = try firms.integers("tick")
    let ids = try firms.integers("firm")
    let types = try firms.texts("type")
    let alive = try firms.texts("alive")
    var born: [Int: Int] = [:]
    var died: [Int: Int] = [:]
    for k in ticks.indices {
      if born[ids[k]] == nil { born[ids[k]] = ticks[k] }
      if alive[k] == "false", types[k] == "startup", died[ids[k]] == nil { died[ids[k]] = ticks[k] }
    }
    var acquired = Set<Int>()
    let moveTicks = try moves.integers("tick")
    let fromFirm = try moves.integers("from_firm")
    let reasons = try moves.texts("reason")
    for k in moveTicks.indices
    where reasons[k] == "acquisition" && died[fromFirm[k]] == moveTicks[k] {
      acquired.insert(fromFirm[k])
    }
    // The inference against the timeseries counts of each tick.
    let failedColumn = try run.column("startups_failed")
    let acquiredColumn = try run.column("startups_acquired")
    var failedAt = [Int](repeating: 0, count: run.ticks + 1)
    var acquiredAt = [Int](repeating: 0, count: run.ticks + 1)
    for (firm, tick) in died where (0...run.ticks).contains(tick) {
      if acquired.contains(firm) { acquiredAt[tick] += 1 } else { failedAt[tick] += 1 }
    }
    for t in 0...run.ticks where t >= 1 {
      if Double(failedAt[t]) != failedColumn[t] || Double(acquiredAt[t]) != acquiredColumn[t] {
        return .unavailable(
          "firms.csv and moves.csv do not tell failures from acquisitions at tick \(t) "
            + "(inferred \(failedAt[t]) failed, \(acquiredAt[t]) acquired; timeseries.csv says "
            + "\(MeasureValue.text(failedColumn[t])) and "
            + "\(MeasureValue.text(acquiredColumn[t])))")
      }
    }
    var cohort = 0
    var survivors = 0
    for (firm, birth) in born where birth >= 1 && birth <= run.ticks - horizon {
      // Only startups are born after tick 0 (big tech is never founded, MODEL 4.7).
      cohort += 1
      if let death = died[firm], !acquired.contains(firm), death <= birth + horizon { continue }
      survivors += 1
    }
    guard cohort > 0 else {
      return .unavailable(
        "no startup was born at ticks 1…T − \(horizon) (T = \(run.ticks))")
    }
    return .value(Double(survivors) / Double(cohort))
  }
}
