import Foundation
import Testing

@testable import TalentFlow

// Writes analysis folders in the format of `talentflow sensitivity` (manifest.json, design.csv,
// runs.csv, indices.csv and S2.csv) from the Swift designs and estimators, for
// .ci/salib-check.py to compare with SALib. Skipped unless TALENTFLOW_SALIB_DIR names the
// folder to write into; then, for example:
//
//   TALENTFLOW_SALIB_DIR=/tmp/salib swift test --filter SensitivitySALibExportTests
//   for d in /tmp/salib/*/; do python3 .ci/salib-check.py "$d"; done

private let exportFolder = ProcessInfo.processInfo.environment["TALENTFLOW_SALIB_DIR"]

/// One measure: its name and its value at a scaled point for a replicate.
private typealias Measure = (name: String, value: ([Double], Int) -> Double)

/// A number as the CSV files write it: shortest round-trip text, empty for NaN.
private func field(_ x: Double) -> String { x.isNaN ? "" : "\(x)" }

/// Writes manifest.json, design.csv and runs.csv, and returns each measure's point means.
private func writeRuns(
  to folder: URL, analysis: [String: Any], keys: [String], rows: [[Double]],
  measures: [Measure], replicates: Int
) throws -> [[Double]] {
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  var analysis = analysis
  analysis["measures"] = measures.map(\.name)
  let manifest = try JSONSerialization.data(
    withJSONObject: ["analysis": analysis], options: [.prettyPrinted, .sortedKeys])
  try manifest.write(to: folder.appendingPathComponent("manifest.json"))
  var design = "point," + keys.joined(separator: ",") + "\n"
  var runs = "run,point,replicate,seed," + measures.map(\.name).joined(separator: ",") + "\n"
  var means = [[Double]](repeating: [], count: measures.count)
  for (p, row) in rows.enumerated() {
    design += "\(p + 1)," + row.map(field).joined(separator: ",") + "\n"
    var sums = [Double](repeating: 0, count: measures.count)
    for r in 0..<replicates {
      let run = p * replicates + r + 1
      let values = measures.map { $0.value(row, r) }
      runs += "\(run),\(p + 1),\(r + 1),\(1000 + run)," + values.map(field).joined(separator: ",")
      runs += "\n"
      for m in values.indices { sums[m] += values[m] }
    }
    for m in measures.indices { means[m].append(sums[m] / Double(replicates)) }
  }
  try design.write(
    to: folder.appendingPathComponent("design.csv"), atomically: true, encoding: .utf8)
  try runs.write(to: folder.appendingPathComponent("runs.csv"), atomically: true, encoding: .utf8)
  return means
}

/// The JSON of the parameters' keys and ranges.
private func parameterJSON(_ keys: [String], _ ranges: [SensitivityRange]) -> [[String: Any]] {
  zip(keys, ranges).map { ["key": $0, "lower": $1.lower, "upper": $1.upper] }
}

/// The Ishigami function with a replicate's noise of ±0.25 that the point mean cancels.
private func noisyIshigami(_ x: [Double], _ replicate: Int) -> Double {
  let y = sin(x[0]) + 7 * sin(x[1]) * sin(x[1]) + 0.1 * pow(x[2], 4) * sin(x[0])
  return y + (replicate == 0 ? 0.25 : -0.25)
}

