import Foundation

// MARK: - From firms.csv and moves.csv

extension RunMeasures {
  static let lifeFiles = ["timeseries.csv", "firms.csv", "moves.csv"]

  /// The cohort measures: the 48-month ones first, then the horizons the calibration's
  /// targets need (24 months for Series A, 78 for the Carta 2018 cohort's age in 2025).
  static let firms: [RunMeasure] = [
    survival(48), acquired(48),
    stageShare(stage: 1, horizon: 48), stageShare(stage: 2, horizon: 48),
    stageShare(stage: 3, horizon: 48),
    stageShare(stage: 1, horizon: 24),
    survival(78), acquired(78),
    stageShare(stage: 1, horizon: 78), stageShare(stage: 2, horizon: 78),
    stageShare(stage: 3, horizon: 78),
  ]

  /// `startup_survival_<h>`: the share of the h-tick birth cohort that did not fail by b + h.
  static func survival(_ horizon: Int) -> RunMeasure {
    RunMeasure(
      "startup_survival_\(horizon)", unit: "fraction", files: lifeFiles,
      "share of startups born at ticks b with 1 ≤ b ≤ T − \(horizon) that did not fail (die "
        + "other than by acquisition) at a tick ≤ b + \(horizon); needs firms.csv every tick "
        + "(output.firmsEvery = 1)"
    ) { run throws(MeasureError) in
      try cohortShare(run, horizon: horizon, needsDeaths: true) { lives, firm, last in
        !(lives.died[firm].map { $0 <= last } ?? false) || lives.acquired.contains(firm)
      }
    }
  }

  /// `startup_acquired_<h>`: the share of the h-tick birth cohort acquired by b + h.
  static func acquired(_ horizon: Int) -> RunMeasure {
    RunMeasure(
      "startup_acquired_\(horizon)", unit: "fraction", files: lifeFiles,
      "share of startups born at ticks b with 1 ≤ b ≤ T − \(horizon) that were acquired at a "
        + "tick ≤ b + \(horizon); needs firms.csv every tick (output.firmsEvery = 1)"
    ) { run throws(MeasureError) in
      try cohortShare(run, horizon: horizon, needsDeaths: true) { lives, firm, last in
        lives.acquired.contains(firm) && (lives.died[firm].map { $0 <= last } ?? false)
      }
    }
  }

  /// `startup_series_<a|b|c>_<h>`: the share of the h-tick birth cohort whose firms.csv
  /// `stage` reached `stage` by b + h.
  static func stageShare(stage: Int, horizon: Int) -> RunMeasure {
    let letter = ["", "a", "b", "c"][stage]
    let name = ["", "series A", "series B", "series C or later"][stage]
    return RunMeasure(
      "startup_series_\(letter)_\(horizon)", unit: "fraction",
      files: ["timeseries.csv", "firms.csv"],
      "share of startups born at ticks b with 1 ≤ b ≤ T − \(horizon) whose firms.csv stage is "
        + "≥ \(stage) (\(name)) in a snapshot at a tick ≤ b + \(horizon); needs "
        + "output.firmsEvery = 1"
    ) { run throws(MeasureError) in
      try cohortShare(run, horizon: horizon, needsDeaths: false) { lives, firm, last in
        (lives.stageReached[firm] ?? []).contains { $0.tick <= last && $0.stage >= stage }
      }
    }
  }

  /// Among startups born at 1…T − horizon, the share for which `counts(lives, firm, b + horizon)`.
  static func cohortShare(
    _ run: MeasuredRun, horizon: Int, needsDeaths: Bool,
    counts: (StartupLives, Int, Int) -> Bool
  ) throws(MeasureError) -> MeasureValue {
    let lives: StartupLives
    switch try StartupLives.read(run, needsDeaths: needsDeaths) {
    case .success(let read): lives = read
    case .failure(let unavailable): return .unavailable(unavailable.reason)
    }
    var cohort = 0
    var counted = 0
    // Only startups are founded after tick 0 (MODEL 4.7), so every firm born then is one.
    for (firm, birth) in lives.born where birth >= 1 && birth <= run.ticks - horizon {
      cohort += 1
      if counts(lives, firm, birth + horizon) { counted += 1 }
    }
    guard cohort > 0 else {
      return .unavailable("no startup was born at ticks 1…T − \(horizon) (T = \(run.ticks))")
    }
    return .value(Double(counted) / Double(cohort))
  }
}

