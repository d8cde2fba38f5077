/// The marks of a bar chart: row shading, bars (or "n/a" where a value is missing), whiskers,
/// category labels and the rows' tooltips.
extension BarChart {
  /// A faint band behind every other row, so that a row's bars and label read as one.
  func drawRowShading(_ svg: inout SVGBuilder, _ layout: Layout) {
    for k in categories.indices where k % 2 == 1 {
      svg.element(
        "rect",
        [
          ("x", "0"), ("y", Markup.number(layout.rowTop(k))),
          ("width", Markup.number(layout.right)), ("height", Markup.number(layout.rowHeight)),
          ("fill", "#f4f4f2"),
        ])
    }
  }

  /// Each bar from 0 to its value, and "n/a" at 0 for a missing value.
  ///
  /// Returns how many bars of each kind were drawn.
  func drawBars(_ svg: inout SVGBuilder, _ layout: Layout) -> [DrawnSeries] {
    let zero = layout.px(0)
    var drawn = bars.map { DrawnSeries(name: $0.name, points: 0) }
    for k in categories.indices {
      for (b, bars) in bars.enumerated() {
        let y = layout.barTop(k, b)
        let value = bars.value(k)
        guard value.isFinite else {
          svg.element(
            "text",
            [
              ("class", "missing"), ("data-series", bars.name), ("data-category", categories[k]),
              ("x", Markup.number(zero + 4)),
              ("y", Markup.number(y + Layout.barThickness - 2)), ("font-size", "10"),
              ("fill", "#777777"),
            ], text: "n/a")
          continue
        }
        let end = layout.px(value)
        svg.element(
          "rect",
          [
            ("class", "bar"), ("data-series", bars.name), ("data-category", categories[k]),
            ("x", Markup.number(min(zero, end))), ("y", Markup.number(y)),
            ("width", Markup.number(abs(end - zero))),
            ("height", Markup.number(Layout.barThickness)), ("fill", bars.color),
          ])
        drawn[b].points += 1
      }
    }
    return drawn
  }

  /// A horizontal line with end caps across each interval, through the middle of its bar.
  func drawWhiskers(_ svg: inout SVGBuilder, _ layout: Layout) {
    for k in categories.indices {
      for (b, bars) in bars.enumerated() {
        guard let interval = bars.interval(k) else { continue }
        let y = layout.barTop(k, b) + Layout.barThickness / 2
        let low = layout.px(interval.lower)
        let high = layout.px(interval.upper)
        svg.element(
          "line",
          [
            ("class", "whisker"), ("data-series", bars.name), ("data-category", categories[k]),
            ("x1", Markup.number(low)), ("x2", Markup.number(high)),
            ("y1", Markup.number(y)), ("y2", Markup.number(y)),
            ("stroke", BarChart.whiskerColor), ("stroke-width", "1.5"),
          ])
        for x in [low, high] {
          svg.element(
            "line",
            [
              ("x1", Markup.number(x)), ("x2", Markup.number(x)),
              ("y1", Markup.number(y - 4)), ("y2", Markup.number(y + 4)),
              ("stroke", BarChart.whiskerColor), ("stroke-width", "1.5"),
            ])
        }
      }
    }
  }

  /// Each row's name, right-aligned left of the plot and shortened to fit there.
  func drawCategoryLabels(_ svg: inout SVGBuilder, _ layout: Layout) {
    for k in categories.indices {
      svg.element(
        "text",
        [
          ("class", "category"), ("x", Markup.number(layout.left - 8)),
          ("y", Markup.number(layout.rowTop(k) + layout.rowHeight / 2 + 4)),
          ("text-anchor", "end"), ("font-size", "\(Int(Layout.labelSize))"),
          ("fill", "#1a1a1a"),
        ], text: layout.labels[k])
    }
  }

  /// A transparent rectangle over each row, label included, whose tooltip names the category
  /// in full and lists every value with its interval, then the category's notes.
  func hoverRows(_ svg: inout SVGBuilder, _ layout: Layout) {
    svg.open("g", [("class", "hover")])
    for k in categories.indices {
      var lines = [categories[k]]
      for bars in bars {
        var line = "\(bars.name): \(NumberFormat.value(bars.value(k)))"
        if let interval = bars.interval(k) {
          let what = intervalName ?? "interval"
          line +=
            " (\(what) \(NumberFormat.value(interval.lower)) – "
            + "\(NumberFormat.value(interval.upper)))"
        }
        lines.append(line)
      }
      if k < categoryNotes.count, !categoryNotes[k].isEmpty { lines.append(categoryNotes[k]) }
      svg.element(
        "rect",
        [
          ("x", "0"), ("y", Markup.number(layout.rowTop(k))),
          ("width", Markup.number(layout.right)), ("height", Markup.number(layout.rowHeight)),
          ("fill", "#000000"), ("fill-opacity", "0"),
        ], tooltip: lines.joined(separator: "\n"))
    }
    svg.close("g")
  }
}
