import Foundation

/// A two-column flow diagram: nodes on the left ("from") and on the right ("to"), joined by
/// bands whose thickness is proportional to the flow and whose colour is its category.
public struct SankeyChart: Sendable {
  /// A place flows leave (left) and reach (right).
  public struct Node: Sendable {
    public var name: String
    public var color: String
    public init(name: String, color: String) {
      self.name = name
      self.color = color
    }
  }

  /// What colours a band (for flows: the reason).
  public struct Category: Sendable {
    public var name: String
    public var color: String
    public init(name: String, color: String) {
      self.name = name
      self.color = color
    }
  }

  /// A flow of `value` from node `source` to node `target` in `category`.
  public struct Link: Sendable, Equatable {
    public var source: Int
    public var target: Int
    public var category: Int
    public var value: Double
    public init(source: Int, target: Int, category: Int, value: Double) {
      self.source = source
      self.target = target
      self.category = category
      self.value = value
    }
  }

  public var id: String
  public var title: String
  public var nodes: [Node]
  public var categories: [Category]
  public var links: [Link]
  /// The unit of the values, for tooltips ("people").
  public var unit: String
  public var leftHeading = "From"
  public var rightHeading = "To"
  public var width = 1000.0
  public var height = 470.0

  public init(
    id: String, title: String, nodes: [Node], categories: [Category], links: [Link], unit: String
  ) {
    self.id = id
    self.title = title
    self.nodes = nodes
    self.categories = categories
    self.links = links
    self.unit = unit
  }

