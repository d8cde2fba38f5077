import Foundation

/// What a calibration report reads from a `talentflow calibrate` folder: the manifest,
/// `parameters.csv`, `fit.csv` and `trace.csv`.
///
/// The files are read as they are; nothing of the estimation is recomputed. What the report
/// derives (the χ² reading of the objective, the intervals, the running minimum) it derives
/// from these numbers. Every problem with a file names the file and the line and column, or
/// the manifest's key path.
public struct CalibrationData: Sendable {
  /// A parameter of the plan and the range it was estimated in.
  public struct Range: Sendable, Equatable {
    public var key: String
    public var lower: Double
    public var upper: Double
  }

  /// The manifest's facts.
  public struct Facts: Sendable, Equatable {
    public var name: String
    public var modelVersion: String
    public var modelSpecification: String
    public var toolVersion: String
    public var calibrationSHA256: String
    /// Evaluations of the objective, as the manifest counts them.
    public var evaluations: Int
    /// Q at the estimate.
    public var objective: Double
    /// How each Nelder–Mead search ended ("converged", "evaluation budget spent").
    public var searches: [String]
    /// How the standard errors were computed, in words.
    public var standardErrors: String
    /// R, the replicates every evaluation simulated (the plan's seeds).
    public var replicates: Int
    /// The plan's parameters with their ranges, in order.
    public var parameters: [Range]
    /// The optimizer's method ("nelder-mead").
    public var method: String
    public var files: [RunData.ManifestFile]
  }

  /// An estimated parameter, from `parameters.csv`.
  public struct Parameter: Sendable, Equatable {
    public var key: String
    public var lower: Double
    public var upper: Double
    public var estimate: Double
    /// The sandwich standard error; NaN when the parameter is not identified.
    public var se: Double
    /// "identified", or why there is no standard error.
    public var identification: String
  }

  /// A target or holdout moment at the estimate, from `fit.csv`.
  public struct Moment: Sendable, Equatable {
    public enum Role: String, Sendable, Equatable {
      /// Matched by the estimate.
      case target
      /// Not used by the estimation: an out-of-sample check.
      case holdout
    }

    public var measure: String
    /// The scenario file of a contrast, "" for a level.
    public var scenario: String
    /// "level", "difference" or "relative".
    public var contrast: String
    public var target: Double
    public var se: Double
    /// The mean over the replicates; NaN if it could not be simulated.
    public var simulated: Double
    /// The standard deviation over the replicates; NaN with one replicate.
    public var simulatedSD: Double
    /// (simulated − target) / se.
    public var z: Double
    public var role: Role
    public var source: String

    /// "measure", or "measure · scenario (contrast)" with the scenario's file name.
    public var label: String {
      guard !scenario.isEmpty else { return measure }
      let file = URL(fileURLWithPath: scenario).deletingPathExtension().lastPathComponent
      return "\(measure) · \(file) (\(contrast))"
    }
  }

  /// One evaluation of the objective, from `trace.csv`.
  public struct Evaluation: Sendable, Equatable {
    public var index: Int
    /// "lhs", "search-1", …, "estimate" or "jacobian".
    public var phase: String
    /// Q; +∞ when the evaluation failed or Q was not finite (an empty field).
    public var objective: Double
    public var failure: String
  }

  public var folder: URL
  public var facts: Facts
  public var parameters: [Parameter]
  /// Targets then holdouts, in `fit.csv` order.
  public var moments: [Moment]
  public var trace: [Evaluation]
  /// Disagreements between the files and the manifest, in words.
  public var problems: [String]

  /// The data files of a calibration folder, in the order the report links and checks them.
  static let tableNames = ["parameters.csv", "fit.csv", "trace.csv", "calibrated.json"]

  public var targets: [Moment] { moments.filter { $0.role == .target } }
  public var holdouts: [Moment] { moments.filter { $0.role == .holdout } }

  /// Reads a calibration folder.
  public static func load(folder: URL) throws(ReportError) -> CalibrationData {
    let facts = try readFacts(folder.appendingPathComponent("manifest.json"))
    var problems = RunData.verifyChecksums(
      folder: folder, files: facts.files, names: tableNames)
    let parameters = try readParameters(folder.appendingPathComponent("parameters.csv"))
    let moments = try readFit(folder.appendingPathComponent("fit.csv"))
    let trace = try readTrace(
      folder.appendingPathComponent("trace.csv"), keys: facts.parameters.map(\.key))
    if parameters.map(\.key) != facts.parameters.map(\.key) {
      problems.append(
        "parameters.csv lists \(parameters.map(\.key).joined(separator: ", ")); manifest.json's "
          + "plan estimates \(facts.parameters.map(\.key).joined(separator: ", ")).")
    }
    if trace.count != facts.evaluations {
      problems.append(
        "trace.csv has \(trace.count) evaluations; manifest.json says \(facts.evaluations).")
    }
    // Q is Σz² over the targets: a fit.csv that disagrees with the manifest was edited.
    let targets = moments.filter { $0.role == .target }
    let q = targets.reduce(0) { $0 + $1.z * $1.z }
    if !targets.isEmpty, facts.objective.isFinite,
      abs(q - facts.objective) > 1e-9 * max(1, abs(facts.objective))
    {
      problems.append(
        "the targets' z in fit.csv give Q = Σz² = \(NumberFormat.value(q)); manifest.json "
          + "says \(NumberFormat.value(facts.objective)).")
    }
    return CalibrationData(
      folder: folder, facts: facts, parameters: parameters, moments: moments, trace: trace,
      problems: problems)
  }
}
