/// The Okabe–Ito palette: eight colours distinguishable with every common colour-vision
/// deficiency (Okabe & Ito, "Color Universal Design", 2008), plus a neutral grey.
public enum Palette {
  public static let black = "#000000"
  public static let orange = "#E69F00"
  public static let skyBlue = "#56B4E9"
  public static let bluishGreen = "#009E73"
  public static let yellow = "#F0E442"
  public static let blue = "#0072B2"
  public static let vermillion = "#D55E00"
  public static let reddishPurple = "#CC79A7"
  /// Not an Okabe–Ito colour; used only for "outside the population" and exits.
  public static let grey = "#999999"

  /// The order for series without a meaning of their own (yellow last: weak on white).
  public static let cycle = [
    blue, orange, bluishGreen, vermillion, reddishPurple, skyBlue, black, yellow,
  ]

  /// The colour of a sector, the same in every chart.
  public static func color(_ sector: Sector) -> String {
    switch sector {
    case .bigtech: return blue
    case .startup: return orange
    case .unemployed: return reddishPurple
    case .outside: return grey
    }
  }

  /// The colour of a flow reason in the Sankey diagram.
  public static func color(_ reason: FlowReason) -> String {
    switch reason {
    case .voluntary: return skyBlue
    case .hire: return bluishGreen
    case .layoff: return vermillion
    case .failure: return black
    case .acquisition: return reddishPurple
    case .founding: return yellow
    case .graduation: return blue
    case .entry: return orange
    case .exit: return grey
    }
  }
}
