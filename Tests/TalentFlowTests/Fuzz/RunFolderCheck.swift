import Foundation
/// A problem the fuzz oracle found in one case.
struct FuzzFinding: Sendable {
  /// The kinds the fuzz summary counts.
  enum Kind: String, Sendable, CaseIterable {
    case crash
    case hang
    case blankCell = "blank cell"
    case lostFile = "lost file"
    case exitCode = "exit code"
    case disagreement
    case acceptedInvalid = "accepted invalid input"
    case identity
    case determinism
    case replay
    case roundTrip = "round trip"
    case message
  }

  var kind: Kind
  var detail: String
}

/// Checks of a finished run folder: the manifest's promises, every CSV cell, and the accounting
/// identities of MODEL 6 (the README's "Every row satisfies …", and those of `ModelTests`).
struct RunFolderCheck {
  let folder: URL
  /// Whether `report.html` may be in the folder besides the manifest's files.
  let report: Bool
  private(set) var findings: [FuzzFinding] = []

  init(folder: URL, report: Bool) {
    self.folder = folder
    self.report = report
  }

  private mutating func fail(_ kind: FuzzFinding.Kind, _ detail: String) {
    // A broken file breaks many rows alike; a handful of findings tell the story.
    if findings.filter({ $0.kind == kind }).count < 5 {
      findings.append(FuzzFinding(kind: kind, detail: detail))
    }
  }

  /// Every check; the findings are in `findings`.
  mutating func run() {
    let manifestURL = folder.appendingPathComponent("manifest.json")
    guard let data = try? Data(contentsOf: manifestURL),
      let manifest = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
      let files = manifest["files"] as? [[String: Any]]
    else {
      fail(.lostFile, "the run exited 0 but its folder has no readable manifest.json with files")
      return
    }
    var tables: [String: CSVTable] = [:]
    var checksums: [String: String] = [:]
    var listed: Set<String> = ["manifest.json"]
    for entry in files {
      guard let name = entry["name"] as? String, let rows = entry["rows"] as? Int,
        let bytes = entry["bytes"] as? Int, let sha = entry["sha256"] as? String
      else {
        fail(.lostFile, "manifest.json has a malformed files entry: \(entry)")
        continue
      }
      listed.insert(name)
      guard let content = try? Data(contentsOf: folder.appendingPathComponent(name)) else {
        fail(.lostFile, "\(name) is listed in manifest.json but missing")
        continue
      }
      if content.count != bytes {
        fail(.lostFile, "\(name) has \(content.count) bytes, manifest.json says \(bytes)")
      }
      checksums[name] = sha
      if let table = readTable(name, content, keeping: RunFolderCheck.columnsUsed[name]) {
        tables[name] = table
        if table.rows.count != rows {
          fail(.lostFile, "\(name) has \(table.rows.count) rows, manifest.json says \(rows)")
        }
      }
    }
    checkSums(checksums)
    let present = Set(TestFolder.contents(folder))
    let allowed = listed.union(report ? ["report.html"] : [])
    for extra in present.subtracting(allowed).sorted() {
      fail(.lostFile, "the run folder holds \(extra), which manifest.json does not list")
    }
    if report && !present.contains("report.html") {
      fail(.lostFile, "--report was given but the run folder has no report.html")
    }
    guard let series = tables["timeseries.csv"] else {
      fail(.lostFile, "the run folder has no timeseries.csv")
      return
    }
    if let ticks = manifest["ticks"] as? Int, series.rows.count != ticks + 1 {
      fail(.identity, "timeseries.csv has \(series.rows.count) rows for \(ticks) ticks")
    }
    checkIdentities(
      series, flows: tables["flows.csv"], moves: tables["moves.csv"],
      agents: tables["agents.csv"], firms: tables["firms.csv"])
  }

  // MARK: - Cells

  /// A CSV file's columns that the identities use, and its rows of those columns' cells.
  struct CSVTable {
    var columns: [String]
    var rows: [[String]]

    func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
  }

