/// " (did you mean x?)" for the candidate nearest to a mistyped word, or "" when none is near.
///
/// The nearest is the first candidate at the smallest edit distance (`editDistance`); it is
/// suggested when that distance is at most `within`. With `ignoringCase`, distances are taken
/// between lowercased words. Every "did you mean" a message shows comes from here.
public func didYouMean(
  _ word: String, among candidates: [String], within: Int = 3, ignoringCase: Bool = false,
  prefix: String = ""
) -> String {
  guard let match = nearest(to: word, among: candidates, ignoringCase: ignoringCase),
    match.distance <= within
  else { return "" }
  return " (did you mean \(prefix)\(match.candidate)?)"
}

/// The first candidate at the smallest edit distance from `word`, with that distance; nil when
/// there are no candidates.
public func nearest(to word: String, among candidates: [String], ignoringCase: Bool = false)
  -> (candidate: String, distance: Int)?
{
  let key = ignoringCase ? word.lowercased() : word
  var best: (candidate: String, distance: Int)?
  for candidate in candidates {
    let d = editDistance(key, ignoringCase ? candidate.lowercased() : candidate)
    if d < best?.distance ?? Int.max { best = (candidate, d) }
  }
  return best
}
