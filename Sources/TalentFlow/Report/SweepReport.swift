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

  /// The unit in a headline measure's description ("… (people)" → "people").
  static func unit(_ description: String) -> String {
    guard description.hasSuffix(")"), let open = description.lastIndex(of: "(") else {
      return ""
    }
    return String(
      description[description.index(after: open)..<description.index(before: description.endIndex)])
  }

  /// Builds the report document of a loaded sweep.
  public static func document(_ data: SweepData) -> ReportDocument {
    let facts = data.facts
    let tpy = facts.ticksPerYear
    let points = data.design
    let labels = points.map { "p\($0.number): " + describe($0, parameters: facts.parameters) }
    let pointNumbers = points.map { Double($0.number) }
    var sections: [ReportDocument.Section] = []

    // Headline measures by design point: mean and range over replicates.
    var measureItems: [ReportDocument.Item] = []
    if !data.problems.isEmpty {
      measureItems.append(.note("Warning: " + data.problems.joined(separator: " ")))
    }
    for (m, measure) in HeadlineMeasures.all.enumerated() {
      let values = data.measures.map { $0[m] }
      var chart = LineChart(
        id: "measure-\(measure.name)", title: "\(measure.name) by design point",
        xLabel: "Design point", yLabel: unit(measure.description))
      chart.style = .points
      chart.xKind = .plain
      chart.countsY = unit(measure.description) == "people"
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
      measureItems.append(.chart(chart.render(), caption: measure.description + "."))
    }
    var rows: [[String]] = []
    var titles: [[String]] = []
    for (k, point) in points.prefix(tableLimit).enumerated() {
      var row = ["\(point.number)"] + point.values.map { Double($0).map(NumberFormat.value) ?? $0 }
      var title = [String](repeating: "", count: row.count)
      for values in data.measures[k] {
        row.append(values.isEmpty ? "–" : NumberFormat.value(Statistics.mean(values)))
        title.append(
          values.isEmpty
            ? ""
            : "\(values.count) runs: sd \(NumberFormat.value(Statistics.standardDeviation(values))), "
              + "range \(NumberFormat.value(values.min() ?? .nan)) – "
              + "\(NumberFormat.value(values.max() ?? .nan))")
      }
      rows.append(row)
      titles.append(title)
    }
    let columns = ["Point"] + facts.parameters + HeadlineMeasures.names
    measureItems.append(
      .table(
        ReportDocument.Table(
          caption: "Mean of each headline measure over the replicates of each design point "
            + "(hover a value for its spread)"
            + (points.count > tableLimit
              ? "; the first \(tableLimit) of \(points.count) points" : ""),
          columns: columns, rows: rows,
          numeric: columns.indices.map { $0 >= 1 }, cellTitles: titles)))
    sections.append(.init(heading: "Headline measures by design point", items: measureItems))

    // Chosen columns over time.
    for (s, column) in data.series.enumerated() {
      let (title, _) = ColumnLabels.label(column)
      let bands = data.bands[s]
      func years(_ band: SweepData.Band) -> [Double] { band.ticks.map { $0 / Double(tpy) } }
      var items: [ReportDocument.Item] = []
      if points.count <= overlayLimit {
        var overlay = LineChart(
          id: "sweep-\(column)", title: "\(title): mean and 95% band by design point",
          xLabel: "Time (years after warm-up; \(tpy) ticks = 1 year)",
          yLabel: ColumnLabels.axis(column))
        overlay.xKind = .time(ticksPerYear: tpy)
        overlay.countsY = ColumnLabels.isCount(column)
        overlay.includeZero = ColumnLabels.isCount(column)
        overlay.wide = true
        overlay.width = 1000
        overlay.height = 400
        for (k, band) in bands.enumerated() {
          let color = Palette.cycle[k % Palette.cycle.count]
          overlay.bands.append(
            ChartBand(
              name: "p\(points[k].number) 95% band", color: color, x: years(band),
              lower: band.q025, upper: band.q975, inLegend: false))
          overlay.series.append(
            ChartSeries(name: labels[k], color: color, x: years(band), y: band.mean))
        }
        items.append(
          .chart(
            overlay.render(),
            caption: "Lines: the mean over replicates; shaded: the 2.5–97.5% quantiles "
              + "(summary.csv column \(column))."))
      }
      let shared = bands.flatMap { $0.q025 + $0.q975 + $0.mean }.filter { $0.isFinite }
      let lowest = shared.min() ?? 0
      let highest = shared.max() ?? 0
      var multiples: [RenderedChart] = []
      for (k, band) in bands.prefix(multiplesLimit).enumerated() {
        var chart = LineChart(
          id: "sweep-\(column)-p\(points[k].number)", title: labels[k], xLabel: "Years",
          yLabel: ColumnLabels.label(column).unit)
        chart.xKind = .time(ticksPerYear: tpy)
        chart.showLegend = false
        chart.countsY = ColumnLabels.isCount(column)
        chart.includeZero = ColumnLabels.isCount(column)
        chart.yCovers = [lowest, highest]
        chart.width = 360
        chart.height = 240
        chart.bands = [
          ChartBand(
            name: "2.5–97.5%", color: Palette.blue, x: years(band), lower: band.q025,
            upper: band.q975)
        ]
        chart.series = [
          ChartSeries(name: "mean", color: Palette.blue, x: years(band), y: band.mean)
        ]
        multiples.append(chart.render())
      }
      items.append(
        .multiples(
          title: "\(title) by design point (\(ColumnLabels.label(column).unit), same axes)",
          charts: multiples,
          caption: "One panel per design point: the line is the mean over \(facts.replicates) "
            + "replicates, the band the 2.5–97.5% quantiles."
            + (points.count > multiplesLimit
              ? " The first \(multiplesLimit) of \(points.count) points; all are in summary.csv."
              : "")))
      sections.append(.init(heading: "\(title) over time", items: items))
    }

    var links = [
      ReportDocument.Link("manifest.json", data.folder.appendingPathComponent("manifest.json"))
    ]
    for file in facts.files where !file.name.contains("/") {
      links.append(ReportDocument.Link(file.name, data.folder.appendingPathComponent(file.name)))
    }
    let swept = facts.parameters.isEmpty ? "no keys" : facts.parameters.joined(separator: ", ")
    var description =
      "A sweep of the \(facts.baseName) configuration over \(swept): "
      + "\(facts.designPoints) design points × \(facts.replicates) replicates = \(facts.runs) runs."
    if !facts.baseDescription.isEmpty { description += " Base: \(facts.baseDescription)" }
    return ReportDocument(
      kind: "Sweep", title: facts.name, description: description,
      facts: [
        .init("Design points", NumberFormat.number(Double(facts.designPoints))),
        .init("Replicates", NumberFormat.number(Double(facts.replicates))),
        .init(
          "Runs",
          NumberFormat.number(Double(facts.runs))
            + (facts.failedRuns > 0
              ? " (\(facts.failedRuns) failed; failures.csv lists them)" : "")),
        .init("Ticks per run", NumberFormat.number(Double(facts.ticks))),
        .init("Population size", facts.populationSize),
        .init("Model version", "\(facts.modelVersion) (\(facts.modelSpecification))"),
        .init("Tool", "talentflow \(facts.toolVersion)"),
        .init(
          "Sweep SHA-256",
          NumberFormat.abbreviatedHash(facts.sweepSHA256)),
        .init(
          "Data checksums", data.problems.isEmpty ? "match the manifest" : "MISMATCH, see below"),
      ],
      links: links, sections: sections,
      footer: "Written by the talentflow \(TalentFlowVersion.tool) report command from the files "
        + "of \(data.folder.lastPathComponent)/. This page is derived from the data files and is "
        + "not listed in manifest.json. Hover a chart or a table value for details. "
        + "Colours: Okabe–Ito (colour-blind safe).")
  }
}
