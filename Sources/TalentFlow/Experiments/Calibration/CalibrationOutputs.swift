import Foundation

/// The files of a finished calibration (README, "Calibration"):
///
/// - `calibrated.json`: a configuration that `extends` the base with the specification's
///   `ticks` and `set` and the estimates (a list element estimated writes its whole list), which
///   `talentflow run` takes as it is;
/// - `parameters.csv`: `key,lower,upper,estimate,se,identification`;
/// - `fit.csv`: `measure,scenario,contrast,target,se,simulated,simulated_sd,z,role,source`, the
///   targets (role `target`) and the out-of-sample holdouts (role `holdout`) at the estimate;
/// - `trace.csv`: every evaluation, `evaluation,phase,<parameters>,objective,failure`;
/// - `jacobian.csv`: `measure,scenario,contrast,parameter,derivative,scaled`, one row per
///   target and parameter: the slope of the mean moment at the estimate and the same slope in
///   the target's standard errors over the parameter's whole range (which targets pin which
///   parameter); no rows when the Jacobian could not be computed;
/// - `manifest.json`: the plan, the estimate and every file's SHA-256, written last.
///
/// Nothing in them depends on the machine, the time or the number of workers.
enum CalibrationOutputs {
  static let tableNames = [
    "calibrated.json", "parameters.csv", "fit.csv", "trace.csv", "jacobian.csv",
  ]

  static func write(_ result: CalibrationSearch.Result, plan: CalibrationPlan, into folder: URL)
    throws(SweepError) -> [OutputFile]
  {
    var files: [OutputFile] = []
    let calibrated = Array((calibratedJSON(result, plan: plan, folder: folder).serialized(pretty: true) + "\n").utf8)
    try SweepFiles.writeAtomically(calibrated, to: folder.appendingPathComponent("calibrated.json"))
    files.append(
      OutputFile(
        name: "calibrated.json", rows: 0, bytes: calibrated.count,
        sha256: SHA256.hexDigest(calibrated)))
    files.append(try writeParameters(result, plan: plan, into: folder))
    files.append(try writeFit(result, plan: plan, into: folder))
    files.append(try writeTrace(result, plan: plan, into: folder))
    files.append(try writeJacobian(result, plan: plan, into: folder))
    let manifest = manifestJSON(result, plan: plan, files: files)
    try SweepFiles.writeAtomically(
      Array((manifest.serialized(pretty: true) + "\n").utf8),
      to: folder.appendingPathComponent("manifest.json"))
    return files
  }

  /// The configuration at the estimate, as a file over the base.
  static func calibratedJSON(
    _ result: CalibrationSearch.Result, plan: CalibrationPlan, folder: URL
  ) -> JSONValue {
    let spec = plan.specification
    var pairs: [(path: String, value: JSONValue)] = [
      ("name", .string("\(plan.name)-calibrated")),
      (
        "description",
        .string(
          "The base with \(plan.parameters.count) parameters estimated by talentflow calibrate "
            + "\(plan.name) (model \(TalentFlowVersion.model); objective \(shortNumber(result.fit.objective)) "
            + "over \(plan.targets.count) targets, \(plan.seeds.count) replicates). See "
            + "parameters.csv and fit.csv beside this file.")
      ),
    ]
    if let base = spec.base {
      pairs.insert(
        (
          "extends",
          .string(
            FileSystem.relativeComponents(from: folder, to: URL(fileURLWithPath: base))
              .joined(separator: "/"))
        ),
        at: 0)
    }
    if let ticks = spec.ticks { pairs.append(("time.ticks", .number(Double(ticks)))) }
    var config = plan.variants[0].configuration
    for (parameter, value) in zip(plan.parameters, result.estimate) {
      try? config.set(path: parameter.key, value: .number(value), source: spec.source)
    }
    var written = Set<String>()
    for (path, value) in spec.fixed where !written.contains(path) {
      written.insert(path)
      pairs.append((path, value))
    }
    for parameter in plan.parameters {
      let path = ConfigurationKeys.listPath(ofElement: parameter.key) ?? parameter.key
      guard !written.contains(path), let key = ConfigurationKeys.key(path) else { continue }
      written.insert(path)
      pairs.append((path, key.value(in: config)))
    }
    return OrderedObject.nesting(pairs)
  }

  private static func writeParameters(
    _ result: CalibrationSearch.Result, plan: CalibrationPlan, into folder: URL
  ) throws(SweepError) -> OutputFile {
    var csv = try AtomicCSV(folder.appendingPathComponent("parameters.csv"))
    csv.buffer.header(["key", "lower", "upper", "estimate", "se", "identification"])
    for (j, parameter) in plan.parameters.enumerated() {
      csv.buffer.field(parameter.key)
      csv.buffer.field(parameter.lower)
      csv.buffer.field(parameter.upper)
      csv.buffer.field(result.estimate[j])
      let (se, identification) = standardError(result, j)
      if let se { csv.buffer.field(se) } else { csv.buffer.emptyField() }
      csv.buffer.field(identification)
      csv.buffer.endRow()
    }
    return try csv.commit(name: "parameters.csv")
  }

