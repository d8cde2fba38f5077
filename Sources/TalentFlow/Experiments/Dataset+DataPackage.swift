import Foundation

/// The dataset's `datapackage.json` (Frictionless Data Package v1) and `README.md`.
extension Dataset {
  /// One field of a table schema.
  struct Field {
    var name: String
    var type: String
    var description: String
    var unit: String? = nil
    var allowed: [String]? = nil
    var minimum: Double? = nil

    var json: JSONValue {
      var members: [(key: String, value: JSONValue)] = [
        ("name", .string(name)), ("type", .string(type)), ("description", .string(description)),
      ]
      if let unit { members.append(("unit", .string(unit))) }
      var constraints: [(key: String, value: JSONValue)] = [("required", .bool(true))]
      if let allowed { constraints.append(("enum", .array(allowed.map(JSONValue.string)))) }
      if let minimum { constraints.append(("minimum", .number(minimum))) }
      members.append(("constraints", .object(constraints)))
      return .object(members)
    }
  }

  static func schemas(_ spec: DatasetSpecification) -> [String: [Field]] {
    let scenarioNames = spec.scenarios.map { $0.config.name }
    let scenario = Field(
      name: "scenario", type: "string",
      description: "Scenario name; see scenarios.csv for what it changes", allowed: scenarioNames)
    let sectors = ["bigtech", "startup", "unemployed", "outside"]
    var stocks: [Field] = [
      scenario,
      Field(name: "tick", type: "integer", description: "Month since the end of warm-up (0 = state after warm-up)", unit: "month", minimum: 0),
      Field(name: "year", type: "integer", description: "ceil(tick / 12); tick 0 is year 0", unit: "year", minimum: 0),
      Field(name: "replicates", type: "integer", description: "Replicates summarised in this row", minimum: 1),
    ]
    for m in measures {
      stocks.append(Field(name: "\(m.name)_mean", type: "number", description: "\(m.description): mean over replicates", unit: m.unit))
      stocks.append(Field(name: "\(m.name)_q025", type: "number", description: "\(m.description): 2.5% quantile over replicates (type 7)", unit: m.unit))
      stocks.append(Field(name: "\(m.name)_q975", type: "number", description: "\(m.description): 97.5% quantile over replicates (type 7)", unit: m.unit))
    }
    return [
      "flows_yearly": [
        scenario,
        Field(name: "replicate", type: "integer", description: "Replicate number within the scenario (1-based); replicate k uses the same seed in every scenario", minimum: 1),
        Field(name: "seed", type: "integer", description: "Seed of the run", minimum: 0),
        Field(name: "year", type: "integer", description: "Simulated year, ceil(tick / 12)", unit: "year", minimum: 1),
        Field(name: "from", type: "string", description: "Where the professionals came from", allowed: sectors),
        Field(name: "to", type: "string", description: "Where they went", allowed: sectors),
        Field(name: "reason", type: "string", description: "Why: voluntary job-to-job move, hire from unemployment, layoff, startup failure, acquisition, founding a startup, a startup graduating to big tech, entry into or exit from the profession", allowed: FlowReason.allCases.map(\.name)),
        Field(name: "count", type: "integer", description: "Professionals who made this move in the year", unit: "people", minimum: 1),
      ],
      "stocks_monthly": stocks,
      "scenarios": [
        scenario,
        Field(name: "file", type: "string", description: "The scenario file, relative to the dataset specification"),
        Field(name: "description", type: "string", description: "What the scenario represents and where its numbers come from"),
        Field(name: "differences", type: "string", description: "Configuration keys that differ from the built-in baseline, as key=value separated by '; ' (empty for the baseline)"),
        Field(name: "events", type: "string", description: "The scenario's events (MODEL.md 4.10) as a JSON list"),
      ],
    ]
  }

  static let tableDescriptions = [
    "flows_yearly": "Flows of professionals between sectors, per scenario, replicate and year, by reason (non-zero rows only).",
    "stocks_monthly": "Headline stocks and rates per scenario and month: mean and 2.5% / 97.5% quantiles over replicates.",
    "scenarios": "One row per scenario: its description and what it changes relative to the baseline.",
  ]

