import Foundation

/// The report of one run folder: what happened, in charts (MODEL 6 outputs).
public enum RunReport {
  /// Sums of timeseries columns per year, over the recorded ticks (MODEL 6: year = ⌈tick/T⌉).
  struct Years {
    /// Year numbers 1…Y.
    var years: [Double]
    /// Ticks recorded in each year (fewer than ticksPerYear in a partial last year).
    var ticks: [Int]
    var ticksPerYear: Int

    init(_ data: RunData) {
      ticksPerYear = data.facts.ticksPerYear
      var years: [Double] = []
      var ticks: [Int] = []
      for tick in data.ticks where tick >= 1 {
        let year = Double((tick + ticksPerYear - 1) / ticksPerYear)
        if years.last == year {
          ticks[ticks.count - 1] += 1
        } else {
          years.append(year)
          ticks.append(1)
        }
      }
      self.years = years
      self.ticks = ticks
    }

    /// Per-year sums of a column.
    func sums(_ data: RunData, _ column: String) -> [Double] {
      var sums = [Double](repeating: 0, count: years.count)
      let index = Dictionary(uniqueKeysWithValues: years.enumerated().map { ($1, $0) })
      for (tick, value) in zip(data.ticks, data.column(column)) where tick >= 1 {
        let year = Double((tick + ticksPerYear - 1) / ticksPerYear)
        if let k = index[year], value.isFinite { sums[k] += value }
      }
      return sums
    }

    /// Tooltip notes: which ticks a year covers, flagging a partial last year.
    var notes: [String] {
      zip(years, ticks).map { year, n in
        let first = (Int(year) - 1) * ticksPerYear + 1
        let range = "ticks \(first)–\(first + n - 1)"
        return n < ticksPerYear ? "\(range), partial year" : range
      }
    }
  }

  /// Builds the report document of a loaded run.
  public static func document(_ data: RunData) -> ReportDocument {
    let facts = data.facts
    let tpy = facts.ticksPerYear
    let time = data.column("tick").map { $0 / Double(tpy) }
    let lastTick = data.ticks.last ?? 0
    let timeLabel = "Time (years after warm-up; \(tpy) ticks = 1 year)"
    func timeChart(_ id: String, _ title: String, _ yLabel: String) -> LineChart {
      var chart = LineChart(id: id, title: title, xLabel: timeLabel, yLabel: yLabel)
      chart.xKind = .time(ticksPerYear: tpy)
      return chart
    }
    let years = Years(data)
    func yearChart(_ id: String, _ title: String, _ yLabel: String) -> LineChart {
      var chart = LineChart(id: id, title: title, xLabel: "Year of the run", yLabel: yLabel)
      chart.xKind = .years
      chart.countsY = true
      chart.pointNotes = years.notes
      return chart
    }
    func series(_ name: String, _ color: String, _ y: [Double], dashed: Bool = false)
      -> ChartSeries
    {
      ChartSeries(name: name, color: color, x: time, y: y, dashed: dashed)
    }
    func yearly(_ name: String, _ color: String, _ column: String, dashed: Bool = false)
      -> ChartSeries
    {
      ChartSeries(
        name: name, color: color, x: years.years, y: years.sums(data, column), dashed: dashed)
    }

    // Employment.
    var employment = timeChart("employment", "Employment by sector", "Professionals (people)")
    employment.style = .stackedArea
    employment.countsY = true
    employment.wide = true
    employment.width = 1000
    employment.height = 380
    employment.series = [
      series("Big tech", Palette.color(.bigtech), data.column("employed_bigtech")),
      series("Startups", Palette.color(.startup), data.column("employed_startup")),
      series("Unemployed", Palette.color(.unemployed), data.column("unemployed")),
    ]

    // Moves and hiring.
    var moves = yearChart(
      "moves-per-year", "Job-to-job moves per year, by direction", "Voluntary moves (people/year)")
    moves.series = [
      yearly("Big tech → startup", Palette.orange, "moves_bigtech_to_startup"),
      yearly("Startup → big tech", Palette.blue, "moves_startup_to_bigtech"),
      yearly("Startup → startup", Palette.orange, "moves_startup_to_startup", dashed: true),
      yearly("Big tech → big tech", Palette.blue, "moves_bigtech_to_bigtech", dashed: true),
    ]
    var hiring = yearChart(
      "hires-layoffs-per-year", "Hires, layoffs and failures displaced per year", "People per year")
    hiring.series = [
      yearly("Hires into big tech", Palette.blue, "hires_bigtech"),
      yearly("Hires into startups", Palette.orange, "hires_startup"),
      yearly("Layoffs from big tech", Palette.vermillion, "layoffs_bigtech"),
      yearly("Layoffs from startups", Palette.reddishPurple, "layoffs_startup"),
      yearly("Displaced by startup failures", Palette.black, "failures_displaced"),
    ]

    // Flows.
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
      title: "Cumulative flows between sectors over ticks 1–\(lastTick), by reason",
      nodes: sectors.map { SankeyChart.Node(name: sectorTitle($0), color: Palette.color($0)) },
      categories: FlowReason.allCases.map {
        SankeyChart.Category(name: $0.name, color: Palette.color($0))
      }, links: links, unit: "people")

