extension Firms {
  /// Every array of `Firms`, in the order the checkpoint stores them.
  ///
  /// This is the one list to extend when a field is added: `CheckpointTests` compares it with
  /// the stored properties of `Firms` and fails, naming the field, if one is missing.
  static var checkpointArrays: [CheckpointArray<Firms>] {
    [
      CheckpointArray("type", \.type),
      CheckpointArray("alive", \.alive),
      CheckpointArray("age", \.age),
      CheckpointArray("headcount", \.headcount),
      CheckpointArray("target", \.target),
      CheckpointArray("demandBase", \.demandBase),
      CheckpointArray("cash", \.cash),
      CheckpointArray("revenue", \.revenue),
      CheckpointArray("burn", \.burn),
      CheckpointArray("valuation", \.valuation),
      CheckpointArray("stage", \.stage),
      CheckpointArray("quality", \.quality),
      CheckpointArray("equityOffer", \.equityOffer),
      CheckpointArray("optionPool", \.optionPool),
      CheckpointArray("founderStake", \.founderStake),
      CheckpointArray("sponsorsVisas", \.sponsorsVisas),
      CheckpointArray("layoffMemory", \.layoffMemory),
      CheckpointArray("lastCut", \.lastCut),
      CheckpointArray("bornTick", \.bornTick),
      CheckpointArray("diedTick", \.diedTick),
      CheckpointArray("roundThisTick", \.roundThisTick),
      CheckpointArray("runway", \.runway),
      CheckpointArray("published", \.published, stride: Firms.publishedStride),
      CheckpointArray("vacancies", \.vacancies),
      CheckpointArray("lastVacancies", \.lastVacancies),
      CheckpointArray("lastHires", \.lastHires),
      CheckpointArray("lastApplications", \.lastApplications),
      CheckpointArray("hires", \.hires),
      CheckpointArray("applications", \.applications),
    ]
  }

  /// Firms have no scalar stored properties; the count is that of the arrays.
  static let checkpointScalars: [String] = []
}
