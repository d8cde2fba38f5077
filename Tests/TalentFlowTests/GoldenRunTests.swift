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
  static let goldenModelVersion = "1.2.0"

  /// `name rows bytes sha256` of every output file of `goldenConfig`, in manifest order.
  static let golden = [
    "timeseries.csv 37 8189 d9e2def91108f12bcdff9155db30b78c4bbc06229f868e3539314a48eef1258d",
    "flows.csv 349 10288 faf63c3cf8325bc41c64c75439d5baad81e9aac4b6632e4b2cfc413ba6358a9a",
    "firms.csv 269 47904 62c5ac05a4d9443ffd0cd490a1ead9830256392c8aea50c442a68e91ebb3fb3a",
    "agents.csv 1668 226708 dd7cb1fb2663992c468ca31eef1d4d88ae8b9218148e6edcb579c4120ca98323",
    "moves.csv 1916 72884 e5cee1d1196dc4720f7e0f76cef8106c2a48c748a5b7644a3cc1cd662f0c847b",
  ]

  /// The fixed run: the baseline with 1,500 professionals, 60 startups and 36 ticks, every
  /// output file on.
  static let goldenOverrides = [
    "population.size=1500", "firms.startups=60", "time.ticks=36", "output.agents=final",
    "output.moves=true", "output.firmsEvery=12",
  ]

  @Test func outputsOfTheFixedRunMatchTheGoldens() throws {
    let config = try Configuration.load(file: nil, overrides: GoldenRunTests.goldenOverrides)
    let folder = try CLIProcess.temporaryFolder("golden")
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try Runner.run(
      config: config, destination: folder.appendingPathComponent("run"), force: false, threads: 2)
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
        1. bump `TalentFlowVersion.model` in Sources/TalentFlow/Output/Versions.swift
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
