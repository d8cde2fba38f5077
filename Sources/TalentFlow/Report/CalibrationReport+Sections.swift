import Foundation

/// The fit (each moment against its target) and the search (the objective by evaluation).
extension CalibrationReport {
  /// The standardised fit of every moment as a chart, then the targets and holdouts as tables.
  static func fitSection(_ data: CalibrationData) -> ReportDocument.Section {
    var items: [ReportDocument.Item] = [fitChart(data), .table(fitTable(data, role: .target))]
    if !data.holdouts.isEmpty { items.append(.table(fitTable(data, role: .holdout))) }
    return .init(heading: "The fit", items: items)
  }

  /// The half-width of the 95% interval of a simulated mean on the z scale:
  /// 1.96 · sd / (√R · se); NaN without a standard deviation.
  static func simulationHalfWidth(_ m: CalibrationData.Moment, replicates: Int) -> Double {
    guard replicates > 0 else { return .nan }
    return z95 * m.simulatedSD / (Double(replicates).squareRoot() * m.se)
  }

  /// Each moment at z = (simulated − target) / se, targets then holdouts, with the 95%
  /// interval of its simulated mean, over the band |z| ≤ 2.
  static func fitChart(_ data: CalibrationData) -> ReportDocument.Item {
    let r = data.facts.replicates
    var chart = DotIntervalChart(
      id: "fit", title: "Simulated against target, in standard errors of the target",
      xLabel: "z = (simulated − target) / se")
    chart.groups = [
      .init(name: "Target (in the objective)", color: Palette.blue),
      .init(name: "Holdout (out of sample)", color: Palette.vermillion, hollow: true),
    ]
    chart.intervalName = "95% interval of the simulated mean"
    chart.band = .init(name: "|z| ≤ 2: within two se of the target", lower: -flagZ, upper: flagZ)
    chart.wide = true
    chart.width = 1000
    let ordered = data.targets + data.holdouts
    chart.rows = ordered.map { m in
      let half = simulationHalfWidth(m, replicates: r)
      return DotIntervalChart.Row(
        name: m.label, value: m.z, lower: m.z - half, upper: m.z + half,
        group: m.role == .target ? 0 : 1,
        note: "target \(NumberFormat.value(m.target)) ± \(NumberFormat.value(m.se)) (se); "
          + "simulated \(NumberFormat.value(m.simulated)), sd \(NumberFormat.value(m.simulatedSD)) "
          + "over \(count(r, "replicate"))")
    }
    let missed = ordered.filter { abs($0.z) > flagZ }.map(\.label)
    let missing = ordered.filter { !$0.z.isFinite }.map(\.label)
    var caption =
      "Each moment's distance from its target in units of the target's standard error, so that "
      + "moments in different units share one axis: 0 is a perfect match, and the target's own "
      + "95% interval is −1.96 to 1.96 on this scale (the grey band, |z| ≤ 2, is where the "
      + "estimate is within two standard errors). Whiskers: the 95% interval of the simulated "
      + "mean, ± 1.96 · sd / √R in the same units (R = \(r)), the simulation's own uncertainty. "
      + "Filled: targets, which the estimate was chosen to match; hollow: holdouts, which it "
      + "never saw."
    caption +=
      missed.isEmpty
      ? " Every moment is within two standard errors of its target."
      : " Beyond two standard errors: \(missed.joined(separator: "; "))."
    if !missing.isEmpty {
      caption += " Not simulated (no z, drawn as n/a): \(missing.joined(separator: "; "))."
    }
    return .chart(chart.render(), caption: caption)
  }

  /// The targets or the holdouts: target ± se, simulated mean and its spread, z and the flag.
  static func fitTable(_ data: CalibrationData, role: CalibrationData.Moment.Role)
    -> ReportDocument.Table
  {
    let moments = role == .target ? data.targets : data.holdouts
    let r = data.facts.replicates
    let rows = moments.map { m -> [String] in
      [
        m.label, NumberFormat.value(m.target), NumberFormat.value(m.se),
        NumberFormat.value(m.simulated), NumberFormat.value(m.simulatedSD),
        NumberFormat.fixed(m.z, decimals: 2, sign: true), abs(m.z) > flagZ ? "yes" : "",
        m.source,
      ]
    }
    let titles = moments.map { m -> [String] in
      let half = z95 * m.simulatedSD / Double(max(r, 1)).squareRoot()
      let interval =
        half.isFinite && m.simulated.isFinite
        ? "95% interval of the simulated mean: \(NumberFormat.value(m.simulated - half)) – "
          + NumberFormat.value(m.simulated + half) : ""
      let target =
        "95% interval of the target: \(NumberFormat.value(m.target - z95 * m.se)) – "
        + NumberFormat.value(m.target + z95 * m.se)
      return [
        RunMeasures.named(m.measure)?.definitionAndUnit ?? "", target, "", interval, "", "", "",
        "",
      ]
    }
    let caption =
      role == .target
      ? "Targets (fit.csv, role target): matched by the estimate; Q is the sum of their z²"
      : "Holdouts (fit.csv, role holdout): not in the objective, so an out-of-sample check of "
        + "the estimate"
    return ReportDocument.Table(
      caption: caption + ". SD is the spread over the \(count(r, "replicate")); hover for "
        + "intervals and definitions",
      columns: ["Moment", "Target", "SE", "Simulated", "SD", "z", "|z| > 2", "Source"],
      rows: rows, numeric: [false, true, true, true, true, true, false, false],
      cellTitles: titles)
  }

