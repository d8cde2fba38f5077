import Foundation

// Checkpoints: the whole state of a run in one versioned binary file.
//
// File layout (every integer little-endian):
//
//   magic            8 bytes   0x89 "TFCKPT" 0x0A (the high byte keeps text tools away)
//   format version   UInt32    `CheckpointFile.formatVersion`
//   model version    string    `TalentFlowVersion.model` of the writer (UInt64 length + UTF-8)
//   tool version     string    `TalentFlowVersion.tool` of the writer
//   tick             Int64     the last completed tick (readable without the payload)
//   payload length   UInt64
//   checksum         32 bytes  SHA-256 of everything above it, then of the payload
//   payload          the run (`RunCheckpoint`), then the simulation (`Simulation.encode`)
//
// A file whose magic number, format version, model version, length or checksum does not check
// out is refused before anything in the payload is used. Fields inside the payload are named,
// so a reader that expects another layout says which field it met instead of misreading it.
// Big arrays are stored as raw little-endian element bytes, not through Codable or JSON; the
// configurations (small) are stored as the JSON text of `Configuration.resolvedJSON()`.

/// A checkpoint that cannot be written, or is refused when read.
public struct CheckpointError: TalentFlowError, Sendable, Equatable {
  /// The checkpoint file.
  public var file: String
  /// What is wrong, and what to do about it when there is something to do.
  public var message: String
  /// Whether the file could not be written (exit 73), rather than refused when read (65).
  public var isWriteFailure: Bool

  public init(file: String, message: String, isWriteFailure: Bool = false) {
    self.file = file
    self.message = message
    self.isWriteFailure = isWriteFailure
  }

  public var description: String { "\(file): \(message)" }

  public var exitCode: ExitCode { isWriteFailure ? .cannotCreate : .dataError }
}

// MARK: - Little-endian fields

/// Appends little-endian fields to a byte array.
struct BinaryWriter {
  private(set) var bytes: [UInt8] = []

  init(reservingCapacity capacity: Int = 0) {
    bytes.reserveCapacity(capacity)
  }

  mutating func integer<T: FixedWidthInteger>(_ value: T) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func int(_ value: Int) { integer(Int64(value)) }

  mutating func double(_ value: Double) { integer(value.bitPattern) }

  mutating func bool(_ value: Bool) { integer(UInt8(value ? 1 : 0)) }

  mutating func raw(_ value: [UInt8]) { bytes.append(contentsOf: value) }

  mutating func string(_ value: String) {
    let utf8 = Array(value.utf8)
    integer(UInt64(utf8.count))
    bytes.append(contentsOf: utf8)
  }

  /// A named array: its name, element type code, count and raw element bytes.
  mutating func array<T: CheckpointElement>(_ name: String, _ values: ContiguousArray<T>) {
    string(name)
    integer(T.typeCode)
    integer(UInt64(values.count))
    T.append(values, to: &bytes)
  }
}

/// Reads the fields a `BinaryWriter` wrote, refusing anything short or out of place.
struct BinaryReader {
  /// The file, for error messages.
  let source: String
  private let bytes: [UInt8]
  private(set) var offset: Int

  init(_ bytes: [UInt8], source: String, offset: Int = 0) {
    self.bytes = bytes
    self.source = source
    self.offset = offset
  }

  var remaining: Int { bytes.count - offset }

  func failure(_ message: String) -> CheckpointError {
    CheckpointError(file: source, message: message)
  }

  private mutating func take(_ count: Int, _ field: String) throws(CheckpointError)
    -> ArraySlice<UInt8>
  {
    guard count >= 0, count <= remaining else {
      throw failure("is truncated: it ends inside \(field)")
    }
    defer { offset += count }
    return bytes[offset..<(offset + count)]
  }

  mutating func integer<T: FixedWidthInteger>(_ type: T.Type, _ field: String)
    throws(CheckpointError) -> T
  {
    let slice = try take(MemoryLayout<T>.size, field)
    var value = T.zero
    for (k, byte) in slice.enumerated() { value |= T(truncatingIfNeeded: byte) << (8 * k) }
    return value
  }

  mutating func int(_ field: String) throws(CheckpointError) -> Int {
    Int(try integer(Int64.self, field))
  }

