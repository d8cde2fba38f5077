import Foundation

/// The report of a comparison folder: policy minus base over time with its confidence band for
/// the headline series, and the table of effects and intervals of the headline measures.
public enum ComparisonReport {
  /// Builds the report document of a loaded comparison.
  public static func document(_ data: ComparisonData) -> ReportDocument {
    let facts = data.facts
    let tpy = facts.ticksPerYear
    let level = NumberFormat.value(facts.confidenceLevel * 100) + "%"
    let title = "\(facts.policy.name) − \(facts.base.name)"

    // The table of effects.
    var rows: [[String]] = []
    var titles: [[String]] = []
    for m in data.measures {
      let interval = "[\(signed(m.low)), \(signed(m.high))]"
      let excludesZero = m.low > 0 || m.high < 0
      rows.append([
        m.name, NumberFormat.value(m.baseMean), NumberFormat.value(m.policyMean),
        signed(m.difference), interval,
        m.relativeEffect.isFinite
          ? (m.relativeEffect >= 0 ? "+" : "") + NumberFormat.number(m.relativeEffect, decimals: 1)
            + "%" : "–",
        excludesZero ? "yes" : "no",
        "\(NumberFormat.value(m.pairedWidth)) / \(NumberFormat.value(m.unpairedWidth)) "
          + "(\(NumberFormat.number(m.widthRatio, decimals: 2)))",
      ])
      titles.append([m.description, "", "", "", "", "", "", ""])
    }
    var measureItems: [ReportDocument.Item] = []
    if !data.problems.isEmpty {
      measureItems.append(.note("Warning: " + data.problems.joined(separator: " ")))
    }
    measureItems.append(
      .table(
        ReportDocument.Table(
          caption: "Headline measures: policy − base over \(facts.replicates) paired replicates, "
            + "with \(level) intervals (hover a measure for its meaning)",
          columns: [
            "Measure", "Base", "Policy", "Difference", "\(level) interval", "Effect",
            "Excludes 0", "CI width paired / unpaired (ratio)",
          ], rows: rows, numeric: [false, true, true, true, true, true, false, true],
          cellTitles: titles)))

    // Policy − base over time.
    var charts: [ReportDocument.Item] = []
    for (k, column) in data.series.enumerated() {
      let difference = data.differences[k]
      let (name, unit) = ColumnLabels.label(column)
      let x = difference.ticks.map { $0 / Double(tpy) }
      var chart = LineChart(
        id: "difference-\(column)", title: "\(name): policy − base",
        xLabel: "Time (years after warm-up; \(tpy) ticks = 1 year)",
        yLabel: unit.isEmpty ? "Difference" : "Difference (\(unit))")
      chart.xKind = .time(ticksPerYear: tpy)
      chart.includeZero = true
      chart.referenceY = 0
      chart.bands = [
        ChartBand(
          name: "\(level) interval", color: Palette.vermillion, x: x, lower: difference.low,
          upper: difference.high)
      ]
      chart.series = [
        ChartSeries(name: "Mean difference", color: Palette.vermillion, x: x, y: difference.mean)
      ]
      charts.append(
        .chart(
          chart.render(),
          caption: "difference.csv column \(column): the mean over replicates of policy − base "
            + "on the same seed, and its \(level) interval; dashed: no difference."))
    }

    let seeds =
      facts.seeds.count > 3
      ? "\(facts.seeds.first ?? "?")…\(facts.seeds.last ?? "?")"
      : facts.seeds.joined(separator: ", ")
    var links = [
      ReportDocument.Link("manifest.json", data.folder.appendingPathComponent("manifest.json"))
    ]
    for file in facts.files {
      links.append(ReportDocument.Link(file.name, data.folder.appendingPathComponent(file.name)))
    }
    var description = "Policy \(facts.policy.name)"
    if !facts.policy.description.isEmpty { description += ": \(facts.policy.description)" }
    description += description.hasSuffix(".") ? " " : ". "
    description += "Base \(facts.base.name)"
    if !facts.base.description.isEmpty { description += ": \(facts.base.description)" }
    return ReportDocument(
      kind: "Comparison", title: title, description: description,
      facts: [
        .init("Replicates (paired)", NumberFormat.number(Double(facts.replicates))),
        .init("Seeds", seeds),
        .init("Ticks", NumberFormat.number(Double(facts.ticks))),
        .init("Population size", facts.populationSize),
        .init("Intervals", level),
        .init("Base file", facts.base.file),
        .init("Policy file", facts.policy.file),
        .init("Model version", "\(facts.modelVersion) (\(facts.modelSpecification))"),
        .init("Tool", "talentflow \(facts.toolVersion)"),
        .init(
          "Data checksums", data.problems.isEmpty ? "match the manifest" : "MISMATCH, see below"),
      ],
      links: links,
      sections: [
        .init(heading: "Effects on the headline measures", items: measureItems),
        .init(heading: "Policy − base over time", items: charts),
      ],
      footer: "Written by the talentflow \(TalentFlowVersion.tool) report command from the files "
        + "of \(data.folder.lastPathComponent)/. This page is derived from the data files and is "
        + "not listed in manifest.json. Base and policy runs share their seeds (common random "
        + "numbers), so each interval is over paired differences. Colours: Okabe–Ito.")
  }

  /// A number with its sign ("+12.5", "-0.0083", "0").
  static func signed(_ x: Double) -> String {
    let text = NumberFormat.value(x)
    return x > 0 ? "+" + text : text
  }
}
