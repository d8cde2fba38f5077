import Foundation
import Testing

@testable import TalentFlow

/// The error `Configuration.load` throws for a file, if any.
private func loadError(_ file: String) -> ConfigurationError? {
  do {
    _ = try Configuration.load(file: file)
    return nil
  } catch {
    return error
  }
}

/// The package root, where `configs/` is.
private let packageRoot = TalentflowProcess.packageRoot

@Suite("Scenario files and extends chains")
struct ScenarioFileTests {
  @Test func chainAppliesParentsFirstAndAppendsEvents() throws {
    let folder = try TestFolder.make("scenario")
    defer { TestFolder.remove(folder) }
    let root = try TestFolder.write(
      """
      {"name": "root", "description": "The root.", "policy": {"nonCompete": 0.3, "antitrust": 0.5},
       "events": [{"tick": 5, "type": "layoffs", "sector": "bigtech", "fraction": 0.1}]}
      """, named: "root.json", in: folder)
    let middle = try TestFolder.write(
      """
      {"extends": "../root.json", "policy.antitrust": 0.25,
       "events": [{"tick": 6, "type": "set", "path": "policy.nonCompete", "value": 0}]}
      """, named: "sub/middle.json", in: folder)
    let leaf = try TestFolder.write(
      """
      {"name": "leaf", "extends": "./middle.json", "market": {"leadsEmployed": 0.5},
       "events": [{"tick": 6, "type": "set", "path": "policy.nonCompete", "value": 0.1}]}
      """, named: "sub/leaf.json", in: folder)
    let resolved = try Scenario.resolve(file: leaf)
    let config = resolved.configuration
    #expect(config.name == "leaf")
    #expect(config.description == "The root.")  // inherited
    #expect(config.policy.nonCompete == 0.3)
    #expect(config.policy.antitrust == 0.25)  // the middle file wins over the root
    #expect(config.market.leadsEmployed == 0.5)
    #expect(
      config.events == [
        ScenarioEvent(tick: 5, action: .layoffs(sector: .bigtech, fraction: 0.1)),
        ScenarioEvent(tick: 6, action: .set(path: "policy.nonCompete", value: .number(0))),
        ScenarioEvent(tick: 6, action: .set(path: "policy.nonCompete", value: .number(0.1))),
      ])
    #expect(resolved.files == [root, middle, leaf])
    // Configuration.load gives the same configuration, and a middle file without a name is
    // named after its file.
    #expect(try Configuration.load(file: leaf) == config)
    #expect(try Configuration.load(file: middle).name == "middle")

