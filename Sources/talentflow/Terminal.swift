import Foundation
import TalentFlow

/// The first command-line argument that is not valid UTF-8, described for a usage error.
///
/// `CommandLine.arguments` replaces invalid bytes with U+FFFD, so such a file name would be
/// read or written under another name; the raw bytes of `argv` are checked instead. Paths go
/// through Swift strings everywhere, so they are refused rather than passed on.
func nonUTF8Argument() -> String? {
  let argv = CommandLine.unsafeArgv
  for k in 1..<Int(CommandLine.argc) {
    guard let pointer = argv[k] else { continue }
    if String(validatingCString: pointer) != nil { continue }
    let bytes = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer)))
      .map { UInt8(bitPattern: $0) }
    var previous: String? = nil
    if k > 1, let before = argv[k - 1] { previous = String(cString: before) }
    var value = bytes[...]
    let name: String?
    if bytes.starts(with: Array("--".utf8)), let equals = bytes.firstIndex(of: UInt8(ascii: "=")) {
      name = String(decoding: bytes[..<equals], as: UTF8.self)
      value = bytes[(equals + 1)...]
    } else if let previous, previous.hasPrefix("--"), !previous.contains("=") {
      name = previous
    } else {
      name = nil
    }
    let shown = "\"\(escapingInvalidUTF8(Array(value)))\""
    let what = name.map { "the value of \($0), \(shown)," } ?? "the argument \(shown)"
    return "\(what) is not valid UTF-8; file names and values must be UTF-8 text "
      + "(rename the file, or choose another name)"
  }
  return nil
}

/// Bytes as text, with every byte that is not part of valid UTF-8 shown as `\xHH`.
func escapingInvalidUTF8(_ bytes: [UInt8]) -> String {
  var text = ""
  var k = 0
  while k < bytes.count {
    var decoded = false
    for length in 1...4 where k + length <= bytes.count {
      if let part = String(validating: bytes[k..<(k + length)], as: UTF8.self) {
        text += part
        k += length
        decoded = true
        break
      }
    }
    if !decoded {
      text += "\\x" + String(bytes[k], radix: 16, uppercase: true)
      k += 1
    }
  }
  return text
}

/// Writes to standard error.
func printError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// `x` with a fixed count of decimals (and "+" before a positive value with `sign`), for the
/// tables commands print.
func fixed(_ x: Double, _ decimals: Int, sign: Bool = false) -> String {
  NumberFormat.fixed(x, decimals: decimals, sign: sign)
}