  /// Parameter j's standard error, if it has one, and what parameters.csv says of it.
  static func standardError(_ result: CalibrationSearch.Result, _ j: Int) -> (Double?, String) {
    guard let covariance = result.covariance else {
      return (nil, "not computed: \(result.covarianceProblem ?? "no Jacobian")")
    }
    switch covariance.standardErrors[j] {
    case .estimated(let se): return (se, "identified")
    case .notIdentified(.flatMoments(let c)):
      return (
        nil,
        "not identified: the moments barely move across its range (relative sensitivity "
          + "\(shortNumber(c)))"
      )
    case .notIdentified(.collinear(let pivot)):
      return (
        nil,
        "not identified: its effect on the moments is a combination of other parameters' "
          + "(relative pivot \(shortNumber(pivot)))"
      )
    }
  }

  private static func writeFit(
    _ result: CalibrationSearch.Result, plan: CalibrationPlan, into folder: URL
  ) throws(SweepError) -> OutputFile {
    var csv = try AtomicCSV(folder.appendingPathComponent("fit.csv"))
    csv.buffer.header([
      "measure", "scenario", "contrast", "target", "se", "simulated", "simulated_sd", "z", "role",
      "source",
    ])
    var rows: [(CalibrationTarget, MomentFit?, Int, String)] = plan.targets.indices.map {
      (plan.targets[$0], result.fit, $0, "target")
    }
    rows += plan.holdouts.indices.map { (plan.holdouts[$0], result.holdoutFit, $0, "holdout") }
    for (target, fit, i, role) in rows {
      csv.buffer.field(target.measure)
      csv.buffer.field(target.scenario ?? "")
      csv.buffer.field(target.contrast.rawValue)
      csv.buffer.field(target.value)
      csv.buffer.field(target.standardError)
      csv.buffer.field(fit?.mean[i] ?? .nan)
      csv.buffer.field(fit?.standardDeviation[i] ?? .nan)
      csv.buffer.field(fit?.z[i] ?? .nan)
      csv.buffer.field(role)
      csv.buffer.field(target.source)
      csv.buffer.endRow()
    }
    return try csv.commit(name: "fit.csv")
  }

  private static func writeTrace(
    _ result: CalibrationSearch.Result, plan: CalibrationPlan, into folder: URL
  ) throws(SweepError) -> OutputFile {
    var csv = try AtomicCSV(folder.appendingPathComponent("trace.csv"))
    csv.buffer.header(["evaluation", "phase"] + plan.parameters.map(\.key) + ["objective", "failure"])
    for evaluation in result.trace {
      csv.buffer.field(evaluation.index)
      csv.buffer.field(evaluation.phase.description)
      for x in evaluation.point { csv.buffer.field(x) }
      csv.buffer.field(evaluation.objective)
      csv.buffer.field(evaluation.failure ?? "")
      csv.buffer.endRow()
    }
    return try csv.commit(name: "trace.csv")
  }

  /// G at the estimate in long form. `scaled` = derivative × (upper − lower) / se: how many of
  /// the target's standard errors the moment moves across the parameter's range, near θ̂.
  private static func writeJacobian(
    _ result: CalibrationSearch.Result, plan: CalibrationPlan, into folder: URL
  ) throws(SweepError) -> OutputFile {
    var csv = try AtomicCSV(folder.appendingPathComponent("jacobian.csv"))
    csv.buffer.header(["measure", "scenario", "contrast", "parameter", "derivative", "scaled"])
    for (i, row) in (result.jacobian ?? []).enumerated() {
      let target = plan.targets[i]
      for (j, parameter) in plan.parameters.enumerated() {
        csv.buffer.field(target.measure)
        csv.buffer.field(target.scenario ?? "")
        csv.buffer.field(target.contrast.rawValue)
        csv.buffer.field(parameter.key)
        csv.buffer.field(row[j])
        csv.buffer.field(row[j] * (parameter.upper - parameter.lower) / target.standardError)
        csv.buffer.endRow()
      }
    }
    return try csv.commit(name: "jacobian.csv")
  }

  static func manifestJSON(
    _ result: CalibrationSearch.Result, plan: CalibrationPlan, files: [OutputFile]
  ) -> JSONValue {
    let estimates: [JSONValue] = plan.parameters.indices.map { j in
      let (se, identification) = standardError(result, j)
      return .object([
        ("key", .string(plan.parameters[j].key)), ("estimate", .number(result.estimate[j])),
        ("se", se.map(JSONValue.number) ?? .null), ("identification", .string(identification)),
      ])
    }
    let terminations: [JSONValue] = result.terminations.map {
      .string($0 == .converged ? "converged" : "evaluation budget spent")
    }
    return .object([
      ("tool", .string("talentflow")),
      ("toolVersion", .string(TalentFlowVersion.tool)),
      ("modelSpecification", .string("MODEL.md v\(TalentFlowVersion.modelSpecification)")),
      ("modelVersion", .string(TalentFlowVersion.model)),
      ("kind", .string("calibration")),
      ("name", .string(plan.name)),
      ("calibrationSHA256", .string(plan.fingerprint)),
      ("evaluations", .number(Double(result.trace.count))),
      ("objective", .number(result.fit.objective)),
      ("searches", .array(terminations)),
      ("estimates", .array(estimates)),
      (
        "standardErrors",
        .string(
          "SMM sandwich (1 + 1/R)(GᵀWG)⁻¹GᵀWΩWG(GᵀWG)⁻¹ with W = Ω⁻¹ = diag(1/se²), G by central "
            + "differences of \(shortNumber(plan.specification.jacobianStep)) of each range on "
            + "the same seeds")
      ),
      ("plan", plan.json),
      ("files", .array(files.map(\.json))),
    ])
  }
}