  public func render() -> RenderedChart {
    // Only positive, finite flows between known nodes and categories are drawn.
    let valid = links.filter {
      $0.value.isFinite && $0.value > 0 && nodes.indices.contains($0.source)
        && nodes.indices.contains($0.target) && categories.indices.contains($0.category)
    }
    var outTotal = [Double](repeating: 0, count: nodes.count)
    var inTotal = [Double](repeating: 0, count: nodes.count)
    var categoryTotal = [Double](repeating: 0, count: categories.count)
    for link in valid {
      outTotal[link.source] += link.value
      inTotal[link.target] += link.value
      categoryTotal[link.category] += link.value
    }
    let total = valid.reduce(0) { $0 + $1.value }

    let frame = ChartFrame(id: id, title: title, width: width, height: height)
    var svg = frame.begin()

    // Legend: the categories that occur, with their totals.
    let legend = ChartLegend(
      categories.indices.filter { categoryTotal[$0] > 0 }.map {
        ChartLegend.Entry(
          name: "\(categories[$0].name) (\(NumberFormat.number(categoryTotal[$0])))",
          color: categories[$0].color, swatch: .area)
      }, from: 16, to: width - 16, labelsStateFontSize: false)
    legend.draw(&svg)
    let headingY = legend.bottom + 14
    let top = headingY + 14
    let bottom = height - 14
    let nodeWidth = 16.0
    let leftX = 200.0
    let rightX = width - 200 - nodeWidth
    svg.element(
      "text",
      [
        ("x", Markup.number(leftX + nodeWidth)), ("y", Markup.number(headingY)),
        ("text-anchor", "end"), ("font-weight", "600"), ("fill", "#333333"),
      ], text: leftHeading)
    svg.element(
      "text",
      [
        ("x", Markup.number(rightX)), ("y", Markup.number(headingY)), ("font-weight", "600"),
        ("fill", "#333333"),
      ], text: rightHeading)

    guard total > 0 else {
      ChartFrame.message(&svg, "No flows", x: width / 2, y: (top + bottom) / 2)
      return frame.finish(
        &svg, wide: true, xScale: nil, yScale: nil,
        series: categories.map { DrawnSeries(name: $0.name, points: 0) })
    }

    // Node positions: each side stacks its non-empty nodes with a gap between them.
    let gap = 16.0
    func stack(_ totals: [Double]) -> [(y: Double, height: Double)] {
      let shown = totals.filter { $0 > 0 }.count
      let scale = max(bottom - top - gap * Double(max(shown - 1, 0)), 1) / total
      var y = top
      return totals.map { t in
        let h = t * scale
        defer { if t > 0 { y += h + gap } }
        return (y, h)
      }
    }
    let leftNodes = stack(outTotal)
    let rightNodes = stack(inTotal)
    let scale =
      (leftNodes.indices.first { outTotal[$0] > 0 }).map {
        leftNodes[$0].height / outTotal[$0]
      } ?? 0

    // Link ends: at the source ordered by (target, category), at the target by (source, category).
    let bySource = valid.indices.sorted {
      (valid[$0].source, valid[$0].target, valid[$0].category)
        < (valid[$1].source, valid[$1].target, valid[$1].category)
    }
    let byTarget = valid.indices.sorted {
      (valid[$0].target, valid[$0].source, valid[$0].category)
        < (valid[$1].target, valid[$1].source, valid[$1].category)
    }
    var sourceY = [Double](repeating: 0, count: valid.count)
    var targetY = [Double](repeating: 0, count: valid.count)
    var cursor = leftNodes.map(\.y)
    for k in bySource {
      sourceY[k] = cursor[valid[k].source]
      cursor[valid[k].source] += valid[k].value * scale
    }
    cursor = rightNodes.map(\.y)
    for k in byTarget {
      targetY[k] = cursor[valid[k].target]
      cursor[valid[k].target] += valid[k].value * scale
    }

    let x0 = leftX + nodeWidth
    let x1 = rightX
    let middle = (x0 + x1) / 2
    svg.open("g", [("class", "links")])
    for k in bySource {
      let link = valid[k]
      let thickness = link.value * scale
      let (s0, s1) = (sourceY[k], sourceY[k] + thickness)
      let (t0, t1) = (targetY[k], targetY[k] + thickness)
      let n = Markup.number
      let d =
        "M\(n(x0)) \(n(s0)) C\(n(middle)) \(n(s0)) \(n(middle)) \(n(t0)) \(n(x1)) \(n(t0)) "
        + "L\(n(x1)) \(n(t1)) C\(n(middle)) \(n(t1)) \(n(middle)) \(n(s1)) \(n(x0)) \(n(s1)) Z"
      let share = outTotal[link.source] > 0 ? link.value / outTotal[link.source] * 100 : 0
      let tooltip =
        "\(nodes[link.source].name) → \(nodes[link.target].name), "
        + "\(categories[link.category].name): \(NumberFormat.number(link.value)) \(unit) "
        + "(\(NumberFormat.number(share, decimals: 1))% of flows from "
        + "\(nodes[link.source].name.lowercased()))"
      let color = categories[link.category].color
      svg.element(
        "path",
        [
          ("class", "link"), ("data-series", categories[link.category].name), ("d", d),
          ("fill", color), ("fill-opacity", "0.55"), ("stroke", color),
          ("stroke-opacity", "0.7"), ("stroke-width", "0.5"),
        ], tooltip: tooltip)
    }
    svg.close("g")

    // Nodes and their labels.
    for side in [true, false] {
      let placed = side ? leftNodes : rightNodes
      let totals = side ? outTotal : inTotal
      for (i, node) in nodes.enumerated() where totals[i] > 0 {
        let x = side ? leftX : rightX
        let box = placed[i]
        let verb = side ? "left" : "arrived in"
        svg.element(
          "rect",
          [
            ("class", "node"), ("x", Markup.number(x)), ("y", Markup.number(box.y)),
            ("width", Markup.number(nodeWidth)), ("height", Markup.number(max(box.height, 1))),
            ("fill", node.color),
          ],
          tooltip: side
            ? "\(node.name): \(NumberFormat.number(totals[i])) \(unit) \(verb)"
            : "\(NumberFormat.number(totals[i])) \(unit) \(verb) \(node.name.lowercased())")
        let labelX = side ? x - 8 : x + nodeWidth + 8
        let centre = box.y + box.height / 2
        svg.element(
          "text",
          [
            ("x", Markup.number(labelX)), ("y", Markup.number(centre - 2)),
            ("text-anchor", side ? "end" : "start"), ("font-weight", "600"),
            ("fill", "#1a1a1a"),
          ], text: TextMetrics.truncate(node.name, toWidth: leftX - 24, fontSize: 12))
        svg.element(
          "text",
          [
            ("x", Markup.number(labelX)), ("y", Markup.number(centre + 12)),
            ("text-anchor", side ? "end" : "start"), ("fill", "#555555"), ("font-size", "11"),
          ], text: "\(NumberFormat.number(totals[i])) \(unit)")
      }
    }
    let drawn = categories.indices.map { c in
      DrawnSeries(name: categories[c].name, points: valid.filter { $0.category == c }.count)
    }
    return frame.finish(&svg, wide: true, xScale: nil, yScale: nil, series: drawn)
  }
}
