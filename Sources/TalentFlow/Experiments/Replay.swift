import Foundation

/// What replay found for one file.
public struct ReplayedFile: Sendable, Equatable {
  /// How a file came out of the replay.
  public enum Verdict: Sendable, Equatable {
    /// The published file, its manifest entry and the replayed file agree: rows, bytes, SHA-256.
    case identical
    /// No published file is beside the manifest (it was published alone), and the replayed
    /// file agrees with the manifest's entry.
    case matchesManifest
    /// The manifest lists the file and other published files are beside it, but this one is not.
    case missing
    /// The published file, the manifest and the replay do not all agree; `detail` says how.
    case differs
  }

  public var name: String
  public var verdict: Verdict
  /// Why it is not identical; nil when identical.
  public var detail: String?
  /// The first differing row and column, when both files could be compared.
  public var difference: CSVDifference?

  public init(
    name: String, verdict: Verdict, detail: String? = nil, difference: CSVDifference? = nil
  ) {
    self.name = name
    self.verdict = verdict
    self.detail = detail
    self.difference = difference
  }

  /// Whether the published bytes, the manifest's entry and the replayed bytes all agree.
  public var identical: Bool { verdict == .identical }
  /// Whether the file reproduces what was published: identical, or, for a manifest published
  /// without its files, matching the manifest.
  public var reproduces: Bool { verdict == .identical || verdict == .matchesManifest }
}

/// Regenerates a published run from its manifest alone and checks every output file against it.
///
/// The manifest's resolved configuration, seed and tick counts rebuild the run; it is run into
/// a fresh folder; each file's rows, bytes and SHA-256 are compared with the manifest's, and when
/// the published files are beside the manifest they are measured and compared too, so that a
/// changed published file is named with its first differing row and column, and a deleted one
/// is reported missing.
public enum Replay {
  /// Replays `manifest` into `destination` on `threads` threads and compares every file.
  public static func run(
    _ manifest: RunManifest, destination: URL, force: Bool = false, threads: Int,
    progress: ((_ tick: Int, _ ticks: Int, _ agentTicks: Int) -> Void)? = nil
  ) throws -> [ReplayedFile] {
    let result = try Runner.run(
      config: manifest.config, destination: destination, force: force, threads: threads,
      progress: progress)
    return compare(manifest, replayedFolder: result.folder, replayed: result.files)
  }

  /// What is beside the manifest under a listed file's name.
  enum Published {
    /// No listed file is beside the manifest: it was published alone.
    case alone
    /// Other listed files are beside the manifest, but not this one.
    case missing
    /// Something is there but cannot be read as a file.
    case unreadable(String)
    /// The file, measured.
    case present(OutputFile)
  }

  /// Compares a manifest's files with the replayed ones (and the published ones, if present).
  ///
  /// Every listed file gets a verdict, then every replayed file the manifest does not list.
  public static func compare(
    _ manifest: RunManifest, replayedFolder: URL, replayed: [OutputFile]
  ) -> [ReplayedFile] {
    let fileManager = FileManager.default
    let alone = !manifest.files.contains {
      fileManager.fileExists(atPath: manifest.folder.appendingPathComponent($0.name).path)
    }
    var report: [ReplayedFile] = []
    for entry in manifest.files {
      let publishedURL = manifest.folder.appendingPathComponent(entry.name)
      let published: Published
      if alone {
        published = .alone
      } else if !fileManager.fileExists(atPath: publishedURL.path) {
        published = .missing
      } else {
        do {
          published = .present(try OutputFile(measuring: publishedURL, name: entry.name))
        } catch {
          published = .unreadable(error.localizedDescription)
        }
      }
      let again = replayed.first { $0.name == entry.name }
      report.append(
        judge(
          entry, published: published, replayed: again,
          firstDifference: {
            try? CSVComparison.firstDifference(
              published: publishedURL,
              replayed: replayedFolder.appendingPathComponent(entry.name))
          }))
    }
    for file in replayed where !manifest.files.contains(where: { $0.name == file.name }) {
      report.append(
        ReplayedFile(
          name: file.name, verdict: .differs,
          detail: "the replay writes this file but the manifest does not list it"))
    }
    return report
  }

  /// The verdict on one listed file, from its manifest entry, what is published under its name
  /// and what the replay wrote (nil if it wrote no such file).
  static func judge(
    _ entry: OutputFile, published: Published, replayed again: OutputFile?,
    firstDifference: () -> CSVDifference?
  ) -> ReplayedFile {
    func differs(_ detail: String, _ difference: CSVDifference? = nil) -> ReplayedFile {
      ReplayedFile(name: entry.name, verdict: .differs, detail: detail, difference: difference)
    }
    guard let again else {
      return differs("this talentflow no longer writes this file for the configuration")
    }
    let replayedOff = disagreement(again, "replayed", entry)
    switch published {
    case .alone:
      guard let replayedOff else {
        return ReplayedFile(name: entry.name, verdict: .matchesManifest)
      }
      return differs(
        "\(replayedOff); the published file is not beside the manifest, so no row can be named")
    case .missing:
      return ReplayedFile(
        name: entry.name, verdict: .missing,
        detail: "the manifest lists it, but the published file is not beside the manifest ("
          + (replayedOff.map { "and \($0)" } ?? "the replay matches the manifest") + ")")
    case .unreadable(let reason):
      return differs(
        "the published file cannot be read (\(reason))" + (replayedOff.map { "; \($0)" } ?? ""))
    case .present(let file):
      let publishedOff = disagreement(file, "published", entry)
      switch (publishedOff, replayedOff) {
      case (nil, nil):
        return ReplayedFile(name: entry.name, verdict: .identical)
      case (let publishedOff?, nil):
        let difference = firstDifference()
        return differs(
          "the replay matches the manifest, but the published file was changed after the run: "
            + (difference.map { "\($0)" } ?? publishedOff), difference)
      case (nil, let replayedOff?):
        let difference = firstDifference()
        return differs(difference.map { "\($0)" } ?? replayedOff, difference)
      case (_, let replayedOff?):
        if file.sha256 == again.sha256 && file.bytes == again.bytes && file.rows == again.rows {
          return differs(
            "the published and replayed files agree with each other but not with the manifest ("
              + (disagreement(file, "published and replayed", entry) ?? replayedOff) + ")")
        }
        let difference = firstDifference()
        return differs(
          (difference.map { "\($0)" } ?? replayedOff)
            + " (the published file does not match the manifest either)", difference)
      }
    }
  }

  /// How `file` disagrees with the manifest's `entry`, such as "replayed rows 25, manifest 26";
  /// nil when its rows, bytes and SHA-256 all agree.
  static func disagreement(_ file: OutputFile, _ label: String, _ entry: OutputFile) -> String? {
    var parts: [String] = []
    if file.rows != entry.rows {
      parts.append("\(label) rows \(file.rows), manifest \(entry.rows)")
    }
    if file.bytes != entry.bytes {
      parts.append("\(label) bytes \(file.bytes), manifest \(entry.bytes)")
    }
    if file.sha256 != entry.sha256 {
      parts.append("\(label) SHA-256 \(file.sha256), manifest \(entry.sha256)")
    }
    return parts.isEmpty ? nil : parts.joined(separator: "; ")
  }
}
