/// Versions recorded in every manifest.
public enum TalentFlowVersion {
  /// The version of the `talentflow` tool.
  public static let tool = "0.1.0"
  /// The version of MODEL.md the model began from (from model 1.3 on, the project's own
  /// Model.md is the specification and lists every departure from it).
  public static let modelSpecification = "1.2"
  /// The version of the implemented model. It changes whenever a change alters any output for
  /// the same configuration and seed; the golden-run test pins it.
  public static let model = "1.6.0"
}
