/// Where a Sankey diagram's nodes and bands go.
extension SankeyChart {
  /// The flows drawn and their totals.
  struct Flows {
    /// Only positive, finite flows between known nodes and categories are drawn.
    let valid: [Link]
    /// Per node: what leaves it, what reaches it; per category: its flows.
    let outTotal: [Double]
    let inTotal: [Double]
    let categoryTotal: [Double]
    /// Every drawn flow.
    let total: Double

    init(_ links: [Link], nodes: Int, categories: Int) {
      let valid = links.filter {
        $0.value.isFinite && $0.value > 0 && (0..<nodes).contains($0.source)
          && (0..<nodes).contains($0.target) && (0..<categories).contains($0.category)
      }
      var outTotal = [Double](repeating: 0, count: nodes)
      var inTotal = [Double](repeating: 0, count: nodes)
      var categoryTotal = [Double](repeating: 0, count: categories)
      for link in valid {
        outTotal[link.source] += link.value
        inTotal[link.target] += link.value
        categoryTotal[link.category] += link.value
      }
      self.valid = valid
      self.outTotal = outTotal
      self.inTotal = inTotal
      self.categoryTotal = categoryTotal
      total = valid.reduce(0) { $0 + $1.value }
    }
  }

  /// The two columns of nodes: their x and the span they share down the chart.
  struct Layout {
    var top: Double
    var bottom: Double
    /// The x of the left nodes and of the right nodes.
    var leftX: Double
    var rightX: Double
    static let nodeWidth = 16.0
    /// The space between two nodes of a column.
    static let gap = 16.0

    /// Where every node and every band's ends go.
    func place(_ flows: Flows) -> Placed {
      let leftNodes = stack(flows.outTotal, total: flows.total)
      let rightNodes = stack(flows.inTotal, total: flows.total)
      let scale =
        (leftNodes.indices.first { flows.outTotal[$0] > 0 }).map {
          leftNodes[$0].height / flows.outTotal[$0]
        } ?? 0
      let valid = flows.valid
      // Band ends: at the source ordered by (target, category), at the target by (source,
      // category).
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
      return Placed(
        leftNodes: leftNodes, rightNodes: rightNodes, scale: scale, bySource: bySource,
        sourceY: sourceY, targetY: targetY)
    }

    /// A column: its non-empty nodes stacked from the top with a gap between them, heights
    /// proportional to their totals.
    private func stack(_ totals: [Double], total: Double) -> [(y: Double, height: Double)] {
      let shown = totals.filter { $0 > 0 }.count
      let scale = max(bottom - top - Layout.gap * Double(max(shown - 1, 0)), 1) / total
      var y = top
      return totals.map { t in
        let h = t * scale
        defer { if t > 0 { y += h + Layout.gap } }
        return (y, h)
      }
    }
  }

  /// Where the nodes and bands went.
  struct Placed {
    /// Each node's box in each column, in node order.
    var leftNodes: [(y: Double, height: Double)]
    var rightNodes: [(y: Double, height: Double)]
    /// Pixels per unit of flow.
    var scale: Double
    /// The flows in drawing order: by source, then target, then category.
    var bySource: [Int]
    /// Per flow: the top of its band at its source and at its target.
    var sourceY: [Double]
    var targetY: [Double]
  }
}
