import Foundation
import Testing

@testable import TalentFlow

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// An element of a parsed XML document: name, attributes and its own text.
struct ParsedElement {
  var name: String
  var attributes: [String: String]
  var text: String
}

/// Collects elements while Foundation's `XMLParser` reads a document.
private final class ElementCollector: NSObject, XMLParserDelegate {
  var elements: [ParsedElement] = []
  var open: [Int] = []
  var failure: String?

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    open.append(elements.count)
    elements.append(ParsedElement(name: name, attributes: attributes, text: ""))
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if let k = open.last { elements[k].text += string }
  }

  func parser(
    _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
  ) {
    if !open.isEmpty { open.removeLast() }
  }

  func parser(_ parser: XMLParser, parseErrorOccurred error: any Error) {
    failure =
      "line \(parser.lineNumber), column \(parser.columnNumber): \(error.localizedDescription)"
  }
}

/// Parses `text` as XML with Foundation's `XMLParser`.
///
/// On Linux `parse()` can return true for a malformed document, so the parser's error and the
/// delegate's error are checked as well.
func parseXML(_ text: String) -> (elements: [ParsedElement], error: String?) {
  let parser = XMLParser(data: Data(text.utf8))
  let collector = ElementCollector()
  parser.delegate = collector
  let ok = parser.parse()
  if !ok || parser.parserError != nil || collector.failure != nil {
    let message =
      collector.failure ?? parser.parserError.map { "\($0)" } ?? "the parser gave up"
    return (collector.elements, message)
  }
  return (collector.elements, nil)
}

/// Attributes that hold numbers or coordinates.
private let numericAttributes: Set<String> = [
  "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height", "d", "transform",
  "viewBox", "font-size", "stroke-width", "fill-opacity", "stroke-opacity",
]

/// Problems with the numbers in an SVG's attributes: "nan" or "inf" anywhere, or a number that
/// does not parse as a finite value.
func nonFiniteAttributes(_ elements: [ParsedElement]) -> [String] {
  var problems: [String] = []
  for element in elements {
    for (name, value) in element.attributes.sorted(by: { $0.key < $1.key })
    where numericAttributes.contains(name) {
      let lowered = value.lowercased()
      if lowered.contains("nan") || lowered.contains("inf") {
        problems.append("<\(element.name) \(name)=\"\(value.prefix(80))\">")
        continue
      }
      for token in numberTokens(value) where Double(token).map({ !$0.isFinite }) ?? true {
        problems.append("<\(element.name) \(name)> has \(token)")
      }
    }
  }
  return problems
}

/// The numbers in an attribute such as a path ("M1 2 L3.5 -4").
func numberTokens(_ value: String) -> [String] {
  var tokens: [String] = []
  var current = ""
  func flush() {
    if current.contains(where: { $0.isNumber }) { tokens.append(current) }
    current = ""
  }
  for c in value {
    if c.isNumber || c == "." {
      current.append(c)
    } else if (c == "e" || c == "E") && current.last?.isNumber == true {
      current.append(c)
    } else if c == "-" || c == "+" {
      if current.last == "e" || current.last == "E" {
        current.append(c)
      } else {
        flush()
        current = String(c)
      }
    } else {
      flush()
    }
  }
  flush()
  return tokens
}

/// The points of a path's `d` (pairs after each M or L), ignoring curves.
func pathPoints(_ d: String) -> [(x: Double, y: Double)] {
  var points: [(Double, Double)] = []
  for command in d.split(whereSeparator: { $0 == "M" || $0 == "L" }) {
    let numbers = numberTokens(String(command)).compactMap(Double.init)
    if numbers.count >= 2 { points.append((numbers[0], numbers[1])) }
  }
  return points
}

/// Checks that a chart's SVG is well-formed with only finite numbers, and returns its elements.
func checkedSVG(
  _ chart: RenderedChart, sourceLocation: SourceLocation = #_sourceLocation
) -> [ParsedElement] {
  let parsed = parseXML(chart.standaloneSVG)
  #expect(parsed.error == nil, "\(chart.id): \(parsed.error ?? "")", sourceLocation: sourceLocation)
  #expect(
    nonFiniteAttributes(parsed.elements).isEmpty,
    "\(chart.id): \(nonFiniteAttributes(parsed.elements).prefix(5))",
    sourceLocation: sourceLocation)
  #expect(parsed.elements.first?.name == "svg", sourceLocation: sourceLocation)
  return parsed.elements
}

