import Foundation

/// The library of run measures (README, "Measures"; model document, "Outputs"), in print order.
///
/// T is the last recorded tick; the timeseries has rows 0…T, and tick 0 (the state after
/// warm-up) enters only as the "previous tick" of tick 1 and as the base of a growth rate.
public enum RunMeasures {
  public static let all: [RunMeasure] = headline + firms + careers

  public static var names: [String] { all.map(\.name) }

  /// The headline measures: those computed from timeseries.csv alone, in `all` order.
  ///
  /// They are what a sweep's runs.csv, `compare` and the reports summarise a run by, computed
  /// from the run's records in memory (`MeasuredRun(records:config:)`), so a run kept as a
  /// folder gives the same numbers with `talentflow measures`. The order: the move rate and
  /// the two directed move totals, the startup share at the end, unemployment, the startups
  /// born, failed and acquired per year, big-tech growth, then the two means.
  public static let headline: [RunMeasure] = timeseries

  public static var headlineNames: [String] { headline.map(\.name) }

  /// The measure named `name`, if there is one.
  public static func named(_ name: String) -> RunMeasure? {
    all.first { $0.name == name }
  }

  /// Every measure of `run`, in `all` order.
  public static func evaluate(_ run: MeasuredRun) throws(MeasureError) -> [(
    measure: RunMeasure, value: MeasureValue
  )] {
    var out: [(measure: RunMeasure, value: MeasureValue)] = []
    for measure in all { out.append((measure, try measure.value(of: run))) }
    return out
  }

  /// The headline measures of a run, in `headline` order; NaN where unavailable, so a CSV
  /// field is empty (`CSVBuffer` writes NaN so), never 0.
  ///
  /// A run in memory has every timeseries column; a column missing from a run read from a
  /// folder makes the measures that need it NaN.
  public static func headlineValues(of run: MeasuredRun) -> [Double] {
    headline.map { measure in
      (try? measure.value(of: run))?.number ?? .nan
    }
  }
}

// MARK: - From timeseries.csv

extension RunMeasures {
  static let ts = ["timeseries.csv"]
  static let moveColumns = [
    "moves_bigtech_to_startup", "moves_startup_to_bigtech", "moves_startup_to_startup",
    "moves_bigtech_to_bigtech",
  ]

  static let timeseries: [RunMeasure] = [
    RunMeasure(
      "move_rate_monthly", unit: "fraction/month", files: ts,
      "mean over t = 1…T of (moves_bigtech_to_startup + moves_startup_to_bigtech + "
        + "moves_startup_to_startup + moves_bigtech_to_bigtech)(t) / (employed_bigtech + "
        + "employed_startup)(t−1); a term whose employment is 0 counts 0"
    ) { run throws(MeasureError) in
      guard run.ticks > 0 else { return noTicks }
      let employed = try employment(run)
      var moves = [Double](repeating: 0, count: run.ticks + 1)
      for name in moveColumns {
        let column = try run.column(name)
        for t in moves.indices { moves[t] += column[t] }
      }
      var sum = 0.0
      for t in 1...run.ticks where employed[t - 1] > 0 { sum += moves[t] / employed[t - 1] }
      return .value(sum / Double(run.ticks))
    },
    total("moves_bigtech_to_startup_total", column: "moves_bigtech_to_startup"),
    total("moves_startup_to_bigtech_total", column: "moves_startup_to_bigtech"),
    RunMeasure(
      "startup_share_final", unit: "fraction", files: ts,
      "employed_startup(T) / (employed_bigtech + employed_startup)(T)"
    ) { run throws(MeasureError) in
      let employed = try employment(run)
      let startup = try run.column("employed_startup")
      guard let last = employed.last, last > 0, let share = startup.last else {
        return .unavailable("no one is employed at the last tick")
      }
      return .value(share / last)
    },
    RunMeasure(
      "unemployment_rate", unit: "fraction", files: ts,
      "mean over t = 1…T of unemployed(t) / professionals(t); a term with no professionals counts 0"
    ) { run throws(MeasureError) in
      guard run.ticks > 0 else { return noTicks }
      let unemployed = try run.column("unemployed")
      let professionals = try run.column("professionals")
      var sum = 0.0
      for t in 1...run.ticks where professionals[t] > 0 { sum += unemployed[t] / professionals[t] }
      return .value(sum / Double(run.ticks))
    },
    perYear("startups_born_per_year", column: "startups_born"),
    perYear("startups_failed_per_year", column: "startups_failed"),
    perYear("startups_acquired_per_year", column: "startups_acquired"),
    RunMeasure(
      "bigtech_growth_per_year", unit: "fraction/year", files: ts,
      "(employed_bigtech(T) / employed_bigtech(0))^(time.ticksPerYear / T) − 1"
    ) { run throws(MeasureError) in
      guard run.ticks > 0 else { return noTicks }
      let bigTech = try run.column("employed_bigtech")
      guard bigTech[0] > 0 else { return .unavailable("employed_bigtech is 0 at tick 0") }
      let exponent = Double(run.config.time.ticksPerYear) / Double(run.ticks)
      return .value(PortableMath.pow(bigTech[run.ticks] / bigTech[0], exponent) - 1)
    },
    mean("mean_equity_offer", unit: "fraction of a company", column: "mean_equity_offer"),
    mean("mean_utility", unit: "utility", column: "mean_utility"),
  ]

  static let noTicks = MeasureValue.unavailable("the run has no recorded ticks (T = 0)")

  /// employed_bigtech + employed_startup, tick 0 first.
  static func employment(_ run: MeasuredRun) throws(MeasureError) -> [Double] {
    let bigTech = try run.column("employed_bigtech")
    let startup = try run.column("employed_startup")
    return zip(bigTech, startup).map { $0 + $1 }
  }

  /// Σ over t = 1…T of a column, divided by the recorded years T / time.ticksPerYear.
  static func perYear(_ name: String, column: String) -> RunMeasure {
    RunMeasure(
      name, unit: "startups/year", files: ts,
      "Σ over t = 1…T of \(column)(t) / (T / time.ticksPerYear)"
    ) { run throws(MeasureError) in
      guard run.ticks > 0 else { return noTicks }
      let values = try run.column(column)
      var sum = 0.0
      for t in 1...run.ticks { sum += values[t] }
      return .value(sum / (Double(run.ticks) / Double(run.config.time.ticksPerYear)))
    }
  }

  /// Σ over t = 1…T of a column of people: a cumulative count of the recorded ticks.
  static func total(_ name: String, column: String) -> RunMeasure {
    RunMeasure(name, unit: "people", files: ts, "Σ over t = 1…T of \(column)(t)") {
      run throws(MeasureError) in
      guard run.ticks > 0 else { return noTicks }
      let values = try run.column(column)
      var sum = 0.0
      for t in 1...run.ticks { sum += values[t] }
      return .value(sum)
    }
  }

  /// The mean over t = 1…T of a column.
  static func mean(_ name: String, unit: String, column: String) -> RunMeasure {
    RunMeasure(name, unit: unit, files: ts, "mean over t = 1…T of \(column)(t)") {
      run throws(MeasureError) in
      guard run.ticks > 0 else { return noTicks }
      let values = try run.column(column)
      var sum = 0.0
      for t in 1...run.ticks { sum += values[t] }
      return .value(sum / Double(run.ticks))
    }
  }
}
