import Foundation
import Testing

@testable import TalentFlow

/// A synthetic run folder: a manifest for `config` and the CSV files given, written by hand.
private func syntheticRun(
  _ config: Configuration, timeseries: [[String: Double]], files: [String: String] = [:]
) throws -> URL {
  let folder = try TestFolder.make("measures")
  let listed = RunOutput.names(for: config).map {
    OutputFile(name: $0, rows: 0, bytes: 0, sha256: String(repeating: "0", count: 64))
  }
  let manifest = Manifest(
    config: config, files: listed, wallSeconds: 0, threads: 1,
    startedAt: Date(timeIntervalSince1970: 0))
  try TestFolder.write(manifest.json.serialized(pretty: true), named: "manifest.json", in: folder)
  var csv = Timeseries.columns.joined(separator: ",") + "\n"
  for (t, row) in timeseries.enumerated() {
    let values = Timeseries.columns.map { name in
      name == "tick" ? String(t) : MeasureValue.text(row[name] ?? 0)
    }
    csv += values.joined(separator: ",") + "\n"
  }
  try TestFolder.write(csv, named: "timeseries.csv", in: folder)
  for (name, text) in files { try TestFolder.write(text, named: name, in: folder) }
  return folder
}

/// A configuration of `ticks` recorded ticks writing the given optional files.
private func configuration(
  ticks: Int, firmsEvery: Int = 0, agents: Bool = false, moves: Bool = false
) throws -> Configuration {
  var config = Configuration()
  config.time.ticks = ticks
  config.output.firmsEvery = firmsEvery
  config.output.agents = agents ? .final : .none
  config.output.moves = moves
  try config.validate(source: "test")
  return config
}

/// The three-tick timeseries every hand computation below uses.
private let threeTicks: [[String: Double]] = [
  [
    "employed_bigtech": 100, "employed_startup": 50, "unemployed": 10, "professionals": 160,
    "mean_equity_offer": 0.5, "mean_utility": 100, "startups_born": 9,
  ],
  [
    "employed_bigtech": 90, "employed_startup": 60, "unemployed": 10, "professionals": 160,
    "moves_bigtech_to_startup": 6, "moves_startup_to_bigtech": 3, "startups_born": 2,
    "startups_failed": 1, "mean_equity_offer": 0.01, "mean_utility": 1,
  ],
  [
    "employed_bigtech": 95, "employed_startup": 65, "unemployed": 0, "professionals": 160,
    "moves_startup_to_startup": 3, "moves_bigtech_to_bigtech": 3, "startups_born": 1,
    "startups_acquired": 1, "mean_equity_offer": 0.02, "mean_utility": 2,
  ],
  [
    "employed_bigtech": 80, "employed_startup": 80, "unemployed": 40, "professionals": 200,
    "moves_bigtech_to_startup": 8, "startups_born": 3, "startups_failed": 1,
    "mean_equity_offer": 0.03, "mean_utility": 6,
  ],
]

private func values(_ folder: URL) throws -> [String: MeasureValue] {
  let run = try MeasuredRun(folder: folder.path)
  return Dictionary(
    uniqueKeysWithValues: try RunMeasures.evaluate(run).map { ($0.measure.name, $0.value) })
}

private func close(_ value: MeasureValue?, _ expected: Double) -> Bool {
  guard let x = value?.number else { return false }
  return abs(x - expected) <= 1e-12 * max(1, abs(expected))
}

@Suite("Measures of a run folder")
struct MeasuresTests {
  @Test func timeseriesMeasuresAgainstHandComputation() throws {
    let folder = try syntheticRun(try configuration(ticks: 3), timeseries: threeTicks)
    defer { TestFolder.remove(folder) }
    let v = try values(folder)
    #expect(close(v["move_rate_monthly"], (9.0 / 150 + 6.0 / 150 + 8.0 / 160) / 3))
    #expect(v["moves_bigtech_to_startup_total"] == .value(14))
    #expect(v["moves_startup_to_bigtech_total"] == .value(3))
    #expect(v["startup_share_final"] == .value(0.5))
    #expect(close(v["unemployment_rate"], (10.0 / 160 + 0 + 40.0 / 200) / 3))
    // Tick 0's 9 births are warm-up's, not counted; 3 ticks are a quarter of a year.
    #expect(v["startups_born_per_year"] == .value(24))
    #expect(v["startups_failed_per_year"] == .value(8))
    #expect(v["startups_acquired_per_year"] == .value(4))
    #expect(close(v["bigtech_growth_per_year"], pow(0.8, 4) - 1))
    #expect(close(v["mean_equity_offer"], 0.02))
    #expect(v["mean_utility"] == .value(3))
  }

