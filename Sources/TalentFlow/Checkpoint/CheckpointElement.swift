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
