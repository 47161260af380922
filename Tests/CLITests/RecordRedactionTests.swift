import Foundation
import Golden
import JSON
import SHA256
import TestSupport
import Testing

/// `record --redact` is default-deny and keeps the case reproducing what the captured event does (issue 12).
@Suite struct RecordRedactionTests {
  /// The places the previous redactor missed: an email URL-encoded in `page.url`, emails in a referrer's query,
  /// names and phones under keys it did not know, the user agent, `ttclid`.
  static let event = #"""
    {"type":"track","event":"Order Completed","userId":"cust-8812","anonymousId":"anon-77aa","messageId":"msg-5521",
     "timestamp":"2024-05-01T12:00:00Z","channel":"web",
     "context":{"ip":"81.2.69.142","userAgent":"Mozilla/5.0 (X11; Linux x86_64) MariaBrowser/120.0",
       "page":{"url":"https://shop.example.com/checkout?email=maria.customer%40realmail.example&step=2",
               "referrer":"https://webmail.example.net/inbox?from=maria.customer@realmail.example&to=bob.other@corp.example"},
       "os":{"name":"iOS"},"device":{"advertisingId":"6D92078A-8246-4BA4-AE5B-76104861E7DC","id":"idfv-3391"},
       "traits":{"email":"Maria.Customer@realmail.example","phone":"+447700900123","firstName":"Maria","lastName":"Customer",
                 "address":{"city":"Lisbon","zip":"1100-148"}},
       "externalId":[{"type":"tiktokExternalId","id":"crm-99812"}]},
     "properties":{"order_id":"ord-7712","currency":"EUR","value":12,"ttclid":"E.C.P.ttclid8812secret","att_status":"AUTHORIZED",
       "eventSource":"app","shipping":{"recipient":"Maria Customer"},"mobile":"+44 7700 900123",
       "note":"call 07700 900123 or mail maria.customer@realmail.example",
       "products":[{"product_id":"sku-1","price":5,"quantity":2,"name":"Maria's mug"}]}}
    """#

  static let originals = [
    "maria", "customer", "realmail", "bob.other", "cust-8812", "anon-77aa", "msg-5521", "81.2.69.142", "MariaBrowser",
    "6D92078A", "76104861E7DC", "idfv-3391", "447700900123", "7700 900123", "900123", "Lisbon", "1100-148",
    "crm-99812", "ord-7712", "ttclid8812secret", "live-token-5f3a9c1d", "PIX9912", "capture-of-maria",
    "dest-771", "ws-8812",
  ]

  static func config(_ version: String) -> String {
    #"{"ID":"dest-771","WorkspaceID":"ws-8812","Config":{"accessToken":"live-token-5f3a9c1d","pixelCode":"PIX9912","hashUserProperties":true,"version":"\#(version)"}}"#
  }

  /// Every JSON Pointer in `value`, containers included.
  static func pointers(_ value: JSONValue, _ at: String = "") -> Set<String> {
    var out: Set<String> = [at]
    switch value {
    case .object(let o): for e in o.entries { out.formUnion(pointers(e.value, at + "/" + e.key)) }
    case .array(let a): for (i, v) in a.enumerated() { out.formUnion(pointers(v, at + "/\(i)")) }
    default: break
    }
    return out
  }

  @Test(arguments: ["v2", "v1"]) func aRedactedCaseHoldsNoPersonalDataAndKeepsTheOutputsFields(version: String) throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("capture-of-maria/event.json", Self.event)
    try dir.write("dest.json", Self.config(version))
    let r = try Harness.run(
      ["record", "capture-of-maria/event.json", "--config", "dest.json", "--name", "bug", "--redact"],
      currentDirectory: dir.url)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!r.stderr.contains("warning"), "\(r.stderr)")
    let text = try String(
      contentsOf: dir.url.appendingPathComponent("Golden/recorded/bug.json"), encoding: .utf8)
    for original in Self.originals {
      #expect(!text.lowercased().contains(original.lowercased()), "\(original) was written")
    }
    let golden = try JSONValue.parse(text)
    #expect(golden["description"] == "recorded from a redacted capture")
    let message = try #require(golden["input"]?[0]?["message"])
    // Kept as they are: what the mapping decides by.
    #expect(message["event"] == "Order Completed" && message["type"] == "track" && message["channel"] == "web")
    #expect(message["context"]?["externalId"]?[0]?["type"] == "tiktokExternalId")
    #expect(message["context"]?["os"]?["name"] == "iOS" && message["timestamp"] == "2024-05-01T12:00:00Z")
    #expect(message["properties"]?["att_status"] == "AUTHORIZED" && message["properties"]?["eventSource"] == "app")
    #expect(message["properties"]?["currency"] == "EUR")
    #expect(golden["input"]?[0]?["destination"]?["Config"]?["version"] == .string(version))
    // Formats kept: an email stays an email, a phone keeps its digits, a URL its scheme, host and parameter names,
    // a UUID stays a UUID.
    let email = try #require(message["context"]?["traits"]?["email"]?.stringValue)
    #expect(email.split(separator: "@").count == 2 && email.hasSuffix(".example") && email.first?.isUppercase == true)
    let mobile = try #require(message["properties"]?["mobile"]?.stringValue)
    #expect(mobile.hasPrefix("+") && mobile.split(separator: " ").map(\.count) == [3, 4, 6])
    let url = try #require(message["context"]?["page"]?["url"]?.stringValue)
    #expect(url.hasPrefix("https://shop.example.com/") && url.contains("?email=") && url.contains("%40"))
    #expect(url.hasSuffix(".example&step=2") || url.contains("&step="))
    let referrer = try #require(message["context"]?["page"]?["referrer"]?.stringValue)
    #expect(
      referrer.hasPrefix("https://webmail.example.net/") && referrer.contains("?from=") && referrer.contains("&to="))
    let idfa = try #require(message["context"]?["device"]?["advertisingId"]?.stringValue)
    #expect(idfa.count == 36 && idfa.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
    // The redacted event makes the transformer output exactly the fields the captured one does.
    let original = try Harness.run(
      ["transform", "capture-of-maria/event.json", "--config", "dest.json"], currentDirectory: dir.url)
    #expect(original.status == 0, "\(original.stderr)")
    let expectedBody = try #require(golden["expected"]?["body"])
    #expect(Self.pointers(try JSONValue.parse(original.stdout)) == Self.pointers(expectedBody))
    // The external id and hashed email come from the stand-ins, never from the originals.
    let output = try #require(expectedBody[0]?["output"]?["body"]?["JSON"])
    let user = version == "v2" ? output["data"]?[0]?["user"] : output["context"]?["user"]
    #expect(user?["external_id"] != nil, "user.external_id was lost")
    let standIn = email.trimmingCharacters(in: .whitespaces).lowercased()
    #expect(user?["email"] == .string(SHA256.hexDigest(Array(standIn.utf8))))
    #expect(user?["email"] != .string(SHA256.hexDigest(Array("maria.customer@realmail.example".utf8))))
    // And the case replays.
    let replay = try Harness.run(["replay", "Golden/recorded/bug.json"], currentDirectory: dir.url)
    #expect(replay.status == 0, "\(replay.stdout)")
  }

  /// Kept values are written as they are, so personal data in one of them is refused, each leftover named by
  /// pointer and kind, and nothing is written.
  @Test func aRefusalNamesEachLeftoverByPointerAndKind() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write(
      "event.json",
      #"{"type":"track","event":"Call me on +44 7700 900123","timestamp":"2024-05-01T12:00:00Z","properties":{"currency":"ann@example.org"}}"#
    )
    try dir.write(
      "dest.json",
      #"{"accessToken":"t0k3n-abcdef","pixelCode":"P1","version":"v2","sendCustomEvents":true,"eventsToStandard":[{"from":"x","to":"mail bob@example.org"}]}"#
    )
    let r = try Harness.run(
      ["record", "event.json", "--config", "dest.json", "--name", "x", "--redact"], currentDirectory: dir.url)
    #expect(r.status == 2)
    #expect(
      r.stderr.contains("refusing to write Golden/recorded/x.json: 3 sensitive values would be written"), "\(r.stderr)")
    #expect(r.stderr.contains("/input/0/message/event: phone number"), "\(r.stderr)")
    #expect(r.stderr.contains("/input/0/message/properties/currency: email address"), "\(r.stderr)")
    #expect(r.stderr.contains("/input/0/destination/Config/eventsToStandard/0/to: email address"), "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count == 1)
    #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("Golden/recorded/x.json").path))
  }

  /// Stand-ins of short values can collide; when two destination IDs become one, the router would batch the
  /// events together and the case would no longer show what the capture does, so record refuses.
  @Test func redactionThatWouldChangeTheOutputsFieldsIsRefused() throws {
    var seen: [String: String] = [:]
    var pair: (String, String)?
    for a in "abcdefghijklmnopqrstuvwxyz" {
      for b in "0123456789" {
        let id = "\(a)\(b)"
        let standIn = StandIn.string(id)
        if let other = seen[standIn] {
          pair = (other, id)
          break
        }
        seen[standIn] = id
      }
      if pair != nil { break }
    }
    let (first, second) = try #require(pair, "no two short ids share a stand-in")
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    func line(_ id: String, _ job: Int) -> String {
      #"{"message":{"type":"track","event":"Search","messageId":"m\#(job)","timestamp":"2024-05-01T12:00:00Z"},"metadata":{"jobId":\#(job)},"destination":{"ID":"\#(id)","Config":{"accessToken":"tok-abcdef","pixelCode":"P1","version":"v2"}}}"#
    }
    try dir.write("events.ndjson", line(first, 1) + "\n" + line(second, 2) + "\n")
    let plain = try Harness.run(["transform", "events.ndjson", "--router"], currentDirectory: dir.url)
    #expect((try JSONValue.parse(plain.stdout))["output"]?.arrayValue?.count == 2, "two destinations, two batches")
    let r = try Harness.run(
      ["record", "events.ndjson", "--router", "--name", "x", "--redact"], currentDirectory: dir.url)
    #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
    #expect(
      r.stderr.contains(
        "redaction would change what the transformer does: /output/1 only in the captured event's output"),
      "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("Golden/recorded/x.json").path))
  }

  @Test func recordingWithoutRedactWarnsThatPersonalDataIsWrittenInClear() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("event.json", Self.event)
    try dir.write("dest.json", Self.config("v2"))
    let r = try Harness.run(
      ["record", "event.json", "--config", "dest.json", "--name", "plain"], currentDirectory: dir.url)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(
      r.stderr.contains("warning: Golden/recorded/plain.json holds the capture's personal data in clear"), "\(r.stderr)"
    )
    #expect(r.stderr.contains("--redact"))
    let text = try String(contentsOf: dir.url.appendingPathComponent("Golden/recorded/plain.json"), encoding: .utf8)
    #expect(!text.contains("live-token-5f3a9c1d"), "access tokens are never written in clear")
    #expect(text.contains("\"description\": \"recorded from event.json\""), "no local path: \(text.prefix(200))")
  }
}
