import Foundation

extension OutputFile {
  /// Reads a CSV file on disk and records it as a manifest entry would: its data rows, bytes and
  /// SHA-256.
  ///
  /// Rows are counted as `CSVBuffer` counts them: every line ended by an LF outside quotes, less
  /// the header; an unterminated last line counts too, so a truncated file is not taken for a
  /// complete one.
  public init(measuring url: URL, name: String) throws {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    var hasher = SHA256()
    var bytes = 0
    var lines = 0
    var quoted = false
    var lastByte: UInt8 = 0x0A
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      chunk.withUnsafeBytes { buffer in
        hasher.update(buffer)
        for byte in buffer {
          if byte == UInt8(ascii: "\"") {
            quoted.toggle()
          } else if byte == 0x0A && !quoted {
            lines += 1
          }
        }
      }
      bytes += chunk.count
      lastByte = chunk[chunk.index(before: chunk.endIndex)]
    }
    if lastByte != 0x0A { lines += 1 }
    self.init(
      name: name, rows: max(0, lines - 1), bytes: bytes, sha256: hasher.finalize().lowercaseHex)
  }
}
