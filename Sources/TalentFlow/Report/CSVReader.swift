import Foundation

/// A CSV file read for a report: its header, then its rows one at a time.
///
/// Reads what `CSVBuffer` writes (and RFC 4180 quoting), and turns every problem into a
/// `ReportError` naming the file, the line and the column.
struct CSVReader {
  /// The path shown in messages.
  let path: String
  let header: [String]
  private let text: String

  init(url: URL) throws(ReportError) {
    path = url.path
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw ReportError(
        file: url.path, message: "cannot read the file (\(error.localizedDescription))")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ReportError(file: url.path, message: "is not UTF-8 text")
    }
    self.text = text
    guard
      let first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        .first, !first.isEmpty
    else {
      throw ReportError(file: url.path, message: "is empty (no header row)")
    }
    header = try CSVReader.fields(first, line: 1, path: url.path).map(String.init)
  }

  /// The index of a named column, or an error listing what the header has.
  func column(_ name: String) throws(ReportError) -> Int {
    guard let k = header.firstIndex(of: name) else {
      throw ReportError(
        file: path, message: "has no column \(name) (header: \(header.joined(separator: ",")))")
    }
    return k
  }

  /// Calls `body` with the 1-based line number and the fields of every data row.
  func forEachRow(_ body: (Int, [Substring]) throws(ReportError) -> Void) throws(ReportError) {
    var line = 0
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      line += 1
      if line == 1 { continue }
      let row = raw.hasSuffix("\r") ? raw.dropLast() : raw
      if row.isEmpty { continue }
      let fields = try CSVReader.fields(row, line: line, path: path)
      guard fields.count == header.count else {
        throw ReportError(
          file: path,
          message: "line \(line) has \(fields.count) fields, the header has \(header.count)")
      }
      try body(line, fields)
    }
  }

  /// A field as a number; empty (how `CSVBuffer` writes a non-finite value) is NaN.
  func number(_ field: Substring, line: Int, column: Int) throws(ReportError) -> Double {
    if field.isEmpty { return .nan }
    guard let x = Double(field) else {
      throw ReportError(
        file: path,
        message: "line \(line), column \(header[column]): expected a number, got \"\(field)\"")
    }
    return x
  }

  /// Splits one line into fields, honouring double quotes.
  private static func fields(_ line: Substring, line number: Int, path: String)
    throws(ReportError) -> [Substring]
  {
    let line = line.hasSuffix("\r") ? line.dropLast() : line
    guard line.contains("\"") else {
      return line.split(separator: ",", omittingEmptySubsequences: false)
    }
    var fields: [Substring] = []
    var current = ""
    var quoted = false
    var index = line.startIndex
    while index < line.endIndex {
      let c = line[index]
      index = line.index(after: index)
      if quoted {
        if c == "\"" {
          if index < line.endIndex && line[index] == "\"" {
            current.append("\"")
            index = line.index(after: index)
          } else {
            quoted = false
          }
        } else {
          current.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        fields.append(Substring(current))
        current = ""
      } else {
        current.append(c)
      }
    }
    if quoted {
      throw ReportError(file: path, message: "line \(number): a quoted field is not closed")
    }
    fields.append(Substring(current))
    return fields
  }
}
