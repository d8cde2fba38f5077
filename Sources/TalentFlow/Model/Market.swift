import Foundation

/// One application from search (step 7) to matching (step 8).
struct Application: Sendable {
  var slot: Int32
  var firm: Int32
  var score: Double
  var id: UInt32
}

/// MODEL 3 step 8: matching (MODEL 4.6). Search (step 7) is in Search.swift, updates (step 9)
/// in Updates.swift.
extension Simulation {
  // MARK: Step 8 — matching

  /// Firms, in index order, accept their best applicants up to their vacancies (MODEL 4.6).
  ///
  /// Each accepted professional moves as `move` and `grantEquity` would move her, in the same
  /// order, but in three passes: her current employer and id are read in parallel, the firms'
  /// side (headcounts, option pools, flows, the move log) is done in order, and her own new
  /// employer, tenure, grant and stake are written in parallel. A professional applies to one
  /// firm at most, so the passes over professionals touch disjoint slots; their reads and writes
  /// are random and would otherwise wait on memory one hire at a time.
  mutating func match(_ applications: [Application]) {
    let ordered = Simulation.sortedForMatching(
      applications, firmCount: firms.count, parallel: parallel)
    // Which applications are accepted, in firm order.
    var hires: [(slot: Int32, firm: Int32)] = []
    hires.reserveCapacity(ordered.count)
    let vacancies = firms.vacancies
    firms.applications.withUnsafeMutableBufferPointer { applications in
      firms.hires.withUnsafeMutableBufferPointer { hired in
        var start = 0
        while start < ordered.count {
          let j = Int(ordered[start].firm)
          var end = start
          while end < ordered.count && Int(ordered[end].firm) == j { end += 1 }
          applications[j] = Int32(end - start)
          let accepted = min(end - start, Int(vacancies[j]))
          for a in ordered[start..<(start + accepted)] { hires.append((a.slot, a.firm)) }
          hired[j] = Int32(accepted)
          start = end
        }
      }
    }
    let leaving = currentEmployers(of: hires)
    // The firms' side, hire by hire in order, on the arrays' buffers: this loop runs on one
    // thread, and checking the array's uniqueness at every access took much of its time.
    var stakes = [Double](repeating: 0, count: hires.count)
    var grants = [Double](repeating: 0, count: hires.count)
    let type = firms.type
    let equityOffer = firms.equityOffer
    let valuation = firms.valuation
    let logMoves = config.output.moves
    var flows = FlowTable()
    var moves: [Move] = []
    swap(&moves, &self.moves)
    firms.headcount.withUnsafeMutableBufferPointer { headcount in
      firms.optionPool.withUnsafeMutableBufferPointer { optionPool in
        for (i, hire) in hires.enumerated() {
          let j = Int(hire.firm)
          let old = leaving[i].employer
          let reason: FlowReason = old >= 0 ? .voluntary : .hire
          let from = Simulation.sector(ofEmployer: old, types: type)
          let to = Simulation.sector(ofEmployer: hire.firm, types: type)
          if old >= 0 { headcount[Int(old)] -= 1 }
          headcount[j] += 1
          flows.add(from, to, reason)
          if logMoves {
            moves.append(
              Move(
                professional: leaving[i].id, fromFirm: max(old, -1), toFirm: hire.firm,
                from: from, to: to, reason: reason))
          }
          // The grant of MODEL 4.6, as `grantEquity` gives it.
          if type[j] == .startup {
            let stake = max(0, min(equityOffer[j], optionPool[j]))
            optionPool[j] -= stake
            stakes[i] = stake
            grants[i] = stake * valuation[j]
          } else {
            grants[i] = 4 * equityOffer[j]
          }
        }
      }
    }
    swap(&moves, &self.moves)
    self.flows.add(flows)
    joinNewEmployers(hires, stakes: stakes, grants: grants)
    // This tick's market becomes "last tick's" for next tick's offers (MODEL 4.3).
    firms.lastVacancies.withUnsafeMutableBufferPointer {
      _ = $0.update(fromContentsOf: firms.vacancies)
    }
    firms.lastHires.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: firms.hires) }
    firms.lastApplications.withUnsafeMutableBufferPointer {
      _ = $0.update(fromContentsOf: firms.applications)
    }
    firms.hires.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    firms.applications.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
  }

  /// Each hire's current employer and id, read in parallel chunks.
  func currentEmployers(of hires: [(slot: Int32, firm: Int32)]) -> [(employer: Int32, id: UInt32)] {
    let chunks = professionals.employer.withUnsafeBufferPointer { employerBuffer in
      professionals.id.withUnsafeBufferPointer { idBuffer in
        nonisolated(unsafe) let employer = employerBuffer
        nonisolated(unsafe) let id = idBuffer
        return parallel.mapChunks(count: hires.count) { range in
          range.map { i -> (employer: Int32, id: UInt32) in
            let p = Int(hires[i].slot)
            return (employer[p], id[p])
          }
        }
      }
    }
    return chunks.flatMap { $0 }
  }

  /// Writes each hire's new employer, tenure 0, grant and stake, in parallel chunks.
  mutating func joinNewEmployers(
    _ hires: [(slot: Int32, firm: Int32)], stakes: [Double], grants: [Double]
  ) {
    let parallel = self.parallel
    professionals.employer.withUnsafeMutableBufferPointer { employerBuffer in
      professionals.tenure.withUnsafeMutableBufferPointer { tenureBuffer in
        professionals.grant.withUnsafeMutableBufferPointer { grantBuffer in
          professionals.stake.withUnsafeMutableBufferPointer { stakeBuffer in
            nonisolated(unsafe) let employer = employerBuffer
            nonisolated(unsafe) let tenure = tenureBuffer
            nonisolated(unsafe) let grant = grantBuffer
            nonisolated(unsafe) let stake = stakeBuffer
            parallel.forEachChunk(count: hires.count) { _, range, _ in
              for i in range {
                let p = Int(hires[i].slot)
                employer[p] = hires[i].firm
                tenure[p] = 0
                grant[p] = grants[i]
                stake[p] = stakes[i]
              }
            }
          }
        }
      }
    }
  }

  /// Applications by firm, then score (highest first), then professional id.
  ///
  /// A counting sort by firm, then a sort of each firm's applicants: the same order as one
  /// comparison sort with that key (a total order, as a professional applies at most once).
  /// Each firm's applicants are sorted on their own, the largest groups (big tech's) first,
  /// on up to `parallel.threads` threads; the order is the same on any number.
  static func sortedForMatching(
    _ applications: [Application], firmCount: Int, parallel: Parallel = Parallel(threads: 1)
  ) -> [Application] {
    guard applications.count > 1 else { return applications }
    // The counting sort runs on one thread, on the buffers: every application is written
    // once, so `ordered` is not filled first.
    var start = [Int](repeating: 0, count: firmCount + 1)
    start.withUnsafeMutableBufferPointer { start in
      for a in applications {
        let j = Int(a.firm)
        precondition(j >= 0 && j < firmCount, "an application to firm \(j) of \(firmCount)")
        start[j + 1] += 1
      }
      for j in 0..<firmCount { start[j + 1] += start[j] }
    }
    var next = start
    var ordered = [Application](unsafeUninitializedCapacity: applications.count) {
      ordered, count in
      next.withUnsafeMutableBufferPointer { next in
        for a in applications {
          ordered.initializeElement(at: next[Int(a.firm)], to: a)
          next[Int(a.firm)] += 1
        }
      }
      count = applications.count
    }
    var groups: [Range<Int>] = []
    for j in 0..<firmCount where start[j + 1] - start[j] > 1 {
      groups.append(start[j]..<start[j + 1])
    }
    groups.sort { a, b in a.count != b.count ? a.count > b.count : a.lowerBound < b.lowerBound }
    ordered.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let all = buffer
      // Groups are disjoint, so each is sorted by one thread without touching the others.
      parallel.forEachChunk(count: groups.count, chunkSize: 1) { g, _, _ in
        var group = UnsafeMutableBufferPointer(rebasing: all[groups[g]])
        group.sort { (a: Application, b: Application) -> Bool in
          if a.score != b.score { return a.score > b.score }
          return a.id < b.id
        }
      }
    }
    return ordered
  }
}
