/// The Sobol' indices of one output: first and total order per parameter, and second order
/// per pair when the design has it.
public struct SobolIndices: Sendable, Equatable {
  /// The indices of one parameter.
  public struct Parameter: Sendable, Equatable {
    /// S1, the first-order index.
    public var firstOrder: Double
    /// The half-width of the bootstrap interval of S1.
    public var firstOrderConfidence: Double
    /// ST, the total-order index.
    public var totalOrder: Double
    /// The half-width of the bootstrap interval of ST.
    public var totalOrderConfidence: Double

    public init(
      firstOrder: Double, firstOrderConfidence: Double, totalOrder: Double,
      totalOrderConfidence: Double
    ) {
      self.firstOrder = firstOrder
      self.firstOrderConfidence = firstOrderConfidence
      self.totalOrder = totalOrder
      self.totalOrderConfidence = totalOrderConfidence
    }
  }

  /// The second-order index of parameters `first` < `second` (from 0).
  public struct Pair: Sendable, Equatable {
    public var first: Int
    public var second: Int
    /// S2, the second-order index.
    public var secondOrder: Double
    /// The half-width of the bootstrap interval of S2.
    public var secondOrderConfidence: Double

    public init(first: Int, second: Int, secondOrder: Double, secondOrderConfidence: Double) {
      self.first = first
      self.second = second
      self.secondOrder = secondOrder
      self.secondOrderConfidence = secondOrderConfidence
    }
  }

  /// One entry per parameter, in column order.
  public var parameters: [Parameter]
  /// The pairs (0, 1), (0, 2), …, (0, k − 1), (1, 2), …, (k − 2, k − 1); empty without second
  /// order.
  public var pairs: [Pair]

  public init(parameters: [Parameter], pairs: [Pair]) {
    self.parameters = parameters
    self.pairs = pairs
  }
}
