import Foundation

/// The report of a calibration folder: the estimate (the objective with its χ² reading, the
/// parameters with their standard errors and 95% intervals), the fit (each moment's distance
/// from its target on one standardised scale, and the targets and holdouts as tables), and the
/// search (the objective by evaluation with its running minimum).
///
/// The fit and search sections are in CalibrationReport+Sections.swift.
public enum CalibrationReport {
  /// |z| above this flags a moment the estimate misses by more than two standard errors.
  static let flagZ = 2.0
  /// The normal quantile of the 95% intervals.
  static let z95 = 1.96

  /// Builds the report document of a loaded calibration folder.
  public static func document(_ data: CalibrationData) -> ReportDocument {
    let facts = data.facts
    return ReportDocument(
      kind: "Calibration", title: facts.name, description: description(data),
      facts: headerFacts(data),
      links: ReportDocument.Link.manifestAndFiles(
        in: data.folder, facts.files.map(\.name).filter { !$0.contains("/") }),
      sections: [estimateSection(data), fitSection(data), searchSection(data)],
      footer: ReportDocument.footer(
        folder: data.folder,
        ". Hover a point, a row or a table value for details. Colours: Okabe–Ito (colour-blind "
          + "safe)."))
  }

  /// The χ² reading of the objective: M targets, k parameters, ν = M − k degrees of freedom
  /// and P(χ²(ν) ≥ Q), or nil for the p-value when ν ≤ 0 (the parameters can match every
  /// target: there is nothing to test).
  public struct FitTest: Sendable, Equatable {
    public var objective: Double
    public var targets: Int
    public var parameters: Int
    public var degreesOfFreedom: Int { targets - parameters }
    public var pValue: Double? {
      degreesOfFreedom > 0
        ? ChiSquared.upperTail(objective, degreesOfFreedom: Double(degreesOfFreedom)) : nil
    }
  }

  static func fitTest(_ data: CalibrationData) -> FitTest {
    FitTest(
      objective: data.facts.objective, targets: data.targets.count,
      parameters: data.parameters.count)
  }

  /// A p-value as a page shows it: four significant digits, "< 0.0001" below that.
  static func pValue(_ p: Double) -> String {
    p < 1e-4 ? "< 0.0001" : NumberFormat.value(p)
  }

