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

/// Locating and wording syntax errors.
extension JSONByteParser {
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
    case JSONASCII.plus:
      return error("numbers must not start with '+'", at: pos)
    case JSONASCII.dot:
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
      if b == JSONASCII.lineFeed {
        line += 1
        lineStart = i + 1
      } else if b == JSONASCII.carriageReturn {
        if i + 1 >= bytes.count || bytes[i + 1] != JSONASCII.lineFeed {
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