  /// A count or size: non-negative and no larger than what is left to read times `perByte`.
  mutating func count(_ field: String, bytesEach: Int) throws(CheckpointError) -> Int {
    let n = try integer(UInt64.self, field)
    guard n <= UInt64(remaining / max(1, bytesEach)) else {
      throw failure("is truncated or corrupted: \(field) says \(n), more than the file holds")
    }
    return Int(n)
  }

  mutating func double(_ field: String) throws(CheckpointError) -> Double {
    Double(bitPattern: try integer(UInt64.self, field))
  }

  mutating func bool(_ field: String) throws(CheckpointError) -> Bool {
    switch try integer(UInt8.self, field) {
    case 0: return false
    case 1: return true
    case let other: throw failure("is corrupted: \(field) is \(other), not a Boolean")
    }
  }

  mutating func raw(_ count: Int, _ field: String) throws(CheckpointError) -> [UInt8] {
    Array(try take(count, field))
  }

  mutating func string(_ field: String) throws(CheckpointError) -> String {
    let n = try count("the length of \(field)", bytesEach: 1)
    let slice = try take(n, field)
    guard let text = String(validating: slice, as: UTF8.self) else {
      throw failure("is corrupted: \(field) is not UTF-8 text")
    }
    return text
  }

  /// Expects a named marker, so that a reader of another layout stops at the first mismatch.
  mutating func expect(_ name: String) throws(CheckpointError) {
    let found = try string("the field name \"\(name)\"")
    guard found == name else {
      throw failure("has an unexpected layout: expected field \"\(name)\", found \"\(found)\"")
    }
  }

  /// A named array written by `BinaryWriter.array`.
  mutating func array<T: CheckpointElement>(_ name: String, of type: T.Type)
    throws(CheckpointError) -> ContiguousArray<T>
  {
    try expect(name)
    let code = try integer(UInt8.self, "the element type of \(name)")
    guard code == T.typeCode else {
      throw failure(
        "has an unexpected layout: \(name) holds elements of type \(code), expected \(T.typeCode)")
    }
    let n = try count("the length of \(name)", bytesEach: T.byteWidth)
    let slice = try take(n * T.byteWidth, name)
    guard let values = slice.withUnsafeBytes({ T.read($0, count: n) }) else {
      throw failure("is corrupted: \(name) holds a value out of range")
    }
    return values
  }
}

/// A type whose arrays a checkpoint stores as raw little-endian bytes.
protocol CheckpointElement {
  /// Identifies the element type in the file.
  static var typeCode: UInt8 { get }
  /// Bytes per element in the file.
  static var byteWidth: Int { get }
  /// Appends the little-endian bytes of every element.
  static func append(_ values: ContiguousArray<Self>, to bytes: inout [UInt8])
  /// Reads `count` elements; nil if a stored value is not a valid value of the type.
  static func read(_ raw: UnsafeRawBufferPointer, count: Int) -> ContiguousArray<Self>?
}

extension CheckpointElement where Self: FixedWidthInteger {
  static var byteWidth: Int { MemoryLayout<Self>.size }

  static func append(_ values: ContiguousArray<Self>, to bytes: inout [UInt8]) {
    #if _endian(little)
      values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    #else
      for value in values {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
      }
    #endif
  }

  static func read(_ raw: UnsafeRawBufferPointer, count: Int) -> ContiguousArray<Self>? {
    ContiguousArray(unsafeUninitializedCapacity: count) { buffer, initialised in
      let width = MemoryLayout<Self>.size
      for k in 0..<count {
        buffer[k] = Self(littleEndian: raw.loadUnaligned(fromByteOffset: k * width, as: Self.self))
      }
      initialised = count
    }
  }
}

extension UInt8: CheckpointElement { static var typeCode: UInt8 { 1 } }
extension Int8: CheckpointElement { static var typeCode: UInt8 { 2 } }
extension Int32: CheckpointElement { static var typeCode: UInt8 { 3 } }
extension UInt32: CheckpointElement { static var typeCode: UInt8 { 4 } }
extension Int64: CheckpointElement { static var typeCode: UInt8 { 5 } }

extension Double: CheckpointElement {
  static var typeCode: UInt8 { 6 }
  static var byteWidth: Int { 8 }

