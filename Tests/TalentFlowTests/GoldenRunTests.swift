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
  static let goldenModelVersion = "1.3.0"

  /// `name rows bytes sha256` of every output file of the golden run, in manifest order.
  static let golden = [
    "timeseries.csv 49 10786 c08974048339869616fc0820149a4cd1e04aaa7e4a9379ffc2af35c29d3bf24e",
    "flows.csv 517 15464 760a33557d53a4edcb7dfe0e7355177805ae3525607d180f9310ea72ebb37ff1",
    "firms.csv 507 92044 f329c2eaf34fab17f853559ca1fca8bc5b85a7de9cc555f8f1271a83db9cea9e",
    "agents.csv 2461 334346 4255c61b253f882933acf7887dd66af4e9a15ef3aa54b2b311db22efa26da37c",
    "moves.csv 4668 181078 157350b9885c8cc20f35d17fa89bb1d561ac66ee15d4e3804baa9220b31259b8",
  ]

  /// The fixed run: a small baseline with every output file and one event of each type.
  ///
  /// 2,000 professionals, 80 startups and 48 ticks. Seed 15 makes it exercise every kind of
  /// startup exit, graduation included, so that a change to any step shows.
  static let goldenOverrides = [
    "seed=15", "population.size=2000", "firms.startups=80", "time.ticks=48",
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
