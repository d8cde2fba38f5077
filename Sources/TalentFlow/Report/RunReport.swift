import Foundation

/// The report of one run folder: what happened, in charts (MODEL 6 outputs).
///
/// One function per section of the page, in page order.
public enum RunReport {
  /// Builds the report document of a loaded run.
  public static func document(_ data: RunData) -> ReportDocument {
    let facts = data.facts
    let charts = Charts(data)
    return ReportDocument(
      kind: "Run", title: facts.name, description: facts.description, facts: headerFacts(data),
      links: ReportDocument.Link.manifestAndFiles(in: data.folder, facts.files.map(\.name)),
      sections: [
        employment(data, charts), movesAndHiring(charts), flows(data), startups(charts),
        payAndFinance(data, charts), headlineMeasures(data),
      ],
      footer: ReportDocument.footer(
        folder: data.folder,
        "; its checksums cover the data only. Hover a chart for values. Colours: Okabe–Ito "
          + "(colour-blind safe)."))
  }

  /// Makes the run's charts over time: in ticks (x in years), or in whole years of sums.
  struct Charts {
    let data: RunData
    let ticksPerYear: Int
    /// The x of every tick: tick ÷ ticksPerYear.
    let time: [Double]
    let years: Years

    init(_ data: RunData) {
      self.data = data
      ticksPerYear = data.facts.ticksPerYear
      time = data.column("tick").map { $0 / Double(data.facts.ticksPerYear) }
      years = Years(data)
    }

    /// A chart over every tick.
    func timeChart(_ id: String, _ title: String, _ yLabel: String) -> LineChart {
      var chart = LineChart(
        id: id, title: title, xLabel: ChartXKind.timeLabel(ticksPerYear: ticksPerYear),
        yLabel: yLabel)
      chart.xKind = .time(ticksPerYear: ticksPerYear)
      return chart
    }

    /// A chart of counts per year, each year's point noting the ticks it covers.
    func yearChart(_ id: String, _ title: String, _ yLabel: String) -> LineChart {
      var chart = LineChart(id: id, title: title, xLabel: "Year of the run", yLabel: yLabel)
      chart.xKind = .years
      chart.countsY = true
      chart.pointNotes = years.notes
      return chart
    }

    /// Values per tick as a series of a `timeChart`.
    func series(_ name: String, _ color: String, _ y: [Double], dashed: Bool = false)
      -> ChartSeries
    {
      ChartSeries(name: name, color: color, x: time, y: y, dashed: dashed)
    }

    /// A column summed per year as a series of a `yearChart`.
    func yearly(_ name: String, _ color: String, _ column: String, dashed: Bool = false)
      -> ChartSeries
    {
      ChartSeries(
        name: name, color: color, x: years.years, y: years.sums(data, column), dashed: dashed)
    }
  }

  /// Seed, size, length, versions and checksums.
  static func headerFacts(_ data: RunData) -> [ReportDocument.Fact] {
    let facts = data.facts
    let runYears = Double(facts.ticks) / Double(facts.ticksPerYear)
    return [
      .init("Seed", facts.seed),
      .init("Population size", facts.populationSize),
      .init(
        "Ticks",
        "\(NumberFormat.number(Double(facts.ticks))) (\(NumberFormat.value(runYears)) years) "
          + "after \(facts.warmup) warm-up"),
      .model(version: facts.modelVersion, specification: facts.modelSpecification),
      .tool(version: facts.toolVersion),
      .init("Configuration SHA-256", NumberFormat.abbreviatedHash(facts.configurationSHA256)),
      .checksums(data.problems),
    ]
  }

  /// Employment by sector, stacked, after any warning about the files.
  static func employment(_ data: RunData, _ charts: Charts) -> ReportDocument.Section {
    var chart = charts.timeChart(
      "employment", "Employment by sector", "Professionals (people)")
    chart.style = .stackedArea
    chart.countsY = true
    chart.wide = true
    chart.width = 1000
    chart.height = 380
    chart.series = [
      charts.series("Big tech", Palette.color(.bigtech), data.column("employed_bigtech")),
      charts.series("Startups", Palette.color(.startup), data.column("employed_startup")),
      charts.series("Unemployed", Palette.color(.unemployed), data.column("unemployed")),
    ]
    return .init(
      heading: "Employment",
      items: ReportDocument.Item.warnings(data.problems) + [
        .chart(
          chart.render(),
          caption: "End-of-tick stocks from timeseries.csv; tick 0 is the state after warm-up.")
      ])
  }

