/// Every professional, stored as a struct of arrays (MODEL 2, "Professional i").
///
/// Position `p` in each array is one professional; `id[p]` is her permanent index, which keys
/// her random draws and appears in `agents.csv` and `moves.csv`. A professional who exits keeps
/// her slot as a tombstone (`employer == Professionals.gone`) until enough have accumulated to
/// compact the arrays, which keeps positions in increasing id order.
public struct Professionals: Sendable {
  /// `employer` of a professional who is unemployed.
  public static let unemployed: Int32 = -1
  /// `employer` of a slot whose professional has exited.
  public static let gone: Int32 = -2
  /// Number of preference weights: stability, resources, career, innovation, autonomy, worklife.
  public static let attributeCount = 6

  /// Permanent index of the professional in each slot.
  public var id: ContiguousArray<UInt32> = []
  /// Firm index, `unemployed`, or `gone`.
  public var employer: ContiguousArray<Int32> = []
  /// Productivity q in [0.01, 1].
  public var skill: ContiguousArray<Double> = []
  /// Preference weights w, six per professional, on the simplex.
  public var weights: ContiguousArray<Float> = []
  /// Weight λ of log total compensation.
  public var moneyWeight: ContiguousArray<Float> = []
  /// Weight ρ of the risk penalty.
  public var riskAversion: ContiguousArray<Float> = []
  /// Needs a sponsoring employer.
  public var visaDependent: ContiguousArray<Bool> = []
  /// Ticks at the current employer.
  public var tenure: ContiguousArray<Int32> = []
  /// Paper value (k$) of the equity granted at hire.
  public var grant: ContiguousArray<Double> = []
  /// Fraction of her startup that the grant is (0 for big-tech grants).
  public var stake: ContiguousArray<Double> = []
  /// Windfalls from realised startup equity (k$).
  public var wealth: ContiguousArray<Double> = []
  /// Index of the startup she founded, or -1.
  public var founded: ContiguousArray<Int32> = []

  /// Slots in use, tombstones included.
  public var slotCount: Int { id.count }
  /// Number of tombstones.
  public internal(set) var goneCount = 0
  /// Professionals present now.
  public var presentCount: Int { id.count - goneCount }
  /// The next permanent index to hand out.
  public internal(set) var nextID: UInt32 = 0

  /// Appends `count` blank professionals with the next ids; returns their slots.
  ///
  /// They are unemployed, with every trait zero and no founded startup; the caller draws the
  /// traits (`withTraitBuffers`).
  @discardableResult
  mutating func appendBlank(_ count: Int) -> Range<Int> {
    let first = id.count
    guard count > 0 else { return first..<first }
    id.append(contentsOf: nextID..<nextID + UInt32(count))
    nextID += UInt32(count)
    employer.append(contentsOf: repeatElement(Professionals.unemployed, count: count))
    skill.append(contentsOf: repeatElement(0, count: count))
    weights.append(contentsOf: repeatElement(0, count: count * Professionals.attributeCount))
    moneyWeight.append(contentsOf: repeatElement(0, count: count))
    riskAversion.append(contentsOf: repeatElement(0, count: count))
    visaDependent.append(contentsOf: repeatElement(false, count: count))
    tenure.append(contentsOf: repeatElement(0, count: count))
    grant.append(contentsOf: repeatElement(0, count: count))
    stake.append(contentsOf: repeatElement(0, count: count))
    wealth.append(contentsOf: repeatElement(0, count: count))
    founded.append(contentsOf: repeatElement(-1, count: count))
    return first..<id.count
  }

  /// Calls `body` with writable buffers over the traits drawn at arrival.
  mutating func withTraitBuffers<R>(_ body: (TraitBuffers) -> R) -> R {
    let ids = id
    return ids.withUnsafeBufferPointer { id in
      skill.withUnsafeMutableBufferPointer { skill in
        weights.withUnsafeMutableBufferPointer { weights in
          moneyWeight.withUnsafeMutableBufferPointer { moneyWeight in
            riskAversion.withUnsafeMutableBufferPointer { riskAversion in
              visaDependent.withUnsafeMutableBufferPointer { visa in
                tenure.withUnsafeMutableBufferPointer { tenure in
                  body(
                    TraitBuffers(
                      id: id, skill: skill, weights: weights, moneyWeight: moneyWeight,
                      riskAversion: riskAversion, visaDependent: visa, tenure: tenure))
                }
              }
            }
          }
        }
      }
    }
  }