/// Why a measure cannot be computed from the files present.
struct Unavailable: Error {
  var reason: String
}

/// The firms' lives as per-tick firms.csv snapshots and moves.csv show them.
///
/// A firm is born at the first snapshot that lists it, and a startup dies at the snapshot that
/// lists it with alive = false. firms.csv does not say how a startup died: it was acquired if
/// moves.csv has an `acquisition` row from it at that tick (an acquisition needs employees: its
/// hazard is proportional to min(1, headcount / 10), MODEL 4.2 step 6), and failed otherwise.
/// The inference is checked, tick by tick, against the timeseries columns startups_failed and
/// startups_acquired; a disagreement makes the measures that need it unavailable.
struct StartupLives {
  /// Birth tick by firm index.
  var born: [Int: Int] = [:]
  /// Death tick by startup index.
  var died: [Int: Int] = [:]
  /// The startups that died by acquisition (empty unless deaths were read).
  var acquired = Set<Int>()
  /// Each firm's snapshots: tick and stage, in file order.
  var stageReached: [Int: [(tick: Int, stage: Int)]] = [:]

  static func read(_ run: MeasuredRun, needsDeaths: Bool) throws(MeasureError) -> Result<
    StartupLives, Unavailable
  > {
    guard let firms = run.firms else { return .failure(Unavailable(reason: "needs firms.csv")) }
    let every = run.config.output.firmsEvery
    guard every == 1 else {
      return .failure(
        Unavailable(
          reason: "needs firms.csv written every tick (output.firmsEvery = 1); this run has "
            + "\(every)"))
    }
    var lives = StartupLives()
    let ticks = try firms.integers("tick")
    let ids = try firms.integers("firm")
    let types = try firms.texts("type")
    let alive = try firms.texts("alive")
    let stages = try firms.integers("stage")
    for k in ticks.indices {
      if lives.born[ids[k]] == nil { lives.born[ids[k]] = ticks[k] }
      lives.stageReached[ids[k], default: []].append((ticks[k], stages[k]))
      if alive[k] == "false", types[k] == "startup", lives.died[ids[k]] == nil {
        lives.died[ids[k]] = ticks[k]
      }
    }
    guard needsDeaths else { return .success(lives) }
    guard let moves = run.moves else { return .failure(Unavailable(reason: "needs moves.csv")) }
    let moveTicks = try moves.integers("tick")
    let fromFirm = try moves.integers("from_firm")
    let reasons = try moves.texts("reason")
    for k in moveTicks.indices
    where reasons[k] == "acquisition" && lives.died[fromFirm[k]] == moveTicks[k] {
      lives.acquired.insert(fromFirm[k])
    }
    // The inference against the timeseries counts of each tick.
    let failedColumn = try run.column("startups_failed")
    let acquiredColumn = try run.column("startups_acquired")
    var failedAt = [Int](repeating: 0, count: run.ticks + 1)
    var acquiredAt = [Int](repeating: 0, count: run.ticks + 1)
    for (firm, tick) in lives.died where (0...run.ticks).contains(tick) {
      if lives.acquired.contains(firm) { acquiredAt[tick] += 1 } else { failedAt[tick] += 1 }
    }
    for t in 0...run.ticks where t >= 1 {
      if Double(failedAt[t]) != failedColumn[t] || Double(acquiredAt[t]) != acquiredColumn[t] {
        return .failure(
          Unavailable(
            reason: "firms.csv and moves.csv do not tell failures from acquisitions at tick \(t) "
              + "(inferred \(failedAt[t]) failed, \(acquiredAt[t]) acquired; timeseries.csv "
              + "says \(MeasureValue.text(failedColumn[t])) and "
              + "\(MeasureValue.text(acquiredColumn[t])))"))
      }
    }
    return .success(lives)
  }
}