    // Within a tick, events apply in list order: the leaf's set wins.
    var run = config
    run.population.size = 1000
    run.firms.startups = 40
    run.time.warmup = 2
    var simulation = Simulation(config: run, threads: 1)
    try simulation.warmUp()
    for _ in 1...6 { try simulation.step() }
    #expect(simulation.config.policy.nonCompete == 0.1)
  }

  @Test func replaceEventsDropsTheInheritedEvents() throws {
    let folder = try TestFolder.make("scenario")
    defer { TestFolder.remove(folder) }
    try TestFolder.write(
      #"{"events": [{"tick": 3, "type": "entrySurge", "count": 10}]}"#, named: "parent.json",
      in: folder)
    let replaced = try TestFolder.write(
      #"""
      {"extends": "parent.json", "replaceEvents": true,
       "events": [{"tick": 4, "type": "fundingShock", "multiplier": 0.5, "ticks": 2}]}
      """#, named: "replaced.json", in: folder)
    let cleared = try TestFolder.write(
      #"{"extends": "parent.json", "replaceEvents": true}"#, named: "cleared.json", in: folder)
    let kept = try TestFolder.write(
      #"{"extends": "parent.json", "replaceEvents": false}"#, named: "kept.json", in: folder)
    #expect(
      try Configuration.load(file: replaced).events == [
        ScenarioEvent(tick: 4, action: .fundingShock(multiplier: 0.5, ticks: 2))
      ])
    #expect(try Configuration.load(file: cleared).events == [])
    #expect(
      try Configuration.load(file: kept).events == [
        ScenarioEvent(tick: 3, action: .entrySurge(count: 10))
      ])
  }

  @Test func cyclesAreErrorsThatShowTheChain() throws {
    let folder = try TestFolder.make("scenario")
    defer { TestFolder.remove(folder) }
    let a = try TestFolder.write(#"{"extends": "b.json"}"#, named: "a.json", in: folder)
    let b = try TestFolder.write(#"{"extends": "c.json"}"#, named: "b.json", in: folder)
    let c = try TestFolder.write(#"{"extends": "a.json"}"#, named: "c.json", in: folder)
    let error = try #require(loadError(a))
    #expect(error.source == c)
    #expect(error.path == "extends")
    #expect(error.description == "\(c): extends makes a cycle: \(a) → \(b) → \(c) → \(a)")

    let own = try TestFolder.write(#"{"extends": "self.json"}"#, named: "self.json", in: folder)
    let selfError = try #require(loadError(own))
    #expect(selfError.description == "\(own): extends makes a cycle: \(own) → \(own)")

    // The same file reached by another spelling of its path is still a cycle.
    let sub = try TestFolder.write(
      #"{"extends": "../sub/./d.json"}"#, named: "sub/d.json", in: folder)
    #expect(loadError(sub)?.message.hasPrefix("extends makes a cycle") == true)
  }

  @Test(arguments: [
    (
      #"{"extends": 3}"#, "extends",
      "extends must be the path of another scenario file, relative to this one, got 3"
    ),
    (
      #"{"extends": "missing.json"}"#, "extends",
      "extends names MISSING, which cannot be read (no such file, or no permission), got \"missing.json\""
    ),
    (
      #"{"replaceEvents": "yes"}"#, "replaceEvents",
      "replaceEvents must be true or false, got \"yes\""
    ),
    (#"{"extend": "a.json"}"#, "extend", "unknown key extend (did you mean extends?)"),
    (
      #"{"policy": {"extends": "a.json"}}"#, "policy.extends",
      "unknown key policy.extends"
    ),
  ])
  func badScenarioFieldsNameFileKeyAndValue(text: String, path: String, message: String) throws {
    let folder = try TestFolder.make("scenario")
    defer { TestFolder.remove(folder) }
    let file = try TestFolder.write(text, named: "bad.json", in: folder)
    let error = try #require(loadError(file))
    #expect(error.source == file)
    #expect(error.path == path)
    #expect(
      error.message
        == message.replacingOccurrences(
          of: "MISSING", with: folder.appendingPathComponent("missing.json").path))
  }

  @Test func errorsNameTheFileOfTheChainThatHasThem() throws {
    let folder = try TestFolder.make("scenario")
    defer { TestFolder.remove(folder) }
    let parent = try TestFolder.write(
      #"{"population": {"size": -5}}"#, named: "parent.json", in: folder)
    let child = try TestFolder.write(
      #"{"extends": "parent.json"}"#, named: "child.json", in: folder)
    let error = try #require(loadError(child))
    #expect(error.description == "\(parent): population.size must be an integer in [1, 50000000], got -5")

    // An event written in the parent, made invalid by the child's change, names the parent's
    // event and the child that broke it.
    let eventParent = try TestFolder.write(
      #"{"events": [{"tick": 2, "type": "set", "path": "bigtech.rsuMin", "value": 50}]}"#,
      named: "event-parent.json", in: folder)
    let eventChild = try TestFolder.write(
      #"{"extends": "event-parent.json", "bigtech": {"rsuPerYear": 40}}"#,
      named: "event-child.json", in: folder)
    let eventError = try #require(loadError(eventChild))
    #expect(eventError.source == eventParent)
    #expect(eventError.path == "events[0].value")
    #expect(eventError.message.hasSuffix("(in the scenario as extended by \(eventChild))"))

    // A bad event in the child is the child's.
    let badEvent = try TestFolder.write(
      #"{"extends": "parent-ok.json", "events": [{"tick": 0, "type": "entrySurge", "count": 1}]}"#,
      named: "bad-event.json", in: folder)
    try TestFolder.write("{}", named: "parent-ok.json", in: folder)
    let badEventError = try #require(loadError(badEvent))
    #expect(
      badEventError.description
        == "\(badEvent): events[0].tick must be an integer ≥ 1 (events apply from tick 1 on), got 0"
    )
  }

  @Test func aLaterFileMayRepairAnEarlierOneAndAnUnrepairedProblemBlamesItsFile() throws {
    let folder = try TestFolder.make("scenario")
    defer { TestFolder.remove(folder) }
    // The parent alone breaks a cross-key rule (shares sum to 1.08) ...
    let parent = try TestFolder.write(
      #"{"population": {"initialShares": {"bigtech": 0.7}}}"#, named: "parent.json", in: folder)
    // ... a child that restores the sum repairs it ...
    let repaired = try TestFolder.write(
      #"{"extends": "parent.json", "population.initialShares.startup": 0.25}"#,
      named: "repaired.json", in: folder)
    #expect(try Configuration.load(file: repaired).population.initialShares.startup == 0.25)
    // ... while one that does not leaves the error with the parent, through any depth.
    try TestFolder.write(
      #"{"extends": "parent.json", "seed": 4}"#, named: "middle.json", in: folder)
    let leaf = try TestFolder.write(
      #"{"extends": "middle.json", "seed": 5}"#, named: "leaf.json", in: folder)
    let error = try #require(loadError(leaf))
    #expect(error.source == parent)
    #expect(error.path == "population.initialShares")
    // A problem that only the leaf starts is the leaf's.
    try TestFolder.write(#"{"bigtech": {"rsuMin": 50}}"#, named: "fine.json", in: folder)
    let breaks = try TestFolder.write(
      #"{"extends": "fine.json", "bigtech.rsuPerYear": 40}"#, named: "breaks.json", in: folder)
    #expect(loadError(breaks)?.source == breaks)
  }

  @Test func setOverridesStillApplyOverTheChain() throws {
    let folder = try TestFolder.make("scenario")
    defer { TestFolder.remove(folder) }
    try TestFolder.write(#"{"policy": {"nonCompete": 0.3}}"#, named: "root.json", in: folder)
    let leaf = try TestFolder.write(#"{"extends": "root.json"}"#, named: "leaf.json", in: folder)
    let config = try Configuration.load(file: leaf, overrides: ["policy.nonCompete=0.6"])
    #expect(config.policy.nonCompete == 0.6)
  }

  // MARK: The library

  /// Every JSON file under `configs/`, recursively, sorted.
  static let configFiles: [String] = {
    let root = packageRoot.appendingPathComponent("configs")
    let enumerator = FileManager.default.enumerator(atPath: root.path)
    var files: [String] = []
    while let item = enumerator?.nextObject() as? String {
      if item.hasSuffix(".json") { files.append(root.appendingPathComponent(item).path) }
    }
    return files.sorted()
  }()

  /// How each folder of `configs/` is read: dataset, sweep and sensitivity specifications by
  /// their own loaders (which load the scenarios they name, and for analyses make the whole
  /// plan), everything else as a configuration or scenario.
  static func validate(_ file: String) throws {
    if file.contains("/configs/datasets/") {
      _ = try DatasetSpecification.load(file: file)
    } else if file.contains("/configs/sweeps/") {
      _ = try SweepSpecification.load(file: file)
    } else if file.contains("/configs/sensitivity/") {
      _ = try SweepPlan(sensitivity: SensitivitySpecification.load(file: file), overrides: [])
    } else if file.contains("/configs/calibration/") {
      _ = try CalibrationPlan(specification: CalibrationSpecification.load(file: file), overrides: [])
    } else {
      _ = try Configuration.load(file: file)
    }
  }

  @Test func everyFileUnderConfigsValidates() throws {
    #expect(Self.configFiles.count >= 16)
    for file in Self.configFiles {
      #expect(throws: Never.self, "\(file)") { try Self.validate(file) }
    }
  }

  @Test func theScenarioLibraryIsComplete() throws {
    let folder = packageRoot.appendingPathComponent("configs/scenarios")
    let required = [
      "baseline", "noncompete-ban", "noncompete-strict", "funding-winter", "bigtech-layoffs",
      "ai-boom", "visa-tightening", "equity-tax-cut", "compute-subsidy", "acquihire-scrutiny",
    ]
    for name in required {
      let file = folder.appendingPathComponent("\(name).json").path
      let config = try Configuration.load(file: file)
      #expect(config.name == name)
      #expect(config.description.count > 150, "\(name) needs a description of what and why")
    }
    // Every scenario declares its own name and description: nothing is inherited silently.
    for file in Self.configFiles where file.contains("/configs/scenarios/") {
      let json = try Configuration.readJSON(file: file)
      let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
      #expect(json["name"]?.stringValue == stem, "\(file)")
      #expect(json["description"]?.stringValue != nil, "\(file)")
    }
  }

  @Test func theBaselineScenarioIsTheBuiltInDefaults() throws {
    var config = try Configuration.load(
      file: packageRoot.appendingPathComponent("configs/scenarios/baseline.json").path)
    config.description = Configuration().description
    #expect(config == Configuration())
  }

  @Test func noncompeteBanDropsUSAverageEnforceabilityToZeroAtYearTwo() throws {
    let config = try Configuration.load(
      file: packageRoot.appendingPathComponent("configs/scenarios/noncompete-ban.json").path)
    #expect(config.policy.nonCompete == 0.3)
    #expect(
      config.events == [
        ScenarioEvent(tick: 24, action: .set(path: "policy.nonCompete", value: .number(0)))
      ])
  }
}

@Suite("Scenario files: extends naming a folder")
struct ExtendsFolderTests {
  @Test("extends naming a folder is refused naming the file that says so, its key and value")
  func extendsAFolder() throws {
    let folder = try TestFolder.make("extends-folder")
    defer { TestFolder.remove(folder) }
    let file = try TestFolder.write(#"{"extends": "."}"#, named: "child.json", in: folder)
    let error = #expect(throws: ConfigurationError.self) { try Configuration.load(file: file) }
    #expect(error?.source == file)
    #expect(error?.path == "extends")
    #expect(error?.message.contains("which is a folder, not a scenario file, got \".\"") == true)
  }
}
