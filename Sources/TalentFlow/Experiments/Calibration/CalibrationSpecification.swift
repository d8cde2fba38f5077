import Foundation

/// A calibration specification as written in its JSON file, checked but not yet combined with
/// its base and scenarios (`CalibrationPlan` does that).
///
/// ```json
/// {"name": "default", "base": "../baseline.json", "ticks": 120,
///  "parameters": {"market.leadsEmployed": [0.05, 0.8], "startup.roundRate.1": [0.02, 0.15]},
///  "targets": [
///    {"measure": "move_rate_monthly", "value": 0.02, "se": 0.002, "source": "…"},
///    {"measure": "startups_failed_per_year", "scenario": "../scenarios/funding-winter.json",
///     "contrast": "relative", "value": 0.25, "se": 0.1, "source": "…"}],
///  "holdout": [{"measure": "unemployment_rate", "value": 0.02, "se": 0.005, "source": "…"}],
///  "replicates": {"count": 8, "baseSeed": 1},
///  "optimizer": {"method": "nelder-mead", "start": {"lhs": 32, "seed": 1}, "evaluations": 400}}
/// ```
///
/// `base`, `ticks`, `set` and `replicates` mean what they mean in a sweep specification. A
/// target is a measure of the measures library in the base, or, with `scenario` and
/// `contrast`, a paired effect of the scenario file against the base on the same seeds:
/// `difference` is scenario − base, `relative` is scenario / base − 1. `holdout` targets have
/// the same form; they are kept out of the objective and reported at the estimate as
/// out-of-sample checks. Every member is checked before anything runs.
public struct CalibrationSpecification: Sendable {
  public var source: String
  public var name: String
  public var base: String?
  public var ticks: Int?
  public var fixed: [(path: String, value: JSONValue)]
  public var parameters: [CalibrationParameter]
  public var targets: [CalibrationTarget]
  public var holdouts: [CalibrationTarget]
  public var replicates: SweepReplicates
  public var optimizer: CalibrationOptimizer
  /// The finite-difference step of the Jacobian, as a fraction of each range.
  public var jacobianStep: Double

  static let members = [
    "name", "description", "base", "ticks", "set", "parameters", "targets", "holdout",
    "replicates", "optimizer", "jacobianStep",
  ]
  static let targetMembers = ["measure", "scenario", "contrast", "value", "se", "source", "note"]
  static let optimizerMembers = ["method", "start", "evaluations", "tolerance", "initialStep"]

  /// The most parameters a calibration may have.
  public static let maximumParameters = 32
  /// The most evaluations a calibration may ask for.
  public static let maximumEvaluations = 100_000

  /// Reads and checks a specification file; every problem names the file, the key and the value.
  public static func load(file: String) throws(ConfigurationError) -> CalibrationSpecification {
    let json = try Configuration.readJSON(file: file)
    let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
    let defaultName = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
    return try CalibrationSpecification(
      json: json, source: file, folder: folder, defaultName: defaultName)
  }

  /// Checks a parsed specification; relative `base` and `scenario` paths are taken from `folder`.
  public init(json: JSONValue, source: String, folder: URL, defaultName: String)
    throws(ConfigurationError)
  {
    let spec = try JSONObjectReader<ConfigurationError>(json, file: source) {
      "the top level must be a JSON object, got \($0.typeName)"
    }
    try spec.checkKeys(CalibrationSpecification.members) { key, hint in
      "unknown key \(ConfigurationKeys.shown(key))\(hint); a calibration specification has "
        + CalibrationSpecification.members.joined(separator: ", ")
    }
    self.source = source
    (name, base, ticks, fixed) = try SweepSpecification.runMembers(
      spec, folder: folder, defaultName: defaultName)
    parameters = try CalibrationSpecification.parameters(spec, fixed: fixed.map(\.path), ticks: ticks)
    targets = try CalibrationSpecification.targets(spec, "targets", folder: folder, required: true)
    holdouts = try CalibrationSpecification.targets(spec, "holdout", folder: folder, required: false)
    for (index, holdout) in holdouts.enumerated() where targets.contains(where: holdout.isSameMoment) {
      throw spec.error(
        "holdout",
        "holdout[\(index)] (\(holdout.label)) is also a target; a fact kept out of the "
          + "estimation cannot be in it")
    }
    replicates =
      try spec["replicates"].map { value throws(ConfigurationError) in
        try SweepSpecification.parseReplicates(value, source: source)
      } ?? .count(1, baseSeed: nil)
    optimizer = try CalibrationSpecification.optimizer(spec, dimensions: parameters.count)
    jacobianStep =
      try spec.optionalDouble("jacobianStep", "must be a number in (0, 0.5]") {
        $0 > 0 && $0 <= 0.5
      } ?? MomentJacobianDesign.defaultRelativeStep
  }

