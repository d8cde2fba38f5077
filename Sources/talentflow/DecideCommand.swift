import Foundation
import TalentFlow

/// One job to evaluate in `talentflow decide`.
struct DecideJob {
  var name: String
  var scores: [Double]
  var wage: Double
  var equity: Double
}

/// The founding option of `talentflow decide`: who she is, and the climate she would found in.
struct DecideFounding {
  var skill = 0.5
  var wealth = 0.0
  var climate = 1.0
}

/// What `talentflow decide` evaluates: one professional, her jobs, and perhaps founding.
struct DecideInput {
  var weights = seedExampleWeights
  var jobs = seedExampleJobs
  var moneyWeight = 0.0
  var riskAversion = 0.0
  var found: DecideFounding? = nil
}

let seedExampleWeights = [0.4, 0.3, 0.3, 0.5, 0.3, 0.2]
let seedExampleJobs = [
  DecideJob(name: "bigtech", scores: [0.8, 0.7, 0.6, 0, 0, 0], wage: 20, equity: 0),
  DecideJob(name: "startup", scores: [0, 0, 0, 0.9, 0.8, 0.7], wage: 20, equity: 0),
]

let decideCommand = Command(
  name: "decide",
  summary: "Evaluate the utility of MODEL 4.4 for one professional: jobs, and founding.",
  usage: """
    talentflow decide [FILE.json] [--weights w1,…,w6] [--job name=a1,…,a6]...
                             [--money-weight λ] [--risk-aversion ρ] [--wage K] [--equity E]
                             [--found [--skill q] [--wealth W] [--climate F]]
                             [--set key.path=value]...
    """,
  about: """
    Prints each job's utility U and the choice (the option with the highest U). With no
    arguments it reproduces the seed article's worked example: big tech 0.71, startup 0.83, join
    the startup. Attribute scores and weights are in the order
    stability, resources, career, innovation, autonomy, worklife.

    With --found (or "found" in FILE.json), founding a startup is evaluated beside the jobs by
    the model's own rule (Model.md 4.7): the attributes her new startup would publish, the pay
    she would take (founding.salary) plus her stake's perceived value after policy.equityTax,
    and the risk penalty, cushioned by her wealth. --set changes any configuration key it uses
    (policy.equityTax=0, founding.founderStake=0.3, utility.riskWeight=…).

    FILE.json: {"weights": [6 numbers], "moneyWeight": λ, "riskAversion": ρ,
                "jobs": [{"name": "…", "scores": [6 numbers], "wage": k$/month,
                          "equity": yearly equity value k$}],
                "found": {"skill": q, "wealth": k$, "climate": F}}
    """,
  options: [
    Option(.weights, .text("w1,…,w6"), "Preference weights (any non-negative numbers)."),
    Option(.job, .text("name=a1,…,a6"), "A job and its six attribute scores; repeatable."),
    Option(.moneyWeight, .text("λ"), "Weight of ln(comp / utility.compReference) (default 0)."),
    Option(.riskAversion, .text("ρ"), "Weight of the risk penalty (default 0)."),
    Option(.wage, .text("K"), "Monthly wage (k$) of every --job (default 20)."),
    Option(.equity, .text("E"), "Yearly equity value (k$) of every --job (default 0)."),
    Option(.found, "Also evaluate founding a startup (Model.md 4.7)."),
    Option(.skill, .text("q"), "Her skill, in [0, 1], for --found (default 0.5)."),
    Option(.wealth, .text("W"), "Her wealth (k$) for --found (default 0)."),
    Option(.climate, .text("F"), "The funding climate F for --found (default 1)."),
    Option(.set, .text("key.path=value"), "Change a configuration key; repeatable."),
  ],
  run: { arguments in
    var input = DecideInput()
    if arguments.positionals.count > 1 { throw UsageError("expected at most one file") }
    if let file = arguments.positionals.first { input = try readDecideFile(file) }
    func number(_ name: String, _ text: String) throws -> Double {
      guard let x = Double(text), x.isFinite else {
        throw UsageError("--\(name) must be a number, got \(text)")
      }
      return x
    }
    func list(_ name: String, _ text: String) throws -> [Double] {
      let parts = text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
      guard parts.count == 6 else {
        throw UsageError("--\(name) needs 6 comma-separated numbers, got \(text)")
      }
      return try parts.map { try number(name, $0) }
    }
    if let text = arguments.value(.weights) {
      input.weights = try list("weights", text)
      if input.weights.contains(where: { $0 < 0 }) {
        throw UsageError("--weights must be non-negative, got \(text)")
      }
    }
    let wage = try arguments.value(.wage).map { try number("wage", $0) } ?? 20
    if wage <= 0 {
      throw UsageError("--wage must be a positive number, got \(arguments.value(.wage) ?? "")")
    }
    let equity = try arguments.value(.equity).map { try number("equity", $0) } ?? 0
    if equity < 0 {
      throw UsageError(
        "--equity must be a non-negative number, got \(arguments.value(.equity) ?? "")")
    }
    if !arguments.all(.job).isEmpty {
      input.jobs = try arguments.all(.job).map { spec in
        guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex else {
          throw UsageError("--job must be name=a1,…,a6, got \(spec)")
        }
        return DecideJob(
          name: String(spec[..<eq]),
          scores: try list("job", String(spec[spec.index(after: eq)...])),
          wage: wage, equity: equity)
      }
    }
    if let text = arguments.value(.moneyWeight) {
      input.moneyWeight = try number("money-weight", text)
    }
    if let text = arguments.value(.riskAversion) {
      input.riskAversion = try number("risk-aversion", text)
    }
    let foundingOptions: [OptionName] = [.skill, .wealth, .climate]
    if arguments.has(.found) || foundingOptions.contains(where: arguments.given) {
      guard arguments.has(.found) || input.found != nil else {
        let given = foundingOptions.first(where: arguments.given)!.rawValue
        throw UsageError("--\(given) describes the founding option: give --found too")
      }
      var found = input.found ?? DecideFounding()
      if let text = arguments.value(.skill) {
        found.skill = try number("skill", text)
        guard (0...1).contains(found.skill) else {
          throw UsageError("--skill must be a number between 0 and 1, got \(text)")
        }
      }
      if let text = arguments.value(.wealth) {
        found.wealth = try number("wealth", text)
        guard found.wealth >= 0 else {
          throw UsageError("--wealth must be a non-negative number, got \(text)")
        }
      }
      if let text = arguments.value(.climate) {
        found.climate = try number("climate", text)
        guard found.climate > 0 else {
          throw UsageError("--climate must be a positive number, got \(text)")
        }
      }
      input.found = found
    }
    let config = try Configuration.load(file: nil, overrides: arguments.all(.set))
    print(decide(input, config: config))
    return ExitCode.success
  })

