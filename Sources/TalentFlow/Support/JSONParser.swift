/// A strict RFC 8259 JSON parser that keeps object key order and tells Booleans from numbers.
///
/// Rejected, each with its own message: trailing commas, comments, `NaN`/`Infinity`, single
/// quotes, leading zeros, numbers too large to be finite, duplicate keys within one object,
/// unescaped control characters and invalid UTF-8 in strings, unpaired surrogate escapes,
/// anything after the value, empty input, and nesting deeper than `maximumDepth`. A leading
/// UTF-8 byte order mark is skipped. The parser is iterative, so hostile input cannot overflow
/// the stack.
public enum JSONParser {
  /// The deepest nesting of arrays and objects accepted.
  public static let maximumDepth = 512

  /// Parses a complete JSON text.
  public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
    try parse(bytes: Array(text.utf8))
  }

  /// Parses a complete JSON text given as UTF-8 bytes.
  public static func parse(bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
    var parser = JSONByteParser(bytes: bytes)
    return try parser.parseDocument()
  }
}

// MARK: - Implementation

enum JSONASCII {
  static let quote = UInt8(ascii: "\"")
  static let backslash = UInt8(ascii: "\\")
  static let slash = UInt8(ascii: "/")
  static let comma = UInt8(ascii: ",")
  static let colon = UInt8(ascii: ":")
  static let openBracket = UInt8(ascii: "[")
  static let closeBracket = UInt8(ascii: "]")
  static let openBrace = UInt8(ascii: "{")
  static let closeBrace = UInt8(ascii: "}")
  static let minus = UInt8(ascii: "-")
  static let plus = UInt8(ascii: "+")
  static let dot = UInt8(ascii: ".")
  static let zero = UInt8(ascii: "0")
  static let nine = UInt8(ascii: "9")
  static let lineFeed: UInt8 = 0x0A
  static let carriageReturn: UInt8 = 0x0D
}

/// The parser state: the input, the read position and the containers being built.
struct JSONByteParser {
  /// An array or object under construction.
  struct Frame {
    var isObject: Bool
    var elements: [JSONValue] = []
    var members: [(key: String, value: JSONValue)] = []
    var keys: Set<String> = []
    var pendingKey = ""
  }

  let bytes: [UInt8]
  /// The offset of the first character after an optional byte order mark.
  let start: Int
  var pos: Int

  init(bytes: [UInt8]) {
    self.bytes = bytes
    let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    start = hasBOM ? 3 : 0
    pos = start
  }

  var atEnd: Bool { pos >= bytes.count }

  mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
    skipWhitespace()
    if atEnd {
      throw error("empty input: expected a JSON value", at: pos)
    }
    let value = try parseValue()
    skipWhitespace()
    if !atEnd {
      if isCommentStart(pos) {
        throw error("comments are not allowed in JSON", at: pos)
      }
      throw error("unexpected \(describe(pos)) after the JSON value", at: pos)
    }
    return value
  }

  /// Parses one value, nested containers included, starting at a non-whitespace position.
  mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
    var stack: [Frame] = []
    while true {
      var value: JSONValue
      guard !atEnd else {
        throw error("unexpected end of input: expected a value", at: pos)
      }
      switch bytes[pos] {
      case JSONASCII.openBrace:
        guard stack.count < JSONParser.maximumDepth else {
          throw error("nesting is deeper than \(JSONParser.maximumDepth) levels", at: pos)
        }
        pos += 1
        skipWhitespace()
        if !atEnd && bytes[pos] == JSONASCII.closeBrace {
          pos += 1
          value = .object([])
        } else {
          var frame = Frame(isObject: true)
          try parseKey(into: &frame, commaOffset: nil)
          stack.append(frame)
          continue
        }
      case JSONASCII.openBracket:
        guard stack.count < JSONParser.maximumDepth else {
          throw error("nesting is deeper than \(JSONParser.maximumDepth) levels", at: pos)
        }
        pos += 1
        skipWhitespace()
        if !atEnd && bytes[pos] == JSONASCII.closeBracket {
          pos += 1
          value = .array([])
        } else {
          stack.append(Frame(isObject: false))
          continue
        }
      case JSONASCII.quote:
        value = .string(try parseString())
      case JSONASCII.minus, JSONASCII.zero...JSONASCII.nine:
        value = .number(try parseNumber())
      case UInt8(ascii: "t"):
        try parseLiteral("true")
        value = .bool(true)
      case UInt8(ascii: "f"):
        try parseLiteral("false")
        value = .bool(false)
      case UInt8(ascii: "n"):
        try parseLiteral("null")
        value = .null
      default:
        throw invalidValueStart()
      }

      // Attach the finished value to the enclosing containers, closing those that end here.
      while true {
        guard !stack.isEmpty else { return value }
        let top = stack.count - 1
        skipWhitespace()
        if stack[top].isObject {
          stack[top].members.append((key: stack[top].pendingKey, value: value))
          if !atEnd && bytes[pos] == JSONASCII.comma {
            let comma = pos
            pos += 1
            skipWhitespace()
            try parseKey(into: &stack[top], commaOffset: comma)
            break
          }
          if !atEnd && bytes[pos] == JSONASCII.closeBrace {
            pos += 1
            value = .object(stack.removeLast().members)
            continue
          }
          throw expected("',' or '}' after object member")
        } else {
          stack[top].elements.append(value)
          if !atEnd && bytes[pos] == JSONASCII.comma {
            let comma = pos
            pos += 1
            skipWhitespace()
            if !atEnd && bytes[pos] == JSONASCII.closeBracket {
              throw error("trailing comma after the last array element", at: comma)
            }
            break
          }
          if !atEnd && bytes[pos] == JSONASCII.closeBracket {
            pos += 1
            value = .array(stack.removeLast().elements)
            continue
          }
          throw expected("',' or ']' after array element")
        }
      }
    }
  }

  /// Parses `"key"` and the colon after it, leaving the position at the member's value.
  mutating func parseKey(into frame: inout Frame, commaOffset: Int?) throws(JSONSyntaxError) {
    guard !atEnd && bytes[pos] == JSONASCII.quote else {
      if let comma = commaOffset, !atEnd && bytes[pos] == JSONASCII.closeBrace {
        throw error("trailing comma after the last object member", at: comma)
      }
      if !atEnd && bytes[pos] == UInt8(ascii: "'") {
        throw error("strings must be enclosed in double quotes", at: pos)
      }
      throw expected(commaOffset == nil ? "a string key or '}'" : "a string key after ','")
    }
    let keyOffset = pos
    let key = try parseString()
    guard frame.keys.insert(key).inserted else {
      var quoted: [UInt8] = []
      JSONTextWriter.writeString(key, into: &quoted)
      throw error("duplicate key \(String(decoding: quoted, as: UTF8.self))", at: keyOffset)
    }
    skipWhitespace()
    guard !atEnd && bytes[pos] == JSONASCII.colon else {
      throw expected("':' after object key")
    }
    pos += 1
    skipWhitespace()
    frame.pendingKey = key
  }

  // MARK: Scalars

  mutating func parseLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
    let literalStart = pos
    let count = literal.utf8CodeUnitCount
    let matches = literal.withUTF8Buffer { expected -> Bool in
      guard bytes.count - pos >= count else { return false }
      for i in 0..<count where bytes[pos + i] != expected[i] {
        return false
      }
      return true
    }
    guard matches else {
      throw error("invalid literal: expected '\(literal)'", at: literalStart)
    }
    pos += count
  }

  mutating func parseNumber() throws(JSONSyntaxError) -> Double {
    let numberStart = pos
    if bytes[pos] == JSONASCII.minus {
      pos += 1
      if !atEnd && bytes[pos] == UInt8(ascii: "I") {
        throw error("Infinity is not valid JSON: numbers must be finite", at: numberStart)
      }
      guard isDigit(pos) else {
        throw error("expected a digit after '-'", at: pos)
      }
    }
    if bytes[pos] == JSONASCII.zero {
      pos += 1
      if isDigit(pos) {
        throw error("leading zeros are not allowed in numbers", at: numberStart)
      }
    } else {
      while isDigit(pos) { pos += 1 }
    }
    if !atEnd && bytes[pos] == JSONASCII.dot {
      pos += 1
      guard isDigit(pos) else {
        throw error("expected a digit after the decimal point", at: pos)
      }
      while isDigit(pos) { pos += 1 }
    }
    if !atEnd && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
      pos += 1
      if !atEnd && (bytes[pos] == JSONASCII.plus || bytes[pos] == JSONASCII.minus) { pos += 1 }
      guard isDigit(pos) else {
        throw error("expected a digit in the exponent", at: pos)
      }
      while isDigit(pos) { pos += 1 }
    }
    let text = String(decoding: bytes[numberStart..<pos], as: UTF8.self)
    guard let number = Double(text) else {
      throw error("invalid number \(text)", at: numberStart)
    }
    guard number.isFinite else {
      throw error("number \(text) is too large to be represented", at: numberStart)
    }
    return number
  }

  // MARK: Helpers

  mutating func skipWhitespace() {
    while pos < bytes.count {
      switch bytes[pos] {
      case 0x20, 0x09, 0x0A, 0x0D: pos += 1
      default: return
      }
    }
  }

  func isDigit(_ offset: Int) -> Bool {
    offset < bytes.count && bytes[offset] >= JSONASCII.zero && bytes[offset] <= JSONASCII.nine
  }

  func isCommentStart(_ offset: Int) -> Bool {
    offset + 1 < bytes.count && bytes[offset] == JSONASCII.slash
      && (bytes[offset + 1] == JSONASCII.slash || bytes[offset + 1] == UInt8(ascii: "*"))
  }

  func hasPrefix(_ literal: String, at offset: Int) -> Bool {
    let utf8 = Array(literal.utf8)
    return bytes.count - offset >= utf8.count
      && bytes[offset..<offset + utf8.count].elementsEqual(utf8)
  }
}
