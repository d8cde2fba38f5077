import Foundation

/// One empirical moment a calibration matches (or, as a holdout, reports): a measure of the
/// measures library in the base, or a paired scenario effect on the same seeds.
public struct CalibrationTarget: Sendable, Equatable {
  /// How a scenario's measure is compared with the base's, replicate by replicate.
  public enum Contrast: String, Sendable, Equatable {
    /// The measure in the base run (no scenario).
    case level
    /// scenario − base.
    case difference
    /// scenario / base − 1.
    case relative
  }

  public var measure: String
  /// The scenario file as written in the specification; nil for a level.
  public var scenario: String?
  /// The scenario file resolved against the specification's folder.
  public var scenarioFile: String?
  public var contrast: Contrast
  public var value: Double
  public var standardError: Double
  public var source: String
  public var note: String

  /// Reads one target object at `item.path` (`targets[3]`).
  init(_ item: JSONObjectReader<ConfigurationError>, folder: URL) throws(ConfigurationError) {
    try item.checkKeys(CalibrationSpecification.targetMembers) { key, hint in
      "unknown key \(key)\(hint); a target has "
        + CalibrationSpecification.targetMembers.joined(separator: ", ")
    }
    measure = try item.string(
      "measure", "must be a measure name (talentflow measures --help)", missing: .requirement)
    guard RunMeasures.named(measure) != nil else {
      throw item.error(
        "measure",
        "\(item.keyPath("measure")): unknown measure \"\(measure)\""
          + "\(didYouMean(measure, among: RunMeasures.names)); the measures are "
          + RunMeasures.names.joined(separator: ", "))
    }
    scenario = try item.optionalString(
      "scenario", "must be the path of a scenario or configuration file") { !$0.isEmpty }
    scenarioFile = scenario.map { path in
      path.hasPrefix("/") ? path : folder.appendingPathComponent(path).standardizedFileURL.path
    }
    let contrast = try item.optionalString(
      "contrast", "must be \"difference\" or \"relative\"") {
        $0 == "difference" || $0 == "relative"
      }
    switch (scenario, contrast) {
    case (nil, nil): self.contrast = .level
    case (nil, .some):
      throw item.error(
        "contrast", "\(item.keyPath("contrast")) needs a scenario to contrast with the base")
    case (.some, nil):
      throw item.error(
        "contrast",
        "\(item.keyPath("contrast")) is missing: a scenario target is \"difference\" "
          + "(scenario − base) or \"relative\" (scenario / base − 1)")
    case (.some, .some(let name)): self.contrast = Contrast(rawValue: name) ?? .difference
    }
    value = try item.double("value", "must be a finite number", missing: .requirement) {
      $0.isFinite
    }
    standardError = try item.double(
      "se", "must be a positive finite number (the target's standard error)",
      missing: .requirement
    ) { $0 > 0 && $0.isFinite }
    source = try item.string(
      "source", "must name where the value comes from (author, year, table or page)",
      missing: .requirement
    ) { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    note = try item.optionalString("note") ?? ""
  }

  /// Whether two targets are the same moment: measure, scenario file and contrast.
  func isSameMoment(_ other: CalibrationTarget) -> Bool {
    measure == other.measure && scenarioFile == other.scenarioFile && contrast == other.contrast
  }

  /// "measure" or "measure, scenario (contrast)", for messages.
  public var label: String {
    guard let scenario else { return measure }
    return "\(measure), \(scenario) (\(contrast.rawValue))"
  }

  /// The moment of one replicate from the measure in the base and, for a contrast, in the
  /// scenario on the same seed.
  func moment(base: Double, scenario: Double?) -> Double {
    switch contrast {
    case .level: return base
    case .difference: return (scenario ?? .nan) - base
    case .relative: return (scenario ?? .nan) / base - 1
    }
  }

  var json: JSONValue {
    var members: [(key: String, value: JSONValue)] = [("measure", .string(measure))]
    if let scenario {
      members += [("scenario", .string(scenario)), ("contrast", .string(contrast.rawValue))]
    }
    members += [
      ("value", .number(value)), ("se", .number(standardError)), ("source", .string(source)),
    ]
    if !note.isEmpty { members.append(("note", .string(note))) }
    return .object(members)
  }
}
