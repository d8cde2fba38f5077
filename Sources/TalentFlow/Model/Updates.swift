/// MODEL 3 step 9 (updates, MODEL 4.9) and the sums over professionals that step 10 records.
///
/// Both read, for every employed professional, what her employer published: the career score
/// for skill growth, all of it for her utility. Her employer is a random firm, so that read is
/// usually a cache miss; one pass does both steps, and each block of professionals first
/// copies its employers' published values into a small buffer in a loop of independent reads
/// (which the processor overlaps), then computes. The arithmetic, and the order of every sum,
/// are those of the two steps done one after the other.
extension Simulation {
  /// Professionals per block whose employers' published values are copied before use.
  static let gatherBlock = 128

  /// Tenure, skill growth on the job and skill decay out of it (MODEL 4.9), in parallel; returns
  /// the sums step 10 records, taken after the update.
  ///
  /// With `carriesSkillSums`, the pass also adds up each firm's skill after the update: what
  /// step 3 of the next tick needs, unless someone moves in between (`skillSumsAfterUpdates`).
  /// Without `tallying` (a warm-up tick, which records nothing), the sums for step 10 are not
  /// taken and the tally returned is empty; the updates are the same.
  mutating func updateProfessionals(_ rows: PublishedRows, tallying: Bool = true)
    -> ProfessionalTally
  {
    let learning = config.skill.learningRate
    let decay = config.skill.decay
    let context = UtilityContext(config)
    let firmType = firms.type
    let parallel = self.parallel
    let carry = carriesSkillSums
    var skillSums = FirmSkillSums(firmCount: carry ? firms.count : 0, workers: parallel.threads)
    let partials: [ProfessionalTally] = rows.withValues { publishedBuffer in
      firmType.withUnsafeBufferPointer { firmTypeBuffer in
        professionals.employer.withUnsafeBufferPointer { employerBuffer in
          professionals.weights.withUnsafeBufferPointer { weightsBuffer in
            professionals.moneyWeight.withUnsafeBufferPointer { moneyWeightBuffer in
              professionals.riskAversion.withUnsafeBufferPointer { riskAversionBuffer in
                professionals.skill.withUnsafeMutableBufferPointer { skillBuffer in
                  professionals.tenure.withUnsafeMutableBufferPointer { tenureBuffer in
                    let view = TallyView(
                      published: publishedBuffer, firmType: firmTypeBuffer,
                      employer: employerBuffer, weights: weightsBuffer,
                      moneyWeight: moneyWeightBuffer, riskAversion: riskAversionBuffer)
                    nonisolated(unsafe) let skill = skillBuffer
                    nonisolated(unsafe) let tenure = tenureBuffer
                    return skillSums.withPartials { sums in
                      parallel.mapChunksByWorker(count: employerBuffer.count) { range, worker in
                        view.inBlocks(range) { block, rows, tally in
                          for p in block {
                            let e = view.employer[p]
                            if e >= 0 {
                              tenure[p] += 1
                              let career = rows.career(p)
                              skill[p] = min(
                                1, max(0.01, skill[p] + learning * career * (1 - skill[p])))
                              if carry { sums.add(skill[p], firm: Int(e), worker: worker) }
                            } else if e == Professionals.unemployed {
                              skill[p] = min(1, max(0.01, skill[p] * (1 - decay)))
                            }
                            if tallying {
                              view.tally(p, skill: skill[p], rows, context, into: &tally)
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    skillSumsAfterUpdates = carry ? skillSums.totals() : nil
    return ProfessionalTally(combining: partials)
  }

  /// The sums over professionals that step 10 records, of the state as it is.
  func tallying() -> ProfessionalTally {
    let context = UtilityContext(config)
    let pr = professionals
    let rows = PublishedRows(firms, parallel)
    let partials: [ProfessionalTally] = rows.withValues { published in
      firms.type.withUnsafeBufferPointer { firmType in
        pr.employer.withUnsafeBufferPointer { employer in
          pr.weights.withUnsafeBufferPointer { weights in
            pr.moneyWeight.withUnsafeBufferPointer { moneyWeight in
              pr.riskAversion.withUnsafeBufferPointer { riskAversion in
                pr.skill.withUnsafeBufferPointer { skill in
                  let view = TallyView(
                    published: published, firmType: firmType, employer: employer,
                    weights: weights, moneyWeight: moneyWeight, riskAversion: riskAversion)
                  return parallel.mapChunks(count: employer.count) { range in
                    view.inBlocks(range) { block, rows, tally in
                      for p in block { view.tally(p, skill: skill[p], rows, context, into: &tally) }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return ProfessionalTally(combining: partials)
  }
}

/// Sums over professionals for a tick's record (MODEL 6).
///
/// Counts and skill sums by sector, and the utility sum for `mean_utility`. Chunks are tallied
/// separately and combined in chunk order.
struct ProfessionalTally: Sendable {
  var present = 0
  var utilitySum = 0.0
  var employedBigTech = 0
  var skillSumBigTech = 0.0
  var employedStartup = 0
  var skillSumStartup = 0.0

  init() {}

  /// The chunks' tallies added up in chunk order (each field from 0).
  init(combining partials: [ProfessionalTally]) {
    for partial in partials {
      present += partial.present
      utilitySum += partial.utilitySum
      employedBigTech += partial.employedBigTech
      skillSumBigTech += partial.skillSumBigTech
      employedStartup += partial.employedStartup
      skillSumStartup += partial.skillSumStartup
    }
  }
}

/// Read-only buffers the tally reads (`published` from `PublishedRows`), and the per-block copy
/// of employers' published values.
struct TallyView: @unchecked Sendable {
  let published: UnsafeBufferPointer<Double>
  let firmType: UnsafeBufferPointer<FirmType>
  let employer: UnsafeBufferPointer<Int32>
  let weights: UnsafeBufferPointer<Float>
  let moneyWeight: UnsafeBufferPointer<Float>
  let riskAversion: UnsafeBufferPointer<Float>

  /// The published values of the employers of one block, `Firms.publishedStride` per slot.
  struct Rows {
    let first: Int
    let values: UnsafeMutableBufferPointer<Double>

    /// Slot p's employer's published values (p employed and in the block).
    @inline(__always)
    func row(_ p: Int) -> UnsafeBufferPointer<Double> {
      let base = (p - first) * Firms.publishedStride
      return UnsafeBufferPointer(rebasing: values[base..<base + Firms.publishedStride])
    }

    /// Slot p's employer's career score.
    @inline(__always)
    func career(_ p: Int) -> Double { values[(p - first) * Firms.publishedStride + 2] }
  }

  /// Calls `body` for each block of `range` in order, with the block's employers' published
  /// values copied, and one tally carried through every block (so every sum runs over the
  /// chunk in slot order, exactly as in a single loop); returns it.
  @inline(__always)
  func inBlocks(
    _ range: Range<Int>, _ body: (Range<Int>, Rows, inout ProfessionalTally) -> Void
  ) -> ProfessionalTally {
    let stride = Firms.publishedStride
    assert(stride == 8, "copyRow moves rows of eight values")
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: Simulation.gatherBlock * stride)
    { buffer in
      var tally = ProfessionalTally()
      var start = range.lowerBound
      while start < range.upperBound {
        let end = min(start + Simulation.gatherBlock, range.upperBound)
        // The unemployed and the gone (employer < 0) get firm 0's row, never read: a copy
        // costs less than a branch that about one professional in six takes at random.
        // Without firms, no one is employed and nothing is read.
        if published.count >= stride {
          for p in start..<end {
            let e = Int(employer[p])
            copyRow(from: (e < 0 ? 0 : e) * stride, to: (p - start) * stride, buffer)
          }
        }
        body(start..<end, Rows(first: start, values: buffer), &tally)
        start = end
      }
      return tally
    }
  }

  /// Copies one row of `published` into `buffer` as two 32-byte moves, so the loop that
  /// gathers a block's rows is short and many of its reads are in flight at once.
  @inline(__always)
  private func copyRow(from: Int, to: Int, _ buffer: UnsafeMutableBufferPointer<Double>) {
    guard let source = published.baseAddress, let target = buffer.baseAddress else { return }
    let row = UnsafeRawPointer(source + from)
    let copy = UnsafeMutableRawPointer(target + to)
    copy.storeBytes(of: row.loadUnaligned(as: SIMD4<Double>.self), as: SIMD4<Double>.self)
    copy.storeBytes(
      of: row.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self), toByteOffset: 32,
      as: SIMD4<Double>.self)
  }

  /// Adds slot p, whose skill is `skill` now, to `tally`: present, her current utility and, if
  /// employed, her sector's count and skill sum.
  @inline(__always)
  func tally(
    _ p: Int, skill: Double, _ rows: Rows, _ context: UtilityContext,
    into tally: inout ProfessionalTally
  ) {
    let e = employer[p]
    if e == Professionals.gone { return }
    tally.present += 1
    if e < 0 {
      tally.utilitySum += context.unemployedUtility
      return
    }
    let w = UnsafeBufferPointer(
      rebasing: weights[p * Professionals.attributeCount..<(p + 1) * Professionals.attributeCount])
    tally.utilitySum += context.utility(
      weights: w, moneyWeight: moneyWeight[p], riskAversion: riskAversion[p], skill: skill,
      row: rows.row(p))
    // The sector is a random one of two, so both sums are added to, one of them 0: x + 0 is x
    // for every sum here (none is −0), and a select takes the place of an unpredictable branch.
    let bigTech = firmType[Int(e)] == .bigtech
    tally.employedBigTech += bigTech ? 1 : 0
    tally.skillSumBigTech += bigTech ? skill : 0
    tally.employedStartup += bigTech ? 0 : 1
    tally.skillSumStartup += bigTech ? 0 : skill
  }
}
