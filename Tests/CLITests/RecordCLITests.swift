import Foundation
import JSON
import TestSupport
import Testing

@Suite struct RecordCLITests {
  private let event = """
    {"type":"track","event":"Order Completed","userId":"cust-8812","anonymousId":"anon-77aa",
     "timestamp":"2024-05-01T12:00:00Z","messageId":"m-1",
     "context":{"ip":"81.2.69.142","userAgent":"UA/1",
       "traits":{"email":"Maria.Customer@realmail.example","phone":"+447700900123","firstName":"Maria","lastName":"Customer"},
       "externalId":[{"type":"tiktokExternalId","id":"crm-99812"}]},
     "properties":{"order_id":"o-1","currency":"EUR","value":12,"note":"contact maria.customer@realmail.example"}}
    """
  private let config =
    #"{"accessToken":"live-token-5f3a9c1d","pixelCode":"PIX1","hashUserProperties":true,"version":"v2"}"#

  @Test func redactedRecordingLeaksNoPersonalDataOrToken() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("event.json", event)
    try dir.write("dest.json", config)
    let r = try Harness.run(
      ["record", "event.json", "--config", "dest.json", "--suite", "customer", "--name", "bug-123", "--redact"],
      currentDirectory: dir.url)
    #expect(r.status == 0, "\(r.stderr)")
    let written = try String(
      contentsOf: dir.url.appendingPathComponent("Golden/customer/bug-123.json"), encoding: .utf8)
    for secret in [
      "Maria.Customer@realmail.example", "maria.customer@realmail.example", "+447700900123", "447700900123",
      "live-token-5f3a9c1d", "cust-8812", "anon-77aa", "81.2.69.142", "crm-99812", "Maria",
    ] {
      #expect(!written.contains(secret), "\(secret) was written")
    }
    #expect(written.contains("redacted-access-token"))
    // The stand-ins are stable: recording again gives the same file.
    let again = try Harness.run(
      ["record", "event.json", "--config", "dest.json", "--suite", "customer", "--name", "bug-124", "--redact"],
      currentDirectory: dir.url)
    #expect(again.status == 0)
    let second = try JSONValue.parse(
      String(contentsOf: dir.url.appendingPathComponent("Golden/customer/bug-124.json"), encoding: .utf8))
    #expect(second["input"] == (try JSONValue.parse(written))["input"])
    // The new case replays cleanly.
    let replay = try Harness.run(["replay", "Golden/customer/bug-123.json"], currentDirectory: dir.url)
    #expect(replay.status == 0, "\(replay.stdout)")
  }

  @Test func tokensAreReplacedEvenWithoutRedactAndExistingCasesAreKept() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("batch.json", "{\"batch\": [\(event), \(event)]}")
    try dir.write("dest.json", config)
    let r = try Harness.run(
      ["record", "batch.json", "--config", "dest.json", "--name", "two"], currentDirectory: dir.url)
    #expect(r.status == 0, "\(r.stderr)")
    let text = try String(contentsOf: dir.url.appendingPathComponent("Golden/recorded/two.json"), encoding: .utf8)
    #expect(!text.contains("live-token-5f3a9c1d"))
    #expect((try JSONValue.parse(text))["input"]?.arrayValue?.count == 2)
    let again = try Harness.run(
      ["record", "batch.json", "--config", "dest.json", "--name", "two"], currentDirectory: dir.url)
    #expect(again.status == 2)
    #expect(again.stderr.contains("already exists"))
  }

  /// `--router` pins the events as one router case: `POST /routerTransform` with `{destType, input}`, the expected
  /// batches computed by the built-in transformer, tokens replaced; the case replays cleanly.
  @Test func routerRecordingBatchesTheEventsAndReplays() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("batch.json", "{\"batch\": [\(event), \(event)]}")
    try dir.write("dest.json", config)
    let r = try Harness.run(
      ["record", "batch.json", "--config", "dest.json", "--name", "batched", "--router"], currentDirectory: dir.url)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("2 events, router: 1 batched request, 0 error items"), "\(r.stdout)")
    let text = try String(contentsOf: dir.url.appendingPathComponent("Golden/recorded/batched.json"), encoding: .utf8)
    #expect(!text.contains("live-token-5f3a9c1d"))
    let golden = try JSONValue.parse(text)
    #expect(golden["route"] == "POST /routerTransform")
    #expect(golden["input"]?["destType"] == "tiktok_ads")
    #expect(golden["input"]?["input"]?.arrayValue?.count == 2)
    let batched = golden["expected"]?["body"]?["output"]?[0]
    #expect(batched?["batched"] == true)
    #expect(batched?["metadata"]?.arrayValue?.count == 2)
    let replay = try Harness.run(["replay", "Golden/recorded/batched.json"], currentDirectory: dir.url)
    #expect(replay.status == 0, "\(replay.stdout)")
  }
}
