import Foundation

/// A calibration resolved into what it runs: the base and scenario configurations, the box,
/// the seeds and the moments, all checked before anything runs.
///
/// Variant 0 is the base (the specification's `base` with `ticks`, `set` and the `--set`
/// overrides); the others are the scenario files of the targets and holdouts, in order of first
/// appearance, each loaded with the same `ticks`, `set` and overrides. At a parameter vector θ
/// every variant gets θ and each replicate's seed, so a scenario contrast is paired with the
/// base run on the same seed, and every θ is simulated on the same seeds (common random
/// numbers): the objective is a deterministic function of θ.
public struct CalibrationPlan: Sendable {
  /// One configuration the calibration simulates at every θ: the base or a scenario.
  public struct Variant: Sendable {
    /// "base", or the scenario file as the specification writes it.
    public var label: String
    public var configuration: Configuration
  }

  public var specification: CalibrationSpecification
  public var overrides: [String]
  public var box: CalibrationBox
  public var seeds: [UInt64]
  public var variants: [Variant]
  /// The variant of each target and each holdout (0 for levels).
  var targetVariants: [Int]
  var holdoutVariants: [Int]

  public var name: String { specification.name }
  public var parameters: [CalibrationParameter] { specification.parameters }
  public var targets: [CalibrationTarget] { specification.targets }
  public var holdouts: [CalibrationTarget] { specification.holdouts }

  /// The targets' values and standard errors, as the estimator takes them.
  public var momentTargets: MomentTargets {
    // Checked when the specification was read: values finite, errors positive.
    try! MomentTargets(
      values: targets.map(\.value), standardErrors: targets.map(\.standardError))
  }

  public var holdoutTargets: MomentTargets? {
    holdouts.isEmpty
      ? nil
      : try! MomentTargets(
        values: holdouts.map(\.value), standardErrors: holdouts.map(\.standardError))
  }

  /// Loads the base and every scenario and checks the box's corners and faces on each.
  public init(specification spec: CalibrationSpecification, overrides: [String])
    throws(ConfigurationError)
  {
    let keys = spec.parameters.map(\.key)
    for override in overrides {
      let path = override.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
      if keys.contains(path) {
        throw ConfigurationError(
          source: "--set", path: path,
          message: "\(path) is estimated by \(spec.source); --set cannot fix it as well")
      }
    }
    var layers: [String] = []
    if let ticks = spec.ticks { layers.append("time.ticks=\(ticks)") }
    for (path, value) in spec.fixed { layers.append("\(path)=\(value.serialized(pretty: false))") }
    let middle = spec.parameters.map { ($0.lower + $0.upper) / 2 }
    let atMiddle = zip(keys, middle).map { "\($0)=\(JSONValue.number($1).serialized(pretty: false))" }

    var files: [String?] = [spec.base]
    var labels = ["base"]
    func variant(of target: CalibrationTarget) -> Int {
      guard let file = target.scenarioFile else { return 0 }
      if let index = files.firstIndex(of: file) { return index }
      files.append(file)
      labels.append(target.scenario ?? file)
      return files.count - 1
    }
    targetVariants = spec.targets.map(variant)
    holdoutVariants = spec.holdouts.map(variant)

    var variants: [Variant] = []
    for (file, label) in zip(files, labels) {
      var config: Configuration
      do {
        config = try Configuration.load(file: file, overrides: layers + overrides + atMiddle)
      } catch {
        throw ConfigurationError(
          source: error.source, path: error.path,
          message: "\(label == "base" ? "the base" : "scenario \(label)") with this "
            + "specification's ticks, set and parameters at the middle of their ranges: "
            + error.message)
      }
      config.seed = 0
      variants.append(Variant(label: label, configuration: config))
    }
    self.specification = spec
    self.overrides = overrides
    self.variants = variants
    do {
      box = try CalibrationBox(
        lower: spec.parameters.map(\.lower), upper: spec.parameters.map(\.upper))
    } catch {
      throw ConfigurationError(source: spec.source, path: "parameters", message: error.message)
    }

    switch spec.replicates {
    case .seeds(let list):
      seeds = list
    case .count(let count, let baseSeed):
      let first = baseSeed ?? variants[0].configuration.seed
      guard first + UInt64(count - 1) < 1 << 53 else {
        throw ConfigurationError(
          source: spec.source, path: "replicates.count",
          message: "replicates.count (\(count)) from the base seed \(first) goes past 2^53 − 1")
      }
      seeds = (0..<count).map { first + UInt64($0) }
    }
    try checkBox()
  }

