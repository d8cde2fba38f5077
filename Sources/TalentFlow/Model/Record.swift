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
    let t = tick
    // Stocks and sums over professionals, reduced per chunk and combined in chunk order.
    struct Partial {
      var skillSum = [0.0, 0.0]
      var employed = [0, 0]
      var utilitySum = 0.0
      var present = 0
    }
    let context = UtilityContext(self)
    let firmType = firms.type
    let partials: [Partial] = withProfessionalBuffers { b in
      parallel.mapChunks(count: b.employer.count) { range in
        var partial = Partial()
        for p in range {
          let e = b.employer[p]
          if e == Professionals.gone { continue }
          partial.present += 1
          partial.utilitySum += context.currentUtility(b, p)
          if e >= 0 {
            let k = Int(firmType[Int(e)].rawValue)
            partial.employed[k] += 1
            partial.skillSum[k] += b.skill[p]
          }
        }
        return partial
      }
    }
    var total = Partial()
    for partial in partials {
      total.present += partial.present
      total.utilitySum += partial.utilitySum
      for k in 0..<2 {
        total.employed[k] += partial.employed[k]
        total.skillSum[k] += partial.skillSum[k]
      }
    }

    // Firms: living counts, vacancies, startup means.
    var living = [0, 0]
    var vacancies = [0, 0]
    var offerSum = 0.0
    var stabilitySum = 0.0
    var resourcesSum = 0.0
    for j in 0..<firms.count where firms.alive[j] {
      let k = Int(firms.type[j].rawValue)
      living[k] += 1
      let open = firms.target[j].rounded(.toNearestOrAwayFromZero) - Double(firms.headcount[j])
      if open > 0 { vacancies[k] += Int(open) }
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
      Double(total.employed[0]), Double(total.employed[1]),
      Double(total.present - total.employed[0] - total.employed[1]),
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
      total.employed[0] > 0
        ? wageBase.bigtech * (0.5 + total.skillSum[0] / Double(total.employed[0])) : 0,
      total.employed[1] > 0
        ? wageBase.startup * (0.5 + total.skillSum[1] / Double(total.employed[1])) : 0,
      mean(offerSum, living[1]), mean(stabilitySum, living[1]), mean(resourcesSum, living[1]),
      fundingClimate, mean(total.utilitySum, total.present),
    ]
    return TickRecord(tick: t, row: row, flows: flows, moves: moves)
  }
}