/// Writes a synthetic run folder with known contents.
///
/// Stocks: big tech 100 + t, startups 50, unemployed 10; one big-tech → startup move per tick;
/// two big-tech firms offering RSUs of 60 and 80 k$ in firms.csv every 12 ticks. With
/// `constant`, every value is 0 instead.
@discardableResult
func writeSyntheticRun(
  in folder: URL, ticks: Int, ticksPerYear: Int = 12, name: String = "synthetic",
  description: String = "A synthetic run with known values.", constant: Bool = false,
  firms: Bool = true
) throws -> URL {
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  var timeseries = Timeseries.columns.joined(separator: ",") + "\n"
  var flows = "tick,from,to,reason,count\n"
  for t in 0...ticks {
    let year = t == 0 ? 0 : (t + ticksPerYear - 1) / ticksPerYear
    let row: [Double] = Timeseries.columns.map { column in
      switch column {
      case "tick": return Double(t)
      case "year": return Double(year)
      case _ where constant: return 0
      case "professionals": return Double(160 + t)
      case "employed_bigtech": return Double(100 + t)
      case "employed_startup": return 50
      case "unemployed": return 10
      case "firms_bigtech": return 2
      case "firms_startup": return 20
      case "moves_bigtech_to_startup": return t > 0 ? 1 : 0
      case "funding_climate": return 1 + 0.1 * sin(Double(t) / 7)
      case "mean_wage_bigtech": return 15
      case "mean_wage_startup": return 12
      case "mean_equity_offer": return 0.004
      default: return 0
      }
    }
    timeseries +=
      row.map { $0 == $0.rounded() ? String(Int($0)) : "\($0)" }
      .joined(separator: ",") + "\n"
    if t > 0 && !constant {
      flows += "\(t),bigtech,startup,voluntary,1\n"
      flows += "\(t),outside,unemployed,entry,1\n"
    }
  }
  var files: [(String, String)] = [("timeseries.csv", timeseries), ("flows.csv", flows)]
  if firms {
    var text = RunOutput.firms.columns.joined(separator: ",") + "\n"
    for t in stride(from: 0, through: ticks, by: 12) {
      for (firm, offer) in [(0, 60), (1, 80)] {
        text += "\(t),\(firm),bigtech,true,10,100,0,0,0,0,0,\(offer),0.85,0.9,0.75,0.45,0.3,0.6\n"
      }
      text += "\(t),2,startup,true,10,10,0,100,0,1000,1,0.004,0.5,0.3,0.4,0.8,0.9,0.45\n"
    }
    files.append(("firms.csv", text))
  }
  var listed: [JSONValue] = []
  for (file, text) in files {
    try Data(text.utf8).write(to: folder.appendingPathComponent(file))
    listed.append(
      .object([
        ("name", .string(file)), ("rows", .number(Double(text.split(separator: "\n").count - 1))),
        ("bytes", .number(Double(text.utf8.count))),
        ("sha256", .string(SHA256.hexDigest(Array(text.utf8)))),
      ]))
  }
  let manifest = JSONValue.object([
    ("tool", .string("talentflow")), ("toolVersion", .string("0.1.0")),
    ("modelSpecification", .string("MODEL.md v1.2")), ("modelVersion", .string("1.2.0")),
    ("seed", .number(7)), ("ticks", .number(Double(ticks))), ("warmup", .number(0)),
    ("configurationSHA256", .string(String(repeating: "ab", count: 32))),
    (
      "configuration",
      .object([
        ("name", .string(name)), ("description", .string(description)), ("seed", .number(7)),
        (
          "time",
          .object([
            ("ticksPerYear", .number(Double(ticksPerYear))), ("ticks", .number(Double(ticks))),
            ("warmup", .number(0)),
          ])
        ),
        ("population", .object([("size", .number(160))])),
      ])
    ),
    ("files", .array(listed)),
  ])
  try Data(manifest.serialized(pretty: true).utf8).write(
    to: folder.appendingPathComponent("manifest.json"))
  return folder
}

