/// A JSON object being decoded, which knows the file it came from and its own key path, so that
/// every getter's error says where the value is and what it holds.
///
/// ```swift
/// let spec = try JSONObjectReader<ConfigurationError>(json, file: file, notAnObject: …)
/// let ticks = try spec.optionalInteger("ticks", "must be a positive integer") { $0 >= 1 }
/// let replicates = try spec.object("replicates", "must be an object")  // path "replicates."
/// ```
///
/// A getter's requirement is the message after the key path: `ticks must be a positive
/// integer, got -5`. A missing required member says `<path> is missing` unless `missing` gives
/// the whole message. Nested readers carry their path (`replicates.count`); list elements are
/// `key[i]`.
public struct JSONObjectReader<Failure: InputError>: Sendable {
  /// The file (or other source) the object was read from, as messages show it.
  public let file: String
  /// The key path of this object: empty at the top level of a file.
  public let path: String
  /// The object's members, in their written order.
  public let members: [(key: String, value: JSONValue)]

  /// The object as a `JSONValue`.
  public var json: JSONValue { .object(members) }

  /// Reads `value` as the object at `path` of `file`; anything else fails with `notAnObject`,
  /// the whole message.
  public init(
    _ value: JSONValue, file: String, path: String = "",
    notAnObject: (JSONValue) -> String
  ) throws(Failure) {
    guard let members = value.objectValue else {
      throw Failure(file: file, keyPath: path, message: notAnObject(value))
    }
    self.file = file
    self.path = path
    self.members = members
  }

  /// `key` below this object: `key` at the top level, else `path.key`.
  public func keyPath(_ key: String) -> String {
    path.isEmpty ? key : "\(path).\(key)"
  }

  /// The member `key` (the first, should there be several), or nil.
  public subscript(key: String) -> JSONValue? {
    members.first(where: { $0.key == key })?.value
  }

  // MARK: Errors

  /// An error at `key` (this object when nil) with `message` as the whole message.
  public func error(_ key: String?, _ message: String) -> Failure {
    Failure(file: file, keyPath: key.map(keyPath) ?? path, message: message)
  }

  /// "`<key path> <requirement>, got <value>`" at `key`; without ", got …" when `value` is nil.
  public func invalid(_ key: String, _ requirement: String, _ value: JSONValue?) -> Failure {
    let at = keyPath(key)
    let shown = value.map { ", got \($0.serialized(pretty: false))" } ?? ""
    return Failure(file: file, keyPath: at, message: "\(at) \(requirement)\(shown)")
  }

  /// Refuses the first member not in `known`: `message(keyPath, suggestion)` is the whole
  /// message, the suggestion " (did you mean x?)" (or "") for the nearest known key.
  public func checkKeys(
    _ known: [String], message: (_ keyPath: String, _ suggestion: String) -> String
  ) throws(Failure) {
    for (key, _) in members where !known.contains(key) {
      throw error(key, message(keyPath(key), didYouMean(key, among: known)))
    }
  }

  // MARK: Getters

  /// The member `key`, which must be present; `requirement` is what `missing` may show.
  public func value(
    _ key: String, _ requirement: String = "", missing: JSONMissing = .isMissing
  ) throws(Failure) -> JSONValue {
    guard let value = self[key] else {
      switch missing {
      case .isMissing: throw invalid(key, "is missing", nil)
      case .requirement: throw invalid(key, requirement, nil)
      case .message(let message): throw error(key, message)
      }
    }
    return value
  }

  /// The member `key` converted by `convert` and accepted by `accept`; nil when absent.
  public func optional<T>(
    _ key: String, _ requirement: String, as convert: (JSONValue) -> T?,
    where accept: (T) -> Bool = { _ in true }
  ) throws(Failure) -> T? {
    guard let value = self[key] else { return nil }
    guard let converted = convert(value), accept(converted) else {
      throw invalid(key, requirement, value)
    }
    return converted
  }

  /// The member `key` converted by `convert` and accepted by `accept`; it must be present.
  public func required<T>(
    _ key: String, _ requirement: String, missing: JSONMissing = .isMissing,
    as convert: (JSONValue) -> T?, where accept: (T) -> Bool = { _ in true }
  ) throws(Failure) -> T {
    let value = try value(key, requirement, missing: missing)
    guard let converted = convert(value), accept(converted) else {
      throw invalid(key, requirement, value)
    }
    return converted
  }