  static let primaryKeys: [String: [String]] = [
    "flows_yearly": ["scenario", "replicate", "year", "from", "to", "reason"],
    "stocks_monthly": ["scenario", "tick"],
    "scenarios": ["scenario"],
  ]

  /// The command that regenerates the dataset.
  static func regenerateCommand(_ spec: DatasetSpecification, destination: String) -> String {
    "swift run -c release talentflow dataset \(spec.file) --out \(destination) --force"
  }

  static func dataPackage(
    _ spec: DatasetSpecification, _ files: [OutputFile],
    modelVersion: String = TalentFlowVersion.model
  ) -> JSONValue {
    let schemas = schemas(spec)
    let resources: [JSONValue] = files.map { file in
      let name = String(file.name.dropLast(4))
      let fields = schemas[name] ?? []
      return .object([
        ("name", .string(name)),
        ("path", .string(file.name)),
        ("profile", .string("tabular-data-resource")),
        ("description", .string(tableDescriptions[name] ?? "")),
        ("format", .string("csv")),
        ("mediatype", .string("text/csv")),
        ("encoding", .string("utf-8")),
        ("bytes", .number(Double(file.bytes))),
        ("hash", .string("sha256:\(file.sha256)")),
        ("dialect", .object([("delimiter", .string(",")), ("header", .bool(true))])),
        (
          "schema",
          .object([
            ("fields", .array(fields.map(\.json))),
            ("primaryKey", .array((primaryKeys[name] ?? []).map(JSONValue.string))),
            ("missingValues", .array([])),
          ])
        ),
      ])
    }
    return .object([
      ("profile", .string("tabular-data-package")),
      ("name", .string(spec.name)),
      ("title", .string(spec.title)),
      ("description", .string(spec.description)),
      ("version", .string(modelVersion)),
      ("licenses", .array([.object([("name", .string(spec.license))])])),
      (
        "sources",
        .array([
          .object([
            (
              "title",
              .string(
                "TalentFlow \(TalentFlowVersion.tool), model \(modelVersion) (MODEL.md v\(TalentFlowVersion.modelSpecification))"
              )
            )
          ])
        ])
      ),
      ("resources", .array(resources)),
      (
        "talentflow",
        .object([
          ("toolVersion", .string(TalentFlowVersion.tool)),
          ("modelVersion", .string(modelVersion)),
          ("modelSpecification", .string("MODEL.md v\(TalentFlowVersion.modelSpecification)")),
          ("specificationFile", .string(spec.file)),
          ("specification", spec.json),
          ("seeds", .array(spec.seeds.map { .number(Double($0)) })),
          ("regenerate", .string(regenerateCommand(spec, destination: "DIR"))),
        ])
      ),
    ])
  }

