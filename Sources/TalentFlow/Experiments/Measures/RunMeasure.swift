import Foundation

/// One named scalar measure of a run, computed from the run folder's own output files.
///
/// The definition is the formula the README ("Measures") and the model document ("Outputs",
/// "Measures") give, so a reader can recompute any value from the CSV files by hand.
public struct RunMeasure: Sendable {
  /// The snake_case name printed by `talentflow measures`.
  public let name: String
  /// The unit of the value (`fraction`, `startups/year`, …).
  public let unit: String
  /// The files the measure reads.
  public let files: [String]
  /// One line: what it is and its exact formula.
  public let definition: String
  let compute: @Sendable (MeasuredRun) throws(MeasureError) -> MeasureValue

  init(
    _ name: String, unit: String, files: [String], _ definition: String,
    compute: @escaping @Sendable (MeasuredRun) throws(MeasureError) -> MeasureValue
  ) {
    self.name = name
    self.unit = unit
    self.files = files
    self.definition = definition
    self.compute = compute
  }

  /// The definition followed by the unit in parentheses, as compare's summary.csv and the
  /// reports describe a measure.
  public var definitionAndUnit: String { "\(definition) (\(unit))" }

  /// The measure of `run`: its value, or why it cannot be computed from the files present.
  public func value(of run: MeasuredRun) throws(MeasureError) -> MeasureValue {
    let missing = files.filter { !run.has($0) }
    if !missing.isEmpty {
      return .unavailable("needs \(missing.joined(separator: " and "))")
    }
    return try compute(run)
  }
}

/// A measure's value, or the reason it has none: never a silent 0.
public enum MeasureValue: Sendable, Equatable {
  case value(Double)
  case unavailable(String)

  /// The number, nil when unavailable.
  public var number: Double? {
    if case .value(let x) = self { return x }
    return nil
  }
}

/// A run folder whose files cannot be measured, with the file and the reason.
///
/// Thrown for a folder that is not a run folder, or a file that does not read as a run writes it.
public struct MeasureError: TalentFlowError, Sendable, Equatable {
  public var file: String
  public var message: String

  public init(file: String, message: String) {
    self.file = file
    self.message = message
  }

  public var description: String { "\(file): \(message)" }
  public var exitCode: ExitCode { .dataError }
}

extension MeasureValue {
  /// A number as run files print it: Swift's shortest round-trip form, integral values without
  /// ".0"; empty for a non-finite value.
  public static func text(_ x: Double) -> String {
    guard x.isFinite else { return "" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return x.description
  }
}
