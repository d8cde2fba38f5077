import Foundation

/// The report of a sensitivity folder: the analysis and a one-line reading per measure, then
/// per measure a bar chart of its indices by parameter (most influential first) and their table.
///
/// Morris: μ* with its bootstrap interval beside σ, so that a reader sees which parameters
/// matter and which act nonlinearly or through interactions. Sobol: ST and S1 with their
/// intervals, and the second-order indices when there are any. The per-measure sections are in
/// SensitivityReport+Measures.swift.
public enum SensitivityReport {
  /// At most this many rows in a table of indices or of failed runs.
  static let tableLimit = 200
  static let failureLimit = 20

  /// Builds the report document of a loaded sensitivity folder.
  public static func document(_ data: SensitivityData) -> ReportDocument {
    let facts = data.facts
    var sections = [overview(data)]
    if let indices = data.indices {
      for (m, entry) in indices.enumerated() {
        sections.append(measureSection(data, m, entry))
      }
    }
    return ReportDocument(
      kind: "Sensitivity", title: facts.name, description: description(facts),
      facts: headerFacts(data),
      links: ReportDocument.Link.manifestAndFiles(
        in: data.folder, facts.files.map(\.name).filter { !$0.contains("/") }),
      sections: sections,
      footer: ReportDocument.footer(
        folder: data.folder,
        ". Hover a bar or a table value for details. Colours: Okabe–Ito (colour-blind safe)."))
  }

  /// The method's name as the page says it.
  static func methodName(_ method: SensitivityData.Method) -> String {
    switch method {
    case .morris: return "Morris elementary effects"
    case .sobol: return "Sobol indices"
    }
  }

  /// The confidence level as a percentage ("95%").
  static func level(_ analysis: SensitivityData.Analysis) -> String {
    NumberFormat.value(analysis.confidenceLevel * 100) + "%"
  }

