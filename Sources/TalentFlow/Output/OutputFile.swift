/// A file a run wrote, as listed in its manifest.
public struct OutputFile: Sendable, Equatable {
  public var name: String
  public var rows: Int
  public var bytes: Int
  public var sha256: String
}

extension OutputFile {
  /// The file's entry in a manifest: name, rows, bytes and SHA-256.
  public var json: JSONValue {
    .object([
      ("name", .string(name)), ("rows", .number(Double(rows))), ("bytes", .number(Double(bytes))),
      ("sha256", .string(sha256)),
    ])
  }
}
