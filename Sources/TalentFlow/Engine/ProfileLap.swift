/// Adds the time since the previous lap to one part of a `RunProfile`; does nothing without one.
struct ProfileLap {
  let profile: RunProfile?
  private let start: UInt64
  private var last: UInt64

  init(_ profile: RunProfile?) {
    self.profile = profile
    start = StepTimings.now()
    last = start
  }

  private mutating func lap() -> Double {
    let now = StepTimings.now()
    defer { last = now }
    return Double(now &- last) / 1e9
  }

  mutating func initialisation() {
    guard let profile else { return }
    profile.initialisationSeconds += lap()
  }

  mutating func ticks() {
    guard let profile else { return }
    profile.tickSeconds += lap()
  }

  mutating func output() {
    guard let profile else { return }
    profile.outputSeconds += lap()
  }

  /// One tick, timed step by step when profiling (the record is the same either way); throws
  /// when the population would outgrow its limit.
  @discardableResult
  func step(_ simulation: inout Simulation) throws(SimulationError) -> TickRecord {
    guard let profile else { return try simulation.step() }
    return try simulation.step(clock: &profile.steps)
  }

  /// One warm-up tick (`Simulation.warmUpStep`), timed step by step when profiling.
  func warmUpStep(_ simulation: inout Simulation) throws(SimulationError) {
    guard let profile else {
      var clock = UntimedSteps()
      return try simulation.warmUpStep(clock: &clock)
    }
    try simulation.warmUpStep(clock: &profile.steps)
  }

  /// Records the run's agent-ticks and whole wall time.
  func finish(agentTicks: Int) {
    guard let profile else { return }
    profile.agentTicks += agentTicks
    profile.wallSeconds += Double(StepTimings.now() &- start) / 1e9
  }
}
