import Foundation

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
