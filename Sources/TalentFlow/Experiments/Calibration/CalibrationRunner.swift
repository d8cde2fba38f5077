import Foundation
import Synchronization

/// How far a calibration has got, for a progress line.
public struct CalibrationProgress: Sendable {
  /// Evaluations done (found on resume included).
  public var evaluations: Int
  /// The most there can be: the budget, the estimate and the Jacobian's 2k.
  public var budget: Int
  public var phase: CalibrationPhase
  /// The lowest objective so far.
  public var best: Double
  public var seconds: Double
}

/// What a calibration did.
public struct CalibrationOutcome: Sendable {
  public var folder: URL
  /// What the estimation found; nil when the folder already held the finished calibration.
  public var result: CalibrationSearch.Result?
  /// Evaluations simulated by this process (the others were found in the folder).
  public var simulated: Int
  public var alreadyComplete: Bool
  public var files: [OutputFile]
  public var wallSeconds: Double
}

/// Runs a calibration into a folder that can be resumed after any interruption.
///
/// While it works the folder holds `results/`: `calibration.json` (the plan and its
/// fingerprint) and one `e<n>.txt` per finished evaluation (its θ and every run's measures, as
/// exact bit patterns), each written under a hidden name and renamed into place when complete.
/// The estimation (`CalibrationSearch`) is a deterministic function of the evaluations, so
/// `--resume` replays it from the start and simulates only the evaluations not on disk; an
/// evaluation found there must have the θ the replay proposes, bit for bit. At the end the
/// folder gets calibrated.json, parameters.csv, fit.csv, trace.csv, jacobian.csv and
/// manifest.json (last), and `results/` is deleted.
public enum CalibrationRunner {
  public static func run(
    plan: CalibrationPlan, folder: URL, workers: Int, resume: Bool,
    progress: ((CalibrationProgress) -> Void)? = nil
  ) throws -> CalibrationOutcome {
    try run(
      plan: plan, folder: folder, workers: workers, resume: resume, progress: progress,
      stopAfter: nil)
  }

  /// `run`, stopping with an error once `stopAfter` evaluations have been simulated and saved:
  /// the interruption the resume tests need.
  static func run(
    plan: CalibrationPlan, folder: URL, workers: Int, resume: Bool,
    progress: ((CalibrationProgress) -> Void)?, stopAfter: Int?
  ) throws -> CalibrationOutcome {
    let started = Date()
    let folder = folder.standardizedFileURL
    let fingerprint = plan.fingerprint
    let results = folder.appendingPathComponent("results")
    if try finished(folder: folder, fingerprint: fingerprint, resume: resume) {
      return CalibrationOutcome(
        folder: folder, result: nil, simulated: 0, alreadyComplete: true, files: [],
        wallSeconds: 0)
    }
    try SweepFiles.makeFolder(results)
    let lock = try SweepLock(folder: results)
    defer { lock.release() }
    let identity = results.appendingPathComponent("calibration.json")
    if FileSystem.exists(identity) {
      let found = try SweepFiles.readJSON(identity)["calibrationSHA256"]?.stringValue ?? "?"
      guard found == fingerprint else {
        throw SweepError(
          .badInput,
          "\(folder.path) holds an unfinished calibration of another specification "
            + "(calibration SHA-256 \(found.prefix(12))…, this one \(fingerprint.prefix(12))…): "
            + "the specification, its base, its scenarios or the --set options changed; resume "
            + "with the same ones, or choose another --out")
      }
    } else {
      let json = JSONValue.object([
        ("calibrationSHA256", .string(fingerprint)), ("plan", plan.json),
      ])
      try SweepFiles.writeAtomically(Array((json.serialized(pretty: true) + "\n").utf8), to: identity)
    }
    for name in ["manifest.json"] + CalibrationOutputs.tableNames {
      try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
    }
    for place in [folder, results] {
      for name in SweepFiles.names(in: place) where SweepFiles.isLeftover(name) {
        try? FileManager.default.removeItem(at: place.appendingPathComponent(name))
      }
    }

    let search = CalibrationSearch(
      box: plan.box, optimizer: plan.specification.optimizer, targets: plan.momentTargets,
      holdouts: plan.holdoutTargets, replicates: plan.seeds.count,
      jacobianStep: plan.specification.jacobianStep)
    let budget =
      plan.specification.optimizer.evaluations + 1 + 2 * plan.parameters.count
    let simulated = Counter()
    let result = try search.run(
      evaluate: { points, phase, first in
        try evaluate(
          points, phase: phase, firstIndex: first, plan: plan, results: results,
          workers: workers, simulated: simulated, stopAfter: stopAfter)
      },
      progress: { trace in
        guard let last = trace.last else { return }
        progress?(
          CalibrationProgress(
            evaluations: trace.count, budget: budget, phase: last.phase,
            best: trace.map { NelderMead.compared($0.objective) }.min() ?? .infinity,
            seconds: Date().timeIntervalSince(started)))
      })
    let files = try CalibrationOutputs.write(result, plan: plan, into: folder)
    try? FileManager.default.removeItem(at: results)
    return CalibrationOutcome(
      folder: folder, result: result, simulated: simulated.value.load(ordering: .relaxed),
      alreadyComplete: false, files: files, wallSeconds: Date().timeIntervalSince(started))
  }

