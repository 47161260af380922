import JSON

/// Delta debugging over a JSON tree: the smallest value, reached by removals and simplifications, for which a
/// test still holds.
///
/// Rounds alternate two passes until a round changes nothing:
/// 1. **Members and items**, top down: at each object or array, ddmin over the members that may be removed —
///    first all of them at once (the container replaced by its empty form), then halves, quarters … down to one
///    at a time; a removal that keeps the test is kept and the chunks are formed again.
/// 2. **Scalars**: each string is emptied, else shortened by ddmin over its Unicode scalars; each number is tried
///    as `0`, `1`, its integer part, then with one digit fewer, while that keeps the test.
///
/// Every accepted candidate is strictly smaller (fewer members, or a shorter or simpler scalar), so the search
/// ends. A final pass then removes each remaining removable member or item alone; the result is **1-minimal**
/// (see ``MinimizerOutcome/Ending/minimal(checked:)``) when none of those removals keeps the test.
///
/// Candidates are identified by the SHA-256 of their canonical JSON, and no candidate is tested twice. The search
/// is deterministic: the same input and the same test give the same result in the same number of tries.
public struct JSONMinimizer: Sendable {
  /// What must survive minimization.
  public var protection: Protection
  /// The most calls of the test the search may make (cache hits are free).
  public var maxTries: Int

  /// A minimizer.
  public init(protection: Protection = Protection(), maxTries: Int) {
    self.protection = protection
    self.maxTries = maxTries
  }

  /// The smallest value found for which `test` holds.
  ///
  /// - Parameters:
  ///   - input: a value for which `test` holds (the caller has established it; `test` is not called on it).
  ///   - onTry: called after each call of `test`, with the counts so far (for a progress line).
  ///   - test: whether a candidate still has the property; a thrown error stops the search, which returns the
  ///     smallest value found so far with ``MinimizerOutcome/Ending/interrupted(_:)``.
  public func minimize(
    _ input: JSONValue, onTry: (MinimizerProgress) -> Void = { _ in }, test: (JSONValue) throws -> Bool
  ) -> MinimizerOutcome {
    withoutActuallyEscaping(onTry) { onTry in
      withoutActuallyEscaping(test) { test in
        MinimizerSearch(input: input, protection: protection, maxTries: maxTries, onTry: onTry, test: test).run()
      }
    }
  }
}

/// The counts after one call of the test.
public struct MinimizerProgress: Sendable {
  /// Calls of the test so far.
  public var tries: Int
  /// The budget.
  public var maxTries: Int
  /// Bytes of compact JSON of the smallest value so far.
  public var bytes: Int
}

/// What a minimization found.
public struct MinimizerOutcome {
  /// How the search ended.
  public enum Ending {
    /// The search converged and the final pass removed each of the `checked` removable members and items alone:
    /// none of those removals kept the test, so the value is 1-minimal.
    case minimal(checked: Int)
    /// The budget ran out; the value keeps the test but may not be 1-minimal.
    case budgetExhausted
    /// The test threw; the value is the smallest found before, and may not be 1-minimal.
    case interrupted(any Error)
  }

  /// The smallest value found; the test holds for it.
  public var value: JSONValue
  /// Calls of the test made.
  public var tries: Int
  /// Candidates met again and answered from the cache instead of a call.
  public var cacheHits: Int
  /// How the search ended.
  public var ending: Ending
}
