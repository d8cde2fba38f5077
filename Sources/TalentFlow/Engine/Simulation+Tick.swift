import Foundation

/// The tick (MODEL 3): warm-up, and the ten steps of one tick in their order, each followed by
/// the finite-value checks of `FiniteGuard`.
extension Simulation {
  /// Runs the warm-up ticks and resets the funding climate to F(0) = 1 (MODEL 2, 3).
  public mutating func warmUp() throws(SimulationError) {
    var clock = UntimedSteps()
    while tick < -1 { try warmUpStep(clock: &clock) }
    tick = 0
    lnClimateProcess = 0
    fundingClimate = 1
    clearTickRecord()
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
    let tally = try stepsOneToNine(clock: &clock, tallying: true)
    let record = record(tally)  // 10
    try checkRecord(record)
    clock.finished(.record)
    return record
  }

  /// Runs one warm-up tick: every step, as `step(clock:)` runs it, without step 10.
  ///
  /// Warm-up keeps no records, so nothing takes the sums over professionals that step 10
  /// records (her current utility, above all: a logarithm per employed professional). Nothing
  /// in the state depends on them, so the state after the tick is the one `step(clock:)`
  /// leaves (a test in `DrawBatchTests` compares the two).
  public mutating func warmUpStep<Clock: StepClock>(clock: inout Clock) throws(SimulationError) {
    _ = try stepsOneToNine(clock: &clock, tallying: false)
    clock.finished(.record)
  }

  /// MODEL 3, steps 1–9; returns step 9's sums for step 10 (empty without `tallying`).
  private mutating func stepsOneToNine<Clock: StepClock>(clock: inout Clock, tallying: Bool)
    throws(SimulationError) -> ProfessionalTally
  {
    clock.start()
    let t = tick + 1
    tick = t
    clearTickRecord()
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
    let stepFive: TickBlockPass?
    do {
      stepFive = try entryAndExit(t)  // 5
    } catch {
      throw SimulationError(populationLimit: error)
    }
    clock.finished(.entryExit)
    let founding = drawFoundingOpportunities(t, after: stepFive)  // 6
    clock.finished(.founding)
    countVacancies()
    // What firms published is final for the tick: one cache-aligned copy for steps 7 and 9.
    var rows = publishedRows()
    clock.finished(.vacancies)
    let choices = search(t, founding: founding, rows: rows)  // 7
    clock.finished(.search)
    if !choices.founders.isEmpty {
      // Those who chose to found do so now; their startups publish at birth (Model.md 4.7).
      let existing = firms.count
      foundStartups(choices.founders, t)
      try checkFirms(t, after: "founding", from: existing)
      if !rows.appendNewFirms(firms, parallel) {
        rows = PublishedRows(firms, parallel)
        publishedRowsCache = rows
      }
    }
    clock.finished(.founding)
    match(choices.applications)  // 8
    clock.finished(.matching)
    // Step 9 also takes the sums over professionals that step 10 records (one pass).
    let tally = updateProfessionals(rows, tallying: tallying)  // 9
    clock.finished(.updates)
    return tally
  }

  /// This tick's copy of what the firms published (`PublishedRows`), made in the memory of the
  /// last tick's copy when the firms still fit and no other copy of the simulation shares it.
  ///
  /// At a million professionals the copy is some megabytes, above the allocator's `mmap`
  /// threshold (`AllocatorTuning`): made afresh, it was mapped anew every tick and every page
  /// of it faulted in again.
  mutating func publishedRows() -> PublishedRows {
    if isKnownUniquelyReferenced(&publishedRowsCache), let rows = publishedRowsCache,
      rows.refill(firms, parallel)
    {
      return rows
    }
    publishedRowsCache = nil  // the old memory goes before the new is taken
    let rows = PublishedRows(firms, parallel)
    publishedRowsCache = rows
    return rows
  }

  /// The record of tick 0: the stocks after warm-up and zero flows.
  public func tickZeroRecord() -> TickRecord { record() }

  /// Empties what the current tick records: its flows, moves and startup counts.
  mutating func clearTickRecord() {
    flows = FlowTable()
    moves.removeAll(keepingCapacity: true)
    startupsBorn = 0
    startupsFailed = 0
    startupsAcquired = 0
    startupsGraduated = 0
  }
}
