/// A syntax error in a JSON text, located at the offending character.
///
/// `line` and `column` are 1-based; columns count Unicode scalars, so a column matches what an
/// editor shows. Lines end at LF, CR LF or a lone CR. An error at the end of the input points
/// just past the last character.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var message: String

  public init(line: Int, column: Int, message: String) {
    self.line = line
    self.column = column
    self.message = message
  }

  /// "line 3, column 15: expected ',' or '}' after object member".
  public var description: String { "line \(line), column \(column): \(message)" }
}

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

private enum ASCII {
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
private struct JSONByteParser {
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
      case ASCII.openBrace:
        guard stack.count < JSONParser.maximumDepth else {
          throw error("nesting is deeper than \(JSONParser.maximumDepth) levels", at: pos)
        }
        pos += 1
        skipWhitespace()
        if !atEnd && bytes[pos] == ASCII.closeBrace {
          pos += 1
          value = .object([])
        } else {
          var frame = Frame(isObject: true)
          try parseKey(into: &frame, commaOffset: nil)
          stack.append(frame)
          continue
        }
      case ASCII.openBracket:
        guard stack.count < JSONParser.maximumDepth else {
          throw error("nesting is deeper than \(JSONParser.maximumDepth) levels", at: pos)
        }
        pos += 1
        skipWhitespace()
        if !atEnd && bytes[pos] == ASCII.closeBracket {
          pos += 1
          value = .array([])
        } else {
          stack.append(Frame(isObject: false))
          continue
        }
      case ASCII.quote:
        value = .string(try parseString())
      case ASCII.minus, ASCII.zero...ASCII.nine:
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
          if !atEnd && bytes[pos] == ASCII.comma {
            let comma = pos
            pos += 1
            skipWhitespace()
            try parseKey(into: &stack[top], commaOffset: comma)
            break
          }
          if !atEnd && bytes[pos] == ASCII.closeBrace {
            pos += 1
            value = .object(stack.removeLast().members)
            continue
          }
          throw expected("',' or '}' after object member")
        } else {
          stack[top].elements.append(value)
          if !atEnd && bytes[pos] == ASCII.comma {
            let comma = pos
            pos += 1
            skipWhitespace()
            if !atEnd && bytes[pos] == ASCII.closeBracket {
              throw error("trailing comma after the last array element", at: comma)
            }
            break
          }
          if !atEnd && bytes[pos] == ASCII.closeBracket {
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
    guard !atEnd && bytes[pos] == ASCII.quote else {
      if let comma = commaOffset, !atEnd && bytes[pos] == ASCII.closeBrace {
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
    guard !atEnd && bytes[pos] == ASCII.colon else {
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
    if bytes[pos] == ASCII.minus {
      pos += 1
      if !atEnd && bytes[pos] == UInt8(ascii: "I") {
        throw error("Infinity is not valid JSON: numbers must be finite", at: numberStart)
      }
      guard isDigit(pos) else {
        throw error("expected a digit after '-'", at: pos)
      }
    }
    if bytes[pos] == ASCII.zero {
      pos += 1
      if isDigit(pos) {
        throw error("leading zeros are not allowed in numbers", at: numberStart)
      }
    } else {
      while isDigit(pos) { pos += 1 }
    }
    if !atEnd && bytes[pos] == ASCII.dot {
      pos += 1
      guard isDigit(pos) else {
        throw error("expected a digit after the decimal point", at: pos)
      }
      while isDigit(pos) { pos += 1 }
    }
    if !atEnd && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
      pos += 1
      if !atEnd && (bytes[pos] == ASCII.plus || bytes[pos] == ASCII.minus) { pos += 1 }
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

  mutating func parseString() throws(JSONSyntaxError) -> String {
    let open = pos
    pos += 1
    // Fast path: plain ASCII without escapes.
    var end = pos
    while end < bytes.count {
      let b = bytes[end]
      if b == ASCII.quote || b == ASCII.backslash || b < 0x20 || b >= 0x80 { break }
      end += 1
    }
    if end < bytes.count && bytes[end] == ASCII.quote {
      let s = String(decoding: bytes[pos..<end], as: UTF8.self)
      pos = end + 1
      return s
    }
    var buffer = Array(bytes[pos..<end])
    pos = end
    while true {
      guard !atEnd else {
        throw error("unterminated string", at: open)
      }
      let b = bytes[pos]
      switch b {
      case ASCII.quote:
        pos += 1
        return String(decoding: buffer, as: UTF8.self)
      case ASCII.backslash:
        try parseEscape(into: &buffer, stringStart: open)
      case ASCII.lineFeed, ASCII.carriageReturn:
        throw error("line break inside a string (write it as \\n or \\r)", at: pos)
      case 0..<0x20:
        throw error("unescaped control character \(scalarName(UInt32(b))) in string", at: pos)
      case 0x80...:
        try copyUTF8Sequence(into: &buffer)
      default:
        buffer.append(b)
        pos += 1
      }
    }
  }

  /// Decodes the escape at `pos` (a backslash) and appends its UTF-8 bytes.
  mutating func parseEscape(
    into buffer: inout [UInt8], stringStart: Int
  ) throws(JSONSyntaxError) {
    let escapeStart = pos
    guard pos + 1 < bytes.count else {
      throw error("unterminated string", at: stringStart)
    }
    let c = bytes[pos + 1]
    pos += 2
    switch c {
    case ASCII.quote, ASCII.backslash, ASCII.slash:
      buffer.append(c)
    case UInt8(ascii: "b"): buffer.append(0x08)
    case UInt8(ascii: "f"): buffer.append(0x0C)
    case UInt8(ascii: "n"): buffer.append(0x0A)
    case UInt8(ascii: "r"): buffer.append(0x0D)
    case UInt8(ascii: "t"): buffer.append(0x09)
    case UInt8(ascii: "u"):
      let unit = try hex4(at: pos, escapeStart: escapeStart)
      pos += 4
      var scalar = unit
      if (0xD800..<0xDC00).contains(unit) {
        guard pos + 1 < bytes.count, bytes[pos] == ASCII.backslash,
          bytes[pos + 1] == UInt8(ascii: "u")
        else {
          throw error(unpairedSurrogate(unit, high: true), at: escapeStart)
        }
        let low = try hex4(at: pos + 2, escapeStart: pos)
        guard (0xDC00..<0xE000).contains(low) else {
          throw error(unpairedSurrogate(unit, high: true), at: escapeStart)
        }
        pos += 6
        scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00..<0xE000).contains(unit) {
        throw error(unpairedSurrogate(unit, high: false), at: escapeStart)
      }
      appendUTF8(scalar, to: &buffer)
    default:
      let shown = c >= 0x21 && c < 0x7F ? "'\\\(Character(Unicode.Scalar(c)))'" : "'\\'"
      throw error("invalid escape sequence \(shown)", at: escapeStart)
    }
  }

  func unpairedSurrogate(_ unit: UInt32, high: Bool) -> String {
    let hex = String(unit, radix: 16, uppercase: true)
    return high
      ? "unpaired surrogate \\u\(hex): a high surrogate must be followed by a low one"
      : "unpaired surrogate \\u\(hex): a low surrogate must follow a high one"
  }

  func hex4(at offset: Int, escapeStart: Int) throws(JSONSyntaxError) -> UInt32 {
    guard offset + 4 <= bytes.count else {
      throw error("expected four hex digits after \\u", at: escapeStart)
    }
    var value: UInt32 = 0
    for i in offset..<offset + 4 {
      let b = bytes[i]
      let digit: UInt8
      switch b {
      case ASCII.zero...ASCII.nine: digit = b - ASCII.zero
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
      default:
        throw error("expected four hex digits after \\u", at: escapeStart)
      }
      value = value << 4 | UInt32(digit)
    }
    return value
  }

  func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
      buffer.append(UInt8(scalar))
    case 0x80..<0x800:
      buffer.append(UInt8(0xC0 | scalar >> 6))
      buffer.append(UInt8(0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
      buffer.append(UInt8(0xE0 | scalar >> 12))
      buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
      buffer.append(UInt8(0x80 | scalar & 0x3F))
    default:
      buffer.append(UInt8(0xF0 | scalar >> 18))
      buffer.append(UInt8(0x80 | scalar >> 12 & 0x3F))
      buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
      buffer.append(UInt8(0x80 | scalar & 0x3F))
    }
  }

  /// Validates the multi-byte UTF-8 sequence at `pos` (RFC 3629) and copies it.
  mutating func copyUTF8Sequence(into buffer: inout [UInt8]) throws(JSONSyntaxError) {
    let lead = bytes[pos]
    var continuationCount = 0
    var secondRange: ClosedRange<UInt8> = 0x80...0xBF
    switch lead {
    case 0xC2...0xDF: continuationCount = 1
    case 0xE0: continuationCount = 2; secondRange = 0xA0...0xBF
    case 0xE1...0xEC, 0xEE...0xEF: continuationCount = 2
    case 0xED: continuationCount = 2; secondRange = 0x80...0x9F
    case 0xF0: continuationCount = 3; secondRange = 0x90...0xBF
    case 0xF1...0xF3: continuationCount = 3
    case 0xF4: continuationCount = 3; secondRange = 0x80...0x8F
    default:
      throw error("invalid UTF-8 in string", at: pos)
    }
    guard pos + continuationCount < bytes.count,
      secondRange.contains(bytes[pos + 1])
    else {
      throw error("invalid UTF-8 in string", at: pos)
    }
    for i in stride(from: 2, through: continuationCount, by: 1) {
      guard (0x80...0xBF).contains(bytes[pos + i]) else {
        throw error("invalid UTF-8 in string", at: pos)
      }
    }
    buffer.append(contentsOf: bytes[pos...(pos + continuationCount)])
    pos += continuationCount + 1
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
    offset < bytes.count && bytes[offset] >= ASCII.zero && bytes[offset] <= ASCII.nine
  }

  func isCommentStart(_ offset: Int) -> Bool {
    offset + 1 < bytes.count && bytes[offset] == ASCII.slash
      && (bytes[offset + 1] == ASCII.slash || bytes[offset + 1] == UInt8(ascii: "*"))
  }

  func hasPrefix(_ literal: String, at offset: Int) -> Bool {
    let utf8 = Array(literal.utf8)
    return bytes.count - offset >= utf8.count
      && bytes[offset..<offset + utf8.count].elementsEqual(utf8)
  }

  /// The error for a character that cannot start a value.
  func invalidValueStart() -> JSONSyntaxError {
    let b = bytes[pos]
    if isCommentStart(pos) {
      return error("comments are not allowed in JSON", at: pos)
    }
    if hasPrefix("NaN", at: pos) || hasPrefix("Infinity", at: pos) {
      return error("NaN and Infinity are not valid JSON: numbers must be finite", at: pos)
    }
    switch b {
    case UInt8(ascii: "'"):
      return error("strings must be enclosed in double quotes", at: pos)
    case ASCII.plus:
      return error("numbers must not start with '+'", at: pos)
    case ASCII.dot:
      return error("numbers must start with a digit", at: pos)
    default:
      return error("expected a value, found \(describe(pos))", at: pos)
    }
  }

  /// The error for a missing piece of syntax at `pos`.
  func expected(_ what: String) -> JSONSyntaxError {
    if atEnd {
      return error("unexpected end of input: expected \(what)", at: pos)
    }
    if isCommentStart(pos) {
      return error("comments are not allowed in JSON", at: pos)
    }
    return error("expected \(what)", at: pos)
  }

  func scalarName(_ value: UInt32) -> String {
    let hex = String(value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
  }

  /// A short description of the character at `offset` for messages.
  func describe(_ offset: Int) -> String {
    guard offset < bytes.count else { return "end of input" }
    let b = bytes[offset]
    if b >= 0x21 && b < 0x7F {
      return "'\(Character(Unicode.Scalar(b)))'"
    }
    if b < 0x80 {
      return "character \(scalarName(UInt32(b)))"
    }
    var iterator = bytes[offset...].makeIterator()
    var decoder = UTF8()
    if case .scalarValue(let scalar) = decoder.decode(&iterator) {
      return "character '\(Character(scalar))' (\(scalarName(scalar.value)))"
    }
    return "invalid UTF-8 byte 0x\(String(b, radix: 16, uppercase: true))"
  }

  /// An error at `offset`, with its line and column worked out from the input.
  func error(_ message: String, at offset: Int) -> JSONSyntaxError {
    let end = min(offset, bytes.count)
    var line = 1
    var lineStart = start
    var i = start
    while i < end {
      let b = bytes[i]
      if b == ASCII.lineFeed {
        line += 1
        lineStart = i + 1
      } else if b == ASCII.carriageReturn {
        if i + 1 >= bytes.count || bytes[i + 1] != ASCII.lineFeed {
          line += 1
          lineStart = i + 1
        }
      }
      i += 1
    }
    var column = 1
    for j in lineStart..<max(lineStart, end) where bytes[j] & 0xC0 != 0x80 {
      column += 1
    }
    return JSONSyntaxError(line: line, column: column, message: message)
  }
}
