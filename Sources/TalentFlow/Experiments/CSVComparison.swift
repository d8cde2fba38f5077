import Foundation

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
