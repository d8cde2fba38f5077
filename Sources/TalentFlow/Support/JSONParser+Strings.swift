/// Strings in the JSON parser: escapes, surrogate pairs and UTF-8 validation.
extension JSONByteParser {
  mutating func parseString() throws(JSONSyntaxError) -> String {
    let open = pos
    pos += 1
    // Fast path: plain ASCII without escapes.
    var end = pos
    while end < bytes.count {
      let b = bytes[end]
      if b == JSONASCII.quote || b == JSONASCII.backslash || b < 0x20 || b >= 0x80 { break }
      end += 1
    }
    if end < bytes.count && bytes[end] == JSONASCII.quote {
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
      case JSONASCII.quote:
        pos += 1
        return String(decoding: buffer, as: UTF8.self)
      case JSONASCII.backslash:
        try parseEscape(into: &buffer, stringStart: open)
      case JSONASCII.lineFeed, JSONASCII.carriageReturn:
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
    case JSONASCII.quote, JSONASCII.backslash, JSONASCII.slash:
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
        guard pos + 1 < bytes.count, bytes[pos] == JSONASCII.backslash,
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
      case JSONASCII.zero...JSONASCII.nine: digit = b - JSONASCII.zero
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
}
