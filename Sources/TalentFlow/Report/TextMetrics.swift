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

  /// `text` with its middle replaced by an ellipsis so that it fits `width` at `fontSize`.
  ///
  /// For configuration keys, whose start names the section and whose end the quantity
  /// (`founding.opport…BaseRate`): cutting either end alone would leave keys of different
  /// sections, or different keys of one section, looking alike.
  static func truncateMiddle(_ text: String, toWidth width: Double, fontSize: Double) -> String {
    let fits = max(1, Int(width / (fontSize * 0.6)))
    guard text.count > fits else { return text }
    let kept = max(0, fits - 1)
    // The end names the quantity, so it keeps the odd character.
    let tail = (kept + 1) / 2
    return String(text.prefix(kept - tail)) + "…" + String(text.suffix(tail))
  }
}
