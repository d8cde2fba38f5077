import Foundation

/// A manifest that cannot be replayed: not JSON, a field missing or wrong, or edited by hand.
public struct ManifestError: TalentFlowError, Sendable, Equatable {
  /// The manifest file.
  public var file: String
  /// The field at fault (a dotted path), empty for the whole file.
  public var field: String
  /// What is wrong.
  public var message: String

  public init(file: String, field: String, message: String) {
    self.file = file
    self.field = field
    self.message = message
  }

  public var description: String { "\(file): \(message)" }

  public var exitCode: ExitCode { .dataError }
}

/// A published run's `manifest.json`, read back to replay it (MODEL 6, "manifest.json").
public struct RunManifest: Sendable {
  /// The manifest file.
  public var url: URL
  /// The folder the manifest is in, where the published files are expected.
  public var folder: URL
  public var toolVersion: String?
  public var modelVersion: String
  /// The configuration rebuilt from the manifest's `configuration`.
  public var config: Configuration
  public var configurationSHA256: String
  /// The files and checksums the manifest lists, in its order.
  public var files: [OutputFile]
  /// Keys this talentflow knows that the manifest's configuration lacks (a manifest of an older
  /// version); they take their defaults.
  public var missingKeys: [String]

  /// Reads `manifest.json`, or the `manifest.json` of a run folder.
  ///
  /// Refuses a file that is not valid JSON, that lacks a field replay needs or has one of the
  /// wrong type, whose `configuration` no longer hashes to `configurationSHA256`, or whose
  /// `seed`, `ticks` or `warmup` disagree with its configuration (both signs of a hand edit).
  /// Each `files` entry must name a file a run writes, at most once, with non-negative integer
  /// `rows` and `bytes` and a 64-hex-digit `sha256`; and, for a manifest of this model version,
  /// the list must be exactly the files its configuration makes a run write.
  public init(path: String) throws(ManifestError) {
    var url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      url = url.appendingPathComponent("manifest.json")
    }
    self.url = url
    folder = url.deletingLastPathComponent()
    let file = url.path
    func fail(_ field: String, _ message: String) -> ManifestError {
      ManifestError(file: file, field: field, message: message)
    }
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw fail("", "cannot read the manifest (\(error.localizedDescription))")
    }
    let json: JSONValue
    do {
      json = try JSONParser.parse(bytes: [UInt8](data))
    } catch {
      throw fail("", "is not valid JSON: \(error)")
    }
    guard json.objectValue != nil else {
      throw fail("", "is not a run manifest: the top level is \(json.typeName), not an object")
    }
    func field(_ name: String, in object: JSONValue, at path: String = "") throws(ManifestError)
      -> JSONValue
    {
      let full = path.isEmpty ? name : "\(path).\(name)"
      guard let value = object[name] else { throw fail(full, "lacks the field \(full)") }
      return value
    }
    func string(_ name: String, in object: JSONValue, at path: String = "")
      throws(ManifestError) -> String
    {
      let value = try field(name, in: object, at: path)
      guard let text = value.stringValue else {
        let full = path.isEmpty ? name : "\(path).\(name)"
        throw fail(full, "\(full) must be a string, got \(value.serialized(pretty: false))")
      }
      return text
    }
    func integer(_ name: String, in object: JSONValue, at path: String = "")
      throws(ManifestError) -> Int
    {
      let value = try field(name, in: object, at: path)
      guard let n = value.intValue, n >= 0 else {
        let full = path.isEmpty ? name : "\(path).\(name)"
        throw fail(
          full, "\(full) must be a non-negative integer, got \(value.serialized(pretty: false))")
      }
      return n
    }
    func checksum(_ name: String, in object: JSONValue, at path: String = "")
      throws(ManifestError) -> String
    {
      let text = try string(name, in: object, at: path)
      let hex = text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
      guard text.utf8.count == 64, hex else {
        let full = path.isEmpty ? name : "\(path).\(name)"
        throw fail(full, "\(full) must be 64 lowercase hex digits, got \"\(text)\"")
      }
      return text
    }

    toolVersion = json["toolVersion"]?.stringValue
    modelVersion = try string("modelVersion", in: json)
    let seed = try integer("seed", in: json)
    let ticks = try integer("ticks", in: json)
    let warmup = try integer("warmup", in: json)
    configurationSHA256 = try checksum("configurationSHA256", in: json)
    let configuration = try field("configuration", in: json)
    guard configuration.objectValue != nil else {
      throw fail(
        "configuration", "configuration must be an object, got \(configuration.typeName)")
    }
    let filesValue = try field("files", in: json)
    guard let items = filesValue.arrayValue else {
      throw fail("files", "files must be a list, got \(filesValue.typeName)")
    }
    var files: [OutputFile] = []
    var listedAt: [String: Int] = [:]
    for (k, item) in items.enumerated() {
      let path = "files[\(k)]"
      guard item.objectValue != nil else {
        throw fail(path, "\(path) must be an object, got \(item.typeName)")
      }
      let name = try string("name", in: item, at: path)
      // Shown as JSON, so that a hostile name cannot put control characters on the terminal.
      let shown = JSONValue.string(name).serialized(pretty: false)
      guard !name.isEmpty, !name.contains("/"), !name.contains("\\"), !name.hasPrefix("."),
        !name.contains("..")
      else {
        throw fail("\(path).name", "\(path).name must be a plain file name, got \(shown)")
      }
      guard RunOutput.all.map(\.name).contains(name) else {
        throw fail(
          "\(path).name",
          "\(path).name is \(shown), which is not a file a run writes (only "
            + "\(RunOutput.all.map(\.name).joined(separator: ", ")))")
      }
      if let first = listedAt[name] {
        throw fail(
          "\(path).name",
          "\(path).name is \(shown), which files[\(first)] lists already: an entry was duplicated")
      }
      listedAt[name] = k
      files.append(
        OutputFile(
          name: name, rows: try integer("rows", in: item, at: path),
          bytes: try integer("bytes", in: item, at: path),
          sha256: try checksum("sha256", in: item, at: path)))
    }
    self.files = files

    // The configuration as written must still hash to the recorded value.
    let written = SHA256.hexDigest(Array(configuration.serialized(pretty: false).utf8))
    guard written == configurationSHA256 else {
      throw fail(
        "configuration",
        "configuration does not match configurationSHA256 (its SHA-256 is \(written), the "
          + "manifest records \(configurationSHA256)): the manifest was edited after the run, "
          + "so it does not describe the published files")
    }
    var config = Configuration()
    do {
      try config.apply(json: configuration, source: file)
      try config.validate(source: file)
    } catch {
      throw fail(
        error.path.isEmpty ? "configuration" : "configuration.\(error.path)",
        "configuration: \(error.message) (was the manifest made by another talentflow version?)")
    }
    for (name, value, recorded) in [
      ("seed", Int(config.seed), seed), ("ticks", config.time.ticks, ticks),
      ("warmup", config.time.warmup, warmup),
    ] where value != recorded {
      throw fail(
        name, "\(name) is \(recorded) but the configuration says \(value): the manifest was edited")
    }
    // Within one model version the configuration decides which files a run writes, so a list
    // that says otherwise was edited. A manifest of another version may list other files; the
    // replay reports those as differences instead.
    if modelVersion == TalentFlowVersion.model {
      let written = RunOutput.names(for: config)
      for (k, file) in files.enumerated() where !written.contains(file.name) {
        throw fail(
          "files[\(k)].name",
          "files[\(k)].name is \"\(file.name)\", but a run of this configuration does not write "
            + "it (it writes \(written.joined(separator: ", "))): the manifest was edited")
      }
      if let absent = written.first(where: { name in !files.contains { $0.name == name } }) {
        throw fail(
          "files",
          "files does not list \(absent), which a run of this configuration writes: the "
            + "manifest was edited")
      }
    }
    self.config = config
    var known: [String] = []
    var present: Set<String> = []
    func collect(_ value: JSONValue, _ prefix: String) {
      guard let members = value.objectValue else {
        present.insert(prefix)
        return
      }
      for (key, inner) in members {
        let path = prefix.isEmpty ? key : "\(prefix).\(key)"
        if ConfigurationKeys.key(path) != nil || path == "events" {
          present.insert(path)
        } else {
          collect(inner, path)
        }
      }
    }
    collect(configuration, "")
    for key in ConfigurationKeys.all where !present.contains(key.path) { known.append(key.path) }
    missingKeys = known
  }

  /// Where a replay goes by default: `<run folder>-replay` beside the run folder, or the first
  /// of `-replay-2`, `-replay-3`, … that does not exist yet.
  public var defaultReplayFolder: URL {
    let parent = folder.standardizedFileURL.deletingLastPathComponent()
    let base = folder.standardizedFileURL.lastPathComponent + "-replay"
    var candidate = parent.appendingPathComponent(base, isDirectory: true)
    var k = 2
    while FileManager.default.fileExists(atPath: candidate.path) {
      candidate = parent.appendingPathComponent("\(base)-\(k)", isDirectory: true)
      k += 1
    }
    return candidate
  }
}