  static func append(_ values: ContiguousArray<Double>, to bytes: inout [UInt8]) {
    #if _endian(little)
      values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    #else
      for value in values {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
      }
    #endif
  }

  static func read(_ raw: UnsafeRawBufferPointer, count: Int) -> ContiguousArray<Double>? {
    UInt64.read(raw, count: count).map { ContiguousArray($0.lazy.map(Double.init(bitPattern:))) }
  }
}

extension Float: CheckpointElement {
  static var typeCode: UInt8 { 7 }
  static var byteWidth: Int { 4 }

  static func append(_ values: ContiguousArray<Float>, to bytes: inout [UInt8]) {
    #if _endian(little)
      values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    #else
      for value in values {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
      }
    #endif
  }

  static func read(_ raw: UnsafeRawBufferPointer, count: Int) -> ContiguousArray<Float>? {
    UInt32.read(raw, count: count).map { ContiguousArray($0.lazy.map(Float.init(bitPattern:))) }
  }
}

extension UInt64: CheckpointElement { static var typeCode: UInt8 { 8 } }

extension Bool: CheckpointElement {
  static var typeCode: UInt8 { 9 }
  static var byteWidth: Int { 1 }

  static func append(_ values: ContiguousArray<Bool>, to bytes: inout [UInt8]) {
    bytes.append(contentsOf: values.lazy.map { $0 ? 1 : 0 })
  }

  static func read(_ raw: UnsafeRawBufferPointer, count: Int) -> ContiguousArray<Bool>? {
    var values = ContiguousArray<Bool>()
    values.reserveCapacity(count)
    for byte in raw.prefix(count) {
      guard byte <= 1 else { return nil }
      values.append(byte == 1)
    }
    return values
  }
}

extension FirmType: CheckpointElement {
  static var typeCode: UInt8 { 10 }
  static var byteWidth: Int { 1 }

  static func append(_ values: ContiguousArray<FirmType>, to bytes: inout [UInt8]) {
    bytes.append(contentsOf: values.lazy.map(\.rawValue))
  }

  static func read(_ raw: UnsafeRawBufferPointer, count: Int) -> ContiguousArray<FirmType>? {
    var values = ContiguousArray<FirmType>()
    values.reserveCapacity(count)
    for byte in raw.prefix(count) {
      guard let type = FirmType(rawValue: byte) else { return nil }
      values.append(type)
    }
    return values
  }
}

// MARK: - The arrays of the state, listed once

/// One array of a struct of arrays, with the name the checkpoint stores it under.
///
/// `stride` is the number of elements per professional or firm (6 preference weights, 8
/// published values), which the reader checks so that a damaged file cannot leave arrays of
/// different lengths behind.
struct CheckpointArray<Root> {
  let name: String
  let stride: Int
  let count: (Root) -> Int
  let write: (Root, inout BinaryWriter) -> Void
  let read: (inout Root, inout BinaryReader) throws(CheckpointError) -> Void

  init<T: CheckpointElement>(
    _ name: String, _ path: WritableKeyPath<Root, ContiguousArray<T>>, stride: Int = 1
  ) {
    self.name = name
    self.stride = stride
    count = { $0[keyPath: path].count }
    write = { root, writer in writer.array(name, root[keyPath: path]) }
    read = { (root: inout Root, reader: inout BinaryReader) throws(CheckpointError) in
      root[keyPath: path] = try reader.array(name, of: T.self)
    }
  }
}

extension Professionals {
  /// Every array of `Professionals`, in the order the checkpoint stores them.
  ///
  /// This is the one list to extend when a field is added: `CheckpointTests` compares it with
  /// the stored properties of `Professionals` and fails, naming the field, if one is missing.
  static var checkpointArrays: [CheckpointArray<Professionals>] {
    [
      CheckpointArray("id", \.id),
      CheckpointArray("employer", \.employer),
      CheckpointArray("skill", \.skill),
      CheckpointArray("weights", \.weights, stride: Professionals.attributeCount),
      CheckpointArray("moneyWeight", \.moneyWeight),
      CheckpointArray("riskAversion", \.riskAversion),
      CheckpointArray("visaDependent", \.visaDependent),
      CheckpointArray("tenure", \.tenure),
      CheckpointArray("grant", \.grant),
      CheckpointArray("stake", \.stake),
      CheckpointArray("wealth", \.wealth),
      CheckpointArray("founded", \.founded),
    ]
  }

