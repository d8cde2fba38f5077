import Foundation
import Testing

@testable import TalentFlow

/// Runs `talentflow` in the package root, so that `configs/…` paths resolve.
private func talentflow(_ arguments: [String]) throws -> ProcessOutcome {
  try TalentflowProcess.run(arguments, in: TalentflowProcess.packageRoot)
}

/// Overrides that make any scenario quick.
private let small = [
  "--set", "population.size=1000", "--set", "firms.startups=40", "--set", "time.warmup=6",
]

@Suite("talentflow run, validate, config and compare on scenarios", .serialized)
struct CompareCommandTests {
  @Test func runAcceptsAScenario() throws {
    let folder = try TestFolder.make("compare-cli")
    defer { TestFolder.remove(folder) }
    let out = folder.appendingPathComponent("layoffs")
    let result = try talentflow(
      [
        "run", "configs/scenarios/bigtech-layoffs.json", "--ticks", "13", "--out", out.path,
        "--quiet",
      ]
        + small)
    #expect(result.status == 0, "\(result.stderr)")
    let text = try String(contentsOf: out.appendingPathComponent("timeseries.csv"), encoding: .utf8)
    let lines = text.split(separator: "\n")
    let header = lines[0].split(separator: ",").map(String.init)
    let column = try #require(header.firstIndex(of: "layoffs_bigtech"))
    let tick12 = lines[13].split(separator: ",")
    #expect(tick12[0] == "12")
    #expect((Int(tick12[column]) ?? 0) > 0)
    let manifest = try Configuration.readJSON(
      file: out.appendingPathComponent("manifest.json").path)
    #expect(manifest["configuration"]?["name"]?.stringValue == "bigtech-layoffs")
    #expect(manifest["configuration"]?["events"]?.arrayValue?.count == 2)
  }

  @Test func validateAndConfigAcceptScenariosAndReportTheirErrors() throws {
    let ok = try talentflow(["validate", "configs/scenarios/noncompete-ban.json"])
    #expect(ok.status == 0)
    #expect(ok.stdout == "configs/scenarios/noncompete-ban.json: ok\n")

    let config = try talentflow(["config", "configs/scenarios/noncompete-ban.json"])
    #expect(config.status == 0)
    let json = try JSONParser.parse(config.stdout)
    #expect(json["policy"]?["nonCompete"] == .number(0.3))
    #expect(json["events"]?.arrayValue?.first?["tick"] == .number(24))
    #expect(json["extends"] == nil)

    let folder = try TestFolder.make("compare-cli")
    defer { TestFolder.remove(folder) }
    let bad = folder.appendingPathComponent("bad.json")
    try Data(#"{"extends": "bad.json"}"#.utf8).write(to: bad)
    let failed = try talentflow(["validate", bad.path])
    #expect(failed.status == 65)
    #expect(failed.stderr == "\(bad.path): extends makes a cycle: \(bad.path) → \(bad.path)\n")
  }

  @Test func compareWritesTheSameFilesWhateverTheWorkers() throws {
    let folder = try TestFolder.make("compare-cli")
    defer { TestFolder.remove(folder) }
    var outputs: [URL] = []
    for workers in [1, 2] {
      let out = folder.appendingPathComponent("workers\(workers)")
      let result = try talentflow(
        [
          "compare", "configs/scenarios/baseline.json", "configs/scenarios/compute-subsidy.json",
          "--replicates", "3", "--seed", "4", "--ticks", "30", "--workers", "\(workers)",
          "--out", out.path,
        ] + small)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(
        result.stdout.contains(
          "compute-subsidy (policy) − baseline (base): 3 paired replicates, seeds 4…6, 30 ticks"))
      #expect(result.stdout.contains("startup_share_final"))
      #expect(result.stdout.contains("Common random numbers: the paired intervals are"))
      outputs.append(out)
    }
    for name in Comparison.outputNames {
      let one = try Data(contentsOf: outputs[0].appendingPathComponent(name))
      let two = try Data(contentsOf: outputs[1].appendingPathComponent(name))
      #expect(one == two, "\(name) differs between --workers 1 and 2")
    }
    // The manifests differ only in what no checksum covers.
    var manifests: [JSONValue] = []
    for out in outputs {
      let manifest = try Configuration.readJSON(
        file: out.appendingPathComponent("manifest.json").path)
      guard case .object(let members) = manifest else { continue }
      manifests.append(.object(members.filter { $0.key != "run" }))
      // Every file's checksum is right.
      for file in manifest["files"]?.arrayValue ?? [] {
        let name = file["name"]?.stringValue ?? ""
        let digest = try SHA256.hexDigest(ofFile: out.appendingPathComponent(name))
        #expect(file["sha256"]?.stringValue == digest, "\(name)")
      }
      #expect(manifest["seeds"] == .array([.number(4), .number(5), .number(6)]))
      #expect(
        manifest["policy"]?["extends"] == .array([.string("configs/scenarios/baseline.json")]))
      #expect(
        manifest["policy"]?["configuration"]?["events"]?.arrayValue?.first?["path"]
          == .string("policy.computeSubsidy"))
    }
    #expect(manifests.count == 2 && manifests[0] == manifests[1])