  /// The number of replicates.
  public var replicateCount: Int {
    switch replicates {
    case .count(let n, _): return n
    case .seeds(let seeds): return seeds.count
    }
  }

  // MARK: Members

  /// `parameters`: number keys or list elements with [lower, upper]
  /// (`SweepSpecification.ranges`).
  private static func parameters(
    _ spec: JSONObjectReader<ConfigurationError>, fixed: [String], ticks: Int?
  ) throws(ConfigurationError) -> [CalibrationParameter] {
    try SweepSpecification.ranges(
      spec, fixed: fixed, ticks: ticks, maximum: maximumParameters, varied: "estimated",
      integerAdvice: "the optimiser moves parameters continuously, so fix it in set instead"
    ).map { CalibrationParameter(key: $0.key, lower: $0.lower, upper: $0.upper) }
  }

  /// `targets` or `holdout`: a list of target objects, each moment at most once.
  private static func targets(
    _ spec: JSONObjectReader<ConfigurationError>, _ key: String, folder: URL, required: Bool
  ) throws(ConfigurationError) -> [CalibrationTarget] {
    guard spec[key] != nil || required else { return [] }
    let items = try spec.objects(
      key, "must be a non-empty list of target objects", element: "must be a target object",
      missing: .requirement)
    guard !items.isEmpty else {
      throw spec.invalid(key, "must be a non-empty list of target objects", .array([]))
    }
    var targets: [CalibrationTarget] = []
    for item in items {
      let target = try CalibrationTarget(item, folder: folder)
      if let earlier = targets.firstIndex(where: target.isSameMoment) {
        throw item.error(
          nil,
          "\(item.path) repeats \(key)[\(earlier)] (\(target.label)); each moment may appear "
            + "once")
      }
      targets.append(target)
    }
    return targets
  }

  /// `optimizer`: the method, the Latin-hypercube start, the budget and the tolerances.
  private static func optimizer(_ spec: JSONObjectReader<ConfigurationError>, dimensions k: Int)
    throws(ConfigurationError) -> CalibrationOptimizer
  {
    guard let reader = try spec.optionalObject("optimizer", "must be an object") else {
      return CalibrationOptimizer.defaults(dimensions: k)
    }
    try reader.checkKeys(optimizerMembers) { key, hint in
      "unknown key \(key)\(hint); optimizer has " + optimizerMembers.joined(separator: ", ")
    }
    var optimizer = CalibrationOptimizer.defaults(dimensions: k)
    _ = try reader.optionalString("method", "must be \"nelder-mead\"") { $0 == "nelder-mead" }
    if let start = try reader.optionalObject("start", "must be an object") {
      try start.checkKeys(["lhs", "seed", "searches"]) { key, hint in
        "unknown key \(key)\(hint); optimizer.start has lhs, seed, searches"
      }
      optimizer.latinHypercube =
        try start.optionalInteger("lhs", "must be an integer from 1 to 10000") {
          $0 >= 1 && $0 <= 10_000
        } ?? optimizer.latinHypercube
      optimizer.seed =
        try start.optional(
          "seed", "must be an integer in [0, 2^53 − 1]", as: SweepSpecification.seed)
        ?? optimizer.seed
      optimizer.searches =
        try start.optionalInteger("searches", "must be a positive integer") { $0 >= 1 }
        ?? optimizer.searches
      if optimizer.searches > optimizer.latinHypercube {
        throw start.invalid(
          "searches",
          "must not exceed the \(optimizer.latinHypercube) Latin-hypercube points it starts from",
          .number(Double(optimizer.searches)))
      }
    }
    optimizer.evaluations =
      try reader.optionalInteger(
        "evaluations", "must be an integer from 1 to \(maximumEvaluations)"
      ) { $0 >= 1 && $0 <= maximumEvaluations } ?? optimizer.evaluations
    let perSearch = (optimizer.evaluations - optimizer.latinHypercube) / optimizer.searches
    if perSearch < k + 1 {
      throw reader.invalid(
        "evaluations",
        "must leave each of the \(optimizer.searches) Nelder–Mead searches at least k + 1 = "
          + "\(k + 1) evaluations after the \(optimizer.latinHypercube) Latin-hypercube points "
          + "(at least \(optimizer.latinHypercube + optimizer.searches * (k + 1)))",
        .number(Double(optimizer.evaluations)))
    }
    if let tolerance = try reader.optionalObject("tolerance", "must be an object") {
      try tolerance.checkKeys(["objective", "simplex"]) { key, hint in
        "unknown key \(key)\(hint); optimizer.tolerance has objective, simplex"
      }
      optimizer.objectiveTolerance =
        try tolerance.optionalDouble("objective", "must be a number ≥ 0") {
          $0 >= 0 && $0.isFinite
        } ?? optimizer.objectiveTolerance
      optimizer.simplexTolerance =
        try tolerance.optionalDouble("simplex", "must be a number in [0, 1]") {
          $0 >= 0 && $0 <= 1
        } ?? optimizer.simplexTolerance
    }
    optimizer.initialStep =
      try reader.optionalDouble("initialStep", "must be a number in (0, 0.5]") {
        $0 > 0 && $0 <= 0.5
      } ?? optimizer.initialStep
    return optimizer
  }
}

