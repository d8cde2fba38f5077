import Foundation

/// The run's `manifest.json` (MODEL 6): versions, the resolved configuration, the seed, and every
/// output file's row count and SHA-256. Wall time and host go under `run`, which no checksum
/// covers and replay ignores.
public struct Manifest: Sendable {
  public var config: Configuration
  public var files: [OutputFile]
  public var wallSeconds: Double
  public var threads: Int
  public var startedAt: Date

  /// SHA-256 of the compact serialisation of the resolved configuration.
  public static func configurationHash(_ config: Configuration) -> String {
    SHA256.hexDigest(Array(config.resolvedJSON().serialized(pretty: false).utf8))
  }

  public var json: JSONValue {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    let host = ProcessInfo.processInfo.hostName
    return .object([
      ("tool", .string("talentflow")),
      ("toolVersion", .string(TalentFlowVersion.tool)),
      ("modelSpecification", .string("MODEL.md v\(TalentFlowVersion.modelSpecification)")),
      ("modelVersion", .string(TalentFlowVersion.model)),
      ("seed", .number(Double(config.seed))),
      ("ticks", .number(Double(config.time.ticks))),
      ("warmup", .number(Double(config.time.warmup))),
      ("configurationSHA256", .string(Manifest.configurationHash(config))),
      ("configuration", config.resolvedJSON()),
      (
        "files",
        .array(files.map(\.json))
      ),
      (
        "run",
        .object([
          ("startedAt", .string(formatter.string(from: startedAt))),
          ("wallSeconds", .number((wallSeconds * 1000).rounded() / 1000)),
          ("threads", .number(Double(threads))), ("host", .string(host)),
        ])
      ),
    ])
  }
}

// MARK: - Reading

/// A manifest that cannot be replayed: not JSON, a field missing or wrong, or edited by hand.
public struct ManifestError: InputError, Sendable, Equatable {
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

  public init(file: String, keyPath: String, message: String) {
    self.init(file: file, field: keyPath, message: message)
  }

  public var description: String { "\(file): \(message)" }

  public var exitCode: ExitCode { .dataError }
}

/// A folder's `manifest.json` read back as an object whose getters name the manifest file: what
/// replay (`RunManifest`) and the run, comparison and sweep reports read.
public struct ManifestReader<Failure: InputError>: Sendable {
  public let url: URL
  /// The manifest's top-level object.
  public let root: JSONObjectReader<Failure>

  /// The manifest as JSON.
  public var json: JSONValue { root.json }

  /// Reads and parses the manifest at `url`; `notAnObject` words a top level that is not an
  /// object.
  public init(
    _ url: URL,
    notAnObject: (JSONValue) -> String = {
      "is not a manifest: the top level is \($0.typeName), not an object"
    }
  ) throws(Failure) {
    self.url = url
    let file = url.path
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw Failure(
        file: file, keyPath: "", message: "cannot read the manifest (\(error.localizedDescription))")
    }
    let json: JSONValue
    do {
      json = try JSONParser.parse(bytes: [UInt8](data))
    } catch {
      throw Failure(file: file, keyPath: "", message: "is not valid JSON: \(error)")
    }
    root = try JSONObjectReader(json, file: file, notAnObject: notAnObject)
  }

  /// A value as a page shows it: a string as it is, any other JSON value serialized; nil if
  /// it is missing or null.
  public static func text(_ value: JSONValue?) -> String? {
    guard let value else { return nil }
    return value.stringValue ?? (value.isNull ? nil : value.serialized(pretty: false))
  }

  /// `value` as a positive integer; otherwise an error naming `path` and what it holds.
  public func positiveInteger(_ value: JSONValue?, _ path: String) throws(Failure) -> Int {
    guard let n = value?.intValue, n > 0 else {
      let shown = value.map { ", got \($0.serialized(pretty: false))" } ?? " (missing)"
      throw Failure(
        file: url.path, keyPath: path, message: "\(path) must be a positive integer\(shown)")
    }
    return n
  }

  /// The files the manifest lists, with their row counts and checksums where it gives them
  /// (entries without a name are skipped): what a report checks the folder against.
  public var listedFiles: [ManifestListing] {
    (json["files"]?.arrayValue ?? []).compactMap { file in
      guard let name = file["name"]?.stringValue else { return nil }
      return ManifestListing(
        name: name, rows: file["rows"]?.intValue, sha256: file["sha256"]?.stringValue)
    }
  }
}

/// One entry of a manifest's `files`, as a report reads it: nothing but the name is required.
public struct ManifestListing: Sendable, Equatable {
  public var name: String
  public var rows: Int?
  public var sha256: String?
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
    let manifest = try ManifestReader<ManifestError>(url) {
      "is not a run manifest: the top level is \($0.typeName), not an object"
    }.root
    toolVersion = manifest["toolVersion"]?.stringValue
    modelVersion = try RunManifest.string("modelVersion", in: manifest)
    let seed = try RunManifest.count("seed", in: manifest)
    let ticks = try RunManifest.count("ticks", in: manifest)
    let warmup = try RunManifest.count("warmup", in: manifest)
    configurationSHA256 = try RunManifest.checksum("configurationSHA256", in: manifest)
    let configuration = try RunManifest.field("configuration", in: manifest)
    guard configuration.objectValue != nil else {
      throw manifest.error(
        "configuration", "configuration must be an object, got \(configuration.typeName)")
    }
    files = try RunManifest.files(manifest)
    config = try RunManifest.configuration(
      configuration, recorded: configurationSHA256, in: manifest)
    for (name, value, recorded) in [
      ("seed", Int(config.seed), seed), ("ticks", config.time.ticks, ticks),
      ("warmup", config.time.warmup, warmup),
    ] where value != recorded {
      throw manifest.error(
        name, "\(name) is \(recorded) but the configuration says \(value): the manifest was edited")
    }
    if modelVersion == TalentFlowVersion.model {
      try RunManifest.checkListed(files, writtenFor: config, in: manifest)
    }
    missingKeys = RunManifest.missingKeys(in: configuration)
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

/// The checks behind `RunManifest.init(path:)`, one field or rule each.
extension RunManifest {
  typealias Object = JSONObjectReader<ManifestError>

