import Foundation

/// A folder's `manifest.json` as the reports read it: the run, comparison and sweep pages each
/// take their facts from it, with errors that name the file.
struct ManifestReader {
  let url: URL
  let json: JSONValue

  /// Reads and parses the manifest at `url`.
  init(_ url: URL) throws(ReportError) {
    self.url = url
    do {
      json = try Configuration.readJSON(file: url.path)
    } catch {
      throw ReportError(file: url.path, message: error.message)
    }
  }

  /// A value as a page shows it: a string as it is, any other JSON value serialized; nil if
  /// it is missing or null.
  static func text(_ value: JSONValue?) -> String? {
    guard let value else { return nil }
    return value.stringValue ?? (value.isNull ? nil : value.serialized(pretty: false))
  }

  /// `value` as a positive integer; otherwise an error naming `path` and what it holds.
  func positiveInteger(_ value: JSONValue?, _ path: String) throws(ReportError) -> Int {
    guard let n = value?.intValue, n > 0 else {
      let shown = value.map { ", got \($0.serialized(pretty: false))" } ?? " (missing)"
      throw ReportError(file: url.path, message: "\(path) must be a positive integer\(shown)")
    }
    return n
  }

  /// The data files the manifest lists, with their row counts and checksums where it gives
  /// them (entries without a name are skipped).
  var files: [RunData.ManifestFile] {
    (json["files"]?.arrayValue ?? []).compactMap { file in
      guard let name = file["name"]?.stringValue else { return nil }
      return RunData.ManifestFile(
        name: name, rows: file["rows"]?.intValue, sha256: file["sha256"]?.stringValue)
    }
  }
}
