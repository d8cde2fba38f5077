import Foundation

/// A failure to create, write or close a CSV file.
public struct CSVBufferError: TalentFlowError, Sendable {
  /// The file concerned.
  public var path: String
  /// What went wrong.
  public var reason: String

  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  public var description: String { "cannot write \(path): \(reason)" }

  public var exitCode: ExitCode { .cannotCreate }
}

/// A fast CSV writer: fields go into a byte buffer that is flushed to the file about every MiB.
///
/// Commas between fields are inserted automatically; `endRow()` ends a line with LF (no CR).
/// Every byte written is also fed to a running SHA-256, reported by `close()` with the row and
/// byte counts, so a manifest can record the checksum without reading the file again. Flushed
/// buffers are hashed and written on a queue of the file's own (`CSVDrain`), in order, while
/// rows go on being formatted; `close()` and `checkpointPosition(name:)` wait for them.
///
/// Field formatting:
/// - `String`: written as is, or quoted per RFC 4180 (doubling inner quotes) if it contains a
///   comma, a double quote, CR or LF.
/// - `Int`: decimal digits written straight into the buffer.
/// - `Double`: the bytes of Swift's shortest round-trip `description`, except that integral
///   values with magnitude below 1e15 have no ".0" (`12.0` → `12`, `-0.0` → `0`), and
///   **non-finite values (NaN, ±infinity) are written as empty fields**, and the first one is
///   kept in `firstNonFinite` so that a writer for which a blank cell is an error can refuse it.
///
/// Errors while flushing are kept and thrown by `close()`; after one, nothing more is written.
/// The value is a struct with mutating methods: keep one `var` per file and do not copy it
/// (copies would share the file handle). A buffer dropped without `close()` loses whatever was
/// still buffered (what was flushed is still written); its file handle is closed when released.
public struct CSVBuffer {
  /// The buffer size beyond which rows are flushed to the file.
  public static let defaultFlushThreshold = 1 << 20

  /// The file being written.
  public let url: URL
  /// Data rows ended so far (the header excluded).
  public private(set) var rowsWritten = 0
  /// Bytes produced so far, flushed or still buffered.
  public var bytesWritten: Int { flushedByteCount + buffer.count }

  private var buffer: [UInt8]
  /// Hashes and writes flushed buffers; nil for a buffer of rows only (`init(rowsFor:)`).
  private let drain: CSVDrain?
  private var needsSeparator = false
  private let flushThreshold: Int
  private var flushedByteCount = 0
  /// Fields written so far in the current row.
  private var fieldsInRow = 0
  /// The first NaN or infinity written as an empty field: its data row (0 is the first after
  /// the header), its column (0-based) and the value.
  public private(set) var firstNonFinite: (row: Int, column: Int, value: Double)?
  private var summary: (rows: Int, sha256: String, bytes: Int)?

