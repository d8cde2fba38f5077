/// A JSON document: RFC 8259 values with object members kept in their written order.
///
/// Foundation's `JSONSerialization` cannot tell `true` from `1` on Linux and forgets key order,
/// so configurations and manifests go through this type, `JSONParser` and `serialized(pretty:)`.
///
/// Equality is structural and order-sensitive: two objects are equal only if they have the same
/// members in the same order (the order is part of what gets written). Numbers compare as
/// `Double`s, so `1` and `1.0` are the same number.
public enum JSONValue: Equatable, Sendable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  /// An object; members keep the order in which they were parsed or built.
  case object([(key: String, value: JSONValue)])

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null):
      return true
    case (.bool(let a), .bool(let b)):
      return a == b
    case (.number(let a), .number(let b)):
      return a == b
    case (.string(let a), .string(let b)):
      return a == b
    case (.array(let a), .array(let b)):
      return a == b
    case (.object(let a), .object(let b)):
      guard a.count == b.count else { return false }
      for (x, y) in zip(a, b) where x.key != y.key || x.value != y.value {
        return false
      }
      return true
    default:
      return false
    }
  }
}

// MARK: - Accessors

extension JSONValue {
  /// The value of the member `key` of an object (the first one, should there be several);
  /// `nil` if this is not an object or has no such member.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first(where: { $0.key == key })?.value
  }

  /// The JSON name of this value's type, for error messages: "null", "boolean", "number",
  /// "string", "array" or "object".
  public var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "boolean"
    case .number: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }

  /// The number, if this is a number.
  public var doubleValue: Double? {
    guard case .number(let d) = self else { return nil }
    return d
  }

  /// The number as an `Int`, if this is a number that is integral and exactly representable.
  ///
  /// `3` and `3.0` give 3; `3.5`, `1e300` and non-numbers give `nil`.
  public var intValue: Int? {
    // Int.min ... Int.max as Doubles: [-2^63, 2^63). Int(d) truncates, so the round trip
    // through Double tells integral values from others.
    guard case .number(let d) = self, d >= -9_223_372_036_854_775_808.0,
      d < 9_223_372_036_854_775_808.0
    else { return nil }
    let integer = Int(d)
    return Double(integer) == d ? integer : nil
  }

  /// The string, if this is a string.
  public var stringValue: String? {
    guard case .string(let s) = self else { return nil }
    return s
  }

  /// The Boolean, if this is `true` or `false`.
  public var boolValue: Bool? {
    guard case .bool(let b) = self else { return nil }
    return b
  }

  /// The elements, if this is an array.
  public var arrayValue: [JSONValue]? {
    guard case .array(let a) = self else { return nil }
    return a
  }

  /// The members in order, if this is an object.
  public var objectValue: [(key: String, value: JSONValue)]? {
    guard case .object(let o) = self else { return nil }
    return o
  }

  /// Whether this is `null`.
  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }
}

// MARK: - Serialization

extension JSONValue {
  /// The JSON text of this value, identical byte for byte for equal values.
  ///
  /// - Object members are written in their stored order.
  /// - `pretty` (the default) indents by two spaces, writes `"key": value`, writes an array whose
  ///   elements are all numbers on one line (`[1, 2, 3]`) and empty containers as `[]` and `{}`.
  ///   Compact output has no whitespace at all.
  /// - Integral numbers with magnitude below 2^53 are written as integers (`10`, `-3`, and `0`
  ///   for negative zero); other numbers use Swift's shortest round-trip `description`
  ///   (`0.1`, `1e-05`, `2.5e+20`), which is valid JSON.
  /// - Non-finite numbers (NaN, ±infinity) have no JSON form and are written as `null`.
  /// - Strings escape `"`, `\` and control characters (`\n`, `\t`, `\r`, `\b`, `\f`, else
  ///   `\u00XX`); everything else, non-ASCII included, is written as UTF-8.
  /// - No trailing newline is added.
  public func serialized(pretty: Bool = true) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(256)
    JSONTextWriter.write(self, pretty: pretty, indent: 0, into: &out)
    return String(decoding: out, as: UTF8.self)
  }
}

