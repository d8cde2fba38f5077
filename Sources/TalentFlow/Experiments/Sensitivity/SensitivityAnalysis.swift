import Foundation

/// What a sensitivity analysis computes: the method and its settings, the parameters with their
/// ranges, the measures, and the seed of its design and its bootstrap.
///
/// It travels in the analysis's `SweepPlan` (and so in every shard's `shard.json`), which is how
/// runs, shards and `merge` know that a folder is an analysis and what to write at the end.
public struct SensitivityAnalysis: Sendable, Equatable {
  /// The method and its own settings.
  public enum Method: Sendable, Equatable {
    /// Morris elementary effects: `trajectories` (r) trajectories of k + 1 points on a grid of
    /// `levels` (p) levels.
    case morris(trajectories: Int, levels: Int)
    /// Sobol' indices by Saltelli's scheme: `samples` (N) base samples; with `secondOrder`, the
    /// rows BA_j too and the second-order indices.
    case sobol(samples: Int, secondOrder: Bool)

    /// `morris` or `sobol`.
    public var name: String {
      switch self {
      case .morris: return "morris"
      case .sobol: return "sobol"
      }
    }
  }

  /// One analysed key and its range.
  public struct Parameter: Sendable, Equatable {
    public var key: String
    public var lower: Double
    public var upper: Double

    public init(key: String, lower: Double, upper: Double) {
      self.key = key
      self.lower = lower
      self.upper = upper
    }

  }

  public var method: Method
  public var parameters: [Parameter]
  /// Names from `RunMeasures`, in output order.
  public var measures: [String]
  /// The seed of the design (Morris) and of the bootstrap resamples (both methods).
  public var seed: UInt64
  /// Bootstrap resamples behind each confidence interval.
  public var resamples: Int
  /// The confidence level of the intervals (0.95: ±1.96 bootstrap standard deviations).
  public var confidenceLevel: Double

  public init(
    method: Method, parameters: [Parameter], measures: [String], seed: UInt64, resamples: Int,
    confidenceLevel: Double
  ) {
    self.method = method
    self.parameters = parameters
    self.measures = measures
    self.seed = seed
    self.resamples = resamples
    self.confidenceLevel = confidenceLevel
  }

  /// The design points in SALib's row order, scaled to the parameters' ranges: Morris, r
  /// trajectories of k + 1 points; Sobol, per base sample the rows A, AB_1 … AB_k, (BA_1 …
  /// BA_k,) B.
  ///
  /// Throws when the method's settings do not make a design, or when a range is so narrow for
  /// its bounds that two points of a Morris trajectory scale to the same number.
  public func design() throws(SensitivityError) -> [[Double]] {
    let k = parameters.count
    let ranges = parameters.map { SensitivityRange(lower: $0.lower, upper: $0.upper) }
    switch method {
    case .morris(let trajectories, let levels):
      return try MorrisDesign(
        parameters: k, levels: levels, trajectories: trajectories, seed: seed
      ).scaledRows(ranges)
    case .sobol(let samples, let secondOrder):
      return try SaltelliDesign(parameters: k, baseSamples: samples, secondOrder: secondOrder)
        .scaledRows(ranges)
    }
  }

  /// The bootstrap of measure `m` (from 0): `resamples` draws at `confidenceLevel` from the
  /// analysis seed's Philox streams of that measure.
  func bootstrap(measure m: Int) -> BootstrapOptions {
    BootstrapOptions(
      resamples: resamples, confidenceLevel: confidenceLevel, seed: seed, measure: m)
  }

  /// The number of design points the method asks for.
  public var pointCount: Int {
    let k = parameters.count
    switch method {
    case .morris(let trajectories, _): return trajectories * (k + 1)
    case .sobol(let samples, let secondOrder): return samples * (secondOrder ? 2 * k + 2 : k + 2)
    }
  }

  /// The output files the measures read besides timeseries.csv: `firms.csv` (every tick),
  /// `moves.csv`, `agents.csv` (final).
  public var neededFiles: Set<String> { SimulatedMeasures.neededFiles(measures) }

  /// `configuration` with the output keys the measures need turned on (and nothing else).
  func withNeededOutputs(_ configuration: Configuration) -> Configuration {
    SimulatedMeasures.withOutputs(neededFiles, configuration)
  }

  // MARK: JSON form

  /// The analysis as JSON: in the plan (so shards and merge know it) and in the manifest.
  public var json: JSONValue {
    var members: [(key: String, value: JSONValue)] = [("method", .string(method.name))]
    switch method {
    case .morris(let trajectories, let levels):
      members += [
        ("trajectories", .number(Double(trajectories))), ("levels", .number(Double(levels))),
      ]
    case .sobol(let samples, let secondOrder):
      members += [("samples", .number(Double(samples))), ("secondOrder", .bool(secondOrder))]
    }
    members += [
      ("resamples", .number(Double(resamples))),
      ("confidenceLevel", .number(confidenceLevel)),
      ("seed", .number(Double(seed))),
      (
        "parameters",
        .array(
          parameters.map {
            .object([
              ("key", .string($0.key)), ("lower", .number($0.lower)), ("upper", .number($0.upper)),
            ])
          })
      ),
      ("measures", .array(measures.map(JSONValue.string))),
    ]
    return .object(members)
  }

  /// Reads the JSON form back (from a shard's plan).
  init(json: JSONValue, source: String) throws(ConfigurationError) {
    let reader = try JSONObjectReader<ConfigurationError>(json, file: source, path: "analysis") {
      _ in "the plan's analysis is not an object"
    }
    let methodName = try reader.string("method")
    let method: Method
    switch methodName {
    case "morris":
      method = .morris(
        trajectories: try reader.integer("trajectories") { $0 >= 2 },
        levels: try reader.integer("levels") { $0 >= 2 && $0 % 2 == 0 })
    case "sobol":
      method = .sobol(
        samples: try reader.integer("samples") { $0 >= 2 },
        secondOrder: try reader.required("secondOrder", "must be true or false", as: \.boolValue))
    default:
      throw reader.invalid("method", "must be \"morris\" or \"sobol\"", .string(methodName))
    }
    var parameters: [Parameter] = []
    for item in try reader.objects("parameters") {
      parameters.append(
        Parameter(
          key: try item.string("key"), lower: try item.double("lower"),
          upper: try item.double("upper")))
    }
    var measures: [String] = []
    for item in try reader.list("measures") {
      guard let name = item.stringValue, RunMeasures.named(name) != nil else {
        throw reader.invalid("measures", "must list measures of this talentflow", item)
      }
      measures.append(name)
    }
    self.init(
      method: method, parameters: parameters, measures: measures,
      seed: try reader.required("seed", "must be a seed", as: SweepSpecification.seed),
      resamples: try reader.integer("resamples") { $0 >= 1 },
      confidenceLevel: try reader.double("confidenceLevel") { $0 > 0 && $0 < 1 })
  }
}
