/// The position of one output file at a checkpoint: its length, rows and the SHA-256 of those
/// bytes.
public struct OutputFilePosition: Sendable, Equatable {
  public var name: String
  public var bytes: Int
  public var rows: Int
  /// SHA-256 of the file's first `bytes` bytes.
  public var sha256: [UInt8]

  public init(name: String, bytes: Int, rows: Int, sha256: [UInt8]) {
    self.name = name
    self.bytes = bytes
    self.rows = rows
    self.sha256 = sha256
  }
}
