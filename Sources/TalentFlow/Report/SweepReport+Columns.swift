/// The sections of a sweep report on chosen timeseries columns over time.
extension SweepReport {
  /// Column `s` over time: every design point overlaid (when there are few), then one small
  /// chart per design point on shared axes.
  static func columnSection(_ data: SweepData, _ s: Int, labels: [String])
    -> ReportDocument.Section
  {
    let column = data.series[s]
    let (title, _) = ColumnLabels.label(column)
    var items: [ReportDocument.Item] = []
    if data.design.count <= overlayLimit {
      items.append(
        .chart(
          overlay(data, s, labels: labels).render(),
          caption: "Lines: the mean over replicates; shaded: the 2.5–97.5% quantiles "
            + "(summary.csv column \(column))."))
    }
    let points = data.design.count
    items.append(
      .multiples(
        title: "\(title) by design point (\(ColumnLabels.label(column).unit), same axes)",
        charts: multiples(data, s, labels: labels),
        caption: "One panel per design point: the line is the mean over \(data.facts.replicates) "
          + "replicates, the band the 2.5–97.5% quantiles."
          + (points > multiplesLimit
            ? " The first \(multiplesLimit) of \(points) points; all are in summary.csv."
            : "")))
    return .init(heading: "\(title) over time", items: items)
  }

  /// The years of a band's ticks.
  private static func years(_ band: SweepData.Band, ticksPerYear: Int) -> [Double] {
    band.ticks.map { $0 / Double(ticksPerYear) }
  }

  /// Every design point's mean and band of column `s` in one wide chart, a colour each.
  static func overlay(_ data: SweepData, _ s: Int, labels: [String]) -> LineChart {
    let tpy = data.facts.ticksPerYear
    let column = data.series[s]
    let (title, _) = ColumnLabels.label(column)
    var overlay = LineChart(
      id: "sweep-\(column)", title: "\(title): mean and 95% band by design point",
      xLabel: ChartXKind.timeLabel(ticksPerYear: tpy), yLabel: ColumnLabels.axis(column))
    overlay.xKind = .time(ticksPerYear: tpy)
    overlay.countsY = ColumnLabels.isCount(column)
    overlay.includeZero = ColumnLabels.isCount(column)
    overlay.wide = true
    overlay.width = 1000
    overlay.height = 400
    for (k, band) in data.bands[s].enumerated() {
      let color = Palette.cycle[k % Palette.cycle.count]
      let x = years(band, ticksPerYear: tpy)
      overlay.bands.append(
        ChartBand(
          name: "p\(data.design[k].number) 95% band", color: color, x: x, lower: band.q025,
          upper: band.q975, inLegend: false))
      overlay.series.append(ChartSeries(name: labels[k], color: color, x: x, y: band.mean))
    }
    return overlay
  }

  /// One small chart of column `s` per design point (the first `multiplesLimit`), all on the
  /// same y axis.
  static func multiples(_ data: SweepData, _ s: Int, labels: [String]) -> [RenderedChart] {
    let tpy = data.facts.ticksPerYear
    let column = data.series[s]
    let bands = data.bands[s]
    let shared = bands.flatMap { $0.q025 + $0.q975 + $0.mean }.filter { $0.isFinite }
    let lowest = shared.min() ?? 0
    let highest = shared.max() ?? 0
    return bands.prefix(multiplesLimit).enumerated().map { k, band in
      let x = years(band, ticksPerYear: tpy)
      var chart = LineChart(
        id: "sweep-\(column)-p\(data.design[k].number)", title: labels[k], xLabel: "Years",
        yLabel: ColumnLabels.label(column).unit)
      chart.xKind = .time(ticksPerYear: tpy)
      chart.showLegend = false
      chart.countsY = ColumnLabels.isCount(column)
      chart.includeZero = ColumnLabels.isCount(column)
      chart.yCovers = [lowest, highest]
      chart.width = 360
      chart.height = 240
      chart.bands = [
        ChartBand(name: "2.5–97.5%", color: Palette.blue, x: x, lower: band.q025, upper: band.q975)
      ]
      chart.series = [ChartSeries(name: "mean", color: Palette.blue, x: x, y: band.mean)]
      return chart.render()
    }
  }
}
