/// Every parameter of the model, with the defaults of MODEL.md v1.2.
///
/// The nesting mirrors the configuration keys: `population.size` is `population.size` here, so a
/// researcher can go from a key in a JSON file to the line of the model that reads it. The list of
/// keys, their ranges and their descriptions lives in `ConfigurationKeys`.
public struct Configuration: Sendable, Equatable {
  /// A short name for the run; the default output folder is `output/<name>-seed<seed>/`.
  public var name = "baseline"
  /// What the configuration represents, in a sentence or two.
  public var description = "The baseline: every key at its default (model 1.5, Model.md)."
  /// The seed from which the Philox key is derived (MODEL 7).
  public var seed: UInt64 = 1

  public var time = Time()
  public var macro = Macro()
  public var bigtech = BigTech()
  public var startup = Startup()
  public var equity = Equity()
  public var wage = Wage()
  public var utility = Utility()
  public var market = Market()
  public var founding = Founding()
  public var population = Population()
  public var firms = Firms()
  public var skill = Skill()
  public var weights = Weights()
  public var money = Money()
  public var risk = Risk()
  public var visa = Visa()
  public var policy = Policy()
  public var output = Output()
  /// Scenario events (MODEL 4.10), applied in step 1 of their tick.
  public var events: [ScenarioEvent] = []

  public init() {}

  /// MODEL 2: the clock.
  public struct Time: Sendable, Equatable {
    public var ticksPerYear = 12
    public var ticks = 120
    public var warmup = 36
  }

  /// MODEL 4.1: the funding climate.
  public struct Macro: Sendable, Equatable {
    public var persistence = 0.95
    public var volatility = 0.05
    /// Piecewise-linear multiplier of F: pairs [tick, multiplier], constant beyond its ends.
    public var fundingSeries: [FundingPoint] = []
  }

  /// One knot of `macro.fundingSeries`.
  public struct FundingPoint: Sendable, Equatable {
    public var tick: Double
    public var multiplier: Double

    /// The multipliers a series may hold.
    static let multiplierBound = Bound.closed(0, 100)
  }

  /// The six job attributes, in MODEL 2's order.
  public struct Attributes: Sendable, Equatable {
    public var stability: Double
    public var resources: Double
    public var career: Double
    public var innovation: Double
    public var autonomy: Double
    public var worklife: Double

    public var asArray: [Double] { [stability, resources, career, innovation, autonomy, worklife] }
  }

  /// MODEL 4.2 and 4.3: big-tech demand, layoffs and offers.
  public struct BigTech: Sendable, Equatable {
    public var growthPerYear = 0.0
    public var climateSensitivity = 0.1
    public var targetNoise = 0.01
    public var layoffSlack = 0.05
    public var layoffMemoryDecay = 0.9
    public var layoffStabilityPenalty = 1.0
    public var attributes = Attributes(
      stability: 0.85, resources: 0.9, career: 0.75, innovation: 0.45, autonomy: 0.3,
      worklife: 0.6)
    public var rsuPerYear = 60.0
    public var rsuMin = 30.0
    public var rsuMax = 300.0
  }

  /// MODEL 4.3: the numbers of the startup attribute formulas.
  public struct StartupAttributes: Sendable, Equatable {
    public var resourcesBase = 0.2
    public var resourcesSlope = 0.15
    public var resourcesScale = 100.0
    public var careerBase = 0.35
    public var careerPerStage = 0.1
    public var innovationBase = 0.75
    public var innovationSlope = 0.1
    public var autonomyBase = 0.9
    public var autonomySlope = 0.05
    public var worklife = 0.45
  }

  /// MODEL 4.2: startup finance.
  public struct Startup: Sendable, Equatable {
    public var overheadPerHead = 4.0
    /// Estimated by configs/calibration/default.json (model 1.5; Model.md, "Provenance").
    public var fixedCost = 128.0
    public var revenuePerSkill = 6.0
    public var rampTicks = 36.0
    public var raiseBelowRunway = 9.0
    /// Hazard of a round, by the stage it leads to (seed, A, B, C+). Elements 1 and 2 (series A
    /// and B) are estimated by configs/calibration/default.json (model 1.5; Model.md,
    /// "Provenance of the defaults"); element 3 is assumed.
    public var roundRate = [0.0, 0.0913, 0.0947, 0.03]
    /// Estimated by configs/calibration/default.json (model 1.5; Model.md, "Provenance").
    public var climateExponent = 1.68
    /// Size of a round (k$), by the stage it leads to.
    public var roundSize = [1500.0, 10000.0, 30000.0, 80000.0]
    public var dilution = 0.2
    /// Estimated by configs/calibration/default.json (model 1.5; Model.md, "Provenance").
    public var acquisitionRate = 0.00541
    public var acquisitionPremium = 1.5
    public var graduationShare = 0.2
    public var targetRunway = 24.0
    public var minRunway = 4.0
    public var distressCooldown = 6
    public var distressLayoffFraction = 0.25
    public var qualitySigma = 0.5
    public var stabilityHalfRunway = 12.0
    public var attributes = StartupAttributes()
  }

