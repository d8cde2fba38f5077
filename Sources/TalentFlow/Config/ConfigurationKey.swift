/// One configuration key: its dotted path, what it means, and how to read and write it.
///
/// Writing validates: a key's setter throws a `ConfigurationProblem` that says what is allowed,
/// and the loader adds the file and the key path to make a message a person can act on.
public struct ConfigurationKey: @unchecked Sendable {
  /// The dotted path, as in MODEL.md (`population.size`).
  public let path: String
  /// One line for `configs/baseline.json` readers and the model document.
  public let summary: String
  let read: (Configuration) -> JSONValue
  let write: (inout Configuration, JSONValue) throws(ConfigurationProblem) -> Void
  /// Whether the key holds a whole number (sweeps round sampled values of such keys).
  public var isInteger = false
  /// What the key allows, as the model document's key table says it (`[0, 100]`).
  public var allowed = ""

  /// The value of this key in a configuration.
  public func value(in configuration: Configuration) -> JSONValue { read(configuration) }

  /// Sets this key in a configuration, validating the value.
  public func set(_ value: JSONValue, in configuration: inout Configuration)
    throws(ConfigurationProblem)
  {
    try write(&configuration, value)
  }
}

/// What is wrong with a value, before the file and key path are known.
public struct ConfigurationProblem: Error, Sendable {
  /// What the key allows, e.g. "must be a positive integer".
  public var requirement: String
  /// The offending value, when it is not the whole value of the key.
  public var value: JSONValue?

  init(_ requirement: String, value: JSONValue? = nil) {
    self.requirement = requirement
    self.value = value
  }
}

/// The allowed range of a number: a closed interval, so that every value a configuration can
/// hold keeps the model's arithmetic finite (the model document's key table lists them).
struct Bound: Sendable {
  let low: Double
  let high: Double

  /// Values from `low` to `high`, both included.
  static func closed(_ low: Double, _ high: Double) -> Bound { Bound(low: low, high: high) }

  /// A probability or share: [0, 1].
  static let unit = Bound(low: 0, high: 1)

  func contains(_ x: Double) -> Bool { x.isFinite && x >= low && x <= high }

  /// The interval as the model document and error messages write it: `[0, 100]`.
  var interval: String {
    "[\(JSONValue.number(low).serialized()), \(JSONValue.number(high).serialized())]"
  }

  func describe(integer: Bool) -> String {
    if low == 0 && high == 1 && !integer { return "must be a probability in [0, 1]" }
    return "must be \(integer ? "an integer" : "a number") in \(interval)"
  }
}

extension ConfigurationKey {
  /// A real-valued key.
  static func number(
    _ path: String, _ keyPath: WritableKeyPath<Configuration, Double>, _ bound: Bound,
    _ summary: String
  ) -> ConfigurationKey {
    ConfigurationKey(
      path: path, summary: summary, read: { .number($0[keyPath: keyPath]) },
      write: { (config: inout Configuration, value: JSONValue) throws(ConfigurationProblem) in
        guard let x = value.doubleValue, bound.contains(x) else {
          throw ConfigurationProblem(bound.describe(integer: false))
        }
        config[keyPath: keyPath] = x
      }, allowed: bound.interval)
  }

  /// An integer-valued key.
  static func integer(
    _ path: String, _ keyPath: WritableKeyPath<Configuration, Int>, _ bound: Bound,
    _ summary: String
  ) -> ConfigurationKey {
    ConfigurationKey(
      path: path, summary: summary, read: { .number(Double($0[keyPath: keyPath])) },
      write: { (config: inout Configuration, value: JSONValue) throws(ConfigurationProblem) in
        guard let n = value.intValue, bound.contains(Double(n)) else {
          throw ConfigurationProblem(bound.describe(integer: true))
        }
        config[keyPath: keyPath] = n
      }, isInteger: true, allowed: "integer in \(bound.interval)")
  }

  /// A Boolean key.
  static func boolean(
    _ path: String, _ keyPath: WritableKeyPath<Configuration, Bool>, _ summary: String
  ) -> ConfigurationKey {
    ConfigurationKey(
      path: path, summary: summary, read: { .bool($0[keyPath: keyPath]) },
      write: { (config: inout Configuration, value: JSONValue) throws(ConfigurationProblem) in
        guard let b = value.boolValue else { throw ConfigurationProblem("must be true or false") }
        config[keyPath: keyPath] = b
      }, allowed: "true or false")
  }

  /// A free-text key; with `namesFolder`, one that names folders, such as `name` in
  /// `output/<name>-seed<seed>`: it may not hold a `/` (which would put the folder elsewhere,
  /// `../x` outside `output/`) or a control or line-break character (which would reach a folder
  /// name unseen).
  static func text(
    _ path: String, _ keyPath: WritableKeyPath<Configuration, String>, namesFolder: Bool = false,
    _ summary: String
  ) -> ConfigurationKey {
    ConfigurationKey(
      path: path, summary: summary, read: { .string($0[keyPath: keyPath]) },
      write: { (config: inout Configuration, value: JSONValue) throws(ConfigurationProblem) in
        guard let s = value.stringValue else { throw ConfigurationProblem("must be a string") }
        if namesFolder && !isFolderName(s) {
          throw ConfigurationProblem(folderNameRequirement)
        }
        config[keyPath: keyPath] = s
      }, allowed: namesFolder ? "string without \"/\" or control characters" : "string")
  }

  /// What a key that names folders requires.
  static let folderNameRequirement =
    "must be a string without \"/\" or control characters (it names the output folder)"

  /// Whether a text can be part of one folder's name: no `/`, no control or line-break
  /// character.
  static func isFolderName(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { scalar in
      switch scalar.properties.generalCategory {
      case .control, .lineSeparator, .paragraphSeparator: return false
      default: return scalar != "/"
      }
    }
  }

  /// Whether a list of stage values must rise or fall with the stage.
  enum Order {
    case any
    case nonDecreasing
    case nonIncreasing
  }

  /// A list of a fixed length, e.g. one value per startup stage.
  static func list(
    _ path: String, _ keyPath: WritableKeyPath<Configuration, [Double]>, count: Int,
    _ bound: Bound, order: Order = .any, _ summary: String
  ) -> ConfigurationKey {
    ConfigurationKey(
      path: path, summary: summary, read: { .array($0[keyPath: keyPath].map(JSONValue.number)) },
      write: { (config: inout Configuration, value: JSONValue) throws(ConfigurationProblem) in
        let requirement = "must be a list of \(count) numbers, each in \(bound.interval)"
        guard let items = value.arrayValue, items.count == count else {
          throw ConfigurationProblem(requirement)
        }
        var xs: [Double] = []
        for item in items {
          guard let x = item.doubleValue, bound.contains(x) else {
            throw ConfigurationProblem(requirement, value: item)
          }
          xs.append(x)
        }
        for k in xs.indices.dropFirst() {
          if order == .nonDecreasing && xs[k] < xs[k - 1] {
            throw ConfigurationProblem("must not decrease from one stage to the next (stages out of order)")
          }
          if order == .nonIncreasing && xs[k] > xs[k - 1] {
            throw ConfigurationProblem("must not increase from one stage to the next (stages out of order)")
          }
        }
        config[keyPath: keyPath] = xs
      },
      allowed: "\(count) numbers, each in \(bound.interval)"
        + (order == .nonDecreasing
          ? ", not decreasing" : order == .nonIncreasing ? ", not increasing" : ""))
  }
}
