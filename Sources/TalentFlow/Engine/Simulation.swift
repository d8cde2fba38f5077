import Foundation

/// The whole state of a run and the tick that advances it (MODEL 3).
///
/// A value type: copying a `Simulation` copies the run, which is what checkpoints, replay and
/// paired comparisons build on. `step()` runs one tick's ten steps in MODEL.md's order and
/// returns what that tick recorded.
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

  /// Runs the warm-up ticks and resets the funding climate to F(0) = 1 (MODEL 2, 3).
  public mutating func warmUp() throws(SimulationError) {
    while tick < -1 { _ = try step() }
    tick = 0
    lnClimateProcess = 0
    fundingClimate = 1
    flows = FlowTable()
    moves.removeAll(keepingCapacity: true)
    startupsBorn = 0
    startupsFailed = 0
    startupsAcquired = 0
    startupsGraduated = 0
  }

  /// Runs one tick (MODEL 3, steps 1–10) and returns its record.
  ///
  /// Throws if a quantity leaves the range the model computes with (see `SimulationError`);
  /// the state is then no longer meaningful and the run must stop.
  @discardableResult
  public mutating func step() throws(SimulationError) -> TickRecord {
    var clock = UntimedSteps()
    return try step(clock: &clock)
  }

  /// Runs one tick, telling `clock` when each step ends (for `talentflow bench`).
  ///
  /// The clock only reads the time, so the record is the one `step()` would return.
  @discardableResult
  public mutating func step<Clock: StepClock>(clock: inout Clock) throws(SimulationError)
    -> TickRecord
  {
    clock.start()
    let t = tick + 1
    tick = t
    flows = FlowTable()
    moves.removeAll(keepingCapacity: true)
    startupsBorn = 0
    startupsFailed = 0
    startupsAcquired = 0
    startupsGraduated = 0
    arrivalsStart = professionals.slotCount

    do {
      try applyEvents(t)  // 1
    } catch {
      throw SimulationError(populationLimit: error)
    }
    clock.finished(.events)
    updateFundingClimate(t)  // 2
    try checkFundingClimate(t)
    clock.finished(.fundingClimate)
    firmFinance(t)  // 3
    try checkFirms(t, after: "firm finance")
    clock.finished(.firmFinance)
    publishOffers(t)  // 4
    try checkFirms(t, after: "offers")
    clock.finished(.offers)
    do {
      try entryAndExit(t)  // 5
    } catch {
      throw SimulationError(populationLimit: error)
    }
    clock.finished(.entryExit)
    let foundingOptions = drawFoundingOpportunities(t)  // 6
    clock.finished(.founding)
    countVacancies()
    // What firms published is final for the tick: one cache-aligned copy for steps 7 and 9.
    var rows = PublishedRows(firms, parallel)
    clock.finished(.vacancies)
    let choices = search(t, foundingOptions: foundingOptions, rows: rows)  // 7
    clock.finished(.search)
    if !choices.founders.isEmpty {
      // Those who chose to found do so now; their startups publish at birth (Model.md 4.7).
      foundStartups(choices.founders, t)
      try checkFirms(t, after: "founding")
      rows = PublishedRows(firms, parallel)
    }
    clock.finished(.founding)
    match(choices.applications)  // 8
    clock.finished(.matching)
    // Step 9 also takes the sums over professionals that step 10 records (one pass).
    let tally = updateProfessionals(rows)  // 9
    clock.finished(.updates)
    let record = record(tally)  // 10
    try checkRecord(record)
    clock.finished(.record)
    return record
  }

  /// The record of tick 0: the stocks after warm-up and zero flows.
  public func tickZeroRecord() -> TickRecord { record() }

  // MARK: Moving people

  /// The sector of an employer value.
  @inline(__always)
  func sector(ofEmployer e: Int32) -> Sector {
    if e >= 0 { return Sector(firms.type[Int(e)]) }
    return e == Professionals.unemployed ? .unemployed : .outside
  }

  /// Moves the professional in slot `p` to a new employer, forfeiting her grant (MODEL 4.6).
  mutating func move(_ p: Int, to newEmployer: Int32, reason: FlowReason) {
    let old = professionals.employer[p]
    let from = sector(ofEmployer: old)
    let to = sector(ofEmployer: newEmployer)
    if old >= 0 { firms.headcount[Int(old)] -= 1 }
    if newEmployer >= 0 { firms.headcount[Int(newEmployer)] += 1 }
    professionals.employer[p] = newEmployer
    professionals.tenure[p] = 0
    professionals.grant[p] = 0
    professionals.stake[p] = 0
    flows.add(from, to, reason)
    if config.output.moves {
      moves.append(
        Move(
          professional: professionals.id[p], fromFirm: max(old, -1), toFirm: max(newEmployer, -1),
          from: from, to: to, reason: reason))
    }
  }

  /// Gives a hire the grant of MODEL 4.6: a stake from the pool at a startup, 4 · r at big tech.
  mutating func grantEquity(_ p: Int, at j: Int) {
    if firms.type[j] == .startup {
      let s = max(0, min(firms.equityOffer[j], firms.optionPool[j]))
      firms.optionPool[j] -= s
      professionals.stake[p] = s
      professionals.grant[p] = s * firms.valuation[j]
    } else {
      professionals.stake[p] = 0
      professionals.grant[p] = 4 * firms.equityOffer[j]
    }
  }

  /// Slots of the current employees of each flagged firm, in slot (so id) order.
  ///
  /// The scan over every professional runs in parallel chunks; each chunk's finds are taken in
  /// chunk order, so every list is in slot order whatever the thread count.
  func members(ofFlagged flagged: [Bool]) -> [Int: [Int]] {
    let found: [[(firm: Int32, slot: Int32)]] = professionals.employer.withUnsafeBufferPointer {
      employerBuffer in
      flagged.withUnsafeBufferPointer { flaggedBuffer in
        nonisolated(unsafe) let employer = employerBuffer
        nonisolated(unsafe) let flagged = flaggedBuffer
        return parallel.mapChunks(count: employer.count) { range in
          var out: [(firm: Int32, slot: Int32)] = []
          for p in range {
            let e = employer[p]
            if e >= 0 && flagged[Int(e)] { out.append((e, Int32(truncatingIfNeeded: p))) }
          }
          return out
        }
      }
    }
    var lists: [Int: [Int]] = [:]
    for chunk in found {
      for (e, p) in chunk { lists[Int(e), default: []].append(Int(p)) }
    }
    return lists
  }

  /// Lays off `count` of a firm's members, lowest score first (ties by id) (MODEL 4.2, 4.10).
  mutating func layOff(_ count: Int, of members: [Int], scores: [Double]) {
    let order = members.indices.map { (scores[$0], professionals.id[members[$0]], members[$0]) }
      .sorted { a, b in a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }
    for (_, _, p) in order.prefix(count) {
      move(p, to: Professionals.unemployed, reason: .layoff)
    }
  }
}
