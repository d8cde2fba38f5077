import Foundation
import Testing

@testable import TalentFlow

// Tests of the model's own logarithm, exponential, power and cosine (`PortableMath`, Model.md
// "Randomness and determinism"): accuracy against 64-bit-significand references (x86-64's
// Float80, whose functions are independent of the double-precision code under test), the
// special values, the computed tables, and that a run's bytes no longer depend on which
// variant of the C library's functions the processor selects.

/// The error of `value` in units in the last place of the double nearest `reference`.
private func ulpError(_ value: Double, _ reference: Float80) -> Double {
  let nearest = Double(reference)
  if nearest == 0 { return value == 0 ? 0 : .infinity }
  return Double(abs(Float80(value) - reference) / Float80(nearest.ulp))
}

/// A uniform in [low, high) from the tests' seeded generator.
private func uniform(_ g: inout SeededGenerator, _ low: Double, _ high: Double) -> Double {
  low + (high - low) * Double(g.next() >> 11) * 0x1p-53
}

@Suite struct PortableMathTests {
  #if arch(x86_64)
    /// The largest error of `f` against `reference` over `count` arguments from `argument`.
    private func largestError(
      count: Int, seed: UInt64, argument: (inout SeededGenerator) -> Double,
      _ f: (Double) -> Double, reference: (Float80) -> Float80
    ) -> (error: Double, at: Double) {
      var g = SeededGenerator(seed: seed)
      var worst = (error: 0.0, at: 0.0)
      for _ in 0..<count {
        let x = argument(&g)
        let e = ulpError(f(x), reference(Float80(x)))
        if e > worst.error { worst = (e, x) }
      }
      return worst
    }

    @Test func logIsWithinAbout0Point52UlpEverywhere() {
      let ranges: [(String, (inout SeededGenerator) -> Double)] = [
        ("any positive double", { Double(bitPattern: $0.next() & 0x7FEF_FFFF_FFFF_FFFF) }),
        ("(0, 4)", { uniform(&$0, 0x1p-20, 4) }),
        ("1 ± 0.02", { uniform(&$0, 0.98, 1.02) }),
        ("1 ± 10^-9", { uniform(&$0, 1 - 1e-9, 1 + 1e-9) }),
        ("subnormal", { Double(bitPattern: ($0.next() & 0x000F_FFFF_FFFF_FFFF) | 1) }),
      ]
      for (seed, (name, argument)) in ranges.enumerated() {
        let worst = largestError(
          count: 200_000, seed: UInt64(seed + 1), argument: argument, PortableMath.log,
          reference: { Foundation.log($0) })
        #expect(worst.error <= 0.52, "log on \(name): \(worst.error) ulp at \(worst.at)")
      }
    }

    @Test func expIsWithinAbout0Point52UlpAndOneForSubnormalResults() {
      let ranges: [(String, Double, Double, Double)] = [
        ("normal results", -708, 709.78, 0.52), ("[-1, 1]", -1, 1, 0.52),
        ("tiny", -1e-9, 1e-9, 0.52), ("subnormal results", -745, -708.4, 1),
      ]
      for (seed, (name, low, high, bound)) in ranges.enumerated() {
        let worst = largestError(
          count: 200_000, seed: UInt64(seed + 10), argument: { uniform(&$0, low, high) },
          PortableMath.exp, reference: { Foundation.exp($0) })
        #expect(worst.error <= bound, "exp on \(name): \(worst.error) ulp at \(worst.at)")
      }
    }

