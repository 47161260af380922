import Foundation
import JSON
import Synchronization
import TestSupport
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A case the built-in transformer answers: a Golden file from the committed corpus. It is canonical, so `expected`
/// precedes `input` and a first-occurrence replacement edits the expected value.
let sampleCaseName = "v1/event-search"

func sampleCaseText() throws -> String {
  try String(contentsOf: Paths.packageRoot.appendingPathComponent("Golden/\(sampleCaseName).json"), encoding: .utf8)
}

/// A live-transformer stand-in: answers by running `tiktok-harness transform` on the body (processor or router),
/// then applying `plant` to the response, so tests can plant a difference.
func transformingServer(plant: @escaping @Sendable (JSONValue) -> JSONValue = { $0 }) throws -> ReplayTestServer {
  try ReplayTestServer { _, path, body in
    let router = path == "/routerTransform"
    guard router || path == "/v0/destinations/tiktok_ads" else { return (404, "text/plain", Array("no route".utf8)) }
    let result = try? Harness.run(
      ["transform", "-"] + (router ? ["--router"] : []), stdin: String(decoding: body, as: UTF8.self))
    guard let result, result.status == 0, let value = try? JSONValue.parse(result.stdout) else {
      return (500, "application/json", Array(#"{"error":"transform failed"}"#.utf8))
    }
    return (200, "application/json", plant(value).compactBytes())
  }
}

@Suite struct ReplayCLITests {
  @Test func theGoldenCorpusPasses() throws {
    let r = try Harness.run(["replay", "--quiet"])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.hasSuffix(" passed, 0 failed\n"))
  }

  @Test(.enabled(if: Paths.hasUpstreamVectors, "needs ../shared/conformance/upstream"))
  func upstreamProcessorAndRouterVectorsPass() throws {
    let files = ["processor.json", "router.json"].map { Paths.upstreamVectors.appendingPathComponent($0).path }
    let r = try Harness.run(["replay"] + files)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.hasSuffix("60 passed, 0 failed\n"))
  }

  @Test(.enabled(if: Paths.hasUpstreamVectors, "needs ../shared/conformance/upstream"))
  func upstreamDeliveryVectorsPassThroughTheDeliveryRunner() throws {
    let r = try Harness.run(["replay", Paths.upstreamVectors.appendingPathComponent("delivery.json").path])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.hasSuffix("12 passed, 0 failed\n"))
  }

  @Test func aChangedGoldenValueExits1AndNamesItsPointer() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let changed = try sampleCaseText().replacing(
      "\"event\": \"Search\"", with: "\"event\": \"Searched\"", maxReplacements: 1)
    try dir.write("Golden/v1/changed.json", changed)
    try dir.write("Golden/v1/same.json", try sampleCaseText())
    let r = try Harness.run(["replay", "Golden"], currentDirectory: dir.url)
    #expect(r.status == 1)
    #expect(r.stdout.contains("FAIL v1/changed"))
    #expect(r.stdout.contains("/body/0/output/body/JSON/event: changed value: expected \"Searched\", got \"Search\""))
    #expect(r.stdout.contains("--filter v1/changed --update"))
    #expect(r.stdout.hasSuffix("1 passed, 1 failed\n"))
  }

  @Test func aMalformedCaseExits2WithItsPositionWhileOthersRun() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("Golden/a.json", try sampleCaseText())
    try dir.write("Golden/b.json", "{\n  \"route\": \"POST /routerTransform\",\n  \"input\": [1,,2]\n}\n")
    try dir.write("Golden/c.json", try sampleCaseText())
    let r = try Harness.run(["replay"], currentDirectory: dir.url)
    #expect(r.status == 2)
    #expect(r.stdout.contains("MALFORMED b  (Golden/b.json)"))
    #expect(r.stdout.contains("Golden/b.json:3:15: "))
    #expect(r.stdout.hasSuffix("2 passed, 0 failed, 1 malformed\n"))
  }

  @Test func reportsAreWrittenAndJUnitHasOneTestcasePerCase() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("Golden/v1/ok.json", try sampleCaseText())
    try dir.write(
      "Golden/v1/bad.json",
      try sampleCaseText().replacing("\"value\": 25", with: "\"value\": \"25\"", maxReplacements: 1))
    try dir.write("Golden/v1/broken.json", "[")
    let r = try Harness.run(
      [
        "replay", "--report", "junit", "out/junit.xml", "--report", "json", "out/r.json", "--report", "markdown",
        "out/r.md",
      ],
      currentDirectory: dir.url)
    #expect(r.status == 2)
    let xml = try XMLDocument(contentsOf: dir.url.appendingPathComponent("out/junit.xml"))
    #expect(try xml.nodes(forXPath: "//testcase").count == 3)
    let failure = try xml.nodes(forXPath: "//testcase[@name='v1/bad']/failure/@message").first?.stringValue ?? ""
    #expect(failure.contains("/body/0/output/body/JSON/properties/value: changed type string → number"))
    let json = try JSONValue.parse(String(contentsOf: dir.url.appendingPathComponent("out/r.json"), encoding: .utf8))
    #expect(json["summary"]?["total"] == 3)
    let md = try String(contentsOf: dir.url.appendingPathComponent("out/r.md"), encoding: .utf8)
    #expect(md.contains("1 passed, 1 failed, 1 malformed"))
  }

  @Test func filterSelectsCasesByName() throws {
    let r = try Harness.run(["replay", "--filter", "errors/*", "--quiet"])
    let errors = Paths.packageRoot.appendingPathComponent("Golden/errors").path
    let count = try FileManager.default.contentsOfDirectory(atPath: errors).filter { $0.hasSuffix(".json") }.count
    #expect(r.status == 0)
    #expect(count > 1 && r.stdout.hasSuffix("\(count) passed, 0 failed\n"), "\(r.stdout)")
  }

  @Test func updateRewritesFailingCasesAndRefusesUnderCI() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let original = try sampleCaseText()
    let file = try dir.write(
      "Golden/v1/x.json", original.replacing("\"event\": \"Search\"", with: "\"event\": \"Old\"", maxReplacements: 1))
    let before = try String(contentsOf: file, encoding: .utf8)
    let refused = try Harness.run(["replay", "--update"], environment: ["CI": "1"], currentDirectory: dir.url)
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("refuses"))
    #expect(try String(contentsOf: file, encoding: .utf8) == before)
    let updated = try Harness.run(["replay", "--update"], currentDirectory: dir.url)
    #expect(updated.status == 0)
    #expect(updated.stdout.contains("UPDATED v1/x"))
    #expect(updated.stdout.contains("/body/0/output/body/JSON/event: changed value: expected \"Old\", got \"Search\""))
    #expect(try String(contentsOf: file, encoding: .utf8) == original)
    #expect(try Harness.run(["replay"], currentDirectory: dir.url).status == 0)
  }

  @Test func aLiveTransformerURLIsReplayedAgainst() throws {
    let server = try transformingServer()
    defer { server.stop() }
    let r = try Harness.run([
      "replay", "--transformer", server.url, "--filter", "v1/event-*", "--filter", "router/v1-batch", "--quiet",
    ])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.hasSuffix("15 passed, 0 failed\n"))
    let paths = server.requests.withLock { $0 }
    #expect(paths.contains("/v0/destinations/tiktok_ads") && paths.contains("/routerTransform"))
  }

  /// A live transformer cannot apply a case's batch-limit override, so that case is skipped: counted and listed,
  /// exit 0; with `--strict` the same run exits 1 and says why.
  @Test func skippedCasesFailTheRunOnlyUnderStrict() throws {
    let server = try transformingServer()
    defer { server.stop() }
    let args = ["replay", "--transformer", server.url, "--filter", "router/v2-batch-limit-override", "--quiet"]
    let lenient = try Harness.run(args)
    #expect(lenient.status == 0, "\(lenient.stdout)\(lenient.stderr)")
    #expect(lenient.stdout.contains("SKIP router/v2-batch-limit-override"), "\(lenient.stdout)")
    #expect(lenient.stdout.hasSuffix("0 passed, 0 failed, 1 skipped\n"), "\(lenient.stdout)")
    let strict = try Harness.run(args + ["--strict"])
    #expect(strict.status == 1, "\(strict.stdout)\(strict.stderr)")
    #expect(strict.stderr.contains("1 skipped case fails the run (--strict)"), "\(strict.stderr)")
  }

  /// On a terminal, replay shows a progress line on standard error (erased before the summary) and colours the
  /// summary line; `--quiet` drops the progress line and `NO_COLOR` the colours.
  @Test func onATerminalReplayShowsProgressAndColour() throws {
    let run = try Harness.runInTerminal(["replay", "--filter", "v1/*"])
    #expect(run.status == 0, "\(run.output)")
    #expect(run.output.contains("\r\u{1B}[Kreplaying: "), "\(run.output.debugDescription)")
    #expect(
      run.output.contains("\r\u{1B}[K\n\u{1B}[32m"),
      "progress line erased before the summary: \(run.output.debugDescription)")
    #expect(run.output.hasSuffix(" failed\u{1B}[0m\n"), "\(run.output.debugDescription)")

    let quiet = try Harness.runInTerminal(["replay", "--filter", "v1/*", "--quiet"], environment: ["NO_COLOR": "1"])
    #expect(quiet.status == 0)
    #expect(!quiet.output.contains("replaying:"), "\(quiet.output.debugDescription)")
    #expect(!quiet.output.contains("\u{1B}["), "\(quiet.output.debugDescription)")
    #expect(quiet.output.hasSuffix(" passed, 0 failed\n"), "\(quiet.output.debugDescription)")
  }

  @Test func aRegressionInTheLiveTransformerIsReported() throws {
    let server = try transformingServer { response in
      guard case .array(var items) = response, case .object(var first)? = items.first else { return response }
      first["statusCode"] = "200"
      items[0] = .object(first)
      return .array(items)
    }
    defer { server.stop() }
    let r = try Harness.run(["replay", "--transformer", server.url, "--filter", sampleCaseName, "--quiet"])
    #expect(r.status == 1)
    #expect(r.stdout.contains("/body/0/statusCode: changed type number → string"))
  }

  @Test func anUnreachableOrNonJSONTransformerExits3() throws {
    let html = try ReplayTestServer { _, _, _ in (502, "text/html", Array("<html>bad gateway</html>".utf8)) }
    let r = try Harness.run(["replay", "--transformer", html.url, "--quiet"])
    html.stop()
    #expect(r.status == 3)
    #expect(r.stdout.contains("did not answer JSON"))
    #expect(r.stdout.contains(html.url))
    let closed = try Harness.run(["replay", "--transformer", html.url, "--timeout", "5", "--quiet"])
    #expect(closed.status == 3)
    #expect(closed.stdout.contains("could not be reached"))
  }
}
