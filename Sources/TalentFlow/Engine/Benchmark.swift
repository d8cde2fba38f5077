import Foundation

/// The library half of `talentflow bench`: the scaled baseline and one measured run of it.
///
/// A measured run is an ordinary `Runner.run` (initialisation, warm-up, every recorded tick and
/// the standard outputs written to a temporary folder) with a `RunProfile` attached, so what is
/// timed is exactly what a user's run does.
public enum Benchmark {
  /// Big-tech firms in every benchmark configuration (the baseline's number).
  public static let bigTechFirms = 10
  /// Professionals per initial startup: the baseline's 10,000 / 400.
  public static let professionalsPerStartup = 25

  /// The baseline with `professionals` professionals, one startup per 25 of them, 10 big-tech
  /// firms and `ticks` recorded ticks after the usual warm-up, then `overrides`
  /// (`key.path=value`, as `--set` takes them; e.g. `output.moves=true` to time the move log).
  public static func configuration(
    professionals: Int, ticks: Int, overrides: [String] = []
  ) throws(ConfigurationError) -> Configuration {
    let startups = professionals / professionalsPerStartup
    return try Configuration.load(
      file: nil,
      overrides: [
        "name=bench-\(professionals)", "population.size=\(professionals)",
        "firms.startups=\(startups)", "firms.bigTech=\(bigTechFirms)", "time.ticks=\(ticks)",
      ] + overrides)
  }

  /// What one measured run took.
  public struct Measurement: Sendable, Equatable {
    public var professionals: Int
    public var threads: Int
    /// Warm-up plus recorded ticks.
    public var ticks: Int
    /// The whole run: initialisation, every tick and the outputs.
    public var wallSeconds: Double
    public var initialisationSeconds: Double
    public var outputSeconds: Double
    /// Seconds in each step of the tick, summed over every tick, in `TickStep` order.
    public var stepSeconds: [Double]
    /// Peak resident memory of the measuring process (VmHWM), if the system reports it.
    public var peakResidentBytes: Int?
    /// Processor time (user + system, all threads) of the measuring process: on a shared
    /// machine, what the run cost apart from waiting for a core.
    public var cpuSeconds: Double
    /// `Benchmark.drawFloorSeconds` for the same size, ticks and threads, measured after the
    /// run in the same process; nil if it was not measured.
    public var floorSeconds: Double?

    public init(
      professionals: Int, threads: Int, ticks: Int, wallSeconds: Double,
      initialisationSeconds: Double, outputSeconds: Double, stepSeconds: [Double],
      peakResidentBytes: Int?, cpuSeconds: Double, floorSeconds: Double? = nil
    ) {
      self.professionals = professionals
      self.threads = threads
      self.ticks = ticks
      self.wallSeconds = wallSeconds
      self.initialisationSeconds = initialisationSeconds
      self.outputSeconds = outputSeconds
      self.stepSeconds = stepSeconds
      self.peakResidentBytes = peakResidentBytes
      self.cpuSeconds = cpuSeconds
      self.floorSeconds = floorSeconds
    }

    /// Nominal agent-ticks: professionals × (warm-up + recorded ticks), the peers' measure.
    public var agentTicks: Double { Double(professionals) * Double(ticks) }
    public var agentTicksPerSecond: Double { agentTicks / wallSeconds }
    public var nanosecondsPerAgentTick: Double { wallSeconds * 1e9 / agentTicks }
    /// Peak resident memory divided by the initial population.
    public var bytesPerProfessional: Double? {
      peakResidentBytes.map { Double($0) / Double(professionals) }
    }
    /// The run's wall time as a multiple of the draw floor (`drawFloorSeconds`).
    public var timesFloor: Double? {
      floorSeconds.map { $0 > 0 ? wallSeconds / $0 : .infinity }
    }
    /// Each step's share of the summed step time.
    public var stepShares: [Double] {
      let total = stepSeconds.reduce(0, +)
      return stepSeconds.map { total > 0 ? $0 / total : 0 }
    }

    /// The measurement as one JSON object (how a bench child reports to its parent).
    public var json: JSONValue {
      var members: [(key: String, value: JSONValue)] = [
        ("professionals", .number(Double(professionals))), ("threads", .number(Double(threads))),
        ("ticks", .number(Double(ticks))), ("wallSeconds", .number(wallSeconds)),
        ("initialisationSeconds", .number(initialisationSeconds)),
        ("outputSeconds", .number(outputSeconds)),
        ("stepSeconds", .array(stepSeconds.map { .number($0) })),
        ("cpuSeconds", .number(cpuSeconds)),
      ]
      if let peakResidentBytes {
        members.append(("peakResidentBytes", .number(Double(peakResidentBytes))))
      }
      if let floorSeconds { members.append(("floorSeconds", .number(floorSeconds))) }
      return .object(members)
    }

