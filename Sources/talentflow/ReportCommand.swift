import Foundation
import TalentFlow

let reportCommand = Command(
  name: "report",
  summary: "Write a self-contained HTML report (charts, headline measures) of a run folder.",
  help: """
    USAGE: talentflow report DIR [--out FILE.html] [--svg SVGDIR] [--quiet]

    Reads a run folder (manifest.json, timeseries.csv, flows.csv and firms.csv if present) and
    writes one HTML file with inline SVG charts and CSS: no script, no web font, no network, so
    it opens offline in any browser. Hover a chart for its values. The report is derived from
    the data files and is not listed in the folder's manifest.json.

    ARGUMENTS:
      DIR                  A run folder written by `talentflow run`.

    OPTIONS:
      --out FILE.html      Where to write the page (default: DIR/report.html).
      --svg SVGDIR         Also write each chart as a standalone SVG file (for papers), named
                           01-employment.svg, 02-moves-per-year.svg, …
      --quiet              Print nothing on success.
    """,
  run: { args in
    let arguments = try Arguments(args, options: ["out", "svg"], flags: ["quiet"])
    guard arguments.positionals.count == 1, let folderPath = arguments.positionals.first else {
      throw UsageError("expected one folder, got \(arguments.positionals.count)")
    }
    let folder = URL(fileURLWithPath: folderPath, isDirectory: true)
    let page = URL(
      fileURLWithPath: arguments.value("out") ?? folder.appendingPathComponent("report.html").path)
    let svgFolder = arguments.value("svg").map { URL(fileURLWithPath: $0, isDirectory: true) }
    do {
      let written = try ReportWriter.write(folder: folder, page: page, svgFolder: svgFolder)
      if !arguments.has("quiet") {
        print("Wrote \(written.page.path) (\(written.charts) charts)")
        if let svgFolder {
          print("Wrote \(written.svgFiles.count) SVG files to \(svgFolder.path)/")
        }
      }
      return Exit.success
    } catch let error as ReportError {
      printError("talentflow report: \(error)")
      return Exit.dataError
    }
  })