/// One estimated parameter: a number key (or list element) and its box.
public struct CalibrationParameter: Sendable, Equatable {
  public var key: String
  public var lower: Double
  public var upper: Double
}

/// How the optimiser runs: a Latin-hypercube start, then Nelder–Mead searches from its best
/// points, within a budget of evaluations.
public struct CalibrationOptimizer: Sendable, Equatable {
  /// Points of the Latin hypercube (`optimizer.start.lhs`).
  public var latinHypercube: Int
  /// Its seed (`optimizer.start.seed`).
  public var seed: UInt64
  /// Nelder–Mead searches, one from each of the best Latin-hypercube points
  /// (`optimizer.start.searches`).
  public var searches: Int
  /// The whole budget, Latin hypercube included (`optimizer.evaluations`); the searches share
  /// the rest equally. The evaluation at the estimate and the Jacobian's come on top.
  public var evaluations: Int
  /// Converged when the simplex's values differ by at most this (`tolerance.objective`)…
  public var objectiveTolerance: Double
  /// …and its vertices by at most this fraction of each range (`tolerance.simplex`).
  public var simplexTolerance: Double
  /// The side of each initial simplex, as a fraction of each range.
  public var initialStep: Double

  /// The defaults for k parameters: 4k Latin-hypercube points (at least 10), one search,
  /// 4k + 40k evaluations in all.
  static func defaults(dimensions k: Int) -> CalibrationOptimizer {
    let lhs = max(10, 4 * k)
    return CalibrationOptimizer(
      latinHypercube: lhs, seed: 1, searches: 1, evaluations: lhs + 40 * k,
      objectiveTolerance: 0.01, simplexTolerance: 0.005, initialStep: 0.1)
  }

  /// The evaluations each search may use.
  public var evaluationsPerSearch: Int { (evaluations - latinHypercube) / searches }

  var nelderMeadOptions: NelderMead.Options {
    NelderMead.Options(
      maximumEvaluations: evaluationsPerSearch, functionTolerance: objectiveTolerance,
      simplexTolerance: simplexTolerance, initialStep: initialStep)
  }

  var json: JSONValue {
    .object([
      ("method", .string("nelder-mead")),
      (
        "start",
        .object([
          ("lhs", .number(Double(latinHypercube))), ("seed", .number(Double(seed))),
          ("searches", .number(Double(searches))),
        ])
      ),
      ("evaluations", .number(Double(evaluations))),
      (
        "tolerance",
        .object([("objective", .number(objectiveTolerance)), ("simplex", .number(simplexTolerance))])
      ),
      ("initialStep", .number(initialStep)),
    ])
  }
}