  /// "3 parameters", "1 run": a count with its noun (`plural`, else the noun and "s").
  static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
    NumberFormat.number(Double(n)) + " " + (n == 1 ? noun : plural ?? noun + "s")
  }

  /// The page's description: the method over which keys, and how many runs that made.
  static func description(_ facts: SensitivityData.Facts) -> String {
    let analysis = facts.analysis
    let keys = analysis.parameters.map(\.key).joined(separator: ", ")
    var design: String
    switch analysis.method {
    case .morris:
      design =
        "A Morris screening of the \(facts.baseName) configuration over "
        + "\(count(analysis.parameters.count, "parameter")) (\(keys))"
      if let r = analysis.trajectories, let p = analysis.levels {
        design += ": \(count(r, "trajectory", plural: "trajectories")) "
        design += "on a \(p)-level grid"
      }
    case .sobol:
      design =
        "A Sobol analysis of the \(facts.baseName) configuration over "
        + "\(count(analysis.parameters.count, "parameter")) (\(keys))"
      if let n = analysis.samples {
        design += ": N = \(NumberFormat.number(Double(n))) base samples"
        design += analysis.secondOrder ? " with second-order indices" : ""
      }
    }
    var description =
      design + " = \(count(facts.designPoints, "design point")) × "
      + "\(count(facts.replicates, "replicate")) = \(count(facts.runs, "run")). Measures: "
      + analysis.measures.joined(separator: ", ") + "."
    if !facts.baseDescription.isEmpty { description += " Base: \(facts.baseDescription)" }
    return description
  }

  /// The method and its settings, the size of the design, versions and checksums.
  static func headerFacts(_ data: SensitivityData) -> [ReportDocument.Fact] {
    let facts = data.facts
    let analysis = facts.analysis
    let number = { (n: Int?) in n.map { NumberFormat.number(Double($0)) } ?? "?" }
    var settings: [ReportDocument.Fact] = [.init("Method", methodName(analysis.method))]
    switch analysis.method {
    case .morris:
      settings.append(.init("Levels p", number(analysis.levels)))
      settings.append(.init("Trajectories r", number(analysis.trajectories)))
    case .sobol:
      settings.append(.init("Base samples N", number(analysis.samples)))
      settings.append(.init("Second order", analysis.secondOrder ? "yes" : "no"))
    }
    let resamples = analysis.resamples.map { ", \(count($0, "resample"))" } ?? ""
    let failed =
      facts.failedRuns > 0 ? " (\(facts.failedRuns) failed; failures.csv lists them)" : ""
    return settings + [
      .init("Intervals", "\(level(analysis)) bootstrap\(resamples)"),
      .init("Seed", analysis.seed ?? "?"),
      .init("Parameters", NumberFormat.number(Double(analysis.parameters.count))),
      .init("Design points", NumberFormat.number(Double(facts.designPoints))),
      .init("Replicates", NumberFormat.number(Double(facts.replicates))),
      .init("Runs", NumberFormat.number(Double(facts.runs)) + failed),
      .init("Ticks per run", NumberFormat.number(Double(facts.ticks))),
      .init("Population size", facts.populationSize),
      .model(version: facts.modelVersion, specification: facts.modelSpecification),
      .tool(version: facts.toolVersion),
      .init("Specification SHA-256", NumberFormat.abbreviatedHash(facts.sweepSHA256)),
      .checksums(data.problems),
    ]
  }

  /// The top section: what was done, the reading of each measure (or why there is none), the
  /// parameters with their ranges, the measures over the runs and any failed runs.
  static func overview(_ data: SensitivityData) -> ReportDocument.Section {
    var items = ReportDocument.Item.warnings(data.problems)
    // Without indices, that comes first: it is what the reader came for.
    if data.indices == nil { items.append(.note(missingIndicesNote(data))) }
    items.append(.note(methodNote(data.facts)))
    if let indices = data.indices { items.append(.table(readingTable(data, indices))) }
    items.append(.table(parameterTable(data.facts.analysis)))
    items.append(.table(measureTable(data)))
    if !data.failures.isEmpty { items.append(.table(failureTable(data))) }
    return .init(heading: "The analysis", items: items)
  }

  /// What the method does and what its indices mean, with this analysis's settings.
  static func methodNote(_ facts: SensitivityData.Facts) -> String {
    let analysis = facts.analysis
    let resamples = analysis.resamples.map { " from \(count($0, "resample"))" } ?? ""
    switch analysis.method {
    case .morris:
      let r = analysis.trajectories.map { "r = \($0) trajectories" } ?? "trajectories"
      let p = analysis.levels.map { "a p = \($0)-level grid" } ?? "a grid"
      return "Morris elementary effects: \(r), each changing one parameter at a time by one "
        + "step of \(p) over its range, give each parameter one elementary effect per "
        + "trajectory on each measure. μ* (the mean absolute effect) ranks the parameters; σ "
        + "(the effects' standard deviation) is large when a parameter's effect depends on the "
        + "values of the others or is nonlinear; μ (the signed mean) is much smaller than μ* "
        + "when effects of both signs cancel. Whiskers: the \(level(analysis)) bootstrap "
        + "interval of μ*\(resamples)."
    case .sobol:
      let n = analysis.samples.map { " from N = \(NumberFormat.number(Double($0))) base samples" }
      return "Sobol indices\(n ?? ""): S1 is the share of a measure's variance that a parameter "
        + "explains on its own, ST the share it takes part in, interactions included, so "
        + "ST − S1 is what it adds through interactions"
        + (analysis.secondOrder ? " and S2 the share of the interaction of a pair" : "")
        + ". Whiskers: \(level(analysis)) bootstrap intervals\(resamples). An index near 0 "
        + "can come out slightly below 0 by sampling noise."
    }
  }

  /// Why there are no indices: the failed runs, or the missing file.
  static func missingIndicesNote(_ data: SensitivityData) -> String {
    let facts = data.facts
    let failed = max(facts.failedRuns, data.failures.count)
    guard failed > 0 else {
      return "There are no sensitivity indices: indices.csv is missing from the folder, so "
        + "only the runs and their measures are shown."
    }
    return "There are no sensitivity indices: \(failed) of \(count(facts.runs, "run")) failed "
      + "(failures.csv lists them, see below), and the indices need every run of the design, "
      + "so indices.csv was not written. The measures of the runs that finished are summarised "
      + "below; rerun the failed runs to get the indices."
  }

  /// Per measure, its one-line reading.
  static func readingTable(_ data: SensitivityData, _ indices: [SensitivityData.Indices])
    -> ReportDocument.Table
  {
    let measures = data.facts.analysis.measures
    return ReportDocument.Table(
      caption: "What each measure is most sensitive to (from indices.csv)",
      columns: ["Measure", "Reading"],
      rows: zip(measures, indices).map { [$0, reading($0, $1, data.facts.analysis)] },
      numeric: [false, false],
      cellTitles: measures.map { [definition($0), ""] })
  }

  /// The varied keys, their ranges and what they mean.
  static func parameterTable(_ analysis: SensitivityData.Analysis) -> ReportDocument.Table {
    ReportDocument.Table(
      caption: "Parameters and the ranges they were varied over (manifest.json analysis)",
      columns: ["Parameter", "Lower", "Upper", "Meaning"],
      rows: analysis.parameters.map { parameter in
        [
          parameter.key, NumberFormat.value(parameter.lower), NumberFormat.value(parameter.upper),
          ConfigurationKeys.key(parameter.key)?.summary ?? "",
        ]
      }, numeric: [false, true, true, false])
  }

  /// Each measure over the runs that finished: how many have a value, their mean and range.
  static func measureTable(_ data: SensitivityData) -> ReportDocument.Table {
    let runs = data.measures.first?.values.count ?? 0
    var rows: [[String]] = []
    for measure in data.measures {
      let finite = measure.values.filter(\.isFinite)
      rows.append([
        measure.name, unit(measure.name),
        "\(NumberFormat.number(Double(finite.count))) of \(NumberFormat.number(Double(runs)))",
        finite.isEmpty ? "–" : NumberFormat.value(Statistics.mean(finite)),
        NumberFormat.value(finite.min() ?? .nan), NumberFormat.value(finite.max() ?? .nan),
      ])
    }
    return ReportDocument.Table(
      caption: "The measures over the \(count(runs, "run")) of runs.csv (an empty field: the "
        + "run has no value; hover a measure for its definition)",
      columns: ["Measure", "Unit", "Runs with a value", "Mean", "Minimum", "Maximum"],
      rows: rows, numeric: [false, false, true, true, true, true],
      cellTitles: data.measures.map { [definition($0.name), "", "", "", "", ""] })
  }

  /// The first `failureLimit` failed runs with their messages.
  static func failureTable(_ data: SensitivityData) -> ReportDocument.Table {
    let failures = data.failures
    return ReportDocument.Table(
      caption: "Failed runs (failures.csv)"
        + (failures.count > failureLimit
          ? ": the first \(failureLimit) of \(failures.count)" : ""),
      columns: ["Run", "Design point", "Message"],
      rows: failures.prefix(failureLimit).map { [$0.run, $0.point, $0.message] },
      numeric: [false, true, false])
  }

  /// A measure's unit, from the measures library ("" if unknown).
  static func unit(_ measure: String) -> String {
    RunMeasures.named(measure)?.unit ?? ""
  }

  /// A measure's definition, from the measures library ("" if unknown).
  static func definition(_ measure: String) -> String {
    RunMeasures.named(measure)?.definition ?? ""
  }
}
