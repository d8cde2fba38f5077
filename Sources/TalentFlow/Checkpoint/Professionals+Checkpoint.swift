extension Professionals {
  /// Every array of `Professionals`, in the order the checkpoint stores them.
  ///
  /// This is the one list to extend when a field is added: `CheckpointTests` compares it with
  /// the stored properties of `Professionals` and fails, naming the field, if one is missing.
  static var checkpointArrays: [CheckpointArray<Professionals>] {
    [
      CheckpointArray("id", \.id),
      CheckpointArray("employer", \.employer),
      CheckpointArray("skill", \.skill),
      CheckpointArray("weights", \.weights, stride: Professionals.attributeCount),
      CheckpointArray("moneyWeight", \.moneyWeight),
      CheckpointArray("riskAversion", \.riskAversion),
      CheckpointArray("visaDependent", \.visaDependent),
      CheckpointArray("tenure", \.tenure),
      CheckpointArray("grant", \.grant),
      CheckpointArray("stake", \.stake),
      CheckpointArray("wealth", \.wealth),
      CheckpointArray("founded", \.founded),
    ]
  }

  /// The scalar stored properties, written before the arrays.
  static let checkpointScalars = ["goneCount", "nextID"]
}
