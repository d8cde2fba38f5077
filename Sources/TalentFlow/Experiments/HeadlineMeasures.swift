/// The headline measures of a run: what `compare`, sweeps and datasets summarise it by.
///
/// Each is computed from the recorded ticks 1…T (tick 0 is the state after warm-up).
public enum HeadlineMeasures {
  /// Names, in output order, with their meaning and unit.
  public static let all: [(name: String, description: String)] = [
    ("startup_share_end", "Startups' share of employment at the last tick (fraction)"),
    ("moves_bigtech_to_startup", "Cumulative voluntary big-tech → startup moves (people)"),
    ("moves_startup_to_bigtech", "Cumulative voluntary startup → big-tech moves (people)"),
    ("foundings_per_year", "Startups founded per year (startups/year)"),
    ("failures_per_year", "Startups failed per year (startups/year)"),
    ("voluntary_move_rate", "Mean monthly voluntary job-to-job moves per employed professional (fraction)"),
    ("unemployment_rate", "Mean share of professionals unemployed over the recorded ticks (fraction)"),
  ]

  public static var names: [String] { all.map(\.name) }

  /// The measures of one run from its timeseries records (tick 0 first), in `names` order.
  public static func compute(_ records: [TickRecord], ticksPerYear: Int) -> [Double] {
    guard let last = records.last else { return [Double](repeating: 0, count: all.count) }
    let recorded = records.dropFirst()
    let years = Double(recorded.count) / Double(ticksPerYear)
    func sum(_ column: String) -> Double { recorded.reduce(0) { $0 + $1[column] } }
    func perYear(_ column: String) -> Double { years > 0 ? sum(column) / years : 0 }
    let employedEnd = last["employed_bigtech"] + last["employed_startup"]
    var moveRate = 0.0
    var unemployment = 0.0
    for r in recorded {
      let employed = r["employed_bigtech"] + r["employed_startup"]
      let moves =
        r["moves_bigtech_to_startup"] + r["moves_startup_to_bigtech"]
        + r["moves_startup_to_startup"] + r["moves_bigtech_to_bigtech"]
      moveRate += employed > 0 ? moves / employed : 0
      unemployment += r["professionals"] > 0 ? r["unemployed"] / r["professionals"] : 0
    }
    let n = Double(max(recorded.count, 1))
    return [
      employedEnd > 0 ? last["employed_startup"] / employedEnd : 0,
      sum("moves_bigtech_to_startup"),
      sum("moves_startup_to_bigtech"),
      perYear("foundings"),
      perYear("startups_failed"),
      recorded.isEmpty ? 0 : moveRate / n,
      recorded.isEmpty ? 0 : unemployment / n,
    ]
  }
}
