import Foundation

/// Renders a `ReportDocument` as one self-contained HTML page.
///
/// Inline SVG and CSS only: no script, no web font, no network. A Content-Security-Policy forbids
/// loading anything, so the page looks the same offline and cannot phone home. The markup is
/// also well-formed XML, which the tests check with an XML parser.
public enum HTMLPage {
  static let style = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #f6f6f4; color: #1a1a1a; line-height: 1.45;
      font-family: \(systemFontStack); font-size: 15px; }
    header { background: #ffffff; border-bottom: 1px solid #dddddd; padding: 20px 32px 16px; }
    .kind { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: #666666;
      margin: 0; }
    h1 { font-size: 26px; margin: 2px 0 4px; overflow-wrap: anywhere; }
    .description { margin: 0 0 12px; color: #333333; max-width: 100ch; overflow-wrap: anywhere; }
    dl.facts { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 0; }
    dl.facts div { min-width: 0; }
    dl.facts dt { font-size: 12px; color: #666666; }
    dl.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
    .links { margin: 12px 0 0; font-size: 14px; }
    .links a { color: #0062a0; margin-right: 18px; }
    main { padding: 8px 32px 32px; max-width: 1600px; }
    h2 { font-size: 19px; margin: 22px 0 10px; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr));
      gap: 18px; }
    figure { margin: 0; background: #ffffff; border: 1px solid #dedede; border-radius: 6px;
      padding: 8px; min-width: 0; break-inside: avoid; }
    figure.wide { grid-column: 1 / -1; }
    figure.table { overflow-x: auto; }
    figure svg { display: block; width: 100%; height: auto; }
    figure.wide svg { max-width: 1100px; margin: 0 auto; }
    .multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr));
      gap: 8px; }
    .multiples svg { display: block; width: 100%; height: auto; }
    .multiples-title { font-weight: 600; margin: 2px 6px 8px; }
    td[title] { cursor: help; }
    figcaption { font-size: 13px; color: #555555; padding: 4px 6px 2px; }
    g.hover rect:hover { fill-opacity: 0.07; }
    path.link:hover { fill-opacity: 0.85; }
    .note { background: #ffffff; border: 1px solid #dedede; border-radius: 6px; padding: 10px 14px;
      color: #444444; }
    table { border-collapse: collapse; background: #ffffff; border: 1px solid #dedede;
      font-size: 14px; }
    caption { text-align: left; font-weight: 600; padding: 0 0 6px; }
    th, td { padding: 6px 12px; border-bottom: 1px solid #ececec; text-align: left;
      vertical-align: top; }
    th { background: #f0f0ee; font-weight: 600; }
    td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td code { font-size: 13px; }
    footer { padding: 0 32px 32px; color: #666666; font-size: 13px; max-width: 110ch; }
    @media print { body { background: #ffffff; } figure { border: none; } }
    """

  /// The page; links point to their targets relative to `folder`, where the page is written.
  public static func render(_ document: ReportDocument, relativeTo folder: URL) -> String {
    let e = Markup.escape
    var html = head(document) + header(document, relativeTo: folder) + "<main>\n"
    for section in document.sections {
      html += "<section>\n<h2>\(e(section.heading))</h2>\n<div class=\"grid\">\n"
      for item in section.items { html += itemHTML(item) }
      html += "</div>\n</section>\n"
    }
    html += "</main>\n<footer><p>\(e(document.footer))</p></footer>\n</body>\n</html>\n"
    return html
  }

  /// From the doctype to the opening `<body>`: the metadata, the policy and the style.
  static func head(_ document: ReportDocument) -> String {
    let e = Markup.escape
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8"/>
      <meta name="viewport" content="width=device-width, initial-scale=1"/>
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"/>
      <meta name="generator" content="talentflow \(e(TalentFlowVersion.tool))"/>
      <title>\(e(document.kind)) report: \(e(document.title))</title>
      <style>
      \(style)
      </style>
      </head>
      <body>

      """
  }

  /// The `<header>`: kind, title, description, facts and links to the folder's files.
  static func header(_ document: ReportDocument, relativeTo folder: URL) -> String {
    let e = Markup.escape
    var html = """
      <header>
      <p class="kind">TalentFlow · \(e(document.kind.lowercased())) report</p>
      <h1>\(e(document.title))</h1>

      """
    if !document.description.isEmpty {
      html += "<p class=\"description\">\(e(document.description))</p>\n"
    }
    html += "<dl class=\"facts\">\n"
    for fact in document.facts {
      html += "<div><dt>\(e(fact.label))</dt><dd>\(e(fact.value))</dd></div>\n"
    }
    html += "</dl>\n"
    if !document.links.isEmpty {
      html += "<p class=\"links\">"
      for link in document.links {
        let href = relativePath(from: folder, to: link.target)
        html += "<a href=\"\(e(href))\">\(e(link.label))</a>"
      }
      html += "</p>\n"
    }
    return html + "</header>\n"
  }

  /// One item of a section: a figure (a chart, small multiples or a table) or a note.
  static func itemHTML(_ item: ReportDocument.Item) -> String {
    let e = Markup.escape
    switch item {
    case .chart(let chart, let caption):
      var html = "<figure\(chart.wide ? " class=\"wide\"" : "") id=\"\(e(chart.id))\">\n"
      html += chart.svg
      if !caption.isEmpty { html += "<figcaption>\(e(caption))</figcaption>\n" }
      return html + "</figure>\n"
    case .multiples(let title, let charts, let caption):
      var html = "<figure class=\"wide\">\n<p class=\"multiples-title\">\(e(title))</p>\n"
      html += "<div class=\"multiples\">\n"
      for chart in charts {
        html += "<div id=\"\(e(chart.id))\">\n" + chart.svg + "</div>\n"
      }
      html += "</div>\n"
      if !caption.isEmpty { html += "<figcaption>\(e(caption))</figcaption>\n" }
      return html + "</figure>\n"
    case .table(let table):
      return "<figure class=\"wide table\">\n" + tableHTML(table) + "</figure>\n"
    case .note(let text):
      return "<p class=\"note\">\(e(text))</p>\n"
    }
  }

  static func tableHTML(_ table: ReportDocument.Table) -> String {
    let e = Markup.escape
    var html = "<table>\n<caption>\(e(table.caption))</caption>\n<thead><tr>"
    for column in table.columns { html += "<th scope=\"col\">\(e(column))</th>" }
    html += "</tr></thead>\n<tbody>\n"
    for (r, row) in table.rows.enumerated() {
      html += "<tr>"
      for (k, cell) in row.enumerated() {
        let numeric = k < table.numeric.count && table.numeric[k]
        var attributes = numeric ? " class=\"number\"" : ""
        if r < table.cellTitles.count, k < table.cellTitles[r].count,
          !table.cellTitles[r][k].isEmpty
        {
          attributes += " title=\"\(e(table.cellTitles[r][k]))\""
        }
        html += "<td\(attributes)>\(e(cell))</td>"
      }
      html += "</tr>\n"
    }
    return html + "</tbody>\n</table>\n"
  }

  /// A relative URL path from the folder `base` to the file `target` ("manifest.json",
  /// "../runs/a/manifest.json"), each component percent-encoded.
  public static func relativePath(from base: URL, to target: URL) -> String {
    FileSystem.relativeComponents(from: base, to: target).map { component in
      component.addingPercentEncoding(withAllowedCharacters: pathComponentAllowed) ?? component
    }.joined(separator: "/")
  }

  /// Characters left as they are in a path component of a relative URL.
  private static let pathComponentAllowed: CharacterSet = {
    CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
  }()
}