    /// cos(2πu) is checked against sin(2π(1/4 − u)) in 64 bits, which is accurate at the zeros
    /// too: within 1 ulp where |cos| ≥ 1/4, within 2^-53 absolutely everywhere.
    @Test func cosTwoPiIsWithinAnUlpAndAbsolutelyWithin2ToTheMinus53() {
      var g = SeededGenerator(seed: 20)
      var worstUlp = 0.0
      var worstAbsolute = 0.0
      for _ in 0..<200_000 {
        let u = Double(g.next() >> 11) * 0x1p-53  // a uniform as the streams make them
        let reference = Foundation.sin(2 * Float80.pi * (0.25 - Float80(u)))
        let value = PortableMath.cosTwoPi(u)
        worstAbsolute = max(worstAbsolute, Double(abs(Float80(value) - reference)))
        if abs(reference) >= 0.25 { worstUlp = max(worstUlp, ulpError(value, reference)) }
      }
      #expect(worstUlp <= 1, "\(worstUlp) ulp")
      #expect(worstAbsolute <= 0x1p-53, "\(worstAbsolute)")
    }

    /// e^(y ln x) with y ln x formed exactly: no error growing with |y ln x|.
    @Test func powIsWithinAbout0Point52Ulp() {
      var g = SeededGenerator(seed: 30)
      var worst = (error: 0.0, x: 0.0, y: 0.0)
      for _ in 0..<100_000 {
        let x = uniform(&g, 1e-6, 4)
        let y = uniform(&g, -8, 8)
        let error = ulpError(PortableMath.pow(x, y), Foundation.pow(Float80(x), Float80(y)))
        if error > worst.error { worst = (error, x, y) }
      }
      #expect(worst.error <= 0.52, "pow(\(worst.x), \(worst.y)): \(worst.error) ulp")
    }

    @Test func logFactorialIsWithinFourUlp() {
      var worst = 0.0
      for n in Array(0..<20_000) + [99_999, 1_000_000, 123_456_789] {
        let reference = Foundation.lgamma(Float80(n) + 1).0
        if reference == 0 {
          #expect(PortableMath.logFactorial(Double(n)) == 0)
        } else {
          worst = max(worst, ulpError(PortableMath.logFactorial(Double(n)), reference))
        }
      }
      #expect(worst <= 4, "\(worst) ulp")
    }

    /// The statistics' functions: ln Γ, ln(1 + x), the Cauchy quantile and the normal tail.
    /// Below 10, ln Γ is a difference of two numbers near 15: its error is absolute there.
    @Test func logGammaIsWithinEightUlpOrAbsolutely2ToTheMinus46() {
      var g = SeededGenerator(seed: 50)
      var failures: [Double] = []
      for _ in 0..<50_000 {
        let x = Foundation.exp(uniform(&g, -20, 6))  // 2·10^-9 to 400
        let reference = Foundation.lgamma(Float80(x)).0
        let value = PortableMath.logGamma(x)
        let absolute = Double(abs(Float80(value) - reference))
        if absolute > 0x1p-46 && ulpError(value, reference) > 8 { failures.append(x) }
      }
      #expect(failures.count == 0, "lnΓ off at \(failures.prefix(5))")
      #expect(PortableMath.logGamma(1) == 0 && PortableMath.logGamma(2) == 0)
      #expect(PortableMath.logGamma(0).isNaN && PortableMath.logGamma(-1).isNaN)
    }

    @Test func log1pIsWithinFourUlp() {
      var g = SeededGenerator(seed: 51)
      var worst = (error: 0.0, at: 0.0)
      for i in 0..<100_000 {
        let x = i % 2 == 0 ? uniform(&g, -0.999, 10) : uniform(&g, -1e-6, 1e-6)
        let error = ulpError(PortableMath.log1p(x), Foundation.log1p(Float80(x)))
        if error > worst.error { worst = (error, x) }
      }
      #expect(worst.error <= 4, "log1p(\(worst.at)): \(worst.error) ulp")
    }

    /// The reference is sin(π(p − ½)) / sin(π(1 − p)), both differences exact, so that it
    /// stays accurate where the tangent nears its pole.
    @Test func theCauchyQuantileIsWithinTwoUlpOfTheTangent() {
      var g = SeededGenerator(seed: 52)
      var worst = (error: 0.0, at: 0.0)
      for _ in 0..<100_000 {
        let p = uniform(&g, 0.5, 1)
        guard p > 0.5 else { continue }
        let reference =
          Foundation.sin(Float80.pi * (Float80(p) - 0.5))
          / Foundation.sin(Float80.pi * (1 - Float80(p)))
        let error = ulpError(PortableMath.cauchyQuantile(p), reference)
        if error > worst.error { worst = (error, p) }
      }
      #expect(worst.error <= 2, "at p = \(worst.at): \(worst.error) ulp")
    }

