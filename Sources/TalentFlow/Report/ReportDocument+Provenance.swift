import Foundation

/// What every report says about where it comes from: links to the folder's files, the versions
/// that wrote them, whether their checksums match, and the footer.
extension ReportDocument {
  /// The footer of a page made from `folder`, followed by `rest` (which starts with its own
  /// punctuation).
  static func footer(folder: URL, _ rest: String) -> String {
    "Written by the talentflow \(TalentFlowVersion.tool) report command from the files of "
      + "\(folder.lastPathComponent)/. This page is derived from the data files and is not "
      + "listed in manifest.json" + rest
  }
}

extension ReportDocument.Link {
  /// Links to the folder's manifest.json, then to each of the named files in it.
  static func manifestAndFiles(in folder: URL, _ names: [String]) -> [ReportDocument.Link] {
    [ReportDocument.Link("manifest.json", folder.appendingPathComponent("manifest.json"))]
      + names.map { ReportDocument.Link($0, folder.appendingPathComponent($0)) }
  }
}

extension ReportDocument.Fact {
  /// The model version with the specification it implements.
  static func model(version: String, specification: String) -> ReportDocument.Fact {
    .init("Model version", "\(version) (\(specification))")
  }

  /// The version of talentflow that wrote the folder.
  static func tool(version: String) -> ReportDocument.Fact {
    .init("Tool", "talentflow \(version)")
  }

  /// Whether the files match the manifest's checksums (details in `warnings`).
  static func checksums(_ problems: [String]) -> ReportDocument.Fact {
    .init("Data checksums", problems.isEmpty ? "match the manifest" : "MISMATCH, see below")
  }
}

extension ReportDocument.Item {
  /// A warning that lists where the files and the manifest disagree; nothing if they agree.
  static func warnings(_ problems: [String]) -> [ReportDocument.Item] {
    problems.isEmpty ? [] : [.note("Warning: " + problems.joined(separator: " "))]
  }
}