    // replicates.csv holds the numbers `talentflow measures` gives for the same run as a
    // folder: the policy on seed 5 here.
    let single = folder.appendingPathComponent("single")
    let run = try talentflow(
      [
        "run", "configs/scenarios/compute-subsidy.json", "--seed", "5", "--ticks", "30",
        "--out", single.path, "--quiet",
      ] + small)
    #expect(run.status == 0, "\(run.stderr)")
    let measured = try talentflow(["measures", single.path, "--csv"])
    #expect(measured.status == 0, "\(measured.stderr)")
    var printed: [String: String] = [:]
    for row in measured.stdout.split(separator: "\n").dropFirst() {
      let cells = row.split(separator: ",", omittingEmptySubsequences: false)
      printed[String(cells[0])] = String(cells[1])
    }
    let replicates = try String(
      contentsOf: outputs[0].appendingPathComponent("replicates.csv"), encoding: .utf8
    ).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    #expect(replicates[0].map(String.init) == ["seed", "scenario"] + RunMeasures.headlineNames)
    let row = try #require(replicates.first { $0.prefix(2) == ["5", "policy"] })
    for (k, name) in RunMeasures.headlineNames.enumerated() {
      #expect(String(row[2 + k]) == printed[name], "\(name)")
    }

    // difference.csv is tidy: one row per recorded tick 0…30 and column, and no difference
    // before the policy's tick 24.
    let text = try String(
      contentsOf: outputs[0].appendingPathComponent("difference.csv"), encoding: .utf8)
    let lines = text.split(separator: "\n")
    #expect(lines[0] == "tick,column,mean_difference,ci_low,ci_high,replicates")
    #expect(lines.count == 1 + 31 * Comparison.differenceColumns.count)
    for line in lines.dropFirst() {
      let fields = line.split(separator: ",")
      if let tick = Int(fields[0]), tick < 24 {
        #expect(fields[2] == "0" && fields[3] == "0" && fields[4] == "0", "\(line)")
      }
    }
  }

  @Test func compareRefusesBadCommandLines() throws {
    let one = try talentflow(["compare", "configs/scenarios/baseline.json"])
    #expect(one.status == 64)
    #expect(one.stderr.contains("expected two scenario files, BASE and POLICY, got 1"))
    let replicates = try talentflow(
      [
        "compare", "configs/scenarios/baseline.json", "configs/scenarios/ai-boom.json",
        "--replicates", "1",
      ])
    #expect(replicates.status == 64)
    #expect(
      replicates.stderr.contains("--replicates must be an integer between 2 and 100000, got 1"))
    let folder = try TestFolder.make("compare-cli")
    defer { TestFolder.remove(folder) }
    let clash = try talentflow(
      [
        "compare", "configs/scenarios/baseline.json", "configs/scenarios/ai-boom.json",
        "--out", folder.path,
      ])
    #expect(clash.status == 73)
    #expect(clash.stderr.contains("already exists; use --force"))
    let badFile = try talentflow(
      ["compare", "configs/scenarios/baseline.json", folder.appendingPathComponent("x.json").path])
    #expect(badFile.status == 65)
  }
}