/// The first place where two CSV files differ.
public struct CSVDifference: Sendable, Equatable, CustomStringConvertible {
  /// 1 for the first data row, 0 for the header.
  public var row: Int
  /// The row's `tick` field when the file's first column is `tick`.
  public var tick: String?
  /// The column's name from the header, or its 1-based number.
  public var column: String
  /// The published value, nil if the published file has no such row or field.
  public var published: String?
  /// The replayed value, nil if the replayed file has no such row or field.
  public var replayed: String?

  public var description: String {
    let place =
      row == 0 ? "header" : "row \(row)" + (tick.map { " (tick \($0))" } ?? "")
    func shown(_ value: String?, _ what: String) -> String {
      guard let value else { return "\(what) has none" }
      return "\(what) \(value.isEmpty ? "(empty)" : value)"
    }
    if published == nil && replayed != nil && column.isEmpty {
      return "\(place): the published file ends before it, the replayed file goes on"
    }
    if replayed == nil && published != nil && column.isEmpty {
      return "\(place): the replayed file ends before it, the published file goes on"
    }
    return "\(place), column \(column): \(shown(published, "published")), "
      + shown(replayed, "replayed")
  }
}

/// What replay found for one file.
public struct ReplayedFile: Sendable, Equatable {
  /// How a file came out of the replay.
  public enum Verdict: Sendable, Equatable {
    /// The published file, its manifest entry and the replayed file agree: rows, bytes, SHA-256.
    case identical
    /// No published file is beside the manifest (it was published alone), and the replayed
    /// file agrees with the manifest's entry.
    case matchesManifest
    /// The manifest lists the file and other published files are beside it, but this one is not.
    case missing
    /// The published file, the manifest and the replay do not all agree; `detail` says how.
    case differs
  }