    /// The tail's relative error grows with its exponent z²/2, and near z = 1.7, where the series
    /// gives Q = 1 − P with P about 0.9, by the cancellation.
    @Test func theNormalTailIsWithin10ToTheMinus14TimesOnePlusZSquaredOfErfc() {
      var worst = (error: 0.0, at: 0.0)
      var z = -8.0
      while z <= 37 {
        let reference = 0.5 * Foundation.erfc(Float80(z) / Float80(2).squareRoot())
        let value = Normal.upperTail(z)
        let error = Double(abs(Float80(value) - reference) / reference) / (1 + z * z)
        if error > worst.error { worst = (error, z) }
        z += 0.01
      }
      #expect(worst.error <= 1e-14, "at z = \(worst.at): relative error / (1 + z²) \(worst.error)")
    }

    @Test func theTablesAgreeWithSixtyFourBitLogarithmsAndPowers() {
      for entry in LogTable.entries {
        let reference = -Foundation.log(Float80(entry.inverse))
        let error = abs((Float80(entry.logHigh) + Float80(entry.logLow)) - reference)
        #expect(error <= 0x1p-62, "−ln \(entry.inverse): off by \(error)")
      }
      for (j, entry) in ExpTable.entries.enumerated() {
        let reference = Foundation.exp2(Float80(j) / 128)
        let error = abs((Float80(entry.high) + Float80(entry.low)) - reference)
        #expect(error <= 0x1p-61, "2^(\(j)/128): off by \(error)")
      }
    }
  #endif

