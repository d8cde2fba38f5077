import Foundation

/// A CSV file a run wrote, read whole for measuring: its header and its data lines.
///
/// Reads what `CSVBuffer` writes (no quoting: run files hold numbers, names and booleans only),
/// and turns every problem into a `MeasureError` naming the file and the line.
public struct MeasureTable: Sendable {
  /// The path shown in messages.
  public let path: String
  public let header: [String]
  /// The data lines, each with as many fields as the header; split per column when asked, so
  /// a large agents.csv or moves.csv is held once, as its text.
  let lines: [Substring]
  /// The columns of a table captured in memory (`init(path:columns:)`); empty for a file.
  let memory: [String: Column]

  /// A column of a table held in memory, typed as the run wrote it.
  enum Column: Sendable {
    case integers([Int])
    case texts([Substring])
  }

  /// A table held in memory, as a run's file would hold these columns (`path` names it in
  /// messages). Every column has the same length.
  init(path: String, columns: [(name: String, column: Column)]) {
    self.path = path
    header = columns.map(\.name)
    lines = []
    memory = Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.column) })
  }

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
    lines.removeFirst()
    for (k, line) in lines.enumerated() {
      let fields = line.utf8.reduce(1) { $1 == UInt8(ascii: ",") ? $0 + 1 : $0 }
      guard fields == header.count else {
        throw MeasureError(
          file: url.path,
          message: "line \(k + 2) has \(fields) fields, the header has \(header.count)")
      }
    }
    self.lines = lines
    memory = [:]
  }

  /// The `k`-th comma-separated field of a line.
  private static func field(_ k: Int, of line: Substring) -> Substring {
    let comma = UInt8(ascii: ",")
    var start = line.startIndex
    var index = 0
    while index < k, let found = line.utf8[start...].firstIndex(of: comma) {
      start = line.utf8.index(after: found)
      index += 1
    }
    let end = line.utf8[start...].firstIndex(of: comma) ?? line.endIndex
    return line[start..<end]
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
    switch memory[name] {
    case .texts(let texts): return texts
    case .integers(let values): return values.map { Substring(String($0)) }
    case nil: break
    }
    return lines.map { MeasureTable.field(k, of: $0) }
  }

  /// A column as numbers; an empty field (how `CSVBuffer` writes a non-finite value) is NaN.
  func numbers(_ name: String) throws(MeasureError) -> [Double] {
    let k = try column(name)
    switch memory[name] {
    case .integers(let values): return values.map(Double.init)
    case .texts:
      throw MeasureError(file: path, message: "column \(name): expected numbers, got text")
    case nil: break
    }
    var out: [Double] = []
    out.reserveCapacity(lines.count)
    for (line, text) in lines.enumerated() {
      let field = MeasureTable.field(k, of: text)
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
    switch memory[name] {
    case .integers(let values): return values
    case .texts:
      throw MeasureError(file: path, message: "column \(name): expected whole numbers, got text")
    case nil: break
    }
    var out: [Int] = []
    out.reserveCapacity(lines.count)
    for (line, text) in lines.enumerated() {
      let field = MeasureTable.field(k, of: text)
      guard let x = Int(field) else {
        throw MeasureError(
          file: path,
          message: "line \(line + 2), column \(name): expected a whole number, got \"\(field)\"")
      }
      out.append(x)
    }
    return out
  }
}
