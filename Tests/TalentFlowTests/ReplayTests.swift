import Foundation
import Testing

@testable import TalentFlow

/// A small run with every output file.
private func smallConfig(seed: UInt64 = 7) throws -> Configuration {
  try Configuration.load(
    file: nil,
    overrides: [
      "population.size=1500", "firms.startups=60", "time.ticks=24", "time.warmup=12",
      "output.agents=final", "output.moves=true", "output.firmsEvery=12", "seed=\(seed)",
    ])
}

/// Runs `config` into `<folder>/run` and returns the run folder.
private func publish(_ config: Configuration, in folder: URL, threads: Int = 1) throws -> URL {
  let run = folder.appendingPathComponent("run", isDirectory: true)
  _ = try Runner.run(config: config, destination: run, force: false, threads: threads)
  return run
}

/// The manifest of a run folder as a JSON value.
private func manifestJSON(_ run: URL) throws -> JSONValue {
  try JSONParser.parse(
    bytes: [UInt8](Data(contentsOf: run.appendingPathComponent("manifest.json"))))
}

/// `value` with the member at `path` replaced (or removed when `newValue` is nil); an integer in
/// the path indexes an array.
private func edit(_ value: JSONValue, _ path: [String], _ newValue: JSONValue?) -> JSONValue {
  guard let head = path.first else { return newValue ?? .null }
  let rest = Array(path.dropFirst())
  switch value {
  case .object(var members):
    if let k = members.firstIndex(where: { $0.key == head }) {
      if rest.isEmpty && newValue == nil {
        members.remove(at: k)
      } else {
        members[k].value = edit(members[k].value, rest, newValue)
      }
    }
    return .object(members)
  case .array(var items):
    if let k = Int(head), k < items.count { items[k] = edit(items[k], rest, newValue) }
    return .array(items)
  default:
    return value
  }
}

private func write(_ json: JSONValue, to url: URL) throws {
  try Data((json.serialized(pretty: true) + "\n").utf8).write(to: url)
}

/// `json` with its `files` list changed by `change`.
private func editFiles(_ json: JSONValue, _ change: (inout [JSONValue]) -> Void) -> JSONValue {
  var items = json["files"]?.arrayValue ?? []
  change(&items)
  return edit(json, ["files"], .array(items))
}

/// The index of the manifest's `files` entry for `name`.
private func fileIndex(_ json: JSONValue, _ name: String) throws -> Int {
  let names = try #require(json["files"]?.arrayValue).map { $0["name"]?.stringValue }
  return try #require(names.firstIndex(of: name))
}

/// Replaces data row `row` (1-based), column `column` of a CSV file with `value`.
private func change(_ url: URL, row: Int, column: String, to value: String) throws -> String {
  var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
  let header = lines[0].components(separatedBy: ",")
  let k = try #require(header.firstIndex(of: column))
  var fields = lines[row].components(separatedBy: ",")
  let old = fields[k]
  fields[k] = value
  lines[row] = fields.joined(separator: ",")
  try Data(lines.joined(separator: "\n").utf8).write(to: url)
  return old
}

extension TestFolder {
  /// The CSV files of a run folder, by name, with their bytes.
  static func csvFiles(in folder: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in contents(folder) where name.hasSuffix(".csv") {
      files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
    }
    return files
  }
}

@Suite("Replay")
struct ReplayTests {
  @Test func freshRunReplaysIdentically() throws {
    let folder = try TestFolder.make("replay-fresh")
    defer { TestFolder.remove(folder) }
    let run = try publish(try smallConfig(), in: folder)
    let manifest = try RunManifest(path: run.path)
    #expect(manifest.modelVersion == TalentFlowVersion.model)
    #expect(manifest.missingKeys.isEmpty)
    #expect(manifest.files.map(\.name) == RunOutput.names(for: manifest.config))
    #expect(manifest.defaultReplayFolder.lastPathComponent == "run-replay")

    let report = try Replay.run(
      manifest, destination: folder.appendingPathComponent("again"), threads: 2)
    #expect(report.map(\.name) == manifest.files.map(\.name))
    let allIdentical = report.allSatisfy { $0.identical }
    #expect(allIdentical, "\(report)")
  }