  public var name: String
  public var verdict: Verdict
  /// Why it is not identical; nil when identical.
  public var detail: String?
  /// The first differing row and column, when both files could be compared.
  public var difference: CSVDifference?

  public init(
    name: String, verdict: Verdict, detail: String? = nil, difference: CSVDifference? = nil
  ) {
    self.name = name
    self.verdict = verdict
    self.detail = detail
    self.difference = difference
  }

  /// Whether the published bytes, the manifest's entry and the replayed bytes all agree.
  public var identical: Bool { verdict == .identical }
  /// Whether the file reproduces what was published: identical, or, for a manifest published
  /// without its files, matching the manifest.
  public var reproduces: Bool { verdict == .identical || verdict == .matchesManifest }
}

/// Regenerates a published run from its manifest alone and checks every output file against it.
///
/// The manifest's resolved configuration, seed and tick counts rebuild the run; it is run into
/// a fresh folder; each file's rows, bytes and SHA-256 are compared with the manifest's, and when
/// the published files are beside the manifest they are measured and compared too, so that a
/// changed published file is named with its first differing row and column, and a deleted one
/// is reported missing.
public enum Replay {
  /// Replays `manifest` into `destination` on `threads` threads and compares every file.
  public static func run(
    _ manifest: RunManifest, destination: URL, force: Bool = false, threads: Int,
    progress: ((_ tick: Int, _ ticks: Int, _ agentTicks: Int) -> Void)? = nil
  ) throws -> [ReplayedFile] {
    let result = try Runner.run(
      config: manifest.config, destination: destination, force: force, threads: threads,
      progress: progress)
    return compare(manifest, replayedFolder: result.folder, replayed: result.files)
  }

