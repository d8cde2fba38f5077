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
  mutating func match(_ applications: [Application]) {
    let ordered = Simulation.sortedForMatching(applications, firmCount: firms.count)
    var start = 0
    while start < ordered.count {
      let j = Int(ordered[start].firm)
      var end = start
      while end < ordered.count && Int(ordered[end].firm) == j { end += 1 }
      firms.applications[j] = Int32(end - start)
      let accepted = min(end - start, Int(firms.vacancies[j]))
      for a in ordered[start..<(start + accepted)] {
        let p = Int(a.slot)
        let reason: FlowReason = professionals.employer[p] >= 0 ? .voluntary : .hire
        move(p, to: Int32(j), reason: reason)
        grantEquity(p, at: j)
      }
      firms.hires[j] = Int32(accepted)
      start = end
    }
    // This tick's market becomes "last tick's" for next tick's offers (MODEL 4.3).
    for j in 0..<firms.count {
      firms.lastVacancies[j] = firms.vacancies[j]
      firms.lastHires[j] = firms.hires[j]
      firms.lastApplications[j] = firms.applications[j]
      firms.hires[j] = 0
      firms.applications[j] = 0
    }
  }

  /// Applications by firm, then score (highest first), then professional id.
  ///
  /// A counting sort by firm, then a sort of each firm's few applicants: the same order as one
  /// comparison sort with that key (a total order, as a professional applies at most once), in
  /// linear time.
  static func sortedForMatching(_ applications: [Application], firmCount: Int) -> [Application] {
    guard applications.count > 1 else { return applications }
    var start = [Int](repeating: 0, count: firmCount + 1)
    for a in applications { start[Int(a.firm) + 1] += 1 }
    for j in 0..<firmCount { start[j + 1] += start[j] }
    var next = start
    var ordered = applications
    for a in applications {
      ordered[next[Int(a.firm)]] = a
      next[Int(a.firm)] += 1
    }
    ordered.withUnsafeMutableBufferPointer { buffer in
      for j in 0..<firmCount where start[j + 1] - start[j] > 1 {
        var group = UnsafeMutableBufferPointer(rebasing: buffer[start[j]..<start[j + 1]])
        group.sort { (a: Application, b: Application) -> Bool in
          if a.score != b.score { return a.score > b.score }
          return a.id < b.id
        }
      }
    }
    return ordered
  }
}
