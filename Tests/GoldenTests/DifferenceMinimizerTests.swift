import Golden
import JSON
import Minimize
import Replay
import Testing

/// `DifferenceMinimizer` with in-process transformers: what the envelope keeps when nothing else matters, how tries
/// are counted, and which answers stop the run.
@Suite struct DifferenceMinimizerTests {
  /// A transformer whose answer ignores the request: a fixed status and body.
  struct Constant: Transformer {
    var status = 200
    var body: JSONValue
    var name: String { "constant" }
    var appliesBatchOverrides: Bool { false }
    func respond(to request: TransformRequest) throws(TransformerError) -> TransformResponse {
      // As a live transformer does: an error status is a wrong answer, never a response.
      guard (200..<300).contains(status) else {
        throw .wrongAnswer(url: "constant", status: status, reason: "not a 2xx status", excerpt: "")
      }
      return TransformResponse(status: status, body: body)
    }
  }

  private static let item: JSONValue = [
    "message": ["type": "track", "event": "Order Completed", "properties": ["currency": "USD", "value": 3]],
    "destination": ["ID": "dest-1", "Name": "TikTok", "Config": ["accessToken": "t", "pixelCode": "P"]],
    "metadata": ["jobId": 7, "workspaceId": "ws"],
  ]

  /// When the difference does not depend on the input at all, everything goes except the envelope.
  @Test func onlyTheEnvelopeSurvivesADifferenceThatNeedsNothing() throws {
    let processor = DifferenceMinimizer(
      candidate: Constant(body: [["x": 1]]), reference: Constant(body: [["x": 2]]), route: .processor, maxTries: 500)
    let p = try processor.run(body: [Self.item, Self.item])
    let envelope: JSONValue = [
      "message": [:], "destination": ["ID": "dest-1", "Config": [:]], "metadata": ["jobId": 7],
    ]
    #expect(p.minimized.isIdentical(to: [envelope]), "\(p.minimized.compactString())")
    #expect(p.signature.description == "/body/*/x: changed value")
    guard case .minimal = p.ending else {
      Issue.record("ended \(p.ending)")
      return
    }

    let router = DifferenceMinimizer(
      candidate: Constant(body: ["output": [1]]), reference: Constant(body: ["output": [2]]), route: .router,
      maxTries: 500)
    let r = try router.run(body: ["destType": "tiktok_ads", "input": [Self.item, Self.item], "extra": true])
    #expect(
      r.minimized.isIdentical(to: ["destType": "tiktok_ads", "input": [envelope]]), "\(r.minimized.compactString())")
  }

  @Test func triesCountTheOriginalAndStayWithinTheBudget() throws {
    let minimizer = DifferenceMinimizer(
      candidate: Constant(body: [["x": 1]]), reference: Constant(body: [["x": 2]]), route: .processor, maxTries: 4)
    let result = try minimizer.run(body: [Self.item])
    #expect(result.tries == 4)
    guard case .budgetExhausted = result.ending else {
      Issue.record("ended \(result.ending)")
      return
    }
    #expect(result.expected.body == [["x": 2]] && result.actual.body == [["x": 1]])
  }

  @Test func theCaptureDecidesExitCodes() {
    func run(_ candidate: Constant, _ reference: Constant) -> MinimizeError? {
      do {
        _ = try DifferenceMinimizer(candidate: candidate, reference: reference, route: .processor, maxTries: 10)
          .run(body: [Self.item])
        return nil
      } catch {
        return error
      }
    }
    #expect(run(Constant(body: [1]), Constant(body: [1.0])) == .noDifference)
    // A wrong answer to the capture itself stops the run (exit 3), it is never a difference.
    guard case .unusable(let message)? = run(Constant(status: 500, body: [1]), Constant(body: [1])) else {
      Issue.record("an error status must make the capture unusable")
      return
    }
    #expect(message.contains("HTTP 500"), "\(message)")
    let builtin = DifferenceMinimizer(
      candidate: BuiltinTransformer(), reference: BuiltinTransformer(), route: .processor, maxTries: 10)
    do {
      _ = try builtin.run(body: ["not": "an array"])
      Issue.record("a body the built-in transformer rejects must not minimize")
    } catch {
      guard case .rejected(let message) = error else {
        Issue.record("expected .rejected, got \(error)")
        return
      }
      #expect(message.hasPrefix("built-in transformer rejected the request"))
    }
  }
}
