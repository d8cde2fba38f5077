import Foundation

/// The iteration of `NelderMead`: what to do with the values of each batch.
extension NelderMead {
  /// Continues the iteration with the vertices just told.
  mutating func advance(_ told: [Vertex]) {
    switch phase {
    case .initial:
      simplex = told
      endIteration(counting: false)
    case .reflection(var step):
      if options.speculative { step.known = Array(told[1...3]) }
      afterReflection(step, r: told[0])
    case .expansion(_, let r):
      keep(told[0].f < r.f ? told[0] : r)
    case .outsideContraction(_, let r):
      afterOutside(told[0], r: r)
    case .insideContraction:
      afterInside(told[0])
    case .shrink:
      for i in 1..<simplex.count { simplex[i] = told[i - 1] }
      endIteration(counting: true)
    case .finished:
      break
    }
  }

  /// The branch on f_r: keep r, or go on to e, oc or ic (known already when speculative).
  mutating func afterReflection(_ step: Step, r: Vertex) {
    let k = simplex.count - 1
    if r.f < simplex[0].f {
      if let known = step.known {
        keep(known[0].f < r.f ? known[0] : r)
      } else {
        proposeWithinBudget([step.expansion], .expansion(step, r: r))
      }
    } else if r.f < simplex[k - 1].f {
      keep(r)
    } else if r.f < simplex[k].f {
      if let known = step.known {
        afterOutside(known[1], r: r)
      } else {
        proposeWithinBudget([step.outside], .outsideContraction(step, r: r))
      }
    } else if let known = step.known {
      afterInside(known[2])
    } else {
      proposeWithinBudget([step.inside], .insideContraction(step))
    }
  }

  mutating func afterOutside(_ oc: Vertex, r: Vertex) {
    if oc.f <= r.f { keep(oc) } else { shrink() }
  }

  mutating func afterInside(_ ic: Vertex) {
    if ic.f < simplex[simplex.count - 1].f { keep(ic) } else { shrink() }
  }

  /// Replaces the worst vertex and ends the iteration.
  mutating func keep(_ vertex: Vertex) {
    simplex[simplex.count - 1] = vertex
    endIteration(counting: true)
  }

  /// Proposes u_i ← u_0 + σ (u_i − u_0) for i = 1…k.
  mutating func shrink() {
    let best = simplex[0].u
    let sigma = coefficients.shrink
    let points = simplex[1...].map { vertex in
      vertex.u.indices.map { j in best[j] + sigma * (vertex.u[j] - best[j]) }
    }
    proposeWithinBudget(points, .shrink)
  }

  /// Sorts the simplex by (value, position), checks termination, and proposes the next step.
  mutating func endIteration(counting: Bool) {
    if counting { iterations += 1 }
    let order = simplex.indices.sorted { a, b in
      simplex[a].f < simplex[b].f || (simplex[a].f == simplex[b].f && a < b)
    }
    simplex = order.map { simplex[$0] }
    if isConverged {
      stop(.converged)
      return
    }
    let step = candidates()
    var points = [step.reflection]
    if options.speculative { points += [step.expansion, step.outside, step.inside] }
    proposeWithinBudget(points, .reflection(step))
  }

  /// max_i |f_i − f_0| ≤ fatol and max_i max_j |u_ij − u_0j| ≤ xatol, with f_0 finite.
  var isConverged: Bool {
    let best = simplex[0]
    guard best.f.isFinite else { return false }
    var spread = 0.0
    var size = 0.0
    for vertex in simplex[1...] {
      spread = max(spread, vertex.f - best.f)
      for j in best.u.indices { size = max(size, abs(vertex.u[j] - best.u[j])) }
    }
    return spread <= options.functionTolerance && size <= options.simplexTolerance
  }

  /// r, e, oc and ic from c = Σ_{i<k} u_i / k (summed in order) and d = c − u_k, folded.
  func candidates() -> Step {
    let k = simplex.count - 1
    let dims = simplex[0].u.count
    var c = [Double](repeating: 0, count: dims)
    for vertex in simplex[0..<k] {
      for j in 0..<dims { c[j] += vertex.u[j] }
    }
    for j in 0..<dims { c[j] /= Double(k) }
    let worst = simplex[k].u
    let d = (0..<dims).map { c[$0] - worst[$0] }
    let (alpha, gamma, beta) =
      (coefficients.reflection, coefficients.expansion, coefficients.contraction)
    func along(_ t: Double) -> [Double] {
      (0..<dims).map { j in NelderMead.fold(c[j] + t * d[j]) }
    }
    return Step(
      reflection: along(alpha), expansion: along(alpha * gamma), outside: along(alpha * beta),
      inside: along(-beta), known: nil)
  }

  /// u mirrored into [0, 1]: itself inside, else p = u mod 2 in [0, 2) and p or 2 − p.
  static func fold(_ u: Double) -> Double {
    if u >= 0 && u <= 1 { return u }
    let t = u.truncatingRemainder(dividingBy: 2)
    let p = t < 0 ? t + 2 : t
    return p <= 1 ? p : 2 - p
  }
}
