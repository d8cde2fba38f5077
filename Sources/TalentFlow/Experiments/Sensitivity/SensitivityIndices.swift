import Foundation

/// Computes and writes `indices.csv` (and `S2.csv`) from the replicate means of each design
/// point.
///
/// Morris: `measure,parameter,mu,mu_star,sigma,mu_star_conf`. Sobol:
/// `measure,parameter,S1,S1_conf,ST,ST_conf`, and with second order `S2.csv`:
/// `measure,parameter_1,parameter_2,S2,S2_conf` for every pair in parameter order. Rows go by
/// measure (the specification's order), then parameter. A measure unavailable at some design
/// point (a NaN mean) has empty fields: an index of a measure that does not exist everywhere
/// would be a number without a meaning. The bootstrap of measure m (from 0) draws from the
/// analysis seed's Philox stream m, so every interval is reproducible on its own.
enum SensitivityIndices {
  static func write(
    analysis: SensitivityAnalysis, design: [[Double]], means: [[Double]], into folder: URL
  ) throws(SweepError) -> [OutputFile] {
    var files: [OutputFile] = []
    var indices = try AtomicCSV(folder.appendingPathComponent("indices.csv"))
    let keys = analysis.parameters.map(\.key)
    switch analysis.method {
    case .morris(_, let levels):
      indices.buffer.header(["measure", "parameter", "mu", "mu_star", "sigma", "mu_star_conf"])
      for (m, name) in analysis.measures.enumerated() {
        let outputs = means[m]
        var result: [MorrisIndices]? = nil
        if outputs.allSatisfy(\.isFinite) {
          do {
            result = try MorrisAnalysis.analyze(
              rows: design, outputs: outputs, levels: levels,
              bootstrap: analysis.bootstrap(measure: m))
          } catch {
            throw SweepError(.badInput, "\(name): \(error.message)")
          }
        }
        for (j, key) in keys.enumerated() {
          indices.buffer.field(name)
          indices.buffer.field(key)
          let r = result?[j]
          for value in [r?.mu, r?.muStar, r?.sigma, r?.muStarConfidence] {
            field(value, into: &indices.buffer)
          }
          indices.buffer.endRow()
        }
      }
      files.append(try indices.commit(name: "indices.csv"))
    case .sobol(let samples, let secondOrder):
      indices.buffer.header(["measure", "parameter", "S1", "S1_conf", "ST", "ST_conf"])
      var pairs = try secondOrder ? AtomicCSV(folder.appendingPathComponent("S2.csv")) : nil
      pairs?.buffer.header(["measure", "parameter_1", "parameter_2", "S2", "S2_conf"])
      for (m, name) in analysis.measures.enumerated() {
        let outputs = means[m]
        var result: SobolIndices? = nil
        if outputs.allSatisfy(\.isFinite) {
          do {
            result = try SobolAnalysis.analyze(
              outputs: outputs, parameters: keys.count, baseSamples: samples,
              secondOrder: secondOrder, bootstrap: analysis.bootstrap(measure: m))
          } catch {
            throw SweepError(.badInput, "\(name): \(error.message)")
          }
        }
        for (j, key) in keys.enumerated() {
          indices.buffer.field(name)
          indices.buffer.field(key)
          let r = result?.parameters[j]
          for value in [r?.firstOrder, r?.firstOrderConfidence, r?.totalOrder, r?.totalOrderConfidence]
          {
            field(value, into: &indices.buffer)
          }
          indices.buffer.endRow()
        }
        guard secondOrder, var csv = pairs else { continue }
        var p = 0
        for j in keys.indices {
          for k in keys.indices where k > j {
            let pair = result?.pairs[p]
            p += 1
            csv.buffer.field(name)
            csv.buffer.field(keys[j])
            csv.buffer.field(keys[k])
            field(pair?.secondOrder, into: &csv.buffer)
            field(pair?.secondOrderConfidence, into: &csv.buffer)
            csv.buffer.endRow()
          }
        }
        pairs = csv
      }
      files.append(try indices.commit(name: "indices.csv"))
      if var csv = pairs { files.append(try csv.commit(name: "S2.csv")) }
    }
    return files
  }

  /// A number, or an empty field for nil or a non-finite value.
  private static func field(_ value: Double?, into buffer: inout CSVBuffer) {
    if let value, value.isFinite { buffer.field(value) } else { buffer.emptyField() }
  }
}
