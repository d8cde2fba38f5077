/// A two-column flow diagram: nodes on the left ("from") and on the right ("to"), joined by
/// bands whose thickness is proportional to the flow and whose colour is its category.
///
/// The frame and legend are `ChartFrame` and `ChartLegend`; where nodes and bands go is worked
/// out in SankeyChart+Layout.swift.
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
    let flows = Flows(links, nodes: nodes.count, categories: categories.count)
    let frame = ChartFrame(id: id, title: title, width: width, height: height)
    var svg = frame.begin()
    let legend = self.legend(flows)
    legend.draw(&svg)
    let headingY = legend.bottom + 14
    let layout = Layout(
      top: headingY + 14, bottom: height - 14, leftX: 200, rightX: width - 200 - 16)
    drawHeadings(&svg, y: headingY, layout)
    guard flows.total > 0 else {
      ChartFrame.message(&svg, "No flows", x: width / 2, y: (layout.top + layout.bottom) / 2)
      return frame.finish(
        &svg, wide: true, xScale: nil, yScale: nil,
        series: categories.map { DrawnSeries(name: $0.name, points: 0) })
    }
    let placed = layout.place(flows)
    drawLinks(&svg, flows, placed, layout)
    drawNodes(&svg, flows, placed, layout)
    let drawn = categories.indices.map { c in
      DrawnSeries(name: categories[c].name, points: flows.valid.filter { $0.category == c }.count)
    }
    return frame.finish(&svg, wide: true, xScale: nil, yScale: nil, series: drawn)
  }

  /// The legend: the categories that occur, with their totals.
  private func legend(_ flows: Flows) -> ChartLegend {
    let entries = categories.indices.filter { flows.categoryTotal[$0] > 0 }.map { c in
      ChartLegend.Entry(
        name: "\(categories[c].name) (\(NumberFormat.number(flows.categoryTotal[c])))",
        color: categories[c].color, swatch: .area)
    }
    return ChartLegend(entries, from: 16, to: width - 16, labelsStateFontSize: false)
  }

  /// "From" above the left column, right-aligned to its nodes, and "To" above the right one.
  private func drawHeadings(_ svg: inout SVGBuilder, y: Double, _ layout: Layout) {
    svg.element(
      "text",
      [
        ("x", Markup.number(layout.leftX + Layout.nodeWidth)), ("y", Markup.number(y)),
        ("text-anchor", "end"), ("font-weight", "600"), ("fill", "#333333"),
      ], text: leftHeading)
    svg.element(
      "text",
      [
        ("x", Markup.number(layout.rightX)), ("y", Markup.number(y)), ("font-weight", "600"),
        ("fill", "#333333"),
      ], text: rightHeading)
  }

  /// Each flow as a band from its source to its target, with its count in the tooltip.
  private func drawLinks(
    _ svg: inout SVGBuilder, _ flows: Flows, _ placed: Placed, _ layout: Layout
  ) {
    let x0 = layout.leftX + Layout.nodeWidth
    let x1 = layout.rightX
    let middle = (x0 + x1) / 2
    svg.open("g", [("class", "links")])
    for k in placed.bySource {
      let link = flows.valid[k]
      let thickness = link.value * placed.scale
      let (s0, s1) = (placed.sourceY[k], placed.sourceY[k] + thickness)
      let (t0, t1) = (placed.targetY[k], placed.targetY[k] + thickness)
      let n = Markup.number
      let d =
        "M\(n(x0)) \(n(s0)) C\(n(middle)) \(n(s0)) \(n(middle)) \(n(t0)) \(n(x1)) \(n(t0)) "
        + "L\(n(x1)) \(n(t1)) C\(n(middle)) \(n(t1)) \(n(middle)) \(n(s1)) \(n(x0)) \(n(s1)) Z"
      let color = categories[link.category].color
      svg.element(
        "path",
        [
          ("class", "link"), ("data-series", categories[link.category].name), ("d", d),
          ("fill", color), ("fill-opacity", "0.55"), ("stroke", color),
          ("stroke-opacity", "0.7"), ("stroke-width", "0.5"),
        ], tooltip: tooltip(link, sourceTotal: flows.outTotal[link.source]))
    }
    svg.close("g")
  }

  /// "Big tech → Startups, voluntary: 12 people (3.4% of flows from big tech)".
  private func tooltip(_ link: Link, sourceTotal: Double) -> String {
    let share = sourceTotal > 0 ? link.value / sourceTotal * 100 : 0
    return "\(nodes[link.source].name) → \(nodes[link.target].name), "
      + "\(categories[link.category].name): \(NumberFormat.number(link.value)) \(unit) "
      + "(\(NumberFormat.number(share, decimals: 1))% of flows from "
      + "\(nodes[link.source].name.lowercased()))"
  }

  /// The nodes of both columns that have flows, each with its name and total beside it.
  private func drawNodes(
    _ svg: inout SVGBuilder, _ flows: Flows, _ placed: Placed, _ layout: Layout
  ) {
    for left in [true, false] {
      let boxes = left ? placed.leftNodes : placed.rightNodes
      let totals = left ? flows.outTotal : flows.inTotal
      for (i, node) in nodes.enumerated() where totals[i] > 0 {
        let x = left ? layout.leftX : layout.rightX
        let box = boxes[i]
        let amount = "\(NumberFormat.number(totals[i])) \(unit)"
        svg.element(
          "rect",
          [
            ("class", "node"), ("x", Markup.number(x)), ("y", Markup.number(box.y)),
            ("width", Markup.number(Layout.nodeWidth)),
            ("height", Markup.number(max(box.height, 1))), ("fill", node.color),
          ],
          tooltip: left
            ? "\(node.name): \(amount) left" : "\(amount) arrived in \(node.name.lowercased())")
        let labelX = left ? x - 8 : x + Layout.nodeWidth + 8
        let centre = box.y + box.height / 2
        svg.element(
          "text",
          [
            ("x", Markup.number(labelX)), ("y", Markup.number(centre - 2)),
            ("text-anchor", left ? "end" : "start"), ("font-weight", "600"),
            ("fill", "#1a1a1a"),
          ], text: TextMetrics.truncate(node.name, toWidth: layout.leftX - 24, fontSize: 12))
        svg.element(
          "text",
          [
            ("x", Markup.number(labelX)), ("y", Markup.number(centre + 12)),
            ("text-anchor", left ? "end" : "start"), ("fill", "#555555"), ("font-size", "11"),
          ], text: amount)
      }
    }
  }
}
