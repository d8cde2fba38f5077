import Foundation

/// The whole state of a run (MODEL 2): the professionals, the firms, the funding climate and
/// what the current tick records.
///
/// A value type: copying a `Simulation` copies the run, which is what checkpoints, replay and
/// paired comparisons build on. The rules of each step are extensions in this folder, one file
/// per step; the tick that runs them in MODEL 3's order, `step()`, is in
/// `Engine/Simulation+Tick.swift`.
public struct Simulation: Sendable {
  /// The configuration in force; `set` events change it from their tick on.
  public internal(set) var config: Configuration
  /// The configuration the run started from.
  public let initialConfig: Configuration
  let key: PhiloxKey
  var parallel: Parallel

  /// The last tick completed (warm-up ticks are negative; tick 0 is the state after warm-up).
  public internal(set) var tick: Int
  public internal(set) var professionals = Professionals()
  public internal(set) var firms = Firms()

  /// ln F of the AR(1) process alone (MODEL 4.1).
  var lnClimateProcess = 0.0
  /// F(t) in force this tick: the AR(1) output times the series and active shocks.
  public internal(set) var fundingClimate = 1.0
  /// Funding shocks from events: multiply F on ticks first...last.
  var fundingShocks: [(first: Int, last: Int, multiplier: Double)] = []

  // What the current tick records.
  var flows = FlowTable()
  var moves: [Move] = []
  var startupsBorn = 0
  var startupsFailed = 0
  var startupsAcquired = 0
  var startupsGraduated = 0
  /// First slot of professionals who arrived this tick (they cannot exit in it).
  var arrivalsStart = 0
  /// Counters per `PhiloxBatch` in the loops over professionals: a speed setting, never a
  /// model one (no output depends on it; tests run two sizes).
  var drawBatchSize = PhiloxBatch.defaultSize
  /// Whether step 6 takes the founding draws step 5's pass over the tick blocks already found
  /// (`TickBlockPass`) instead of computing every block again: a speed setting, never a model
  /// one (tests run both).
  var sharesTickBlocks = true
  /// Whether step 9 also sums each firm's skill for step 3 of the next tick
  /// (`skillSumsAfterUpdates`) instead of step 3 making a pass of its own: a speed setting,
  /// never a model one (tests run both).
  var carriesSkillSums = true
  /// Each firm's Σ skill as step 9 left it, for the next tick's step 3; nil once anyone has
  /// moved since. Derived from the state, never part of it (a checkpoint does not keep it).
  var skillSumsAfterUpdates: [Double]?
  /// The copy of what the firms published that the last tick made (`publishedRows()`), kept
  /// so that the next tick copies into the same memory. Derived, never part of the state.
  var publishedRowsCache: PublishedRows?

  /// Sets up the initial state of MODEL 5; warm-up has not run yet.
  public init(config: Configuration, threads: Int = 1) {
    self.config = config
    self.initialConfig = config
    self.key = PhiloxKey(seed: config.seed)
    self.parallel = Parallel(threads: threads)
    self.tick = -config.time.warmup - 1
    initialise()
  }

  /// The number of threads parallel steps use; results do not depend on it.
  public var threads: Int {
    get { parallel.threads }
    set { parallel = Parallel(threads: newValue) }
  }

  /// A stream of draws for one (purpose, entity, tick) (MODEL 7).
  @inline(__always)
  func stream(_ purpose: DrawPurpose, _ entity: Int, _ t: Int) -> RandomStream {
    RandomStream(
      key: key, purpose: purpose.rawValue, entity: UInt32(truncatingIfNeeded: entity),
      tick: Int32(t))
  }
}
