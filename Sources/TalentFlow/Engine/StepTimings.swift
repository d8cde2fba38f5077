import Foundation

/// The parts of one tick that `talentflow bench` times separately (MODEL 3, steps 1–10).
///
/// Vacancy counting, which MODEL 3 places between steps 6 and 7, has its own entry (with the
/// tick's copy of what firms published, `PublishedRows`). Step 9's
/// pass over the professionals also takes the sums step 10 records, so `updates` includes
/// that work and `record` is the rest of step 10 (firm counts, the row).
public enum TickStep: Int, CaseIterable, Sendable {
  case events = 0
  case fundingClimate
  case firmFinance
  case offers
  case entryExit
  case founding
  case vacancies
  case search
  case matching
  case updates
  case record

  /// A short name for tables and CSV columns.
  public var name: String {
    switch self {
    case .events: return "events"
    case .fundingClimate: return "climate"
    case .firmFinance: return "finance"
    case .offers: return "offers"
    case .entryExit: return "entry_exit"
    case .founding: return "founding"
    case .vacancies: return "vacancies"
    case .search: return "search"
    case .matching: return "matching"
    case .updates: return "updates"
    case .record: return "record"
    }
  }
}

/// Something told when each step of a tick ends; `Simulation.step` is generic over it.
///
/// The ordinary `step()` uses `UntimedSteps`, whose calls compile to nothing, so timing costs
/// an untimed run nothing. A clock only reads the time: it never touches the simulation, so a
/// timed tick produces exactly the record of an untimed one.
public protocol StepClock {
  /// Called once before the first step of a tick.
  mutating func start()
  /// Called when `step` has finished.
  mutating func finished(_ step: TickStep)
}

/// The clock of ordinary runs: does nothing.
public struct UntimedSteps: StepClock {
  public init() {}
  @inline(__always) public mutating func start() {}
  @inline(__always) public mutating func finished(_ step: TickStep) {}
}

/// Nanoseconds spent in each step, accumulated over every tick it timed.
public struct StepTimings: StepClock, Sendable {
  /// Accumulated nanoseconds, indexed by `TickStep.rawValue`.
  public private(set) var nanoseconds = [UInt64](repeating: 0, count: TickStep.allCases.count)
  /// Ticks timed.
  public private(set) var ticks = 0
  private var last: UInt64 = 0

  public init() {}

  /// The monotonic clock in nanoseconds.
  @inline(__always)
  public static func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
  }

  public mutating func start() {
    ticks += 1
    last = StepTimings.now()
  }

  public mutating func finished(_ step: TickStep) {
    let now = StepTimings.now()
    nanoseconds[step.rawValue] &+= now &- last
    last = now
  }

  /// Seconds spent in one step.
  public func seconds(_ step: TickStep) -> Double {
    Double(nanoseconds[step.rawValue]) / 1e9
  }

  /// Seconds spent in all steps.
  public var totalSeconds: Double {
    Double(nanoseconds.reduce(0, &+)) / 1e9
  }
}
