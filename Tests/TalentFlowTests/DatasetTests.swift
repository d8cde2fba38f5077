import Foundation
import Testing

@testable import TalentFlow

@Suite("Datasets (talentflow dataset)")
struct DatasetTests {
  /// A tiny specification with two scenarios, written to a fresh folder.
  static func tinySpecification() throws -> (folder: URL, spec: String) {
    let folder = try TestFolder.make("dataset")
    let files = [
      "scenarios/base.json": #"{"name": "base", "description": "The baseline."}"#,
      "scenarios/winter.json": #"""
        {"name": "winter", "description": "A funding winter.",
         "policy": {"nonCompete": 0.5},
         "events": [{"tick": 6, "type": "fundingShock", "multiplier": 0.3, "ticks": 12}]}
        """#,
      "spec.json": #"""
        {"name": "tiny", "title": "A tiny dataset", "description": "For tests.",
         "scenarios": ["scenarios/base.json", "scenarios/winter.json"],
         "replicates": {"count": 3, "baseSeed": 5}, "ticks": 24,
         "set": {"population.size": 800, "firms.startups": 30, "time.warmup": 6}}
        """#,
    ]
    for (name, text) in files { try TestFolder.write(text, named: name, in: folder) }
    return (folder, folder.appendingPathComponent("spec.json").path)
  }

  static func readCSV(_ url: URL) throws -> (header: [String], rows: [[String]]) {
    let text = try String(contentsOf: url, encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    let header = lines.first?.split(separator: ",").map(String.init) ?? []
    // The tables written here quote no field except descriptions in scenarios.csv.
    return (header, lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) })
  }

  @Test("the tables have the declared columns and types, and the package's hashes match")
  func declaredColumnsTypesAndHashes() throws {
    let (folder, file) = try Self.tinySpecification()
    defer { TestFolder.remove(folder) }
    let spec = try DatasetSpecification.load(file: file)
    let out = folder.appendingPathComponent("dataset")
    let files = try Dataset.build(spec, destination: out, workers: 2, force: false)
    #expect(files.map(\.name) == ["flows_yearly.csv", "stocks_monthly.csv", "scenarios.csv"])
    let package = try JSONParser.parse(
      bytes: [UInt8](try Data(contentsOf: out.appendingPathComponent("datapackage.json"))))
    #expect(package["profile"]?.stringValue == "tabular-data-package")
    #expect(package["version"]?.stringValue == TalentFlowVersion.model)
    #expect(package["talentflow"]?["modelVersion"]?.stringValue == TalentFlowVersion.model)
    let resources = package["resources"]?.arrayValue ?? []
    #expect(resources.count == 3)
    for resource in resources {
      let path = resource["path"]?.stringValue ?? ""
      let url = out.appendingPathComponent(path)
      let bytes = [UInt8](try Data(contentsOf: url))
      #expect(resource["hash"]?.stringValue == "sha256:" + SHA256.hexDigest(bytes), "\(path)")
      #expect(resource["bytes"]?.intValue == bytes.count, "\(path)")
      let fields = resource["schema"]?["fields"]?.arrayValue ?? []
      let csv = try Self.readCSV(url)
      #expect(csv.header == fields.compactMap { $0["name"]?.stringValue }, "\(path)")
      if path == "scenarios.csv" { continue }
      #expect(!csv.rows.isEmpty, "\(path) is empty")
      for row in csv.rows {
        #expect(row.count == fields.count, "\(path): \(row)")
        for (value, field) in zip(row, fields) {
          switch field["type"]?.stringValue {
          case "integer": #expect(Int(value) != nil, "\(path): \(value) is not an integer")
          case "number": #expect(Double(value)?.isFinite == true, "\(path): \(value) is not a number")
          default: #expect(!value.isEmpty)
          }
          if let allowed = field["constraints"]?["enum"]?.arrayValue {
            #expect(allowed.contains(.string(value)), "\(path): \(value) not allowed")
          }
        }
      }
    }
    // Both scenarios, all replicates, every recorded year, every tick.
    let stocks = try Self.readCSV(out.appendingPathComponent("stocks_monthly.csv"))
    #expect(stocks.rows.count == 2 * 25)
    let flows = try Self.readCSV(out.appendingPathComponent("flows_yearly.csv"))
    #expect(Set(flows.rows.map { $0[0] }) == ["base", "winter"])
    #expect(Set(flows.rows.map { $0[1] }) == ["1", "2", "3"])
    #expect(Set(flows.rows.map { $0[3] }) == ["1", "2"])
    let scenarios = try String(
      contentsOf: out.appendingPathComponent("scenarios.csv"), encoding: .utf8)
    #expect(scenarios.contains("policy.nonCompete=0.5"))
    #expect(scenarios.contains("fundingShock"))
  }

  @Test("yearly flows add up to the runs' own flows")
  func flowsAddUp() throws {
    let (folder, file) = try Self.tinySpecification()
    defer { TestFolder.remove(folder) }
    let spec = try DatasetSpecification.load(file: file)
    let out = folder.appendingPathComponent("dataset")
    try Dataset.build(spec, destination: out, workers: 1, force: false)
    var config = spec.scenarios[1].config
    config.seed = spec.seeds[2]
    let records = try Runner.records(config: config, threads: 1)
    let direct = records.dropFirst().reduce(0) { $0 + $1.flows.total(.voluntary) }
    let flows = try Self.readCSV(out.appendingPathComponent("flows_yearly.csv"))
    let fromTable = flows.rows.filter { $0[0] == "winter" && $0[1] == "3" && $0[6] == "voluntary" }
      .reduce(0) { $0 + (Int($1[7]) ?? 0) }
    #expect(direct > 0)
    #expect(fromTable == direct)
  }

  @Test("the same files whatever the number of workers")
  func workersDoNotMatter() throws {
    let (folder, file) = try Self.tinySpecification()
    defer { TestFolder.remove(folder) }
    let spec = try DatasetSpecification.load(file: file)
    let one = try Dataset.build(
      spec, destination: folder.appendingPathComponent("a"), workers: 1, force: false)
    let three = try Dataset.build(
      spec, destination: folder.appendingPathComponent("b"), workers: 3, force: false)
    #expect(one == three)
    for name in ["datapackage.json", "README.md"] {
      #expect(
        try Data(contentsOf: folder.appendingPathComponent("a/\(name)"))
          == Data(contentsOf: folder.appendingPathComponent("b/\(name)")))
    }
  }

  @Test("the recorded model version follows the model version")
  func modelVersionIsRecorded() throws {
    let (folder, file) = try Self.tinySpecification()
    defer { TestFolder.remove(folder) }
    let spec = try DatasetSpecification.load(file: file)
    let package = Dataset.dataPackage(spec, [], modelVersion: "9.9.9")
    #expect(package["version"]?.stringValue == "9.9.9")
    #expect(package["talentflow"]?["modelVersion"]?.stringValue == "9.9.9")
  }

  @Test("specification errors name the file, the key and the value")
  func specificationErrors() throws {
    let (folder, _) = try Self.tinySpecification()
    defer { TestFolder.remove(folder) }
    let cases: [(String, String)] = [
      (#"{"name": "x", "scenarios": [], "replicates": {"count": 2}}"#, "scenarios must be a non-empty list"),
      (#"{"name": "x", "scenarios": ["scenarios/base.json"], "replicates": {"count": 0}}"#, "replicates.count must be a positive integer, got 0"),
      (#"{"name": "x", "scenarios": ["nope.json"], "replicates": {"count": 1}}"#, "does not exist"),
      (#"{"name": "x", "scenarios": ["scenarios/base.json"], "replicate": {"count": 1}}"#, "unknown key replicate (did you mean replicates?)"),
      (#"{"name": "x", "scenarios": ["scenarios/base.json"], "replicates": {"count": 1}, "set": {"population.size": -3}}"#, "population.size must be an integer in [1, 50000000], got -3"),
      (#"{"name": "x", "scenarios": ["scenarios/base.json"], "replicates": {"count": 1}, "calibration": "nowhere"}"#, "calibration must name a finished calibration folder; it has no manifest.json, got \"nowhere\""),
    ]
    for (text, expected) in cases {
      let bad = folder.appendingPathComponent("bad.json")
      try text.write(to: bad, atomically: true, encoding: .utf8)
      do {
        _ = try DatasetSpecification.load(file: bad.path)
        Issue.record("accepted: \(text)")
      } catch {
        #expect(error.description.contains(expected), "\(error.description)")
      }
    }
  }

  @Test("the README reports the out-of-sample checks of the calibration it names")
  func calibrationSection() throws {
    let (folder, _) = try Self.tinySpecification()
    defer { TestFolder.remove(folder) }
    try TestFolder.write(
      #"{"kind": "calibration", "objective": 12.345, "plan": {"targets": [{}, {}, {}], "seeds": [1, 2]}, "estimates": [{}, {}]}"#,
      named: "cal/manifest.json", in: folder)
    try TestFolder.write(
      """
      measure,scenario,contrast,target,se,simulated,simulated_sd,z,role,source
      move_rate_monthly,,level,0.02,0.004,0.021,0.001,0.25,target,CPS
      startup_survival_48,,level,0.38,0.09,0.52,0.03,1.5555,holdout,"BLS, BED (Knaup 2005)"
      move_rate_monthly,../scenarios/noncompete.json,relative,-0.1,0.03,-0.04,0.01,2,holdout,Balasubramanian et al. 2022

      """, named: "cal/fit.csv", in: folder)
    let text = #"""
      {"name": "tiny", "scenarios": ["scenarios/base.json"], "replicates": {"count": 1},
       "calibration": "cal"}
      """#
    let file = try TestFolder.write(text, named: "with-calibration.json", in: folder)
    let spec = try DatasetSpecification.load(file: file)
    let readme = Dataset.readme(spec, [])
    #expect(readme.contains("## Calibration and out-of-sample checks"))
    #expect(readme.contains("2 of the model's parameters are estimated by simulated moments on 3"))
    #expect(readme.contains("objective 12.3 at the estimates"))
    #expect(
      readme.contains(
        "| `startup_survival_48` | base | 0.38 ± 0.09 | 0.52 ± 0.03 | 1.56 | BLS, BED (Knaup 2005) |"),
      "\(readme)")
    #expect(readme.contains("| `move_rate_monthly` | noncompete.json (relative) | -0.1 ± 0.03 | -0.04 ± 0.01 | 2 |"))
    #expect(!readme.contains("| `move_rate_monthly` | base |"), "targets are not out-of-sample checks")
    let without = try DatasetSpecification.load(
      file: TestFolder.write(
        #"{"name": "tiny", "scenarios": ["scenarios/base.json"], "replicates": {"count": 1}}"#,
        named: "plain.json", in: folder))
    #expect(!Dataset.readme(without, []).contains("Calibration"))
  }
}
