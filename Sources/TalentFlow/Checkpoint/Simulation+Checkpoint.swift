import Foundation

extension Simulation {
  /// Every stored property of `Simulation` and how a checkpoint keeps it.
  ///
  /// `CheckpointTests` compares these names with the stored properties of `Simulation`, so a
  /// property added without a line in `encode(to:)` and `init(decoding:threads:)` fails a test.
  static let checkpointProperties: [(name: String, how: String)] = [
    ("config", "JSON of the live configuration, with the `set` events applied so far"),
    ("initialConfig", "JSON of the configuration the run started from"),
    ("key", "the two Philox key words"),
    ("parallel", "not stored: the thread count is chosen on resume and changes no output"),
    ("tick", "Int64"),
    ("professionals", "scalars, then `Professionals.checkpointArrays`"),
    ("firms", "`Firms.checkpointArrays`"),
    ("lnClimateProcess", "Double"),
    ("fundingClimate", "Double"),
    ("fundingShocks", "(first, last, multiplier) triples"),
    ("flows", "every count of the table"),
    ("moves", "every field of every move"),
    ("startupsBorn", "Int64"),
    ("startupsFailed", "Int64"),
    ("startupsAcquired", "Int64"),
    ("startupsGraduated", "Int64"),
    ("arrivalsStart", "Int64"),
    ("drawBatchSize", "not stored: a speed setting that changes no output (the default on resume)"),
    ("sharesTickBlocks", "not stored: a speed setting that changes no output (the default on resume)"),
    ("carriesSkillSums", "not stored: a speed setting that changes no output (the default on resume)"),
    ("skillSumsAfterUpdates", "not stored: derived from the state; step 3 sums afresh on resume"),
    ("publishedRowsCache", "not stored: memory for the next tick's copy of what firms published"),
  ]

  /// Appends the whole state of the run (everything but the thread count).
  func encode(to writer: inout BinaryWriter) {
    writer.string("simulation")
    writer.integer(key.k0)
    writer.integer(key.k1)
    writer.int(tick)
    writer.string(initialConfig.resolvedJSON().serialized(pretty: false))
    writer.string(config.resolvedJSON().serialized(pretty: false))
    writer.double(lnClimateProcess)
    writer.double(fundingClimate)
    writer.int(fundingShocks.count)
    for shock in fundingShocks {
      writer.int(shock.first)
      writer.int(shock.last)
      writer.double(shock.multiplier)
    }
    writer.int(startupsBorn)
    writer.int(startupsFailed)
    writer.int(startupsAcquired)
    writer.int(startupsGraduated)
    writer.int(arrivalsStart)
    writer.string("flows")
    writer.int(flows.counts.count)
    for from in Sector.allCases {
      for to in Sector.allCases {
        for reason in FlowReason.allCases { writer.int(flows[from, to, reason]) }
      }
    }
    writer.string("moves")
    writer.int(moves.count)
    for move in moves {
      writer.integer(move.professional)
      writer.integer(move.fromFirm)
      writer.integer(move.toFirm)
      writer.integer(UInt8(move.from.rawValue))
      writer.integer(UInt8(move.to.rawValue))
      writer.integer(UInt8(move.reason.rawValue))
    }
    writer.string("professionals")
    writer.int(professionals.goneCount)
    writer.integer(professionals.nextID)
    writeArrays(professionals, Professionals.checkpointArrays, &writer)
    writer.string("firms")
    writeArrays(firms, Firms.checkpointArrays, &writer)
  }