/// Writes a synthetic sweep folder with known contents.
///
/// `points` design points of one key `policy.nonCompete` = (p − 1)/10, two replicates each with
/// `startup_share_final` 0.1·p ± 0.01 and every other measure p; in `summary.csv`, for every
/// timeseries column over ticks 0…12, mean 100·p + tick with the band ±5.
@discardableResult
func writeSyntheticSweep(in folder: URL, points: Int) throws -> URL {
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  var design = "point,policy.nonCompete\n"
  var runs =
    "run,point,replicate,seed,policy.nonCompete,"
    + RunMeasures.headlineNames.joined(separator: ",") + "\n"
  var summary = "point,tick,column,mean,sd,q025,q975\n"
  let columns = Timeseries.columns.filter { $0 != "tick" && $0 != "year" }
  for p in 1...points {
    let value = Double(p - 1) / 10
    design += "\(p),\(value)\n"
    for r in 1...2 {
      let share = 0.1 * Double(p) + (r == 1 ? -0.01 : 0.01)
      let measures = RunMeasures.headlineNames.map {
        $0 == "startup_share_final" ? "\(share)" : "\(p)"
      }
      runs += "p\(p)-r\(r),\(p),\(r),\(r),\(value)," + measures.joined(separator: ",") + "\n"
    }
    for tick in 0...12 {
      for column in columns {
        let mean = Double(100 * p + tick)
        summary += "\(p),\(tick),\(column),\(Int(mean)),5,\(Int(mean - 5)),\(Int(mean + 5))\n"
      }
    }
  }
  var listed: [JSONValue] = []
  for (file, text) in [("design.csv", design), ("runs.csv", runs), ("summary.csv", summary)] {
    try Data(text.utf8).write(to: folder.appendingPathComponent(file))
    listed.append(
      .object([
        ("name", .string(file)), ("rows", .number(Double(text.split(separator: "\n").count - 1))),
        ("sha256", .string(SHA256.hexDigest(Array(text.utf8)))),
      ]))
  }
  let manifest = JSONValue.object([
    ("tool", .string("talentflow")), ("toolVersion", .string("0.1.0")),
    ("modelSpecification", .string("MODEL.md v1.2")), ("modelVersion", .string("1.2.0")),
    ("kind", .string("sweep")), ("name", .string("synthetic-sweep")),
    ("sweepSHA256", .string(String(repeating: "cd", count: 32))),
    ("designPoints", .number(Double(points))), ("replicates", .number(2)),
    ("runs", .number(Double(2 * points))), ("keep", .string("none")),
    ("parameters", .array([.string("policy.nonCompete")])),
    (
      "configuration",
      .object([
        ("name", .string("baseline")), ("description", .string("The base.")),
        ("time", .object([("ticksPerYear", .number(12)), ("ticks", .number(12))])),
        ("population", .object([("size", .number(1000))])),
      ])
    ),
    ("files", .array(listed)),
  ])
  try Data(manifest.serialized(pretty: true).utf8).write(
    to: folder.appendingPathComponent("manifest.json"))
  return folder
}

/// Writes a synthetic comparison folder with known contents.
///
/// `difference.csv`: every timeseries column over ticks 0…12 with mean difference tick − 6 and
/// the interval ±2; `summary.csv`: measure k with base 100, policy 100 + k, interval k ± 1.5.
@discardableResult
func writeSyntheticComparison(in folder: URL) throws -> URL {
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  var difference = "tick,column,mean_difference,ci_low,ci_high,replicates\n"
  for tick in 0...12 {
    for column in Timeseries.columns where column != "tick" && column != "year" {
      difference += "\(tick),\(column),\(tick - 6),\(tick - 8),\(tick - 4),5\n"
    }
  }
  var summary =
    "measure,base_mean,policy_mean,difference,ci_low,ci_high,relative_effect_pct,"
    + "paired_ci_width,unpaired_ci_width,width_ratio,replicates,description\n"
  for (k, measure) in RunMeasures.headline.enumerated() {
    summary +=
      "\(measure.name),100,\(100 + k),\(k),\(Double(k) - 1.5),\(Double(k) + 1.5),\(k),3,6,0.5,5,"
      + "\"\(measure.definitionAndUnit)\"\n"
  }
  var listed: [JSONValue] = []
  for (file, text) in [("difference.csv", difference), ("summary.csv", summary)] {
    try Data(text.utf8).write(to: folder.appendingPathComponent(file))
    listed.append(
      .object([("name", .string(file)), ("sha256", .string(SHA256.hexDigest(Array(text.utf8))))]))
  }
  func side(_ name: String) -> JSONValue {
    .object([
      ("file", .string("configs/scenarios/\(name).json")),
      ("configurationSHA256", .string(String(repeating: "ef", count: 32))),
      (
        "configuration",
        .object([
          ("name", .string(name)), ("description", .string("The \(name) scenario.")),
          ("time", .object([("ticksPerYear", .number(12)), ("ticks", .number(12))])),
          ("population", .object([("size", .number(1000))])),
        ])
      ),
    ])
  }
  let manifest = JSONValue.object([
    ("tool", .string("talentflow")), ("toolVersion", .string("0.1.0")),
    ("modelSpecification", .string("MODEL.md v1.2")), ("modelVersion", .string("1.2.1")),
    ("command", .string("compare")), ("replicates", .number(5)),
    ("seeds", .array((1...5).map { .number(Double($0)) })), ("ticks", .number(12)),
    ("confidenceLevel", .number(0.95)), ("base", side("baseline")), ("policy", side("ban")),
    ("files", .array(listed)),
  ])
  try Data(manifest.serialized(pretty: true).utf8).write(
    to: folder.appendingPathComponent("manifest.json"))
  return folder
}
