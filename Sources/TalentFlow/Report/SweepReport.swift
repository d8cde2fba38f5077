import Foundation

/// The report of a sweep folder: headline measures by design point, and for chosen timeseries
/// columns the mean with its 2.5–97.5% band over replicates, overlaid and as small multiples.
public enum SweepReport {
  /// At most this many design points are overlaid in one chart (one colour each).
  static let overlayLimit = 8
  /// At most this many small multiples per column; the rest are in `summary.csv`.
  static let multiplesLimit = 48
  /// At most this many rows in the table of measures.
  static let tableLimit = 200

  /// "nonCompete=0.5, optimism=2.31": a design point by its values, keys shortened.
  static func describe(_ point: SweepData.DesignPoint, parameters: [String]) -> String {
    zip(parameters, point.values).map { key, value in
      let short = key.split(separator: ".").last.map(String.init) ?? key
      return "\(short)=\(Double(value).map { NumberFormat.value($0) } ?? value)"
    }.joined(separator: ", ")
  }

  /// Builds the report document of a loaded sweep.
  public static func document(_ data: SweepData) -> ReportDocument {
    let facts = data.facts
    let labels = data.design.map { "p\($0.number): " + describe($0, parameters: facts.parameters) }
    let measures = ReportDocument.Section(
      heading: "Headline measures by design point",
      items: ReportDocument.Item.warnings(data.problems)
        + data.measureNames.indices.map { measureChart(data, $0, labels: labels) }
        + [.table(measureTable(data))])
    let columns = data.series.indices.map { columnSection(data, $0, labels: labels) }
    return ReportDocument(
      kind: "Sweep", title: facts.name, description: description(facts),
      facts: headerFacts(data),
      links: ReportDocument.Link.manifestAndFiles(
        in: data.folder, facts.files.map(\.name).filter { !$0.contains("/") }),
      sections: [measures] + columns,
      footer: ReportDocument.footer(
        folder: data.folder,
        ". Hover a chart or a table value for details. Colours: Okabe–Ito (colour-blind safe)."))
  }

  /// The page's description: what was swept over which keys, and how many runs that made.
  static func description(_ facts: SweepData.Facts) -> String {
    let swept = facts.parameters.isEmpty ? "no keys" : facts.parameters.joined(separator: ", ")
    var description =
      "A sweep of the \(facts.baseName) configuration over \(swept): "
      + "\(facts.designPoints) design points × \(facts.replicates) replicates = \(facts.runs) runs."
    if !facts.baseDescription.isEmpty { description += " Base: \(facts.baseDescription)" }
    return description
  }

  /// Size of the sweep, versions and checksums.
  static func headerFacts(_ data: SweepData) -> [ReportDocument.Fact] {
    let facts = data.facts
    let failed =
      facts.failedRuns > 0 ? " (\(facts.failedRuns) failed; failures.csv lists them)" : ""
    return [
      .init("Design points", NumberFormat.number(Double(facts.designPoints))),
      .init("Replicates", NumberFormat.number(Double(facts.replicates))),
      .init("Runs", NumberFormat.number(Double(facts.runs)) + failed),
      .init("Ticks per run", NumberFormat.number(Double(facts.ticks))),
      .init("Population size", facts.populationSize),
      .model(version: facts.modelVersion, specification: facts.modelSpecification),
      .tool(version: facts.toolVersion),
      .init("Sweep SHA-256", NumberFormat.abbreviatedHash(facts.sweepSHA256)),
      .checksums(data.problems),
    ]
  }

  /// Measure `m` of `runs.csv` by design point: the mean and range over the replicates that
  /// have it (a run whose measure is unavailable has an empty field).
  static func measureChart(_ data: SweepData, _ m: Int, labels: [String]) -> ReportDocument.Item {
    let name = data.measureNames[m]
    let measure = RunMeasures.named(name)
    let unit = measure?.unit ?? ""
    let values = data.measures.map { $0[m].filter { !$0.isNaN } }
    let pointNumbers = data.design.map { Double($0.number) }
    var chart = LineChart(
      id: "measure-\(name)", title: "\(name) by design point",
      xLabel: "Design point", yLabel: unit)
    chart.style = .points
    chart.xKind = .plain
    chart.countsY = unit == "people"
    chart.includeZero = true
    chart.bands = [
      ChartBand(
        name: "Range over replicates", color: Palette.blue, x: pointNumbers,
        lower: values.map { $0.min() ?? .nan }, upper: values.map { $0.max() ?? .nan })
    ]
    chart.series = [
      ChartSeries(
        name: "Mean over replicates", color: Palette.blue, x: pointNumbers,
        y: values.map { $0.isEmpty ? .nan : Statistics.mean($0) })
    ]
    chart.pointNotes = labels
    chart.width = 560
    chart.height = 320
    return .chart(
      chart.render(), caption: (measure?.definitionAndUnit ?? "runs.csv column \(name)") + ".")
  }

  /// Per design point (the first `tableLimit`), its values and the mean of each measure, its
  /// spread on hover.
  static func measureTable(_ data: SweepData) -> ReportDocument.Table {
    let points = data.design
    var rows: [[String]] = []
    var titles: [[String]] = []
    for (k, point) in points.prefix(tableLimit).enumerated() {
      var row = ["\(point.number)"] + point.values.map { Double($0).map(NumberFormat.value) ?? $0 }
      var title = [String](repeating: "", count: row.count)
      for all in data.measures[k] {
        let values = all.filter { !$0.isNaN }
        row.append(values.isEmpty ? "–" : NumberFormat.value(Statistics.mean(values)))
        title.append(values.isEmpty ? "" : spread(values))
      }
      rows.append(row)
      titles.append(title)
    }
    let columns = ["Point"] + data.facts.parameters + data.measureNames
    return ReportDocument.Table(
      caption: "Mean of each headline measure over the replicates of each design point "
        + "(hover a value for its spread)"
        + (points.count > tableLimit ? "; the first \(tableLimit) of \(points.count) points" : ""),
      columns: columns, rows: rows,
      numeric: columns.indices.map { $0 >= 1 }, cellTitles: titles)
  }

  /// "2 runs: sd 0.01, range 0.09 – 0.11".
  static func spread(_ values: [Double]) -> String {
    "\(values.count) runs: sd \(NumberFormat.value(Statistics.standardDeviation(values))), "
      + "range \(NumberFormat.value(values.min() ?? .nan)) – "
      + "\(NumberFormat.value(values.max() ?? .nan))"
  }
}