  /// Checks what is in `folder`: false to go on, true if it holds this calibration finished.
  private static func finished(folder: URL, fingerprint: String, resume: Bool) throws -> Bool {
    let names = SweepFiles.names(in: folder)
    let results = folder.appendingPathComponent("results")
    let onlyStartLeftovers =
      names.allSatisfy { $0 == "results" }
      && SweepFiles.names(in: results).allSatisfy { $0.hasPrefix(".") }
    if names.isEmpty || onlyStartLeftovers { return false }
    guard resume else {
      throw SweepError(
        .cannotCreate,
        "\(folder.path) already holds files; add --resume to continue the calibration in it, or "
          + "choose another --out")
    }
    let manifest = folder.appendingPathComponent("manifest.json")
    if FileSystem.exists(manifest) {
      let json = try SweepFiles.readJSON(manifest)
      let found = json["calibrationSHA256"]?.stringValue ?? "?"
      guard found == fingerprint else {
        throw SweepError(
          .badInput,
          "\(folder.path) holds a finished calibration of another specification (calibration "
            + "SHA-256 \(found.prefix(12))…, this one \(fingerprint.prefix(12))…); choose "
            + "another --out")
      }
      return true
    }
    guard FileSystem.exists(results.appendingPathComponent("calibration.json")) else {
      throw SweepError(
        .badInput,
        "\(folder.path) is not a calibration folder (no results/calibration.json or "
          + "manifest.json); choose another --out")
    }
    return false
  }

  // MARK: Evaluating

  /// The evaluations simulated by this process.
  final class Counter: Sendable {
    let value = Atomic<Int>(0)
  }

  /// One run of an evaluation: a point of the batch, a variant, a replicate.
  private struct Job: Sendable {
    var point: Int
    var variant: Int
    var replicate: Int
  }

  /// What a run gave: the variant's measures, or why it has none.
  private enum JobResult: Sendable {
    case values([Double])
    case failed(String)
  }