  @Test func replayCommandPrintsOneLinePerFileAndExitsZero() throws {
    let folder = try TestFolder.make("replay-cli")
    defer { TestFolder.remove(folder) }
    let run = try publish(try smallConfig(), in: folder)
    let outcome = try TalentflowProcess.run(["replay", run.path], in: folder)
    #expect(outcome.exited(with: 0), "\(outcome.stderr)")
    let lines = outcome.stdout.split(separator: "\n").map(String.init)
    for name in ["timeseries.csv", "flows.csv", "firms.csv", "agents.csv", "moves.csv"] {
      #expect(lines.contains { $0.hasPrefix(name) && $0.hasSuffix("identical") }, "\(lines)")
    }
    #expect(lines.last == "All 5 files identical: the run reproduces bit for bit.")
    // The default destination is a fresh folder beside the run, with its own manifest.
    let replayed = folder.appendingPathComponent("run-replay")
    #expect(
      FileManager.default.fileExists(atPath: replayed.appendingPathComponent("manifest.json").path))
    #expect(try TestFolder.csvFiles(in: replayed) == (try TestFolder.csvFiles(in: run)))
    // A second replay goes to the next fresh folder rather than over the first.
    let second = try TalentflowProcess.run(
      ["replay", run.appendingPathComponent("manifest.json").path, "--quiet"], in: folder)
    #expect(second.exited(with: 0))
    #expect(
      FileManager.default.fileExists(atPath: folder.appendingPathComponent("run-replay-2").path))
  }

  @Test func changedPublishedFileIsNamedWithItsFirstDifference() throws {
    let folder = try TestFolder.make("replay-changed")
    defer { TestFolder.remove(folder) }
    let run = try publish(try smallConfig(), in: folder)
    let old = try change(
      run.appendingPathComponent("timeseries.csv"), row: 5, column: "unemployed", to: "99999")

    let outcome = try TalentflowProcess.run(["replay", run.path, "--out", "again"], in: folder)
    #expect(outcome.exited(with: 1))
    let line = outcome.stdout.split(separator: "\n").first { $0.hasPrefix("timeseries.csv") }
    #expect(
      line.map(String.init)
        == "timeseries.csv  DIFFERS: the replay matches the manifest, but the published file was "
        + "changed after the run: row 5 (tick 4), column unemployed: published 99999, "
        + "replayed \(old)"
    )
    #expect(outcome.stdout.contains("flows.csv       identical"))
    #expect(outcome.stdout.hasSuffix("1 of 5 files differ.\n"))
  }

  @Test func outputThatNoLongerReproducesIsNamedWithItsFirstDifference() throws {
    // As if the model had changed since publication: the published file and its manifest entry
    // agree with each other, and the replay produces something else.
    let folder = try TestFolder.make("replay-model-change")
    defer { TestFolder.remove(folder) }
    let run = try publish(try smallConfig(), in: folder)
    let firms = run.appendingPathComponent("firms.csv")
    let old = try change(firms, row: 3, column: "cash", to: "123.5")
    var json = try manifestJSON(run)
    let names = try #require(json["files"]?.arrayValue).map { $0["name"]?.stringValue }
    let k = try #require(names.firstIndex(of: "firms.csv"))
    json = edit(json, ["files", "\(k)", "sha256"], .string(try SHA256.hexDigest(ofFile: firms)))
    try write(json, to: run.appendingPathComponent("manifest.json"))

    let manifest = try RunManifest(path: run.path)
    let report = try Replay.run(
      manifest, destination: folder.appendingPathComponent("again"), threads: 1)
    let firmsReport = try #require(report.first { $0.name == "firms.csv" })
    #expect(!firmsReport.identical)
    let difference = try #require(firmsReport.difference)
    #expect(difference.row == 3 && difference.column == "cash")
    #expect(difference.tick == "0")
    #expect(difference.published == "123.5" && difference.replayed == old)
    #expect(report.filter { !$0.identical }.map(\.name) == ["firms.csv"])
  }

  @Test func manifestAloneStillReplaysAndReportsChecksums() throws {
    let folder = try TestFolder.make("replay-alone")
    defer { TestFolder.remove(folder) }
    let run = try publish(try smallConfig(), in: folder)
    let alone = folder.appendingPathComponent("paper", isDirectory: true)
    try FileManager.default.createDirectory(at: alone, withIntermediateDirectories: true)
    var json = try manifestJSON(run)
    try write(json, to: alone.appendingPathComponent("manifest.json"))
    let identical = try TalentflowProcess.run(["replay", "paper", "--quiet"], in: folder)
    #expect(identical.exited(with: 0), "\(identical.stderr)")
    #expect(
      FileManager.default.fileExists(atPath: folder.appendingPathComponent("paper-replay").path))

    json = edit(json, ["files", "1", "sha256"], .string(String(repeating: "0", count: 64)))
    try write(json, to: alone.appendingPathComponent("manifest.json"))
    let differs = try TalentflowProcess.run(
      ["replay", "paper", "--quiet", "--out", "x"], in: folder)
    #expect(differs.exited(with: 1))
    #expect(differs.stdout.contains("flows.csv       DIFFERS: replayed SHA-256 "))
    #expect(differs.stdout.contains("no row can be named"))
    // With no published file to compare, nothing is called identical.
    #expect(!identical.stdout.contains("identical"), "\(identical.stdout)")
    #expect(
      identical.stdoutLines.last
        == "All 5 files match the manifest's rows, bytes and SHA-256; no published file is "
        + "beside it to compare.")
  }

  @Test func deletedPublishedFileIsMissing() throws {
    let folder = try TestFolder.make("replay-deleted")
    defer { TestFolder.remove(folder) }
    let run = try publish(try smallConfig(), in: folder)
    try FileManager.default.removeItem(at: run.appendingPathComponent("flows.csv"))

    let outcome = try TalentflowProcess.run(["replay", run.path, "--quiet"], in: folder)
    #expect(outcome.exited(with: 1), "\(outcome.stdout)\(outcome.stderr)")
    #expect(
      outcome.stdoutLines == [
        "timeseries.csv  identical",
        "flows.csv       MISSING: the manifest lists it, but the published file is not beside "
          + "the manifest (the replay matches the manifest)",
        "firms.csv       identical",
        "agents.csv      identical",
        "moves.csv       identical",
        "1 of 5 files missing.",
      ])
  }

  /// A manifest field edited by hand, and the report line the replay must print for it.
  struct EditedCount: CustomTestStringConvertible, Sendable {
    var field: String
    var file: String
    var testDescription: String { "\(file) \(field)" }
  }

  @Test(arguments: [
    EditedCount(field: "rows", file: "timeseries.csv"),
    EditedCount(field: "bytes", file: "moves.csv"),
  ])
  func editedCountInTheManifestDiffers(_ case: EditedCount) throws {
    let folder = try TestFolder.make("replay-count")
    defer { TestFolder.remove(folder) }
    let run = try publish(try smallConfig(), in: folder)
    var json = try manifestJSON(run)
    let k = try fileIndex(json, `case`.file)
    let recorded = try #require(json["files"]?.arrayValue?[k][`case`.field]?.intValue)
    json = edit(json, ["files", "\(k)", `case`.field], .number(Double(recorded + 1)))
    try write(json, to: run.appendingPathComponent("manifest.json"))

    let outcome = try TalentflowProcess.run(["replay", run.path, "--quiet"], in: folder)
    #expect(outcome.exited(with: 1), "\(outcome.stdout)\(outcome.stderr)")
    let line = outcome.stdoutLines.first { $0.hasPrefix(`case`.file) }
    let padded = `case`.file.padding(toLength: 16, withPad: " ", startingAt: 0)
    #expect(
      line
        == padded + "DIFFERS: the published and replayed files agree with each other but not "
        + "with the manifest (published and replayed \(`case`.field) \(recorded), manifest "
        + "\(recorded + 1))")
    #expect(outcome.stdoutLines.filter { $0.hasSuffix("  identical") }.count == 4)
    #expect(outcome.stdoutLines.last == "1 of 5 files differ.")
  }

  @Test func listedFileTheConfigurationDoesNotWriteIsRefused() throws {
    let folder = try TestFolder.make("replay-extra-listed")
    defer { TestFolder.remove(folder) }
    let run = folder.appendingPathComponent("run", isDirectory: true)
    try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
    var config = try smallConfig()
    config.output.agents = .none
    let names = RunOutput.names(for: config)
    #expect(!names.contains("agents.csv"))
    let files = (names + ["agents.csv"]).map {
      OutputFile(name: $0, rows: 1, bytes: 10, sha256: SHA256.hexDigest(Array($0.utf8)))
    }
    let manifest = Manifest(
      config: config, files: files, wallSeconds: 1, threads: 1, startedAt: Date())
    let url = run.appendingPathComponent("manifest.json")
    try write(manifest.json, to: url)

    let words =
      "files[4].name is \"agents.csv\", but a run of this configuration does not write it (it "
      + "writes timeseries.csv, flows.csv, firms.csv, moves.csv): the manifest was edited"
    #expect {
      try RunManifest(path: run.path)
    } throws: { error in
      guard let error = error as? ManifestError else { return false }
      return error.file == url.path && error.field == "files[4].name" && error.message == words
    }
    let outcome = try TalentflowProcess.run(["replay", "run"], in: folder)
    #expect(outcome.exited(with: 65))
    #expect(outcome.stderr == "talentflow replay: \(url.path): \(words)\n")
  }

  @Test func identicalOnOneTwoAndFourThreads() throws {
    // Three chunks of professionals (Parallel.chunkSize is 8192), so threads really split work.
    let folder = try TestFolder.make("replay-threads")
    defer { TestFolder.remove(folder) }
    let options = [
      "--set", "population.size=17000", "--set", "firms.startups=300", "--ticks", "6",
      "--set", "time.warmup=2", "--set", "output.agents=final", "--set", "output.moves=true",
      "--set", "output.firmsEvery=3", "--quiet",
    ]
    var checksums: [[String]] = []
    for threads in [1, 2, 4] {
      let outcome = try TalentflowProcess.run(
        ["run"] + options + ["--threads", "\(threads)", "--out", "t\(threads)"], in: folder)
      #expect(outcome.exited(with: 0), "\(outcome.stderr)")
      let manifest = try RunManifest(path: folder.appendingPathComponent("t\(threads)").path)
      checksums.append(manifest.files.map { "\($0.name) \($0.sha256)" })
    }
    #expect(checksums[0].count == 5)
    #expect(checksums[1] == checksums[0])
    #expect(checksums[2] == checksums[0])
    #expect(
      try TestFolder.csvFiles(in: folder.appendingPathComponent("t4"))
        == (try TestFolder.csvFiles(in: folder.appendingPathComponent("t1"))))
    // A run made on one thread replays identically on three.
    let replay = try TalentflowProcess.run(
      ["replay", "t1", "--threads", "3", "--quiet"], in: folder)
    #expect(replay.exited(with: 0), "\(replay.stdout)\(replay.stderr)")
  }

  @Test func otherModelVersionIsNotedBeforeReplaying() throws {
    let folder = try TestFolder.make("replay-version")
    defer { TestFolder.remove(folder) }
    let run = try publish(try smallConfig(), in: folder)
    let json = edit(try manifestJSON(run), ["modelVersion"], .string("0.9.0"))
    try write(json, to: run.appendingPathComponent("manifest.json"))
    let outcome = try TalentflowProcess.run(["replay", "run"], in: folder)
    #expect(outcome.exited(with: 0), "\(outcome.stderr)")
    let first = outcome.stdout.split(separator: "\n").first.map(String.init)
    #expect(
      first
        == "Note: the manifest was made with model version 0.9.0; this talentflow implements "
        + "model version \(TalentFlowVersion.model), so files may differ.")
  }

  /// A way to spoil a manifest, the field the refusal must name, and words the message must have.
  struct Spoiled: CustomTestStringConvertible, Sendable {
    var label: String
    var field: String
    var words: String
    var spoil: @Sendable (JSONValue) -> String
    var testDescription: String { label }
  }

  static let spoiled: [Spoiled] = [
    Spoiled(label: "not JSON", field: "", words: "is not valid JSON") { json in
      String(json.serialized(pretty: true).dropLast(3))
    },
    Spoiled(label: "no seed", field: "seed", words: "lacks the field seed") { json in
      edit(json, ["seed"], nil).serialized()
    },
    Spoiled(label: "no files", field: "files", words: "lacks the field files") { json in
      edit(json, ["files"], nil).serialized()
    },
    Spoiled(
      label: "no checksum", field: "files[2].sha256", words: "lacks the field files[2].sha256"
    ) {
      json in edit(json, ["files", "2", "sha256"], nil).serialized()
    },
    Spoiled(
      label: "no configuration", field: "configuration", words: "lacks the field configuration"
    ) {
      json in edit(json, ["configuration"], nil).serialized()
    },
    Spoiled(
      label: "configuration edited", field: "configuration",
      words: "configuration does not match configurationSHA256"
    ) { json in
      edit(json, ["configuration", "population", "size"], .number(1600)).serialized()
    },
    Spoiled(label: "seed edited", field: "seed", words: "seed is 8 but the configuration says 7") {
      json in edit(json, ["seed"], .number(8)).serialized()
    },
    Spoiled(
      label: "ticks not a number", field: "ticks", words: "ticks must be a non-negative integer"
    ) {
      json in edit(json, ["ticks"], .string("24")).serialized()
    },
    Spoiled(
      label: "rows negative", field: "files[2].rows",
      words: "files[2].rows must be a non-negative integer, got -3"
    ) { json in
      edit(json, ["files", "2", "rows"], .number(-3)).serialized()
    },
    Spoiled(
      label: "rows not an integer", field: "files[0].rows",
      words: "files[0].rows must be a non-negative integer, got 2.5"
    ) { json in
      edit(json, ["files", "0", "rows"], .number(2.5)).serialized()
    },
    Spoiled(
      label: "bytes a string", field: "files[1].bytes",
      words: "files[1].bytes must be a non-negative integer, got \"10\""
    ) { json in
      edit(json, ["files", "1", "bytes"], .string("10")).serialized()
    },
    Spoiled(
      label: "checksum malformed", field: "files[4].sha256",
      words: "files[4].sha256 must be 64 lowercase hex digits, got \"ABC123\""
    ) { json in
      edit(json, ["files", "4", "sha256"], .string("ABC123")).serialized()
    },
    Spoiled(
      label: "entry duplicated", field: "files[5].name",
      words: "files[5].name is \"flows.csv\", which files[1] lists already"
    ) { json in
      editFiles(json) { $0.append($0[1]) }.serialized()
    },
    Spoiled(
      label: "unlisted extra entry", field: "files[5].name",
      words: "files[5].name is \"extra.csv\", which is not a file a run writes"
    ) { json in
      editFiles(json) { $0.append(edit($0[1], ["name"], .string("extra.csv"))) }.serialized()
    },
    Spoiled(
      label: "name climbs out", field: "files[0].name",
      words: "files[0].name must be a plain file name, got \"x/../timeseries.csv\""
    ) { json in
      edit(json, ["files", "0", "name"], .string("x/../timeseries.csv")).serialized()
    },
    Spoiled(
      label: "agents.csv dropped", field: "files",
      words: "files does not list agents.csv, which a run of this configuration writes"
    ) { json in
      editFiles(json) { $0.remove(at: 3) }.serialized()
    },
  ]

  @Test(arguments: spoiled)
  func spoiledManifestIsRefused(_ case: Spoiled) throws {
    // Refusals come before anything runs, so a manifest with made-up files is enough.
    let folder = try TestFolder.make("replay-spoiled")
    defer { TestFolder.remove(folder) }
    let run = folder.appendingPathComponent("run", isDirectory: true)
    try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
    let config = try smallConfig()
    let files = RunOutput.names(for: config).map {
      OutputFile(name: $0, rows: 1, bytes: 10, sha256: SHA256.hexDigest(Array($0.utf8)))
    }
    let manifest = Manifest(
      config: config, files: files, wallSeconds: 1, threads: 1, startedAt: Date())
    let url = run.appendingPathComponent("manifest.json")
    try Data(`case`.spoil(manifest.json).utf8).write(to: url)

    #expect {
      try RunManifest(path: run.path)
    } throws: { error in
      guard let error = error as? ManifestError else { return false }
      return error.file == url.path && error.field == `case`.field
        && error.message.contains(`case`.words)
    }
    let outcome = try TalentflowProcess.run(["replay", "run"], in: folder)
    #expect(outcome.exited(with: 65))
    #expect(outcome.stderr.hasPrefix("talentflow replay: \(url.path): "), "\(outcome.stderr)")
    #expect(outcome.stderr.contains(`case`.words))
    #expect(
      !FileManager.default.fileExists(atPath: folder.appendingPathComponent("run-replay").path))
  }

  /// Published and replayed files against one manifest entry, and the verdict they must get.
  struct Judged: CustomTestStringConvertible, Sendable {
    var label: String
    var published: OutputFile?
    var alone = false
    var replayed: OutputFile?
    var verdict: ReplayedFile.Verdict
    var testDescription: String { label }
  }

  static let entry = OutputFile(
    name: "flows.csv", rows: 25, bytes: 900, sha256: String(repeating: "a", count: 64))
  static func with(rows: Int? = nil, bytes: Int? = nil, sha: Character? = nil) -> OutputFile {
    var file = entry
    if let rows { file.rows = rows }
    if let bytes { file.bytes = bytes }
    if let sha { file.sha256 = String(repeating: sha, count: 64) }
    return file
  }

  static let judged: [Judged] = [
    Judged(label: "all agree", published: entry, replayed: entry, verdict: .identical),
    Judged(
      label: "published alone", published: nil, alone: true, replayed: entry,
      verdict: .matchesManifest),
    Judged(
      label: "alone, replay off", published: nil, alone: true, replayed: with(sha: "b"),
      verdict: .differs),
    Judged(label: "deleted", published: nil, replayed: entry, verdict: .missing),
    Judged(label: "not replayed", published: entry, replayed: nil, verdict: .differs),
    Judged(
      label: "manifest rows", published: with(rows: 24), replayed: with(rows: 24),
      verdict: .differs),
    Judged(
      label: "manifest bytes", published: with(bytes: 901), replayed: with(bytes: 901),
      verdict: .differs),
    Judged(
      label: "manifest sha", published: with(sha: "c"), replayed: with(sha: "c"),
      verdict: .differs),
    Judged(
      label: "published rows", published: with(rows: 26), replayed: entry,
      verdict: .differs),
    Judged(
      label: "replayed bytes", published: entry, replayed: with(bytes: 1),
      verdict: .differs),
  ]

  @Test(arguments: judged)
  func onlyFullAgreementIsIdentical(_ case: Judged) {
    let published: Replay.Published =
      `case`.alone ? .alone : `case`.published.map { .present($0) } ?? .missing
    let verdict = Replay.judge(
      Self.entry, published: published, replayed: `case`.replayed, firstDifference: { nil })
    #expect(verdict.verdict == `case`.verdict, "\(verdict)")
    #expect(
      (verdict.detail == nil)
        == (`case`.verdict == .identical
          || `case`.verdict == .matchesManifest))
  }

  @Test func measuringAFileCountsRowsAsTheWriterDoes() throws {
    let folder = try TestFolder.make("replay-measure")
    defer { TestFolder.remove(folder) }
    let url = folder.appendingPathComponent("x.csv")
    var buffer = try CSVBuffer(url: url, flushThreshold: 7)
    buffer.header(["tick", "name"])
    for (k, name) in ["a", "b,\"c\"", "line\nbreak", ""].enumerated() {
      buffer.field(k)
      buffer.field(name)
      buffer.endRow()
    }
    let written = try buffer.close()
    let measured = try OutputFile(measuring: url, name: "x.csv")
    #expect(
      measured
        == OutputFile(
          name: "x.csv", rows: written.rows, bytes: written.bytes, sha256: written.sha256))
    #expect(measured.rows == 4)
    // A last row without its LF still counts, so a cut file is not taken for a whole one.
    try Data("tick\n0\n1".utf8).write(to: url)
    #expect(try OutputFile(measuring: url, name: "x.csv").rows == 2)
    try Data().write(to: url)
    #expect(try OutputFile(measuring: url, name: "x.csv").rows == 0)
  }

  @Test func firstDifferenceOfCSVFiles() throws {
    let folder = try TestFolder.make("replay-csv")
    defer { TestFolder.remove(folder) }
    func file(_ name: String, _ text: String) throws -> URL {
      let url = folder.appendingPathComponent(name)
      try Data(text.utf8).write(to: url)
      return url
    }
    let a = try file("a.csv", "tick,name,x\n0,\"a,b\",1\n1,c,2\n")
    let same = try file("same.csv", "tick,name,x\n0,\"a,b\",1\n1,c,2\n")
    let b = try file("b.csv", "tick,name,x\n0,\"a,b\",1\n1,c,3\n")
    let c = try file("c.csv", "tick,name,x\n0,\"a,c\",1\n")
    let d = try file("d.csv", "tick,name,y\n0,\"a,b\",1\n")
    #expect(try CSVComparison.firstDifference(published: a, replayed: same) == nil)
    #expect(
      try CSVComparison.firstDifference(published: a, replayed: b)
        == CSVDifference(row: 2, tick: "1", column: "x", published: "2", replayed: "3"))
    #expect(
      try CSVComparison.firstDifference(published: a, replayed: c)?.description
        == "row 1 (tick 0), column name: published a,b, replayed a,c")
    #expect(
      try CSVComparison.firstDifference(
        published: b,
        replayed: c.deletingLastPathComponent()
          .appendingPathComponent("c.csv"))?.column == "name")
    #expect(
      try CSVComparison.firstDifference(published: a, replayed: d)?.description
        == "header, column y: published x, replayed y")
    let short = try file("short.csv", "tick,name,x\n0,\"a,b\",1\n")
    #expect(
      try CSVComparison.firstDifference(published: short, replayed: a)?.description
        == "row 2: the published file ends before it, the replayed file goes on")
  }
}
