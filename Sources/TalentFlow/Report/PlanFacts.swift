/// What the manifest of a folder made from a plan (a sweep, or a sensitivity analysis, which is
/// a sweep plan with an analysis) says of its work and provenance: the facts both reports show.
public struct PlanFacts: Sendable, Equatable {
  public var name: String
  public var designPoints: Int
  public var replicates: Int
  public var runs: Int
  /// Runs that failed (left out of `runs.csv`, listed in `failures.csv`).
  public var failedRuns: Int
  public var ticks: Int
  public var populationSize: String
  public var baseName: String
  public var baseDescription: String
  public var modelVersion: String
  public var modelSpecification: String
  public var toolVersion: String
  public var sweepSHA256: String
  public var files: [RunData.ManifestFile]

  /// Reads the facts from a plan folder's manifest; `unnamed` stands in for a missing name.
  static func read(_ manifest: ManifestReader<ReportError>, unnamed: String) -> PlanFacts {
    let json = manifest.json
    let config = json["configuration"]
    let text = ManifestReader<ReportError>.text
    return PlanFacts(
      name: text(json["name"]) ?? unnamed,
      designPoints: json["designPoints"]?.intValue ?? 0,
      replicates: json["replicates"]?.intValue ?? 0,
      runs: json["runs"]?.intValue ?? 0,
      failedRuns: json["failedRuns"]?.intValue ?? 0,
      ticks: config?["time"]?["ticks"]?.intValue ?? 0,
      populationSize: config?["population"]?["size"]?.doubleValue.map {
        NumberFormat.number($0)
      } ?? "?",
      baseName: text(config?["name"]) ?? "?",
      baseDescription: text(config?["description"]) ?? "",
      modelVersion: text(json["modelVersion"]) ?? "?",
      modelSpecification: text(json["modelSpecification"]) ?? "?",
      toolVersion: text(json["toolVersion"]) ?? "?",
      sweepSHA256: text(json["sweepSHA256"]) ?? "?",
      files: manifest.listedFiles)
  }
}