  /// Evaluates a batch: evaluations on disk are read, the others simulated on `workers`
  /// threads (every run of every point in one queue) and saved.
  private static func evaluate(
    _ points: [[Double]], phase: CalibrationPhase, firstIndex: Int, plan: CalibrationPlan,
    results: URL, workers: Int, simulated: Counter, stopAfter: Int?
  ) throws -> [PointMoments] {
    let variants = plan.variantsNeeded(holdouts: phase.needsHoldouts)
    let measures = variants.map { plan.measures(variant: $0, holdouts: phase.needsHoldouts) }
    var cached: [[Int: [[Double]]]?] = []
    var failures: [String?] = Array(repeating: nil, count: points.count)
    for (offset, point) in points.enumerated() {
      let url = CalibrationEvaluationFile.url(firstIndex + offset, in: results)
      let file = CalibrationEvaluationFile.read(url)
      if let file, file.point == point, file.variants == variants, file.measures == measures,
        file.values.values.allSatisfy({ $0.count == plan.seeds.count })
      {
        cached.append(file.values)
        failures[offset] = file.failure
      } else {
        cached.append(nil)
      }
    }
    var jobs: [Job] = []
    for p in points.indices where cached[p] == nil {
      for v in variants.indices {
        for r in plan.seeds.indices { jobs.append(Job(point: p, variant: v, replicate: r)) }
      }
    }
    let outcomes = try runJobs(
      jobs, points: points, variants: variants, measures: measures, plan: plan,
      firstIndex: firstIndex, results: results, workers: workers)

    var moments: [PointMoments] = []
    var next = 0
    for p in points.indices {
      var values: [Int: [[Double]]]
      if let known = cached[p] {
        values = known
      } else {
        values = [:]
        var failure: String? = nil
        for (v, variant) in variants.enumerated() {
          var rows: [[Double]] = []
          for _ in plan.seeds.indices {
            switch outcomes[next] {
            case .values(let row): rows.append(row)
            case .failed(let why):
              rows.append(Array(repeating: .nan, count: measures[v].count))
              if failure == nil { failure = why }
            }
            next += 1
          }
          values[variant] = rows
        }
        failures[p] = failure
        try CalibrationEvaluationFile(
          point: points[p], variants: variants, measures: measures, values: values,
          failure: failure
        ).write(to: CalibrationEvaluationFile.url(firstIndex + p, in: results))
        let count = simulated.value.wrappingAdd(1, ordering: .relaxed).newValue
        if let stopAfter, count >= stopAfter {
          throw SweepError(.failure, "stopped after \(count) evaluations, as asked")
        }
      }
      moments.append(
        pointMoments(
          values, variants: variants, measures: measures, plan: plan, phase: phase,
          failure: failures[p]))
    }
    return moments
  }

  /// The moments of one point from its runs' measures.
  private static func pointMoments(
    _ values: [Int: [[Double]]], variants: [Int], measures: [[String]], plan: CalibrationPlan,
    phase: CalibrationPhase, failure: String?
  ) -> PointMoments {
    var targetRows: [[Double]] = []
    var holdoutRows: [[Double]] = []
    for r in plan.seeds.indices {
      var measured: [Int: [String: Double]] = [:]
      for (v, variant) in variants.enumerated() {
        guard let row = values[variant]?[r] else { continue }
        measured[variant] = Dictionary(uniqueKeysWithValues: zip(measures[v], row))
      }
      targetRows.append(plan.moments(plan.targets, variants: plan.targetVariants, measured: measured))
      if phase.needsHoldouts {
        holdoutRows.append(
          plan.moments(plan.holdouts, variants: plan.holdoutVariants, measured: measured))
      }
    }
    return PointMoments(
      targets: targetRows,
      holdouts: phase.needsHoldouts && !plan.holdouts.isEmpty ? holdoutRows : nil,
      failure: failure)
  }

  /// Runs `jobs` on `workers` threads; results come back in job order.
  private static func runJobs(
    _ jobs: [Job], points: [[Double]], variants: [Int], measures: [[String]],
    plan: CalibrationPlan, firstIndex: Int, results: URL, workers: Int
  ) throws -> [JobResult] {
    guard !jobs.isEmpty else { return [] }
    let next = Atomic<Int>(0)
    let outcomes = Mutex<[JobResult?]>(Array(repeating: nil, count: jobs.count))
    let problem = Mutex<SweepError?>(nil)
    let group = DispatchGroup()
    for _ in 0..<max(1, min(workers, jobs.count)) {
      group.enter()
      let thread = Thread {
        defer { group.leave() }
        while problem.withLock({ $0 == nil }) {
          let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
          if k >= jobs.count { break }
          let job = jobs[k]
          do throws(SweepError) {
            let result = try runJob(
              job, point: points[job.point], variant: variants[job.variant],
              measures: measures[job.variant], plan: plan)
            outcomes.withLock { $0[k] = result }
          } catch {
            problem.withLock { if $0 == nil { $0 = error } }
          }
        }
      }
      thread.stackSize = 16 << 20
      thread.start()
    }
    group.wait()
    if let error = problem.withLock({ $0 }) {
      throw SweepError(
        error.kind,
        "\(error.message)\nFinished evaluations are kept; run the same command with --resume "
          + "to continue.")
    }
    return outcomes.withLock { $0.map { $0 ?? .failed("not run") } }
  }