/// The lines `talentflow decide` prints: each option's U, then the choice.
func decide(_ input: DecideInput, config: Configuration) -> String {
  let model = JobUtility(config.utility)
  var lines: [String] = []
  var best: (name: String, u: Double)? = nil
  for job in input.jobs {
    let u = model.utility(
      weights: input.weights, scores: job.scores, moneyWeight: input.moneyWeight,
      riskAversion: input.riskAversion, monthlyWage: job.wage, yearlyEquity: job.equity)
    lines.append("\(job.name): U = \(formatUtility(u))")
    if u > (best?.u ?? -Double.infinity) { best = (job.name, u) }
  }
  var choice = best.map { "choice: \($0.name) (join the \($0.name))" }
  if let found = input.found {
    let option = FoundingOption(config, climate: found.climate)
    let u = option.utility(
      weights: input.weights, moneyWeight: input.moneyWeight, riskAversion: input.riskAversion,
      skill: found.skill, wealth: found.wealth)
    let names = ["stability", "resources", "career", "innovation", "autonomy", "worklife"]
    let scores = zip(names, option.attributes(skill: found.skill)).map {
      "\($0) \(formatUtility(($1 * 1000).rounded() / 1000))"
    }
    lines.append(
      "found: U = \(formatUtility(u)) (her startup's scores: \(scores.joined(separator: ", ")); "
        + "pay \(fixed(option.salary, 2)) + stake \(fixed(option.yearlyStakeValue / 12, 2)) k$ a "
        + "month; risk cushion \(fixed(option.cushion(wealth: found.wealth), 3)))")
    if u > (best?.u ?? -Double.infinity) { choice = "choice: found (found a startup)" }
  }
  if let choice { lines.append(choice) }
  return lines.joined(separator: "\n")
}

