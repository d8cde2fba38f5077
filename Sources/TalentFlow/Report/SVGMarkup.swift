import Foundation

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
  /// Callers pass finite values only; the charts drop missing values before they get here, and
  /// the tests look for "nan" and "inf" in every attribute.
  static func number(_ x: Double) -> String {
    var text = String(format: "%.2f", x)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text
  }
}

/// Accumulates SVG markup element by element.
struct SVGBuilder {
  private(set) var markup = ""

  /// Attributes in the order given; every value is escaped.
  private static func attributes(_ pairs: [(String, String)]) -> String {
    var out = ""
    for (name, value) in pairs { out += " \(name)=\"\(Markup.escape(value))\"" }
    return out
  }

  /// An opening tag.
  mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
    markup += "<\(name)\(SVGBuilder.attributes(attributes))>"
  }

  /// A closing tag.
  mutating func close(_ name: String) {
    markup += "</\(name)>\n"
  }

  /// An element with escaped text content, or self-closing without content.
  mutating func element(_ name: String, _ attributes: [(String, String)], text: String? = nil) {
    if let text {
      markup += "<\(name)\(SVGBuilder.attributes(attributes))>\(Markup.escape(text))</\(name)>\n"
    } else {
      markup += "<\(name)\(SVGBuilder.attributes(attributes))/>\n"
    }
  }

  /// An element holding a hover tooltip (`<title>`) and nothing else.
  mutating func element(_ name: String, _ attributes: [(String, String)], tooltip: String) {
    markup +=
      "<\(name)\(SVGBuilder.attributes(attributes))><title>\(Markup.escape(tooltip))</title>"
    markup += "</\(name)>\n"
  }

  /// A line break, to keep the markup readable.
  mutating func newline() {
    markup += "\n"
  }

  /// Markup built elsewhere (already escaped).
  mutating func append(_ other: SVGBuilder) {
    markup += other.markup
  }
}

/// Rough text widths for layout (no font metrics are available when writing a file).
///
/// The factor is generous for the system sans-serif fonts, so estimated widths err on the wide
/// side and labels are truncated before they overflow.
enum TextMetrics {
  static func width(_ text: String, fontSize: Double) -> Double {
    Double(text.count) * fontSize * 0.6
  }

  /// `text` cut with an ellipsis so that it fits `width` at `fontSize`.
  static func truncate(_ text: String, toWidth width: Double, fontSize: Double) -> String {
    let fits = max(1, Int(width / (fontSize * 0.6)))
    guard text.count > fits else { return text }
    return String(text.prefix(max(0, fits - 1))) + "…"
  }
}
