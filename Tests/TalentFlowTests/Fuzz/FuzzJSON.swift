/// A JSON text under construction, able to hold what a strict parser must refuse.
///
/// Unlike `JSONValue`, an object may repeat a key and a number is kept as the literal text it
/// is written with (`1e999`, `-0`, `007`), so the fuzzer decides every byte of its inputs.
indirect enum FuzzJSON {
  /// Written exactly as given: a number, `true`, `false`, `null`, or any other text.
  case literal(String)
  /// A string, escaped as JSON requires.
  case string(String)
  case array([FuzzJSON])
  case object([Member])

  /// One member of an object.
  struct Member {
    var key: String
    var value: FuzzJSON
  }

  /// A number in the shortest form that reads back as the same `Double`.
  static func number(_ x: Double) -> FuzzJSON {
    if x == x.rounded(), abs(x) < 1e15, !(x == 0 && x.sign == .minus) {
      return .literal(String(Int(x)))
    }
    return .literal("\(x)")
  }

  static func integer(_ n: Int) -> FuzzJSON { .literal(String(n)) }

  /// The text, compact or indented by two spaces.
  func text(pretty: Bool) -> String {
    var out = ""
    write(into: &out, pretty: pretty, indent: "")
    return out
  }

  private func write(into out: inout String, pretty: Bool, indent: String) {
    let inner = indent + "  "
    switch self {
    case .literal(let text):
      out += text
    case .string(let text):
      out += FuzzJSON.quoted(text)
    case .array(let items):
      guard !items.isEmpty else {
        out += "[]"
        return
      }
      out += "["
      for (k, item) in items.enumerated() {
        if k > 0 { out += pretty ? ", " : "," }
        item.write(into: &out, pretty: pretty, indent: indent)
      }
      out += "]"
    case .object(let members):
      guard !members.isEmpty else {
        out += "{}"
        return
      }
      out += pretty ? "{\n" : "{"
      for (k, member) in members.enumerated() {
        if k > 0 { out += pretty ? ",\n" : "," }
        if pretty { out += inner }
        out += FuzzJSON.quoted(member.key) + (pretty ? ": " : ":")
        member.value.write(into: &out, pretty: pretty, indent: inner)
      }
      out += pretty ? "\n\(indent)}" : "}"
    }
  }

  /// A string in JSON quotes, with quotes, backslashes and control characters escaped.
  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// The members, if this is an object.
  var members: [Member]? {
    if case .object(let members) = self { return members }
    return nil
  }

  /// Sets `path` inside this object: nested objects for its first `nestedDepth` components,
  /// then one dotted key for the rest (`population` → `{"size": …}`, or `"population.size"`).
  ///
  /// A member with the same key in the same object is replaced, so only the fuzzer's explicit
  /// duplicate-key mutation writes a key twice; a member in the way that is not an object
  /// makes the rest of the path one dotted key at that level. Returns whether a member was
  /// replaced.
  @discardableResult
  mutating func put(_ path: [String], _ value: FuzzJSON, nestedDepth: Int) -> Bool {
    guard case .object(var members) = self else { return false }
    if nestedDepth > 0, path.count > 1 {
      let head = path[0]
      if let k = members.firstIndex(where: { $0.key == head }) {
        if members[k].value.members != nil {
          let replaced = members[k].value.put(
            Array(path.dropFirst()), value, nestedDepth: nestedDepth - 1)
          self = .object(members)
          return replaced
        }
      } else {
        var inner = FuzzJSON.object([])
        inner.put(Array(path.dropFirst()), value, nestedDepth: nestedDepth - 1)
        members.append(Member(key: head, value: inner))
        self = .object(members)
        return false
      }
    }
    let key = path.joined(separator: ".")
    defer { self = .object(members) }
    if let k = members.firstIndex(where: { $0.key == key }) {
      members[k].value = value
      return true
    }
    members.append(Member(key: key, value: value))
    return false
  }
}
