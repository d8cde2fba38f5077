import Foundation
import Testing

/// The library's folders depend on one another in one direction (README, "How the code is laid
/// out"): a folder may use the types of the folders it lists, never the others.
///
/// A type belongs to the folder that declares it at the top level of a file; a file uses a type
/// when its code (comments and string literals removed) names it. A name that the using folder
/// declares itself, nested or not, is its own (`Configuration.Firms` is not Model's `Firms`).
@Suite("Layering: each folder uses only the folders below it")
struct LayeringTests {
  /// What each folder of `Sources/TalentFlow` may use besides itself; "" is the top level.
  static let allowed: [String: Set<String>] = [
    "Support": [],
    "Random": ["Support"],
    "Config": ["Random", "Support", ""],
    "Model": ["Config", "Random", "Support"],
    "Output": ["Model", "Config", "Random", "Support", ""],
    "Checkpoint": ["Output", "Model", "Config", "Random", "Support", ""],
    "Engine": ["Checkpoint", "Output", "Model", "Config", "Random", "Support", ""],
    "Experiments": ["Engine", "Checkpoint", "Output", "Model", "Config", "Random", "Support", ""],
    "Report": ["Experiments", "Output", "Model", "Config", "Random", "Support", ""],
    "": [],
  ]

  /// Every Swift file of the library: its folder and its code without comments and strings.
  static func sources() throws -> [(folder: String, file: String, code: String)] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Sources/TalentFlow")
    let files =
      FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
      .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
    return try files.map { url in
      let relative = url.path.dropFirst(root.path.count + 1)
      let parts = relative.split(separator: "/")
      let folder = parts.count > 1 ? String(parts[0]) : ""
      let text = try String(contentsOf: url, encoding: .utf8)
      return (folder, String(relative), strip(text))
    }.sorted { $0.file < $1.file }
  }

  /// The text without `//` comments, block comments and the contents of string literals.
  static func strip(_ text: String) -> String {
    var code = text.replacingOccurrences(
      of: #"/\*[\s\S]*?\*/"#, with: "", options: .regularExpression)
    code = code.replacingOccurrences(of: #"//[^\n]*"#, with: "", options: .regularExpression)
    code = code.replacingOccurrences(
      of: #"\"\"\"[\s\S]*?\"\"\""#, with: "\"\"", options: .regularExpression)
    return code.replacingOccurrences(
      of: #""(?:[^"\\\n]|\\.)*""#, with: "\"\"", options: .regularExpression)
  }

  /// Type names declared in `code`; `topLevel` keeps only those declared without indentation.
  static func declaredTypes(_ code: String, topLevel: Bool) -> Set<String> {
    let indent = topLevel ? "" : #"[ \t]*"#
    let pattern =
      "(?m)^" + indent
      + #"(?:(?:public|internal|private|fileprivate|final|indirect)\s+)*(?:struct|enum|class|protocol|typealias|actor)\s+([A-Z]\w*)"#
    let regex = try! NSRegularExpression(pattern: pattern)
    let range = NSRange(code.startIndex..., in: code)
    return Set(
      regex.matches(in: code, range: range).map { String(code[Range($0.range(at: 1), in: code)!]) }
    )
  }

  @Test("no folder names a type of a folder it may not use")
  func dependenciesPointDown() throws {
    let files = try Self.sources()
    #expect(files.count > 50, "the library's sources were not found")
    var owner: [String: String] = [:]
    var declaredIn: [String: Set<String>] = [:]
    for file in files {
      for name in Self.declaredTypes(file.code, topLevel: true) where owner[name] == nil {
        owner[name] = file.folder
      }
      declaredIn[file.folder, default: []].formUnion(Self.declaredTypes(file.code, topLevel: false))
    }
    for folder in Set(files.map(\.folder)) {
      #expect(Self.allowed[folder] != nil, "folder \(folder) is not in the layering table")
    }
    var violations: [String] = []
    for file in files {
      let allowed = Self.allowed[file.folder] ?? []
      let own = declaredIn[file.folder] ?? []
      for (name, folder) in owner.sorted(by: { $0.key < $1.key })
      where folder != file.folder && !allowed.contains(folder) && !own.contains(name) {
        if file.code.range(of: #"\b\#(name)\b"#, options: .regularExpression) != nil {
          violations.append(
            "\(file.file) uses \(name) of \(folder.isEmpty ? "the top level" : folder)")
        }
      }
    }
    #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
  }
}