  /// Creates (or truncates) the file at `url`.
  ///
  /// `flushThreshold` is the number of buffered bytes that triggers a write; tests use small
  /// values to exercise flush boundaries.
  public init(url: URL, flushThreshold: Int = CSVBuffer.defaultFlushThreshold)
    throws(CSVBufferError)
  {
    self.url = url
    self.flushThreshold = max(1, flushThreshold)
    let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw CSVBufferError(path: url.path, reason: String(cString: strerror(errno)))
    }
    drain = CSVDrain(handle: FileHandle(fileDescriptor: fd, closeOnDealloc: true), path: url.path)
    buffer = []
    buffer.reserveCapacity(bufferCapacity)
  }

  /// Room for a flush's worth of bytes and the row that crosses the threshold (the threshold
  /// taken as at most 64 MiB, so that `Int.max`, a buffer of rows only, cannot overflow).
  private var bufferCapacity: Int { min(flushThreshold, 1 << 26) + 64 * 1024 }

  /// A buffer that formats rows in memory only, to be added to the buffer of the file at `url`
  /// with `append(_:)`: rows formatted on several threads, each chunk in its own buffer. It
  /// never writes, flushes or hashes.
  init(rowsFor url: URL) {
    self.url = url
    flushThreshold = Int.max
    buffer = []
    drain = nil
  }

  /// Adds the whole rows formatted in `rows` (a buffer made with `init(rowsFor:)`), with the
  /// same bytes as if they had been written here field by field. Its first blank cell becomes
  /// this file's if this file has none yet, its row counted from this file's first data row.
  mutating func append(_ rows: CSVBuffer) {
    precondition(fieldsInRow == 0 && rows.fieldsInRow == 0, "only whole rows are appended")
    if firstNonFinite == nil, let cell = rows.firstNonFinite {
      firstNonFinite = (row: rowsWritten + cell.row, column: cell.column, value: cell.value)
    }
    rowsWritten += rows.rowsWritten
    guard drain != nil else {
      buffer.append(contentsOf: rows.buffer)
      return
    }
    // In pieces that fill the buffer no further than its capacity: a part is often as large
    // as a flush (8,192 firms' rows are about 1 MB), and a buffer grown to hold one would stay
    // that large, since the drain hands its buffers back for reuse.
    if buffer.count >= flushThreshold { flush() }
    rows.buffer.withUnsafeBufferPointer { bytes in
      var start = 0
      while start < bytes.count {
        let n = min(bufferCapacity - buffer.count, bytes.count - start)
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<start + n]))
        start += n
        if buffer.count >= flushThreshold { flush() }
      }
    }
  }

  // MARK: Fields

  /// Writes a text field, quoted only if it contains a comma, a quote, CR or LF.
  public mutating func field(_ value: String) {
    separate()
    var needsQuotes = false
    for byte in value.utf8
    where byte == Byte.comma || byte == Byte.quote || byte == Byte.cr || byte == Byte.lf {
      needsQuotes = true
      break
    }
    if needsQuotes {
      buffer.append(Byte.quote)
      for byte in value.utf8 {
        if byte == Byte.quote { buffer.append(Byte.quote) }
        buffer.append(byte)
      }
      buffer.append(Byte.quote)
    } else {
      buffer.append(contentsOf: value.utf8)
    }
    if buffer.count >= flushThreshold { flush() }
  }

  /// Writes an integer in decimal.
  public mutating func field(_ value: Int) {
    separate()
    appendInteger(value)
  }

  /// Writes a number: `description`, without ".0" for integers below 1e15 in magnitude, and
  /// an empty field for NaN and infinities.
  public mutating func field(_ value: Double) {
    separate()
    appendDouble(value)
  }

  /// Writes a `Float` in its own shortest round-trip form ("0.15234567"): the bytes of its
  /// `description`, without building a String; integral values below 1e7 in magnitude without
  /// ".0", and an empty field for NaN and infinities.
  public mutating func field(_ value: Float) {
    separate()
    guard value.isFinite else {
      noteNonFinite(Double(value))
      return
    }
    if value == value.rounded() && abs(value) < 1e7 {
      appendInteger(Int(value))
      return
    }
    var sink = ByteSink()
    swap(&sink.bytes, &buffer)
    value.write(to: &sink)
    swap(&sink.bytes, &buffer)
  }

  /// Writes an empty field (a missing value).
  public mutating func emptyField() {
    separate()
  }

  /// Ends the current row with LF and counts it.
  public mutating func endRow() {
    buffer.append(Byte.lf)
    needsSeparator = false
    fieldsInRow = 0
    rowsWritten += 1
    if buffer.count >= flushThreshold { flush() }
  }

  /// Writes a header line of column names; it is not counted in `rowsWritten`.
  public mutating func header(_ names: [String]) {
    for name in names { field(name) }
    buffer.append(Byte.lf)
    needsSeparator = false
    fieldsInRow = 0
    if buffer.count >= flushThreshold { flush() }
  }

  // MARK: Closing

  /// Ends an unfinished row, if any, flushes, closes the file and returns the data row count,
  /// the SHA-256 of the whole file (lowercase hex) and its size in bytes.
  ///
  /// Throws the first write error met since the file was opened. Calling it again returns the
  /// same summary.
  @discardableResult
  public mutating func close() throws(CSVBufferError) -> (rows: Int, sha256: String, bytes: Int) {
    if let summary { return summary }
    if needsSeparator { endRow() }
    flush()
    var (writeError, hasher) = drain?.close() ?? (nil, SHA256())
    if let writeError { throw writeError }
    let digest = hasher.finalize().lowercaseHex
    let result = (rows: rowsWritten, sha256: digest, bytes: flushedByteCount)
    summary = result
    return result
  }

  // MARK: Internals

  private enum Byte {
    static let comma = UInt8(ascii: ",")
    static let quote = UInt8(ascii: "\"")
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let minus = UInt8(ascii: "-")
    static let zero = UInt8(ascii: "0")
  }

  @inline(__always)
  private mutating func separate() {
    fieldsInRow += 1
    if needsSeparator {
      buffer.append(Byte.comma)
    } else {
      needsSeparator = true
    }
  }

  private mutating func appendInteger(_ value: Int) {
    var magnitude = value.magnitude
    if value < 0 { buffer.append(Byte.minus) }
    if magnitude < 10 {
      buffer.append(Byte.zero &+ UInt8(truncatingIfNeeded: magnitude))
      return
    }
    // UInt.max has 20 digits; build them right to left on the stack.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
      var index = 20
      while magnitude > 0 {
        let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10)
        index -= 1
        digits[index] = Byte.zero &+ UInt8(truncatingIfNeeded: remainder)
        magnitude = quotient
      }
      buffer.append(contentsOf: UnsafeMutableBufferPointer(rebasing: digits[index..<20]))
    }
  }

  /// Keeps the first non-finite value's place (the field was already separated).
  private mutating func noteNonFinite(_ value: Double) {
    if firstNonFinite == nil {
      firstNonFinite = (row: rowsWritten, column: fieldsInRow - 1, value: value)
    }
  }

  private mutating func appendDouble(_ value: Double) {
    guard value.isFinite else {
      noteNonFinite(value)
      return
    }
    // Int(value) cannot trap below 1e15 in magnitude; -0.0 becomes 0.
    if value.magnitude < 1e15 {
      let integer = Int(value)
      if Double(integer) == value {
        appendInteger(integer)
        return
      }
    }
    // `Double.write(to:)` produces the same bytes as `description` and hands them to the
    // stream as raw ASCII, so no String is allocated. The buffer is swapped into the sink and
    // back, which moves it without copying.
    var sink = ByteSink()
    swap(&sink.bytes, &buffer)
    value.write(to: &sink)
    swap(&sink.bytes, &buffer)
  }

  /// Hands the buffered bytes to the drain, which leaves an empty buffer in their place.
  private mutating func flush() {
    guard !buffer.isEmpty, let drain else { return }
    flushedByteCount += buffer.count
    drain.submit(&buffer, capacity: bufferCapacity)
  }
}

