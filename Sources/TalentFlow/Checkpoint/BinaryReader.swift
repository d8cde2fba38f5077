/// Reads the fields a `BinaryWriter` wrote, refusing anything short or out of place.
struct BinaryReader {
  /// The file, for error messages.
  let source: String
  private let bytes: [UInt8]
  private(set) var offset: Int

  init(_ bytes: [UInt8], source: String, offset: Int = 0) {
    self.bytes = bytes
    self.source = source
    self.offset = offset
  }

  var remaining: Int { bytes.count - offset }

  func failure(_ message: String) -> CheckpointError {
    CheckpointError(file: source, message: message)
  }

  private mutating func take(_ count: Int, _ field: String) throws(CheckpointError)
    -> ArraySlice<UInt8>
  {
    guard count >= 0, count <= remaining else {
      throw failure("is truncated: it ends inside \(field)")
    }
    defer { offset += count }
    return bytes[offset..<(offset + count)]
  }

  mutating func integer<T: FixedWidthInteger>(_ type: T.Type, _ field: String)
    throws(CheckpointError) -> T
  {
    let slice = try take(MemoryLayout<T>.size, field)
    var value = T.zero
    for (k, byte) in slice.enumerated() { value |= T(truncatingIfNeeded: byte) << (8 * k) }
    return value
  }

  mutating func int(_ field: String) throws(CheckpointError) -> Int {
    Int(try integer(Int64.self, field))
  }

  /// A count or size: non-negative and no larger than what is left to read times `perByte`.
  mutating func count(_ field: String, bytesEach: Int) throws(CheckpointError) -> Int {
    let n = try integer(UInt64.self, field)
    guard n <= UInt64(remaining / max(1, bytesEach)) else {
      throw failure("is truncated or corrupted: \(field) says \(n), more than the file holds")
    }
    return Int(n)
  }

  mutating func double(_ field: String) throws(CheckpointError) -> Double {
    Double(bitPattern: try integer(UInt64.self, field))
  }

  mutating func bool(_ field: String) throws(CheckpointError) -> Bool {
    switch try integer(UInt8.self, field) {
    case 0: return false
    case 1: return true
    case let other: throw failure("is corrupted: \(field) is \(other), not a Boolean")
    }
  }

  mutating func raw(_ count: Int, _ field: String) throws(CheckpointError) -> [UInt8] {
    Array(try take(count, field))
  }

  mutating func string(_ field: String) throws(CheckpointError) -> String {
    let n = try count("the length of \(field)", bytesEach: 1)
    let slice = try take(n, field)
    guard let text = String(validating: slice, as: UTF8.self) else {
      throw failure("is corrupted: \(field) is not UTF-8 text")
    }
    return text
  }

  /// Expects a named marker, so that a reader of another layout stops at the first mismatch.
  mutating func expect(_ name: String) throws(CheckpointError) {
    let found = try string("the field name \"\(name)\"")
    guard found == name else {
      throw failure("has an unexpected layout: expected field \"\(name)\", found \"\(found)\"")
    }
  }

  /// A named array written by `BinaryWriter.array`.
  mutating func array<T: CheckpointElement>(_ name: String, of type: T.Type)
    throws(CheckpointError) -> ContiguousArray<T>
  {
    try expect(name)
    let code = try integer(UInt8.self, "the element type of \(name)")
    guard code == T.typeCode else {
      throw failure(
        "has an unexpected layout: \(name) holds elements of type \(code), expected \(T.typeCode)")
    }
    let n = try count("the length of \(name)", bytesEach: T.byteWidth)
    let slice = try take(n * T.byteWidth, name)
    guard let values = slice.withUnsafeBytes({ T.read($0, count: n) }) else {
      throw failure("is corrupted: \(name) holds a value out of range")
    }
    return values
  }
}
