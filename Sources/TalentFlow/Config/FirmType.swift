/// The two kinds of firm.
public enum FirmType: UInt8, Sendable {
  case bigtech = 0
  case startup = 1

  public var name: String { self == .bigtech ? "bigtech" : "startup" }
}
