import Foundation
import Testing

@testable import TalentFlow

private func text(at url: URL) -> String? {
  (try? Data(contentsOf: url)).map { String(decoding: $0, as: UTF8.self) }
}

@Suite("Run folders")
struct RunFolderTests {
  @Test func commitPutsFilesInPlace() throws {
    let parent = try TestFolder.make("runfolder")
    defer { TestFolder.remove(parent) }
    let destination = parent.appendingPathComponent("nested/run-seed1", isDirectory: true)

    let run = try RunFolder(destination: destination, force: false)
    #expect(run.workingURL.deletingLastPathComponent().path == destination
      .deletingLastPathComponent().path)
    #expect(run.workingURL.lastPathComponent.hasPrefix(".run-seed1.partial-"))
    try FileSystem.writeAtomically(Array("a,b\n".utf8), to: run.url(for: "agents.csv"))
    try Data("{}".utf8).write(to: run.url(for: "manifest.json"))
    #expect(!FileManager.default.fileExists(atPath: destination.path))

    try run.commit()
    #expect(TestFolder.contents(destination) == ["agents.csv", "manifest.json"])
    #expect(text(at: destination.appendingPathComponent("agents.csv")) == "a,b\n")
    #expect(TestFolder.contents(destination.deletingLastPathComponent()) == ["run-seed1"])
  }

  @Test func existingFolderIsRefusedWithoutForce() throws {
    let parent = try TestFolder.make("runfolder")
    defer { TestFolder.remove(parent) }
    let destination = parent.appendingPathComponent("run")
    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
    try Data("old".utf8).write(to: destination.appendingPathComponent("old.txt"))
    try Data(#"{"tool": "talentflow"}"#.utf8)
      .write(to: destination.appendingPathComponent("manifest.json"))

    #expect(throws: RunFolderError.alreadyExists(path: destination.path)) {
      try RunFolder(destination: destination, force: false)
    }
    let message = RunFolderError.alreadyExists(path: destination.path).description
    #expect(message == "\(destination.path) already exists; use --force to overwrite it")
    #expect(TestFolder.contents(parent) == ["run"])
    #expect(TestFolder.contents(destination) == ["manifest.json", "old.txt"])
  }

  @Test func destinationAppearingBeforeCommitIsRefusedWithoutForce() throws {
    let parent = try TestFolder.make("runfolder")
    defer { TestFolder.remove(parent) }
    let destination = parent.appendingPathComponent("run")
    let run = try RunFolder(destination: destination, force: false)
    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
    #expect(throws: RunFolderError.alreadyExists(path: destination.path)) { try run.commit() }
    run.discard()
    #expect(TestFolder.contents(parent) == ["run"])
  }

  @Test func existingFolderIsReplacedWithForce() throws {
    let parent = try TestFolder.make("runfolder")
    defer { TestFolder.remove(parent) }
    let destination = parent.appendingPathComponent("run")
    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
    try Data("old".utf8).write(to: destination.appendingPathComponent("old.txt"))
    try Data(#"{"tool": "talentflow"}"#.utf8)
      .write(to: destination.appendingPathComponent("manifest.json"))

    let run = try RunFolder(destination: destination, force: true)
    try Data("new".utf8).write(to: run.url(for: "new.txt"))
    // The old run stays in place, untouched, until the commit.
    #expect(TestFolder.contents(destination) == ["manifest.json", "old.txt"])
    try run.commit()
    #expect(TestFolder.contents(destination) == ["new.txt"])
    #expect(text(at: destination.appendingPathComponent("new.txt")) == "new")
    // Neither the working folder nor the set-aside old folder is left behind.
    #expect(TestFolder.contents(parent) == ["run"])
  }

  @Test func discardLeavesNothing() throws {
    let parent = try TestFolder.make("runfolder")
    defer { TestFolder.remove(parent) }
    let destination = parent.appendingPathComponent("run")
    let run = try RunFolder(destination: destination, force: false)
    try Data("partial".utf8).write(to: run.url(for: "agents.csv"))
    run.discard()
    #expect(TestFolder.contents(parent).isEmpty)
    #expect(throws: RunFolderError.workingFolderMissing(path: run.workingURL.path)) {
      try run.commit()
    }
  }

  @Test func interruptedRunNeverLooksFinished() throws {
    let parent = try TestFolder.make("runfolder")
    defer { TestFolder.remove(parent) }
    let destination = parent.appendingPathComponent("run")

    // A run that writes files and then "dies" before committing.
    do {
      let run = try RunFolder(destination: destination, force: false)
      try Data("half".utf8).write(to: run.url(for: "agents.csv"))
    }
    #expect(!FileManager.default.fileExists(atPath: destination.path))
    let leftovers = TestFolder.contents(parent)
    #expect(leftovers.count == 1)
    #expect(leftovers.allSatisfy { $0.hasPrefix(".run.partial-") })

    // The next run is not blocked by the leftover and does not pick it up.
    let next = try RunFolder(destination: destination, force: false)
    try Data("full".utf8).write(to: next.url(for: "agents.csv"))
    try next.commit()
    #expect(text(at: destination.appendingPathComponent("agents.csv")) == "full")
  }

  @Test func workingFoldersAreUnique() throws {
    let parent = try TestFolder.make("runfolder")
    defer { TestFolder.remove(parent) }
    let destination = parent.appendingPathComponent("run")
    let first = try RunFolder(destination: destination, force: false)
    let second = try RunFolder(destination: destination, force: false)
    #expect(first.workingURL != second.workingURL)
    first.discard()
    second.discard()
  }

  @Test func writeAtomicallyReplacesFiles() throws {
    let parent = try TestFolder.make("runfolder")
    defer { TestFolder.remove(parent) }
    let file = parent.appendingPathComponent("manifest.json")
    try FileSystem.writeAtomically(Array("one".utf8), to: file)
    #expect(text(at: file) == "one")
    try FileSystem.writeAtomically(Data("two".utf8), to: file)
    #expect(text(at: file) == "two")
    #expect(TestFolder.contents(parent) == ["manifest.json"])
  }

  @Test func writeAtomicallyIntoMissingFolderThrows() {
    let file = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/manifest.json")
    do {
      try FileSystem.writeAtomically(Array("x".utf8), to: file)
      Issue.record("expected an error")
    } catch {
      #expect(error.description.contains(file.path))
    }
  }
}

