import Foundation
import Testing

@testable import TalentFlow

/// Model version discipline: the outputs of one small fixed run, pinned.
///
/// A published manifest promises that its configuration, seed and model version regenerate its
/// files bit for bit. So any change that alters an output for the same configuration and seed
/// must come with a new `TalentFlowVersion.model`; this test makes such a change impossible to
/// miss, and tells the developer how to record it on purpose.
@Suite("Golden run")
struct GoldenRunTests {
  /// The model version the goldens below were made with.
  static let goldenModelVersion = "1.6.0"

  /// `name rows bytes sha256` of every output file of the golden run, in manifest order.
  static let golden = [
    "timeseries.csv 49 10808 e01feb2c2929aa88e0305863defba26ac549b930f3b592f355e21a0edcdbf045",
    "flows.csv 484 14475 2e67d9e7b6dba65f78a82bab2ec4010dea87c6737587651b5cf21bb7c98852a8",
    "firms.csv 266 45531 541d4d7f6705c3351621fdc3d10dd286aa2fd4b86e610cb2c829f3dd809fc52f",
    "agents.csv 2449 332927 1b5ede47001a1efb576c90a5247341c6f93c88a270a9ccbb3d837e3c46cc5de9",
    "moves.csv 5379 207010 826798edb43874e451bb82fc9fda66b028e63f5a40488a8a1bd0c773cdf7fc0e",
  ]

  /// The fixed run: a small baseline with every output file and one event of each type.
  ///
  /// 2,000 professionals, 80 startups and 48 ticks. Seed 19 makes it exercise every kind of
  /// startup exit, graduation included, so that a change to any step shows (seed 15 did up to
  /// model 1.3.0; under model 1.4.0's draw layout it has no graduation, seed 19 does, and still
  /// does with model 1.5.0's estimated defaults and model 1.6.0's own arithmetic).
  static let goldenOverrides = [
    "seed=19", "population.size=2000", "firms.startups=80", "time.ticks=48",
    "output.agents=final", "output.moves=true", "output.firmsEvery=12",
    """
    events=[{"tick": 6, "type": "fundingShock", "multiplier": 0.5, "ticks": 12},
    {"tick": 10, "type": "layoffs", "sector": "bigtech", "fraction": 0.1},
    {"tick": 20, "type": "set", "path": "policy.nonCompete", "value": 0.3},
    {"tick": 30, "type": "entrySurge", "count": 150}]
    """,
  ]

  @Test func outputsOfTheFixedRunMatchTheGoldens() throws {
    let config = try Configuration.load(file: nil, overrides: GoldenRunTests.goldenOverrides)
    let folder = try TestFolder.make("golden")
    defer { TestFolder.remove(folder) }
    let result = try Runner.run(
      config: config, destination: folder.appendingPathComponent("run"), force: false, threads: 2)
    // The run must keep exercising what it is there to pin.
    for column in [
      "startups_graduated", "startups_acquired", "startups_failed", "foundings",
      "layoffs_bigtech", "layoffs_startup", "moves_bigtech_to_startup", "moves_startup_to_bigtech",
    ] {
      let total = Timeseries.columns.firstIndex(of: column).map { result.totals[$0] } ?? 0
      #expect(total > 0, "the golden run has no \(column); pick a seed that has some")
    }
    let actual = result.files.map { "\($0.name) \($0.rows) \($0.bytes) \($0.sha256)" }
    let changed =
      zip(GoldenRunTests.golden, actual).filter { $0 != $1 }.map(\.1)
      + (actual.count == GoldenRunTests.golden.count ? [] : ["(a different set of files)"])
    let pasteable = actual.map { "    \"\($0)\"," }.joined(separator: "\n")

    #expect(
      actual == GoldenRunTests.golden,
      """
      The outputs of the golden run changed: \(changed.joined(separator: "; ")).
      Outputs for the same configuration and seed may only change with a new model version.
      - If the change is NOT meant to alter outputs (a refactoring, a speed-up), it has a bug:
        find it; do not update the goldens.
      - If it IS meant to (a model fix or a MODEL.md change), record it on purpose:
        1. bump `TalentFlowVersion.model` in Sources/TalentFlow/Versions.swift
           (currently \(TalentFlowVersion.model));
        2. set `goldenModelVersion` in Tests/TalentFlowTests/GoldenRunTests.swift to it;
        3. replace `golden` there with these lines:
      \(pasteable)
        4. say in the commit message what changed in the outputs and why.
      """)
    #expect(
      TalentFlowVersion.model == GoldenRunTests.goldenModelVersion,
      """
      TalentFlowVersion.model is \(TalentFlowVersion.model) but the goldens were made with model \
      version \(GoldenRunTests.goldenModelVersion). After checking that the goldens above are \
      the outputs you mean the new version to have, set `goldenModelVersion` in \
      Tests/TalentFlowTests/GoldenRunTests.swift to \(TalentFlowVersion.model).
      """)
  }
}
