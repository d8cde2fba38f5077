import Foundation
import Testing

@testable import TalentFlow

/// Runs `talentflow` with the tests' shared helper; returns the exit code, stdout and stderr.
private func talentflow(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
  let outcome = try TalentflowProcess.run(arguments)
  return (outcome.status, outcome.stdout, outcome.stderr)
}

@Suite("talentflow report")
struct ReportCommandTests {
  @Test func runWithReportThenReportElsewhere() throws {
    let folder = try TestFolder.make("report-cli")
    defer { TestFolder.remove(folder) }
    let run = folder.appendingPathComponent("run").path
    let result = try talentflow([
      "run", "--set", "population.size=1500", "--set", "firms.startups=60", "--ticks", "24",
      "--set", "time.warmup=12", "--out", run, "--quiet", "--report",
    ])
    #expect(result.status == 0, "\(result.err)")
    #expect(result.out.isEmpty && result.err.isEmpty)
    let contents = try FileManager.default.contentsOfDirectory(atPath: run).sorted()
    #expect(
      contents == ["firms.csv", "flows.csv", "manifest.json", "report.html", "timeseries.csv"])
    // report.html is derived: the manifest lists only the data files it checksums.
    let manifest = try Configuration.readJSON(file: run + "/manifest.json")
    let listed = manifest["files"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
    #expect(listed == ["timeseries.csv", "flows.csv", "firms.csv"])
    let page = try String(contentsOfFile: run + "/report.html", encoding: .utf8)
    #expect(parseXML(page).error == nil)

    let other = folder.appendingPathComponent("pages/run.html").path
    let svg = folder.appendingPathComponent("figures").path
    let report = try talentflow(["report", run, "--out", other, "--svg", svg])
    #expect(report.status == 0, "\(report.err)")
    #expect(report.out == "Wrote \(other) (10 charts)\nWrote 10 SVG files to \(svg)/\n")
    let figures = try FileManager.default.contentsOfDirectory(atPath: svg).sorted()
    #expect(figures.first == "01-employment.svg" && figures.count == 10)
    for figure in figures {
      let text = try String(contentsOfFile: svg + "/" + figure, encoding: .utf8)
      #expect(parseXML(text).error == nil, "\(figure)")
    }
    let moved = try String(contentsOfFile: other, encoding: .utf8)
    #expect(moved.contains("href=\"../run/manifest.json\""))

    // Writing them again replaces them; a file TalentFlow did not write is never replaced, and
    // nothing at all is written then.
    let again = try talentflow(["report", run, "--out", other, "--svg", svg, "--quiet"])
    #expect(again.status == 0, "\(again.err)")
    let notes = folder.appendingPathComponent("notes.txt").path
    try Data("my notes\n".utf8).write(to: URL(fileURLWithPath: notes))
    let refused = try talentflow(["report", run, "--out", notes])
    #expect(refused.status == 73)
    #expect(refused.err.contains("cannot write \(notes): it is a file TalentFlow did not write"))
    #expect(try String(contentsOfFile: notes, encoding: .utf8) == "my notes\n")
    let own = svg + "/01-employment.svg"
    try Data("<svg>mine</svg>".utf8).write(to: URL(fileURLWithPath: own))
    let fresh = folder.appendingPathComponent("fresh.html").path
    let svgRefused = try talentflow(["report", run, "--out", fresh, "--svg", svg])
    #expect(svgRefused.status == 73)
    #expect(try String(contentsOfFile: own, encoding: .utf8) == "<svg>mine</svg>")
    #expect(!FileManager.default.fileExists(atPath: fresh))
  }

  @Test func sweepReport() throws {
    let folder = try TestFolder.make("report-cli-sweep")
    defer { TestFolder.remove(folder) }
    let spec = folder.appendingPathComponent("tiny.json")
    try Data(
      """
      {"name": "tiny", "ticks": 12, "set": {"population.size": 500, "firms.startups": 20},
       "grid": {"policy.nonCompete": [0, 1]}, "replicates": {"count": 2, "baseSeed": 1}}
      """.utf8
    ).write(to: spec)
    let out = folder.appendingPathComponent("sweep").path
    let sweep = try talentflow(["sweep", spec.path, "--out", out, "--workers", "2"])
    #expect(sweep.status == 0, "\(sweep.err)")
    let report = try talentflow(["report", out, "--series", "employed_startup,unemployed"])
    #expect(report.status == 0, "\(report.err)")
    // The headline measures, then per column an overlay and one panel per design point.
    let charts = RunMeasures.headline.count + 2 * (1 + 2)
    #expect(report.out == "Wrote \(out)/report.html (\(charts) charts)\n")
    let page = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
    #expect(parseXML(page).error == nil)
    #expect(page.contains("TalentFlow · sweep report"))

    let typo = try talentflow(["report", out, "--series", "employed_startups"])
    #expect(typo.status == 64)
    #expect(
      typo.err.contains(
        "employed_startups is not a timeseries.csv column (did you mean employed_startup?)"))
  }

  @Test func comparisonReport() throws {
    let folder = try TestFolder.make("report-cli-compare")
    defer { TestFolder.remove(folder) }
    let out = folder.appendingPathComponent("compare").path
    let scenarios = TalentflowProcess.packageRoot.appendingPathComponent("configs/scenarios")
    let compare = try talentflow([
      "compare", scenarios.appendingPathComponent("baseline.json").path,
      scenarios.appendingPathComponent("noncompete-ban.json").path,
      "--replicates", "2", "--ticks", "12", "--set", "population.size=500",
      "--set", "firms.startups=20", "--out", out,
    ])
    #expect(compare.status == 0, "\(compare.err)")
    let report = try talentflow(["report", out, "--series", "unemployed,foundings"])
    #expect(report.status == 0, "\(report.err)")
    #expect(report.out == "Wrote \(out)/report.html (2 charts)\n")
    let page = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
    #expect(parseXML(page).error == nil)
    #expect(page.contains("TalentFlow · comparison report"))
    #expect(page.contains("<h1>noncompete-ban − baseline</h1>"))
  }

  @Test func badInputIsADataErrorNamingTheProblem() throws {
    let folder = try TestFolder.make("report-cli-bad")
    defer { TestFolder.remove(folder) }
    let missing = try talentflow(["report", folder.appendingPathComponent("nope").path])
    #expect(missing.status == 65)
    #expect(missing.err.contains("nope: is not a folder"))

    let run = try writeSyntheticRun(in: folder.appendingPathComponent("run"), ticks: 12)
    let flows = run.appendingPathComponent("flows.csv")
    try Data("tick,from,to,reason,count\n1,bigtech,startup,quit,1\n".utf8).write(to: flows)
    let bad = try talentflow(["report", run.path])
    #expect(bad.status == 65)
    #expect(bad.err.contains("flows.csv: line 2, column reason: \"quit\" is not one of voluntary"))
    #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("report.html").path))

    let usage = try talentflow(["report"])
    #expect(usage.status == 64)
    #expect(usage.err.contains("expected one folder"))
    let notSweep = try talentflow(["report", run.path, "--series", "unemployed"])
    #expect(notSweep.status == 64)
    #expect(notSweep.err.contains("--series applies to comparison and sweep folders"))
    let unknown = try talentflow(["report", run.path, "--outt", "x.html"])
    #expect(unknown.status == 64)
    #expect(unknown.err.contains("did you mean --out?"))
  }
}