  /// One run: the variant's configuration at θ with the replicate's seed, simulated and measured.
  private static func runJob(
    _ job: Job, point: [Double], variant: Int, measures: [String], plan: CalibrationPlan
  ) throws(SweepError) -> JobResult {
    var config: Configuration
    do {
      config = try plan.configuration(
        variant: variant, point: point, seed: plan.seeds[job.replicate])
    } catch {
      return .failed("\(plan.variants[variant].label): \(error.description)")
    }
    config = SimulatedMeasures.withOutputs(SimulatedMeasures.neededFiles(measures), config)
    switch try SimulatedMeasures.measure(config, measures: measures) {
    case .measured(let values): return .values(values)
    case .stopped(let error):
      return .failed(
        "\(plan.variants[variant].label), seed \(plan.seeds[job.replicate]): \(error.description)")
    }
  }
}

/// One finished evaluation on disk (`results/e<n>.txt`), so `--resume` need not simulate it
/// again: its θ, the variants and measures it computed, and every run's values, each number as
/// the 16 hexadecimal digits of its bit pattern so that it reads back exactly.
///
///     talentflow-calibration-evaluation 1
///     point 3fb999999999999a 3fe0000000000000
///     variant 0 move_rate_monthly,unemployment_rate
///     run 0 0 3f947ae147ae147b 3fa999999999999a
///     failure <message>            (only if a run failed)
struct CalibrationEvaluationFile {
  var point: [Double]
  var variants: [Int]
  var measures: [[String]]
  /// By variant: one row per replicate.
  var values: [Int: [[Double]]]
  var failure: String?

  static let header = "talentflow-calibration-evaluation 1"

  static func url(_ index: Int, in results: URL) -> URL {
    results.appendingPathComponent("e\(index).txt")
  }

  func write(to url: URL) throws(SweepError) {
    func hex(_ x: Double) -> String {
      let s = String(x.bitPattern, radix: 16)
      return String(repeating: "0", count: 16 - s.count) + s
    }
    var lines = [Self.header, "point " + point.map(hex).joined(separator: " ")]
    for (v, variant) in variants.enumerated() {
      lines.append("variant \(variant) " + measures[v].joined(separator: ","))
    }
    for variant in variants {
      for (r, row) in (values[variant] ?? []).enumerated() {
        lines.append("run \(variant) \(r) " + row.map(hex).joined(separator: " "))
      }
    }
    if let failure {
      lines.append("failure " + failure.replacingOccurrences(of: "\n", with: " "))
    }
    try SweepFiles.writeAtomically(Array((lines.joined(separator: "\n") + "\n").utf8), to: url)
  }

  /// The file at `url`, or nil if there is none or it does not parse (then it is redone).
  static func read(_ url: URL) -> CalibrationEvaluationFile? {
    guard let bytes = try? FileSystem.read(url) else { return nil }
    let lines = String(decoding: bytes, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    guard lines.count >= 3, lines.first == Substring(header), lines.last == "" else { return nil }
    func number(_ word: Substring) -> Double? {
      guard word.count == 16, let bits = UInt64(word, radix: 16) else { return nil }
      return Double(bitPattern: bits)
    }
    var file = CalibrationEvaluationFile(
      point: [], variants: [], measures: [], values: [:], failure: nil)
    for line in lines.dropFirst().dropLast() {
      let words = line.split(separator: " ", omittingEmptySubsequences: false)
      switch words.first {
      case "point":
        let xs = words.dropFirst().compactMap(number)
        guard xs.count == words.count - 1 else { return nil }
        file.point = xs
      case "variant":
        guard words.count == 3, let v = Int(words[1]) else { return nil }
        file.variants.append(v)
        file.measures.append(words[2].split(separator: ",").map(String.init))
      case "run":
        guard words.count >= 3, let v = Int(words[1]), let r = Int(words[2]),
          file.values[v, default: []].count == r
        else { return nil }
        let xs = words.dropFirst(3).compactMap(number)
        guard xs.count == words.count - 3 else { return nil }
        file.values[v, default: []].append(xs)
      case "failure":
        file.failure = String(line.dropFirst("failure ".count))
      default:
        return nil
      }
    }
    for (v, variant) in file.variants.enumerated() {
      guard let rows = file.values[variant], rows.allSatisfy({ $0.count == file.measures[v].count })
      else { return nil }
    }
    return file
  }
}
