/// Where a professional is: a sector, unemployment, or outside the population (MODEL 6).
public enum Sector: Int, CaseIterable, Sendable {
  case bigtech = 0
  case startup = 1
  case unemployed = 2
  case outside = 3

  public var name: String {
    switch self {
    case .bigtech: return "bigtech"
    case .startup: return "startup"
    case .unemployed: return "unemployed"
    case .outside: return "outside"
    }
  }

  init(_ type: FirmType) { self = type == .bigtech ? .bigtech : .startup }
}

/// Why a professional changed place (MODEL 6, `flows.csv`).
public enum FlowReason: Int, CaseIterable, Sendable {
  case voluntary = 0
  case hire
  case layoff
  case failure
  case acquisition
  case founding
  case graduation
  case entry
  case exit

  public var name: String {
    switch self {
    case .voluntary: return "voluntary"
    case .hire: return "hire"
    case .layoff: return "layoff"
    case .failure: return "failure"
    case .acquisition: return "acquisition"
    case .founding: return "founding"
    case .graduation: return "graduation"
    case .entry: return "entry"
    case .exit: return "exit"
    }
  }
}

/// Counts of one tick's flows by (from, to, reason).
public struct FlowTable: Sendable, Equatable {
  private static let sectors = Sector.allCases.count
  private static let reasons = FlowReason.allCases.count
  public private(set) var counts = [Int](
    repeating: 0, count: FlowTable.sectors * FlowTable.sectors * FlowTable.reasons)

  public init() {}

  private static func index(_ from: Sector, _ to: Sector, _ reason: FlowReason) -> Int {
    (from.rawValue * sectors + to.rawValue) * reasons + reason.rawValue
  }

  public subscript(from: Sector, to: Sector, reason: FlowReason) -> Int {
    get { counts[FlowTable.index(from, to, reason)] }
    set { counts[FlowTable.index(from, to, reason)] = newValue }
  }

  mutating func add(_ from: Sector, _ to: Sector, _ reason: FlowReason, _ n: Int = 1) {
    counts[FlowTable.index(from, to, reason)] += n
  }

  /// Adds every count of `other` (counts are integers, so the order of adding never matters).
  mutating func add(_ other: FlowTable) {
    for k in counts.indices { counts[k] += other.counts[k] }
  }

  /// Total over every (from, to) of one reason.
  public func total(_ reason: FlowReason) -> Int {
    var sum = 0
    for from in Sector.allCases { for to in Sector.allCases { sum += self[from, to, reason] } }
    return sum
  }

  /// Non-zero entries in (from, to, reason) order: the rows of `flows.csv` for one tick.
  public var nonZero: [(from: Sector, to: Sector, reason: FlowReason, count: Int)] {
    var rows: [(Sector, Sector, FlowReason, Int)] = []
    for from in Sector.allCases {
      for to in Sector.allCases {
        for reason in FlowReason.allCases where self[from, to, reason] != 0 {
          rows.append((from, to, reason, self[from, to, reason]))
        }
      }
    }
    return rows
  }
}

/// One change of employer, for `moves.csv`.
public struct Move: Sendable, Equatable {
  public var professional: UInt32
  public var fromFirm: Int32
  public var toFirm: Int32
  public var from: Sector
  public var to: Sector
  public var reason: FlowReason
}
