import Foundation

/// Why a calibration step cannot be made from its inputs, in words a person can act on: the
/// message names the argument and the value it got.
public struct CalibrationError: TalentFlowError, Sendable, Equatable {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }

  /// A bad argument or bad data (EX_DATAERR).
  public var exitCode: ExitCode { .dataError }
}

/// The box [lower, upper]^k of the calibrated parameters, and the map between it and the unit
/// cube in which the optimiser and the start design work.
///
/// `point(fromUnit:)` is x_j = lower_j + u_j · (upper_j − lower_j), then clamped to
/// [lower_j, upper_j] so that rounding never puts a point outside the box (lower + 1 · width
/// can exceed upper by an ulp). `unit(of:)` is its inverse, u_j = (x_j − lower_j) / width_j,
/// clamped to [0, 1].
public struct CalibrationBox: Sendable, Equatable {
  public let lower: [Double]
  public let upper: [Double]

  /// Throws unless there is at least one parameter, the bounds pair up, are finite, have
  /// lower < upper and a finite width.
  public init(lower: [Double], upper: [Double]) throws(CalibrationError) {
    guard !lower.isEmpty, lower.count == upper.count else {
      throw CalibrationError(
        "the box needs as many upper as lower bounds, at least one, got \(lower.count) lower "
          + "and \(upper.count) upper")
    }
    for j in lower.indices {
      let (lo, hi) = (lower[j], upper[j])
      guard lo.isFinite, hi.isFinite, lo < hi, (hi - lo).isFinite else {
        throw CalibrationError(
          "parameter \(j + 1): the range must have finite bounds with lower < upper and a "
            + "finite width, got [\(lo), \(hi)]")
      }
    }
    self.lower = lower
    self.upper = upper
  }

  /// k, the number of parameters.
  public var dimensions: Int { lower.count }

  /// upper_j − lower_j.
  public var widths: [Double] { lower.indices.map { upper[$0] - lower[$0] } }

  /// lower + u · (upper − lower), clamped to the box.
  public func point(fromUnit u: [Double]) -> [Double] {
    lower.indices.map { j in
      min(max(lower[j] + u[j] * (upper[j] - lower[j]), lower[j]), upper[j])
    }
  }

  /// (x − lower) / (upper − lower), clamped to [0, 1].
  public func unit(of x: [Double]) -> [Double] {
    lower.indices.map { j in min(max((x[j] - lower[j]) / (upper[j] - lower[j]), 0), 1) }
  }

  /// Throws unless `x` has k finite values inside the box; `what` names it in the message.
  func validate(_ x: [Double], _ what: String) throws(CalibrationError) {
    guard x.count == dimensions else {
      throw CalibrationError("\(what) has \(x.count) values, the box has \(dimensions)")
    }
    for j in x.indices where !(x[j] >= lower[j] && x[j] <= upper[j]) {
      throw CalibrationError(
        "\(what): parameter \(j + 1) must be in [\(lower[j]), \(upper[j])], got \(x[j])")
    }
  }
}