/// A text stream appending to a byte array, used to format doubles without a String.
private struct ByteSink: TextOutputStream {
  var bytes: [UInt8] = []

  mutating func write(_ string: String) {
    bytes.append(contentsOf: string.utf8)
  }

  mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
    bytes.append(contentsOf: buffer)
  }
}

// MARK: - Checkpoints

extension CSVBuffer {
  /// Flushes everything buffered and returns the file's position: its length, the data rows in
  /// it and the SHA-256 of its bytes so far, which a checkpoint records.
  ///
  /// Must be called between rows. Throws the first write error met since the file was opened.
  public mutating func checkpointPosition(name: String) throws(CSVBufferError)
    -> OutputFilePosition
  {
    flush()
    guard let drain else {
      preconditionFailure("a buffer of rows only (init(rowsFor:)) has no file position")
    }
    var (writeError, copy) = drain.settle()
    if let writeError { throw writeError }
    return OutputFilePosition(
      name: name, bytes: flushedByteCount, rows: rowsWritten, sha256: copy.finalize())
  }

  /// Reopens a file written up to a checkpoint to continue it: truncates it to the recorded
  /// length, hashes those bytes again and checks them against the recorded SHA-256, which also
  /// restores the running checksum of the whole file.
  ///
  /// Throws if the file is missing, shorter than recorded, or its bytes differ from those the
  /// checkpoint saw; nothing is changed in the file then.
  public init(
    resuming url: URL, at position: OutputFilePosition,
    flushThreshold: Int = CSVBuffer.defaultFlushThreshold
  ) throws(CSVBufferError) {
    self.url = url
    self.flushThreshold = max(1, flushThreshold)
    buffer = []
    let fd = open(url.path, O_RDWR | O_CLOEXEC)
    guard fd >= 0 else {
      throw CSVBufferError(path: url.path, reason: String(cString: strerror(errno)))
    }
    let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    var status = stat()
    guard fstat(fd, &status) == 0 else {
      throw CSVBufferError(path: url.path, reason: String(cString: strerror(errno)))
    }
    guard Int(status.st_size) >= position.bytes else {
      throw CSVBufferError(
        path: url.path,
        reason: "it holds \(status.st_size) bytes, fewer than the \(position.bytes) the "
          + "checkpoint recorded")
    }
    var prefix = SHA256()
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    var offset = 0
    while offset < position.bytes {
      let wanted = min(chunk.count, position.bytes - offset)
      let got = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, wanted, off_t(offset)) }
      guard got > 0 else {
        throw CSVBufferError(
          path: url.path, reason: got < 0 ? String(cString: strerror(errno)) : "it ended early")
      }
      chunk.withUnsafeBytes { prefix.update(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
      offset += got
    }
    var check = prefix
    guard check.finalize() == position.sha256 else {
      throw CSVBufferError(
        path: url.path,
        reason: "its first \(position.bytes) bytes differ from those the checkpoint recorded")
    }
    guard ftruncate(fd, off_t(position.bytes)) == 0, lseek(fd, 0, SEEK_END) >= 0 else {
      throw CSVBufferError(path: url.path, reason: String(cString: strerror(errno)))
    }
    drain = CSVDrain(handle: handle, path: url.path, hasher: prefix)
    rowsWritten = position.rows
    flushedByteCount = position.bytes
    buffer.reserveCapacity(bufferCapacity)
  }
}