  /// What is beside the manifest under a listed file's name.
  enum Published {
    /// No listed file is beside the manifest: it was published alone.
    case alone
    /// Other listed files are beside the manifest, but not this one.
    case missing
    /// Something is there but cannot be read as a file.
    case unreadable(String)
    /// The file, measured.
    case present(OutputFile)
  }

  /// Compares a manifest's files with the replayed ones (and the published ones, if present).
  ///
  /// Every listed file gets a verdict, then every replayed file the manifest does not list.
  public static func compare(
    _ manifest: RunManifest, replayedFolder: URL, replayed: [OutputFile]
  ) -> [ReplayedFile] {
    let fileManager = FileManager.default
    let alone = !manifest.files.contains {
      fileManager.fileExists(atPath: manifest.folder.appendingPathComponent($0.name).path)
    }
    var report: [ReplayedFile] = []
    for entry in manifest.files {
      let publishedURL = manifest.folder.appendingPathComponent(entry.name)
      let published: Published
      if alone {
        published = .alone
      } else if !fileManager.fileExists(atPath: publishedURL.path) {
        published = .missing
      } else {
        do {
          published = .present(try OutputFile(measuring: publishedURL, name: entry.name))
        } catch {
          published = .unreadable(error.localizedDescription)
        }
      }
      let again = replayed.first { $0.name == entry.name }
      report.append(
        judge(
          entry, published: published, replayed: again,
          firstDifference: {
            try? CSVComparison.firstDifference(
              published: publishedURL,
              replayed: replayedFolder.appendingPathComponent(entry.name))
          }))
    }
    for file in replayed where !manifest.files.contains(where: { $0.name == file.name }) {
      report.append(
        ReplayedFile(
          name: file.name, verdict: .differs,
          detail: "the replay writes this file but the manifest does not list it"))
    }
    return report
  }

  /// The verdict on one listed file, from its manifest entry, what is published under its name
  /// and what the replay wrote (nil if it wrote no such file).
  static func judge(
    _ entry: OutputFile, published: Published, replayed again: OutputFile?,
    firstDifference: () -> CSVDifference?
  ) -> ReplayedFile {
    func differs(_ detail: String, _ difference: CSVDifference? = nil) -> ReplayedFile {
      ReplayedFile(name: entry.name, verdict: .differs, detail: detail, difference: difference)
    }
    guard let again else {
      return differs("this talentflow no longer writes this file for the configuration")
    }
    let replayedOff = disagreement(again, "replayed", entry)
    switch published {
    case .alone:
      guard let replayedOff else {
        return ReplayedFile(name: entry.name, verdict: .matchesManifest)
      }
      return differs(
        "\(replayedOff); the published file is not beside the manifest, so no row can be named")
    case .missing:
      return ReplayedFile(
        name: entry.name, verdict: .missing,
        detail: "the manifest lists it, but the published file is not beside the manifest ("
          + (replayedOff.map { "and \($0)" } ?? "the replay matches the manifest") + ")")
    case .unreadable(let reason):
      return differs(
        "the published file cannot be read (\(reason))" + (replayedOff.map { "; \($0)" } ?? ""))
    case .present(let file):
      let publishedOff = disagreement(file, "published", entry)
      switch (publishedOff, replayedOff) {
      case (nil, nil):
        return ReplayedFile(name: entry.name, verdict: .identical)
      case (let publishedOff?, nil):
        let difference = firstDifference()
        return differs(
          "the replay matches the manifest, but the published file was changed after the run: "
            + (difference.map { "\($0)" } ?? publishedOff), difference)
      case (nil, let replayedOff?):
        let difference = firstDifference()
        return differs(difference.map { "\($0)" } ?? replayedOff, difference)
      case (_, let replayedOff?):
        if file.sha256 == again.sha256 && file.bytes == again.bytes && file.rows == again.rows {
          return differs(
            "the published and replayed files agree with each other but not with the manifest ("
              + (disagreement(file, "published and replayed", entry) ?? replayedOff) + ")")
        }
        let difference = firstDifference()
        return differs(
          (difference.map { "\($0)" } ?? replayedOff)
            + " (the published file does not match the manifest either)", difference)
      }
    }
  }

