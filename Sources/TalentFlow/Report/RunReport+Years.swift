extension RunReport {
  /// Sums of timeseries columns per year, over the recorded ticks (MODEL 6: year = ⌈tick/T⌉).
  struct Years {
    /// Year numbers 1…Y.
    var years: [Double]
    /// Ticks recorded in each year (fewer than ticksPerYear in a partial last year).
    var ticks: [Int]
    var ticksPerYear: Int

    init(_ data: RunData) {
      ticksPerYear = data.facts.ticksPerYear
      var years: [Double] = []
      var ticks: [Int] = []
      for tick in data.ticks where tick >= 1 {
        let year = Double((tick + ticksPerYear - 1) / ticksPerYear)
        if years.last == year {
          ticks[ticks.count - 1] += 1
        } else {
          years.append(year)
          ticks.append(1)
        }
      }
      self.years = years
      self.ticks = ticks
    }

    /// Per-year sums of a column.
    func sums(_ data: RunData, _ column: String) -> [Double] {
      var sums = [Double](repeating: 0, count: years.count)
      let index = Dictionary(uniqueKeysWithValues: years.enumerated().map { ($1, $0) })
      for (tick, value) in zip(data.ticks, data.column(column)) where tick >= 1 {
        let year = Double((tick + ticksPerYear - 1) / ticksPerYear)
        if let k = index[year], value.isFinite { sums[k] += value }
      }
      return sums
    }

    /// Tooltip notes: which ticks a year covers, flagging a partial last year.
    var notes: [String] {
      zip(years, ticks).map { year, n in
        let first = (Int(year) - 1) * ticksPerYear + 1
        let range = "ticks \(first)–\(first + n - 1)"
        return n < ticksPerYear ? "\(range), partial year" : range
      }
    }
  }
}
