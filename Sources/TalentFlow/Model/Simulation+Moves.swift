import Foundation

/// Moving people between employers, granting equity and laying off (MODEL 4.2, 4.6, 4.10): the
/// operations every step that moves someone shares.
extension Simulation {
  /// The sector of an employer value.
  @inline(__always)
  func sector(ofEmployer e: Int32) -> Sector {
    Simulation.sector(ofEmployer: e, types: firms.type)
  }

  /// The sector of employer code `e`, given every firm's type.
  @inline(__always)
  static func sector(ofEmployer e: Int32, types: ContiguousArray<FirmType>) -> Sector {
    if e >= 0 { return Sector(types[Int(e)]) }
    return e == Professionals.unemployed ? .unemployed : .outside
  }

  /// Moves the professional in slot `p` to a new employer, forfeiting her grant (MODEL 4.6).
  mutating func move(_ p: Int, to newEmployer: Int32, reason: FlowReason) {
    skillSumsAfterUpdates = nil  // a layoffs event in step 1 would make them stale
    let old = professionals.employer[p]
    let from = sector(ofEmployer: old)
    let to = sector(ofEmployer: newEmployer)
    if old >= 0 { firms.headcount[Int(old)] -= 1 }
    if newEmployer >= 0 { firms.headcount[Int(newEmployer)] += 1 }
    professionals.employer[p] = newEmployer
    professionals.tenure[p] = 0
    professionals.grant[p] = 0
    professionals.stake[p] = 0
    flows.add(from, to, reason)
    if config.output.moves {
      moves.append(
        Move(
          professional: professionals.id[p], fromFirm: max(old, -1), toFirm: max(newEmployer, -1),
          from: from, to: to, reason: reason))
    }
  }

  /// Gives a hire the grant of MODEL 4.6: a stake from the pool at a startup, 4 · r at big tech.
  mutating func grantEquity(_ p: Int, at j: Int) {
    if firms.type[j] == .startup {
      let s = max(0, min(firms.equityOffer[j], firms.optionPool[j]))
      firms.optionPool[j] -= s
      professionals.stake[p] = s
      professionals.grant[p] = s * firms.valuation[j]
    } else {
      professionals.stake[p] = 0
      professionals.grant[p] = 4 * firms.equityOffer[j]
    }
  }

  /// Slots of the current employees of each flagged firm, in slot (so id) order.
  ///
  /// The scan over every professional runs in parallel chunks; each chunk's finds are taken in
  /// chunk order, so every list is in slot order whatever the thread count (`MemberScan`).
  func members(ofFlagged flagged: [Bool]) -> [Int: [Int]] {
    let scan = MemberScan(flagged: flagged)
    let found: [[(firm: Int32, slot: Int32)]] = professionals.employer.withUnsafeBufferPointer {
      employerBuffer in
      nonisolated(unsafe) let employer = employerBuffer
      return parallel.mapChunks(count: employer.count) { range in
        scan.members(in: range, employer)
      }
    }
    var lists: [Int: [Int]] = [:]
    for chunk in found {
      for (e, p) in chunk { lists[Int(e), default: []].append(Int(p)) }
    }
    return lists
  }

  /// Lays off `count` of a firm's members, lowest score first (ties by id) (MODEL 4.2, 4.10).
  mutating func layOff(_ count: Int, of members: [Int], scores: [Double]) {
    let order = members.indices.map { (scores[$0], professionals.id[members[$0]], members[$0]) }
      .sorted { a, b in a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }
    for (_, _, p) in order.prefix(count) {
      move(p, to: Professionals.unemployed, reason: .layoff)
    }
  }
}

/// The scan of `members(ofFlagged:)`: which slots a few flagged firms employ.
///
/// Most ticks flag a handful of firms, so nearly every professional is passed over. The scan
/// looks each employer value up in a table with a byte for every value an employer can take
/// (the flagged firms' bytes are 1; the unemployed, the gone and every other firm's are 0), and
/// ORs eight of them before it branches: one branch per eight professionals that is rarely
/// taken, instead of two per professional, one of them (employed or not) taken at random. The
/// members found, and their order, are those of a plain scan.
struct MemberScan: Sendable {
  /// Byte `e + 2` is 1 if employer value e is a flagged firm (e ≥ −2: `Professionals.gone`).
  private let table: [UInt8]

  init(flagged: [Bool]) {
    precondition(Professionals.gone == -2 && Professionals.unemployed == -1, "table offset")
    table = [0, 0] + flagged.map { $0 ? 1 : 0 }
  }

  /// Each slot of `range` employed by a flagged firm, with its firm, in slot order.
  func members(
    in range: Range<Int>, _ employer: UnsafeBufferPointer<Int32>
  ) -> [(firm: Int32, slot: Int32)] {
    var out: [(firm: Int32, slot: Int32)] = []
    table.withUnsafeBufferPointer { table in
      @inline(__always) func isMember(_ e: Int32) -> UInt8 {
        table[Int(truncatingIfNeeded: e &+ 2)]
      }
      var p = range.lowerBound
      while p + 8 <= range.upperBound {
        var any: UInt8 = 0
        for i in 0..<8 { any |= isMember(employer[p + i]) }
        if any != 0 {
          for i in 0..<8 where isMember(employer[p + i]) != 0 {
            out.append((employer[p + i], Int32(truncatingIfNeeded: p + i)))
          }
        }
        p += 8
      }
      while p < range.upperBound {
        if isMember(employer[p]) != 0 { out.append((employer[p], Int32(truncatingIfNeeded: p))) }
        p += 1
      }
    }
    return out
  }
}
