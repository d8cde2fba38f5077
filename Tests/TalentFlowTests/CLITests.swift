import Foundation
import Testing

@testable import TalentFlow

/// Options for a small, quick run: 1,000 professionals, 40 startups, 12 warm-up and 12 ticks.
private let smallRunOptions = [
  "--set", "population.size=1000", "--set", "firms.startups=40", "--set", "time.warmup=12",
  "--ticks", "12", "--threads", "2",
]

/// A CSV file as a header and rows of fields (the outputs never quote fields).
struct OutputCSV {
  var header: [String]
  var rows: [[String]]

  init(_ url: URL) throws {
    let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
    var lines = text.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    header = lines.first.map { $0.components(separatedBy: ",") } ?? []
    rows = lines.dropFirst().map { $0.components(separatedBy: ",") }
  }

  /// The values of a named column.
  func column(_ name: String) -> [String] {
    guard let k = header.firstIndex(of: name) else { return [] }
    return rows.map { k < $0.count ? $0[k] : "" }
  }
}

/// An integer with thousands separators, as the run summary prints it ("12,345").
private func grouped(_ n: Int) -> String {
  let digits = String(abs(n))
  var out = ""
  for (k, ch) in digits.enumerated() {
    if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
    out.append(ch)
  }
  return n < 0 ? "-" + out : out
}

@Suite("CLI: help, version and usage errors")
struct CLIUsageTests {
  /// The command names listed under COMMANDS in the overview.
  static func listedCommands(_ overview: String) -> [String] {
    let lines = overview.components(separatedBy: "\n")
    guard let start = lines.firstIndex(of: "COMMANDS:") else { return [] }
    return lines[(start + 1)...].prefix { $0.hasPrefix("  ") }.compactMap {
      $0.split(separator: " ").first.map(String.init)
    }
  }

  @Test("--help, -h, help and no arguments print the overview to stdout with exit 0")
  func overview() throws {
    let help = try TalentflowProcess.run(["--help"])
    #expect(help.exited(with: 0))
    #expect(help.stderr == "")
    #expect(help.stdout.contains("USAGE: talentflow <command> [options]"))
    #expect(help.stdout.hasPrefix("talentflow \(TalentFlowVersion.tool) — "))
    let commands = Self.listedCommands(help.stdout)
    for name in ["run", "validate", "config", "decide"] {
      #expect(commands.contains(name), "overview lists \(name)")
    }
    for other in [["-h"], ["help"], []] {
      let outcome = try TalentflowProcess.run(other)
      #expect(outcome.exited(with: 0))
      #expect(outcome.stdout == help.stdout, "\(other)")
      #expect(outcome.stderr == "")
    }
  }

  @Test("<command> --help prints that command's usage to stdout with exit 0, for every command")
  func commandHelp() throws {
    let overview = try TalentflowProcess.run(["--help"])
    let commands = Self.listedCommands(overview.stdout)
    #expect(commands.count >= 4)
    for name in commands {
      let help = try TalentflowProcess.run([name, "--help"])
      #expect(help.exited(with: 0), "\(name) --help")
      #expect(help.stderr == "", "\(name) --help")
      #expect(help.stdout.contains("USAGE: talentflow \(name)"), "\(name) --help")
      let short = try TalentflowProcess.run([name, "-h"])
      #expect(short.stdout == help.stdout, "\(name) -h")
      let viaHelp = try TalentflowProcess.run(["help", name])
      #expect(viaHelp.stdout == help.stdout, "help \(name)")
    }
    // The run help documents every option of issue 2 item 6.
    let run = try TalentflowProcess.run(["run", "--help"])
    for option in ["--seed", "--ticks", "--set", "--out", "--threads", "--quiet", "--force"] {
      #expect(run.stdout.contains(option), "run --help mentions \(option)")
    }
  }