  /// "3 targets", "1 parameter": a count with its noun (`plural`, else the noun and "s").
  static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
    NumberFormat.number(Double(n)) + " " + (n == 1 ? noun : plural ?? noun + "s")
  }

  static func description(_ data: CalibrationData) -> String {
    let facts = data.facts
    let keys = data.parameters.map(\.key).joined(separator: ", ")
    var text =
      "An estimate by simulated moments of \(count(data.parameters.count, "parameter")) "
      + "(\(keys)) from \(count(data.targets.count, "target")), each evaluation simulated on the "
      + "same \(count(facts.replicates, "replicate")) (common random numbers)"
    let holdouts = data.holdouts.count
    text += holdouts > 0 ? "; \(count(holdouts, "holdout")) checked out of sample." : "."
    text +=
      " \(count(facts.evaluations, "evaluation")) of the objective Q = Σ ((simulated − target) "
      + "/ se)²."
    return text
  }

  static func headerFacts(_ data: CalibrationData) -> [ReportDocument.Fact] {
    let facts = data.facts
    let test = fitTest(data)
    let reading: String
    if let p = test.pValue {
      reading = "χ²(\(test.degreesOfFreedom)), p = \(pValue(p))"
    } else {
      reading = "none: \(count(test.targets, "target")) for \(count(test.parameters, "parameter"))"
    }
    return [
      .init(
        "Objective Q",
        "\(NumberFormat.value(facts.objective)) over \(count(test.targets, "target"))"),
      .init("Fit test", reading),
      .init("Parameters", NumberFormat.number(Double(data.parameters.count))),
      .init("Holdouts", NumberFormat.number(Double(data.holdouts.count))),
      .init("Replicates R", NumberFormat.number(Double(facts.replicates))),
      .init("Evaluations", NumberFormat.number(Double(facts.evaluations))),
      .init("Method", facts.method),
      .init("Searches", facts.searches.isEmpty ? "?" : facts.searches.joined(separator: "; ")),
      .model(version: facts.modelVersion, specification: facts.modelSpecification),
      .tool(version: facts.toolVersion),
      .init("Calibration SHA-256", NumberFormat.abbreviatedHash(facts.calibrationSHA256)),
      .checksums(data.problems),
    ]
  }

  /// The objective and its χ² reading, then the parameters.
  static func estimateSection(_ data: CalibrationData) -> ReportDocument.Section {
    var items = ReportDocument.Item.warnings(data.problems)
    items.append(.note(fitTestNote(data)))
    items.append(.table(parameterTable(data)))
    var note =
      "Standard errors: \(data.facts.standardErrors.isEmpty ? "as parameters.csv gives them" : data.facts.standardErrors)."
      + " The 95% interval is the estimate ± 1.96 se, shown as it is: it is not clipped to the "
      + "range the parameter was searched in, and where it reaches past the range the Note "
      + "column says so."
    let unidentified = data.parameters.filter { !$0.se.isFinite }.map(\.key)
    if !unidentified.isEmpty {
      note +=
        " Not identified (no standard error): \(unidentified.joined(separator: ", ")); the "
        + "targets do not pin \(unidentified.count == 1 ? "it" : "them") down, and the estimate "
        + "is only where the search stopped."
    }
    items.append(.note(note))
    return .init(heading: "The estimate", items: items)
  }

  /// What Q says about the fit as a whole.
  static func fitTestNote(_ data: CalibrationData) -> String {
    let test = fitTest(data)
    let q = NumberFormat.value(test.objective)
    var text =
      "At the estimate Q = \(q) over M = \(test.targets) targets with k = \(test.parameters) "
      + "estimated parameters. "
    if let p = test.pValue {
      let nu = test.degreesOfFreedom
      text +=
        "Under a correct model, with independent targets whose se are their sampling errors, Q "
        + "is approximately χ² with M − k = \(nu) degree\(nu == 1 ? "" : "s") of freedom "
        + "(expected value \(nu)): P(χ²(\(nu)) ≥ \(q)) = \(pValue(p)). "
      text +=
        p < 0.05
        ? "The targets are jointly further from the model than sampling error allows: the fit "
          + "is rejected at the 5% level (or the se understate the targets' uncertainty)."
        : "The fit is not rejected at the 5% level."
    } else {
      text +=
        "With no more targets than parameters (M − k = \(test.degreesOfFreedom)) the "
        + "parameters can in principle match every target, so Q is no test of the model."
    }
    let r = Double(data.facts.replicates)
    let noise = data.targets.reduce(0.0) { sum, m in
      m.simulatedSD.isFinite ? sum + m.simulatedSD * m.simulatedSD / (r * m.se * m.se) : sum
    }
    if r > 1, noise.isFinite {
      text +=
        " The simulated means carry simulation noise (sd/√R, R = \(data.facts.replicates)); on "
        + "its own it would add about \(NumberFormat.value(noise)) to Q in expectation, so the "
        + "reading is approximate when that is not small beside the degrees of freedom."
    }
    return text
  }

  /// Each parameter: range, estimate, se, 95% interval, identification and a note.
  static func parameterTable(_ data: CalibrationData) -> ReportDocument.Table {
    var rows: [[String]] = []
    for p in data.parameters {
      let interval =
        p.se.isFinite
        ? "\(NumberFormat.value(p.estimate - z95 * p.se)) – "
          + NumberFormat.value(p.estimate + z95 * p.se) : "–"
      rows.append([
        p.key, NumberFormat.value(p.lower), NumberFormat.value(p.upper),
        NumberFormat.value(p.estimate), NumberFormat.value(p.se), interval, p.identification,
        parameterNote(p),
      ])
    }
    return ReportDocument.Table(
      caption: "Estimates (parameters.csv); hover a key for its meaning",
      columns: [
        "Parameter", "Lower", "Upper", "Estimate", "SE", "95% interval", "Identification", "Note",
      ], rows: rows, numeric: [false, true, true, true, true, true, false, false],
      cellTitles: data.parameters.map {
        [ConfigurationKeys.key($0.key)?.summary ?? "", "", "", "", "", "", "", ""]
      })
  }

  /// Whether the estimate sits at a bound of its range (within 1% of the range), where the
  /// minimum may lie outside it, and whether its interval reaches past the range.
  static func parameterNote(_ p: CalibrationData.Parameter) -> String {
    let span = p.upper - p.lower
    var notes: [String] = []
    if span > 0, p.estimate.isFinite {
      if p.estimate - p.lower <= 0.01 * span {
        notes.append("at the lower bound: the minimum may lie below the range")
      } else if p.upper - p.estimate <= 0.01 * span {
        notes.append("at the upper bound: the minimum may lie above the range")
      }
    }
    if p.se.isFinite
      && (p.estimate - z95 * p.se < p.lower || p.estimate + z95 * p.se > p.upper)
    {
      notes.append("the interval reaches past the range")
    }
    return notes.joined(separator: "; ")
  }
}
