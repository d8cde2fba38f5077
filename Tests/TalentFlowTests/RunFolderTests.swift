import Foundation
import Testing

@testable import TalentFlow

/// A fresh temporary parent folder for one test.
private func makeParent() throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("runfolder-test-\(UUID().uuidString)", isDirectory: true)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

private func contents(of directory: URL) -> [String] {
  ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
}

private func text(at url: URL) -> String? {
  (try? Data(contentsOf: url)).map { String(decoding: $0, as: UTF8.self) }
}

@Suite("Run folders")
struct RunFolderTests {
  @Test func commitPutsFilesInPlace() throws {
    let parent = try makeParent()
    defer { try? FileManager.default.removeItem(at: parent) }
    let destination = parent.appendingPathComponent("nested/run-seed1", isDirectory: true)

    let run = try RunFolder(destination: destination, force: false)
    #expect(run.workingURL.deletingLastPathComponent().path == destination
      .deletingLastPathComponent().path)
    #expect(run.workingURL.lastPathComponent.hasPrefix(".run-seed1.partial-"))
    try RunFolder.writeAtomically(Array("a,b\n".utf8), to: run.url(for: "agents.csv"))
    try Data("{}".utf8).write(to: run.url(for: "manifest.json"))
    #expect(!FileManager.default.fileExists(atPath: destination.path))

    try run.commit()
    #expect(contents(of: destination) == ["agents.csv", "manifest.json"])
    #expect(text(at: destination.appendingPathComponent("agents.csv")) == "a,b\n")
    #expect(contents(of: destination.deletingLastPathComponent()) == ["run-seed1"])
  }

  @Test func existingFolderIsRefusedWithoutForce() throws {
    let parent = try makeParent()
    defer { try? FileManager.default.removeItem(at: parent) }
    let destination = parent.appendingPathComponent("run")
    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
    try Data("old".utf8).write(to: destination.appendingPathComponent("old.txt"))

    #expect(throws: RunFolderError.alreadyExists(path: destination.path)) {
      try RunFolder(destination: destination, force: false)
    }
    let message = RunFolderError.alreadyExists(path: destination.path).description
    #expect(message == "\(destination.path) already exists; use --force to overwrite it")
    #expect(contents(of: parent) == ["run"])
    #expect(contents(of: destination) == ["old.txt"])
  }

  @Test func destinationAppearingBeforeCommitIsRefusedWithoutForce() throws {
    let parent = try makeParent()
    defer { try? FileManager.default.removeItem(at: parent) }
    let destination = parent.appendingPathComponent("run")
    let run = try RunFolder(destination: destination, force: false)
    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
    #expect(throws: RunFolderError.alreadyExists(path: destination.path)) { try run.commit() }
    run.discard()
    #expect(contents(of: parent) == ["run"])
  }

  @Test func existingFolderIsReplacedWithForce() throws {
    let parent = try makeParent()
    defer { try? FileManager.default.removeItem(at: parent) }
    let destination = parent.appendingPathComponent("run")
    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
    try Data("old".utf8).write(to: destination.appendingPathComponent("old.txt"))

    let run = try RunFolder(destination: destination, force: true)
    try Data("new".utf8).write(to: run.url(for: "new.txt"))
    // The old run stays in place, untouched, until the commit.
    #expect(contents(of: destination) == ["old.txt"])
    try run.commit()
    #expect(contents(of: destination) == ["new.txt"])
    #expect(text(at: destination.appendingPathComponent("new.txt")) == "new")
    // Neither the working folder nor the set-aside old folder is left behind.
    #expect(contents(of: parent) == ["run"])
  }

  @Test func discardLeavesNothing() throws {
    let parent = try makeParent()
    defer { try? FileManager.default.removeItem(at: parent) }
    let destination = parent.appendingPathComponent("run")
    let run = try RunFolder(destination: destination, force: false)
    try Data("partial".utf8).write(to: run.url(for: "agents.csv"))
    run.discard()
    #expect(contents(of: parent).isEmpty)
    #expect(throws: RunFolderError.workingFolderMissing(path: run.workingURL.path)) {
      try run.commit()
    }
  }

  @Test func interruptedRunNeverLooksFinished() throws {
    let parent = try makeParent()
    defer { try? FileManager.default.removeItem(at: parent) }
    let destination = parent.appendingPathComponent("run")

    // A run that writes files and then "dies" before committing.
    do {
      let run = try RunFolder(destination: destination, force: false)
      try Data("half".utf8).write(to: run.url(for: "agents.csv"))
    }
    #expect(!FileManager.default.fileExists(atPath: destination.path))
    let leftovers = contents(of: parent)
    #expect(leftovers.count == 1)
    #expect(leftovers.allSatisfy { $0.hasPrefix(".run.partial-") })

    // The next run is not blocked by the leftover and does not pick it up.
    let next = try RunFolder(destination: destination, force: false)
    try Data("full".utf8).write(to: next.url(for: "agents.csv"))
    try next.commit()
    #expect(text(at: destination.appendingPathComponent("agents.csv")) == "full")
  }

  @Test func workingFoldersAreUnique() throws {
    let parent = try makeParent()
    defer { try? FileManager.default.removeItem(at: parent) }
    let destination = parent.appendingPathComponent("run")
    let first = try RunFolder(destination: destination, force: false)
    let second = try RunFolder(destination: destination, force: false)
    #expect(first.workingURL != second.workingURL)
    first.discard()
    second.discard()
  }

  @Test func writeAtomicallyReplacesFiles() throws {
    let parent = try makeParent()
    defer { try? FileManager.default.removeItem(at: parent) }
    let file = parent.appendingPathComponent("manifest.json")
    try RunFolder.writeAtomically(Array("one".utf8), to: file)
    #expect(text(at: file) == "one")
    try RunFolder.writeAtomically(Data("two".utf8), to: file)
    #expect(text(at: file) == "two")
    #expect(contents(of: parent) == ["manifest.json"])
  }

  @Test func writeAtomicallyIntoMissingFolderThrows() {
    let file = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/manifest.json")
    do {
      try RunFolder.writeAtomically(Array("x".utf8), to: file)
      Issue.record("expected an error")
    } catch {
      #expect(error.description.contains(file.path))
    }
  }
}
