/// The list of every configuration key, in the order `talentflow config` prints them.
///
/// Each entry names the MODEL.md key, its allowed range and what it means. Adding a parameter to
/// the model means adding a field to `Configuration` and a line here; the loader, `--set`,
/// scenario `set` events, the printed configuration and `configs/baseline.json` follow from it.
public enum ConfigurationKeys {
  /// Every key, in printing order.
  public static let all: [ConfigurationKey] = [
    .text("name", \.name, namesFolder: true, "Short name of the run; names the default output folder."),
    .text("description", \.description, "What this configuration represents."),
    seedKey,
    // Time (MODEL 2)
    .integer("time.ticksPerYear", \.time.ticksPerYear, .closed(1, 1000), "Ticks in a year (a tick is a month)."),
    .integer("time.ticks", \.time.ticks, .closed(0, 100_000), "Recorded ticks after warm-up."),
    .integer("time.warmup", \.time.warmup, .closed(0, 100_000), "Unrecorded warm-up ticks before tick 0."),
    // Funding climate (MODEL 4.1)
    .number("macro.persistence", \.macro.persistence, .unit, "AR(1) persistence φ of ln F."),
    .number("macro.volatility", \.macro.volatility, .closed(0, 1), "AR(1) innovation s.d. σ_F of ln F."),
    fundingSeriesKey,
    // Big tech (MODEL 4.2, 4.3)
    .number("bigtech.growthPerYear", \.bigtech.growthPerYear, .closed(-1, 1), "Yearly growth g of big-tech demand."),
    .number("bigtech.climateSensitivity", \.bigtech.climateSensitivity, .closed(-10, 10), "Elasticity β of big-tech demand to F."),
    .number("bigtech.targetNoise", \.bigtech.targetNoise, .closed(0, 1), "Monthly s.d. σ_b of demand shocks."),
    .number("bigtech.layoffSlack", \.bigtech.layoffSlack, .closed(0, 10), "Overstaffing tolerated before layoffs."),
    .number("bigtech.layoffMemoryDecay", \.bigtech.layoffMemoryDecay, .unit, "Monthly decay of layoff memory L."),
    .number("bigtech.layoffStabilityPenalty", \.bigtech.layoffStabilityPenalty, .closed(0, 100), "Stability lost per unit of layoff memory."),
    .number("bigtech.attributes.stability", \.bigtech.attributes.stability, .unit, "Big-tech stability before layoff memory."),
    .number("bigtech.attributes.resources", \.bigtech.attributes.resources, .unit, "Big-tech resources score."),
    .number("bigtech.attributes.career", \.bigtech.attributes.career, .unit, "Big-tech career score."),
    .number("bigtech.attributes.innovation", \.bigtech.attributes.innovation, .unit, "Big-tech innovation score."),
    .number("bigtech.attributes.autonomy", \.bigtech.attributes.autonomy, .unit, "Big-tech autonomy score."),
    .number("bigtech.attributes.worklife", \.bigtech.attributes.worklife, .unit, "Big-tech work-life score."),
    .number("bigtech.rsuPerYear", \.bigtech.rsuPerYear, .closed(0, 100_000), "Base and starting yearly RSU offer r (k$)."),
    .number("bigtech.rsuMin", \.bigtech.rsuMin, .closed(0, 100_000), "Lowest yearly RSU offer (k$)."),
    .number("bigtech.rsuMax", \.bigtech.rsuMax, .closed(0, 100_000), "Highest yearly RSU offer (k$)."),
    // Startups (MODEL 4.2, 4.3)
    .number("startup.overheadPerHead", \.startup.overheadPerHead, .closed(0, 10_000), "Monthly overhead per employee (k$)."),
    .number("startup.fixedCost", \.startup.fixedCost, .closed(0, 1_000_000), "Monthly fixed cost of a startup (k$)."),
    .number("startup.revenuePerSkill", \.startup.revenuePerSkill, .closed(0, 100_000), "Monthly revenue per unit of skill at full ramp (k$)."),
    .number("startup.rampTicks", \.startup.rampTicks, .closed(0.01, 10_000), "Ticks for revenue to ramp up to full."),
    .number("startup.raiseBelowRunway", \.startup.raiseBelowRunway, .closed(0, 1000), "Runway (months) below which a startup tries to raise."),
    .list("startup.roundRate", \.startup.roundRate, count: 4, .closed(0, 10), "Monthly round hazard by the stage it leads to (seed, A, B, C+)."),
    .number("startup.climateExponent", \.startup.climateExponent, .closed(-10, 10), "Exponent γ of F in the round hazard."),
    .list("startup.roundSize", \.startup.roundSize, count: 4, .closed(1, 100_000_000), order: .nonDecreasing, "Round size (k$) by the stage it leads to."),
    .number("startup.dilution", \.startup.dilution, .closed(0.000001, 0.999999), "Fraction of the company sold in a round."),
    .number("startup.acquisitionRate", \.startup.acquisitionRate, .closed(0, 10), "Base monthly acquisition hazard."),
    .number("startup.acquisitionPremium", \.startup.acquisitionPremium, .closed(0, 100), "Price of an acquisition as a multiple of valuation."),
    .number("startup.graduationShare", \.startup.graduationShare, .closed(0, 1000), "Headcount, relative to mean big tech, at which a stage-3 startup graduates."),
    .number("startup.targetRunway", \.startup.targetRunway, .closed(0.1, 1000), "Months of runway a startup keeps when it sets its target headcount."),
    .number("startup.minRunway", \.startup.minRunway, .closed(0, 1000), "Runway (months) below which a startup cuts staff."),
    .integer("startup.distressCooldown", \.startup.distressCooldown, .closed(0, 100_000), "Ticks after a cut during which a startup does not cut again."),
    .number("startup.distressLayoffFraction", \.startup.distressLayoffFraction, .unit, "Fraction of staff cut in distress."),
    .number("startup.qualitySigma", \.startup.qualitySigma, .closed(0, 5), "S.d. of log startup quality θ."),
    .number("startup.stabilityHalfRunway", \.startup.stabilityHalfRunway, .closed(0.01, 1000), "Runway (months) at which startup stability is 0.5."),
    .number("startup.attributes.resourcesBase", \.startup.attributes.resourcesBase, .closed(-10, 10), "Resources score of a startup with no cash."),
    .number("startup.attributes.resourcesSlope", \.startup.attributes.resourcesSlope, .closed(-10, 10), "Resources gained per log unit of cash per head."),
    .number("startup.attributes.resourcesScale", \.startup.attributes.resourcesScale, .closed(0.001, 1_000_000_000), "Cash per head (k$) that is one unit in the resources formula."),
    .number("startup.attributes.careerBase", \.startup.attributes.careerBase, .closed(-10, 10), "Career score of a seed-stage startup."),
    .number("startup.attributes.careerPerStage", \.startup.attributes.careerPerStage, .closed(-10, 10), "Career score gained per stage."),
    .number("startup.attributes.innovationBase", \.startup.attributes.innovationBase, .closed(-10, 10), "Innovation score of a startup of quality 1."),
    .number("startup.attributes.innovationSlope", \.startup.attributes.innovationSlope, .closed(-10, 10), "Innovation gained per unit of ln θ."),
    .number("startup.attributes.autonomyBase", \.startup.attributes.autonomyBase, .closed(-10, 10), "Autonomy score of a one-person startup, before size."),
    .number("startup.attributes.autonomySlope", \.startup.attributes.autonomySlope, .closed(-10, 10), "Autonomy lost per unit of ln(1 + headcount)."),
    .number("startup.attributes.worklife", \.startup.attributes.worklife, .unit, "Work-life score of a startup."),
    // Equity (MODEL 4.3, 4.9)
    .integer("equity.vestTicks", \.equity.vestTicks, .closed(1, 100_000), "Ticks over which a grant vests."),
    .integer("equity.cliffTicks", \.equity.cliffTicks, .closed(0, 100_000), "Ticks before anything vests (a quarter vests at the cliff by default)."),
    .number("equity.poolFraction", \.equity.poolFraction, .unit, "Option pool set aside at each round, as a fraction of the company."),
    .list("equity.offerByStage", \.equity.offerByStage, count: 4, .unit, order: .nonIncreasing, "Base equity offer g (fraction of the company) by stage."),
    .number("equity.adjustStep", \.equity.adjustStep, .closed(0, 0.999999), "Relative step of an offer adjustment."),
    .number("equity.reversion", \.equity.reversion, .unit, "Monthly pull of an offer back toward its base."),
    .list("equity.exitProbability", \.equity.exitProbability, count: 4, .unit, order: .nonDecreasing, "Probability of an exit by stage."),
    .number("equity.optimism", \.equity.optimism, .closed(0, 100), "Factor by which professionals overrate exit odds."),
    // Wages (MODEL 4.3)
    .number("wage.base.bigtech", \.wage.base.bigtech, .closed(0.01, 10_000), "Monthly big-tech wage (k$) at skill 0.5."),
    .number("wage.base.startup", \.wage.base.startup, .closed(0.01, 10_000), "Monthly startup wage (k$) at skill 0.5."),
    // Utility (MODEL 4.4)
    .number("utility.compReference", \.utility.compReference, .closed(0.01, 10_000), "Monthly pay (k$) at which ln(comp / reference) is 0."),
    .number("utility.riskWeight", \.utility.riskWeight, .closed(0, 100), "Scale of the risk penalty."),
    .number("utility.switchCost", \.utility.switchCost, .closed(-100, 100), "Utility bonus of staying put."),
    .number("utility.unemployed", \.utility.unemployed, .closed(-100, 100), "Utility of unemployment."),
    // Search and matching (MODEL 4.5, 4.6)
    .number("market.leadsEmployed", \.market.leadsEmployed, .closed(0, 100), "Mean leads a month for the employed."),
    .number("market.leadsUnemployed", \.market.leadsUnemployed, .closed(0, 100), "Mean leads a month for the unemployed."),
    .number("market.choiceTemperature", \.market.choiceTemperature, .closed(0.001, 100), "Logit temperature τ."),
    .number("market.hiringNoise", \.market.hiringNoise, .closed(0, 100), "S.d. of the noise in hiring and layoff scores."),
    // Founding (MODEL 4.7)
    .number("founding.opportunityRate", \.founding.opportunityRate, .unit, "Monthly probability, at F = 1 and skill 1, that an idea makes founding one of her options."),
    .number("founding.climateExponent", \.founding.climateExponent, .closed(-10, 10), "Exponent γ_f of F in the opportunity rate."),
    .number("founding.salary", \.founding.salary, .closed(0.01, 10_000), "Monthly pay (k$) a founder expects to take from her new startup."),
    .number("founding.wealthCushion", \.founding.wealthCushion, .closed(0, 100), "How much wealth softens the risk penalty of founding."),
    .number("founding.seedCash", \.founding.seedCash, .closed(1, 100_000_000), "Cash (k$) of a new startup at F = 1."),
    .number("founding.founderStake", \.founding.founderStake, .unit, "Founder's stake in a new startup."),
    // Population (MODEL 4.8, 5)
    .integer("population.size", \.population.size, .closed(1, Double(PopulationLimit.maximum)), "Initial number of professionals."),
    .number("population.entryPerYear", \.population.entryPerYear, .closed(0, 12), "Entrants a year, as a fraction of the population."),
    .number("population.exitPerYear", \.population.exitPerYear, .closed(0, 12), "Yearly exit rate (monthly probability is this / 12)."),
    .number("population.initialShares.bigtech", \.population.initialShares.bigtech, .unit, "Initial share employed in big tech."),
    .number("population.initialShares.startup", \.population.initialShares.startup, .unit, "Initial share employed in startups."),
    .number("population.initialShares.unemployed", \.population.initialShares.unemployed, .unit, "Initial share unemployed."),
    // Firms (MODEL 5)
    .integer("firms.bigTech", \.firms.bigTech, .closed(1, Double(PopulationLimit.maximum)), "Initial number of big-tech firms."),
    .integer("firms.startups", \.firms.startups, .closed(0, Double(PopulationLimit.maximum)), "Initial number of startups."),
    // Skill (MODEL 2, 4.8, 4.9)
    .number("skill.alpha", \.skill.alpha, .closed(0.01, 1000), "Beta α of initial skill."),
    .number("skill.beta", \.skill.beta, .closed(0.01, 1000), "Beta β of initial skill."),
    .number("skill.entrantAlpha", \.skill.entrantAlpha, .closed(0.01, 1000), "Beta α of entrants' skill."),
    .number("skill.entrantBeta", \.skill.entrantBeta, .closed(0.01, 1000), "Beta β of entrants' skill."),
    .number("skill.learningRate", \.skill.learningRate, .unit, "Monthly skill growth on the job, times career score."),
    .number("skill.decay", \.skill.decay, .unit, "Monthly skill decay when unemployed."),
    // Preferences (MODEL 2)
    .list("weights.mean", \.weights.mean, count: 6, .closed(0.001, 1000), "Mean preference weights μ (normalised) over the six attributes."),
    .number("weights.concentration", \.weights.concentration, .closed(0.01, 100_000), "Dirichlet concentration κ (lower is more heterogeneous)."),
    .number("money.median", \.money.median, .closed(0, 100), "Median weight λ of log pay."),
    .number("money.sigma", \.money.sigma, .closed(0, 5), "Log-s.d. of λ."),
    .number("risk.median", \.risk.median, .closed(0, 100), "Median risk aversion ρ."),
    .number("risk.sigma", \.risk.sigma, .closed(0, 5), "Log-s.d. of ρ."),
    // Visas (MODEL 2, 4.5)
    .number("visa.share", \.visa.share, .unit, "Share of professionals who need visa sponsorship."),
    .number("visa.sponsorBigTech", \.visa.sponsorBigTech, .unit, "Probability a big-tech firm sponsors visas."),
    .number("visa.sponsorStartup", \.visa.sponsorStartup, .unit, "Probability a startup sponsors visas."),
    // Policy
    .number("policy.nonCompete", \.policy.nonCompete, .unit, "Probability a non-compete binds (0 unenforceable, 1 always)."),
    .number("policy.antitrust", \.policy.antitrust, .unit, "Share of acquisitions blocked."),
    .number("policy.equityTax", \.policy.equityTax, .unit, "Tax rate on startup equity gains, as perceived at hire."),
    .number("policy.computeSubsidy", \.policy.computeSubsidy, .unit, "Public compute added to startup resources."),
    // Outputs (MODEL 6)
    .integer("output.firmsEvery", \.output.firmsEvery, .closed(0, 100_000), "Write firms.csv every this many ticks (0 = never)."),
    agentsOutputKey,
    .boolean("output.moves", \.output.moves, "Write moves.csv, the micro log of every change of employer."),
  ]

