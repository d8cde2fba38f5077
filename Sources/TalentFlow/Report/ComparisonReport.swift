import Foundation

/// The report of a comparison folder: policy minus base over time with its confidence band for
/// the headline series, and the table of effects and intervals of the headline measures.
public enum ComparisonReport {
  /// Builds the report document of a loaded comparison.
  public static func document(_ data: ComparisonData) -> ReportDocument {
    let facts = data.facts
    return ReportDocument(
      kind: "Comparison", title: "\(facts.policy.name) − \(facts.base.name)",
      description: description(facts), facts: headerFacts(data),
      links: ReportDocument.Link.manifestAndFiles(in: data.folder, facts.files.map(\.name)),
      sections: [
        .init(
          heading: "Effects on the headline measures",
          items: ReportDocument.Item.warnings(data.problems) + [.table(effects(data))]),
        .init(
          heading: "Policy − base over time",
          items: data.series.indices.map { differenceChart(data, $0) }),
      ],
      footer: ReportDocument.footer(
        folder: data.folder,
        ". Base and policy runs share their seeds (common random numbers), so each interval is "
          + "over paired differences. Colours: Okabe–Ito."))
  }

  /// The confidence level as a percentage ("95%").
  static func level(_ facts: ComparisonData.Facts) -> String {
    NumberFormat.value(facts.confidenceLevel * 100) + "%"
  }

  /// The page's description: the policy and the base, each with its own description.
  static func description(_ facts: ComparisonData.Facts) -> String {
    var description = "Policy \(facts.policy.name)"
    if !facts.policy.description.isEmpty { description += ": \(facts.policy.description)" }
    description += description.hasSuffix(".") ? " " : ". "
    description += "Base \(facts.base.name)"
    if !facts.base.description.isEmpty { description += ": \(facts.base.description)" }
    return description
  }

  /// Replicates, seeds, length, the two scenario files, versions and checksums.
  static func headerFacts(_ data: ComparisonData) -> [ReportDocument.Fact] {
    let facts = data.facts
    let seeds =
      facts.seeds.count > 3
      ? "\(facts.seeds.first ?? "?")…\(facts.seeds.last ?? "?")"
      : facts.seeds.joined(separator: ", ")
    return [
      .init("Replicates (paired)", NumberFormat.number(Double(facts.replicates))),
      .init("Seeds", seeds),
      .init("Ticks", NumberFormat.number(Double(facts.ticks))),
      .init("Population size", facts.populationSize),
      .init("Intervals", level(facts)),
      .init("Base file", facts.base.file),
      .init("Policy file", facts.policy.file),
      .model(version: facts.modelVersion, specification: facts.modelSpecification),
      .tool(version: facts.toolVersion),
      .checksums(data.problems),
    ]
  }

  /// The table of effects: per headline measure, both means, the difference and its interval.
  static func effects(_ data: ComparisonData) -> ReportDocument.Table {
    let level = self.level(data.facts)
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
    return ReportDocument.Table(
      caption: "Headline measures: policy − base over \(data.facts.replicates) paired "
        + "replicates, with \(level) intervals (hover a measure for its meaning)",
      columns: [
        "Measure", "Base", "Policy", "Difference", "\(level) interval", "Effect",
        "Excludes 0", "CI width paired / unpaired (ratio)",
      ], rows: rows, numeric: [false, true, true, true, true, true, false, true],
      cellTitles: titles)
  }

  /// Policy − base of the `k`th charted column over time, with its interval.
  static func differenceChart(_ data: ComparisonData, _ k: Int) -> ReportDocument.Item {
    let tpy = data.facts.ticksPerYear
    let level = self.level(data.facts)
    let column = data.series[k]
    let difference = data.differences[k]
    let (name, unit) = ColumnLabels.label(column)
    let x = difference.ticks.map { $0 / Double(tpy) }
    var chart = LineChart(
      id: "difference-\(column)", title: "\(name): policy − base",
      xLabel: ChartXKind.timeLabel(ticksPerYear: tpy),
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
    return .chart(
      chart.render(),
      caption: "difference.csv column \(column): the mean over replicates of policy − base "
        + "on the same seed, and its \(level) interval; dashed: no difference.")
  }

  /// A number with its sign ("+12.5", "-0.0083", "0").
  static func signed(_ x: Double) -> String {
    let text = NumberFormat.value(x)
    return x > 0 ? "+" + text : text
  }
}
