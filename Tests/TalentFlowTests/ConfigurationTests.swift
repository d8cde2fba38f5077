import Foundation
import Testing

@testable import TalentFlow

/// A configuration file that must be refused, with the key path and message it must produce.
///
/// `message` is everything after "<file>: ", written out in full so a changed or vaguer message
/// fails the test.
struct BadConfiguration: Sendable, CustomTestStringConvertible {
  var label: String
  var json: String
  var path: String
  var message: String

  var testDescription: String { label }
}

/// Every class of configuration error of issue 2 item 4 (MODEL.md keys; events of MODEL 4.10).
private let badConfigurations: [BadConfiguration] = [
  // Unknown keys, with the nearest known key suggested.
  BadConfiguration(
    label: "unknown key in a section", json: #"{"population": {"sise": 2000}}"#,
    path: "population.sise",
    message: "unknown key population.sise (did you mean population.size?)"),
  BadConfiguration(
    label: "unknown dotted key", json: #"{"population.sise": 2000}"#, path: "population.sise",
    message: "unknown key population.sise (did you mean population.size?)"),
  BadConfiguration(
    label: "misspelt section", json: #"{"populaton": {"size": 2000}}"#, path: "populaton",
    message: "unknown key populaton (did you mean population?)"),
  BadConfiguration(
    label: "key in the wrong section", json: #"{"startup": {"nonCompete": 0.5}}"#,
    path: "startup.nonCompete",
    message: "unknown key startup.nonCompete (did you mean policy.nonCompete?)"),
  // Wrong types.
  BadConfiguration(
    label: "string for an integer", json: #"{"population": {"size": "big"}}"#,
    path: "population.size", message: #"population.size must be an integer in [1, 50000000], got "big""#),
  BadConfiguration(
    label: "fraction for an integer", json: #"{"time": {"ticks": 12.5}}"#, path: "time.ticks",
    message: "time.ticks must be an integer in [0, 100000], got 12.5"),
  BadConfiguration(
    label: "string for a Boolean", json: #"{"output": {"moves": "yes"}}"#, path: "output.moves",
    message: #"output.moves must be true or false, got "yes""#),
  BadConfiguration(
    label: "number for a string", json: #"{"name": 7}"#, path: "name",
    message: "name must be a string, got 7"),
  BadConfiguration(
    label: "number for a section", json: #"{"population": 3}"#, path: "population",
    message: "population must be an object of keys, got 3"),
  BadConfiguration(
    label: "bad output.agents", json: #"{"output": {"agents": "some"}}"#, path: "output.agents",
    message: #"output.agents must be "none", "final" or an integer in [1, 100000], got "some""#),
  // Negative sizes.
  BadConfiguration(
    label: "negative population", json: #"{"population": {"size": -5}}"#,
    path: "population.size", message: "population.size must be an integer in [1, 50000000], got -5"),
  BadConfiguration(
    label: "negative startups", json: #"{"firms": {"startups": -1}}"#, path: "firms.startups",
    message: "firms.startups must be an integer in [0, 50000000], got -1"),
  BadConfiguration(
    label: "negative seed", json: #"{"seed": -1}"#, path: "seed",
    message: "seed must be an integer in [0, 2^53 − 1], got -1"),
  // Probabilities outside [0, 1].
  BadConfiguration(
    label: "probability above 1", json: #"{"policy": {"nonCompete": 1.5}}"#,
    path: "policy.nonCompete",
    message: "policy.nonCompete must be a probability in [0, 1], got 1.5"),
  BadConfiguration(
    label: "probability below 0", json: #"{"visa": {"share": -0.1}}"#, path: "visa.share",
    message: "visa.share must be a probability in [0, 1], got -0.1"),
  BadConfiguration(
    label: "probability list element above 1",
    json: #"{"equity": {"exitProbability": [0.05, 0.1, 0.2, 1.35]}}"#,
    path: "equity.exitProbability",
    message:
      "equity.exitProbability must be a list of 4 numbers, each in [0, 1], got 1.35"),
  // Initial shares that do not sum to 1.
  BadConfiguration(
    label: "initial shares", json: #"{"population": {"initialShares": {"bigtech": 0.7}}}"#,
    path: "population.initialShares",
    message:
      "population.initialShares must sum to 1, got 1.08 "
      + "(bigtech 0.7, startup 0.33, unemployed 0.05)"
  ),
  // Stages out of order.
  BadConfiguration(
    label: "round sizes decreasing",
    json: #"{"startup": {"roundSize": [1500, 10000, 5000, 80000]}}"#, path: "startup.roundSize",
    message:
      "startup.roundSize must not decrease from one stage to the next (stages out of order), "
      + "got [1500,10000,5000,80000]"
  ),
  BadConfiguration(
    label: "equity offers increasing",
    json: #"{"equity": {"offerByStage": [0.001, 0.002, 0.0008, 0.0003]}}"#,
    path: "equity.offerByStage",
    message:
      "equity.offerByStage must not increase from one stage to the next (stages out of order), "
      + "got [0.001,0.002,0.0008,0.0003]"
  ),
  // Wrong list lengths.
  BadConfiguration(
    label: "short stage list", json: #"{"startup": {"roundSize": [1500, 10000]}}"#,
    path: "startup.roundSize",
    message:
      "startup.roundSize must be a list of 4 numbers, each in [1, 100000000], got [1500,10000]"),
  BadConfiguration(
    label: "five weights", json: #"{"weights": {"mean": [1, 1, 1, 1, 1]}}"#, path: "weights.mean",
    message: "weights.mean must be a list of 6 numbers, each in [0.001, 1000], got [1,1,1,1,1]"),
  // Other cross-key rules.
  BadConfiguration(
    label: "cliff after vesting", json: #"{"equity": {"cliffTicks": 60}}"#,
    path: "equity.cliffTicks",
    message: "equity.cliffTicks must not exceed equity.vestTicks (48), got 60"),
  BadConfiguration(
    label: "more startups than startup employees",
    json: #"{"population": {"size": 100}, "firms": {"startups": 400}}"#, path: "firms.startups",
    message: "firms.startups must not exceed the initial startup headcount (33), got 400"),
  // Malformed JSON: line and column.
  BadConfiguration(
    label: "double comma", json: "{\n  \"seed\": 3,\n  \"time\": {\"ticks\": 12,,}\n}", path: "",
    message: "malformed JSON at line 3, column 24: expected a string key after ','"),
  BadConfiguration(
    label: "truncated file", json: #"{"seed": 1"#, path: "",
    message:
      "malformed JSON at line 1, column 11: unexpected end of input: "
      + "expected ',' or '}' after object member"
  ),
  BadConfiguration(
    label: "empty file", json: "", path: "",
    message: "malformed JSON at line 1, column 1: empty input: expected a JSON value"),
  // The top level must be an object.
  BadConfiguration(
    label: "top-level list", json: "[1, 2]", path: "",
    message: "the top level must be a JSON object, got array"),
  BadConfiguration(
    label: "top-level string", json: #""baseline""#, path: "",
    message: "the top level must be a JSON object, got string"),
  // Scenario events (MODEL 4.10).
  BadConfiguration(
    label: "events not a list", json: #"{"events": {"tick": 3}}"#, path: "events",
    message: #"events must be a list of event objects, got {"tick":3}"#),
  BadConfiguration(
    label: "event at tick 0", json: #"{"events": [{"tick": 0, "type": "entrySurge", "count": 5}]}"#,
    path: "events[0].tick",
    message: "events[0].tick must be an integer ≥ 1 (events apply from tick 1 on), got 0"),
  BadConfiguration(
    label: "unknown event type", json: #"{"events": [{"tick": 3, "type": "meteor"}]}"#,
    path: "events[0].type",
    message:
      #"events[0].type must be one of set, layoffs, fundingShock, entrySurge, "#
      + #"got "meteor""#),
  BadConfiguration(
    label: "event type missing", json: #"{"events": [{"tick": 3, "count": 5}]}"#,
    path: "events[0].type",
    message: "events[0].type is missing (one of set, layoffs, fundingShock, entrySurge)"),
  BadConfiguration(
    label: "event field missing",
    json: #"{"events": [{"tick": 3, "type": "layoffs", "sector": "bigtech"}]}"#,
    path: "events[0].fraction", message: "events[0].fraction is missing"),
  BadConfiguration(
    label: "unknown event field",
    json: #"{"events": [{"tick": 3, "type": "entrySurge", "count": 5, "size": 2}]}"#,
    path: "events[0].size",
    message: "unknown field events[0].size for an entrySurge event (fields: tick, type, count)"),
  BadConfiguration(
    label: "set of an unknown key",
    json: #"{"events": [{"tick": 3, "type": "set", "path": "policy.nonCompet", "value": 1}]}"#,
    path: "events[0].path",
    message: "events[0].path: unknown key policy.nonCompet (did you mean policy.nonCompete?)"),
  BadConfiguration(
    label: "set of a fixed key",
    json: #"{"events": [{"tick": 3, "type": "set", "path": "population.size", "value": 5}]}"#,
    path: "events[0].path",
    message:
      "events[0].path: population.size is fixed for the whole run and cannot be set by an event"),
  BadConfiguration(
    label: "set to a bad value",
    json: #"{"events": [{"tick": 3, "type": "set", "path": "policy.nonCompete", "value": 2}]}"#,
    path: "events[0].value",
    message: "events[0].value: policy.nonCompete must be a probability in [0, 1], got 2"),
  BadConfiguration(
    label: "layoffs above 1",
    json: #"{"events": [{"tick": 3, "type": "layoffs", "sector": "bigtech", "fraction": 1.5}]}"#,
    path: "events[0].fraction",
    message: "events[0].fraction must be a fraction in [0, 1], got 1.5"),
  BadConfiguration(
    label: "layoffs of an unknown sector",
    json: #"{"events": [{"tick": 3, "type": "layoffs", "sector": "academia", "fraction": 0.1}]}"#,
    path: "events[0].sector",
    message: #"events[0].sector must be "bigtech" or "startup", got "academia""#),
  BadConfiguration(
    label: "second event bad",
    json: #"""
      {"events": [{"tick": 3, "type": "entrySurge", "count": 5},
                  {"tick": 4, "type": "fundingShock", "multiplier": -1, "ticks": 6}]}
      """#,
    path: "events[1].multiplier",
    message: "events[1].multiplier must be a number in [0, 100], got -1"),
]

/// A `--set` override that must be refused, with its key path and message.
struct BadOverride: Sendable, CustomTestStringConvertible {
  var override: String
  var path: String
  var message: String

  var testDescription: String { override }
}

private let badOverrides: [BadOverride] = [
  BadOverride(
    override: "population.sise=3000", path: "population.sise",
    message: "unknown key population.sise (did you mean population.size?)"),
  BadOverride(
    override: "population.size=-3", path: "population.size",
    message: "population.size must be an integer in [1, 50000000], got -3"),
  BadOverride(
    override: "population.size=many", path: "population.size",
    message: #"population.size must be an integer in [1, 50000000], got "many""#),
  BadOverride(
    override: "policy.nonCompete=2", path: "policy.nonCompete",
    message: "policy.nonCompete must be a probability in [0, 1], got 2"),
  BadOverride(
    override: "output.moves=maybe", path: "output.moves",
    message: #"output.moves must be true or false, got "maybe""#),
  BadOverride(
    override: "startup.roundSize=[4,3,2,1]", path: "startup.roundSize",
    message:
      "startup.roundSize must not decrease from one stage to the next (stages out of order), "
      + "got [4,3,2,1]"
  ),
  BadOverride(
    override: "startup.roundSize=[1,2,3]", path: "startup.roundSize",
    message: "startup.roundSize must be a list of 4 numbers, each in [1, 100000000], got [1,2,3]"),
  BadOverride(
    override: "population.initialShares.bigtech=0.7", path: "population.initialShares",
    message:
      "population.initialShares must sum to 1, got 1.08 "
      + "(bigtech 0.7, startup 0.33, unemployed 0.05)"
  ),
  BadOverride(
    override: #"events=[{"tick":0,"type":"entrySurge","count":1}]"#, path: "events[0].tick",
    message: "events[0].tick must be an integer ≥ 1 (events apply from tick 1 on), got 0"),
  BadOverride(
    override: "population.size", path: "",
    message: #"expected key.path=value, got "population.size""#),
]

/// The value at a dotted key path of a nested JSON object.
private func jsonValue(_ json: JSONValue, at path: String) -> JSONValue? {
  var value: JSONValue? = json
  for part in path.split(separator: ".") { value = value?[String(part)] }
  return value
}

/// Every dotted leaf path of a nested JSON object, in order.
private func leafPaths(_ json: JSONValue, prefix: String = "") -> [String] {
  guard let members = json.objectValue else { return [prefix] }
  return members.flatMap { member in
    leafPaths(member.value, prefix: prefix.isEmpty ? member.key : "\(prefix).\(member.key)")
  }
}

@Suite("Configuration: loading and validation (library)")
struct ConfigurationLoadingTests {
  @Test(
    "every class of error names the file, the key path and the value", arguments: badConfigurations)
  func badFileIsRefused(_ bad: BadConfiguration) throws {
    let folder = try TestFolder.make("config")
    defer { TestFolder.remove(folder) }
    let file = try TestFolder.write(bad.json, named: "bad.json", in: folder)
    let error = #expect(throws: ConfigurationError.self) { try Configuration.load(file: file) }
    #expect(error?.source == file)
    #expect(error?.path == bad.path)
    #expect(error?.message == bad.message)
    #expect(error?.description == "\(file): \(bad.message)")
  }

  @Test("a missing file is an error naming it")
  func missingFile() {
    let file = "/nonexistent-\(UUID().uuidString)/x.json"
    let error = #expect(throws: ConfigurationError.self) { try Configuration.load(file: file) }
    #expect(error?.source == file)
    #expect(error?.path == "")
    #expect(error?.message.hasPrefix("cannot read the file (") == true)
  }

  @Test("any key may be omitted; a file's values and name apply over the defaults")
  func partialFile() throws {
    let folder = try TestFolder.make("config")
    defer { TestFolder.remove(folder) }
    let file = try TestFolder.write(
      #"{"population": {"size": 2000}, "policy.nonCompete": 0.25}"#, named: "trial.json",
      in: folder)
    let config = try Configuration.load(file: file)
    var expected = Configuration()
    expected.population.size = 2000
    expected.policy.nonCompete = 0.25
    expected.name = "trial"
    #expect(config == expected)
    #expect(try Configuration.load(file: nil) == Configuration())
  }

  @Test("--set overrides numbers, Booleans, lists, strings, events; the last one wins")
  func overrides() throws {
    let folder = try TestFolder.make("config")
    defer { TestFolder.remove(folder) }
    let file = try TestFolder.write(
      #"{"name": "from-file", "population": {"size": 3000}}"#, named: "f.json", in: folder)
    let config = try Configuration.load(
      file: file,
      overrides: [
        "population.size=1500", "population.size=1200", "firms.startups=40", "output.moves=true",
        "output.agents=final", "weights.mean=[1,2,3,4,5,6]", "policy.nonCompete=0.5",
        "macro.fundingSeries=[[0,1],[24,0.5]]", "name=2024", "description=true",
        #"events=[{"tick":5,"type":"entrySurge","count":7}]"#,
      ])
    #expect(config.population.size == 1200)
    #expect(config.output.moves)
    #expect(config.output.agents == .final)
    #expect(config.weights.mean == [1, 2, 3, 4, 5, 6])
    #expect(config.policy.nonCompete == 0.5)
    #expect(
      config.macro.fundingSeries == [
        .init(tick: 0, multiplier: 1), .init(tick: 24, multiplier: 0.5),
      ])
    // Text keys take the text as written even when it also reads as JSON.
    #expect(config.name == "2024")
    #expect(config.description == "true")
    #expect(config.events == [ScenarioEvent(tick: 5, action: .entrySurge(count: 7))])
    let every = try Configuration.load(file: nil, overrides: ["output.agents=6"])
    #expect(every.output.agents == .every(6))
  }

  @Test("a bad --set is refused with source --set, its key path and value", arguments: badOverrides)
  func badOverride(_ bad: BadOverride) {
    let error = #expect(throws: ConfigurationError.self) {
      try Configuration.load(file: nil, overrides: [bad.override])
    }
    #expect(error?.source == "--set")
    #expect(error?.path == bad.path)
    #expect(error?.message == bad.message)
  }

  @Test("a cross-key rule broken by --set blames --set, one broken by the file blames the file")
  func crossKeyBlame() throws {
    let folder = try TestFolder.make("config")
    defer { TestFolder.remove(folder) }
    let good = try TestFolder.write(#"{"seed": 2}"#, named: "good.json", in: folder)
    let bad = try TestFolder.write(
      #"{"population": {"initialShares": {"bigtech": 0.7}}}"#, named: "bad.json", in: folder)
    let byOverride = #expect(throws: ConfigurationError.self) {
      try Configuration.load(file: good, overrides: ["population.initialShares.bigtech=0.7"])
    }
    #expect(byOverride?.source == "--set")
    #expect(byOverride?.path == "population.initialShares")
    let byFile = #expect(throws: ConfigurationError.self) {
      try Configuration.load(file: bad, overrides: ["seed=3"])
    }
    #expect(byFile?.source == bad)
    #expect(byFile?.path == "population.initialShares")
    // An override may also repair a file.
    let repaired = try Configuration.load(
      file: bad, overrides: ["population.initialShares.bigtech=0.62"])
    #expect(repaired.population.initialShares.bigtech == 0.62)
  }

  @Test("the resolved JSON holds every key once, in ConfigurationKeys order, and loads back")
  func resolvedJSONRoundTrip() throws {
    var config = Configuration()
    config.name = "round-trip"
    config.seed = 987_654_321
    config.population.size = 1234
    config.startup.roundSize = [1000.5, 2000.25, 30000, 1e6]
    config.macro.fundingSeries = [.init(tick: 0, multiplier: 1), .init(tick: 30, multiplier: 0.3)]
    config.output.agents = .every(6)
    config.events = [
      ScenarioEvent(tick: 2, action: .set(path: "policy.nonCompete", value: .number(0.75))),
      ScenarioEvent(tick: 3, action: .layoffs(sector: .startup, fraction: 0.125)),
      ScenarioEvent(tick: 4, action: .fundingShock(multiplier: 0.45, ticks: 24)),
      ScenarioEvent(tick: 5, action: .entrySurge(count: 300)),
    ]
    let json = config.resolvedJSON()
    #expect(leafPaths(json) == ConfigurationKeys.all.map(\.path) + ["events"])
    var loaded = Configuration()
    try loaded.apply(json: json, source: "resolved")
    try loaded.validate(source: "resolved")
    #expect(loaded == config)
  }
}

@Suite("Configuration: through the CLI")
struct ConfigurationCLITests {
  @Test(
    "run, validate and config refuse a bad file with exit 65 and write nothing",
    arguments: badConfigurations)
  func badFileThroughCLI(_ bad: BadConfiguration) throws {
    let folder = try TestFolder.make("config-cli")
    defer { TestFolder.remove(folder) }
    let file = try TestFolder.write(bad.json, named: "bad.json", in: folder)
    let destination = folder.appendingPathComponent("run").path

    let run = try TalentflowProcess.run(["run", file, "--out", destination], in: folder)
    #expect(run.exited(with: 65))
    #expect(run.stdout == "")
    #expect(run.stderr == "talentflow run: \(file): \(bad.message)\n")
    // Nothing written: no run folder, no hidden partial folder, no default output/ folder.
    #expect(TestFolder.contents(folder) == ["bad.json"])

    let validate = try TalentflowProcess.run(["validate", file], in: folder)
    #expect(validate.exited(with: 65))
    #expect(validate.stdout == "")
    #expect(validate.stderr == "\(file): \(bad.message)\n")

    let config = try TalentflowProcess.run(["config", file], in: folder)
    #expect(config.exited(with: 65))
    #expect(config.stdout == "")
    #expect(config.stderr == "talentflow config: \(file): \(bad.message)\n")
    #expect(TestFolder.contents(folder) == ["bad.json"])
  }

  @Test("validate checks every file, prints ok for the good ones, exits 65 if any is bad")
  func validateSeveral() throws {
    let folder = try TestFolder.make("config-cli")
    defer { TestFolder.remove(folder) }
    let good = try TestFolder.write(#"{"seed": 4}"#, named: "good.json", in: folder)
    let bad = try TestFolder.write(#"{"seed": -4}"#, named: "bad.json", in: folder)
    let both = try TalentflowProcess.run(["validate", good, bad])
    #expect(both.exited(with: 65))
    #expect(both.stdout == "\(good): ok\n")
    #expect(both.stderr == "\(bad): seed must be an integer in [0, 2^53 − 1], got -4\n")
    let one = try TalentflowProcess.run(["validate", good])
    #expect(one.exited(with: 0))
    #expect(one.stdout == "\(good): ok\n")
    #expect(one.stderr == "")
    // --set is validated on top of each file.
    let set = try TalentflowProcess.run(["validate", good, "--set", "population.sise=1"])
    #expect(set.exited(with: 65))
    #expect(set.stderr == "--set: unknown key population.sise (did you mean population.size?)\n")
  }

  @Test("a bad --set is refused by run with exit 65 and writes nothing", arguments: badOverrides)
  func badOverrideThroughCLI(_ bad: BadOverride) throws {
    let folder = try TestFolder.make("config-cli")
    defer { TestFolder.remove(folder) }
    let outcome = try TalentflowProcess.run(
      ["run", "--set", bad.override, "--out", folder.appendingPathComponent("run").path],
      in: folder)
    #expect(outcome.exited(with: 65))
    #expect(outcome.stdout == "")
    #expect(outcome.stderr == "talentflow run: --set: \(bad.message)\n")
    #expect(TestFolder.contents(folder).isEmpty)
  }

  @Test("--set, --seed and --ticks reach the resolved configuration")
  func overridesThroughCLI() throws {
    let folder = try TestFolder.make("config-cli")
    defer { TestFolder.remove(folder) }
    let file = try TestFolder.write(
      #"{"seed": 5, "time": {"ticks": 60}, "population": {"size": 3000}}"#, named: "f.json",
      in: folder)
    let outcome = try TalentflowProcess.run([
      "config", file, "--set", "population.size=1500", "--set", "output.agents=final",
      "--set", "output.moves=true", "--set", "weights.mean=[1,1,1,2,2,2]", "--set", "name=trial 7",
      "--set", "seed=11", "--seed", "42", "--ticks", "18",
    ])
    #expect(outcome.exited(with: 0))
    #expect(outcome.stderr == "")
    let json = try JSONParser.parse(outcome.stdout)
    #expect(jsonValue(json, at: "population.size") == .number(1500))
    #expect(jsonValue(json, at: "output.agents") == .string("final"))
    #expect(jsonValue(json, at: "output.moves") == .bool(true))
    #expect(
      jsonValue(json, at: "weights.mean") == .array([1, 1, 1, 2, 2, 2].map(JSONValue.number)))
    #expect(jsonValue(json, at: "name") == .string("trial 7"))
    // --seed is applied after every --set.
    #expect(jsonValue(json, at: "seed") == .number(42))
    #expect(jsonValue(json, at: "time.ticks") == .number(18))
    // Untouched keys keep the file's or the default value.
    #expect(jsonValue(json, at: "time.warmup") == .number(36))
  }

  @Test("a bad --seed or --ticks names the option, exits 65 and writes nothing")
  func badSeedAndTicks() throws {
    let folder = try TestFolder.make("config-cli")
    defer { TestFolder.remove(folder) }
    let out = folder.appendingPathComponent("run").path
    let seed = try TalentflowProcess.run(["run", "--seed", "-1", "--out", out], in: folder)
    #expect(seed.exited(with: 65))
    #expect(
      seed.stderr == "talentflow run: --seed: seed must be an integer in [0, 2^53 − 1], got -1\n")
    let ticks = try TalentflowProcess.run(["run", "--ticks", "1.5", "--out", out], in: folder)
    #expect(ticks.exited(with: 65))
    #expect(
      ticks.stderr
        == "talentflow run: --ticks: time.ticks must be an integer in [0, 100000], got 1.5\n")
    #expect(TestFolder.contents(folder).isEmpty)
  }

  @Test("talentflow config prints every key of ConfigurationKeys.all with its default")
  func configPrintsEveryKey() throws {
    let outcome = try TalentflowProcess.run(["config"])
    #expect(outcome.exited(with: 0))
    #expect(outcome.stderr == "")
    let json = try JSONParser.parse(outcome.stdout)
    #expect(leafPaths(json) == ConfigurationKeys.all.map(\.path) + ["events"])
    let defaults = Configuration()
    for key in ConfigurationKeys.all {
      #expect(jsonValue(json, at: key.path) == key.value(in: defaults), "\(key.path)")
    }
    #expect(json["events"] == .array([]))
  }

  @Test("talentflow config output loads back to an equal configuration")
  func configRoundTrip() throws {
    let folder = try TestFolder.make("config-cli")
    defer { TestFolder.remove(folder) }
    let overrides = [
      "--set", "name=round trip", "--set", "population.size=1234", "--set", "output.agents=6",
      "--set", "startup.roundSize=[1000.5,2000.25,30000,1e6]",
      "--set", "macro.fundingSeries=[[0,1],[30,0.3]]", "--set", "policy.equityTax=0.1",
      "--set",
      #"events=[{"tick":2,"type":"set","path":"policy.nonCompete","value":0.75},"#
        + #"{"tick":3,"type":"layoffs","sector":"startup","fraction":0.125},"#
        + #"{"tick":4,"type":"fundingShock","multiplier":0.45,"ticks":24},"#
        + #"{"tick":5,"type":"entrySurge","count":300}]"#,
      "--seed", "77", "--ticks", "30",
    ]
    let first = try TalentflowProcess.run(["config"] + overrides)
    #expect(first.exited(with: 0))
    let printed = try TestFolder.write(first.stdout, named: "printed.json", in: folder)

    // Library: the printed file loads to the configuration the overrides describe.
    let setOnly = stride(from: 0, to: overrides.count - 4, by: 2).map { overrides[$0 + 1] }
    let expected = try Configuration.load(
      file: nil, overrides: setOnly + ["seed=77", "time.ticks=30"])
    #expect(try Configuration.load(file: printed) == expected)
    #expect(expected.events.count == 4)
    #expect(expected.name == "round trip")

    // CLI: printing the printed file gives the same text (a fixed point).
    let second = try TalentflowProcess.run(["config", printed])
    #expect(second.exited(with: 0))
    #expect(second.stdout == first.stdout)
  }

  @Test("configs/baseline.json is exactly the default talentflow config output")
  func baselineFileIsCurrent() throws {
    let baseline = TalentflowProcess.packageRoot.appendingPathComponent("configs/baseline.json")
    let text = String(decoding: try Data(contentsOf: baseline), as: UTF8.self)
    let outcome = try TalentflowProcess.run(["config"])
    #expect(outcome.exited(with: 0))
    #expect(
      text == outcome.stdout,
      "configs/baseline.json is stale: `talentflow config > configs/baseline.json`")
    #expect(try Configuration.load(file: baseline.path) == Configuration())
  }

  /// Every configuration and scenario file under `configs/` validates.
  ///
  /// Skipped, because they are not configurations: files under `configs/sweeps/` and
  /// `configs/datasets/`, and any file whose top level has a `grid`, `sample` or `replicates`
  /// key (a sweep specification, checked by the sweep tests).
  @Test("every configuration file under configs/ validates")
  func shippedConfigsValidate() throws {
    let configs = TalentflowProcess.packageRoot.appendingPathComponent("configs")
    let skippedFolders = ["sweeps", "datasets"]
    var files: [String] = []
    let enumerator = FileManager.default.enumerator(
      at: configs, includingPropertiesForKeys: nil)
    while let url = enumerator?.nextObject() as? URL {
      guard url.pathExtension == "json" else { continue }
      let relative = url.standardizedFileURL.path.dropFirst(
        configs.standardizedFileURL.path.count + 1)
      if let top = relative.split(separator: "/").first, relative.contains("/"),
        skippedFolders.contains(String(top))
      {
        continue
      }
      let json = try? JSONParser.parse(bytes: [UInt8](try Data(contentsOf: url)))
      if let json, ["grid", "sample", "replicates"].contains(where: { json[$0] != nil }) {
        continue
      }
      files.append(url.path)
    }
    files.sort()
    #expect(files.contains { $0.hasSuffix("configs/baseline.json") })
    let outcome = try TalentflowProcess.run(["validate"] + files)
    #expect(outcome.exited(with: 0), "\(outcome.stderr)")
    #expect(outcome.stderr == "")
    #expect(outcome.stdoutLines == files.map { "\($0): ok" })
  }
}