  @Test(
    "Every command's synopsis names exactly the options its help documents, and each is accepted")
  func synopsisMatchesOptions() throws {
    let overview = try TalentflowProcess.run(["--help"])
    for name in Self.listedCommands(overview.stdout) {
      let help = try TalentflowProcess.run([name, "--help"]).stdout
      let paragraphs = help.components(separatedBy: "\n\n")
      let synopsis = Self.optionNames(in: paragraphs[0], pattern: #"--[a-z][a-z-]*"#)
      // Rows of the option sections (OPTIONS, SLURM, …): `  --name` at the start of a line.
      let sections = paragraphs.dropFirst().filter {
        $0.hasSuffix(":") == false && $0.split(separator: "\n").first?.hasSuffix(":") == true
          && !$0.hasPrefix("ARGUMENTS:")
      }
      let documented = Self.optionNames(
        in: sections.joined(separator: "\n"), pattern: #"(?m)^  --[a-z][a-z-]*"#)
      #expect(synopsis == documented, "\(name): synopsis vs documented options")
      // Each documented option is one the parser knows: parsing passes it and stops at the
      // unknown option after it (or says the flag takes no value), so nothing runs.
      for option in documented {
        let outcome = try TalentflowProcess.run([name, option + "=1", "--not-an-option"])
        #expect(outcome.exited(with: 64), "\(name) \(option)")
        #expect(
          outcome.stderr.contains("unknown option --not-an-option")
            || outcome.stderr.contains("\(option) takes no value"), "\(name) \(option)")
      }
    }
  }

  /// The `--name`s a pattern finds in a text, without the leading spaces.
  static func optionNames(in text: String, pattern: String) -> Set<String> {
    let regex = try! NSRegularExpression(pattern: pattern)
    let range = NSRange(text.startIndex..., in: text)
    return Set(
      regex.matches(in: text, range: range).map {
        String(text[Range($0.range, in: text)!]).trimmingCharacters(in: .whitespaces)
      })
  }

  @Test("--version prints the tool, model and MODEL.md versions")
  func version() throws {
    let outcome = try TalentflowProcess.run(["--version"])
    #expect(outcome.exited(with: 0))
    #expect(outcome.stderr == "")
    #expect(
      outcome.stdout
        == "talentflow \(TalentFlowVersion.tool) (model \(TalentFlowVersion.model), "
        + "MODEL.md v\(TalentFlowVersion.modelSpecification))\n"
    )
  }

  /// A usage error: the arguments, and the exact stderr.
  struct UsageCase: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var stderr: String
    var testDescription: String { arguments.joined(separator: " ") }

    /// A command's usage error: the message, then the hint to that command's help.
    static func command(_ arguments: [String], _ message: String) -> UsageCase {
      let name = arguments.first ?? ""
      return UsageCase(
        arguments: arguments,
        stderr: "talentflow \(name): \(message)\nRun `talentflow \(name) --help` for usage.\n")
    }
  }

  static let usageCases: [UsageCase] = [
    UsageCase(
      arguments: ["valdate"],
      stderr: "talentflow: unknown command 'valdate' (did you mean validate?)\n"
        + "Run `talentflow --help` for the commands.\n"),
    UsageCase(
      arguments: ["xyzzyplugh"],
      stderr: "talentflow: unknown command 'xyzzyplugh'\n"
        + "Run `talentflow --help` for the commands.\n"),
    .command(["run", "--frce"], "unknown option --frce (did you mean --force?)"),
    .command(["run", "-q"], "unknown option -q"),
    .command(["run", "--seed"], "--seed needs a value"),
    .command(["config", "--set"], "--set needs a value"),
    .command(["decide", "--weights"], "--weights needs a value"),
    .command(["run", "--quiet=yes"], "--quiet takes no value"),
    .command(["run", "--threads", "0"], "--threads must be an integer between 1 and 1024, got 0"),
    .command(["run", "a.json", "b.json"], "expected at most one configuration file, got 2"),
    .command(["validate"], "expected at least one file"),
    .command(["calibrate"], "expected one calibration specification file, got 0"),
  ]

  @Test(
    "usage errors go to stderr with a hint and exit 64, and write nothing", arguments: usageCases)
  func usageError(_ usage: UsageCase) throws {
    let folder = try TestFolder.make("usage")
    defer { TestFolder.remove(folder) }
    let outcome = try TalentflowProcess.run(usage.arguments, in: folder)
    #expect(outcome.exited(with: 64))
    #expect(outcome.stdout == "")
    #expect(outcome.stderr == usage.stderr)
    #expect(TestFolder.contents(folder).isEmpty)
  }
}

@Suite("decide: the utility of MODEL 4.4")
struct DecideTests {
  static let seedWeights = [0.4, 0.3, 0.3, 0.5, 0.3, 0.2]
  static let bigTechScores = [0.8, 0.7, 0.6, 0, 0, 0]
  static let startupScores = [0, 0, 0, 0.9, 0.8, 0.7]

  @Test("the seed article's example through the library: big tech 0.71, startup 0.83")
  func seedExampleInLibrary() {
    let model = JobUtility(Configuration().utility)
    let bigTech = model.utility(weights: Self.seedWeights, scores: Self.bigTechScores)
    let startup = model.utility(weights: Self.seedWeights, scores: Self.startupScores)
    // 0.4·0.8 + 0.3·0.7 + 0.3·0.6 = 0.71; 0.5·0.9 + 0.3·0.8 + 0.2·0.7 = 0.83.
    #expect(abs(bigTech - 0.71) < 1e-12)
    #expect(abs(startup - 0.83) < 1e-12)
    #expect(startup > bigTech)
  }