  /// The scalar stored properties, written before the arrays.
  static let checkpointScalars = ["goneCount", "nextID"]
}

extension Firms {
  /// Every array of `Firms`, in the order the checkpoint stores them.
  ///
  /// This is the one list to extend when a field is added: `CheckpointTests` compares it with
  /// the stored properties of `Firms` and fails, naming the field, if one is missing.
  static var checkpointArrays: [CheckpointArray<Firms>] {
    [
      CheckpointArray("type", \.type),
      CheckpointArray("alive", \.alive),
      CheckpointArray("age", \.age),
      CheckpointArray("headcount", \.headcount),
      CheckpointArray("target", \.target),
      CheckpointArray("demandBase", \.demandBase),
      CheckpointArray("cash", \.cash),
      CheckpointArray("revenue", \.revenue),
      CheckpointArray("burn", \.burn),
      CheckpointArray("valuation", \.valuation),
      CheckpointArray("stage", \.stage),
      CheckpointArray("quality", \.quality),
      CheckpointArray("equityOffer", \.equityOffer),
      CheckpointArray("optionPool", \.optionPool),
      CheckpointArray("founderStake", \.founderStake),
      CheckpointArray("sponsorsVisas", \.sponsorsVisas),
      CheckpointArray("layoffMemory", \.layoffMemory),
      CheckpointArray("lastCut", \.lastCut),
      CheckpointArray("bornTick", \.bornTick),
      CheckpointArray("diedTick", \.diedTick),
      CheckpointArray("roundThisTick", \.roundThisTick),
      CheckpointArray("runway", \.runway),
      CheckpointArray("published", \.published, stride: Firms.publishedStride),
      CheckpointArray("vacancies", \.vacancies),
      CheckpointArray("lastVacancies", \.lastVacancies),
      CheckpointArray("lastHires", \.lastHires),
      CheckpointArray("lastApplications", \.lastApplications),
      CheckpointArray("hires", \.hires),
      CheckpointArray("applications", \.applications),
    ]
  }

  /// Firms have no scalar stored properties; the count is that of the arrays.
  static let checkpointScalars: [String] = []
}

/// Writes every array of a struct of arrays.
private func writeArrays<Root>(
  _ root: Root, _ arrays: [CheckpointArray<Root>], _ writer: inout BinaryWriter
) {
  for array in arrays { array.write(root, &writer) }
}

/// Reads every array of a struct of arrays and checks that their lengths agree.
private func readArrays<Root>(
  into root: inout Root, _ arrays: [CheckpointArray<Root>], _ what: String,
  _ reader: inout BinaryReader
) throws(CheckpointError) {
  for array in arrays { try array.read(&root, &reader) }
  guard let first = arrays.first else { return }
  let n = first.count(root) / first.stride
  for array in arrays where array.count(root) != n * array.stride {
    throw reader.failure(
      "is corrupted: \(what).\(array.name) has \(array.count(root)) values for \(n) entries")
  }
}

// MARK: - The simulation

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

// MARK: - The file

/// What a checkpoint file says about itself, read without decoding the payload.
public struct CheckpointHeader: Sendable, Equatable {
  public var formatVersion: UInt32
  public var modelVersion: String
  public var toolVersion: String
  /// The last completed tick of the run it holds.
  public var tick: Int
}

/// The envelope of a checkpoint: magic number, versions, length and checksum of the payload.
public enum CheckpointFile {
  /// The first eight bytes of every checkpoint.
  public static let magic: [UInt8] = [0x89, 0x54, 0x46, 0x43, 0x4B, 0x50, 0x54, 0x0A]
  /// The layout version this talentflow writes and reads.
  public static let formatVersion: UInt32 = 1

