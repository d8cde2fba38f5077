import Foundation

/// Why a sensitivity design or analysis cannot be made from its inputs, in words a person can
/// act on: the message names the argument or the row and the value it got.
public struct SensitivityError: TalentFlowError, Sendable, Equatable {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }

  /// A bad argument or bad data (EX_DATAERR): a specification or a file read back is wrong.
  public var exitCode: ExitCode { .dataError }
}

/// The range [lower, upper] of one parameter, and the map from the unit interval onto it.
public struct SensitivityRange: Sendable, Equatable {
  public var lower: Double
  public var upper: Double

  public init(lower: Double, upper: Double) {
    self.lower = lower
    self.upper = upper
  }

  /// `lower + u · (upper − lower)`.
  ///
  /// Bit for bit SALib's `scale_samples` (`u · (upper − lower) + lower`: IEEE addition is
  /// commutative), so a design scaled here equals the same unit design scaled by SALib.
  public func scale(_ u: Double) -> Double {
    lower + u * (upper - lower)
  }

  /// Throws unless the bounds are finite, `lower < upper` and the width is finite.
  func validate(parameter: Int) throws(SensitivityError) {
    guard lower.isFinite, upper.isFinite, lower < upper, (upper - lower).isFinite else {
      throw SensitivityError(
        "parameter \(parameter + 1): the range must have finite bounds with lower < upper and a "
          + "finite width, got [\(lower), \(upper)]")
    }
  }

  /// Unit-hypercube rows mapped onto `ranges`, column j onto `ranges[j]`.
  static func scale(_ rows: [[Double]], onto ranges: [SensitivityRange], parameters: Int)
    throws(SensitivityError) -> [[Double]]
  {
    guard ranges.count == parameters else {
      throw SensitivityError(
        "the design has \(parameters) parameters but \(ranges.count) ranges were given")
    }
    for (j, range) in ranges.enumerated() { try range.validate(parameter: j) }
    return rows.map { row in row.indices.map { j in ranges[j].scale(row[j]) } }
  }
}