  /// The objective by evaluation and what the trace says about the search.
  static func searchSection(_ data: CalibrationData) -> ReportDocument.Section {
    var items: [ReportDocument.Item] = [objectiveChart(data)]
    if let note = searchNote(data) { items.append(.note(note)) }
    return .init(heading: "The search", items: items)
  }

  /// What a phase of trace.csv is called on the page.
  static func phaseName(_ phase: String) -> String {
    switch phase {
    case "lhs": return "Latin-hypercube start"
    case "estimate": return "Estimate (with holdouts)"
    case "jacobian": return "Jacobian (finite differences)"
    default:
      if phase.hasPrefix("search-") {
        return "Nelder–Mead search \(phase.dropFirst("search-".count))"
      }
      return phase
    }
  }

  /// The colour of a phase: the starts light, the searches dark, the estimate vermillion and
  /// the Jacobian's points grey.
  static func phaseColor(_ phase: String, search: Int) -> String {
    switch phase {
    case "lhs": return Palette.skyBlue
    case "estimate": return Palette.vermillion
    case "jacobian": return Palette.grey
    default:
      let searches = [Palette.blue, Palette.bluishGreen, Palette.reddishPurple, Palette.orange]
      return searches[search % searches.count]
    }
  }

  /// The lowest objective so far at each evaluation, over the start and the searches (the
  /// Jacobian's points around the estimate are not part of the search and carry it on).
  static func runningMinimum(_ trace: [CalibrationData.Evaluation]) -> [Double] {
    var best = Double.infinity
    return trace.map { e in
      if e.phase != "jacobian" { best = min(best, e.objective) }
      return best
    }
  }

  /// log₁₀ Q by evaluation, one line per phase, with the running minimum and, when there are
  /// more targets than parameters, the χ² expectation M − k as a reference.
  static func objectiveChart(_ data: CalibrationData) -> ReportDocument.Item {
    let trace = data.trace
    let x = trace.map { Double($0.index) }
    let log = { (q: Double) in q > 0 && q.isFinite ? log10(q) : .nan }
    var phases: [String] = []
    for e in trace where !phases.contains(e.phase) { phases.append(e.phase) }
    var chart = LineChart(
      id: "objective", title: "Objective by evaluation",
      xLabel: "Evaluation (trace.csv)", yLabel: "log₁₀ Q")
    chart.includeZero = false
    var searches = 0
    for phase in phases {
      let color = phaseColor(phase, search: searches)
      if phase.hasPrefix("search-") { searches += 1 }
      chart.series.append(
        ChartSeries(
          name: phaseName(phase), color: color, x: x,
          y: trace.map { $0.phase == phase ? log($0.objective) : .nan }))
    }
    chart.series.append(
      ChartSeries(
        name: "Lowest so far", color: Palette.black, x: x, y: runningMinimum(trace).map(log),
        dashed: true))
    let test = fitTest(data)
    if test.degreesOfFreedom > 0 { chart.referenceY = log10(Double(test.degreesOfFreedom)) }
    chart.wide = true
    chart.width = 1000
    let failed = trace.filter { !$0.objective.isFinite }.count
    var caption =
      "The objective Q at every evaluation, on a log scale (log₁₀ Q: 0 is Q = 1, −1 is 0.1), "
      + "coloured by phase: the Latin-hypercube start, each Nelder–Mead search from its best "
      + "points, the estimate evaluated once more with the holdouts, and the finite-difference "
      + "points around it for the Jacobian of the standard errors. Dashed: the lowest Q so far "
      + "over the start and the searches."
    if test.degreesOfFreedom > 0 {
      caption +=
        " The finely dashed horizontal line is Q = M − k = \(test.degreesOfFreedom), what a correct model gives on "
        + "average."
    }
    if failed > 0 {
      caption +=
        " \(count(failed, "evaluation")) failed or had no finite Q (an empty objective in "
        + "trace.csv) and \(failed == 1 ? "is" : "are") left out."
    }
    return .chart(chart.render(), caption: caption)
  }

  /// How the searches ended, and whether a point near the estimate did better than it.
  static func searchNote(_ data: CalibrationData) -> String? {
    var sentences: [String] = []
    let searches = data.facts.searches
    if !searches.isEmpty {
      let spent = searches.filter { $0 != "converged" }.count
      sentences.append(
        spent == 0
          ? "Every search converged (its simplex and objective stopped changing by more than "
            + "the tolerances)."
          : "\(spent) of \(count(searches.count, "search", plural: "searches")) stopped because the evaluation budget "
            + "was spent, not because \(spent == 1 ? "it" : "they") converged.")
    }
    let objective = data.facts.objective
    if let better = data.trace.filter({ $0.objective < objective }).min(by: {
      $0.objective < $1.objective
    }) {
      sentences.append(
        "Evaluation \(better.index) (phase \(better.phase) in trace.csv) has a lower "
          + "objective, \(NumberFormat.value(better.objective)), than the estimate's "
          + "\(NumberFormat.value(objective)): the search stopped short of the minimum, and more "
          + "evaluations or tighter tolerances would lower Q.")
    }
    return sentences.isEmpty ? nil : sentences.joined(separator: " ")
  }
}
