import Dispatch
import Golden
import JSON

/// Runs the same captured events through two transformers and reports every difference, the way replay does:
/// the baseline's answer plays the part of `expected`, the candidate's of `actual`.
public struct Comparer: Sendable {
  /// The reference transformer (default: the built-in one).
  public var baseline: any Transformer
  /// The transformer under test.
  public var candidate: any Transformer

  /// Events handed to the transformers at once (``Transformer/respond(toAll:)``): a live one sends them concurrently
  /// and batched.
  public static let window = 1024

  /// A comparer.
  public init(baseline: any Transformer, candidate: any Transformer) {
    self.baseline = baseline
    self.candidate = candidate
  }

  /// Sends each processor request item as a request of its own (`POST /v0/destinations/tiktok_ads`, `[item]`) to
  /// both transformers (a live transformer may carry several in one request, answers mapped back exactly), in
  /// windows of ``window`` events, both transformers at once.
  /// - Parameters:
  ///   - items: processor request items `{message, metadata, destination}`.
  ///   - source: the capture file name, used in result locations.
  ///   - onResult: called with each event's result and its request item, in input order.
  /// - Returns: the counts; `unreachable` is set when a transformer could not be reached (the run stops there).
  public func run(items: [JSONValue], source: String, onResult: (CaseResult, _ item: JSONValue) -> Void) -> RunSummary {
    var summary = RunSummary()
    var start = 0
    while start < items.count {
      let end = min(items.count, start + Self.window)
      let requests = items[start..<end].map { TransformRequest(route: .processor, body: .array([$0])) }
      let (expected, actual) = answers(requests)
      for i in requests.indices {
        // An event not sent because the run stopped at another one: no result (the run reports up to that one).
        guard let expected = expected[i], let actual = actual[i] else { continue }
        let (result, stops) = Self.result(
          item: items[start + i], index: start + i, source: source, expected: expected, actual: actual)
        summary.add(result)
        onResult(result, items[start + i])
        if stops {
          summary.unreachable = true
          return summary
        }
      }
      // A window with an event not sent always holds the event that stopped it; were it not so, still stop.
      if expected.contains(where: { $0 == nil }) || actual.contains(where: { $0 == nil }) {
        summary.unreachable = true
        return summary
      }
      start = end
    }
    return summary
  }

  /// Both transformers' answers to `requests`, the baseline's computed on another thread meanwhile.
  private func answers(_ requests: [TransformRequest]) -> ([TransformAnswer?], [TransformAnswer?]) {
    final class Box: @unchecked Sendable { var value: [TransformAnswer?] = [] }
    let box = Box()
    let group = DispatchGroup()
    let baseline = self.baseline
    DispatchQueue.global().async(group: group) { box.value = baseline.respond(toAll: requests) }
    let actual = candidate.respond(toAll: requests)
    group.wait()
    return (box.value, actual)
  }

  /// One event's result, and whether it stops the run (a transformer unreachable or answering a non-response).
  private static func result(
    item: JSONValue, index: Int, source: String, expected: TransformAnswer, actual: TransformAnswer
  ) -> (CaseResult, stops: Bool) {
    let event = item["message"]?["event"]?.stringValue.map { " (\($0))" } ?? ""
    var result = CaseResult(
      name: "event/\(index + 1)", location: "\(source)[\(index)]\(event)", route: Route.processor.description,
      outcome: .passed, seconds: expected.seconds + actual.seconds)
    switch (expected.result, actual.result) {
    case (.success(let e), .success(let a)):
      let mismatches = JSONDiff().mismatches(expected: e.asExpected, actual: a.asExpected)
      if !mismatches.isEmpty { result.outcome = .failed(mismatches) }
    case (.failure(let error), _), (.success, .failure(let error)):
      result.outcome = .error(error.description)
      return (result, error.isInfrastructure)
    }
    return (result, false)
  }
}