  @Test("a run of another model version is measured though its configuration has retired keys")
  func olderModelVersion() throws {
    let folder = try syntheticRun(try configuration(ticks: 3), timeseries: threeTicks)
    defer { TestFolder.remove(folder) }
    let url = folder.appendingPathComponent("manifest.json")
    var manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    var configuration = try #require(manifest["configuration"] as? [String: Any])
    var time = try #require(configuration["time"] as? [String: Any])
    time["ticksPerYear"] = 6
    configuration["time"] = time
    configuration["founding"] = ["rate": 0.0012]
    manifest["configuration"] = configuration
    // Of this model version, a configuration with an unknown key is refused.
    try JSONSerialization.data(withJSONObject: manifest).write(to: url)
    #expect(throws: MeasureError.self) { try MeasuredRun(folder: folder.path) }
    // Of another, what measures need is read alone: 3 ticks are half a year at 6 a year.
    manifest["modelVersion"] = "1.2.1"
    try JSONSerialization.data(withJSONObject: manifest).write(to: url)
    let v = try values(folder)
    #expect(v["startups_born_per_year"] == .value(12))
    #expect(close(v["bigtech_growth_per_year"], pow(0.8, 2) - 1))
  }

  @Test func measuresWhoseFilesAreMissingAreNamedUnavailable() throws {
    let folder = try syntheticRun(try configuration(ticks: 3), timeseries: threeTicks)
    defer { TestFolder.remove(folder) }
    let v = try values(folder)
    #expect(v["startup_survival_48"] == .unavailable("needs firms.csv and moves.csv"))
    #expect(v["startup_acquired_48"] == .unavailable("needs firms.csv and moves.csv"))
    #expect(v["startup_series_a_48"] == .unavailable("needs firms.csv"))
    #expect(v["mean_tenure_bigtech"] == .unavailable("needs agents.csv"))
    #expect(v["mean_tenure_startup"] == .unavailable("needs agents.csv"))
    #expect(v["hire_retention_12"] == .unavailable("needs moves.csv"))
    #expect(v["hire_retention_24"] == .unavailable("needs moves.csv"))
    #expect(v.count == RunMeasures.all.count)
  }

  @Test func undefinedMeasuresAreUnavailableNotZero() throws {
    var rows = threeTicks
    rows[0]["employed_bigtech"] = 0
    rows[3]["employed_bigtech"] = 0
    rows[3]["employed_startup"] = 0
    let folder = try syntheticRun(try configuration(ticks: 3), timeseries: rows)
    defer { TestFolder.remove(folder) }
    let v = try values(folder)
    #expect(v["startup_share_final"] == .unavailable("no one is employed at the last tick"))
    #expect(v["bigtech_growth_per_year"] == .unavailable("employed_bigtech is 0 at tick 0"))

    // As headline measures (runs.csv, compare), unavailable ones are NaN: an empty CSV field.
    let headline = RunMeasures.headlineValues(of: try MeasuredRun(folder: folder.path))
    for (k, name) in RunMeasures.headlineNames.enumerated() {
      if name == "startup_share_final" || name == "bigtech_growth_per_year" {
        #expect(headline[k].isNaN, "\(name)")
      } else {
        #expect(v[name]?.number == headline[k], "\(name)")
      }
    }
  }

  /// Fifty ticks; firm 0 is big tech, firm 1 an initial startup, firms 2–6 founded later.
  static func survivalFiles(acquiredAt20: Bool = true) -> (
    timeseries: [[String: Double]], files: [String: String]
  ) {
    var rows = [[String: Double]](repeating: [:], count: 51)
    for (t, column) in [
      (10, "startups_failed"), (49, "startups_failed"), (5, "startups_failed"),
      (20, acquiredAt20 ? "startups_acquired" : "startups_failed"),
    ] {
      rows[t][column, default: 0] += 1
    }
    // firm: (born, died, type at each tick)
    let lives: [(firm: Int, born: Int, died: Int?, graduates: Int?)] = [
      (0, 0, nil, nil), (1, 0, 10, nil), (2, 1, 49, nil), (3, 1, 20, nil), (4, 2, nil, nil),
      (5, 2, nil, 30), (6, 3, 5, nil),
    ]
    // Stages: firm 3 raises a series B at 15, 4 a series A at 50 = 2 + 48, 5 a series C at
    // 25; firm 6, born too late for the cohort, a series C at 4.
    let raises: [Int: (tick: Int, stage: Int)] = [3: (15, 2), 4: (50, 1), 5: (25, 3), 6: (4, 3)]
    var firms = "tick,firm,type,alive,stage\n"
    for t in 0...50 {
      for life in lives where life.born <= t && (life.died.map { t <= $0 } ?? true) {
        let bigTech = life.firm == 0 || (life.graduates.map { t >= $0 } ?? false)
        let alive = life.died != t
        let stage = raises[life.firm].map { t >= $0.tick ? $0.stage : 0 } ?? 0
        firms += "\(t),\(life.firm),\(bigTech ? "bigtech" : "startup"),\(alive),\(stage)\n"
      }
    }
    let moves = """
      tick,professional,from_firm,to_firm,from,to,reason
      1,1,-1,2,unemployed,startup,hire
      2,4,-1,5,unemployed,startup,hire
      5,2,-1,4,unemployed,startup,hire
      10,1,2,0,startup,bigtech,voluntary
      20,2,4,-1,startup,unemployed,layoff
      20,7,3,0,startup,bigtech,acquisition
      30,4,5,5,startup,bigtech,graduation
      40,3,0,4,bigtech,startup,voluntary

      """
    let agents = """
      tick,id,employer,sector,tenure
      0,1,0,bigtech,99
      50,1,0,bigtech,10
      50,2,-1,unemployed,0
      50,3,4,startup,4
      50,4,5,bigtech,20

      """
    return (rows, ["firms.csv": firms, "moves.csv": moves, "agents.csv": agents])
  }