/// The serializer behind `JSONValue.serialized(pretty:)`, writing UTF-8 bytes.
enum JSONTextWriter {
  static func write(_ value: JSONValue, pretty: Bool, indent: Int, into out: inout [UInt8]) {
    switch value {
    case .null:
      out.append(contentsOf: "null".utf8)
    case .bool(let b):
      out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let d):
      writeNumber(d, into: &out)
    case .string(let s):
      writeString(s, into: &out)
    case .array(let elements):
      writeArray(elements, pretty: pretty, indent: indent, into: &out)
    case .object(let members):
      writeObject(members, pretty: pretty, indent: indent, into: &out)
    }
  }

  private static func writeArray(
    _ elements: [JSONValue], pretty: Bool, indent: Int, into out: inout [UInt8]
  ) {
    if elements.isEmpty {
      out.append(contentsOf: "[]".utf8)
      return
    }
    let allNumbers = elements.allSatisfy { if case .number = $0 { true } else { false } }
    out.append(UInt8(ascii: "["))
    if !pretty || allNumbers {
      for (i, element) in elements.enumerated() {
        if i > 0 {
          out.append(UInt8(ascii: ","))
          if pretty { out.append(UInt8(ascii: " ")) }
        }
        write(element, pretty: pretty, indent: indent, into: &out)
      }
      out.append(UInt8(ascii: "]"))
      return
    }
    for (i, element) in elements.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      newline(indent: indent + 1, into: &out)
      write(element, pretty: true, indent: indent + 1, into: &out)
    }
    newline(indent: indent, into: &out)
    out.append(UInt8(ascii: "]"))
  }

  private static func writeObject(
    _ members: [(key: String, value: JSONValue)], pretty: Bool, indent: Int,
    into out: inout [UInt8]
  ) {
    if members.isEmpty {
      out.append(contentsOf: "{}".utf8)
      return
    }
    out.append(UInt8(ascii: "{"))
    for (i, member) in members.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      if pretty { newline(indent: indent + 1, into: &out) }
      writeString(member.key, into: &out)
      out.append(UInt8(ascii: ":"))
      if pretty { out.append(UInt8(ascii: " ")) }
      write(member.value, pretty: pretty, indent: indent + 1, into: &out)
    }
    if pretty { newline(indent: indent, into: &out) }
    out.append(UInt8(ascii: "}"))
  }

  private static func newline(indent: Int, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\n"))
    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
  }

  /// Writes a number: integers below 2^53 without a fraction, other finite values with
  /// `description`, non-finite values as `null`.
  static func writeNumber(_ d: Double, into out: inout [UInt8]) {
    guard d.isFinite else {
      out.append(contentsOf: "null".utf8)
      return
    }
    // Int(d) cannot trap below 2^53; it maps -0.0 to 0, so negative zero prints "0".
    if d.magnitude < 9_007_199_254_740_992, Double(Int(d)) == d {
      out.append(contentsOf: String(Int(d)).utf8)
    } else {
      out.append(contentsOf: d.description.utf8)
    }
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  private static func escape(_ c: UInt8, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\\"))
    out.append(c)
  }

  /// Writes a string literal with the RFC 8259 escapes.
  static func writeString(_ s: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in s.utf8 {
      switch byte {
      case UInt8(ascii: "\""):
        escape(UInt8(ascii: "\""), into: &out)
      case UInt8(ascii: "\\"):
        escape(UInt8(ascii: "\\"), into: &out)
      case 0x0A:
        escape(UInt8(ascii: "n"), into: &out)
      case 0x09:
        escape(UInt8(ascii: "t"), into: &out)
      case 0x0D:
        escape(UInt8(ascii: "r"), into: &out)
      case 0x08:
        escape(UInt8(ascii: "b"), into: &out)
      case 0x0C:
        escape(UInt8(ascii: "f"), into: &out)
      case 0..<0x20:
        out.append(contentsOf: "\\u00".utf8)
        out.append(hexDigits[Int(byte >> 4)])
        out.append(hexDigits[Int(byte & 0x0F)])
      default:
        out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
