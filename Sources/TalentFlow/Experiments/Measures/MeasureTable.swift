import Foundation

/// A CSV file a run wrote, read whole for measuring: its header and its rows of fields.
///
/// Reads what `CSVBuffer` writes (no quoting: run files hold numbers, names and booleans only),
/// and turns every problem into a `MeasureError` naming the file and the line.
public struct MeasureTable: Sendable {
  /// The path shown in messages.
  public let path: String
  public let header: [String]
  /// The data rows, each with as many fields as the header.
  let rows: [[Substring]]

  /// Reads `url`, or throws naming the file and the problem.
  public init(url: URL) throws(MeasureError) {
    path = url.path
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw MeasureError(file: url.path, message: "cannot be read (\(error.localizedDescription))")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw MeasureError(file: url.path, message: "is not UTF-8 text")
    }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last == "" { lines.removeLast() }
    guard let first = lines.first, !first.isEmpty else {
      throw MeasureError(file: url.path, message: "is empty (no header row)")
    }
    header = first.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    var rows: [[Substring]] = []
    rows.reserveCapacity(lines.count - 1)
    for (k, line) in lines.enumerated().dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      guard fields.count == header.count else {
        throw MeasureError(
          file: url.path,
          message: "line \(k + 1) has \(fields.count) fields, the header has \(header.count)")
      }
      rows.append(fields)
    }
    self.rows = rows
  }

  /// The index of a named column, or an error listing what the header has.
  func column(_ name: String) throws(MeasureError) -> Int {
    guard let k = header.firstIndex(of: name) else {
      throw MeasureError(
        file: path, message: "has no column \(name) (header: \(header.joined(separator: ",")))")
    }
    return k
  }

  /// A column's fields as text.
  func texts(_ name: String) throws(MeasureError) -> [Substring] {
    let k = try column(name)
    return rows.map { $0[k] }
  }

  /// A column as numbers; an empty field (how `CSVBuffer` writes a non-finite value) is NaN.
  func numbers(_ name: String) throws(MeasureError) -> [Double] {
    let k = try column(name)
    var out: [Double] = []
    out.reserveCapacity(rows.count)
    for (line, row) in rows.enumerated() {
      let field = row[k]
      if field.isEmpty {
        out.append(.nan)
        continue
      }
      guard let x = Double(field) else {
        throw MeasureError(
          file: path,
          message: "line \(line + 2), column \(name): expected a number, got \"\(field)\"")
      }
      out.append(x)
    }
    return out
  }

  /// A column as whole numbers (ticks, indices).
  func integers(_ name: String) throws(MeasureError) -> [Int] {
    let k = try column(name)
    var out: [Int] = []
    out.reserveCapacity(rows.count)
    for (line, row) in rows.enumerated() {
      guard let x = Int(row[k]) else {
        throw MeasureError(
          file: path,
          message: "line \(line + 2), column \(name): expected a whole number, got \"\(row[k])\"")
      }
      out.append(x)
    }
    return out
  }
}