  @Test func survivalAndCareersAgainstHandComputation() throws {
    let (rows, files) = MeasuresTests.survivalFiles()
    let config = try configuration(ticks: 50, firmsEvery: 1, agents: true, moves: true)
    let folder = try syntheticRun(config, timeseries: rows, files: files)
    defer { TestFolder.remove(folder) }
    let v = try values(folder)
    // Born at 1…2: firms 2, 3, 4, 5. Firm 2 failed at 49 = 1 + 48; 3 was acquired, 4 lives,
    // 5 graduated.
    #expect(v["startup_survival_48"] == .value(0.75))
    #expect(v["startup_acquired_48"] == .value(0.25))
    #expect(v["startup_series_a_48"] == .value(0.75))
    #expect(v["startup_series_b_48"] == .value(0.5))
    #expect(v["startup_series_c_48"] == .value(0.25))
    #expect(v["mean_tenure_bigtech"] == .value(15))
    #expect(v["mean_tenure_startup"] == .value(4))
    // Hires at 1 (p1, left at 10), 2 (p4, graduation is no leaving), 5 (p2, laid off at 20)
    // and 10 (p1, stays); the move at 40 is too late to be followed for 12 ticks.
    #expect(v["hire_retention_12"] == .value(0.75))
    #expect(v["hire_retention_24"] == .value(0.5))
  }

  @Test func survivalIsUnavailableWhenTheFilesDisagreeOrAreTooSparse() throws {
    let (rows, files) = MeasuresTests.survivalFiles(acquiredAt20: false)
    let config = try configuration(ticks: 50, firmsEvery: 1, agents: true, moves: true)
    let folder = try syntheticRun(config, timeseries: rows, files: files)
    defer { TestFolder.remove(folder) }
    let survival = try values(folder)["startup_survival_48"]
    guard case .unavailable(let reason) = survival else {
      Issue.record("expected unavailable, got \(String(describing: survival))")
      return
    }
    #expect(reason.contains("do not tell failures from acquisitions at tick 20"))
    // Stages do not depend on how a startup died.
    #expect(try values(folder)["startup_series_a_48"] == .value(0.75))

    let sparseConfig = try configuration(ticks: 50, firmsEvery: 12, moves: true)
    let sparse = try syntheticRun(sparseConfig, timeseries: rows, files: files)
    defer { TestFolder.remove(sparse) }
    #expect(
      try values(sparse)["startup_survival_48"]
        == .unavailable(
          "needs firms.csv written every tick (output.firmsEvery = 1); this run has 12"))
  }

  @Test func notARunFolder() throws {
    let folder = try TestFolder.make("measures-empty")
    defer { TestFolder.remove(folder) }
    #expect(
      throws: MeasureError(
        file: folder.path, message: "is not a run folder: it has no manifest.json")
    ) {
      try MeasuredRun(folder: folder.path)
    }
  }
}

@Suite("talentflow measures")
struct MeasuresCommandTests {
  @Test func printsEveryMeasureAsTextAndCSV() throws {
    let folder = try syntheticRun(try configuration(ticks: 3), timeseries: threeTicks)
    defer { TestFolder.remove(folder) }
    let text = try TalentflowProcess.run(["measures", folder.path])
    #expect(text.exited(with: 0), "\(text.stderr)")
    let lines = text.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == RunMeasures.all.count)
    #expect(lines.contains("startup_share_final             0.5 fraction"))
    #expect(lines.contains("startups_born_per_year          24 startups/year"))
    #expect(lines.contains("moves_bigtech_to_startup_total  14 people"))
    #expect(lines.contains("hire_retention_12               unavailable (needs moves.csv)"))