  /// Voluntary moves by direction, and hires, layoffs and displacements, per year.
  static func movesAndHiring(_ charts: Charts) -> ReportDocument.Section {
    var moves = charts.yearChart(
      "moves-per-year", "Job-to-job moves per year, by direction", "Voluntary moves (people/year)")
    moves.series = [
      charts.yearly("Big tech → startup", Palette.orange, "moves_bigtech_to_startup"),
      charts.yearly("Startup → big tech", Palette.blue, "moves_startup_to_bigtech"),
      charts.yearly(
        "Startup → startup", Palette.orange, "moves_startup_to_startup", dashed: true),
      charts.yearly(
        "Big tech → big tech", Palette.blue, "moves_bigtech_to_bigtech", dashed: true),
    ]
    var hiring = charts.yearChart(
      "hires-layoffs-per-year", "Hires, layoffs and failures displaced per year", "People per year")
    hiring.series = [
      charts.yearly("Hires into big tech", Palette.blue, "hires_bigtech"),
      charts.yearly("Hires into startups", Palette.orange, "hires_startup"),
      charts.yearly("Layoffs from big tech", Palette.vermillion, "layoffs_bigtech"),
      charts.yearly("Layoffs from startups", Palette.reddishPurple, "layoffs_startup"),
      charts.yearly("Displaced by startup failures", Palette.black, "failures_displaced"),
    ]
    return .init(
      heading: "Moves, hires and layoffs",
      items: [
        .chart(
          moves.render(),
          caption: "Voluntary job-to-job moves (flows.csv reason voluntary), summed per year. "
            + "Colour: destination sector; dashed: within the sector."),
        .chart(
          hiring.render(),
          caption: "Hires from unemployment, every layoff (big-tech, distress and scenario), "
            + "and employees displaced when their startup failed, summed per year."),
      ])
  }

  /// Every flow of the run between sectors, by reason, as a Sankey diagram.
  static func flows(_ data: RunData) -> ReportDocument.Section {
    let sectors = Sector.allCases
    var links: [SankeyChart.Link] = []
    for from in sectors {
      for to in sectors {
        for reason in FlowReason.allCases {
          let n = data.cumulativeFlows[from, to, reason]
          if n > 0 {
            links.append(
              SankeyChart.Link(
                source: from.rawValue, target: to.rawValue, category: reason.rawValue,
                value: Double(n)))
          }
        }
      }
    }
    let sankey = SankeyChart(
      id: "flows-sankey",
      title: "Cumulative flows between sectors over ticks 1–\(data.ticks.last ?? 0), by reason",
      nodes: sectors.map { SankeyChart.Node(name: sectorTitle($0), color: Palette.color($0)) },
      categories: FlowReason.allCases.map {
        SankeyChart.Category(name: $0.name, color: Palette.color($0))
      }, links: links, unit: "people")
    return .init(
      heading: "Flows between sectors",
      items: [
        .chart(
          sankey.render(),
          caption: "Every flow of flows.csv summed over the run, from the sector on the left to "
            + "the one on the right; band width is proportional to people. Outside is entry "
            + "into and exit from the population. Hover a band for its count.")
      ])
  }

  /// Startups born, failed, acquired and graduated per year, and the living ones per tick.
  static func startups(_ charts: Charts) -> ReportDocument.Section {
    var startups = charts.yearChart(
      "startups-per-year", "Startups born, failed, acquired and graduated per year",
      "Startups per year")
    startups.series = [
      charts.yearly("Born", Palette.bluishGreen, "startups_born"),
      charts.yearly("Failed", Palette.black, "startups_failed"),
      charts.yearly("Acquired", Palette.reddishPurple, "startups_acquired"),
      charts.yearly("Graduated to big tech", Palette.blue, "startups_graduated"),
    ]
    var living = charts.timeChart("living-startups", "Living startups", "Startups (firms)")
    living.countsY = true
    living.series = [
      charts.series("Living startups", Palette.orange, charts.data.column("firms_startup"))
    ]
    return .init(
      heading: "Startups",
      items: [
        .chart(startups.render(), caption: "Counts per year of the run (timeseries.csv)."),
        .chart(living.render(), caption: "Living startups at the end of each tick."),
      ])
  }