  /// What is at `url` when it may not be replaced by a checkpoint (saving one replaces the file,
  /// and a finished run deletes it), or nil when it may: nothing, or a file that starts with
  /// the checkpoint magic number.
  public static func whyNotReplaceable(_ url: URL) -> String? {
    let path = url.standardizedFileURL.path
    var status = stat()
    guard lstat(path, &status) == 0 else { return nil }
    switch status.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: return "a folder"
    case S_IFLNK: return "a symbolic link"
    default: return "a special file (a device, pipe or socket)"
    }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      return "a file that cannot be read"
    }
    defer { try? handle.close() }
    let head = (try? handle.read(upToCount: magic.count)).map { [UInt8]($0) } ?? []
    return head == magic ? nil : "a file that is not a TalentFlow checkpoint"
  }

  /// The whole file for a payload.
  static func wrap(
    payload: [UInt8], tick: Int, modelVersion: String = TalentFlowVersion.model
  ) -> [UInt8] {
    var writer = BinaryWriter(reservingCapacity: payload.count + 128)
    writer.raw(magic)
    writer.integer(formatVersion)
    writer.string(modelVersion)
    writer.string(TalentFlowVersion.tool)
    writer.int(tick)
    writer.integer(UInt64(payload.count))
    writer.raw(checksum(header: writer.bytes[...], payload: payload))
    writer.raw(payload)
    return writer.bytes
  }

  /// SHA-256 of the header (up to the checksum) and the payload.
  private static func checksum(header: ArraySlice<UInt8>, payload: ArraySlice<UInt8>) -> [UInt8] {
    var hasher = SHA256()
    header.withUnsafeBytes { hasher.update($0) }
    payload.withUnsafeBytes { hasher.update($0) }
    return hasher.finalize()
  }

  private static func checksum(header: ArraySlice<UInt8>, payload: [UInt8]) -> [UInt8] {
    checksum(header: header, payload: payload[...])
  }

  /// Reads the header; the reader is left at the start of the payload length.
  private static func header(_ reader: inout BinaryReader) throws(CheckpointError)
    -> CheckpointHeader
  {
    guard reader.remaining >= magic.count,
      try reader.raw(magic.count, "the magic number") == magic
    else {
      throw reader.failure(
        "is not a TalentFlow checkpoint (it does not start with the checkpoint magic number)")
    }
    let version = try reader.integer(UInt32.self, "the format version")
    guard version == formatVersion else {
      throw reader.failure(
        "is a checkpoint in format version \(version); this talentflow reads version "
          + "\(formatVersion) only"
      )
    }
    let model = try reader.string("the model version")
    let tool = try reader.string("the tool version")
    let tick = try reader.int("the tick")
    return CheckpointHeader(
      formatVersion: version, modelVersion: model, toolVersion: tool, tick: tick)
  }

  /// Reads only the header of the checkpoint at `url`.
  public static func readHeader(at url: URL) throws(CheckpointError) -> CheckpointHeader {
    let start: [UInt8]
    do {
      let handle = try FileHandle(forReadingFrom: url)
      defer { try? handle.close() }
      start = [UInt8](try handle.read(upToCount: 4096) ?? Data())
    } catch {
      throw CheckpointError(
        file: url.path, message: "cannot read the checkpoint (\(error.localizedDescription))")
    }
    var reader = BinaryReader(start, source: url.path)
    guard !start.isEmpty else { throw reader.failure("is empty, not a checkpoint") }
    return try header(&reader)
  }

  /// Checks the envelope and returns a reader positioned at the start of the verified payload.
  ///
  /// Refuses, in this order: an empty file, a file without the magic number (foreign), another
  /// format version, a payload shorter or longer than recorded (truncated, or appended to), a
  /// checksum that does not match (corrupted), and another model version (its continuation
  /// would not match an uninterrupted run of this one).
  static func open(_ bytes: [UInt8], source: String) throws(CheckpointError) -> BinaryReader {
    var reader = BinaryReader(bytes, source: source)
    guard !bytes.isEmpty else { throw reader.failure("is empty, not a checkpoint") }
    let header = try header(&reader)
    let length = try reader.integer(UInt64.self, "the payload length")
    let headerEnd = reader.offset
    let digest = try reader.raw(SHA256.byteCount, "the checksum")
    guard UInt64(reader.remaining) == length else {
      let kind = UInt64(reader.remaining) < length ? "truncated" : "corrupted"
      throw reader.failure(
        "is \(kind): its payload should be \(length) bytes, the file holds \(reader.remaining)")
    }
    guard checksum(header: bytes[..<headerEnd], payload: bytes[reader.offset...]) == digest else {
      throw reader.failure("is corrupted: its SHA-256 checksum does not match its contents")
    }
    guard header.modelVersion == TalentFlowVersion.model else {
      throw reader.failure(
        "was written by talentflow \(header.toolVersion) with model version "
          + "\(header.modelVersion); "
          + "this talentflow implements model version \(TalentFlowVersion.model), whose ticks "
          + "differ, so the run cannot be resumed with it")
    }
    return reader
  }

  static func contents(of url: URL) throws(CheckpointError) -> [UInt8] {
    do {
      return try FileSystem.read(url)
    } catch {
      throw CheckpointError(file: url.path, message: "cannot read the checkpoint (\(error.reason))")
    }
  }

  /// Writes `bytes` to a temporary file beside `url` and renames it over `url`, so that `url`
  /// always holds a complete checkpoint: the previous one or the new one.
  static func replace(_ url: URL, with bytes: [UInt8]) throws(CheckpointError) {
    do {
      try FileSystem.writeAtomically(bytes, to: url)
    } catch {
      throw CheckpointError(
        file: url.path, message: "cannot write the checkpoint: \(error)", isWriteFailure: true)
    }
  }

  /// Checks, before a run spends any time, that a checkpoint can be saved at `url`: its folder
  /// exists and takes a new file (written and deleted at once).
  public static func checkWritable(_ url: URL) throws(CheckpointError) {
    let url = url.standardizedFileURL
    if let what = whyNotReplaceable(url) {
      throw CheckpointError(
        file: url.path, message: "cannot hold the checkpoint: it is \(what)", isWriteFailure: true)
    }
    let probe = url.deletingLastPathComponent().appendingPathComponent(
      ".\(url.lastPathComponent).probe-\(ProcessInfo.processInfo.processIdentifier)")
    do {
      try FileSystem.writeAtomically([], to: probe)
    } catch {
      var reason = error.description
      if case .cannotWrite(_, let why) = error { reason = why }
      throw CheckpointError(
        file: url.path,
        message: "cannot write a checkpoint in \(probe.deletingLastPathComponent().path): \(reason)",
        isWriteFailure: true)
    }
    try? FileManager.default.removeItem(at: probe)
  }
}