  /// Rebuilds a simulation from what `encode(to:)` wrote, to run on `threads` threads.
  init(decoding reader: inout BinaryReader, threads: Int) throws(CheckpointError) {
    try reader.expect("simulation")
    let k0 = try reader.integer(UInt32.self, "the Philox key")
    let k1 = try reader.integer(UInt32.self, "the Philox key")
    let tick = try reader.int("the tick")
    let initial = try Simulation.configuration(
      try reader.string("the initial configuration"), "the initial configuration", reader)
    let live = try Simulation.configuration(
      try reader.string("the live configuration"), "the live configuration", reader)
    guard PhiloxKey(seed: initial.seed) == PhiloxKey(k0: k0, k1: k1) else {
      throw reader.failure("is corrupted: its Philox key does not derive from its seed")
    }
    self.init(
      restoring: initial, live: live, key: PhiloxKey(k0: k0, k1: k1), tick: tick,
      threads: threads)
    lnClimateProcess = try reader.double("the funding climate process")
    fundingClimate = try reader.double("the funding climate")
    let shockCount = try reader.count("the number of funding shocks", bytesEach: 24)
    for _ in 0..<shockCount {
      let first = try reader.int("a funding shock")
      let last = try reader.int("a funding shock")
      let multiplier = try reader.double("a funding shock")
      fundingShocks.append((first: first, last: last, multiplier: multiplier))
    }
    startupsBorn = try reader.int("startupsBorn")
    startupsFailed = try reader.int("startupsFailed")
    startupsAcquired = try reader.int("startupsAcquired")
    startupsGraduated = try reader.int("startupsGraduated")
    arrivalsStart = try reader.int("arrivalsStart")
    try reader.expect("flows")
    let flowCount = try reader.int("the size of the flow table")
    guard flowCount == flows.counts.count else {
      throw reader.failure(
        "has an unexpected layout: a flow table of \(flowCount) counts, "
          + "expected \(flows.counts.count)"
      )
    }
    for from in Sector.allCases {
      for to in Sector.allCases {
        for reason in FlowReason.allCases { flows[from, to, reason] = try reader.int("a flow") }
      }
    }
    try reader.expect("moves")
    let moveCount = try reader.count("the number of moves", bytesEach: 15)
    moves.reserveCapacity(moveCount)
    for _ in 0..<moveCount {
      let professional = try reader.integer(UInt32.self, "a move")
      let fromFirm = try reader.integer(Int32.self, "a move")
      let toFirm = try reader.integer(Int32.self, "a move")
      guard let from = Sector(rawValue: Int(try reader.integer(UInt8.self, "a move"))),
        let to = Sector(rawValue: Int(try reader.integer(UInt8.self, "a move"))),
        let reason = FlowReason(rawValue: Int(try reader.integer(UInt8.self, "a move")))
      else { throw reader.failure("is corrupted: a move has an unknown sector or reason") }
      moves.append(
        Move(
          professional: professional, fromFirm: fromFirm, toFirm: toFirm, from: from, to: to,
          reason: reason))
    }
    try reader.expect("professionals")
    professionals.goneCount = try reader.int("goneCount")
    professionals.nextID = try reader.integer(UInt32.self, "nextID")
    try readArrays(into: &professionals, Professionals.checkpointArrays, "professionals", &reader)
    try reader.expect("firms")
    try readArrays(into: &firms, Firms.checkpointArrays, "firms", &reader)
    try checkReferences(reader)
  }

  /// A simulation with the given configurations and tick and no professionals or firms yet.
  private init(
    restoring initial: Configuration, live: Configuration, key: PhiloxKey, tick: Int, threads: Int
  ) {
    self.initialConfig = initial
    self.config = live
    self.key = key
    self.parallel = Parallel(threads: threads)
    self.tick = tick
  }

  /// Parses a configuration stored as JSON and checks that it reads back to the same text.
  private static func configuration(_ text: String, _ what: String, _ reader: BinaryReader)
    throws(CheckpointError) -> Configuration
  {
    var config = Configuration()
    do {
      try config.apply(json: try JSONParser.parse(text), source: what)
    } catch let error as ConfigurationError {
      throw reader.failure("holds \(what), which this talentflow refuses: \(error.message)")
    } catch {
      throw reader.failure("holds \(what), which is not valid JSON: \(error)")
    }
    guard config.resolvedJSON().serialized(pretty: false) == text else {
      throw reader.failure("holds \(what), which does not read back to the same values")
    }
    return config
  }

  /// Checks the values used as indices, so that a damaged file cannot crash the engine.
  private func checkReferences(_ reader: BinaryReader) throws(CheckpointError) {
    let firmCount = Int32(clamping: firms.count)
    for p in 0..<professionals.slotCount {
      let e = professionals.employer[p]
      let f = professionals.founded[p]
      guard e >= Professionals.gone, e < firmCount, f >= -1, f < firmCount else {
        throw reader.failure(
          "is corrupted: professional slot \(p) refers to a firm that is not there")
      }
    }
    let gone = professionals.employer.lazy.filter { $0 == Professionals.gone }.count
    guard gone == professionals.goneCount, arrivalsStart >= 0,
      arrivalsStart <= professionals.slotCount
    else {
      throw reader.failure("is corrupted: its professionals' counters disagree with their arrays")
    }
  }
}