    // Startups.
    var startups = yearChart(
      "startups-per-year", "Startups born, failed, acquired and graduated per year",
      "Startups per year")
    startups.series = [
      yearly("Born", Palette.bluishGreen, "startups_born"),
      yearly("Failed", Palette.black, "startups_failed"),
      yearly("Acquired", Palette.reddishPurple, "startups_acquired"),
      yearly("Graduated to big tech", Palette.blue, "startups_graduated"),
    ]
    var living = timeChart("living-startups", "Living startups", "Startups (firms)")
    living.countsY = true
    living.series = [series("Living startups", Palette.orange, data.column("firms_startup"))]

    // Pay and finance.
    var equity = timeChart(
      "startup-equity-offer", "Startup equity offers (mean over living startups)",
      "Equity per hire (% of the company)")
    equity.series = [
      series(
        "Mean startup equity offer", Palette.orange,
        data.column("mean_equity_offer").map {
          $0 * 100
        })
    ]
    var rsuItem: ReportDocument.Item
    if let rsu = data.rsu {
      var chart = timeChart(
        "bigtech-rsu-offer", "Big-tech RSU offers (every firms.csv snapshot)",
        "Yearly RSU value offered (k$/year)")
      let x = rsu.map { Double($0.tick) / Double(tpy) }
      chart.bands = [
        ChartBand(
          name: "Range across big-tech firms", color: Palette.blue, x: x,
          lower: rsu.map(\.minimum), upper: rsu.map(\.maximum))
      ]
      chart.series = [
        ChartSeries(name: "Mean over big-tech firms", color: Palette.blue, x: x, y: rsu.map(\.mean))
      ]
      rsuItem = .chart(
        chart.render(),
        caption: "firms.csv equity_offer of living big-tech firms: the yearly RSU value a hire "
          + "is offered (MODEL 4.3).")
    } else {
      rsuItem = .note(
        "Big-tech RSU offers: this run wrote no firms.csv (output.firmsEvery = 0), so there is "
          + "nothing to chart.")
    }
    var wages = timeChart("wages", "Wages by sector (mean over employees)", "Mean wage (k$/month)")
    wages.includeZero = false
    wages.series = [
      series("Big tech", Palette.color(.bigtech), data.column("mean_wage_bigtech")),
      series("Startups", Palette.color(.startup), data.column("mean_wage_startup")),
    ]
    var climate = timeChart(
      "funding-climate", "Funding climate", "Funding climate F (1 = neutral)")
    climate.includeZero = false
    climate.referenceY = 1
    climate.series = [
      series("Funding climate F", Palette.bluishGreen, data.column("funding_climate"))
    ]