// MARK: - A run

/// The position of one output file at a checkpoint: its length, rows and the SHA-256 of those
/// bytes.
public struct OutputFilePosition: Sendable, Equatable {
  public var name: String
  public var bytes: Int
  public var rows: Int
  /// SHA-256 of the file's first `bytes` bytes.
  public var sha256: [UInt8]

  public init(name: String, bytes: Int, rows: Int, sha256: [UInt8]) {
    self.name = name
    self.bytes = bytes
    self.rows = rows
    self.sha256 = sha256
  }
}

/// Everything a run needs to continue: the simulation and where its outputs stand.
///
/// How a resumed run ends byte-identical to an uninterrupted one: the CSV files are written
/// incrementally into the run's hidden working folder (`RunFolder.workingURL`), which a killed
/// run leaves behind. At each checkpoint every CSV buffer is flushed, and the checkpoint records
/// each file's byte length, row count and the SHA-256 of those bytes. On resume each file is
/// truncated to the recorded length (dropping whatever was written after the checkpoint), its
/// bytes are hashed again, which both checks them against the recorded digest and restores the
/// running SHA-256 the manifest needs, and writing continues from the next tick. Because the
/// checkpoint is replaced by a rename only after the files were flushed, the files on disk are
/// never shorter than a checkpoint says; should they be (a crash of the machine, a hand edit),
/// the digest check refuses to resume instead of producing a wrong manifest.
public struct RunCheckpoint {
  public var simulation: Simulation
  /// Where the finished run folder goes.
  public var destination: URL
  /// The hidden working folder holding the partial output files.
  public var workingFolder: URL
  /// Whether an existing destination may be replaced.
  public var force: Bool
  /// Ticks between checkpoints.
  public var every: Int
  public var startedAt: Date
  /// Wall time spent so far, over every session.
  public var wallSeconds: Double
  /// Totals of every timeseries column over the recorded ticks so far.
  public var totals: [Double]
  /// Every output file, in manifest order.
  public var files: [OutputFilePosition]