  /// Keys by path.
  static let byPath: [String: ConfigurationKey] = Dictionary(
    uniqueKeysWithValues: all.map { ($0.path, $0) })

  /// Every prefix of a key path (`bigtech`, `bigtech.attributes`), so nested objects are known.
  static let sections: Set<String> = {
    var prefixes: Set<String> = []
    for key in all {
      var parts = key.path.split(separator: ".").map(String.init)
      parts.removeLast()
      while !parts.isEmpty {
        prefixes.insert(parts.joined(separator: "."))
        parts.removeLast()
      }
    }
    return prefixes
  }()

  /// The key with this path, if any: a key of `all`, or one element of a list key addressed
  /// by its index from 0 (`startup.roundRate.1`, the round hazard of series A).
  public static func key(_ path: String) -> ConfigurationKey? {
    byPath[path] ?? element(path)
  }

  /// The list key of an element path (`startup.roundRate` of `startup.roundRate.1`), or nil.
  public static func listPath(ofElement path: String) -> String? {
    guard byPath[path] == nil, element(path) != nil, let dot = path.lastIndex(of: ".") else {
      return nil
    }
    return String(path[..<dot])
  }

  /// `list.path.i`: element i of a list key, read from and written into the whole list, so the
  /// list's own rules (its bounds, its order over the stages) check every value set this way.
  ///
  /// The index is a plain decimal number without sign or leading zeros, below the list's
  /// length. Sweeps, sensitivity analyses and calibrations vary one stage's value with it.
  static func element(_ path: String) -> ConfigurationKey? {
    guard let dot = path.lastIndex(of: ".") else { return nil }
    let digits = path[path.index(after: dot)...]
    guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
      digits == "0" || !digits.hasPrefix("0"), let index = Int(digits),
      let list = byPath[String(path[..<dot])],
      let defaults = list.value(in: Configuration()).arrayValue, index < defaults.count
    else { return nil }
    let stage = index
    return ConfigurationKey(
      path: path, summary: "Element \(stage) (from 0) of \(list.path).",
      read: { config in list.value(in: config).arrayValue?[stage] ?? .null },
      write: { (config: inout Configuration, value: JSONValue) throws(ConfigurationProblem) in
        guard var items = list.value(in: config).arrayValue, stage < items.count else {
          throw ConfigurationProblem("must address an element of \(list.path)")
        }
        items[stage] = value
        do throws(ConfigurationProblem) {
          try list.set(.array(items), in: &config)
        } catch {
          throw ConfigurationProblem(
            "is element \(stage) of \(list.path), which \(error.requirement)", value: value)
        }
      },
      allowed: "element \(stage) of \(list.path): \(list.allowed)")
  }

