/// What a random draw is for: the `purpose` word of the Philox counter (MODEL 7).
///
/// Every draw is keyed by (purpose, entity, tick, draw number), so a policy that changes one
/// decision leaves the random numbers of every other decision as they were (common random
/// numbers). Values are part of the model version: renumbering changes every output.
enum DrawPurpose: UInt32 {
  /// A professional's traits, drawn once (entity: her id; tick: when she arrived).
  case traits = 1
  /// The initial assignment of professionals to firms (entity 0).
  case initialAssignment = 2
  /// Initial startup sizes, months of cash, quality and visa sponsorship (entity: firm index).
  case initialFirm = 3
  /// The funding-climate innovation ε (entity 0).
  case climate = 4
  /// A big-tech firm's demand shock (entity: firm index).
  case bigtechDemand = 5
  /// Whether a startup raises a round (entity: firm index).
  case round = 6
  /// Whether a startup is acquired, and by whom (entity: firm index).
  case acquisition = 7
  /// The noise in a big-tech layoff score (entity: professional id).
  case layoffScore = 8
  /// The number of entrants (entity 0).
  case entry = 9
  // 10 (`exit`) and 11 (`founding`) keyed one block each up to model 1.3.0; from model 1.4.0
  // those decisions take words of the `professionalTick` block. Retired, never to be reused.
  /// A new startup's quality and visa sponsorship (entity: the founder's id).
  case newStartup = 12
  /// Per lead the firm and the non-compete draw, the logit choice and the hiring score
  /// (entity: her id). Her number of leads is word w of her `professionalTick` block.
  case search = 13
  /// A professional's block of the tick (entity: her id; draw 0), one 32-bit word per
  /// decision taken for everyone present (Model.md, "Randomness and determinism"): x whether
  /// she exits, y whether a founding opportunity comes, z whether a non-compete removes it, w
  /// her number of leads. Computed in batches (`PhiloxBatch`), so it costs about a third of
  /// the three scalar blocks it replaces.
  case professionalTick = 14
}
