/// Where the time of a run went: filled in by `Runner.run` when given one.
///
/// A reference type so that a run can add to it as it goes; every value accumulates, so one
/// profile may cover several runs.
public final class RunProfile {
  /// Setting up the initial state (MODEL 5).
  public var initialisationSeconds = 0.0
  /// Preparing the run folder, writing every row, closing the files, the manifest and the rename.
  public var outputSeconds = 0.0
  /// Warm-up and recorded ticks, outputs excluded.
  public var tickSeconds = 0.0
  /// The tick time step by step.
  public var steps = StepTimings()
  /// The whole run, from preparing the folder to the rename.
  public var wallSeconds = 0.0
  /// Σ over warm-up and recorded ticks of the professionals present at the tick's start.
  public var agentTicks = 0

  public init() {}
}