  /// One Markdown table row per key, `| `path` | `value` | allowed | summary |`, with the
  /// values of `config`: the rows of the model document's key tables at the defaults.
  public static func tableRows(_ config: Configuration) -> [String] {
    all.map { key in
      "| `\(key.path)` | `\(key.value(in: config).serialized(pretty: true))` | \(key.allowed) | "
        + "\(key.summary) |"
    }
  }

  private static let seedKey = ConfigurationKey(
    path: "seed", summary: "Seed of the random number generator (0 … 2^53 − 1).",
    read: { .number(Double($0.seed)) },
    write: { (config: inout Configuration, value: JSONValue) throws(ConfigurationProblem) in
      // JSON numbers are doubles: beyond 2^53 − 1 two seeds could read as one.
      guard let n = value.intValue, n >= 0, n < 1 << 53 else {
        throw ConfigurationProblem("must be an integer in [0, 2^53 − 1]")
      }
      config.seed = UInt64(n)
    }, isInteger: true, allowed: "integer in [0, 2^53 − 1]")

  private static let fundingSeriesKey = ConfigurationKey(
    path: "macro.fundingSeries",
    summary: "Piecewise-linear multiplier of F: [[tick, multiplier], …], ticks increasing.",
    read: { config in
      .array(config.macro.fundingSeries.map { .array([.number($0.tick), .number($0.multiplier)]) })
    },
    write: { (config: inout Configuration, value: JSONValue) throws(ConfigurationProblem) in
      let requirement =
        "must be a list of [tick, multiplier] pairs with increasing ticks and multipliers in "
        + Configuration.FundingPoint.multiplierBound.interval
      guard let items = value.arrayValue else { throw ConfigurationProblem(requirement) }
      var points: [Configuration.FundingPoint] = []
      for item in items {
        guard let pair = item.arrayValue, pair.count == 2, let t = pair[0].doubleValue,
          let m = pair[1].doubleValue, t.isFinite,
          Configuration.FundingPoint.multiplierBound.contains(m)
        else { throw ConfigurationProblem(requirement, value: item) }
        if let last = points.last, t <= last.tick {
          throw ConfigurationProblem(requirement, value: item)
        }
        points.append(.init(tick: t, multiplier: m))
      }
      config.macro.fundingSeries = points
    },
    allowed: "list of [tick, multiplier] pairs; ticks strictly increasing, multipliers in "
      + Configuration.FundingPoint.multiplierBound.interval)

  private static let agentsOutputKey = ConfigurationKey(
    path: "output.agents",
    summary: "Write agents.csv: \"none\", \"final\", or every N ticks (a positive integer).",
    read: { config in
      switch config.output.agents {
      case .none: return .string("none")
      case .final: return .string("final")
      case .every(let n): return .number(Double(n))
      }
    },
    write: { (config: inout Configuration, value: JSONValue) throws(ConfigurationProblem) in
      switch value {
      case .string("none"): config.output.agents = .none
      case .string("final"): config.output.agents = .final
      default:
        guard let n = value.intValue, n > 0, n <= 100_000 else {
          throw ConfigurationProblem(
            "must be \"none\", \"final\" or an integer in [1, 100000]")
        }
        config.output.agents = .every(n)
      }
    }, allowed: "\"none\", \"final\" or an integer in [1, 100000]")
}
