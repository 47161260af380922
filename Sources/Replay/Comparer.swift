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

  /// A comparer.
  public init(baseline: any Transformer, candidate: any Transformer) {
    self.baseline = baseline
    self.candidate = candidate
  }

  /// Sends each processor request item alone (`POST /v0/destinations/tiktok_ads`) to both transformers.
  /// - Parameters:
  ///   - items: processor request items `{message, metadata, destination}`.
  ///   - source: the capture file name, used in result locations.
  /// - Returns: the counts; `unreachable` is set when a transformer could not be reached (the run stops).
  public func run(items: [JSONValue], source: String, onResult: (CaseResult) -> Void) -> RunSummary {
    var summary = RunSummary()
    for (i, item) in items.enumerated() {
      let start = DispatchTime.now().uptimeNanoseconds
      let event = item["message"]?["event"]?.stringValue.map { " (\($0))" } ?? ""
      var result = CaseResult(
        name: "event/\(i + 1)", location: "\(source)[\(i)]\(event)", route: Route.processor.description,
        outcome: .passed)
      let request = TransformRequest(route: .processor, body: .array([item]))
      do {
        let expected = try baseline.respond(to: request)
        let actual = try candidate.respond(to: request)
        let mismatches = JSONDiff().mismatches(expected: expected.asExpected, actual: actual.asExpected)
        if !mismatches.isEmpty { result.outcome = .failed(mismatches) }
      } catch {
        result.outcome = .error(error.description)
        if error.isInfrastructure { summary.unreachable = true }
      }
      result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      summary.add(result)
      onResult(result)
      if summary.unreachable { break }
    }
    return summary
  }
}
