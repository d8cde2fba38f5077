import Foundation
import TalentFlow

let measuresCommand = Command(
  name: "measures",
  summary: "Print a run's scalar measures (move rate, survival, tenure, …) from its files.",
  usage: """
    talentflow measures RUN_DIR [--csv]
    """,
  about: """
    Reads a run folder (manifest.json, timeseries.csv, and firms.csv, agents.csv and moves.csv
    when the run wrote them) and prints every measure of the README's "Measures" section, one a
    line: its name, its value (Swift's shortest exact form) and its unit. A measure whose files
    the run did not write, or that the run cannot define (no startup old enough, no one
    employed), is printed as unavailable with the reason, never as 0.
    """,
  positionals: [.init(label: "RUN_DIR", help: "A folder written by `talentflow run`.")],
  options: [
    Option(
      .csv,
      """
      Print CSV instead: a header measure,value,unit and one row per measure
      (value empty when unavailable).
      """)
  ],
  run: { arguments in
    guard arguments.positionals.count == 1, let folder = arguments.positionals.first else {
      throw UsageError("expected one run folder, got \(arguments.positionals.count)")
    }
    let run = try MeasuredRun(folder: folder)
    let measured = try RunMeasures.evaluate(run)
    if arguments.has(.csv) {
      var lines = ["measure,value,unit"]
      for (measure, value) in measured {
        lines.append("\(measure.name),\(value.number.map(MeasureValue.text) ?? ""),\(measure.unit)")
      }
      print(lines.joined(separator: "\n"))
    } else {
      let width = (measured.map(\.measure.name.count).max() ?? 0) + 2
      for (measure, value) in measured {
        let name = measure.name.padding(toLength: width, withPad: " ", startingAt: 0)
        switch value {
        case .value(let x): print(name + MeasureValue.text(x) + " " + measure.unit)
        case .unavailable(let reason): print(name + "unavailable (\(reason))")
        }
      }
    }
    return ExitCode.success
  })
