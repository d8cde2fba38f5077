import Foundation

/// Number formatting for reports, tables and messages: fixed decimals, "," thousands, no locale.
public enum NumberFormat {
  /// A checksum as a facts table shows it: its first 16 hex digits and "…" if it is longer.
  public static func abbreviatedHash(_ hash: String) -> String {
    hash.count > 16 ? String(hash.prefix(16)) + "…" : hash
  }

  /// `x` with `decimals` decimals and thousands separators ("12,345.6"); "–" if not finite.
  public static func number(_ x: Double, decimals: Int = 0) -> String {
    guard x.isFinite else { return "–" }
    let text = String(format: "%.\(max(0, min(decimals, 10)))f", abs(x))
    let parts = text.split(separator: ".", maxSplits: 1)
    let integer = Array(parts.first.map(String.init) ?? "0")
    var grouped = ""
    for (k, c) in integer.enumerated() {
      if k > 0 && (integer.count - k) % 3 == 0 { grouped.append(",") }
      grouped.append(c)
    }
    if parts.count > 1 { grouped += "." + parts[1] }
    let isZero = !text.contains(where: { $0 != "0" && $0 != "." })
    return (x < 0 && !isZero ? "-" : "") + grouped
  }

  /// `x` with `decimals` decimals and no grouping, for terminal tables and CSV ("1234.50",
  /// "+0.12" with `sign`); never "-0.00"; "–" if not finite.
  public static func fixed(_ x: Double, decimals: Int, sign: Bool = false) -> String {
    guard x.isFinite else { return "–" }
    let format = "%.\(max(0, min(decimals, 10)))f"
    var text = String(format: format, x)
    if Double(text) == 0 { text = String(format: format, 0.0) }
    if sign && !text.hasPrefix("-") { return "+" + text }
    return text
  }

  /// `x` with about four significant digits and no trailing zeros, for tooltips and tables
  /// ("0.03713", "7.8", "1,234.5").
  public static func value(_ x: Double) -> String {
    guard x.isFinite else { return "–" }
    let magnitude = abs(x)
    if magnitude == 0 || magnitude == magnitude.rounded() && magnitude < 1e15 {
      return number(x, decimals: 0)
    }
    let digits = magnitude >= 1000 ? 1 : max(0, 3 - Int(log10(magnitude).rounded(.down)))
    var text = number(x, decimals: min(digits, 8))
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text
  }
}
