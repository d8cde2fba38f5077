import Foundation

/// A sensitivity-analysis specification as written in its JSON file, checked but not yet
/// combined with a base.
///
/// ```json
/// {"name": "screen", "base": "../baseline.json", "ticks": 120,
///  "method": "morris", "trajectories": 20, "levels": 4,
///  "parameters": {"market.leadsEmployed": [0.1, 0.5], "founding.opportunityRate": [0.008, 0.032]},
///  "measures": ["move_rate_monthly", "startups_born_per_year"],
///  "replicates": {"count": 4, "baseSeed": 1}, "seed": 1}
/// ```
///
/// `base`, `ticks`, `set` and `replicates` mean what they mean in a sweep specification. With
/// `"method": "sobol"`, `samples` (N) replaces `trajectories` and `levels`, and `secondOrder`
/// (default false) adds the second-order indices. `seed` (default 1) keys the Morris design and
/// every bootstrap; `resamples` (default 1000) and `confidenceLevel` (default 0.95) shape the
/// intervals.
public struct SensitivitySpecification: Sendable {
  /// The file the specification was read from, as given (for messages).
  public var source: String
  public var name: String
  /// The base configuration or scenario file, resolved against the specification's folder;
  /// `nil` for the built-in baseline.
  public var base: String?
  public var ticks: Int?
  /// Keys fixed for every run, applied to the base after `ticks` (and before `--set`).
  public var fixed: [(path: String, value: JSONValue)]
  public var replicates: SweepReplicates
  public var analysis: SensitivityAnalysis

  /// The members a specification may have.
  static let members = [
    "name", "description", "base", "ticks", "set", "method", "trajectories", "levels", "samples",
    "secondOrder", "parameters", "measures", "replicates", "seed", "resamples", "confidenceLevel",
  ]

  /// The most parameters an analysis may have (a Sobol design needs 2k dimensions of the
  /// sequence).
  public static let maximumParameters = 64

  /// Reads and checks a specification file; every problem names the file, the key and the value.
  public static func load(file: String) throws(ConfigurationError) -> SensitivitySpecification {
    let json = try Configuration.readJSON(file: file)
    let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
    let defaultName = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
    return try SensitivitySpecification(
      json: json, source: file, folder: folder, defaultName: defaultName)
  }

  /// Checks a parsed specification; relative `base` paths are taken from `folder`.
  public init(json: JSONValue, source: String, folder: URL, defaultName: String)
    throws(ConfigurationError)
  {
    let spec = try JSONObjectReader<ConfigurationError>(json, file: source) {
      "the top level must be a JSON object, got \($0.typeName)"
    }
    try spec.checkKeys(SensitivitySpecification.members) { key, hint in
      "unknown key \(ConfigurationKeys.shown(key))\(hint); a sensitivity specification has "
        + SensitivitySpecification.members.joined(separator: ", ")
    }
    self.source = source
    (name, base, ticks, fixed) = try SweepSpecification.runMembers(
      spec, folder: folder, defaultName: defaultName)
    let method = try SensitivitySpecification.method(spec)
    let parameters = try SensitivitySpecification.parameters(
      spec, fixed: fixed.map(\.path), ticks: ticks)
    let measures = try SensitivitySpecification.measures(spec)
    replicates =
      try spec["replicates"].map { value throws(ConfigurationError) in
        try SweepSpecification.parseReplicates(value, source: source)
      } ?? .count(1, baseSeed: nil)
    let seed =
      try spec.optional("seed", "must be an integer in [0, 2^53 − 1]", as: SweepSpecification.seed)
      ?? 1
    let resamples =
      try spec.optionalInteger("resamples", "must be an integer from 2 to 100000") {
        $0 >= 2 && $0 <= 100_000
      } ?? 1000
    let confidence =
      try spec.optionalDouble("confidenceLevel", "must be a number strictly between 0 and 1") {
        $0 > 0 && $0 < 1
      } ?? 0.95
    analysis = SensitivityAnalysis(
      method: method, parameters: parameters, measures: measures, seed: seed,
      resamples: resamples, confidenceLevel: confidence)
    try checkSize(spec)
  }

