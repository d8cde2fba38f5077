/// Every firm, alive or not, stored as a struct of arrays (MODEL 2, "Firm j").
///
/// A failed or acquired firm stays in the table with `alive == false`; indices are never reused.
public struct Firms: Sendable {
  /// Values a firm publishes in step 4, `publishedStride` per firm: the six attributes, the
  /// wage base (k$ a month at skill 0.5) and the expected yearly equity value E (MODEL 4.3).
  static let publishedStride = 8
  static let wageBaseSlot = 6
  static let equityValueSlot = 7

  public var type: ContiguousArray<FirmType> = []
  public var alive: ContiguousArray<Bool> = []
  public var age: ContiguousArray<Int32> = []
  /// n, kept equal to the number of professionals whose employer is this firm.
  public var headcount: ContiguousArray<Int32> = []
  /// n*, what the firm wants.
  public var target: ContiguousArray<Double> = []
  /// Big tech: the underlying demand base_j.
  public var demandBase: ContiguousArray<Double> = []
  /// Startups: cash C (k$).
  public var cash: ContiguousArray<Double> = []
  /// Monthly revenue R (k$).
  public var revenue: ContiguousArray<Double> = []
  /// Monthly burn B (k$), this tick.
  public var burn: ContiguousArray<Double> = []
  /// Startups: post-money valuation of the last round (k$).
  public var valuation: ContiguousArray<Double> = []
  /// Startups: 0 seed, 1 series A, 2 series B, 3 series C or later.
  public var stage: ContiguousArray<Int8> = []
  /// Startups: quality θ; big tech: 1.
  public var quality: ContiguousArray<Double> = []
  /// Startups: g, the fraction granted to one hire; big tech: r, yearly RSU value (k$).
  public var equityOffer: ContiguousArray<Double> = []
  /// Startups: fraction of the company left to grant.
  public var optionPool: ContiguousArray<Double> = []
  /// Startups: the founder's diluted stake.
  public var founderStake: ContiguousArray<Double> = []
  public var sponsorsVisas: ContiguousArray<Bool> = []
  /// Big tech: layoff memory L.
  public var layoffMemory: ContiguousArray<Double> = []
  /// Tick of the last distress cut (startups), or `Int32.min`.
  public var lastCut: ContiguousArray<Int32> = []
  /// Tick the firm was founded in the run (initial firms: before warm-up).
  public var bornTick: ContiguousArray<Int32> = []
  /// Tick the firm failed, closed or was acquired, or `Int32.max` while alive.
  public var diedTick: ContiguousArray<Int32> = []
  /// A round reset the equity offer this tick (no market adjustment then, MODEL 4.3).
  public var roundThisTick: ContiguousArray<Bool> = []
  /// Months of runway after this tick's finance.
  public var runway: ContiguousArray<Double> = []
  /// What the firm published in step 4; see `publishedStride`.
  public var published: ContiguousArray<Double> = []
  /// Vacancies V counted after step 6 this tick.
  public var vacancies: ContiguousArray<Int32> = []
  /// Last tick's vacancies, acceptances and applications (V′, h′, a′).
  public var lastVacancies: ContiguousArray<Int32> = []
  public var lastHires: ContiguousArray<Int32> = []
  public var lastApplications: ContiguousArray<Int32> = []
  /// This tick's acceptances and applications.
  public var hires: ContiguousArray<Int32> = []
  public var applications: ContiguousArray<Int32> = []

  public var count: Int { type.count }

  /// A firm's vacancies V_j = max(0, round(n*_j) − n_j); 0 if it is dead (MODEL 3). Step 6
  /// counts them, and `timeseries.csv` and `firms.csv` report them at the end of the tick.
  @inline(__always)
  static func vacancies(alive: Bool, target: Double, headcount: Int32) -> Int32 {
    guard alive else { return 0 }
    let open = target.rounded(.toNearestOrAwayFromZero) - Double(headcount)
    return open > 0 ? Int32(min(open, Double(Int32.max))) : 0
  }

  /// Appends a firm with every field at a neutral value; returns its index.
  mutating func append(type t: FirmType, bornTick tick: Int32) -> Int {
    type.append(t)
    alive.append(true)
    age.append(0)
    headcount.append(0)
    target.append(0)
    demandBase.append(0)
    cash.append(0)
    revenue.append(0)
    burn.append(0)
    valuation.append(0)
    stage.append(0)
    quality.append(1)
    equityOffer.append(0)
    optionPool.append(0)
    founderStake.append(0)
    sponsorsVisas.append(false)
    layoffMemory.append(0)
    lastCut.append(Int32.min)
    bornTick.append(tick)
    diedTick.append(Int32.max)
    roundThisTick.append(false)
    runway.append(0)
    published.append(contentsOf: repeatElement(0, count: Firms.publishedStride))
    vacancies.append(0)
    lastVacancies.append(0)
    lastHires.append(0)
    lastApplications.append(0)
    hires.append(0)
    applications.append(0)
    return type.count - 1
  }

  /// Makes room for `n` more firms, growing by at least an eighth when full (the arrays' own
  /// doubling would leave up to half of their memory unused).
  mutating func reserveForGrowth(_ n: Int) {
    let needed = count + n
    guard needed > type.capacity else { return }
    reserveCapacity(max(needed, count + count / 8))
  }

  /// Makes the capacity of every array at least `total` firms.
  ///
  /// Capacity that is never used costs address space, not memory: its pages are never touched.
  mutating func reserveCapacity(_ total: Int) {
    type.reserveCapacity(total)
    alive.reserveCapacity(total)
    age.reserveCapacity(total)
    headcount.reserveCapacity(total)
    target.reserveCapacity(total)
    demandBase.reserveCapacity(total)
    cash.reserveCapacity(total)
    revenue.reserveCapacity(total)
    burn.reserveCapacity(total)
    valuation.reserveCapacity(total)
    stage.reserveCapacity(total)
    quality.reserveCapacity(total)
    equityOffer.reserveCapacity(total)
    optionPool.reserveCapacity(total)
    founderStake.reserveCapacity(total)
    sponsorsVisas.reserveCapacity(total)
    layoffMemory.reserveCapacity(total)
    lastCut.reserveCapacity(total)
    bornTick.reserveCapacity(total)
    diedTick.reserveCapacity(total)
    roundThisTick.reserveCapacity(total)
    runway.reserveCapacity(total)
    published.reserveCapacity(total * Firms.publishedStride)
    vacancies.reserveCapacity(total)
    lastVacancies.reserveCapacity(total)
    lastHires.reserveCapacity(total)
    lastApplications.reserveCapacity(total)
    hires.reserveCapacity(total)
    applications.reserveCapacity(total)
  }

  /// Marks firm j as no longer alive from tick t on.
  mutating func retire(_ j: Int, at t: Int) {
    alive[j] = false
    diedTick[j] = Int32(t)
    target[j] = 0
  }

  /// A published value of firm j.
  @inline(__always)
  func publishedValue(_ j: Int, _ slot: Int) -> Double {
    published[j * Firms.publishedStride + slot]
  }

  /// True for a living startup.
  ///
  /// Both tests are taken and combined, without a branch on the first: which firms are alive
  /// is, to a branch predictor, random.
  @inline(__always)
  func isLivingStartup(_ j: Int) -> Bool {
    (alive[j] ? 1 : 0) & (type[j] == .startup ? 1 : 0) != 0
  }
}
