import Foundation

/// What one tick recorded (MODEL 3 step 10, MODEL 6).
public struct TickRecord: Sendable {
  public var tick: Int
  /// The `timeseries.csv` row, in `Timeseries.columns` order.
  public var row: [Double]
  public var flows: FlowTable
  public var moves: [Move]

  /// The value of a named timeseries column.
  public subscript(column: String) -> Double {
    guard let k = Timeseries.index[column] else { return .nan }
    return row[k]
  }
}

/// The columns of `timeseries.csv` (MODEL 6), in order.
public enum Timeseries {
  public static let columns = [
    "tick", "year", "professionals", "employed_bigtech", "employed_startup", "unemployed",
    "firms_bigtech", "firms_startup", "startups_born", "startups_failed", "startups_acquired",
    "startups_graduated", "moves_bigtech_to_startup", "moves_startup_to_bigtech",
    "moves_startup_to_startup", "moves_bigtech_to_bigtech", "hires_bigtech", "hires_startup",
    "layoffs_bigtech", "layoffs_startup", "failures_displaced", "acquisition_transfers",
    "graduation_transfers", "foundings", "entrants", "exits", "vacancies_bigtech",
    "vacancies_startup", "mean_wage_bigtech", "mean_wage_startup", "mean_equity_offer",
    "mean_stability_startup", "mean_resources_startup", "funding_climate", "mean_utility",
  ]

  static let index: [String: Int] = Dictionary(
    uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
}

extension Simulation {
  /// Builds the tick's timeseries row from the end-of-tick state and the tick's flows.
  func record() -> TickRecord {
    record(tallying())
  }

  /// Builds the tick's row from `tally`, the sums over professionals of the end-of-tick state
  /// (from `tallying()`, or from `updateProfessionals()`, which computes them in its pass).
  func record(_ total: ProfessionalTally) -> TickRecord {
    let t = tick
    let employed = [total.employedBigTech, total.employedStartup]
    let skillSum = [total.skillSumBigTech, total.skillSumStartup]

    // Firms: living counts, vacancies, startup means.
    var living = [0, 0]
    var vacancies = [0, 0]
    var offerSum = 0.0
    var stabilitySum = 0.0
    var resourcesSum = 0.0
    for j in 0..<firms.count where firms.alive[j] {
      let k = Int(firms.type[j].rawValue)
      living[k] += 1
      vacancies[k] += Int(
        Firms.vacancies(alive: true, target: firms.target[j], headcount: firms.headcount[j]))
      if firms.type[j] == .startup {
        offerSum += firms.equityOffer[j]
        stabilitySum += firms.publishedValue(j, 0)
        resourcesSum += firms.publishedValue(j, 1)
      }
    }

    func mean(_ sum: Double, _ n: Int) -> Double { n > 0 ? sum / Double(n) : 0 }
    let f = flows
    let wageBase = config.wage.base
    let ticksPerYear = config.time.ticksPerYear
    let year = t <= 0 ? 0 : (t + ticksPerYear - 1) / ticksPerYear
    let row: [Double] = [
      Double(t), Double(year), Double(total.present),
      Double(employed[0]), Double(employed[1]),
      Double(total.present - employed[0] - employed[1]),
      Double(living[0]), Double(living[1]),
      Double(startupsBorn), Double(startupsFailed), Double(startupsAcquired),
      Double(startupsGraduated),
      Double(f[.bigtech, .startup, .voluntary]), Double(f[.startup, .bigtech, .voluntary]),
      Double(f[.startup, .startup, .voluntary]), Double(f[.bigtech, .bigtech, .voluntary]),
      Double(f[.unemployed, .bigtech, .hire]), Double(f[.unemployed, .startup, .hire]),
      Double(f[.bigtech, .unemployed, .layoff]), Double(f[.startup, .unemployed, .layoff]),
      Double(f.total(.failure)), Double(f.total(.acquisition)), Double(f.total(.graduation)),
      Double(f.total(.founding)), Double(f.total(.entry)), Double(f.total(.exit)),
      Double(vacancies[0]), Double(vacancies[1]),
      employed[0] > 0 ? wageBase.bigtech * (0.5 + skillSum[0] / Double(employed[0])) : 0,
      employed[1] > 0 ? wageBase.startup * (0.5 + skillSum[1] / Double(employed[1])) : 0,
      mean(offerSum, living[1]), mean(stabilitySum, living[1]), mean(resourcesSum, living[1]),
      fundingClimate, mean(total.utilitySum, total.present),
    ]
    return TickRecord(tick: t, row: row, flows: flows, moves: moves)
  }
}
