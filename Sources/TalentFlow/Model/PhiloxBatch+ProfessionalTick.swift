/// A professional's block of the tick (purpose `professionalTick`, draw 0): one 32-bit word per
/// decision taken for everyone present (Model.md, "Randomness and determinism", model 1.4).
///
/// | word | decision | step |
/// |---|---|---|
/// | x | she exits: u < `population.exitPerYear` / ticksPerYear | 5 (MODEL 4.8) |
/// | y | a founding opportunity comes: u < rate · F^γ · q | 6 (Model.md 4.7) |
/// | z | a non-compete removes it: u < `policy.nonCompete` | 6 |
/// | w | her number of leads: the Poisson quantile of u | 7 (MODEL 4.5) |
///
/// u is `PhiloxBatch.uniform(word)`. The block is a pure function of (id, tick): step 5
/// computes it once for everyone present and keeps what step 6 needs (`TickBlockPass`); step 6
/// computes it only for this tick's arrivals, or for everyone after a compaction, and gets the
/// same words.
extension PhiloxBatch {
  /// Computes the tick blocks of `ids[start..<start + count]` at tick `t`.
  @inline(__always)
  mutating func computeTickBlocks(
    ids: UnsafeBufferPointer<UInt32>, from start: Int, count: Int, key: PhiloxKey, tick t: Int
  ) {
    for i in 0..<count { entity[i] = ids[start + i] }
    compute(
      count: count, key: key, tick: Int32(truncatingIfNeeded: t),
      purpose: DrawPurpose.professionalTick.rawValue, draw: 0)
  }
}
