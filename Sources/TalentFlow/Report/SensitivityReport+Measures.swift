import Foundation

/// The section of each measure: its indices by parameter as bars, most influential first, and
/// as tables; and the one-line reading the overview shows.
extension SensitivityReport {
  /// The positions of `values` from largest to smallest, missing values last, ties in the
  /// given (the manifest's) order.
  static func descendingOrder(_ values: [Double]) -> [Int] {
    values.indices.sorted { a, b in
      let x = values[a]
      let y = values[b]
      if x.isFinite != y.isFinite { return x.isFinite }
      if x.isFinite && x != y { return x > y }
      return a < b
    }
  }

  /// A chart id from a measure's name: letters, digits, `-`, `_` and `.` kept, anything else
  /// (which could not be part of a file name) replaced by `-`.
  static func chartID(_ prefix: String, _ measure: String) -> String {
    let safe = measure.unicodeScalars.map { scalar -> String in
      let c = Character(scalar)
      let keep = scalar.isASCII && (c.isLetter || c.isNumber || "-_.".contains(c))
      return keep ? String(c) : "-"
    }
    return prefix + "-" + safe.joined()
  }

  /// "± 0.002", or "" when the half-width is missing.
  static func plusMinus(_ conf: Double) -> String {
    conf.isFinite ? " ± " + NumberFormat.value(conf) : ""
  }

  /// Measure `m`'s section.
  static func measureSection(
    _ data: SensitivityData, _ m: Int, _ indices: SensitivityData.Indices
  ) -> ReportDocument.Section {
    let measure = data.facts.analysis.measures[m]
    let analysis = data.facts.analysis
    let unit = self.unit(measure)
    let heading = measure + (unit.isEmpty ? "" : " (\(unit))")
    switch indices {
    case .morris(let rows):
      let sorted = descendingOrder(rows.map(\.muStar)).map { rows[$0] }
      let missing = missingSentence([
        ("μ*", sorted.filter { !$0.muStar.isFinite }.map(\.parameter)),
        ("σ", sorted.filter { !$0.sigma.isFinite }.map(\.parameter)),
      ])
      return .init(
        heading: heading + ": Morris elementary effects",
        items: [
          morrisChart(measure, sorted, analysis, missing: missing),
          morrisPlane(measure, sorted), .table(morrisTable(measure, sorted, analysis)),
        ])
    case .sobol(let rows, let pairs):
      let sorted = descendingOrder(rows.map(\.st)).map { rows[$0] }
      var notes = missingSentence([
        ("ST", sorted.filter { !$0.st.isFinite }.map(\.parameter)),
        ("S1", sorted.filter { !$0.s1.isFinite }.map(\.parameter)),
      ])
      let negative = sorted.filter { $0.s1 < 0 || $0.st < 0 }
      if !negative.isEmpty {
        notes +=
          " Below 0: "
          + negative.map {
            "\($0.parameter) (S1 = \(NumberFormat.value($0.s1)), ST = \(NumberFormat.value($0.st)))"
          }.joined(separator: ", ")
          + ". A share of variance cannot be negative: these estimate a share near 0 that "
          + "sampling noise took below it; read them as 0 within their intervals."
      }
      var items: [ReportDocument.Item] = [
        sobolChart(measure, sorted, analysis, notes: notes),
        .table(sobolTable(measure, sorted, analysis)),
      ]
      if let pairs { items.append(.table(secondOrderTable(measure, pairs, analysis))) }
      return .init(heading: heading + ": Sobol indices", items: items)
    }
  }

  /// " Not computable …: μ* of a, b; σ of c." naming the parameters whose indices are missing
  /// (drawn as n/a), for a chart's caption; "" if none is.
  static func missingSentence(_ missing: [(index: String, parameters: [String])]) -> String {
    let listed = missing.filter { !$0.parameters.isEmpty }.map {
      "\($0.index) of \($0.parameters.joined(separator: ", "))"
    }
    guard !listed.isEmpty else { return "" }
    return " Not computable (an empty field in indices.csv), drawn as n/a: "
      + listed.joined(separator: "; ") + "."
  }

