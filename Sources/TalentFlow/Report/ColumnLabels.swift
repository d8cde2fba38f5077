/// Readable names and units of the `timeseries.csv` columns (MODEL 6), for chart titles and axes.
public enum ColumnLabels {
  /// A column's title ("Employed at startups") and unit ("people").
  public static func label(_ column: String) -> (title: String, unit: String) {
    switch column {
    case "professionals": return ("Professionals", "people")
    case "employed_bigtech": return ("Employed in big tech", "people")
    case "employed_startup": return ("Employed at startups", "people")
    case "unemployed": return ("Unemployed", "people")
    case "firms_bigtech": return ("Living big-tech firms", "firms")
    case "firms_startup": return ("Living startups", "firms")
    case "startups_born": return ("Startups born", "firms/tick")
    case "startups_failed": return ("Startups failed", "firms/tick")
    case "startups_acquired": return ("Startups acquired", "firms/tick")
    case "startups_graduated": return ("Startups graduated", "firms/tick")
    case "moves_bigtech_to_startup": return ("Moves big tech → startup", "people/tick")
    case "moves_startup_to_bigtech": return ("Moves startup → big tech", "people/tick")
    case "moves_startup_to_startup": return ("Moves startup → startup", "people/tick")
    case "moves_bigtech_to_bigtech": return ("Moves big tech → big tech", "people/tick")
    case "hires_bigtech": return ("Hires into big tech", "people/tick")
    case "hires_startup": return ("Hires into startups", "people/tick")
    case "layoffs_bigtech": return ("Layoffs from big tech", "people/tick")
    case "layoffs_startup": return ("Layoffs from startups", "people/tick")
    case "failures_displaced": return ("Displaced by startup failures", "people/tick")
    case "acquisition_transfers": return ("Acquisition transfers", "people/tick")
    case "graduation_transfers": return ("Graduation transfers", "people/tick")
    case "foundings": return ("Founders", "people/tick")
    case "entrants": return ("Entrants", "people/tick")
    case "exits": return ("Exits", "people/tick")
    case "vacancies_bigtech": return ("Big-tech vacancies", "jobs")
    case "vacancies_startup": return ("Startup vacancies", "jobs")
    case "mean_wage_bigtech": return ("Mean big-tech wage", "k$/month")
    case "mean_wage_startup": return ("Mean startup wage", "k$/month")
    case "mean_equity_offer": return ("Mean startup equity offer", "fraction of a company")
    case "mean_stability_startup": return ("Mean startup stability", "score")
    case "mean_resources_startup": return ("Mean startup resources", "score")
    case "funding_climate": return ("Funding climate", "multiplier")
    case "mean_utility": return ("Mean utility", "utility")
    default: return (column, "")
    }
  }

  /// Whether a column counts whole things (its axis ticks are whole numbers).
  public static func isCount(_ column: String) -> Bool {
    let unit = label(column).unit
    return unit.hasPrefix("people") || unit.hasPrefix("firms") || unit == "jobs"
  }

  /// "Title (unit)" for an axis.
  public static func axis(_ column: String) -> String {
    let (title, unit) = label(column)
    return unit.isEmpty ? title : "\(title) (\(unit))"
  }
}
