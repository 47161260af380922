import Dispatch
import Golden
import JSON

/// Anything that answers rudder-transformer's processor and router requests: the built-in transformer or a live
/// rudder-transformer behind a URL. Replay does not know which one it has.
public protocol Transformer: Sendable {
  /// `builtin`, or the base URL of a live transformer (for reports).
  var name: String { get }
  /// Whether the transformer can honour per-case batch-limit overrides (`mocks.config_override`).
  var appliesBatchOverrides: Bool { get }
  /// Sends `request` and returns the response status and JSON body.
  /// - Throws: ``TransformerError``; `.unreachable`, `.notJSON` and `.wrongAnswer` stop a replay with exit status 3.
  func respond(to request: TransformRequest) throws(TransformerError) -> TransformResponse
  /// Whether replay and compare should hand this transformer many requests at once (``respond(toAll:)``): `true`
  /// for a live transformer, which sends them concurrently and several per request; `false` (the default) for the
  /// built-in one, which replay runs file by file on all cores.
  var answersInBulk: Bool { get }
  /// Answers `requests`: one answer per request, in order, each as if the request had been sent alone; `nil` for
  /// the requests not sent because another answer stopped the run (``TransformerError/isInfrastructure``).
  func respond(toAll requests: [TransformRequest]) -> [TransformAnswer?]
}

extension Transformer {
  /// `false`.
  public var answersInBulk: Bool { false }

  /// One request after another, stopping after the first infrastructure error.
  public func respond(toAll requests: [TransformRequest]) -> [TransformAnswer?] {
    var answers: [TransformAnswer?] = []
    answers.reserveCapacity(requests.count)
    for request in requests {
      let answer = TransformAnswer(timing: { () throws(TransformerError) in try respond(to: request) })
      answers.append(answer)
      if case .failure(let error) = answer.result, error.isInfrastructure { break }
    }
    answers.append(contentsOf: repeatElement(nil, count: requests.count - answers.count))
    return answers
  }
}

/// One request's outcome in ``Transformer/respond(toAll:)``, and the wall time it took (a request's share of the
/// request that carried it when several were sent together).
public struct TransformAnswer: Sendable {
  /// The response, or why there is none.
  public var result: Result<TransformResponse, TransformerError>
  /// Seconds.
  public var seconds: Double

  /// An answer.
  public init(result: Result<TransformResponse, TransformerError>, seconds: Double) {
    self.result = result
    self.seconds = seconds
  }

  /// Runs `body` and times it.
  init(timing body: () throws(TransformerError) -> TransformResponse) {
    let start = DispatchTime.now().uptimeNanoseconds
    result = Result(catching: body)
    seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }
}

/// A processor or router request body, with the batch limits a case asks for.
public struct TransformRequest: Sendable {
  /// `.processor` or `.router`.
  public var route: Route
  /// The body, sent unchanged.
  public var body: JSONValue
  /// Events 1.0 batch limit override (`nil`: the transformer's own).
  public var maxBatchSizeV1: Int?
  /// Events 2.0 batch limit override (`nil`: the transformer's own).
  public var maxBatchSizeV2: Int?

  /// A request.
  public init(route: Route, body: JSONValue, maxBatchSizeV1: Int? = nil, maxBatchSizeV2: Int? = nil) {
    self.route = route
    self.body = body
    self.maxBatchSizeV1 = maxBatchSizeV1
    self.maxBatchSizeV2 = maxBatchSizeV2
  }

  /// `true` when the request carries a batch-limit override.
  public var hasOverrides: Bool { maxBatchSizeV1 != nil || maxBatchSizeV2 != nil }
}

/// A transformer's answer: HTTP status and JSON body.
public struct TransformResponse: Sendable, Equatable {
  /// The HTTP status (200 from the built-in transformer).
  public var status: Int
  /// The response body.
  public var body: JSONValue

  /// A response.
  public init(status: Int, body: JSONValue) {
    self.status = status
    self.body = body
  }

  /// `{status, body}`: the shape of a case's `expected`.
  public var asExpected: JSONValue { .object(["status": .int(Int64(status)), "body": body]) }
}

/// Why a transformer gave no usable answer.
public enum TransformerError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The transformer could not be reached (connection refused, DNS, timeout).
  case unreachable(url: String, reason: String)
  /// The transformer answered, but not with JSON.
  case notJSON(url: String, status: Int, excerpt: String)
  /// The transformer answered JSON that is not an answer of the route (a non-2xx status, or a body of the wrong
  /// shape): a wrong URL or a broken server, never a regression and never something to record.
  case wrongAnswer(url: String, status: Int, reason: String, excerpt: String)
  /// The transformer does not serve this route.
  case unsupportedRoute(Route)
  /// The transformer failed on this request (the built-in one rejected the body).
  case failed(String)

  /// A one-line message naming the URL or the cause.
  public var description: String {
    switch self {
    case .unreachable(let url, let reason): return "transformer at \(url) could not be reached: \(reason)"
    case .notJSON(let url, let status, let excerpt):
      return "transformer at \(url) did not answer JSON (HTTP \(status)): \(excerpt)"
    case .wrongAnswer(let url, let status, let reason, let excerpt):
      return "transformer at \(url) answered HTTP \(status), \(reason): \(excerpt)"
    case .unsupportedRoute(let route): return "transformer does not serve \(route)"
    case .failed(let message): return message
    }
  }

  /// `true` for the errors that make the whole run meaningless (exit status 3).
  public var isInfrastructure: Bool {
    switch self {
    case .unreachable, .notJSON, .wrongAnswer: return true
    default: return false
    }
  }
}