  static func field(_ name: String, in object: Object) throws(ManifestError) -> JSONValue {
    try object.value(name, missing: .message("lacks the field \(object.keyPath(name))"))
  }

  static func string(_ name: String, in object: Object) throws(ManifestError) -> String {
    let value = try field(name, in: object)
    guard let text = value.stringValue else {
      throw object.invalid(name, "must be a string", value)
    }
    return text
  }

  /// A non-negative integer field.
  static func count(_ name: String, in object: Object) throws(ManifestError) -> Int {
    let value = try field(name, in: object)
    guard let n = value.intValue, n >= 0 else {
      throw object.invalid(name, "must be a non-negative integer", value)
    }
    return n
  }

  /// A SHA-256 field: 64 lowercase hex digits.
  static func checksum(_ name: String, in object: Object) throws(ManifestError) -> String {
    let text = try string(name, in: object)
    let hex = text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    guard text.utf8.count == 64, hex else {
      throw object.error(
        name, "\(object.keyPath(name)) must be 64 lowercase hex digits, got \"\(text)\"")
    }
    return text
  }

  /// The `files` list: each entry a file a run writes, listed once, with its measures.
  static func files(_ manifest: Object) throws(ManifestError) -> [OutputFile] {
    let list = try field("files", in: manifest)
    guard let items = list.arrayValue else {
      throw manifest.error("files", "files must be a list, got \(list.typeName)")
    }
    var files: [OutputFile] = []
    var listedAt: [String: Int] = [:]
    for (k, item) in items.enumerated() {
      let entry = try Object(item, file: manifest.file, path: "files[\(k)]") {
        "files[\(k)] must be an object, got \($0.typeName)"
      }
      let name = try string("name", in: entry)
      // Shown as JSON, so that a hostile name cannot put control characters on the terminal.
      let shown = JSONValue.string(name).serialized(pretty: false)
      guard !name.isEmpty, !name.contains("/"), !name.contains("\\"), !name.hasPrefix("."),
        !name.contains("..")
      else {
        throw entry.invalid("name", "must be a plain file name", .string(name))
      }
      guard RunOutput.all.map(\.name).contains(name) else {
        throw entry.error(
          "name",
          "files[\(k)].name is \(shown), which is not a file a run writes (only "
            + "\(RunOutput.all.map(\.name).joined(separator: ", ")))")
      }
      if let first = listedAt[name] {
        throw entry.error(
          "name",
          "files[\(k)].name is \(shown), which files[\(first)] lists already: an entry was "
            + "duplicated")
      }
      listedAt[name] = k
      files.append(
        OutputFile(
          name: name, rows: try count("rows", in: entry), bytes: try count("bytes", in: entry),
          sha256: try checksum("sha256", in: entry)))
    }
    return files
  }

  /// The configuration, which must still hash to the recorded value and load in this version.
  static func configuration(_ json: JSONValue, recorded: String, in manifest: Object)
    throws(ManifestError) -> Configuration
  {
    let written = SHA256.hexDigest(Array(json.serialized(pretty: false).utf8))
    guard written == recorded else {
      throw manifest.error(
        "configuration",
        "configuration does not match configurationSHA256 (its SHA-256 is \(written), the "
          + "manifest records \(recorded)): the manifest was edited after the run, "
          + "so it does not describe the published files")
    }
    var config = Configuration()
    do {
      try config.apply(json: json, source: manifest.file)
      try config.validate(source: manifest.file)
    } catch {
      throw manifest.error(
        error.path.isEmpty ? "configuration" : "configuration.\(error.path)",
        "configuration: \(error.message) (was the manifest made by another talentflow version?)")
    }
    return config
  }

  /// Within one model version the configuration decides which files a run writes, so a list
  /// that says otherwise was edited. (A manifest of another version may list other files; the
  /// replay reports those as differences instead.)
  static func checkListed(_ files: [OutputFile], writtenFor config: Configuration, in manifest: Object)
    throws(ManifestError)
  {
    let written = RunOutput.names(for: config)
    for (k, file) in files.enumerated() where !written.contains(file.name) {
      throw manifest.error(
        "files[\(k)].name",
        "files[\(k)].name is \"\(file.name)\", but a run of this configuration does not write "
          + "it (it writes \(written.joined(separator: ", "))): the manifest was edited")
    }
    if let absent = written.first(where: { name in !files.contains { $0.name == name } }) {
      throw manifest.error(
        "files",
        "files does not list \(absent), which a run of this configuration writes: the "
          + "manifest was edited")
    }
  }

  /// Keys this talentflow knows that `configuration` lacks, in `ConfigurationKeys` order.
  static func missingKeys(in configuration: JSONValue) -> [String] {
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
    return ConfigurationKeys.all.map(\.path).filter { !present.contains($0) }
  }
}
