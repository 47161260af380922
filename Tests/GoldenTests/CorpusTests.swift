import Foundation
import Golden
import JSON
import Replay
import TestSupport
import Testing

/// The committed corpus itself: canonical form (so reviews diff cleanly) and a passing replay.
@Suite struct CorpusTests {
  private var goldenPath: String { Paths.packageRoot.appendingPathComponent("Golden").path }

  @Test func everyGoldenFileIsCanonicalJSON() throws {
    for file in GoldenCorpus(paths: [goldenPath]).files {
      let text = try String(contentsOfFile: file.path, encoding: .utf8)
      let canonical = try JSONValue.parse(text).canonicalString()
      #expect(text == canonical, "\(file.path) is not canonical; rewrite it with the JSON module's canonicalString()")
    }
  }

  @Test func theCorpusReplaysCleanlyOnTheBuiltInTransformer() {
    let replayer = Replayer(runners: [TransformerRunner(transformer: BuiltinTransformer()), DeliveryRunner()])
    var failures: [String] = []
    let summary = replayer.run(GoldenCorpus(paths: [goldenPath])) { result in
      if case .passed = result.outcome { return }
      failures.append("\(result.name): \(result.mismatches.first?.summary() ?? result.message ?? "")")
    }
    #expect(summary.total >= 100)
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
  }

  /// Without a delivery runner, delivery cases are listed as skipped, never silently passed.
  @Test(.enabled(if: Paths.hasUpstreamVectors, "needs ../shared/conformance/upstream"))
  func upstreamVectorsReplayCleanly() {
    let paths = ["processor.json", "router.json", "delivery.json"].map {
      Paths.upstreamVectors.appendingPathComponent($0).path
    }
    let replayer = Replayer(runners: [TransformerRunner(transformer: BuiltinTransformer())])
    var skipped: [String] = []
    let summary = replayer.run(GoldenCorpus(paths: paths)) { result in
      if case .skipped(let m) = result.outcome { skipped.append(m) }
    }
    #expect(summary.passed == 60 && summary.failed == 0 && summary.malformed == 0)
    #expect(skipped.count == 12 && skipped.allSatisfy { $0.hasPrefix("not supported yet: delivery route") })
  }
}