  /// μ* with its interval beside σ, one row per parameter, largest μ* first.
  static func morrisChart(
    _ measure: String, _ rows: [SensitivityData.MorrisIndex], _ analysis: SensitivityData.Analysis,
    missing: String
  ) -> ReportDocument.Item {
    let unit = self.unit(measure)
    var chart = BarChart(
      id: chartID("morris", measure), title: "\(measure): μ* and σ by parameter",
      xLabel: "Elementary effect" + (unit.isEmpty ? "" : " (\(unit))"),
      categories: rows.map(\.parameter))
    chart.bars = [
      BarChart.Bars(
        name: "μ* (mean |effect|)", color: Palette.blue, values: rows.map(\.muStar),
        lower: rows.map { $0.muStar - $0.muStarConf }, upper: rows.map { $0.muStar + $0.muStarConf }
      ),
      BarChart.Bars(
        name: "σ (spread of effects)", color: Palette.orange, values: rows.map(\.sigma)),
    ]
    chart.intervalName = "\(level(analysis)) bootstrap interval of μ*"
    chart.categoryNotes = rows.map {
      "μ (signed mean): \(NumberFormat.value($0.mu)); σ/μ*: \(NumberFormat.value($0.sigma / $0.muStar))"
    }
    return .chart(
      chart.render(),
      caption: "Parameters by μ*, the mean absolute elementary effect on \(measure) (blue, "
        + "with its \(level(analysis)) bootstrap interval), beside σ, the standard deviation "
        + "of the effects (orange). A σ as large as μ* or larger: the effect is nonlinear or "
        + "depends on the other parameters." + missing)
  }

  /// The μ*–σ plane: far right matters, above the diagonal σ = μ* acts nonlinearly or through
  /// interactions (the plane of Morris 1991).
  static func morrisPlane(_ measure: String, _ rows: [SensitivityData.MorrisIndex])
    -> ReportDocument.Item
  {
    let unit = self.unit(measure)
    let inUnit = unit.isEmpty ? "" : " (\(unit))"
    var chart = ScatterChart(
      id: chartID("morris-plane", measure), title: "\(measure): σ against μ*",
      xLabel: "μ*" + inUnit, yLabel: "σ" + inUnit, pointName: "Parameter")
    chart.points = rows.map {
      ScatterChart.Point(
        name: $0.parameter, x: $0.muStar, y: $0.sigma,
        note: "μ (signed mean): \(NumberFormat.value($0.mu))")
    }
    chart.diagonal = "σ = μ*"
    let drawn = rows.filter { $0.muStar.isFinite && $0.sigma.isFinite }.count
    return .chart(
      chart.render(),
      caption: "Each parameter at its μ* (across) and σ (up) for \(measure): the further right, "
        + "the more it matters; above the dashed line σ = μ*, its effect is nonlinear or "
        + "depends on the other parameters. Labels that would overlap are left out; hover a "
        + "point for its name."
        + (drawn < rows.count
          ? " \(rows.count - drawn) parameter\(rows.count - drawn == 1 ? " has" : "s have") "
            + "no μ* or σ and \(rows.count - drawn == 1 ? "is" : "are") not drawn." : ""))
  }

  /// ST and S1 with their intervals, one row per parameter, largest ST first.
  static func sobolChart(
    _ measure: String, _ rows: [SensitivityData.SobolIndex], _ analysis: SensitivityData.Analysis,
    notes: String
  ) -> ReportDocument.Item {
    var chart = BarChart(
      id: chartID("sobol", measure), title: "\(measure): ST and S1 by parameter",
      xLabel: "Share of the variance", categories: rows.map(\.parameter))
    chart.bars = [
      BarChart.Bars(
        name: "ST (total, with interactions)", color: Palette.vermillion, values: rows.map(\.st),
        lower: rows.map { $0.st - $0.stConf }, upper: rows.map { $0.st + $0.stConf }),
      BarChart.Bars(
        name: "S1 (first order, alone)", color: Palette.skyBlue, values: rows.map(\.s1),
        lower: rows.map { $0.s1 - $0.s1Conf }, upper: rows.map { $0.s1 + $0.s1Conf }),
    ]
    chart.intervalName = "\(level(analysis)) bootstrap interval"
    chart.wide = true
    chart.width = 1000
    chart.categoryNotes = rows.map {
      "ST − S1 (through interactions): \(NumberFormat.value($0.st - $0.s1))"
    }
    return .chart(
      chart.render(),
      caption: "Parameters by ST, the share of the variance of \(measure) they take part in "
        + "(vermillion), beside S1, the share they explain alone (sky blue); whiskers: "
        + "\(level(analysis)) bootstrap intervals. The gap between the two is the parameter's "
        + "share through interactions." + notes)
  }

  /// The Morris indices of a measure, in the chart's order.
  static func morrisTable(
    _ measure: String, _ rows: [SensitivityData.MorrisIndex], _ analysis: SensitivityData.Analysis
  ) -> ReportDocument.Table {
    let level = self.level(analysis)
    return ReportDocument.Table(
      caption: "Morris indices of \(measure), largest μ* first (hover μ* for its interval)",
      columns: [
        "Parameter", "μ* (mu_star)", "± (mu_star_conf, \(level))", "μ (mu)", "σ (sigma)", "σ/μ*",
      ],
      rows: rows.prefix(tableLimit).map { row in
        [
          row.parameter, NumberFormat.value(row.muStar), NumberFormat.value(row.muStarConf),
          NumberFormat.value(row.mu), NumberFormat.value(row.sigma),
          NumberFormat.value(row.sigma / row.muStar),
        ]
      }, numeric: [false, true, true, true, true, true],
      cellTitles: rows.prefix(tableLimit).map { row in
        let interval =
          row.muStar.isFinite && row.muStarConf.isFinite
          ? "\(level) interval: \(NumberFormat.value(row.muStar - row.muStarConf)) – "
            + NumberFormat.value(row.muStar + row.muStarConf) : ""
        return ["", interval, "", "", "", ""]
      })
  }

