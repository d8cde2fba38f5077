import Foundation
import Testing

@testable import TalentFlow

/// Sweeps given hostile ranges, and sweeps in which some runs fail.
@Suite("Sweep faults")
struct SweepFaultTests {
  @Test func aSampledRangeBeyondItsKeysRangeIsRefusedNamingFileKeyAndValue() throws {
    let folder = try TestFolder.make("sweep-range")
    defer { TestFolder.remove(folder) }
    let spec = try TestFolder.write(
      #"{"name": "wide", "sample": {"method": "lhs", "points": 4, "seed": 1, "ranges": {"macro.volatility": [-1e308, 1e308]}}}"#,
      named: "wide.json", in: folder)
    let out = folder.appendingPathComponent("out")
    let result = try TalentflowProcess.run(["sweep", spec, "--out", out.path])
    #expect(result.exited(with: 65), "\(result.stderr)")
    #expect(
      result.stderr.contains(
        "\(spec): sample.ranges.macro.volatility: macro.volatility must be a probability in "
          + "[0, 1], got -1e+308"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }
}
