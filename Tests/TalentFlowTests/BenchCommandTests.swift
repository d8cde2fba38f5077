import Foundation
import Testing

/// The debug `talentflow` executable that `swift build` / `swift test` built: these tests are
/// about what a debug build does, whichever build runs the tests.
private func talentflowBinary() throws -> URL {
  let binary = TalentflowProcess.packageRoot.appendingPathComponent(".build/debug/talentflow")
  try #require(
    FileManager.default.isExecutableFile(atPath: binary.path),
    "build the executable first (swift build): \(binary.path) is missing")
  return binary
}

/// Runs the executable and returns its exit status, standard output and standard error.
private func runTalentflow(_ arguments: [String]) throws -> (
  status: Int32, output: String, errors: String
) {
  let outcome = try TalentflowProcess.runTool(try talentflowBinary().path, arguments, timeout: 300)
  return (outcome.status, outcome.stdout, outcome.stderr)
}

@Suite("talentflow bench")
struct BenchCommandTests {
  @Test("A debug build refuses to benchmark and says how to build for release")
  func debugBuildRefuses() throws {
    let result = try runTalentflow(["bench", "--agents", "500", "--ticks", "2", "--repeat", "1"])
    #expect(result.status == 1)
    #expect(result.output.isEmpty)
    #expect(result.errors.contains("debug build"))
    #expect(result.errors.contains("swift build -c release"))
  }

  @Test("With --allow-debug it warns, then reports one CSV row per size and thread count")
  func allowDebugReportsCSV() throws {
    let result = try runTalentflow([
      "bench", "--agents", "500,600", "--ticks", "2", "--threads", "2", "--repeat", "1",
      "--csv", "--allow-debug",
    ])
    #expect(result.status == 0)
    #expect(result.errors.contains("WARNING"))
    let lines = result.output.split(separator: "\n").map(String.init)
    try #require(lines.count == 5)
    let header = lines[0].split(separator: ",").map(String.init)
    #expect(header.starts(with: ["professionals", "threads", "ticks", "repeats", "wall_seconds"]))
    #expect(header.contains("peak_bytes"))
    #expect(header.contains("step_share_search"))
    let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    #expect(rows.map { String($0[0]) } == ["500", "500", "600", "600"])
    #expect(rows.map { String($0[1]) } == ["2", "1", "2", "1"])
    for row in rows {
      #expect(row.count == header.count)
      #expect(row[2] == "38")  // 36 warm-up + 2 ticks
      let shares = zip(header, row).filter { $0.0.hasPrefix("step_share_") }.compactMap {
        Double($0.1)
      }
      #expect(shares.count == 11)
      #expect(abs(shares.reduce(0, +) - 1) < 0.01)
      // The draw floor was measured, and no run can be faster than it.
      let cell = zip(header, row).first { $0.0 == "draw_floor_seconds" }?.1
      let floor = try #require(cell.flatMap { Double($0) })
      let wall = try #require(Double(row[4]))
      #expect(floor > 0 && floor < wall)
    }
  }

  @Test("--set changes the benchmarked configuration; a bad one is refused before any run")
  func setOverrides() throws {
    let base = ["bench", "--agents", "500", "--ticks", "2", "--threads", "1", "--repeat", "1"]
    let moves = try runTalentflow(
      base + ["--set", "output.moves=true", "--set", "output.agents=final", "--allow-debug"])
    #expect(moves.status == 0)
    #expect(moves.output.contains("Changed with --set: output.moves=true, output.agents=final."))
    let bad = try runTalentflow(base + ["--set", "population.exitPerYear=-1", "--allow-debug"])
    #expect(bad.status == 65)
    #expect(bad.errors.contains("population.exitPerYear"))
    #expect(bad.output.isEmpty)
    #expect(!bad.errors.contains("run 1 of 1"))
  }

  @Test("Bad sizes are usage errors")
  func badSizes() throws {
    let result = try runTalentflow(["bench", "--agents", "10,abc", "--allow-debug"])
    #expect(result.status == 64)
    #expect(result.errors.contains("--agents"))
  }
}
