import Foundation
import TalentFlow

let reportCommand = Command(
  name: "report",
  summary:
    "Write a self-contained HTML report of a run, comparison, sweep, sensitivity or calibration.",
  usage: """
    talentflow report DIR [--out FILE.html] [--svg SVGDIR] [--series c1,c2,…] [--quiet]
    """,
  about: """
    Reads a run folder (manifest.json, timeseries.csv, flows.csv and firms.csv if present), a
    comparison folder (manifest.json, difference.csv, summary.csv), a sweep folder
    (manifest.json, design.csv, runs.csv, summary.csv), a sensitivity folder (manifest.json,
    design.csv, runs.csv, indices.csv) or a calibration folder (manifest.json, parameters.csv,
    fit.csv, trace.csv) and writes one HTML file with inline SVG charts and CSS:
    no script, no web font, no network, so it opens offline in any browser.
    Hover a chart for its values. The report is derived from the data files and is not listed
    in the folder's manifest.json.
    """,
  positionals: [
    .init(
      label: "DIR",
      help:
        "A folder written by `talentflow run`, `compare`, `sweep`, `sensitivity` or `calibrate`.")
  ],
  options: [
    Option(.out, .path("FILE.html"), "Where to write the page (default: DIR/report.html)."),
    Option(
      .svg, .path("SVGDIR"),
      """
      Also write each chart as a standalone SVG file (for papers), named
      01-employment.svg, 02-moves-per-year.svg, …
      """),
    Option(
      .series, .text("c1,c2,…"),
      """
      Comparisons and sweeps: the timeseries.csv columns to chart
      (defaults: a comparison charts employed_startup, employed_bigtech,
      unemployed, firms_startup, moves_bigtech_to_startup,
      moves_startup_to_bigtech, foundings, startups_failed; a sweep
      employed_startup, moves_bigtech_to_startup, firms_startup,
      unemployed).
      """),
    Option(.quiet, "Print nothing on success."),
  ],
  run: { arguments in
    guard arguments.positionals.count == 1, let folderPath = arguments.positionals.first else {
      throw UsageError("expected one folder, got \(arguments.positionals.count)")
    }
    let folder = URL(fileURLWithPath: folderPath, isDirectory: true)
    let page = URL(
      fileURLWithPath: arguments.value(.out) ?? folder.appendingPathComponent("report.html").path)
    let svgFolder = arguments.value(.svg).map { URL(fileURLWithPath: $0, isDirectory: true) }
    let series = try arguments.value(.series).map(parseSeries)
    if series != nil {
      let kind = try ReportKind.detect(folder: folder)
      if kind != .comparison && kind != .sweep {
        throw UsageError(
          "--series applies to comparison and sweep folders; \(folderPath) is a \(kind.rawValue) "
            + "folder")
      }
    }
    let written = try ReportWriter.write(
      folder: folder, page: page, svgFolder: svgFolder, series: series)
    if !arguments.has(.quiet) {
      print("Wrote \(written.page.path) (\(written.charts) charts)")
      if let svgFolder {
        print("Wrote \(written.svgFiles.count) SVG files to \(svgFolder.path)/")
      }
    }
    return ExitCode.success
  })

/// The columns of `--series`: known timeseries columns other than tick and year.
func parseSeries(_ text: String) throws -> [String] {
  let allowed = Timeseries.columns.filter { $0 != "tick" && $0 != "year" }
  let names = text.split(separator: ",").map {
    String($0).trimmingCharacters(in: .whitespaces)
  }
  guard !names.isEmpty else { throw UsageError("--series needs at least one column") }
  for name in names where !allowed.contains(name) {
    let hint = didYouMean(name, among: allowed)
    throw UsageError(
      "--series: \(name) is not a timeseries.csv column\(hint); columns: "
        + allowed.joined(separator: ", "))
  }
  return names
}