@Suite("Sensitivity folders for .ci/salib-check.py", .enabled(if: exportFolder != nil))
struct SensitivitySALibExportTests {
  @Test(
    "writes Sobol' folders (with and without second order) of Ishigami measures",
    arguments: [true, false])
  func writeSobol(secondOrder: Bool) throws {
    let root = URL(fileURLWithPath: try #require(exportFolder))
    let folder = root.appendingPathComponent(secondOrder ? "ishigami-sobol2" : "ishigami-sobol1")
    let keys = ["ishigami.x1", "ishigami.x2", "ishigami.x3"]
    let ranges = [SensitivityRange](
      repeating: SensitivityRange(lower: -Double.pi, upper: Double.pi), count: 3)
    let n = secondOrder ? 1024 : 512
    let design = try SaltelliDesign(parameters: 3, baseSamples: n, secondOrder: secondOrder)
    let rows = try design.scaledRows(ranges)
    let measures: [Measure] = [
      ("ishigami", noisyIshigami),
      ("scaled", { x, r in 1000 + 50 * noisyIshigami(x, r) }),
      ("x3_only", { x, _ in x[2] * x[2] }),
      ("constant", { _, _ in 0.1 }),
    ]
    let resamples = 100
    let means = try writeRuns(
      to: folder,
      analysis: [
        "method": "sobol", "samples": n, "secondOrder": secondOrder, "resamples": resamples,
        "confidenceLevel": 0.95, "parameters": parameterJSON(keys, ranges),
      ], keys: keys, rows: rows, measures: measures, replicates: 2)
    var indices = "measure,parameter,S1,S1_conf,ST,ST_conf\n"
    var s2 = "measure,parameter_1,parameter_2,S2,S2_conf\n"
    for (m, measure) in measures.enumerated() {
      let result = try SobolAnalysis.analyze(
        outputs: means[m], parameters: 3, baseSamples: n, secondOrder: secondOrder,
        bootstrap: BootstrapOptions(resamples: resamples, seed: 77, measure: m), threads: 2)
      for (j, p) in result.parameters.enumerated() {
        let values = [p.firstOrder, p.firstOrderConfidence, p.totalOrder, p.totalOrderConfidence]
        indices += "\(measure.name),\(keys[j])," + values.map(field).joined(separator: ",") + "\n"
      }
      for pair in result.pairs {
        s2 +=
          "\(measure.name),\(keys[pair.first]),\(keys[pair.second]),"
          + "\(field(pair.secondOrder)),\(field(pair.secondOrderConfidence))\n"
      }
    }
    try indices.write(
      to: folder.appendingPathComponent("indices.csv"), atomically: true, encoding: .utf8)
    if secondOrder {
      try s2.write(to: folder.appendingPathComponent("S2.csv"), atomically: true, encoding: .utf8)
    }
  }

  @Test(
    "writes a Morris folder of a linear, an interacting and a nonlinear measure",
    arguments: [4, 6])
  func writeMorris(levels: Int) throws {
    let root = URL(fileURLWithPath: try #require(exportFolder))
    let folder = root.appendingPathComponent("morris-p\(levels)")
    let keys = ["firms.a", "firms.b", "macro.c", "macro.d"]
    let ranges = SensitivityMathTests.morrisRanges
    let trajectories = 25
    let design = try MorrisDesign(
      parameters: 4, levels: levels, trajectories: trajectories, seed: 5)
    let rows = try design.scaledRows(ranges)
    let measures: [Measure] = [
      ("linear", { x, r in 3 * x[0] - 0.5 * x[1] + 2 * x[2] + (r == 0 ? 1e-3 : -1e-3) }),
      ("interaction", { x, _ in x[0] + x[1] * x[3] + x[2] }),
      ("nonlinear", { x, _ in exp(x[0]) * sin(x[1]) + x[3] * x[3] * x[2] }),
    ]
    let resamples = 500
    let means = try writeRuns(
      to: folder,
      analysis: [
        "method": "morris", "levels": levels, "trajectories": trajectories,
        "resamples": resamples, "confidenceLevel": 0.9, "parameters": parameterJSON(keys, ranges),
      ], keys: keys, rows: rows, measures: measures, replicates: 2)
    var indices = "measure,parameter,mu,mu_star,sigma,mu_star_conf\n"
    for (m, measure) in measures.enumerated() {
      let result = try MorrisAnalysis.analyze(
        rows: rows, outputs: means[m], levels: levels,
        bootstrap: BootstrapOptions(
          resamples: resamples, confidenceLevel: 0.9, seed: 78, measure: m))
      for (j, p) in result.enumerated() {
        let values = [p.mu, p.muStar, p.sigma, p.muStarConfidence]
        indices += "\(measure.name),\(keys[j])," + values.map(field).joined(separator: ",") + "\n"
      }
    }
    try indices.write(
      to: folder.appendingPathComponent("indices.csv"), atomically: true, encoding: .utf8)
  }
}