  /// The copies hot loops read (`PortableMath.Tables`) hold the tables' values, bit for bit, so
  /// `log(x, tables)` and `exp(x, tables)` are `log(x)` and `exp(x)`.
  @Test func theTablesLoopsReadAreTheTablesBitForBit() {
    let tables = PortableMath.Tables.shared
    for (i, entry) in LogTable.entries.enumerated() {
      let copy = tables.log[i]
      #expect(
        copy.inverse.bitPattern == entry.inverse.bitPattern
          && copy.logHigh.bitPattern == entry.logHigh.bitPattern
          && copy.logLow.bitPattern == entry.logLow.bitPattern && copy.highBits == entry.highBits,
        "log table entry \(i)")
    }
    for (j, entry) in ExpTable.entries.enumerated() {
      let copy = tables.exp[j]
      #expect(
        copy.high.bitPattern == entry.high.bitPattern
          && copy.low.bitPattern == entry.low.bitPattern, "exp table entry \(j)")
    }
    var g = SeededGenerator(seed: 7)
    for _ in 0..<10_000 {
      let x = Double(bitPattern: g.next() & 0x7FEF_FFFF_FFFF_FFFF)
      #expect(PortableMath.log(x, tables).bitPattern == PortableMath.log(x).bitPattern, "log \(x)")
      let y = uniform(&g, -745, 709.78)
      #expect(PortableMath.exp(y, tables).bitPattern == PortableMath.exp(y).bitPattern, "exp \(y)")
    }
  }

  /// What `log` relies on of its table: c has at most 11 significant bits (so c times z's top
  /// 42 is exact), −ln c's high part lies on the grid of 2^-42 (so k · ln2Hi plus it is exact),
  /// it is 0 only where c = 1, and elsewhere it is at least |z · c − 1| on the whole interval
  /// (so the sum with it needs no TwoSum).
  @Test func theLogTableMeetsTheConditionsItsArithmeticAssumes() {
    #expect(LogTable.entries.count == 256)
    for (i, entry) in LogTable.entries.enumerated() {
      let (start, end) = LogTable.interval(i)
      let scaled = entry.inverse * 1024
      #expect(scaled == scaled.rounded() && scaled < 2048, "interval \(i): c = \(entry.inverse)")
      #expect(entry.logHigh * 0x1p42 == (entry.logHigh * 0x1p42).rounded(), "interval \(i)")
      let largestR = max(abs(start * entry.inverse - 1), abs(end * entry.inverse - 1))
      #expect(largestR <= 0x1p-8, "interval \(i): |r| up to \(largestR)")
      if entry.inverse == 1 {
        #expect(entry.logHigh == 0 && entry.logLow == 0 && start <= 1 && 1 <= end)
      } else {
        #expect(abs(entry.logHigh) >= largestR, "interval \(i): −ln c = \(entry.logHigh)")
      }
    }
  }

  @Test func specialValuesAreThoseOfTheCLibrary() {
    #expect(PortableMath.log(1) == 0)
    #expect(PortableMath.log(0) == -.infinity)
    #expect(PortableMath.log(-0.0) == -.infinity)
    #expect(PortableMath.log(-1).isNaN)
    #expect(PortableMath.log(-.infinity).isNaN)
    #expect(PortableMath.log(.nan).isNaN)
    #expect(PortableMath.log(.infinity) == .infinity)
    #expect(PortableMath.log(.leastNonzeroMagnitude) == -744.4400719213812)
    #expect(PortableMath.log(.greatestFiniteMagnitude) == 709.782712893384)
    #expect(PortableMath.log(2) == 0.6931471805599453)
    #expect(PortableMath.exp(0) == 1)
    #expect(PortableMath.exp(-0.0) == 1)
    #expect(PortableMath.exp(1) == 2.718281828459045)
    #expect(PortableMath.exp(.infinity) == .infinity)
    #expect(PortableMath.exp(-.infinity) == 0)
    #expect(PortableMath.exp(.nan).isNaN)
    #expect(PortableMath.exp(709.8) == .infinity)
    #expect(PortableMath.exp(-745.2) == 0)
    #expect(PortableMath.exp(-745.1) == .leastNonzeroMagnitude)
    #expect(PortableMath.exp(709.78) == 1.7928227943945155e+308)
    #expect(PortableMath.pow(0, 2) == 0)
    #expect(PortableMath.pow(0, 0) == 1)
    #expect(PortableMath.pow(0.3, 1) == 0.3)
    #expect(PortableMath.pow(1, 1e300) == 1)
    // The turn fractions where the cosine is exact.
    #expect(PortableMath.cosTwoPi(0) == 1)
    #expect(PortableMath.cosTwoPi(0.25) == 0)
    #expect(PortableMath.cosTwoPi(0.5) == -1)
    #expect(PortableMath.cosTwoPi(0.75) == 0)
    #expect(PortableMath.cosTwoPi(1) == 1)
    #expect(PortableMath.cosTwoPi(.nan).isNaN)
  }

  /// `cosTwoPi` reduces its argument with `min` rather than branches: on each step the
  /// minimum is the value the branch would have chosen, bit for bit, on the streams' grid, at
  /// the boundaries and their neighbours, and on arbitrary doubles of the range.
  @Test func cosTwoPisBranchFreeReductionIsTheBranchingOne() {
    var g = SeededGenerator(seed: 41)
    var arguments: [Double] = [0, 0x1p-1074, 0x1p-60, 1]
    for boundary in [0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875] {
      arguments += [boundary, boundary.nextUp, boundary.nextDown]
    }
    for _ in 0..<20_000 {
      arguments.append(Double(g.next() >> 11) * 0x1p-53)
      arguments.append(Double(bitPattern: g.next() % 0x3FF0_0000_0000_0001))  // [0, 1]
    }
    for u in arguments {
      let a0 = u > 0.5 ? 1 - u : u
      #expect(min(u, 1 - u).bitPattern == a0.bitPattern, "u = \(u)")
      let a1 = a0 > 0.25 ? 0.5 - a0 : a0
      #expect(min(a0, 0.5 - a0).bitPattern == a1.bitPattern, "u = \(u)")
      #expect(Double(signOf: 0.25 - a0, magnitudeOf: 1) == (a0 > 0.25 ? -1 : 1), "u = \(u)")
      let a2 = a1 > 0.125 ? 0.25 - a1 : a1
      #expect(min(a1, 0.25 - a1).bitPattern == a2.bitPattern, "u = \(u)")
    }
  }

  /// `pick` with `Tables.mask` is the select it replaces, bit for bit, whatever the bits
  /// (NaNs, zeros of both signs, infinities).
  @Test func pickIsTheSelectItReplaces() {
    let tables = PortableMath.Tables.shared
    var g = SeededGenerator(seed: 42)
    let special: [Double] = [0, -0.0, .infinity, -.infinity, .nan, 1, -1]
    for i in 0..<10_000 {
      let x = i < special.count ? special[i] : Double(bitPattern: g.next())
      let y = Double(bitPattern: g.next())
      for condition in [false, true] {
        let expected = condition ? x : y
        #expect(PortableMath.pick(tables.mask(condition), x, y).bitPattern == expected.bitPattern)
        let (m, n) = (Int(bitPattern: UInt(g.next())), Int(bitPattern: UInt(g.next())))
        #expect(PortableMath.pick(tables.mask(condition), m, n) == (condition ? m : n))
      }
    }
  }

  /// The vested fraction, picked without a branch, is the branching formula's value.
  @Test func vestedFractionIsTheBranchingFormula() {
    for (cliff, vest) in [(0, 1), (12, 48), (48, 12), (5, 5), (100, 100_000)] {
      for tenure in Array(0...200) + [1_000, 99_999, 100_000, 100_001] {
        let expected =
          tenure < cliff ? 0 : min(1, Double(tenure) / Double(vest))
        #expect(
          vestedFraction(tenure: Int32(tenure), cliff: cliff, vest: vest).bitPattern
            == expected.bitPattern, "tenure \(tenure), cliff \(cliff), vest \(vest)")
      }
    }
  }

  /// A stream's uniforms are multiples of 2^-53 in (0, 1), so 1 − u is exact and the cosine
  /// is exactly symmetric, as cos(2πu) is.
  @Test func cosTwoPiIsExactlySymmetricOnTheStreamsGrid() {
    var g = SeededGenerator(seed: 40)
    for _ in 0..<10_000 {
      let u = Double(g.next() >> 11 | 1) * 0x1p-53
      #expect(PortableMath.cosTwoPi(u) == PortableMath.cosTwoPi(1 - u), "u = \(u)")
    }
  }

  #if os(Linux) && arch(x86_64)
    /// glibc picks its FMA or plain `log`, `exp`, `pow` and `cos` by the processor; a tunable
    /// masks the FMA and AVX2 features, as on a machine without them. Model 1.5.0 wrote a
    /// different `firms.csv` for the default scenario that way; the model's own functions make
    /// the bytes the same.
    @Test func aRunsBytesDoNotDependOnTheProcessorsMathVariants() throws {
      let folder = try TestFolder.make("portable-math")
      defer { TestFolder.remove(folder) }
      var runs: [[String: Data]] = []
      for (name, environment) in [
        ("native", [String: String]()),
        ("masked", ["GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2,-FMA,-AVX2_Usable,-FMA_Usable"]),
      ] {
        let out = folder.appendingPathComponent(name)
        let outcome = try TalentflowProcess.run(
          ["run", "--out", out.path, "--quiet"], environment: environment)
        #expect(outcome.exited(with: 0), "\(outcome.stderr)")
        runs.append(try TestFolder.csvFiles(in: out))
      }
      #expect(!runs[0].isEmpty)
      for (name, bytes) in runs[0] {
        #expect(runs[1][name] == bytes, "\(name) differs with the FMA variants masked")
      }
    }
  #endif
}