  @Test("money and risk terms in the library match a hand computation")
  func moneyAndRiskInLibrary() {
    let model = JobUtility(compReference: 20, riskWeight: 0.2)
    // Σ w·a = 0.4·0.3 + 0.3·0.5 + 0.3·0.6 + 0.5·0.9 + 0.3·0.8 + 0.2·0.7 = 1.28.
    // comp = 15 + 36/12 = 18, so λ·ln(comp/20) = 0.5·ln 0.9 = −0.0526802578289…
    // e = 3/18 = 1/6, so ρ·riskWeight·(1 − stability)·(0.5 + e) = 1.5·0.2·0.7·(2/3)
    // = 0.14.
    let u = model.utility(
      weights: Self.seedWeights, scores: [0.3, 0.5, 0.6, 0.9, 0.8, 0.7], moneyWeight: 0.5,
      riskAversion: 1.5, monthlyWage: 15, yearlyEquity: 36)
    #expect(abs(u - 1.0873197421710867) < 1e-12)
    // The same through the preference form, and a stay-put job with no equity and full pay.
    let direct = model.utility(
      preference: 1.28, moneyWeight: 0.5, riskAversion: 1.5, monthlyWage: 15, yearlyEquity: 36,
      stability: 0.3)
    #expect(abs(direct - u) < 1e-12)
    // comp = 20: no money term; e = 0: risk = 2·0.2·(1 − 0.9)·0.5 = 0.02.
    let plain = model.utility(
      preference: 0.5, moneyWeight: 3, riskAversion: 2, monthlyWage: 20, yearlyEquity: 0,
      stability: 0.9)
    #expect(abs(plain - 0.48) < 1e-12)
  }