  public init(
    simulation: Simulation, destination: URL, workingFolder: URL, force: Bool, every: Int,
    startedAt: Date, wallSeconds: Double, totals: [Double], files: [OutputFilePosition]
  ) {
    self.simulation = simulation
    self.destination = destination
    self.workingFolder = workingFolder
    self.force = force
    self.every = every
    self.startedAt = startedAt
    self.wallSeconds = wallSeconds
    self.totals = totals
    self.files = files
  }

  /// The bytes of the checkpoint file.
  public func encoded() -> [UInt8] {
    CheckpointFile.wrap(payload: payload(), tick: simulation.tick)
  }

  /// The payload: the run, then the simulation.
  func payload() -> [UInt8] {
    var writer = BinaryWriter(
      reservingCapacity: simulation.professionals.slotCount * 64 + simulation.firms.count * 200)
    writer.string("run")
    writer.string(destination.path)
    writer.string(workingFolder.path)
    writer.bool(force)
    writer.int(every)
    writer.double(startedAt.timeIntervalSince1970)
    writer.double(wallSeconds)
    writer.int(totals.count)
    for total in totals { writer.double(total) }
    writer.int(files.count)
    for file in files {
      writer.string(file.name)
      writer.int(file.bytes)
      writer.int(file.rows)
      writer.raw(file.sha256)
    }
    simulation.encode(to: &writer)
    return writer.bytes
  }

  /// Decodes a checkpoint file's bytes; `source` names the file in errors.
  public init(bytes: [UInt8], source: String, threads: Int) throws(CheckpointError) {
    var reader = try CheckpointFile.open(bytes, source: source)
    try reader.expect("run")
    destination = URL(fileURLWithPath: try reader.string("the destination"))
    workingFolder = URL(fileURLWithPath: try reader.string("the working folder"))
    force = try reader.bool("the force flag")
    every = try reader.int("the checkpoint interval")
    guard every >= 1 else {
      throw reader.failure("is corrupted: a checkpoint interval of \(every)")
    }
    startedAt = Date(timeIntervalSince1970: try reader.double("the start time"))
    wallSeconds = try reader.double("the wall time")
    let totalCount = try reader.count("the number of totals", bytesEach: 8)
    guard totalCount == Timeseries.columns.count else {
      throw reader.failure(
        "has an unexpected layout: \(totalCount) timeseries totals, "
          + "expected \(Timeseries.columns.count)"
      )
    }
    totals = []
    for _ in 0..<totalCount { totals.append(try reader.double("a timeseries total")) }
    let fileCount = try reader.count("the number of output files", bytesEach: 56)
    files = []
    for _ in 0..<fileCount {
      let name = try reader.string("an output file name")
      let size = try reader.int("the length of \(name)")
      let rows = try reader.int("the rows of \(name)")
      let digest = try reader.raw(SHA256.byteCount, "the SHA-256 of \(name)")
      guard size >= 0, rows >= 0, !name.contains("/"), !name.hasPrefix(".") else {
        throw reader.failure("is corrupted: output file \(name) has an impossible position")
      }
      files.append(OutputFilePosition(name: name, bytes: size, rows: rows, sha256: digest))
    }
    simulation = try Simulation(decoding: &reader, threads: threads)
    guard reader.remaining == 0 else {
      throw reader.failure("has an unexpected layout: \(reader.remaining) bytes after the state")
    }
    let expected = Runner.outputNames(for: simulation.initialConfig)
    guard files.map(\.name) == expected else {
      throw reader.failure(
        "is corrupted: it lists output files \(files.map(\.name)), "
          + "the configuration makes \(expected)"
      )
    }
  }

  /// Reads and checks the checkpoint at `url`.
  public static func read(from url: URL, threads: Int) throws(CheckpointError) -> RunCheckpoint {
    try RunCheckpoint(
      bytes: try CheckpointFile.contents(of: url), source: url.path, threads: threads)
  }

  /// Replaces the checkpoint at `url` with this one, atomically.
  public func write(to url: URL) throws(CheckpointError) {
    try CheckpointFile.replace(url, with: encoded())
  }
}
