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

  /// The comment at the top of every standalone SVG a report writes.
  static let generatorComment = "<!-- Generator: talentflow report -->"

  /// Writes a built document.
  ///
  /// Every file it would replace is checked first, and nothing is written if any of them is
  /// not a page or chart TalentFlow wrote: `--out notes.txt` must not cost anyone their notes.
  public static func write(_ document: ReportDocument, page: URL, svgFolder: URL?) throws -> Written
  {
    let svgNames = document.charts.enumerated().map { k, chart in
      String(format: "%02d-", k + 1) + chart.id + ".svg"
    }
    try checkReplaceable(page, marker: "<meta name=\"generator\" content=\"talentflow ")
    if let svgFolder {
      for name in svgNames {
        try checkReplaceable(svgFolder.appendingPathComponent(name), marker: generatorComment)
      }
    }
    let pageFolder = page.deletingLastPathComponent()
    try createFolder(pageFolder)
    let html = HTMLPage.render(document, relativeTo: pageFolder)
    try FileSystem.writeAtomically(Data(html.utf8), to: page)
    var svgFiles: [URL] = []
    if let svgFolder {
      try createFolder(svgFolder)
      for (chart, name) in zip(document.charts, svgNames) {
        let url = svgFolder.appendingPathComponent(name)
        try FileSystem.writeAtomically(Data(chart.standaloneSVG.utf8), to: url)
        svgFiles.append(url)
      }
    }
    return Written(page: page, svgFiles: svgFiles, charts: document.charts.count)
  }

  /// Refuses to replace anything at `url` but a regular file whose first 4 KiB hold `marker`.
  private static func checkReplaceable(_ url: URL, marker: String) throws(RunFolderError) {
    var status = stat()
    guard lstat(url.path, &status) == 0 else { return }
    let what: String
    switch status.st_mode & S_IFMT {
    case S_IFREG:
      let head = FileHandle(forReadingAtPath: url.path).flatMap { handle in
        defer { try? handle.close() }
        return try? handle.read(upToCount: 4096)
      }
      if let head, String(decoding: head, as: UTF8.self).contains(marker) { return }
      what = "a file TalentFlow did not write"
    case S_IFDIR: what = "a folder"
    case S_IFLNK: what = "a symbolic link"
    default: what = "a special file"
    }
    throw .wouldReplace(
      path: url.path, what: what,
      rule: "a report replaces only a page or chart that a TalentFlow report wrote")
  }

  private static func createFolder(_ url: URL) throws(RunFolderError) {
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      throw .fileSystem(.cannotCreate(path: url.path, reason: FileSystem.reason(error)))
    }
  }
}