  /// Every variant must be valid at the box's two corners and with each parameter at each
  /// bound and the others in the middle; a rule broken there is the specification's to mend.
  private func checkBox() throws(ConfigurationError) {
    let k = parameters.count
    let middle = (0..<k).map { (box.lower[$0] + box.upper[$0]) / 2 }
    var probes = [box.lower, box.upper]
    for j in 0..<k {
      for bound in [box.lower[j], box.upper[j]] {
        var point = middle
        point[j] = bound
        probes.append(point)
      }
    }
    for variant in variants.indices {
      for point in probes {
        do {
          _ = try configuration(variant: variant, point: point, seed: seeds[0])
        } catch {
          let setting = zip(parameters, point).map { "\($0.key)=\(shortNumber($1))" }
            .joined(separator: ", ")
          throw ConfigurationError(
            source: specification.source, path: "parameters",
            message: "parameters: at \(setting)\(variant == 0 ? "" : " in \(variants[variant].label)"): "
              + "\(error.path) \(error.message); narrow the ranges so every point of the box is a "
              + "valid configuration")
        }
      }
    }
  }

  /// The configuration of `variant` at θ = `point` with `seed`, checked as a whole.
  public func configuration(variant: Int, point: [Double], seed: UInt64)
    throws(ConfigurationError) -> Configuration
  {
    var config = variants[variant].configuration
    for (parameter, value) in zip(parameters, point) {
      try config.set(path: parameter.key, value: .number(value), source: specification.source)
    }
    try config.validate(source: specification.source)
    config.seed = seed
    return config
  }

  /// The measures to compute in `variant`: those its targets (and, with `holdouts`, its
  /// holdouts) need, a contrast's in both the base and its scenario, in library order.
  func measures(variant: Int, holdouts withHoldouts: Bool) -> [String] {
    var wanted = Set<String>()
    let pairs =
      Array(zip(targets, targetVariants)) + (withHoldouts ? Array(zip(holdouts, holdoutVariants)) : [])
    for (target, v) in pairs where v == variant || variant == 0 {
      wanted.insert(target.measure)
    }
    return RunMeasures.names.filter(wanted.contains)
  }

  /// The variants an evaluation simulates: the base and the scenarios of its moments.
  func variantsNeeded(holdouts withHoldouts: Bool) -> [Int] {
    variants.indices.filter { !measures(variant: $0, holdouts: withHoldouts).isEmpty }
  }

  /// The moments of replicate r from its measures: `measured[variant][name]`.
  func moments(
    _ list: [CalibrationTarget], variants: [Int], measured: [Int: [String: Double]]
  ) -> [Double] {
    zip(list, variants).map { target, v in
      let base = measured[0]?[target.measure] ?? .nan
      let scenario = v == 0 ? nil : (measured[v]?[target.measure] ?? .nan)
      return target.moment(base: base, scenario: scenario)
    }
  }

  // MARK: Identity

  /// The plan as JSON: what the fingerprint covers, and the manifest's record of it.
  public var json: JSONValue {
    .object([
      ("format", .string("talentflow-calibration-plan 1")),
      ("name", .string(name)),
      ("modelVersion", .string(TalentFlowVersion.model)),
      (
        "parameters",
        .array(
          parameters.map {
            .object([("key", .string($0.key)), ("lower", .number($0.lower)), ("upper", .number($0.upper))])
          })
      ),
      ("targets", .array(targets.map(\.json))),
      ("holdout", .array(holdouts.map(\.json))),
      ("seeds", .array(seeds.map { .number(Double($0)) })),
      ("optimizer", specification.optimizer.json),
      ("jacobianStep", .number(specification.jacobianStep)),
      ("overrides", .array(overrides.map(JSONValue.string))),
      (
        "variants",
        .array(
          variants.map {
            .object([
              ("label", .string($0.label)),
              ("configuration", CalibrationPlan.modelInputs($0.configuration)),
            ])
          })
      ),
    ])
  }

  /// A variant's resolved configuration without `name` and `description`, which label a run
  /// but change nothing in it: the plan (and its fingerprint) is what the runs depend on, so a
  /// reworded description of the base does not make a finished calibration another one.
  static func modelInputs(_ configuration: Configuration) -> JSONValue {
    guard case .object(let members) = configuration.resolvedJSON() else {
      return configuration.resolvedJSON()
    }
    return .object(members.filter { $0.key != "name" && $0.key != "description" })
  }

  /// SHA-256 of the compact JSON form.
  public var fingerprint: String {
    SHA256.hexDigest(Array(json.serialized(pretty: false).utf8))
  }
}

/// A number as JSON writes it (shortest round-trip form).
func shortNumber(_ x: Double) -> String {
  JSONValue.number(x).serialized(pretty: false)
}