    let csv = try TalentflowProcess.run(["measures", folder.path, "--csv"])
    #expect(csv.exited(with: 0), "\(csv.stderr)")
    let rows = csv.stdout.split(separator: "\n").map(String.init)
    #expect(rows.first == "measure,value,unit")
    #expect(rows.count == RunMeasures.all.count + 1)
    #expect(rows.contains("startup_share_final,0.5,fraction"))
    #expect(rows.contains("startup_survival_48,,fraction"))
    #expect(
      rows.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 3 })
  }

  @Test func exitCodes() throws {
    let empty = try TestFolder.make("measures-cli")
    defer { TestFolder.remove(empty) }
    let noManifest = try TalentflowProcess.run(["measures", empty.path])
    #expect(noManifest.exited(with: 65))
    #expect(
      noManifest.stderr.contains("\(empty.path): is not a run folder: it has no manifest.json"))

    let folder = try syntheticRun(try configuration(ticks: 3), timeseries: threeTicks)
    defer { TestFolder.remove(folder) }
    try FileManager.default.removeItem(at: folder.appendingPathComponent("timeseries.csv"))
    let noTimeseries = try TalentflowProcess.run(["measures", folder.path])
    #expect(noTimeseries.exited(with: 65))
    #expect(noTimeseries.stderr.contains("it has no timeseries.csv"))

    #expect(try TalentflowProcess.run(["measures"]).exited(with: 64))
    #expect(try TalentflowProcess.run(["measures", empty.path, empty.path]).exited(with: 64))
    #expect(try TalentflowProcess.run(["measures", empty.path, "--bogus"]).exited(with: 64))
  }

  /// A real run: the command succeeds, and its timeseries measures from the files equal those
  /// of the same run's in-memory records.
  @Test func realRunFilesAgreeWithRecords() throws {
    let folder = try TestFolder.make("measures-run")
    defer { TestFolder.remove(folder) }
    let out = folder.appendingPathComponent("run").path
    let run = try TalentflowProcess.run([
      "run", "--set", "population.size=2000", "--set", "firms.startups=80", "--ticks", "24",
      "--set", "output.moves=true", "--set", "output.firmsEvery=1", "--set", "output.agents=final",
      "--out", out, "--quiet",
    ])
    #expect(run.exited(with: 0), "\(run.stderr)")
    let measured = try TalentflowProcess.run(["measures", out])
    #expect(measured.exited(with: 0), "\(measured.stderr)")
    #expect(measured.stdout.contains("startup_survival_48"))
    #expect(!measured.stdout.contains("needs"))

    let fromFiles = try MeasuredRun(folder: out)
    let records = try Runner.records(config: fromFiles.config, threads: 1)
    let inMemory = MeasuredRun(records: records, config: fromFiles.config)
    for measure in RunMeasures.all where measure.files == ["timeseries.csv"] {
      #expect(
        try measure.value(of: fromFiles) == measure.value(of: inMemory), "\(measure.name)")
      #expect(try measure.value(of: fromFiles).number != nil, "\(measure.name)")
    }
  }

  /// Every measure of a run captured in memory (`Runner.measuredRun`, what sensitivity
  /// analyses and calibrations measure) equals the measure of the same run written to a folder,
  /// bit for bit, and is unavailable exactly when the folder's is, with the same reason.
  @Test func aRunMeasuredInMemoryEqualsItsFolder() throws {
    let folder = try TestFolder.make("measures-memory")
    defer { TestFolder.remove(folder) }
    var config = Configuration()
    config.population.size = 1500
    config.firms.startups = 60
    config.time.warmup = 12
    config.time.ticks = 84
    config.seed = 11
    config.output.firmsEvery = 1
    config.output.moves = true
    config.output.agents = .final
    let out = folder.appendingPathComponent("run")
    _ = try Runner.run(config: config, destination: out, force: false, threads: 1)
    let fromFiles = try MeasuredRun(folder: out.path)
    let inMemory = try Runner.measuredRun(config: config, threads: 1)
    var available = 0
    for measure in RunMeasures.all {
      let file = try measure.value(of: fromFiles)
      let memory = try measure.value(of: inMemory)
      #expect(file.number?.bitPattern == memory.number?.bitPattern, "\(measure.name)")
      #expect(file == memory, "\(measure.name): \(file) vs \(memory)")
      if file.number != nil { available += 1 }
    }
    #expect(available >= RunMeasures.all.count - 4, "only \(available) measures available")
    // Without the outputs, the measures that need them are unavailable in memory too.
    config.output.firmsEvery = 0
    config.output.moves = false
    config.output.agents = .none
    let bare = try Runner.measuredRun(config: config, threads: 1)
    for measure in RunMeasures.all where measure.files != ["timeseries.csv"] {
      #expect(try measure.value(of: bare).number == nil, "\(measure.name)")
    }
  }
}