  /// The columns kept of each file (every column of the others).
  static let columnsUsed: [String: Set<String>] = [
    "agents.csv": ["tick", "sector"], "moves.csv": ["tick", "from", "to", "reason"],
    "firms.csv": ["tick", "type", "alive", "headcount"],
  ]

  /// Checks the files' SHA-256 with `sha256sum`, one process for all (the test build's own
  /// SHA-256 is unoptimised, and slow on the larger files).
  private mutating func checkSums(_ checksums: [String: String]) {
    guard !checksums.isEmpty else { return }
    let names = checksums.keys.sorted()
    guard
      let result = try? TalentflowProcess.runTool(
        "/usr/bin/sha256sum", names, in: folder, memoryLimit: FuzzOracle.memoryLimit,
        timeout: FuzzOracle.timeout),
      result.exited(with: 0)
    else {
      fail(.lostFile, "sha256sum could not read the files \(names)")
      return
    }
    for line in result.stdoutLines {
      let parts = line.split(separator: " ", maxSplits: 1)
      guard parts.count == 2 else { continue }
      let name = String(parts[1].drop { $0 == " " || $0 == "*" })
      if checksums[name] != String(parts[0]) {
        fail(.lostFile, "\(name) does not match its SHA-256 in manifest.json")
      }
    }
  }

  /// Reads a CSV file byte by byte (RFC 4180 quotes), reporting blank and non-finite cells and
  /// rows of the wrong length; keeps the cells of the columns in `keep` (all if nil).
  ///
  /// One pass over the bytes, making strings only of the cells kept or suspected: the files of a
  /// run with `output.agents` every tick are large, and the test build is not optimised.
  private mutating func readTable(_ name: String, _ content: Data, keeping keep: Set<String>?)
    -> CSVTable?
  {
    let bytes = [UInt8](content)
    guard String(validating: bytes, as: UTF8.self) != nil else {
      fail(.blankCell, "\(name) is not valid UTF-8")
      return nil
    }
    guard bytes.last == 0x0A else {
      fail(.lostFile, "\(name) does not end with a line break (a cut-off file?)")
      return nil
    }
    let nonFinite: Set<String> = ["nan", "-nan", "inf", "-inf", "+inf", "infinity", "-infinity"]
    /// Whether a byte starts `nan` or `inf` in either case.
    func isLetter(_ byte: UInt8) -> Bool {
      byte == 0x6E || byte == 0x4E || byte == 0x69 || byte == 0x49
    }
    var header: [String] = []
    var kept: [Bool] = []
    var rows: [[String]] = []
    var problems: [(FuzzFinding.Kind, String)] = []
    bytes.withUnsafeBufferPointer { b in
      var line = 0
      var field = 0
      var fieldStart = 0
      var quoted = false
      var wasQuoted = false
      var unquoted: [UInt8] = []
      var row: [String] = []
      /// Checks one cell and keeps it if its column is kept.
      func finish(_ cell: UnsafeBufferPointer<UInt8>) {
        if cell.isEmpty {
          problems.append((.blankCell, "\(name) row \(line) column \(field + 1) is empty"))
        }
        let first = cell.first ?? 0
        var suspect = isLetter(first)
        if (first == 0x2D || first == 0x2B) && cell.count > 1 { suspect = isLetter(cell[1]) }
        let keep = line > 0 && field < kept.count && kept[field]
        guard line == 0 || keep || suspect else { return }
        let text = String(decoding: cell, as: UTF8.self)
        if suspect && nonFinite.contains(text.lowercased()) {
          problems.append((.blankCell, "\(name) row \(line) column \(field + 1) is \(text)"))
        }
        if line == 0 {
          header.append(text)
        } else if keep {
          row.append(text)
        }
      }
      var i = 0
      while i < b.count {
        let c = b[i]
        if quoted {
          if c == 0x22 {
            if i + 1 < b.count && b[i + 1] == 0x22 {
              unquoted.append(0x22)
              i += 1
            } else {
              quoted = false
            }
          } else {
            unquoted.append(c)
          }
          i += 1
          continue
        }
        if c == 0x22 {
          quoted = true
          wasQuoted = true
        } else if c == 0x2C || c == 0x0A {
          if wasQuoted {
            unquoted.withUnsafeBufferPointer { finish($0) }
          } else {
            finish(UnsafeBufferPointer(rebasing: b[fieldStart..<i]))
          }
          field += 1
          if c == 0x0A {
            if line == 0 {
              kept = header.map { keep?.contains($0) ?? true }
            } else {
              if field != header.count {
                problems.append(
                  (.blankCell, "\(name) row \(line) has \(field) cells, the header \(header.count)")
                )
              }
              rows.append(row)
            }
            row = []
            field = 0
            line += 1
          }
          fieldStart = i + 1
          wasQuoted = false
          unquoted = []
        }
        i += 1
      }
    }
    for (kind, detail) in problems { fail(kind, detail) }
    guard !header.isEmpty else {
      fail(.lostFile, "\(name) has no header")
      return nil
    }
    let columns = header.indices.filter { kept[$0] }.map { header[$0] }
    return CSVTable(columns: columns, rows: rows)
  }

