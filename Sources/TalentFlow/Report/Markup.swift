/// Escaping and number formatting shared by every chart, so that each SVG is well-formed XML.
enum Markup {
  /// Text or an attribute value with `& < > " '` escaped and characters XML 1.0 forbids replaced.
  ///
  /// Scenario names and descriptions come from user files; a control character in one must not
  /// make the report unreadable.
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
      default:
        let v = scalar.value
        let allowed = v >= 0x20 && v != 0xFFFE && v != 0xFFFF && !(0x7F...0x9F).contains(v)
        out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
      }
    }
    return out
  }

  /// A coordinate with at most two decimals and no trailing zeros ("12.5", "3", "-0.25").
  ///
  /// `NumberFormat.fixed`, not `number`: SVG numbers take no thousands separators. Callers pass
  /// finite values only; the charts drop missing values before they get here, and the tests
  /// look for "nan" and "inf" in every attribute, so those are written as such rather than as
  /// NumberFormat's "–".
  static func number(_ x: Double) -> String {
    guard x.isFinite else { return "\(x)" }
    var text = NumberFormat.fixed(x, decimals: 2)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text
  }
}