  /// `method` and the members that belong to it; a member of the other method is refused.
  private static func method(_ spec: JSONObjectReader<ConfigurationError>)
    throws(ConfigurationError) -> SensitivityAnalysis.Method
  {
    let name = try spec.string(
      "method", "must be \"morris\" or \"sobol\"", missing: .requirement
    ) { $0 == "morris" || $0 == "sobol" }
    let others = name == "morris" ? ["samples", "secondOrder"] : ["trajectories", "levels"]
    for key in others where spec[key] != nil {
      throw spec.error(
        key,
        "\(key) belongs to method \(name == "morris" ? "sobol" : "morris"), not \(name); "
          + (name == "morris"
            ? "morris takes trajectories and levels" : "sobol takes samples and secondOrder"))
    }
    if name == "morris" {
      let trajectories = try spec.integer(
        "trajectories", "must be an integer from 2 to 100000", missing: .requirement
      ) { $0 >= 2 && $0 <= 100_000 }
      let levels =
        try spec.optionalInteger("levels", "must be an even integer from 2 to 1000") {
          $0 >= 2 && $0 <= 1000 && $0 % 2 == 0
        } ?? 4
      return .morris(trajectories: trajectories, levels: levels)
    }
    let samples = try spec.integer(
      "samples", "must be an integer from 2 to 10000000", missing: .requirement
    ) { $0 >= 2 && $0 <= 10_000_000 }
    let secondOrder = try spec.optionalBool("secondOrder") ?? false
    return .sobol(samples: samples, secondOrder: secondOrder)
  }

  /// `parameters`: key paths of number keys with [lower, upper] (`SweepSpecification.ranges`).
  private static func parameters(
    _ spec: JSONObjectReader<ConfigurationError>, fixed: [String], ticks: Int?
  ) throws(ConfigurationError) -> [SensitivityAnalysis.Parameter] {
    try SweepSpecification.ranges(
      spec, fixed: fixed, ticks: ticks, maximum: maximumParameters, varied: "analysed",
      integerAdvice: "Morris and Sobol designs need keys that take any value in a range, so fix "
        + "it in set or study it with a sweep's grid"
    ).map { .init(key: $0.key, lower: $0.lower, upper: $0.upper) }
  }

  /// `measures`: distinct names of the measures library.
  private static func measures(_ spec: JSONObjectReader<ConfigurationError>)
    throws(ConfigurationError) -> [String]
  {
    let items = try spec.list(
      "measures", "must be a non-empty list of measure names (talentflow measures --help)",
      missing: .requirement
    ) { !$0.isEmpty }
    var names: [String] = []
    for (index, item) in items.enumerated() {
      guard let name = item.stringValue else {
        throw spec.error(
          "measures", "measures[\(index)] must be a measure name, got \(item.serialized(pretty: false))")
      }
      guard RunMeasures.named(name) != nil else {
        throw spec.error(
          "measures",
          "measures[\(index)]: unknown measure \"\(name)\"\(didYouMean(name, among: RunMeasures.names)); "
            + "the measures are " + RunMeasures.names.joined(separator: ", "))
      }
      if names.contains(name) {
        throw spec.error("measures", "measures[\(index)] repeats \"\(name)\"")
      }
      names.append(name)
    }
    return names
  }

  /// Refuses an analysis of more than `SweepSpecification.maximumRuns` runs.
  private func checkSize(_ spec: JSONObjectReader<ConfigurationError>) throws(ConfigurationError) {
    let replicateCount: Int
    switch replicates {
    case .count(let n, _): replicateCount = n
    case .seeds(let seeds): replicateCount = seeds.count
    }
    let (runs, overflow) = analysis.pointCount.multipliedReportingOverflow(by: replicateCount)
    if overflow || runs > SweepSpecification.maximumRuns {
      throw spec.error(
        nil,
        "the analysis has \(overflow ? "more than \(Int.max)" : String(runs)) runs "
          + "(\(analysis.pointCount) design points × \(replicateCount) replicates); at most "
          + "\(SweepSpecification.maximumRuns) are allowed")
    }
  }
}
