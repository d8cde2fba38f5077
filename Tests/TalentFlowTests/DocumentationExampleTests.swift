import Foundation
import TalentFlow
import Testing

/// The library's documentation (`TalentFlow.docc`) says what the code does: its Swift example
/// compiles against the public API and runs (it is the code between the markers below, line for
/// line), and the model document names the versions the code has.
///
/// This file imports TalentFlow without `@testable`, so the example sees only what a user of
/// the library sees.
@Suite("The library's documentation")
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

  @Test("Model.md names the tool and model versions the code has")
  func modelDocumentNamesTheVersions() throws {
    let url = TalentflowProcess.packageRoot.appendingPathComponent(
      "Sources/TalentFlow/TalentFlow.docc/Model.md")
    let text = try String(contentsOf: url, encoding: .utf8)
    let named = "(tool \(TalentFlowVersion.tool), model version \(TalentFlowVersion.model))"
    let namesThem = text.contains(named)
    #expect(namesThem, "Model.md's overview should say \(named)")
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