    // Headline measures, computed exactly as compare and sweeps compute them.
    let values = HeadlineMeasures.compute(data.records, ticksPerYear: tpy)
    let rows = zip(HeadlineMeasures.all, values).map { measure, value -> [String] in
      var shown = NumberFormat.value(value)
      if measure.description.hasSuffix("(fraction)") && value.isFinite {
        shown += " (\(NumberFormat.number(value * 100, decimals: 1))%)"
      }
      return [measure.name, shown, measure.description]
    }
    let headline = ReportDocument.Table(
      caption: "Headline measures over ticks 1–\(lastTick) (the measures compare and sweeps use)",
      columns: ["Measure", "Value", "Meaning"], rows: rows, numeric: [false, true, false])

    var integrity: [ReportDocument.Item] = []
    if !data.problems.isEmpty {
      integrity.append(.note("Warning: " + data.problems.joined(separator: " ")))
    }
    let sections: [ReportDocument.Section] = [
      .init(
        heading: "Employment",
        items: integrity + [
          .chart(
            employment.render(),
            caption: "End-of-tick stocks from timeseries.csv; tick 0 is the state after warm-up.")
        ]),
      .init(
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
        ]),
      .init(
        heading: "Flows between sectors",
        items: [
          .chart(
            sankey.render(),
            caption: "Every flow of flows.csv summed over the run, from the sector on the left to "
              + "the one on the right; band width is proportional to people. Outside is entry "
              + "into and exit from the population. Hover a band for its count.")
        ]),
      .init(
        heading: "Startups",
        items: [
          .chart(startups.render(), caption: "Counts per year of the run (timeseries.csv)."),
          .chart(living.render(), caption: "Living startups at the end of each tick."),
        ]),
      .init(
        heading: "Pay and finance",
        items: [
          .chart(
            equity.render(),
            caption: "mean_equity_offer: the share of the company a startup offers one hire, "
              + "unweighted over living startups (MODEL 4.3)."),
          rsuItem,
          .chart(wages.render(), caption: "mean_wage_bigtech and mean_wage_startup (MODEL 4.3)."),
          .chart(
            climate.render(),
            caption: "F scales how often and how much startups raise and how often professionals "
              + "found startups (MODEL 4.1); the dashed line is F = 1."),
        ]),
      .init(heading: "Headline measures", items: [.table(headline)]),
    ]

    var fileLinks = [
      ReportDocument.Link("manifest.json", data.folder.appendingPathComponent("manifest.json"))
    ]
    for file in facts.files {
      fileLinks.append(
        ReportDocument.Link(file.name, data.folder.appendingPathComponent(file.name)))
    }
    let runYears = Double(facts.ticks) / Double(tpy)
    return ReportDocument(
      kind: "Run", title: facts.name, description: facts.description,
      facts: [
        .init("Seed", facts.seed),
        .init("Population size", facts.populationSize),
        .init(
          "Ticks",
          "\(NumberFormat.number(Double(facts.ticks))) (\(NumberFormat.value(runYears)) years) "
            + "after \(facts.warmup) warm-up"),
        .init("Model version", "\(facts.modelVersion) (\(facts.modelSpecification))"),
        .init("Tool", "talentflow \(facts.toolVersion)"),
        .init(
          "Configuration SHA-256",
          NumberFormat.abbreviatedHash(facts.configurationSHA256)),
        .init(
          "Data checksums", data.problems.isEmpty ? "match the manifest" : "MISMATCH, see below"),
      ],
      links: fileLinks, sections: sections,
      footer:
        "Written by the talentflow \(TalentFlowVersion.tool) report command from the files of "
        + "\(data.folder.lastPathComponent)/. This page is derived from the data files and is "
        + "not listed in manifest.json; its checksums cover the data only. Hover a chart for "
        + "values. Colours: Okabe–Ito (colour-blind safe).")
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
