import Foundation
import TalentFlow

let calibrateCommand = Command(
  name: "calibrate",
  summary: "Estimate parameters by simulated moments, with standard errors and out-of-sample checks.",
  usage: """
    talentflow calibrate SPEC.json [--workers N] [--out DIR] [--resume] [--set key.path=value]...
                                          [--quiet]
    """,
  about: """
    Estimates the specification's parameters by the simulated method of moments: the objective
    Σ ((simulated mean − target) / se)² over its targets, every evaluation simulated on the same
    seeds (common random numbers; a scenario target is paired with the base on each seed). A
    Latin-hypercube start, then Nelder–Mead from its best points, within the evaluation budget;
    then the estimate once more with the holdout targets, and a finite-difference Jacobian for
    the sandwich standard errors with the 1 + 1/R simulation factor. Writes calibrated.json (a
    configuration `talentflow run` takes), parameters.csv, fit.csv, trace.csv, jacobian.csv
    and manifest.json into the calibration folder; the files do not depend on --workers.
    `talentflow report` on the folder draws the fit. See README.md, "Calibration".
    """,
  positionals: [.init(label: "SPEC.json", help: "The calibration specification.")],
  options: [
    Option(
      .workers, .integer("N", 1...1024), "Runs at once, each on one thread (default: all cores)."),
    Option(.out, .path("DIR"), "Calibration folder (default: output/<name>/)."),
    Option(
      .resume,
      """
      Continue an interrupted calibration in DIR: finished evaluations are
      read back, the rest simulated. The same specification, base, scenarios
      and --set options are required.
      """),
    Option(.set, .text("key.path=value"), "Override a key of the base and scenarios; repeatable."),
    Option(.quiet, "No progress line and no summary."),
  ],
  run: { arguments in
    guard arguments.positionals.count == 1, let specFile = arguments.positionals.first else {
      throw UsageError(
        "expected one calibration specification file, got \(arguments.positionals.count)")
    }
    let plan = try CalibrationPlan(
      specification: CalibrationSpecification.load(file: specFile), overrides: arguments.all(.set))
    let workers = arguments.integer(.workers) ?? ProcessInfo.processInfo.activeProcessorCount
    let folder = URL(fileURLWithPath: arguments.value(.out) ?? "output/\(plan.name)")
    let quiet = arguments.has(.quiet)
    let showProgress = !quiet && isatty(STDERR_FILENO) == 1
    installInterruptMessage(command: "calibrate")
    let outcome = try CalibrationRunner.run(
      plan: plan, folder: folder, workers: workers, resume: arguments.has(.resume),
      progress: { p in
        guard showProgress else { return }
        var line =
          "\rcalibrate \(plan.name): evaluation \(p.evaluations) of at most \(p.budget) "
          + "(\(p.phase)), best objective \(String(format: "%.4g", p.best))"
        line += "  \(duration(p.seconds)) so far   "
        FileHandle.standardError.write(Data(line.utf8))
      })
    if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    guard !quiet else { return ExitCode.success }
    guard let result = outcome.result else {
      print("\(outcome.folder.path)/ already holds the finished calibration; nothing to do.")
      return ExitCode.success
    }
    print(calibrationSummary(result, plan: plan, outcome: outcome, workers: workers))
    return ExitCode.success
  })

/// What a finished calibration prints: the files, the estimates with their standard errors,
/// and the fit.
func calibrationSummary(
  _ result: CalibrationSearch.Result, plan: CalibrationPlan, outcome: CalibrationOutcome,
  workers: Int
) -> String {
  let folder = outcome.folder.path
  var lines = [
    "Wrote \(folder)/: calibrated.json, parameters.csv, fit.csv, trace.csv, manifest.json",
    "Calibration \(plan.name): \(result.trace.count) evaluations (\(outcome.simulated) simulated "
      + "now, \(plan.seeds.count) replicates each) in "
      + "\(String(format: "%.1f", outcome.wallSeconds)) s with \(workers) worker"
      + "\(workers == 1 ? "" : "s"); objective \(String(format: "%.4g", result.fit.objective)) "
      + "over \(plan.targets.count) targets.",
    "",
    "parameter".padding(toLength: 32, withPad: " ", startingAt: 0) + "estimate        se",
  ]
  for (j, parameter) in plan.parameters.enumerated() {
    let se: String
    if let value = result.covariance?.standardErrors[j].value {
      se = String(format: "%.4g", value)
    } else {
      se = result.covariance == nil ? "not computed" : "not identified"
    }
    lines.append(
      parameter.key.padding(toLength: 32, withPad: " ", startingAt: 0)
        + String(format: "%-16.6g", result.estimate[j]) + se)
  }
  if let problem = result.covarianceProblem { lines.append("Standard errors: \(problem)") }
  return lines.joined(separator: "\n")
}
