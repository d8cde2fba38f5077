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
