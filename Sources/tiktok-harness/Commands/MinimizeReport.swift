import Minimize
import Replay

/// The summary `minimize` prints on standard error: the difference kept, the tries, the sizes and whether the
/// result was verified 1-minimal.
enum MinimizeReport {
  static func text(_ result: MinimizeResult, maxTries: Int) -> String {
    let places = result.signature.entries.count
    var text = "difference kept (\(places) place\(places == 1 ? "" : "s"), array indices as *):\n"
    for entry in result.signature.entries { text += "  \(entry)\n" }
    text += "tries: \(result.tries) of \(maxTries) (\(result.cacheHits) more answered from the cache"
    if result.unusableAnswers > 0 {
      text += "; \(result.unusableAnswers) answered with an error status or not a response, counted as not showing it"
    }
    text += ")\n"
    let before = result.sizeBefore
    let after = result.sizeAfter
    text += "size: \(before.bytes) → \(after.bytes) bytes of compact JSON, \(before.leaves) → \(after.leaves) leaves\n"
    switch result.ending {
    case .minimal(let checked):
      text +=
        "1-minimal: verified; removing any one of the \(checked) remaining members and items outside the request envelope loses or changes the difference\n"
    case .budgetExhausted:
      text +=
        "warning: the budget of \(maxTries) tries ran out: the case keeps the difference but may not be 1-minimal; raise --max-tries\n"
    case .interrupted(let error):
      text +=
        "error: \(error); stopped after \(result.tries) tries: the case written is the smallest found so far and may not be 1-minimal\n"
    }
    return text
  }
}
