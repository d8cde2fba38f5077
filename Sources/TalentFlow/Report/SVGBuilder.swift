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
