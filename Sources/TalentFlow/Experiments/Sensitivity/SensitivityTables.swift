import Foundation

/// Writes a finished sensitivity analysis's tables and manifest from its plan and its runs'
/// results: `design.csv`, `runs.csv`, `indices.csv`, `S2.csv` (Sobol with second order),
/// `failures.csv` when runs failed, and, last, `manifest.json`.
///
/// Indices are computed on the mean over replicates of each design point's measures. They need
/// every design point, so an analysis with failed runs writes no `indices.csv` (nor `S2.csv`)
/// until `--resume` has retried them; `failures.csv` says which runs failed and why.
enum SensitivityTables {
  @discardableResult
  static func write(
    plan: SweepPlan, analysis: SensitivityAnalysis, into folder: URL,
    result: (SweepRun) throws(SweepError) -> SweepRunResult
  ) throws(SweepError) -> [SweepFailure] {
    var files: [OutputFile] = []
    var failures: [SweepFailure] = []
    files.append(try SweepTables.writeDesign(plan: plan, into: folder))

    let measures = analysis.measures
    var runs = try AtomicCSV(folder.appendingPathComponent("runs.csv"))
    runs.buffer.header(["run", "point", "replicate", "seed"] + measures)
    // means[m][point − 1]: the mean over replicates of measure m at the design point.
    var means = [[Double]](
      repeating: [Double](repeating: 0, count: plan.points.count), count: measures.count)
    for point in 1...plan.points.count {
      var sums = [Double](repeating: 0, count: measures.count)
      var finished = 0
      for replicate in 1...plan.seeds.count {
        let run = plan.run((point - 1) * plan.seeds.count + replicate - 1)
        let values: [Double]
        switch try result(run) {
        case .failed(let message):
          failures.append(SweepFailure(run: run, message: message))
          continue
        case .finished(let bytes, let path):
          values = try SensitivityResult.parse(bytes, path: path, measures: measures)
        }
        finished += 1
        runs.buffer.field(run.id)
        runs.buffer.field(run.point)
        runs.buffer.field(run.replicate)
        runs.buffer.field(Int(run.seed))
        for (m, value) in values.enumerated() {
          runs.buffer.field(value)
          sums[m] += value
        }
        runs.buffer.endRow()
      }
      for m in measures.indices {
        means[m][point - 1] = finished == plan.seeds.count ? sums[m] / Double(finished) : .nan
      }
    }
    files.append(try runs.commit(name: "runs.csv"))

    let indicesURL = folder.appendingPathComponent("indices.csv")
    let pairsURL = folder.appendingPathComponent("S2.csv")
    try? FileManager.default.removeItem(at: indicesURL)
    try? FileManager.default.removeItem(at: pairsURL)
    if failures.isEmpty {
      let design = plan.points.map { row in row.map { $0.doubleValue ?? .nan } }
      files += try SensitivityIndices.write(
        analysis: analysis, design: design, means: means, into: folder)
    }
    let failuresURL = folder.appendingPathComponent("failures.csv")
    if failures.isEmpty {
      try? FileManager.default.removeItem(at: failuresURL)
    } else {
      files.append(try SweepTables.writeFailures(failures, plan: plan, to: failuresURL))
    }
    let manifest = manifestJSON(
      plan: plan, analysis: analysis, files: files, failed: failures.count)
    try SweepFiles.writeAtomically(
      Array((manifest.serialized(pretty: true) + "\n").utf8),
      to: folder.appendingPathComponent("manifest.json"))
    return failures
  }

  /// The analysis's `manifest.json`: versions, the plan's identity, the analysis and every
  /// file's SHA-256. Like a sweep's, nothing in it depends on the machine, the time or how the
  /// runs were split.
  static func manifestJSON(
    plan: SweepPlan, analysis: SensitivityAnalysis, files: [OutputFile], failed: Int
  ) -> JSONValue {
    var members: [(key: String, value: JSONValue)] = [
      ("tool", .string("talentflow")),
      ("toolVersion", .string(TalentFlowVersion.tool)),
      ("modelSpecification", .string("MODEL.md v\(TalentFlowVersion.modelSpecification)")),
      ("modelVersion", .string(TalentFlowVersion.model)),
      ("kind", .string("sensitivity")),
      ("name", .string(plan.name)),
      ("sweepSHA256", .string(plan.fingerprint)),
      ("designPoints", .number(Double(plan.points.count))),
      ("replicates", .number(Double(plan.seeds.count))),
      ("runs", .number(Double(plan.runCount))),
    ]
    if failed > 0 { members.append(("failedRuns", .number(Double(failed)))) }
    members += [
      ("parameters", .array(plan.parameters.map(JSONValue.string))),
      ("seeds", .array(plan.seeds.map { .number(Double($0)) })),
      ("analysis", analysis.json),
      (
        "indicesComputedOn",
        .string("the mean over replicates of each design point's measure")
      ),
      ("configuration", plan.base.resolvedJSON()),
      ("files", .array(files.map(\.json))),
    ]
    return .object(members)
  }
}
