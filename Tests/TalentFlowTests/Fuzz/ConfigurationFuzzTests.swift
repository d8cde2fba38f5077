import Foundation
import Testing

@testable import TalentFlow

/// Which fuzz cases to run, from the environment.
///
/// - `TALENTFLOW_FUZZ_SEED`: the seed (decimal or 0x-hex); default `FuzzSettings.testSeed`.
/// - `TALENTFLOW_FUZZ_CASES`: how many cases, numbered from 0; default 300.
/// - `TALENTFLOW_FUZZ_CASE`: run only this case number (to reproduce a finding).
/// - `TALENTFLOW_FUZZ_FINDINGS`: a folder; each case appends a line to `cases.log` there, and a
///   failing case's inputs, commands and findings go to `seed-S-case-N/` (used by
///   `.ci/fuzz.sh`).
struct FuzzSettings: Sendable {
  /// The seed of the cases `swift test` runs; `.ci/fuzz.sh` uses another.
  static let testSeed: UInt64 = 20_260_417
  static let testCases = 300

  var seed: UInt64
  var numbers: [Int]
  var findings: URL?

  static let current = FuzzSettings(environment: ProcessInfo.processInfo.environment)

  init(environment: [String: String]) {
    func number(_ name: String) -> UInt64? {
      guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty
      else { return nil }
      return text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    }
    seed = number("TALENTFLOW_FUZZ_SEED") ?? FuzzSettings.testSeed
    if let only = number("TALENTFLOW_FUZZ_CASE") {
      numbers = [Int(only)]
    } else {
      numbers = Array(0..<Int(number("TALENTFLOW_FUZZ_CASES") ?? UInt64(FuzzSettings.testCases)))
    }
    findings = environment["TALENTFLOW_FUZZ_FINDINGS"].flatMap {
      $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true)
    }
  }
}

@Suite("Fuzz: hostile configurations and command lines")
struct ConfigurationFuzzTests {
  @Test("the fuzzer reads the allowed range of every key of the key table")
  func everyKeyIsFuzzed() {
    let read = Set(FuzzKey.all.map(\.path))
    let missing = ConfigurationKeys.all.map(\.path).filter { !read.contains($0) }
    #expect(missing.isEmpty, "teach FuzzKey.kind(of:) the `allowed` text of \(missing)")
  }

  @Test("a seed and a case number always give the same input; other seeds give others")
  func casesAreDeterministic() {
    for number in [0, 1, 77] {
      let a = ConfigurationFuzzer.makeCase(seed: 5, number: number)
      let b = ConfigurationFuzzer.makeCase(seed: 5, number: number)
      #expect(a.configurationBytes == b.configurationBytes)
      #expect(
        a.runArguments(out: "o", threads: a.threads) == b.runArguments(out: "o", threads: b.threads)
      )
      #expect(a.mutations == b.mutations)
    }
    let texts = Set(
      (0..<50).map { ConfigurationFuzzer.makeCase(seed: 6, number: $0).configurationBytes })
    #expect(texts.count > 45)
    #expect(
      ConfigurationFuzzer.makeCase(seed: 5, number: 3).configurationBytes
        != ConfigurationFuzzer.makeCase(seed: 6, number: 3).configurationBytes)
  }

  /// One fuzz case through `validate` and `run`.
  ///
  /// `FuzzOracle` says what is checked; a failure names the case and how to reproduce it.
  @Test(
    "validate and run agree and exit 0, 64, 65 or 73: no crash, hang, blank cell or lost file",
    arguments: FuzzSettings.current.numbers)
  func fuzz(_ number: Int) throws {
    let settings = FuzzSettings.current
    let fuzzCase = ConfigurationFuzzer.makeCase(seed: settings.seed, number: number)
    let folder = try TestFolder.make("fuzz-\(number)")
    defer { TestFolder.remove(folder) }
    let started = Date()
    let outcome = try FuzzOracle.check(fuzzCase, in: folder)
    let milliseconds = Int(Date().timeIntervalSince(started) * 1000)
    if let findings = settings.findings {
      // Six space-separated tokens for .ci/fuzz.sh: the number, the wall time, how validate
      // and run ended, the kinds of finding or "ok", and "known" or "-".
      func token(_ text: String) -> String { text.replacingOccurrences(of: " ", with: "-") }
      let kinds = Set(outcome.findings.map { token($0.kind.rawValue) }).sorted()
      let line =
        "\(number) ms=\(milliseconds) validate=\(token(outcome.validateEnding)) "
        + "run=\(token(outcome.runEnding)) \(kinds.isEmpty ? "ok" : kinds.joined(separator: ",")) "
        + (fuzzCase.knownRisks.isEmpty ? "-" : "known") + "\n"
      FuzzReport.append(line, to: findings.appendingPathComponent("cases.log"))
    }
    guard !outcome.findings.isEmpty else { return }
    let report = FuzzReport(fuzzCase: fuzzCase, outcome: outcome)
    if let findings = settings.findings { try report.save(under: findings) }
    Issue.record(Comment(rawValue: report.text))
  }
}
