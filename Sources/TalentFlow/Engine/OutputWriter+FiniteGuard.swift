extension OutputWriter {
  /// Writes one tick's rows, and stops the run if a number written was NaN or infinite, which
  /// the CSV would show as a blank cell.
  ///
  /// The model's own guards (`checkFirms`, `checkRecord`) catch such values where they arise;
  /// this is the last line behind them, for the micro files.
  func write(_ record: TickRecord, of simulation: Simulation) throws(SimulationError) {
    write(
      record, firms: simulation.firms, professionals: simulation.professionals,
      parallel: simulation.parallel)
    guard let cell = firstBlankCell else { return }
    let keys: [String]
    switch cell.column {
    case "wealth":
      keys = ["startup.acquisitionPremium"] + Simulation.Drivers.startupValuation
    case "money_weight": keys = ["money.median", "money.sigma"]
    case "risk_aversion": keys = ["risk.median", "risk.sigma"]
    case "skill": keys = ["skill.learningRate", "skill.decay"]
    case "cash", "revenue": keys = Simulation.Drivers.startupCash
    case "valuation": keys = Simulation.Drivers.startupValuation
    default: keys = Simulation.Drivers.published
    }
    throw SimulationError(
      tick: record.tick, step: "writing the outputs",
      quantity: "\(cell.file) value in column \(cell.column) (data row \(cell.row + 1))",
      value: cell.value, keys: keys)
  }
}
