import Foundation
import Testing

@testable import TalentFlow

/// Writes one CSV file with `body` and returns its text and `close()` summary.
private func writeCSV(
  flushThreshold: Int = CSVBuffer.defaultFlushThreshold,
  _ body: (inout CSVBuffer) -> Void
) throws -> (text: String, rows: Int, sha256: String, bytes: Int) {
  let (folder, url) = try TestFolder.makeFile("out.csv", label: "csvbuffer")
  defer { TestFolder.remove(folder) }
  var csv = try CSVBuffer(url: url, flushThreshold: flushThreshold)
  body(&csv)
  let summary = try csv.close()
  let data = try Data(contentsOf: url)
  return (String(decoding: data, as: UTF8.self), summary.rows, summary.sha256, summary.bytes)
}

@Suite("CSV buffer")
struct CSVBufferTests {
  @Test func integers() throws {
    let result = try writeCSV { csv in
      for value in [0, 7, -7, 10, -10, 1_234_567_890, Int.min, Int.max] { csv.field(value) }
      csv.endRow()
    }
    #expect(
      result.text
        == "0,7,-7,10,-10,1234567890,-9223372036854775808,9223372036854775807\n")
  }

  @Test func doubles() throws {
    let values: [Double] = [
      0.1, 1e-05, 1e20, 123456789.0, -0.0, 0, 12.0, -3.0, .leastNonzeroMagnitude, 2.5, -1.25e-300,
      999_999_999_999_999, 1e15, 1.7976931348623157e308,
      .infinity, -.infinity, .nan,
    ]
    let result = try writeCSV { csv in
      for value in values { csv.field(value) }
      csv.endRow()
    }
    let expected = [
      "0.1", "1e-05", "1e+20", "123456789", "0", "0", "12", "-3", "5e-324", "2.5", "-1.25e-300",
      "999999999999999", "1000000000000000.0", "1.7976931348623157e+308", "", "", "",
    ].joined(separator: ",") + "\n"
    #expect(result.text == expected)
  }

  @Test func doublesMatchDescription() throws {
    var generator = SeededGenerator(seed: 20_261_204)
    var values: [Double] = []
    while values.count < 20_000 {
      let value =
        values.count % 2 == 0
        ? Double(bitPattern: generator.next())
        : Double.random(in: -1e6...1e6, using: &generator)
      if value.isFinite { values.append(value) }
    }
    let result = try writeCSV { csv in
      for value in values {
        csv.field(value)
        csv.endRow()
      }
    }
    let lines = result.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count == values.count)
    for (line, value) in zip(lines, values) {
      let expected =
        value.magnitude < 1e15 && value.rounded(.towardZero) == value
        ? String(Int(value)) : value.description
      if line != expected {
        Issue.record("\(value): wrote \(line), expected \(expected)")
        break
      }
      #expect(Double(String(line)) == value)
    }
  }

  @Test func quoting() throws {
    let result = try writeCSV { csv in
      csv.header(["id", "name, full", "note"])
      csv.field(1)
      csv.field("plain")
      csv.field("say \"hi\"")
      csv.endRow()
      csv.field("line\nbreak")
      csv.field("cr\rhere")
      csv.field("")
      csv.endRow()
      csv.field("é,😀")
      csv.emptyField()
      csv.field(2.5)
      csv.endRow()
    }
    let expected = [
      #"id,"name, full",note"#,
      #"1,plain,"say ""hi""""#,
      "\"line\nbreak\",\"cr\rhere\",",
      #""é,😀",,2.5"#,
    ].joined(separator: "\n") + "\n"
    #expect(result.text == expected)
    #expect(result.rows == 3)
  }

  @Test func rowCountAndSummary() throws {
    let result = try writeCSV { csv in
      csv.header(["a", "b"])
      for i in 0..<1000 {
        csv.field(i)
        csv.field(Double(i) / 8)
        csv.endRow()
      }
      #expect(csv.rowsWritten == 1000)
    }
    #expect(result.rows == 1000)
    #expect(result.bytes == result.text.utf8.count)
    #expect(result.sha256 == SHA256.hexDigest(Array(result.text.utf8)))
  }

  @Test func shaMatchesRehashOfFile() throws {
    let (folder, url) = try TestFolder.makeFile("hash.csv", label: "csvbuffer")
    defer { TestFolder.remove(folder) }
    var csv = try CSVBuffer(url: url, flushThreshold: 4096)
    csv.header(["x", "y", "label"])
    for i in 0..<20_000 {
      csv.field(i)
      csv.field(Double(i) * 0.37)
      csv.field("row \(i)")
      csv.endRow()
    }
    let summary = try csv.close()
    #expect(summary.sha256 == (try SHA256.hexDigest(ofFile: url)))
    let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int
    #expect(summary.bytes == size)
    #expect(summary.rows == 20_000)
    // Closing again returns the same summary.
    let again = try csv.close()
    #expect(again.sha256 == summary.sha256)
  }

  @Test(arguments: [CSVBuffer.defaultFlushThreshold, 1, 100, 65_536])
  func flushBoundaries(threshold: Int) throws {
    // More than 3 MiB, compared with the same text built in memory.
    var reference = "id,value,name\n"
    var generator = SeededGenerator(seed: 20_261_204)
    var rows: [(Int, Double, String)] = []
    var size = 0
    while size < 3 * 1_048_576 + 1000 {
      let row = (
        Int.random(in: -1_000_000_000...1_000_000_000, using: &generator),
        Double.random(in: -1000...1000, using: &generator),
        rows.count % 7 == 0 ? "needs, quotes" : "n\(rows.count)"
      )
      rows.append(row)
      let value = row.1.rounded(.towardZero) == row.1 ? String(Int(row.1)) : row.1.description
      let name = row.2.contains(",") ? "\"\(row.2)\"" : row.2
      let line = "\(row.0),\(value),\(name)\n"
      reference += line
      size += line.utf8.count
      if threshold < 1000 && rows.count >= 20_000 { break }  // tiny thresholds are slow
    }
    let result = try writeCSV(flushThreshold: threshold) { csv in
      csv.header(["id", "value", "name"])
      for row in rows {
        csv.field(row.0)
        csv.field(row.1)
        csv.field(row.2)
        csv.endRow()
      }
    }
    #expect(result.rows == rows.count)
    #expect(result.bytes == reference.utf8.count)
    #expect(result.text == reference)
    #expect(result.sha256 == SHA256.hexDigest(Array(reference.utf8)))
  }

  /// Rows formatted in parts (as the snapshots are, a chunk per thread) and appended give the
  /// bytes, row count, checksum and first blank cell of the same rows written field by field.
  @Test(arguments: [CSVBuffer.defaultFlushThreshold, 1, 100])
  func rowsFormattedInPartsAndAppended(threshold: Int) throws {
    func row(_ i: Int, into csv: inout CSVBuffer) {
      csv.field(i)
      csv.field(i == 7 ? Double.nan : Double(i) / 3)
      csv.field(Float(i) * 0.1)
      csv.field(i % 2 == 0 ? "even" : "odd, quoted")
      csv.endRow()
    }
    var firstBlank: [(row: Int, column: Int)] = []
    let direct = try writeCSV(flushThreshold: threshold) { csv in
      csv.field("head")
      csv.endRow()
      for i in 0..<12 { row(i, into: &csv) }
      if let cell = csv.firstNonFinite { firstBlank.append((cell.row, cell.column)) }
    }
    let appended = try writeCSV(flushThreshold: threshold) { csv in
      csv.field("head")
      csv.endRow()
      for part in [0..<5, 5..<5, 5..<12] {
        var rows = CSVBuffer(rowsFor: csv.url)
        for i in part { row(i, into: &rows) }
        csv.append(rows)
      }
      if let cell = csv.firstNonFinite { firstBlank.append((cell.row, cell.column)) }
    }
    #expect(appended.text == direct.text)
    #expect(appended.rows == 13 && direct.rows == 13)
    #expect(appended.sha256 == direct.sha256)
    #expect(appended.bytes == direct.bytes)
    // Row 8 counting the first data row as 0 ("head" is a data row here), column 1.
    #expect(firstBlank.count == 2 && firstBlank.allSatisfy { $0.row == 8 && $0.column == 1 })
  }

  /// A part larger than the buffer's room (flush threshold plus 64 KiB) is appended in pieces
  /// across flushes: the bytes and checksum are those of the rows written field by field.
  @Test(arguments: [100, 70_000])
  func aPartLargerThanTheBufferIsSplitAcrossFlushes(threshold: Int) throws {
    func rows(_ range: Range<Int>, into csv: inout CSVBuffer) {
      for i in range {
        csv.field(i)
        csv.field(Double(i) / 7)
        csv.field("row \(i)")
        csv.endRow()
      }
    }
    let direct = try writeCSV(flushThreshold: threshold) { csv in rows(0..<20_000, into: &csv) }
    let appended = try writeCSV(flushThreshold: threshold) { csv in
      rows(0..<3, into: &csv)
      var part = CSVBuffer(rowsFor: csv.url)
      rows(3..<20_000, into: &part)
      #expect(part.bytesWritten > 3 * (threshold + 65_536), "the part must span several flushes")
      csv.append(part)
    }
    #expect(appended.text == direct.text)
    #expect(appended.sha256 == direct.sha256 && appended.bytes == direct.bytes)
    #expect(appended.rows == 20_000)
  }

  /// Buffers are hashed and written on the file's own queue: a write that fails there (a full
  /// disk, here the device that always is) must still reach `checkpointPosition` and `close()`,
  /// naming the file, however far the writer had gone on.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
  func aFailedWriteIsThrownByCloseNamingTheFile() throws {
    var csv = try CSVBuffer(url: URL(fileURLWithPath: "/dev/full"), flushThreshold: 100)
    for i in 0..<1000 {
      csv.field(i)
      csv.endRow()
    }
    #expect(throws: CSVBufferError.self) { _ = try csv.checkpointPosition(name: "full.csv") }
    for i in 0..<1000 {
      csv.field(i)
      csv.endRow()
    }
    do {
      _ = try csv.close()
      Issue.record("close() must throw the failed write")
    } catch {
      #expect(error.path == "/dev/full")
      #expect(error.description.hasPrefix("cannot write /dev/full: "))
    }
  }

  @Test func closeEndsAnUnfinishedRow() throws {
    let result = try writeCSV { csv in
      csv.field(1)
      csv.endRow()
      csv.field(2)
    }
    #expect(result.text == "1\n2\n")
    #expect(result.rows == 2)
  }

  @Test func emptyFile() throws {
    let result = try writeCSV { _ in }
    #expect(result.text == "")
    #expect(result.rows == 0)
    #expect(result.bytes == 0)
    #expect(result.sha256 == SHA256.hexDigest([]))
  }

  @Test func truncatesAnExistingFile() throws {
    let (folder, url) = try TestFolder.makeFile("old.csv", label: "csvbuffer")
    defer { TestFolder.remove(folder) }
    try Data(repeating: UInt8(ascii: "x"), count: 10_000).write(to: url)
    var csv = try CSVBuffer(url: url)
    csv.field("new")
    csv.endRow()
    try csv.close()
    #expect(try Data(contentsOf: url) == Data("new\n".utf8))
  }

  @Test func unwritableLocationThrows() {
    let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/out.csv")
    #expect(throws: CSVBufferError.self) { _ = try CSVBuffer(url: url) }
    do {
      _ = try CSVBuffer(url: url)
    } catch {
      #expect(error.description.contains(url.path))
    }
  }
}