    /// Reads what `json` wrote; nil if anything is missing.
    public init?(json: JSONValue) {
      guard let professionals = json["professionals"]?.intValue,
        let threads = json["threads"]?.intValue, let ticks = json["ticks"]?.intValue,
        let wall = json["wallSeconds"]?.doubleValue,
        let initialisation = json["initialisationSeconds"]?.doubleValue,
        let output = json["outputSeconds"]?.doubleValue,
        let steps = json["stepSeconds"]?.arrayValue?.compactMap(\.doubleValue),
        steps.count == TickStep.allCases.count, let cpu = json["cpuSeconds"]?.doubleValue
      else { return nil }
      self.init(
        professionals: professionals, threads: threads, ticks: ticks, wallSeconds: wall,
        initialisationSeconds: initialisation, outputSeconds: output, stepSeconds: steps,
        peakResidentBytes: json["peakResidentBytes"]?.intValue, cpuSeconds: cpu,
        floorSeconds: json["floorSeconds"]?.doubleValue)
    }
  }

  /// Runs the scaled baseline once, writing its outputs into a temporary folder that is deleted
  /// afterwards, and returns where the time went.
  ///
  /// Peak memory is the process's high-water mark, so it covers this run only in a fresh
  /// process (`talentflow bench` starts one per measurement).
  public static func measure(
    professionals: Int, ticks: Int, threads: Int, overrides: [String] = []
  ) throws -> Measurement {
    let config = try configuration(professionals: professionals, ticks: ticks, overrides: overrides)
    let parent = FileManager.default.temporaryDirectory.appendingPathComponent(
      "talentflow-bench-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)",
      isDirectory: true)
    defer { try? FileManager.default.removeItem(at: parent) }
    let profile = RunProfile()
    let cpuBefore = processorSeconds()
    _ = try Runner.run(
      config: config, destination: parent.appendingPathComponent("run", isDirectory: true),
      force: false, threads: threads, profile: profile)
    let cpuSeconds = processorSeconds() - cpuBefore
    let peak = peakResidentBytes()
    let allTicks = config.time.warmup + config.time.ticks
    return Measurement(
      professionals: professionals, threads: threads, ticks: allTicks,
      wallSeconds: profile.wallSeconds, initialisationSeconds: profile.initialisationSeconds,
      outputSeconds: profile.outputSeconds,
      stepSeconds: TickStep.allCases.map { profile.steps.seconds($0) },
      peakResidentBytes: peak, cpuSeconds: cpuSeconds,
      floorSeconds: drawFloorSeconds(
        professionals: professionals, ticks: allTicks, threads: threads))
  }

  /// Seconds that only the draws the model requires of every professional in every tick take:
  /// her tick block (one Philox4x32-10 block whose four words decide exit, a founding
  /// opportunity, its non-compete and the number of leads; Model.md, "Randomness and
  /// determinism", model 1.4), computed in batches of `PhiloxBatch.defaultSize` as the model
  /// does, the decisions over its words, and the one logarithm of her current utility that
  /// `mean_utility` needs (MODEL 4.4, 6), for `professionals` professionals over `ticks` ticks,
  /// on `threads` threads.
  ///
  /// No implementation of the model can do less per professional and tick, so this is a floor
  /// for a run's time on this machine: `talentflow bench` reports a run's time as a multiple of
  /// it. The rest of a run (leads, choices, matching, firms, outputs) comes on top.
  public static func drawFloorSeconds(professionals: Int, ticks: Int, threads: Int) -> Double {
    let key = PhiloxKey(seed: 1)
    let parallel = Parallel(threads: threads)
    let start = DispatchTime.now().uptimeNanoseconds
    let warmup = Configuration().time.warmup
    var kept = 0
    for t in 0..<ticks {
      let tick = Int32(t - warmup)
      let counts = parallel.mapChunks(count: professionals) { range -> Int in
        var count = 0
        var sum = 0.0
        var batch = PhiloxBatch()
        let tables = PortableMath.Tables.shared
        var first = range.lowerBound
        while first < range.upperBound {
          let n = min(batch.capacity, range.upperBound - first)
          for i in 0..<n { batch.entity[i] = UInt32(truncatingIfNeeded: first + i) }
          batch.compute(
            count: n, key: key, tick: tick, purpose: DrawPurpose.professionalTick.rawValue,
            draw: 0)
          for i in 0..<n {
            let u = PhiloxBatch.uniform(batch.x[i])
            if u < 0.004 { count += 1 }
            if PhiloxBatch.uniform(batch.y[i]) < 0.001 && PhiloxBatch.uniform(batch.z[i]) < 0.5 {
              count += 1
            }
            if PhiloxBatch.uniform(batch.w[i]) > 0.78 { count += 1 }
            sum += PortableMath.log(20 + u, tables)
          }
          first += n
        }
        return count + (sum > 0 ? 1 : 0)
      }
      kept &+= counts.reduce(0, +)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    // Uses the counts, so that the optimiser cannot drop the loop.
    return kept >= 0 ? seconds : -seconds
  }

  /// User plus system time of this process so far, all threads.
  public static func processorSeconds() -> Double {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
  }

  /// The process's peak resident memory in bytes (VmHWM of /proc/self/status), or nil where
  /// there is no such file.
  public static func peakResidentBytes() -> Int? {
    guard let data = FileManager.default.contents(atPath: "/proc/self/status") else { return nil }
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n")
    where line.hasPrefix("VmHWM:") {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
      return kilobytes * 1024
    }
    return nil
  }
}