/// A utility rounded to 6 decimals, without trailing zeros ("0.71").
func formatUtility(_ u: Double) -> String {
  var text = String(format: "%.6f", u)
  while text.hasSuffix("0") { text.removeLast() }
  if text.hasSuffix(".") { text.removeLast() }
  return text == "-0" ? "0" : text
}

/// Reads a `decide` input file.
func readDecideFile(_ file: String) throws -> DecideInput {
  let top = try JSONObjectReader<ConfigurationError>(
    Configuration.readJSON(file: file), file: file
  ) { "the top level must be an object, got \($0.serialized(pretty: false))" }
  /// Keys of an object, listed in the message that refuses any other.
  func checkKeys(_ object: JSONObjectReader<ConfigurationError>, _ known: [String]) throws {
    try object.checkKeys(known) { path, _ in
      "unknown key \(ConfigurationKeys.shown(path)) (keys: \(known.joined(separator: ", ")))"
    }
  }
  /// Six numbers, the scores or weights of the six attributes.
  func six(_ object: JSONObjectReader<ConfigurationError>, _ key: String) throws -> [Double]? {
    try object.optional(key, "must be a list of 6 numbers") { value -> [Double]? in
      guard let items = value.arrayValue, items.count == 6 else { return nil }
      let numbers = items.compactMap(\.doubleValue)
      return numbers.count == 6 ? numbers : nil
    }
  }
  try checkKeys(top, ["weights", "moneyWeight", "riskAversion", "jobs", "found"])
  var input = DecideInput()
  if let weights = try six(top, "weights") {
    guard !weights.contains(where: { $0 < 0 }) else {
      throw top.invalid("weights", "must be non-negative", top["weights"])
    }
    input.weights = weights
  }
  input.moneyWeight = try top.optionalDouble("moneyWeight") { $0.isFinite } ?? 0
  input.riskAversion = try top.optionalDouble("riskAversion") { $0.isFinite } ?? 0
  if top["jobs"] != nil {
    let jobs = try top.objects(
      "jobs", "must be a non-empty list of jobs",
      element: "must be an object with name, scores, wage and equity")
    guard !jobs.isEmpty else {
      throw top.invalid("jobs", "must be a non-empty list of jobs", top["jobs"])
    }
    input.jobs = try jobs.map { job in
      try checkKeys(job, ["name", "scores", "wage", "equity"])
      return DecideJob(
        name: try job.string("name", missing: .requirement),
        scores: try six(job, "scores") ?? { throw job.invalid("scores", "is missing", nil) }(),
        wage: try job.optionalDouble("wage", "must be a positive number (k$ a month)") {
          $0.isFinite && $0 > 0
        } ?? 20,
        equity: try job.optionalDouble("equity", "must be a non-negative number (k$ a year)") {
          $0.isFinite && $0 >= 0
        } ?? 0)
    }
  }
  if let flag = top["found"]?.boolValue {
    input.found = flag ? DecideFounding() : nil
  } else if top["found"] != nil {
    let found = try top.object(
      "found", "must be true, false or an object with skill, wealth and climate")
    try checkKeys(found, ["skill", "wealth", "climate"])
    input.found = DecideFounding(
      skill: try found.optionalDouble("skill", "must be a number between 0 and 1") {
        (0...1).contains($0)
      } ?? 0.5,
      wealth: try found.optionalDouble("wealth", "must be a non-negative number (k$)") {
        $0.isFinite && $0 >= 0
      } ?? 0,
      climate: try found.optionalDouble("climate", "must be a positive number") {
        $0.isFinite && $0 > 0
      } ?? 1)
  }
  return input
}
