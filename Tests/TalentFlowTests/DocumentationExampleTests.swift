import Foundation
import TalentFlow
import Testing

/// The Swift example of the library's documentation (`TalentFlow.docc/TalentFlow.md`) compiles
/// against the public API and runs: it is the code between the markers below, line for line.
///
/// This file imports TalentFlow without `@testable`, so the example sees only what a user of
/// the library sees.
@Suite("The documentation's Swift example")
struct DocumentationExampleTests {
  @Test("TalentFlow.md's example is the code below, and it runs")
  func exampleRuns() throws {
    // example:begin
    var config = try Configuration.load(file: nil, overrides: ["population.size=2000"])
    config.time.ticks = 24
    let records = try Runner.records(config: config, threads: 1)  // ticks 0…24, in memory
    print(records.last?["employed_startup"] ?? 0)
    // example:end
    #expect(records.count == 25)
    #expect(records.map(\.tick) == Array(0...24))
    #expect((records.last?["employed_startup"] ?? 0) > 0)

    let documented = try Self.lines(
      of: "Sources/TalentFlow/TalentFlow.docc/TalentFlow.md", from: "```swift", to: "```")
    let tested = try Self.lines(
      of: "Tests/TalentFlowTests/DocumentationExampleTests.swift", from: "// example:begin",
      to: "// example:end")
    #expect(documented.filter { $0 != "import TalentFlow" && !$0.isEmpty } == tested)
  }

  /// The lines of a package file strictly between the first line `start` and the next line
  /// `end` (each trimmed of surrounding spaces).
  static func lines(of path: String, from start: String, to end: String) throws -> [String] {
    let url = TalentflowProcess.packageRoot.appendingPathComponent(path)
    let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
      .map { $0.trimmingCharacters(in: .whitespaces) }
    let first = try #require(lines.firstIndex(of: start), "\(path) has no \(start)")
    let last = try #require(
      lines[(first + 1)...].firstIndex(of: end), "\(path) has no \(end) after \(start)")
    return Array(lines[(first + 1)..<last])
  }
}
