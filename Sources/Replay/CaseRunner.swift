import Golden
import JSON

/// Replays the cases of some routes: returns the actual `{status, body}` to diff against the case's `expected`.
///
/// Replay dispatches each case to the first runner whose ``routes`` contain the case's route kind. A delivery
/// runner (proxy routes, answered by the mock TikTok server) plugs in by conforming to this protocol and being
/// passed to ``Replayer/init(runners:filter:update:)``; until one is registered, delivery cases are listed as
/// skipped with "not supported yet: delivery route".
public protocol CaseRunner: Sendable {
  /// The route kinds this runner replays.
  var routes: Set<Route.Kind> { get }
  /// Runs `golden` and returns the actual response as `{status, body}`.
  /// - Throws: ``ReplayError``: `.skipped` (not applicable here), `.failed` (this case only), `.unreachable` (stop).
  func run(_ golden: GoldenCase) throws(ReplayError) -> JSONValue
}

/// A runner that can also run many cases at once (a live transformer: concurrent and batched requests).
public protocol BulkCaseRunner: CaseRunner {
  /// Whether replay should hand it whole windows of cases (``runAll(_:)``) instead of one case at a time.
  var runsInBulk: Bool { get }
  /// Runs `cases`: for each, in order, what ``run(_:)`` would give and the seconds it took; `nil` for the cases not
  /// run because another one was unreachable (such a case is always among them).
  func runAll(_ cases: [GoldenCase]) -> [(result: Result<JSONValue, ReplayError>, seconds: Double)?]
}

/// Why a case produced no actual response.
public enum ReplayError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The case cannot run here (e.g. a batch-limit override against a live transformer); listed, not failed.
  case skipped(String)
  /// The runner failed on this case; counted as a failure.
  case failed(String)
  /// The peer could not be reached or did not answer JSON; the run stops with exit status 3.
  case unreachable(String)

  /// The message.
  public var description: String {
    switch self {
    case .skipped(let m), .failed(let m), .unreachable(let m): return m
    }
  }
}

/// Replays processor and router cases through a ``Transformer``.
public struct TransformerRunner: BulkCaseRunner {
  /// The transformer.
  public let transformer: any Transformer
  /// When set, each case's mapping rows are recorded (`replay --coverage`).
  public let coverage: CoverageCollector?

  /// A runner for `transformer`, recording coverage when `coverage` is given.
  public init(transformer: any Transformer, coverage: CoverageCollector? = nil) {
    self.transformer = transformer
    self.coverage = coverage
  }

  /// `.processor` and `.router`.
  public var routes: Set<Route.Kind> { [.processor, .router] }

  /// Sends the case's input with its batch-limit overrides and returns `{status, body}`.
  public func run(_ golden: GoldenCase) throws(ReplayError) -> JSONValue {
    let request = try request(for: golden)
    do {
      return try transformer.respond(to: request).asExpected
    } catch {
      throw Self.replayError(error)
    }
  }

  /// `true` when the transformer takes many requests at once (a live one).
  public var runsInBulk: Bool { transformer.answersInBulk }

  /// Sends every case's input through ``Transformer/respond(toAll:)``; cases skipped by ``run(_:)`` are skipped here.
  public func runAll(_ cases: [GoldenCase]) -> [(result: Result<JSONValue, ReplayError>, seconds: Double)?] {
    var out: [(result: Result<JSONValue, ReplayError>, seconds: Double)?] = Array(repeating: nil, count: cases.count)
    var requests: [TransformRequest] = []
    var positions: [Int] = []
    for (i, golden) in cases.enumerated() {
      do {
        requests.append(try request(for: golden))
        positions.append(i)
      } catch {
        out[i] = (.failure(error), 0)
      }
    }
    for (i, answer) in zip(positions, transformer.respond(toAll: requests)) {
      guard let answer else { continue }
      out[i] = (answer.result.map(\.asExpected).mapError(Self.replayError), answer.seconds)
    }
    return out
  }

  /// The case's request; records its coverage when asked.
  /// - Throws: ``ReplayError/skipped(_:)`` for a batch-limit override the transformer cannot apply.
  private func request(for golden: GoldenCase) throws(ReplayError) -> TransformRequest {
    let request = TransformRequest(
      route: golden.route, body: golden.input, maxBatchSizeV1: golden.maxBatchSizeV1Override,
      maxBatchSizeV2: golden.maxBatchSizeV2Override)
    if request.hasOverrides && !transformer.appliesBatchOverrides {
      var what: [String] = []
      if let n = request.maxBatchSizeV1 { what.append("maxBatchSizeV1=\(n)") }
      if let n = request.maxBatchSizeV2 { what.append("maxBatchSizeV2=\(n)") }
      throw .skipped(
        "case needs mocks.config_override (\(what.joined(separator: ", "))), which a live transformer cannot apply")
    }
    coverage?.add(case: golden.name, request: request)
    return request
  }

  private static func replayError(_ error: TransformerError) -> ReplayError {
    error.isInfrastructure ? .unreachable(error.description) : .failed(error.description)
  }
}