  @Test("talentflow decide with no arguments reproduces the seed example")
  func seedExampleThroughCLI() throws {
    let outcome = try TalentflowProcess.run(["decide"])
    #expect(outcome.exited(with: 0))
    #expect(outcome.stderr == "")
    #expect(
      outcome.stdout == "bigtech: U = 0.71\nstartup: U = 0.83\nchoice: startup (join the startup)\n"
    )
  }

  @Test("talentflow decide with flags")
  func flags() throws {
    let outcome = try TalentflowProcess.run([
      "decide", "--weights", "0.4,0.3,0.3,0.5,0.3,0.2", "--job", "young=0.3,0.5,0.6,0.9,0.8,0.7",
      "--job", "giant=0.8,0.7,0.6,0,0,0", "--money-weight", "0.5", "--risk-aversion", "1.5",
      "--wage", "15", "--equity", "36",
    ])
    #expect(outcome.exited(with: 0))
    #expect(outcome.stderr == "")
    // giant: 0.71 − 0.0526803 − 1.5·0.2·0.2·(2/3) = 0.6173197.
    #expect(
      outcome.stdout == "young: U = 1.08732\ngiant: U = 0.61732\nchoice: young (join the young)\n")
  }

  @Test("talentflow decide with a JSON file, per-job pay, and a big-tech choice")
  func file() throws {
    let folder = try TestFolder.make("decide")
    defer { TestFolder.remove(folder) }
    let path = try TestFolder.write(
      """
      {"weights": [0.4, 0.3, 0.3, 0.5, 0.3, 0.2], "moneyWeight": 0.5, "riskAversion": 1.5,
       "jobs": [{"name": "startup", "scores": [0.3, 0.5, 0.6, 0.9, 0.8, 0.7],
                 "wage": 15, "equity": 36},
                {"name": "bigtech", "scores": [0.8, 0.7, 0.6, 0, 0, 0], "wage": 50, "equity": 60}]}
      """, named: "offer.json", in: folder)
    let outcome = try TalentflowProcess.run(["decide", path])
    #expect(outcome.exited(with: 0))
    #expect(outcome.stderr == "")
    // bigtech: comp = 55, 0.71 + 0.5·ln 2.75 − 1.5·0.2·0.2·(0.5 + 5/55) = 1.1803459.
    #expect(
      outcome.stdout
        == "startup: U = 1.08732\nbigtech: U = 1.180346\nchoice: bigtech (join the bigtech)\n")
  }

  /// A bad `decide` file, and the message after "talentflow decide: <file>: ".
  static let badFiles: [(json: String, message: String)] = [
    (#"{"weights": [1, 1, 1, 1, 1]}"#, "weights must be a list of 6 numbers, got [1,1,1,1,1]"),
    (#"{"weights": [1, 1, 1, 1, 1, -1]}"#, "weights must be non-negative, got [1,1,1,1,1,-1]"),
    (#"{"moneyWeight": "high"}"#, #"moneyWeight must be a number, got "high""#),
    (#"{"riskAversion": true}"#, "riskAversion must be a number, got true"),
    (
      #"{"wieghts": []}"#,
      "unknown key wieghts (keys: weights, moneyWeight, riskAversion, jobs, found)"
    ),
    (#"{"jobs": []}"#, "jobs must be a non-empty list of jobs, got []"),
    (#"{"jobs": [3]}"#, "jobs[0] must be an object with name, scores, wage and equity, got 3"),
    (
      #"{"jobs": [{"name": "a", "scores": [1, 0, 0, 0, 0, 0], "scroes": 1}]}"#,
      "unknown key jobs[0].scroes (keys: name, scores, wage, equity)"
    ),
    (#"{"jobs": [{"scores": [1, 0, 0, 0, 0, 0]}]}"#, "jobs[0].name must be a string"),
    (
      #"{"jobs": [{"name": "a", "scores": [1, 0, 0]}]}"#,
      "jobs[0].scores must be a list of 6 numbers, got [1,0,0]"
    ),
    (
      #"{"jobs": [{"name": "a", "scores": [1, 0, 0, 0, 0, 0], "wage": "lots"}]}"#,
      #"jobs[0].wage must be a positive number (k$ a month), got "lots""#
    ),
    (
      #"{"jobs": [{"name": "a", "scores": [1, 0, 0, 0, 0, 0], "wage": 0}]}"#,
      "jobs[0].wage must be a positive number (k$ a month), got 0"
    ),
    (
      #"{"jobs": [{"name": "a", "scores": [1, 0, 0, 0, 0, 0], "equity": -5}]}"#,
      "jobs[0].equity must be a non-negative number (k$ a year), got -5"
    ),
    (#"{"found": {"skill": 2}}"#, "found.skill must be a number between 0 and 1, got 2"),
    (
      #"{"found": {"wealth": 1, "capital": 2}}"#,
      "unknown key found.capital (keys: skill, wealth, climate)"
    ),
    (
      #"{"found": 3}"#,
      "found must be true, false or an object with skill, wealth and climate, got 3"
    ),
    ("[1]", "the top level must be an object, got [1]"),
    (
      "{",
      "malformed JSON at line 1, column 2: unexpected end of input: expected a string key or '}'"
    ),
  ]

  @Test("a bad decide file is a data error (65) naming the file, the key and the value")
  func badFiles() throws {
    let folder = try TestFolder.make("decide")
    defer { TestFolder.remove(folder) }
    for (k, bad) in Self.badFiles.enumerated() {
      let path = try TestFolder.write(bad.json, named: "bad\(k).json", in: folder)
      let outcome = try TalentflowProcess.run(["decide", path])
      #expect(outcome.exited(with: 65), "\(bad.json)")
      #expect(outcome.stdout == "", "\(bad.json)")
      #expect(outcome.stderr == "talentflow decide: \(path): \(bad.message)\n")
    }
  }

  @Test("decide --found evaluates founding by the model's own rule, and --set reaches it")
  func found() throws {
    let weights = [0.1, 0.1, 0.1, 0.3, 0.3, 0.1]
    let arguments = [
      "decide", "--weights", weights.map { "\($0)" }.joined(separator: ","), "--money-weight",
      "0.2", "--risk-aversion", "1", "--found", "--skill", "0.7", "--wealth", "300",
    ]
    func foundUtility(_ outcome: ProcessOutcome) -> Double? {
      let line = outcome.stdout.split(separator: "\n").first { $0.hasPrefix("found: U = ") }
      return line.flatMap { Double($0.dropFirst(11).prefix { $0 != " " }) }
    }
    let outcome = try TalentflowProcess.run(arguments)
    #expect(outcome.exited(with: 0), "\(outcome.stderr)")
    let expected = FoundingOption(Configuration(), climate: 1).utility(
      weights: weights, moneyWeight: 0.2, riskAversion: 1, skill: 0.7, wealth: 300)
    let printed = try #require(foundUtility(outcome))
    #expect(abs(printed - expected) < 1e-6)
    // A tax on the founder's stake lowers what founding is worth to her.
    let taxed = try TalentflowProcess.run(arguments + ["--set", "policy.equityTax=0.5"])
    #expect(try #require(foundUtility(taxed)) < printed)
    // The same through a file.
    let folder = try TestFolder.make("decide-found")
    defer { TestFolder.remove(folder) }
    let file = try TestFolder.write(
      #"{"weights": [0.1, 0.1, 0.1, 0.3, 0.3, 0.1], "moneyWeight": 0.2, "riskAversion": 1, "found": {"skill": 0.7, "wealth": 300}}"#,
      named: "found.json", in: folder)
    let fromFile = try TalentflowProcess.run(["decide", file])
    #expect(foundUtility(fromFile) == printed)
  }

  @Test("bad decide flags are usage errors (64)")
  func badFlags() throws {
    let cases: [([String], String)] = [
      (["--job", "x=1,2,3"], "--job needs 6 comma-separated numbers, got 1,2,3"),
      (["--job", "=1,0,0,0,0,0"], "--job must be name=a1,…,a6, got =1,0,0,0,0,0"),
      (["--weights", "1,1,1,1,1,-1"], "--weights must be non-negative, got 1,1,1,1,1,-1"),
      (["--money-weight", "lots"], "--money-weight must be a number, got lots"),
      (["--wage", "0"], "--wage must be a positive number, got 0"),
      (["--equity", "-3"], "--equity must be a non-negative number, got -3"),
      (["a.json", "b.json"], "expected at most one file"),
      (["--skill", "0.5"], "--skill describes the founding option: give --found too"),
      (["--found", "--skill", "1.5"], "--skill must be a number between 0 and 1, got 1.5"),
      (["--found", "--climate", "0"], "--climate must be a positive number, got 0"),
    ]
    for (arguments, message) in cases {
      let outcome = try TalentflowProcess.run(["decide"] + arguments)
      #expect(outcome.exited(with: 64), "\(arguments)")
      #expect(outcome.stdout == "")
      #expect(
        outcome.stderr
          == "talentflow decide: \(message)\nRun `talentflow decide --help` for usage.\n")
    }
  }
}

@Suite("CLI: run")
struct RunCommandTests {
  /// MODEL.md section 6, written out here so that a change to the code's column lists fails.
  static let timeseriesColumns = [
    "tick", "year", "professionals", "employed_bigtech", "employed_startup", "unemployed",
    "firms_bigtech", "firms_startup", "startups_born", "startups_failed", "startups_acquired",
    "startups_graduated", "moves_bigtech_to_startup", "moves_startup_to_bigtech",
    "moves_startup_to_startup", "moves_bigtech_to_bigtech", "hires_bigtech", "hires_startup",
    "layoffs_bigtech", "layoffs_startup", "failures_displaced", "acquisition_transfers",
    "graduation_transfers", "foundings", "entrants", "exits", "vacancies_bigtech",
    "vacancies_startup", "mean_wage_bigtech", "mean_wage_startup", "mean_equity_offer",
    "mean_stability_startup", "mean_resources_startup", "funding_climate", "mean_utility",
  ]
  static let flowsColumns = ["tick", "from", "to", "reason", "count"]
  static let firmsColumns = [
    "tick", "firm", "type", "alive", "age", "headcount", "vacancies", "cash", "revenue",
    "valuation", "stage", "equity_offer", "stability", "resources", "career", "innovation",
    "autonomy", "worklife",
  ]
  static let agentsColumns = [
    "tick", "id", "employer", "sector", "skill", "tenure", "w_stability", "w_resources",
    "w_career", "w_innovation", "w_autonomy", "w_worklife", "money_weight", "risk_aversion",
    "visa_dependent", "wealth",
  ]
  static let movesColumns = [
    "tick", "professional", "from_firm", "to_firm", "from", "to", "reason",
  ]
  static let reasons: Set<String> = [
    "voluntary", "hire", "layoff", "failure", "acquisition", "founding", "graduation", "entry",
    "exit",
  ]
  static let places: Set<String> = ["bigtech", "startup", "unemployed", "outside"]

  /// Runs a small configuration into `<folder>/run`.
  static func smallRun(in folder: URL, _ extra: [String] = []) throws -> (URL, ProcessOutcome) {
    let out = folder.appendingPathComponent("run")
    let outcome = try TalentflowProcess.run(
      ["run", "--seed", "3"] + smallRunOptions + extra + ["--out", out.path], in: folder)
    return (out, outcome)
  }

  @Test("run writes every file; the manifest's row counts and SHA-256s match the files")
  func manifestMatchesFiles() throws {
    let folder = try TestFolder.make("run")
    defer { TestFolder.remove(folder) }
    let extra = ["--set", "output.agents=final", "--set", "output.moves=true", "--quiet"]
    let (out, outcome) = try Self.smallRun(in: folder, extra)
    #expect(outcome.exited(with: 0), "\(outcome.stderr)")
    #expect(outcome.stdout == "")
    #expect(outcome.stderr == "")
    #expect(TestFolder.contents(folder) == ["run"])
    #expect(
      TestFolder.contents(out) == [
        "agents.csv", "firms.csv", "flows.csv", "manifest.json", "moves.csv", "timeseries.csv",
      ])

    let manifest = try JSONParser.parse(
      bytes: [UInt8](try Data(contentsOf: out.appendingPathComponent("manifest.json"))))
    #expect(manifest["tool"] == .string("talentflow"))
    #expect(manifest["toolVersion"] == .string(TalentFlowVersion.tool))
    #expect(manifest["modelVersion"] == .string(TalentFlowVersion.model))
    #expect(manifest["seed"] == .number(3))
    #expect(manifest["ticks"] == .number(12))
    #expect(manifest["warmup"] == .number(12))

    // The resolved configuration in the manifest is the one the options describe.
    let expected = try Configuration.load(
      file: nil,
      overrides: [
        "population.size=1000", "firms.startups=40", "time.warmup=12", "output.agents=final",
        "output.moves=true", "seed=3", "time.ticks=12",
      ])
    var recorded = Configuration()
    try recorded.apply(json: manifest["configuration"] ?? .null, source: "manifest.json")
    #expect(recorded == expected)
    #expect(manifest["configurationSHA256"] == .string(Manifest.configurationHash(expected)))

    let files = manifest["files"]?.arrayValue ?? []
    let names = files.compactMap { $0["name"]?.stringValue }
    #expect(names == ["timeseries.csv", "flows.csv", "firms.csv", "agents.csv", "moves.csv"])

    let sums = try TalentflowProcess.runTool("/usr/bin/sha256sum", names, in: out)
    #expect(sums.exited(with: 0))
    var coreutils: [String: String] = [:]
    for line in sums.stdoutLines {
      let parts = line.split(separator: " ", omittingEmptySubsequences: true)
      if parts.count == 2 { coreutils[String(parts[1])] = String(parts[0]) }
    }
    #expect(coreutils.count == names.count)

    for entry in files {
      let name = entry["name"]?.stringValue ?? ""
      let data = try Data(contentsOf: out.appendingPathComponent(name))
      let newlines = data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
      #expect(data.last == UInt8(ascii: "\n"), "\(name) ends with a newline")
      #expect(entry["rows"] == .number(Double(newlines - 1)), "\(name) rows (header excluded)")
      #expect(entry["bytes"] == .number(Double(data.count)), "\(name) bytes")
      let digest = SHA256.hexDigest([UInt8](data))
      #expect(entry["sha256"] == .string(digest), "\(name) SHA-256 (library)")
      #expect(coreutils[name] == digest, "\(name) SHA-256 (sha256sum)")
    }
    #expect(manifest["files"]?.arrayValue?.first?["rows"] == .number(13))
  }

  @Test("the CSV files have MODEL.md section 6's columns and values in range")
  func csvColumns() throws {
    let folder = try TestFolder.make("run")
    defer { TestFolder.remove(folder) }
    let extra = [
      "--set", "output.agents=final", "--set", "output.moves=true", "--set", "output.firmsEvery=6",
      "--quiet",
    ]
    let (out, outcome) = try Self.smallRun(in: folder, extra)
    #expect(outcome.exited(with: 0), "\(outcome.stderr)")

    let timeseries = try OutputCSV(out.appendingPathComponent("timeseries.csv"))
    #expect(timeseries.header == Self.timeseriesColumns)
    #expect(timeseries.header.count == 35)
    #expect(timeseries.column("tick") == (0...12).map(String.init))
    #expect(timeseries.column("year") == ["0"] + Array(repeating: "1", count: 12))
    #expect(timeseries.rows.allSatisfy { $0.count == 35 })

    let flows = try OutputCSV(out.appendingPathComponent("flows.csv"))
    #expect(flows.header == Self.flowsColumns)
    #expect(!flows.rows.isEmpty)
    for row in flows.rows {
      #expect(row.count == 5)
      guard row.count == 5 else { continue }
      #expect(Self.places.contains(row[1]) && Self.places.contains(row[2]), "\(row)")
      #expect(Self.reasons.contains(row[3]), "flows.csv reason \(row[3])")
      #expect((Int(row[4]) ?? 0) > 0, "\(row)")
      #expect((0...12).contains(Int(row[0]) ?? -1), "\(row)")
    }
    #expect(Set(flows.column("reason")).isSuperset(of: ["voluntary", "hire", "entry", "exit"]))

    let firms = try OutputCSV(out.appendingPathComponent("firms.csv"))
    #expect(firms.header == Self.firmsColumns)
    #expect(Set(firms.column("tick")) == ["0", "6", "12"])
    #expect(Set(firms.column("type")) == ["bigtech", "startup"])
    #expect(firms.rows.allSatisfy { $0.count == Self.firmsColumns.count })

    let agents = try OutputCSV(out.appendingPathComponent("agents.csv"))
    #expect(agents.header == Self.agentsColumns)
    #expect(Set(agents.column("tick")) == ["12"])
    #expect(agents.rows.allSatisfy { $0.count == Self.agentsColumns.count })
    let last = timeseries.rows.last ?? []
    #expect(String(agents.rows.count) == (last.isEmpty ? "" : last[2]), "one row per professional")

    let moves = try OutputCSV(out.appendingPathComponent("moves.csv"))
    #expect(moves.header == Self.movesColumns)
    for row in moves.rows {
      #expect(row.count == 7)
      guard row.count == 7 else { continue }
      #expect(Self.places.contains(row[4]) && Self.places.contains(row[5]), "\(row)")
      #expect(Self.reasons.contains(row[6]), "moves.csv reason \(row[6])")
    }
  }

  @Test("without --out a run goes to output/<name>-seed<seed>/ under the working directory")
  func defaultDestination() throws {
    let folder = try TestFolder.make("run")
    defer { TestFolder.remove(folder) }
    let short = smallRunOptions + ["--ticks", "3", "--quiet"]
    let baseline = try TalentflowProcess.run(["run", "--seed", "7"] + short, in: folder)
    #expect(baseline.exited(with: 0), "\(baseline.stderr)")
    #expect(TestFolder.contents(folder) == ["output"])
    #expect(TestFolder.contents(folder.appendingPathComponent("output")) == ["baseline-seed7"])

    // A file without a name is named after the file; --set name wins over both.
    _ = try TestFolder.write(#"{"seed": 5}"#, named: "small.json", in: folder)
    let unnamed = try TalentflowProcess.run(["run", "small.json"] + short, in: folder)
    #expect(unnamed.exited(with: 0), "\(unnamed.stderr)")
    let named = try TalentflowProcess.run(
      ["run", "small.json", "--set", "name=trial", "--seed", "9"] + short, in: folder)
    #expect(named.exited(with: 0), "\(named.stderr)")
    let output = folder.appendingPathComponent("output")
    #expect(TestFolder.contents(output) == ["baseline-seed7", "small-seed5", "trial-seed9"])
    for run in TestFolder.contents(output) {
      #expect(
        TestFolder.contents(output.appendingPathComponent(run)) == [
          "firms.csv", "flows.csv", "manifest.json", "timeseries.csv",
        ], "\(run)")
    }
  }

  @Test("an existing run folder is refused without --force (73, untouched) and replaced with it")
  func existingFolder() throws {
    let folder = try TestFolder.make("run")
    defer { TestFolder.remove(folder) }
    let (out, first) = try Self.smallRun(in: folder, ["--quiet"])
    #expect(first.exited(with: 0), "\(first.stderr)")
    _ = try TestFolder.write("notes\n", named: "notes.txt", in: out)

    let (_, refused) = try Self.smallRun(in: folder, ["--quiet"])
    #expect(refused.exited(with: 73))
    #expect(refused.stdout == "")
    #expect(
      refused.stderr == "talentflow run: \(out.path) already exists; use --force to overwrite it\n")
    #expect(TestFolder.contents(folder) == ["run"])
    #expect(TestFolder.contents(out).contains("notes.txt"))

    let (_, forced) = try Self.smallRun(in: folder, ["--quiet", "--force"])
    #expect(forced.exited(with: 0), "\(forced.stderr)")
    #expect(TestFolder.contents(folder) == ["run"])
    #expect(
      TestFolder.contents(out) == ["firms.csv", "flows.csv", "manifest.json", "timeseries.csv"])
  }

  @Test("a folder TalentFlow did not write is refused with and without --force (73, untouched)")
  func unrelatedFolder() throws {
    let folder = try TestFolder.make("run")
    defer { TestFolder.remove(folder) }
    let out = folder.appendingPathComponent("run")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    _ = try TestFolder.write("precious results\n", named: "keep.txt", in: out)
    let message =
      "talentflow run: cannot use \(out.path): it is a folder TalentFlow did not write (not "
      + "empty, and no TalentFlow manifest.json in it); --force replaces only an empty folder or "
      + "a folder TalentFlow wrote (holding its manifest.json). Choose another output folder.\n"
    for extra in [["--quiet"], ["--quiet", "--force"]] {
      let (_, refused) = try Self.smallRun(in: folder, extra)
      #expect(refused.exited(with: 73), "\(extra)")
      #expect(refused.stdout == "")
      #expect(refused.stderr == message)
      #expect(TestFolder.contents(folder) == ["run"])
      #expect(TestFolder.contents(out) == ["keep.txt"])
      let kept = try Data(contentsOf: out.appendingPathComponent("keep.txt"))
      #expect(String(decoding: kept, as: UTF8.self) == "precious results\n")
    }
  }

  @Test("without --quiet a run prints where the outputs went and a three-line summary")
  func summary() throws {
    let folder = try TestFolder.make("run")
    defer { TestFolder.remove(folder) }
    let (out, outcome) = try Self.smallRun(in: folder)
    #expect(outcome.exited(with: 0), "\(outcome.stderr)")
    // stderr is not a terminal here, so no progress line.
    #expect(outcome.stderr == "")
    let lines = outcome.stdoutLines
    #expect(lines.count == 4)
    guard lines.count == 4 else { return }

    let manifest = try JSONParser.parse(
      bytes: [UInt8](try Data(contentsOf: out.appendingPathComponent("manifest.json"))))
    let files = (manifest["files"]?.arrayValue ?? []).map { entry in
      "\(entry["name"]?.stringValue ?? "") (\(entry["rows"]?.intValue ?? -1) rows)"
    }
    #expect(lines[0] == "Wrote \(out.path)/: \(files.joined(separator: ", ")), manifest.json")

    let table = try OutputCSV(out.appendingPathComponent("timeseries.csv"))
    let last = table.rows.last ?? []
    func final(_ column: String) -> String {
      guard let k = table.header.firstIndex(of: column), k < last.count, let n = Int(last[k])
      else { return "?" }
      return grouped(n)
    }
    func total(_ column: String) -> String {
      // Over the recorded ticks 1…T, not tick 0.
      grouped(table.column(column).dropFirst().reduce(0) { $0 + (Int($1) ?? 0) })
    }
    #expect(
      lines[1]
        == "Final stocks (tick 12): big tech \(final("employed_bigtech")), "
        + "startups \(final("employed_startup")), unemployed \(final("unemployed")); "
        + "\(final("firms_startup")) living startups"
    )
    #expect(
      lines[2]
        == "Job-to-job moves over 12 ticks: "
        + "big tech → startup \(total("moves_bigtech_to_startup")), "
        + "startup → big tech \(total("moves_startup_to_bigtech")), "
        + "startup → startup \(total("moves_startup_to_startup")), "
        + "big tech → big tech \(total("moves_bigtech_to_bigtech"))"
    )
    let startups =
      "Startups: \(total("startups_born")) born, \(total("startups_failed")) failed, "
      + "\(total("startups_acquired")) acquired, \(total("startups_graduated")) graduated ("
    #expect(lines[3].hasPrefix(startups), "\(lines[3])")
    #expect(lines[3].hasSuffix(" s)"))
  }

  @Test("a killed run leaves nothing finished-looking at its destination")
  func interruptedRun() throws {
    let folder = try TestFolder.make("run")
    defer { TestFolder.remove(folder) }
    let out = folder.appendingPathComponent("big")
    // Big enough to take far more than a second even in a release build.
    let running = try TalentflowProcess.launch(
      [
        "run", "--set", "population.size=20000", "--ticks", "120", "--set", "time.warmup=12",
        "--out", out.path, "--quiet",
      ], in: folder)
    // Wait for the run to start writing (its hidden working folder appears), then a second.
    let deadline = Date().addingTimeInterval(120)
    while !TestFolder.contents(folder).contains(where: { $0.hasPrefix(".big.partial-") })
      && Date() < deadline
    {
      usleep(20_000)
    }
    usleep(1_000_000)
    running.send(SIGKILL)
    let outcome = try running.wait(timeout: 60)
    #expect(
      outcome.signalled && outcome.status == SIGKILL,
      "the run must still be going when killed; it ended with \(outcome.status): \(outcome.stderr)")
    let left = TestFolder.contents(folder)
    #expect(!left.contains("big"), "no folder at the destination")
    #expect(
      left.allSatisfy { $0.hasPrefix(".big.partial-") }, "only the hidden partial folder: \(left)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }
}