  /// Reserves room for `n` more professionals.
  ///
  /// Capacity that is never used costs address space, not memory: its pages are never touched.
  mutating func reserve(_ n: Int) {
    let total = id.count + n
    id.reserveCapacity(total)
    employer.reserveCapacity(total)
    skill.reserveCapacity(total)
    weights.reserveCapacity(total * Professionals.attributeCount)
    moneyWeight.reserveCapacity(total)
    riskAversion.reserveCapacity(total)
    visaDependent.reserveCapacity(total)
    tenure.reserveCapacity(total)
    grant.reserveCapacity(total)
    stake.reserveCapacity(total)
    wealth.reserveCapacity(total)
    founded.reserveCapacity(total)
  }

  /// Makes room for `n` more professionals, growing the arrays by at least an eighth when
  /// they are full.
  ///
  /// Entrants arrive every tick: reserving exactly would copy every array every tick, and the
  /// arrays' own doubling would leave up to half of a large population's memory unused.
  mutating func reserveForGrowth(_ n: Int) {
    let needed = id.count + n
    guard needed > id.capacity else { return }
    reserve(max(needed, id.count + id.count / 8) - id.count)
  }

  /// Marks a slot as exited.
  mutating func remove(at p: Int) {
    employer[p] = Professionals.gone
    goneCount += 1
  }

  /// Removes tombstones when they are more than a quarter of the slots, keeping id order.
  ///
  /// Whether it happens depends on the state alone, never on the thread count, so positions
  /// (and so the chunks of parallel loops) are the same on any machine. Returns whether it
  /// compacted (slots moved).
  @discardableResult
  mutating func compactIfSparse() -> Bool {
    guard goneCount > 0, goneCount * 4 > id.count else { return false }
    var write = 0
    for read in 0..<id.count where employer[read] != Professionals.gone {
      if write != read {
        id[write] = id[read]
        employer[write] = employer[read]
        skill[write] = skill[read]
        for k in 0..<Professionals.attributeCount {
          weights[write * Professionals.attributeCount + k] =
            weights[read * Professionals.attributeCount + k]
        }
        moneyWeight[write] = moneyWeight[read]
        riskAversion[write] = riskAversion[read]
        visaDependent[write] = visaDependent[read]
        tenure[write] = tenure[read]
        grant[write] = grant[read]
        stake[write] = stake[read]
        wealth[write] = wealth[read]
        founded[write] = founded[read]
      }
      write += 1
    }
    let n = write
    id.removeLast(id.count - n)
    employer.removeLast(employer.count - n)
    skill.removeLast(skill.count - n)
    weights.removeLast(weights.count - n * Professionals.attributeCount)
    moneyWeight.removeLast(moneyWeight.count - n)
    riskAversion.removeLast(riskAversion.count - n)
    visaDependent.removeLast(visaDependent.count - n)
    tenure.removeLast(tenure.count - n)
    grant.removeLast(grant.count - n)
    stake.removeLast(stake.count - n)
    wealth.removeLast(wealth.count - n)
    founded.removeLast(founded.count - n)
    goneCount = 0
    return true
  }
}

/// Writable views of the traits a professional gets on arrival, for parallel loops that write
/// each slot from one thread only.
struct TraitBuffers: @unchecked Sendable {
  let id: UnsafeBufferPointer<UInt32>
  let skill: UnsafeMutableBufferPointer<Double>
  let weights: UnsafeMutableBufferPointer<Float>
  let moneyWeight: UnsafeMutableBufferPointer<Float>
  let riskAversion: UnsafeMutableBufferPointer<Float>
  let visaDependent: UnsafeMutableBufferPointer<Bool>
  let tenure: UnsafeMutableBufferPointer<Int32>
}