  /// The Sobol indices of a measure, in the chart's order.
  static func sobolTable(
    _ measure: String, _ rows: [SensitivityData.SobolIndex], _ analysis: SensitivityData.Analysis
  ) -> ReportDocument.Table {
    let level = self.level(analysis)
    return ReportDocument.Table(
      caption: "Sobol indices of \(measure), largest ST first (± the half-width of the "
        + "\(level) bootstrap interval)",
      columns: ["Parameter", "ST", "± (ST_conf)", "S1", "± (S1_conf)", "ST − S1"],
      rows: rows.prefix(tableLimit).map { row in
        [
          row.parameter, NumberFormat.value(row.st), NumberFormat.value(row.stConf),
          NumberFormat.value(row.s1), NumberFormat.value(row.s1Conf),
          NumberFormat.value(row.st - row.s1),
        ]
      }, numeric: [false, true, true, true, true, true])
  }

  /// The second-order indices of a measure, largest first.
  static func secondOrderTable(
    _ measure: String, _ pairs: [SensitivityData.SecondOrderIndex],
    _ analysis: SensitivityData.Analysis
  ) -> ReportDocument.Table {
    let sorted = descendingOrder(pairs.map(\.s2)).map { pairs[$0] }
    return ReportDocument.Table(
      caption: "Second-order Sobol indices of \(measure) (S2.csv), largest first"
        + (pairs.count > tableLimit ? "; the first \(tableLimit) of \(pairs.count) pairs" : ""),
      columns: ["Parameter 1", "Parameter 2", "S2", "± (S2_conf, \(level(analysis)))"],
      rows: sorted.prefix(tableLimit).map {
        [$0.parameter1, $0.parameter2, NumberFormat.value($0.s2), NumberFormat.value($0.s2Conf)]
      }, numeric: [false, false, true, true])
  }

  /// One line on what `measure` is most sensitive to, from its indices.
  static func reading(
    _ measure: String, _ indices: SensitivityData.Indices, _ analysis: SensitivityData.Analysis
  ) -> String {
    switch indices {
    case .morris(let rows):
      let ranked = descendingOrder(rows.map(\.muStar)).map { rows[$0] }.filter {
        $0.muStar.isFinite
      }
      guard let first = ranked.first else { return "no μ* could be computed." }
      guard first.muStar > 0 else { return "no parameter changed it (μ* = 0 for every one)." }
      var line =
        "most sensitive to \(first.parameter) (μ* = \(NumberFormat.value(first.muStar))"
        + "\(plusMinus(first.muStarConf)))"
      if ranked.count > 1 {
        line += ", then \(ranked[1].parameter) (μ* = \(NumberFormat.value(ranked[1].muStar)))"
      }
      // Nonlinear or interacting: σ ≥ μ* among the parameters that matter (μ* ≥ 10% of the
      // largest), so that noise around a negligible μ* is not read as an interaction.
      let nonlinear = ranked.filter {
        $0.muStar >= 0.1 * first.muStar && $0.sigma.isFinite && $0.sigma >= $0.muStar
      }
      if !nonlinear.isEmpty {
        line +=
          "; σ ≥ μ* for \(nonlinear.map(\.parameter).joined(separator: ", ")): nonlinear or "
          + "interacting"
      }
      return line + "."
    case .sobol(let rows, _):
      let ranked = descendingOrder(rows.map(\.st)).map { rows[$0] }.filter { $0.st.isFinite }
      guard let first = ranked.first else { return "no ST could be computed." }
      var line =
        "most sensitive to \(first.parameter) (ST = \(NumberFormat.value(first.st)), "
        + "S1 = \(NumberFormat.value(first.s1)))"
      if ranked.count > 1 {
        line += ", then \(ranked[1].parameter) (ST = \(NumberFormat.value(ranked[1].st)))"
      }
      if rows.allSatisfy({ $0.s1.isFinite }) {
        let sum = rows.reduce(0) { $0 + $1.s1 }
        // Two decimals: the estimates are not more precise than that.
        line += "; ΣS1 = \(NumberFormat.fixed(sum, decimals: 2))"
        line +=
          sum < 0.95
          ? ": interactions account for about \(NumberFormat.fixed(1 - sum, decimals: 2)) of "
            + "the variance"
          : ": the effects are nearly additive"
      }
      return line + "."
    }
  }
}