  /// MODEL 4.3 and 4.9: equity offers and vesting.
  public struct Equity: Sendable, Equatable {
    public var vestTicks = 48
    public var cliffTicks = 12
    public var poolFraction = 0.1
    public var offerByStage = [0.005, 0.002, 0.0008, 0.0003]
    public var adjustStep = 0.03
    public var reversion = 0.05
    public var exitProbability = [0.05, 0.1, 0.2, 0.35]
    public var optimism = 3.0
  }

  /// MODEL 4.3: monthly wage bases (k$) for a professional of skill 0.5.
  public struct Wage: Sendable, Equatable {
    public var base = SectorValues(bigtech: 16, startup: 13)
  }

  /// A value for each sector.
  public struct SectorValues: Sendable, Equatable {
    public var bigtech: Double
    public var startup: Double

    public subscript(_ type: FirmType) -> Double {
      type == .bigtech ? bigtech : startup
    }
  }

  /// MODEL 4.4: utility.
  public struct Utility: Sendable, Equatable {
    public var compReference = 20.0
    public var riskWeight = 0.2
    /// Estimated by configs/calibration/default.json (model 1.5; Model.md, "Provenance").
    public var switchCost = 0.0519
    public var unemployed = -0.4
  }

  /// MODEL 4.5 and 4.6: search, choice and hiring.
  public struct Market: Sendable, Equatable {
    /// Both lead rates are estimated by configs/calibration/default.json (model 1.5; Model.md,
    /// "Provenance of the defaults").
    public var leadsEmployed = 0.376
    public var leadsUnemployed = 0.471
    public var choiceTemperature = 0.05
    public var hiringNoise = 0.1
  }

  /// Model.md 4.7 (model 1.3): founding, an option of the choice of MODEL 4.5.
  public struct Founding: Sendable, Equatable {
    /// Estimated by configs/calibration/default.json (model 1.5; Model.md, "Provenance").
    public var opportunityRate = 0.0279
    public var climateExponent = 1.0
    public var salary = 8.0
    public var wealthCushion = 0.5
    public var seedCash = 1500.0
    public var founderStake = 0.5
  }

  /// MODEL 5 and 4.8: the population, its entry and exit.
  public struct Population: Sendable, Equatable {
    public var size = 10000
    public var entryPerYear = 0.06
    public var exitPerYear = 0.04
    public var initialShares = InitialShares()
  }

  /// MODEL 5: initial shares of the population.
  public struct InitialShares: Sendable, Equatable {
    public var bigtech = 0.62
    public var startup = 0.33
    public var unemployed = 0.05
  }

  /// MODEL 5: initial numbers of firms.
  public struct Firms: Sendable, Equatable {
    public var bigTech = 10
    public var startups = 400
  }

  /// MODEL 2 and 4.9: skill.
  public struct Skill: Sendable, Equatable {
    public var alpha = 2.0
    public var beta = 3.0
    /// MODEL 4.8 draws entrants' skill from Beta(2, 5); these keys make that explicit.
    public var entrantAlpha = 2.0
    public var entrantBeta = 5.0
    public var learningRate = 0.002
    public var decay = 0.002
  }

  /// MODEL 2: preference weights, Dirichlet(κ·μ).
  public struct Weights: Sendable, Equatable {
    public var mean = [0.4, 0.3, 0.3, 0.5, 0.3, 0.2]
    public var concentration = 20.0
  }

  /// MODEL 2: the weight of log pay, lognormal around its median.
  public struct Money: Sendable, Equatable {
    public var median = 0.2
    public var sigma = 0.5
  }

  /// MODEL 2: risk aversion, lognormal around its median.
  public struct Risk: Sendable, Equatable {
    public var median = 1.0
    public var sigma = 0.5
  }

  /// MODEL 2 and 4.5: visas.
  public struct Visa: Sendable, Equatable {
    public var share = 0.3
    public var sponsorBigTech = 0.95
    public var sponsorStartup = 0.35
  }

  /// Policy levers (MODEL 4.2, 4.3, 4.5, 4.7); all off in the baseline.
  public struct Policy: Sendable, Equatable {
    public var nonCompete = 0.0
    public var antitrust = 0.0
    public var equityTax = 0.0
    public var computeSubsidy = 0.0
  }

  /// MODEL 6: optional outputs.
  public struct Output: Sendable, Equatable {
    public var firmsEvery = 12
    public var agents = AgentsOutput.none
    public var moves = false
  }

  /// When `agents.csv` is written.
  public enum AgentsOutput: Sendable, Equatable {
    case none
    case final
    case every(Int)
  }
}
