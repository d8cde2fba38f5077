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

  /// The files whose presence identifies the kind.
  public var identifyingFiles: [String] {
    switch self {
    case .run: return ["manifest.json", "timeseries.csv", "flows.csv"]
    case .comparison: return ["manifest.json", "difference.csv", "summary.csv"]
    case .sweep: return ["manifest.json", "design.csv", "runs.csv", "summary.csv"]
    }
  }

  /// Builds the report of a folder of this kind; `series` chooses the timeseries columns of
  /// a comparison or sweep report (nil: their defaults).
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

/// Writes a report: the HTML page and, optionally, each chart as its own SVG file.
public enum ReportWriter {
  /// What was written.
  public struct Written: Sendable {
    public var page: URL
    public var svgFiles: [URL]
    public var charts: Int
  }

  /// Detects the folder's kind, builds its report and writes it.
  ///
  /// The page goes to `page` and, with `svgFolder`, each chart to its own SVG file. Each file
  /// is written to a temporary name and renamed, so a reader never sees a half-written page.
  public static func write(folder: URL, page: URL, svgFolder: URL?, series: [String]? = nil)
    throws -> Written
  {
    let kind = try ReportKind.detect(folder: folder)
    let document = try kind.document(folder: folder, series: series)
    return try write(document, page: page, svgFolder: svgFolder)
  }

  /// Writes a built document.
  public static func write(_ document: ReportDocument, page: URL, svgFolder: URL?) throws -> Written
  {
    let pageFolder = page.deletingLastPathComponent()
    try createFolder(pageFolder)
    let html = HTMLPage.render(document, relativeTo: pageFolder)
    try RunFolder.writeAtomically(Data(html.utf8), to: page)
    var svgFiles: [URL] = []
    if let svgFolder {
      try createFolder(svgFolder)
      for (k, chart) in document.charts.enumerated() {
        let name = String(format: "%02d-", k + 1) + chart.id + ".svg"
        let url = svgFolder.appendingPathComponent(name)
        try RunFolder.writeAtomically(Data(chart.standaloneSVG.utf8), to: url)
        svgFiles.append(url)
      }
    }
    return Written(page: page, svgFiles: svgFiles, charts: document.charts.count)
  }

  private static func createFolder(_ url: URL) throws(RunFolderError) {
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      throw .cannotCreate(path: url.path, reason: (error as NSError).localizedDescription)
    }
  }
}
