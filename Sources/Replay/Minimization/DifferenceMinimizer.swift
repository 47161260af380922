import Golden
import JSON
import Minimize

/// `minimize`: shrinks a request body while two transformers keep differing on it in exactly the same way
/// (the same ``DifferenceSignature``), within the ``RequestEnvelope``.
///
/// The reference's answer plays the part of a case's `expected` and the candidate's of `actual`, as in `compare`,
/// so a case written from the result fails on the candidate with this very signature and passes on the reference.
public struct DifferenceMinimizer: Sendable {
  /// The transformer under test (`--transformer`): its answer is `actual`.
  public var candidate: any Transformer
  /// The reference (`--against`): its answer is `expected`.
  public var reference: any Transformer
  /// The route the body is sent to (processor or router).
  public var route: Route
  /// The most evaluations of a body by both transformers, the original's included.
  public var maxTries: Int

  /// A minimizer.
  public init(candidate: any Transformer, reference: any Transformer, route: Route, maxTries: Int) {
    self.candidate = candidate
    self.reference = reference
    self.route = route
    self.maxTries = maxTries
  }

  /// Minimizes `body`.
  /// - Parameter onTry: called after each evaluation, for a progress line.
  /// - Throws: ``MinimizeError`` when the original body shows no difference or cannot be evaluated.
  public func run(body: JSONValue, onTry: (MinimizerProgress) -> Void = { _ in }) throws(MinimizeError)
    -> MinimizeResult
  {
    let first: Answers
    do {
      first = try answers(body)
    } catch {
      throw error.failure
    }
    let signature = DifferenceSignature(expected: first.expected.asExpected, actual: first.actual.asExpected)
    guard !signature.isEmpty else { throw .noDifference }
    var best = (body: body, answers: first)
    var unusable = 0
    let engine = JSONMinimizer(protection: RequestEnvelope.protection(for: route), maxTries: maxTries - 1)
    let outcome = engine.minimize(body, onTry: onTry) { candidateBody in
      let trial: Answers
      do throws(AnswerFailure) {
        trial = try answers(candidateBody)
      } catch {
        guard error.isUsableAsNo else { throw error.failure }
        unusable += 1
        return false
      }
      guard DifferenceSignature(expected: trial.expected.asExpected, actual: trial.actual.asExpected) == signature
      else { return false }
      best = (candidateBody, trial)
      return true
    }
    if !best.body.isIdentical(to: outcome.value) {
      // Not expected (every value the search keeps was the last one to pass the test): ask again, never guess.
      do {
        best = (outcome.value, try answers(outcome.value))
      } catch {
        throw error.failure
      }
    }
    return MinimizeResult(
      original: body, minimized: best.body, signature: signature, expected: best.answers.expected,
      actual: best.answers.actual, tries: outcome.tries + 1, cacheHits: outcome.cacheHits,
      unusableAnswers: unusable, ending: outcome.ending)
  }

  private struct Answers {
    var expected: TransformResponse
    var actual: TransformResponse
  }

  /// Why a body got no pair of answers. A transformer answers only 2xx response bodies of the route (a live one
  /// throws ``TransformerError/wrongAnswer(url:status:reason:excerpt:)`` otherwise), so an error status or a
  /// non-response is never a difference.
  private enum AnswerFailure: Error {
    case transformer(TransformerError)

    /// `true` when the failure says "this body is not a usable request" rather than "the transformer is gone".
    var isUsableAsNo: Bool {
      switch self {
      case .transformer(.unreachable): return false
      case .transformer: return true
      }
    }

    var failure: MinimizeError {
      switch self {
      case .transformer(.failed(let message)): return .rejected(message)
      case .transformer(let error): return .unusable(error.description)
      }
    }
  }

  private func answers(_ body: JSONValue) throws(AnswerFailure) -> Answers {
    let request = TransformRequest(route: route, body: body)
    func ask(_ transformer: any Transformer) throws(AnswerFailure) -> TransformResponse {
      let response: TransformResponse
      do {
        response = try transformer.respond(to: request)
      } catch {
        throw .transformer(error)
      }
      return response
    }
    let expected = try ask(reference)
    return Answers(expected: expected, actual: try ask(candidate))
  }
}

/// Why `minimize` could not start.
public enum MinimizeError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Both transformers give the same answer for the capture: there is no difference to keep (exit 1).
  case noDifference
  /// A transformer could not be reached, or answered the capture with an error status, without JSON, or with JSON
  /// that is not a response of the route (exit 3).
  case unusable(String)
  /// The built-in transformer rejected the request body itself (exit 2).
  case rejected(String)

  /// One line.
  public var description: String {
    switch self {
    case .noDifference: return "the two transformers give the same answer for this capture: no difference to keep"
    case .unusable(let message), .rejected(let message): return message
    }
  }
}

/// What `minimize` found.
public struct MinimizeResult {
  /// The request body before minimization.
  public var original: JSONValue
  /// The smallest body found with the same difference signature.
  public var minimized: JSONValue
  /// The difference kept.
  public var signature: DifferenceSignature
  /// The reference's answer for ``minimized`` (a case's `expected`).
  public var expected: TransformResponse
  /// The candidate's answer for ``minimized``.
  public var actual: TransformResponse
  /// Bodies evaluated by both transformers, the original included; no body was sent twice.
  public var tries: Int
  /// Candidates met again and answered from the cache.
  public var cacheHits: Int
  /// Candidates a transformer answered with an error status, without JSON or with JSON of another shape (counted
  /// as not showing the difference, never as a difference).
  public var unusableAnswers: Int
  /// How the search ended (1-minimal, budget, or a transformer that stopped answering).
  public var ending: MinimizerOutcome.Ending

  /// The size of the original body.
  public var sizeBefore: JSONSize { JSONSize(of: original) }
  /// The size of the minimized body.
  public var sizeAfter: JSONSize { JSONSize(of: minimized) }
}