/// Something already at an output path, made in a fresh parent folder.
enum ExistingDestination: String, CaseIterable, Sendable {
  case file
  case symbolicLinkToRunFolder
  case unrelatedFolder
  case folderWithForeignManifest
  case folderWithBrokenManifest
  case folderWithManifestFolder
  case emptyFolder
  case runFolder
  case datasetFolder

  /// Whether `--force` may replace it.
  var replaceable: Bool {
    [.emptyFolder, .runFolder, .datasetFolder].contains(self)
  }

  /// What the refusal says it is.
  var described: String? {
    switch self {
    case .file: return "a file, not a run folder"
    case .symbolicLinkToRunFolder: return "a symbolic link, not a run folder"
    case .unrelatedFolder, .folderWithForeignManifest, .folderWithBrokenManifest,
      .folderWithManifestFolder:
      return
        "a folder TalentFlow did not write (not empty, and no TalentFlow manifest.json in it)"
    case .emptyFolder, .runFolder, .datasetFolder: return nil
    }
  }

  /// Makes it at `parent/out` and returns that URL.
  func make(in parent: URL) throws -> URL {
    let fileManager = FileManager.default
    let out = parent.appendingPathComponent("out")
    func folder(_ files: [String: String]) throws {
      try fileManager.createDirectory(at: out, withIntermediateDirectories: true)
      for (name, text) in files { try Data(text.utf8).write(to: out.appendingPathComponent(name)) }
    }
    switch self {
    case .file: try Data("precious\n".utf8).write(to: out)
    case .symbolicLinkToRunFolder:
      let target = parent.appendingPathComponent("target")
      try fileManager.createDirectory(at: target, withIntermediateDirectories: true)
      try Data(#"{"tool": "talentflow"}"#.utf8)
        .write(to: target.appendingPathComponent("manifest.json"))
      try fileManager.createSymbolicLink(at: out, withDestinationURL: target)
    case .unrelatedFolder: try folder(["keep.txt": "precious\n"])
    case .folderWithForeignManifest:
      try folder(["manifest.json": #"{"tool": "npm"}"#, "keep.txt": "precious\n"])
    case .folderWithBrokenManifest: try folder(["manifest.json": "{ not json"])
    case .folderWithManifestFolder:
      try folder(["keep.txt": "precious\n"])
      try fileManager.createDirectory(
        at: out.appendingPathComponent("manifest.json"), withIntermediateDirectories: true)
    case .emptyFolder: try folder([:])
    case .runFolder:
      try folder(["manifest.json": #"{"tool": "talentflow"}"#, "timeseries.csv": "tick\n"])
    case .datasetFolder:
      try folder([
        "datapackage.json": #"{"profile": "tabular-data-package", "talentflow": {}}"#,
        "README.md": "# old\n",
      ])
    }
    return out
  }
}

@Suite("Run folders: what --force may replace")
struct RunFolderForceTests {
  /// Every file and folder under `url` with its contents, to show nothing changed.
  static func snapshot(_ url: URL) -> [String: Data] {
    var found: [String: Data] = [:]
    let fileManager = FileManager.default
    guard let walker = fileManager.enumerator(atPath: url.path) else { return found }
    for case let name as String in walker {
      let path = url.appendingPathComponent(name).path
      found[name] = fileManager.contents(atPath: path) ?? Data("<folder or link>".utf8)
    }
    return found
  }

  @Test(
    "force replaces only an empty folder or one TalentFlow wrote",
    arguments: ExistingDestination.allCases)
  func forceReplacesOnlyRunFolders(_ existing: ExistingDestination) throws {
    let parent = try TestFolder.make("runfolder")
    defer { TestFolder.remove(parent) }
    let out = try existing.make(in: parent)
    let before = Self.snapshot(parent)
    #expect(RunFolder.whyNotReplaceable(out) == existing.described)

    guard existing.replaceable else {
      let error = RunFolderError.notReplaceable(path: out.path, what: existing.described ?? "")
      for force in [false, true] {
        #expect(throws: error) { try RunFolder(destination: out, force: force) }
      }
      #expect(Self.snapshot(parent) == before, "nothing changed, no working folder left")
      return
    }
    let run = try RunFolder(destination: out, force: true)
    try Data("new".utf8).write(to: run.url(for: "new.txt"))
    try run.commit()
    #expect(TestFolder.contents(out) == ["new.txt"])
    #expect(TestFolder.contents(parent) == ["out"])
  }

  @Test func aFolderThatTurnsUnrelatedBeforeTheCommitIsKept() throws {
    let parent = try TestFolder.make("runfolder")
    defer { TestFolder.remove(parent) }
    let out = parent.appendingPathComponent("out")
    let run = try RunFolder(destination: out, force: true)
    try Data("new".utf8).write(to: run.url(for: "new.txt"))
    _ = try ExistingDestination.unrelatedFolder.make(in: parent)
    #expect(throws: RunFolderError.self) { try run.commit() }
    run.discard()
    #expect(TestFolder.contents(out) == ["keep.txt"])
    #expect(TestFolder.contents(parent) == ["out"])
  }

  @Test func theRootTheHomeFolderAndAncestorsOfTheCurrentDirectoryAreNeverReplaceable() {
    let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    #expect(RunFolder.whyNotReplaceable(here) == "the current directory")
    #expect(RunFolder.whyNotReplaceable(URL(fileURLWithPath: ".")) == "the current directory")
    #expect(RunFolder.whyNotReplaceable(here.appendingPathComponent("x/../.")) != nil)
    if here.path != "/" {
      #expect(RunFolder.whyNotReplaceable(URL(fileURLWithPath: "/")) == "the root folder")
      #expect(RunFolder.whyNotReplaceable(URL(fileURLWithPath: "..")) != nil)
    }
    #expect(RunFolder.whyNotReplaceable(URL(fileURLWithPath: NSHomeDirectory())) != nil)
  }

  @Test func datasetsRefuseAnUnrelatedFolderBeforeRunning() throws {
    let parent = try TestFolder.make("runfolder")
    defer { TestFolder.remove(parent) }
    let (folder, file) = try DatasetTests.tinySpecification()
    defer { TestFolder.remove(folder) }
    let spec = try DatasetSpecification.load(file: file)
    let out = try ExistingDestination.unrelatedFolder.make(in: parent)
    nonisolated(unsafe) var runs = 0
    #expect(throws: RunFolderError.self) {
      try Dataset.build(
        spec, destination: out, workers: 1, force: true, progress: { _, _ in runs += 1 })
    }
    #expect(runs == 0, "refused before any run")
    #expect(TestFolder.contents(out) == ["keep.txt"])
  }
}