  static func readme(_ spec: DatasetSpecification, _ files: [OutputFile]) -> String {
    let names = spec.scenarios.map { "- `\($0.config.name)`: \($0.config.description)" }
      .joined(separator: "\n")
    let tables = files.map { file in
      "| `\(file.name)` | \(file.rows) | \(tableDescriptions[String(file.name.dropLast(4))] ?? "") |"
    }.joined(separator: "\n")
    let seeds = spec.seeds.map(String.init)
    let seedText = seeds.count > 6 ? "\(seeds[0]) … \(seeds[seeds.count - 1])" : seeds.joined(separator: ", ")
    return """
      # \(spec.title)

      \(spec.description)

      Simulated with TalentFlow \(TalentFlowVersion.tool) (model version \(TalentFlowVersion.model), \
      MODEL.md v\(TalentFlowVersion.modelSpecification)) from the specification `\(spec.file)`: \
      \(spec.scenarios.count) scenarios × \(spec.seeds.count) replicates (seeds \(seedText), the \
      same seeds in every scenario, so scenario differences are paired on common random numbers), \
      \(spec.ticks) monthly ticks after a \(spec.reference.time.warmup)-tick warm-up, \
      \(spec.reference.population.size) professionals at the start.

      ## Scenarios
      \(names)

      ## Tables
      | file | rows | contents |
      |---|---|---|
      \(tables)

      Every column's name, type, unit, meaning and allowed values are in `datapackage.json`
      (a Frictionless Data Package), together with each file's SHA-256.

      ## Load it
      ```python
      import json, pandas as pd
      package = json.load(open("datapackage.json"))
      tables = {r["name"]: pd.read_csv(r["path"]) for r in package["resources"]}
      ```
      ```r
      package <- jsonlite::fromJSON("datapackage.json")
      stocks <- read.csv("stocks_monthly.csv")
      ```

      ## Regenerate it
      Byte for byte, from a clone of the TalentFlow repository:
      ```
      \(regenerateCommand(spec, destination: "<this folder>"))
      ```

      \(calibrationSection(spec))## Cite it
      TalentFlow contributors (2026). *\(spec.title)* [dataset], version \(TalentFlowVersion.model). \
      Generated with TalentFlow \(TalentFlowVersion.tool) from `\(spec.file)`. License: \(spec.license).

      """
  }

  /// "## Calibration and out-of-sample checks" from the specification's calibration folder:
  /// the estimation in a sentence and the holdout rows of its fit.csv (simulated at the
  /// estimates against facts kept out of the estimation); empty without one or if the files do
  /// not read.
  static func calibrationSection(_ spec: DatasetSpecification) -> String {
    guard let calibration = spec.calibration,
      let manifest = try? Configuration.readJSON(
        file: calibration.folder.appendingPathComponent("manifest.json").path),
      let fit = try? String(
        contentsOf: calibration.folder.appendingPathComponent("fit.csv"), encoding: .utf8)
    else { return "" }
    let targets = (manifest["plan"]?["targets"]?.arrayValue ?? []).count
    let parameters = (manifest["estimates"]?.arrayValue ?? []).count
    let objective = manifest["objective"]?.doubleValue.map { String(format: "%.3g", $0) } ?? "?"
    let replicates = (manifest["plan"]?["seeds"]?.arrayValue ?? []).count
    func number(_ text: Substring) -> String {
      Double(text).map { String(format: "%.3g", $0) } ?? ""
    }
    var rows: [String] = []
    for line in fit.split(separator: "\n").dropFirst() {
      // measure,scenario,contrast,target,se,simulated,simulated_sd,z,role,source: the first
      // nine fields hold no comma (names, paths, numbers); source, last, is the rest.
      let fields = line.split(separator: ",", maxSplits: 9, omittingEmptySubsequences: false)
      guard fields.count == 10, fields[8] == "holdout" else { continue }
      var source = String(fields[9])
      if source.hasPrefix("\""), source.hasSuffix("\""), source.count >= 2 {
        source = String(source.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
      }
      let scenario =
        fields[1].isEmpty
        ? "base" : "\(URL(fileURLWithPath: String(fields[1])).lastPathComponent) (\(fields[2]))"
      rows.append(
        "| `\(fields[0])` | \(scenario) | \(number(fields[3])) ± \(number(fields[4])) | "
          + "\(number(fields[5])) ± \(number(fields[6])) | \(number(fields[7])) | \(source) |")
    }
    guard !rows.isEmpty else { return "" }
    return """
      ## Calibration and out-of-sample checks
      \(parameters) of the model's parameters are estimated by simulated moments on \(targets) \
      empirical targets (`talentflow calibrate`; folder `\(calibration.written)`, relative to \
      the specification; objective \(objective) at the estimates). These facts were kept \
      out of the estimation and are simulated at the estimates (\(replicates) replicates; \
      simulated ± the standard deviation over replicates, z = (simulated − empirical) / se):

      | measure | scenario | empirical ± se | simulated ± sd | z | source |
      |---|---|---|---|---|---|
      \(rows.joined(separator: "\n"))


      """
  }
}