  /// Startup equity offers, big-tech RSU offers, wages and the funding climate.
  static func payAndFinance(_ data: RunData, _ charts: Charts) -> ReportDocument.Section {
    var equity = charts.timeChart(
      "startup-equity-offer", "Startup equity offers (mean over living startups)",
      "Equity per hire (% of the company)")
    equity.series = [
      charts.series(
        "Mean startup equity offer", Palette.orange,
        data.column("mean_equity_offer").map { $0 * 100 })
    ]
    var wages = charts.timeChart(
      "wages", "Wages by sector (mean over employees)", "Mean wage (k$/month)")
    wages.includeZero = false
    wages.series = [
      charts.series("Big tech", Palette.color(.bigtech), data.column("mean_wage_bigtech")),
      charts.series("Startups", Palette.color(.startup), data.column("mean_wage_startup")),
    ]
    var climate = charts.timeChart(
      "funding-climate", "Funding climate", "Funding climate F (1 = neutral)")
    climate.includeZero = false
    climate.referenceY = 1
    climate.series = [
      charts.series("Funding climate F", Palette.bluishGreen, data.column("funding_climate"))
    ]
    return .init(
      heading: "Pay and finance",
      items: [
        .chart(
          equity.render(),
          caption: "mean_equity_offer: the share of the company a startup offers one hire, "
            + "unweighted over living startups (MODEL 4.3)."),
        rsuOffers(data, charts),
        .chart(wages.render(), caption: "mean_wage_bigtech and mean_wage_startup (MODEL 4.3)."),
        .chart(
          climate.render(),
          caption: "F scales how often and how much startups raise and how often professionals "
            + "found startups (MODEL 4.1); the dashed line is F = 1."),
      ])
  }

  /// Big-tech RSU offers at each firms.csv snapshot; a note when the run wrote no firms.csv.
  static func rsuOffers(_ data: RunData, _ charts: Charts) -> ReportDocument.Item {
    guard let rsu = data.rsu else {
      return .note(
        "Big-tech RSU offers: this run wrote no firms.csv (output.firmsEvery = 0), so there is "
          + "nothing to chart.")
    }
    var chart = charts.timeChart(
      "bigtech-rsu-offer", "Big-tech RSU offers (every firms.csv snapshot)",
      "Yearly RSU value offered (k$/year)")
    let x = rsu.map { Double($0.tick) / Double(charts.ticksPerYear) }
    chart.bands = [
      ChartBand(
        name: "Range across big-tech firms", color: Palette.blue, x: x,
        lower: rsu.map(\.minimum), upper: rsu.map(\.maximum))
    ]
    chart.series = [
      ChartSeries(name: "Mean over big-tech firms", color: Palette.blue, x: x, y: rsu.map(\.mean))
    ]
    return .chart(
      chart.render(),
      caption: "firms.csv equity_offer of living big-tech firms: the yearly RSU value a hire "
        + "is offered (MODEL 4.3).")
  }

  /// The headline measures (`RunMeasures.headline`), computed from the run's records exactly as
  /// compare and sweeps compute them; an unavailable one says why.
  static func headlineMeasures(_ data: RunData) -> ReportDocument.Section {
    // Timeseries measures read only time.ticksPerYear of the configuration.
    var config = Configuration()
    config.time.ticksPerYear = data.facts.ticksPerYear
    let run = MeasuredRun(records: data.records, config: config)
    let rows = RunMeasures.headline.map { measure -> [String] in
      let value: MeasureValue
      do throws(MeasureError) {
        value = try measure.value(of: run)
      } catch {
        value = .unavailable(error.description)
      }
      var shown: String
      switch value {
      case .value(let x):
        shown = NumberFormat.value(x)
        if measure.unit.hasPrefix("fraction") && x.isFinite {
          shown += " (\(NumberFormat.number(x * 100, decimals: 1))%)"
        }
      case .unavailable(let reason):
        shown = "unavailable (\(reason))"
      }
      return [measure.name, shown, measure.unit, measure.definition]
    }
    let table = ReportDocument.Table(
      caption: "Headline measures over ticks 1–\(data.ticks.last ?? 0) (the measures compare "
        + "and sweeps use)",
      columns: ["Measure", "Value", "Unit", "Definition"], rows: rows,
      numeric: [false, true, false, false])
    return .init(heading: "Headline measures", items: [.table(table)])
  }

  /// The name of a sector as a node label.
  static func sectorTitle(_ sector: Sector) -> String {
    switch sector {
    case .bigtech: return "Big tech"
    case .startup: return "Startups"
    case .unemployed: return "Unemployed"
    case .outside: return "Outside"
    }
  }
}
