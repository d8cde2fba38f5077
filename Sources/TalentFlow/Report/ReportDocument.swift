import Foundation

/// A report before it becomes HTML.
///
/// A header of facts and links, then sections of charts, tables and notes. Every folder kind
/// (run, comparison, sweep, sensitivity, calibration) builds one of these.
public struct ReportDocument: Sendable {
  /// A labelled fact in the header ("Seed", "1").
  public struct Fact: Sendable, Equatable {
    public var label: String
    public var value: String
    public init(_ label: String, _ value: String) {
      self.label = label
      self.value = value
    }
  }

  /// A link from the header to a file (the manifest, a data file).
  public struct Link: Sendable, Equatable {
    public var label: String
    /// The file linked to; the page links to it by a path relative to where the page is written.
    public var target: URL
    public init(_ label: String, _ target: URL) {
      self.label = label
      self.target = target
    }
  }

  /// A table of text cells.
  public struct Table: Sendable {
    public var caption: String
    public var columns: [String]
    public var rows: [[String]]
    /// Which columns hold numbers (right-aligned).
    public var numeric: [Bool]
    /// Hover text per cell, parallel to `rows` (empty: none).
    public var cellTitles: [[String]]
    public init(
      caption: String, columns: [String], rows: [[String]], numeric: [Bool],
      cellTitles: [[String]] = []
    ) {
      self.caption = caption
      self.columns = columns
      self.rows = rows
      self.numeric = numeric
      self.cellTitles = cellTitles
    }
  }

  /// One block of a section.
  public enum Item: Sendable {
    case chart(RenderedChart, caption: String)
    /// Small charts sharing their axes, one per case (such as a design point), in a grid.
    case multiples(title: String, charts: [RenderedChart], caption: String)
    case table(Table)
    case note(String)
  }

  /// A titled group of items.
  public struct Section: Sendable {
    public var heading: String
    public var items: [Item]
    public init(heading: String, items: [Item]) {
      self.heading = heading
      self.items = items
    }
  }

  /// What kind of folder the report is of ("Run", "Comparison", "Sweep", "Sensitivity",
  /// "Calibration").
  public var kind: String
  public var title: String
  public var description: String
  public var facts: [Fact]
  public var links: [Link]
  public var sections: [Section]
  /// Small print at the bottom of the page.
  public var footer: String

  public init(
    kind: String, title: String, description: String, facts: [Fact], links: [Link],
    sections: [Section], footer: String
  ) {
    self.kind = kind
    self.title = title
    self.description = description
    self.facts = facts
    self.links = links
    self.sections = sections
    self.footer = footer
  }

  /// Every chart, in page order.
  public var charts: [RenderedChart] {
    sections.flatMap { section in
      section.items.flatMap { item -> [RenderedChart] in
        switch item {
        case .chart(let chart, _): return [chart]
        case .multiples(_, let charts, _): return charts
        case .table, .note: return []
        }
      }
    }
  }
}