  // MARK: - Identities

  private mutating func checkIdentities(
    _ series: CSVTable, flows: CSVTable?, moves: CSVTable?, agents: CSVTable?, firms: CSVTable?
  ) {
    var ts: [[String: Double]] = []
    for row in series.rows {
      var values: [String: Double] = [:]
      for (name, text) in zip(series.columns, row) {
        guard let x = Double(text), x.isFinite else {
          fail(.blankCell, "timeseries.csv column \(name) holds \(text)")
          return
        }
        values[name] = x
      }
      ts.append(values)
    }
    func v(_ row: [String: Double], _ name: String) -> Double { row[name] ?? .nan }
    for (k, r) in ts.enumerated() {
      if v(r, "tick") != Double(k) {
        fail(.identity, "timeseries.csv row \(k) has tick \(v(r, "tick"))")
      }
      let sum = v(r, "employed_bigtech") + v(r, "employed_startup") + v(r, "unemployed")
      if v(r, "professionals") != sum {
        fail(
          .identity,
          "tick \(k): professionals \(v(r, "professionals")) ≠ employed + unemployed \(sum)")
      }
      if v(r, "foundings") != v(r, "startups_born") {
        fail(.identity, "tick \(k): foundings \(v(r, "foundings")) ≠ startups_born")
      }
      guard k > 0 else { continue }
      let p = ts[k - 1]
      if v(r, "professionals") - v(p, "professionals") != v(r, "entrants") - v(r, "exits") {
        fail(.identity, "tick \(k): the change in professionals is not entrants − exits")
      }
      let startups =
        v(r, "startups_born") - v(r, "startups_failed") - v(r, "startups_acquired")
        - v(r, "startups_graduated")
      if v(r, "firms_startup") - v(p, "firms_startup") != startups {
        fail(
          .identity,
          "tick \(k): living startups change by \(v(r, "firms_startup") - v(p, "firms_startup")), "
            + "births − deaths − graduations is \(startups)"
        )
      }
      if v(r, "firms_bigtech") - v(p, "firms_bigtech") != v(r, "startups_graduated") {
        fail(.identity, "tick \(k): big-tech firms change other than by graduations")
      }
    }
    guard let flows else { return }
    // Flows by tick, and (from, to, reason) → count.
    var byTick: [Int: [String: Double]] = [:]
    var keyed: [String: Double] = [:]
    for row in flows.rows where row.count == 5 {
      guard let tick = Int(row[0]), let count = Double(row[4]) else {
        fail(.blankCell, "flows.csv row \(row) is not numeric")
        continue
      }
      if tick == 0 || count <= 0 { fail(.identity, "flows.csv has a row \(row)") }
      byTick[tick, default: [:]]["reason:" + row[3], default: 0] += count
      byTick[tick, default: [:]]["in:" + row[2], default: 0] += count
      byTick[tick, default: [:]]["out:" + row[1], default: 0] += count
      keyed["\(tick),\(row[1]),\(row[2]),\(row[3])", default: 0] += count
    }
    let reasons: [(String, [String])] = [
      (
        "voluntary",
        [
          "moves_bigtech_to_startup", "moves_startup_to_bigtech",
          "moves_startup_to_startup", "moves_bigtech_to_bigtech",
        ]
      ),
      ("hire", ["hires_bigtech", "hires_startup"]),
      ("layoff", ["layoffs_bigtech", "layoffs_startup"]),
      ("failure", ["failures_displaced"]), ("acquisition", ["acquisition_transfers"]),
      ("graduation", ["graduation_transfers"]), ("founding", ["foundings"]),
      ("entry", ["entrants"]), ("exit", ["exits"]),
    ]
    let stocks = [
      ("bigtech", "employed_bigtech"), ("startup", "employed_startup"),
      ("unemployed", "unemployed"),
    ]
    for (k, r) in ts.enumerated() where k > 0 {
      let f = byTick[k] ?? [:]
      for (reason, columns) in reasons {
        let total = columns.reduce(0) { $0 + v(r, $1) }
        if (f["reason:" + reason] ?? 0) != total {
          fail(
            .identity,
            "tick \(k): flows.csv has \(f["reason:" + reason] ?? 0) \(reason) moves, "
              + "timeseries.csv \(total)"
          )
        }
      }
      for (sector, column) in stocks {
        let net = (f["in:" + sector] ?? 0) - (f["out:" + sector] ?? 0)
        if v(r, column) - v(ts[k - 1], column) != net {
          fail(
            .identity,
            "tick \(k): \(column) changes by \(v(r, column) - v(ts[k - 1], column)), "
              + "its flows net \(net)"
          )
        }
      }
    }
    if let moves, let from = moves.column("from"), let to = moves.column("to"),
      let reason = moves.column("reason"), let tick = moves.column("tick")
    {
      var counted: [String: Double] = [:]
      for row in moves.rows where row.count == moves.columns.count {
        counted["\(row[tick]),\(row[from]),\(row[to]),\(row[reason])", default: 0] += 1
      }
      if counted != keyed {
        fail(.identity, "moves.csv counted by tick, sectors and reason differs from flows.csv")
      }
    }
    if let agents, let tick = agents.column("tick"), let sector = agents.column("sector") {
      var counted: [String: Double] = [:]
      for row in agents.rows where row.count == agents.columns.count {
        counted["\(row[tick]),\(row[sector])", default: 0] += 1
      }
      for key in counted.keys.sorted() {
        let parts = key.split(separator: ",")
        guard let t = Int(parts[0]), t < ts.count,
          let column = stocks.first(where: { $0.0 == parts[1] })?.1
        else {
          fail(.identity, "agents.csv has rows for \(key)")
          continue
        }
        if counted[key] != v(ts[t], column) {
          fail(
            .identity,
            "agents.csv has \(counted[key] ?? 0) \(parts[1]) professionals at tick \(t), "
              + "timeseries.csv \(v(ts[t], column))"
          )
        }
      }
    }
    if let firms, let tick = firms.column("tick"), let type = firms.column("type"),
      let alive = firms.column("alive"), let headcount = firms.column("headcount")
    {
      var counted: [Int: [String: Double]] = [:]
      for row in firms.rows where row.count == firms.columns.count && row[alive] == "true" {
        guard let t = Int(row[tick]), let h = Double(row[headcount]) else { continue }
        counted[t, default: [:]]["firms_" + row[type], default: 0] += 1
        counted[t, default: [:]]["employed_" + row[type], default: 0] += h
      }
      for (t, values) in counted.sorted(by: { $0.key < $1.key }) where t < ts.count {
        for (column, value) in values.sorted(by: { $0.key < $1.key })
        where value != v(ts[t], column) {
          fail(
            .identity,
            "firms.csv at tick \(t): \(column) \(value), timeseries.csv \(v(ts[t], column))")
        }
      }
    }
  }
}
