import Foundation

/// What a sensitivity report reads from a `talentflow sensitivity` folder: the manifest (with
/// its `analysis`), `design.csv`, `runs.csv`, `indices.csv`, `S2.csv` and `failures.csv`.
///
/// The files are read here, as `SweepData` reads a sweep's; nothing of the analysis is
/// recomputed. `indices.csv` may be absent (the analysis needs every run, and some failed);
/// the report then says so rather than failing.
public struct SensitivityData: Sendable {
  /// How the indices were estimated.
  public enum Method: String, Sendable, Equatable {
    /// Morris elementary effects: μ, μ* and σ per parameter (Morris 1991; μ* of Campolongo,
    /// Cariboni & Saltelli 2007).
    case morris
    /// Sobol variance-based indices: first-order S1, total ST and, optionally, second-order
    /// S2 (Saltelli 2002; Saltelli et al. 2010).
    case sobol
  }

  /// A varied parameter: a configuration key and the range it was varied over.
  public struct Parameter: Sendable, Equatable {
    public var key: String
    public var lower: Double
    public var upper: Double
  }

  /// The manifest's `analysis`: the method, its settings, the parameters and the measures.
  public struct Analysis: Sendable, Equatable {
    public var method: Method
    /// Morris: the levels p of the grid and the trajectories r.
    public var levels: Int?
    public var trajectories: Int?
    /// Sobol: the base sample size N and whether second-order indices were computed.
    public var samples: Int?
    public var secondOrder: Bool
    /// Bootstrap resamples behind the intervals.
    public var resamples: Int?
    /// The level of the intervals (0.95).
    public var confidenceLevel: Double
    /// The seed of the sampling and the bootstrap, as the manifest writes it.
    public var seed: String?
    public var parameters: [Parameter]
    public var measures: [String]
  }

  /// The facts of the analysis, from its `manifest.json`.
  /// The manifest's facts: those every plan folder has (`PlanFacts`, read through `facts.name`
  /// and the like) and the analysis.
  @dynamicMemberLookup
  public struct Facts: Sendable, Equatable {
    public var plan: PlanFacts
    public var analysis: Analysis

    public subscript<T>(dynamicMember keyPath: KeyPath<PlanFacts, T>) -> T {
      plan[keyPath: keyPath]
    }
  }

  /// The Morris indices of one parameter for one measure (NaN: not computable).
  public struct MorrisIndex: Sendable, Equatable {
    public var parameter: String
    /// The mean elementary effect (signed: effects of both signs cancel in it).
    public var mu: Double
    /// The mean absolute elementary effect: how much the parameter matters.
    public var muStar: Double
    /// The standard deviation of the elementary effects: nonlinearity and interactions.
    public var sigma: Double
    /// The half-width of the bootstrap interval of μ*.
    public var muStarConf: Double
  }

  /// The Sobol indices of one parameter for one measure (NaN: not computable).
  public struct SobolIndex: Sendable, Equatable {
    public var parameter: String
    /// The first-order index: the share of the variance the parameter explains alone.
    public var s1: Double
    public var s1Conf: Double
    /// The total index: its share including every interaction.
    public var st: Double
    public var stConf: Double
  }

  /// The second-order Sobol index of a pair of parameters for one measure.
  public struct SecondOrderIndex: Sendable, Equatable {
    public var parameter1: String
    public var parameter2: String
    public var s2: Double
    public var s2Conf: Double
  }

  /// The indices of one measure, one entry per parameter in the manifest's order.
  public enum Indices: Sendable, Equatable {
    case morris([MorrisIndex])
    /// First-order and total indices; the pairs of `S2.csv` (nil when it is absent).
    case sobol([SobolIndex], secondOrder: [SecondOrderIndex]?)
  }

  /// A measure over the runs that finished, from `runs.csv`.
  public struct MeasureValues: Sendable, Equatable {
    public var name: String
    /// One per run, in `runs.csv` order; NaN where the run has no value.
    public var values: [Double]
  }

  /// A failed run, from `failures.csv`.
  public struct Failure: Sendable, Equatable {
    public var run: String
    public var point: String
    public var message: String
  }

  public var folder: URL
  public var facts: Facts
  /// The design points of `design.csv`.
  public var designPoints: Int
  /// Every measure of the manifest, in its order, with its values over the finished runs.
  public var measures: [MeasureValues]
  /// Per measure, in the manifest's order; nil when `indices.csv` is absent.
  public var indices: [Indices]?
  /// The runs of `failures.csv` (empty when there is none).
  public var failures: [Failure]
  /// Disagreements between the files and the manifest, in words.
  public var problems: [String]

  /// The data files of a sensitivity folder, in the order the report links and checks them.
  static let tableNames = ["design.csv", "runs.csv", "indices.csv", "S2.csv", "failures.csv"]

  /// Reads a sensitivity folder.
  public static func load(folder: URL) throws(ReportError) -> SensitivityData {
    let facts = try readFacts(folder.appendingPathComponent("manifest.json"))
    let analysis = facts.analysis
    var problems = RunData.verifyChecksums(
      folder: folder, files: facts.files, names: tableNames)
    let design = try readDesign(
      folder.appendingPathComponent("design.csv"), keys: analysis.parameters.map(\.key),
      problems: &problems)
    let measures = try readRuns(
      folder.appendingPathComponent("runs.csv"), measures: analysis.measures)
    let failuresURL = folder.appendingPathComponent("failures.csv")
    let failures = exists(failuresURL) ? try readFailures(failuresURL) : []
    let indicesURL = folder.appendingPathComponent("indices.csv")
    var indices: [Indices]? = nil
    if exists(indicesURL) {
      let (read, missing) = try readIndices(indicesURL, analysis: analysis)
      if missing > 0 {
        problems.append(
          "indices.csv has no row for \(missing) of the "
            + "\(analysis.measures.count * analysis.parameters.count) pairs of a measure and a "
            + "parameter; they are shown as not computable.")
      }
      indices = read
      let s2URL = folder.appendingPathComponent("S2.csv")
      if analysis.method == .sobol, exists(s2URL) {
        let pairs = try readSecondOrder(s2URL, analysis: analysis)
        indices = read.enumerated().map { m, entry in
          guard case .sobol(let first, _) = entry else { return entry }
          return .sobol(first, secondOrder: pairs[m])
        }
      } else if analysis.method == .sobol, analysis.secondOrder {
        problems.append(
          "manifest.json says the analysis has second-order indices, but S2.csv is missing.")
      }
    }
    if facts.designPoints != design {
      problems.append(
        "design.csv has \(design) design points; manifest.json says \(facts.designPoints).")
    }
    let runCount = measures.first?.values.count ?? 0
    if facts.runs - facts.failedRuns != runCount {
      let failed = facts.failedRuns > 0 ? " of which \(facts.failedRuns) failed" : ""
      problems.append("runs.csv has \(runCount) runs; manifest.json says \(facts.runs)\(failed).")
    }
    if failures.count != facts.failedRuns {
      problems.append(
        "failures.csv lists \(failures.count) failed runs; manifest.json says "
          + "\(facts.failedRuns).")
    }
    return SensitivityData(
      folder: folder, facts: facts, designPoints: design, measures: measures, indices: indices,
      failures: failures, problems: problems)
  }

  private static func exists(_ url: URL) -> Bool {
    FileManager.default.fileExists(atPath: url.path)
  }
}
