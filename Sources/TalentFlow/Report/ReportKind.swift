import Foundation

/// The kinds of output folder a report can be made of, each recognised by its files.
///
/// A new kind of folder is a new case: the files that identify it
/// and a function that turns the folder into a `ReportDocument`. Charts, tables, the page and
/// the `--svg` files are shared.
public enum ReportKind: String, CaseIterable, Sendable {
  /// A `talentflow run` folder (MODEL 6).
  case run
  /// A `talentflow compare` folder (its manifest says `"command": "compare"`).
  case comparison
  /// A `talentflow sweep` folder (its manifest says `"kind": "sweep"`).
  case sweep
  /// A `talentflow sensitivity` folder (its manifest says `"kind": "sensitivity"`); its
  /// `indices.csv` may be missing when runs failed, so only the manifest identifies it then.
  case sensitivity
  /// A `talentflow calibrate` folder (its manifest says `"kind": "calibration"`).
  case calibration

  /// The files whose presence identifies the kind.
  public var identifyingFiles: [String] {
    switch self {
    case .run: return ["manifest.json", "timeseries.csv", "flows.csv"]
    case .comparison: return ["manifest.json", "difference.csv", "summary.csv"]
    case .sweep: return ["manifest.json", "design.csv", "runs.csv", "summary.csv"]
    case .sensitivity: return ["manifest.json", "design.csv", "runs.csv", "indices.csv"]
    case .calibration: return ["manifest.json", "parameters.csv", "fit.csv", "trace.csv"]
    }
  }

  /// Builds the report of a folder of this kind; `series` chooses the timeseries columns of
  /// a comparison or sweep report (nil: their defaults; the other kinds ignore it).
  public func document(folder: URL, series: [String]? = nil) throws(ReportError)
    -> ReportDocument
  {
    switch self {
    case .run:
      return RunReport.document(try RunData.load(folder: folder))
    case .comparison:
      return ComparisonReport.document(
        try ComparisonData.load(folder: folder, series: series ?? ComparisonData.defaultSeries))
    case .sweep:
      return SweepReport.document(
        try SweepData.load(folder: folder, series: series ?? SweepData.defaultSeries))
    case .sensitivity:
      return SensitivityReport.document(try SensitivityData.load(folder: folder))
    case .calibration:
      return CalibrationReport.document(try CalibrationData.load(folder: folder))
    }
  }

  /// The kind of `folder`: the manifest's `kind` (or the `command` that wrote it) if it names
  /// one, else the first kind whose identifying files are all present.
  public static func detect(folder: URL) throws(ReportError) -> ReportKind {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder),
      isFolder.boolValue
    else {
      throw ReportError(file: folder.path, message: "is not a folder")
    }
    let manifest = folder.appendingPathComponent("manifest.json")
    if let json = try? Configuration.readJSON(file: manifest.path),
      let declared = json["kind"]?.stringValue ?? json["command"]?.stringValue,
      let kind = ReportKind(rawValue: declared == "compare" ? "comparison" : declared)
    {
      return kind
    }
    for kind in allCases {
      let present = kind.identifyingFiles.allSatisfy {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
      }
      if present { return kind }
    }
    let known = allCases.map {
      "a \($0.rawValue) folder (\($0.identifyingFiles.joined(separator: ", ")))"
    }
    throw ReportError(
      file: folder.path,
      message:
        "is not a folder a report can be made of; expected \(known.joined(separator: " or "))")
  }
}