  /// How `file` disagrees with the manifest's `entry`, such as "replayed rows 25, manifest 26";
  /// nil when its rows, bytes and SHA-256 all agree.
  static func disagreement(_ file: OutputFile, _ label: String, _ entry: OutputFile) -> String? {
    var parts: [String] = []
    if file.rows != entry.rows {
      parts.append("\(label) rows \(file.rows), manifest \(entry.rows)")
    }
    if file.bytes != entry.bytes {
      parts.append("\(label) bytes \(file.bytes), manifest \(entry.bytes)")
    }
    if file.sha256 != entry.sha256 {
      parts.append("\(label) SHA-256 \(file.sha256), manifest \(entry.sha256)")
    }
    return parts.isEmpty ? nil : parts.joined(separator: "; ")
  }
}

/// Finds the first row and column where two CSV files differ, reading them line by line.
public enum CSVComparison {
  /// The first difference, or nil if the files have the same rows and fields.
  public static func firstDifference(published: URL, replayed: URL) throws -> CSVDifference? {
    var a = try LineReader(url: published)
    var b = try LineReader(url: replayed)
    var header: [String] = []
    var row = 0
    while true {
      let lineA = try a.next()
      let lineB = try b.next()
      switch (lineA, lineB) {
      case (nil, nil):
        return nil
      case (nil, .some):
        return CSVDifference(row: row, tick: nil, column: "", published: nil, replayed: "")
      case (.some, nil):
        return CSVDifference(row: row, tick: nil, column: "", published: "", replayed: nil)
      case (.some(let x), .some(let y)):
        let fieldsB = splitCSV(y)
        if row == 0 { header = fieldsB }
        if x != y {
          let fieldsA = splitCSV(x)
          let common = min(fieldsA.count, fieldsB.count)
          let k = (0..<common).first { fieldsA[$0] != fieldsB[$0] } ?? common
          let column = k < header.count ? header[k] : "\(k + 1)"
          let tick = row > 0 && header.first == "tick" ? fieldsB.first : nil
          return CSVDifference(
            row: row, tick: tick, column: column,
            published: k < fieldsA.count ? fieldsA[k] : nil,
            replayed: k < fieldsB.count ? fieldsB[k] : nil)
        }
      }
      row += 1
    }
  }

  /// The fields of one CSV line (RFC 4180 quoting).
  static func splitCSV(_ line: [UInt8]) -> [String] {
    var fields: [String] = []
    var field: [UInt8] = []
    var quoted = false
    var k = 0
    while k < line.count {
      let c = line[k]
      if quoted {
        if c == UInt8(ascii: "\"") {
          if k + 1 < line.count && line[k + 1] == UInt8(ascii: "\"") {
            field.append(c)
            k += 1
          } else {
            quoted = false
          }
        } else {
          field.append(c)
        }
      } else if c == UInt8(ascii: "\"") {
        quoted = true
      } else if c == UInt8(ascii: ",") {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
      } else {
        field.append(c)
      }
      k += 1
    }
    fields.append(String(decoding: field, as: UTF8.self))
    return fields
  }

  /// Reads a file line by line (LF-terminated) in 1 MiB chunks.
  struct LineReader {
    let handle: FileHandle
    var buffer: [UInt8] = []
    var start = 0
    var atEnd = false

    init(url: URL) throws {
      handle = try FileHandle(forReadingFrom: url)
    }

    /// The next line without its LF, or nil at the end of the file.
    mutating func next() throws -> [UInt8]? {
      while true {
        if let lf = buffer[start...].firstIndex(of: 0x0A) {
          defer { start = lf + 1 }
          return Array(buffer[start..<lf])
        }
        if atEnd {
          guard start < buffer.count else { return nil }
          defer { start = buffer.count }
          return Array(buffer[start...])
        }
        buffer.removeFirst(start)
        start = 0
        if let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
          buffer.append(contentsOf: chunk)
        } else {
          atEnd = true
        }
      }
    }
  }
}