  /// A string member.
  public func string(
    _ key: String, _ requirement: String = "must be a string", missing: JSONMissing = .isMissing,
    where accept: (String) -> Bool = { _ in true }
  ) throws(Failure) -> String {
    try required(key, requirement, missing: missing, as: \.stringValue, where: accept)
  }

  /// A string member, nil when absent.
  public func optionalString(
    _ key: String, _ requirement: String = "must be a string",
    where accept: (String) -> Bool = { _ in true }
  ) throws(Failure) -> String? {
    try optional(key, requirement, as: \.stringValue, where: accept)
  }

  /// An integral number member (`3` or `3.0`).
  public func integer(
    _ key: String, _ requirement: String = "must be an integer", missing: JSONMissing = .isMissing,
    where accept: (Int) -> Bool = { _ in true }
  ) throws(Failure) -> Int {
    try required(key, requirement, missing: missing, as: \.intValue, where: accept)
  }

  /// An integral number member, nil when absent.
  public func optionalInteger(
    _ key: String, _ requirement: String = "must be an integer",
    where accept: (Int) -> Bool = { _ in true }
  ) throws(Failure) -> Int? {
    try optional(key, requirement, as: \.intValue, where: accept)
  }

  /// A number member.
  public func double(
    _ key: String, _ requirement: String = "must be a number", missing: JSONMissing = .isMissing,
    where accept: (Double) -> Bool = { _ in true }
  ) throws(Failure) -> Double {
    try required(key, requirement, missing: missing, as: \.doubleValue, where: accept)
  }

  /// A number member, nil when absent.
  public func optionalDouble(
    _ key: String, _ requirement: String = "must be a number",
    where accept: (Double) -> Bool = { _ in true }
  ) throws(Failure) -> Double? {
    try optional(key, requirement, as: \.doubleValue, where: accept)
  }

  /// A Boolean member, nil when absent.
  public func optionalBool(_ key: String, _ requirement: String = "must be true or false")
    throws(Failure) -> Bool?
  {
    try optional(key, requirement, as: \.boolValue)
  }

  /// A list member.
  public func list(
    _ key: String, _ requirement: String = "must be a list", missing: JSONMissing = .isMissing,
    where accept: ([JSONValue]) -> Bool = { _ in true }
  ) throws(Failure) -> [JSONValue] {
    try required(key, requirement, missing: missing, as: \.arrayValue, where: accept)
  }

  /// A list member, nil when absent.
  public func optionalList(
    _ key: String, _ requirement: String = "must be a list",
    where accept: ([JSONValue]) -> Bool = { _ in true }
  ) throws(Failure) -> [JSONValue]? {
    try optional(key, requirement, as: \.arrayValue, where: accept)
  }

  /// An object member, as a reader whose path is this one's plus `key`.
  public func object(
    _ key: String, _ requirement: String = "must be an object", missing: JSONMissing = .isMissing
  ) throws(Failure) -> JSONObjectReader {
    let value = try value(key, requirement, missing: missing)
    return try nested(key, value, requirement)
  }

  /// An object member as a reader, nil when absent.
  public func optionalObject(_ key: String, _ requirement: String = "must be an object")
    throws(Failure) -> JSONObjectReader?
  {
    guard let value = self[key] else { return nil }
    return try nested(key, value, requirement)
  }

  /// The elements of a list member as readers of objects at `key[i]`.
  public func objects(
    _ key: String, _ requirement: String = "must be a list of objects",
    element: String = "must be an object", missing: JSONMissing = .isMissing
  ) throws(Failure) -> [JSONObjectReader] {
    var readers: [JSONObjectReader] = []
    for (index, item) in try list(key, requirement, missing: missing).enumerated() {
      readers.append(try nested("\(key)[\(index)]", item, element))
    }
    return readers
  }

  private func nested(_ key: String, _ value: JSONValue, _ requirement: String)
    throws(Failure) -> JSONObjectReader
  {
    let at = keyPath(key)
    return try JSONObjectReader(value, file: file, path: at) { value in
      "\(at) \(requirement), got \(value.serialized(pretty: false))"
    }
  }
}

/// What a getter says when a required member is absent.
public enum JSONMissing: Sendable {
  /// "`<key path>` is missing".
  case isMissing
  /// "`<key path> <requirement>`", the requirement the getter checks.
  case requirement
  /// This whole message.
  case message(String)
}
