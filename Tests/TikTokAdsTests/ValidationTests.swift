import JSON
import Testing

@testable import TikTokAds

/// Spec §3: checks, their order, exact messages, status and statTags, for both versions.
@Suite("§3 validation")
struct ValidationTests {
  struct Row: Sendable, CustomStringConvertible {
    let name: String
    let v2: Bool
    let config: [(String, JSONValue)]
    let message: JSONValue
    let error: String
    let errorType: String
    var description: String { "\(v2 ? "v2" : "v1"): \(name)" }
  }

  static let rows: [Row] =
    [true, false].flatMap { v2 -> [Row] in
      [
        Row(
          name: "no token", v2: v2, config: [("accessToken", "")], message: TestEvents.track(),
          error: v2 ? "Access Token not found. Aborting" : "Access Token not found. Aborting ",  // Q3
          errorType: "configuration"),
        Row(
          name: "no pixel", v2: v2, config: [("pixelCode", .null)], message: TestEvents.track(),
          error: "Pixel Code not found. Aborting", errorType: "configuration"),
        Row(
          name: "token checked before pixel", v2: v2, config: [("accessToken", .null), ("pixelCode", "")],
          message: ["event": "x"], error: v2 ? "Access Token not found. Aborting" : "Access Token not found. Aborting ",
          errorType: "configuration"),
        Row(
          name: "no type", v2: v2, config: [], message: ["event": "Search"], error: "Event type is required",
          errorType: "instrumentation"),
        Row(
          name: "identify", v2: v2, config: [], message: ["type": "Identify", "event": "Search"],
          error: "Event type identify is not supported", errorType: "instrumentation"),
        Row(
          name: "no event", v2: v2, config: [], message: ["type": "track"],
          error: "Event is a required field and should be a string", errorType: "instrumentation"),
        Row(
          name: "numeric event", v2: v2, config: [], message: TestEvents.track(123),
          error: "Event is a required field and should be a string", errorType: "instrumentation"),
        Row(
          name: "empty event", v2: v2, config: [], message: TestEvents.track(""),
          error: "Event is a required field and should be a string", errorType: "instrumentation"),
        Row(
          name: "unknown event", v2: v2, config: [], message: TestEvents.track("  Product Added To Wishlist1 "),
          error: "Event name (product added to wishlist1) is not valid, must be mapped to one of standard events",
          errorType: "instrumentation"),
        Row(
          name: "standard TikTok name is not a key", v2: v2, config: [], message: TestEvents.track("AddToCart"),
          error: "Event name (addtocart) is not valid, must be mapped to one of standard events",
          errorType: "instrumentation"),
      ]
    } + [
      Row(
        name: "whitespace-only event (v2 rule 6)", v2: true, config: [("sendCustomEvents", true)],
        message: TestEvents.track("   "), error: "Event name is required", errorType: "instrumentation"),
      Row(
        name: "whitespace-only event (v1 rule 7)", v2: false, config: [], message: TestEvents.track("   "),
        error: "Event name () is not valid, must be mapped to one of standard events", errorType: "instrumentation"),
      Row(
        name: "unparseable timestamp (v2 rule 8)", v2: true, config: [],
        message: ["type": "track", "event": "Search", "timestamp": "yesterday"],
        error: "Missing required value from \"timestamp\"", errorType: "instrumentation"),
      Row(
        name: "no timestamp (v2 rule 8)", v2: true, config: [], message: ["type": "track", "event": "Search"],
        error: "Missing required value from \"timestamp\"", errorType: "instrumentation"),
    ]

  @Test("each error, exact message, status 400 and processor statTags", arguments: rows)
  func errorRow(_ row: Row) throws {
    let items = try TestEvents.process(row.message, TestEvents.destination(v2: row.v2, row.config))
    #expect(items.count == 1)
    let item = items.first ?? .null
    #expect(item["statusCode"] == 400)
    #expect(item["error"] == .string(row.error))
    #expect(item["metadata"] == TestEvents.metadata)
    let expectedTags: JSONValue = [
      "errorCategory": "dataValidation", "errorType": .string(row.errorType), "destType": "TIKTOK_ADS",
      "module": "destination", "implementation": "native", "feature": "processor", "destinationId": "dest-1",
      "workspaceId": "ws-1",
    ]
    #expect(item["statTags"] == expectedTags)
  }

  @Test("TRACK in capitals is accepted; version V2 or v1 selects Events 1.0")
  func typeAndVersion() throws {
    #expect(
      try TestEvents.process(TestEvents.track("Search", [("type", "TRACK")]), TestEvents.destination())[0]["statusCode"]
        == 200)
    for version: JSONValue in ["V2", "v1", .null, 2] {
      let body = try TestEvents.v1Body(TestEvents.track(), [("version", version)])
      #expect(body?["pixel_code"] == "PIXEL1", "version \(version.compactString()) should select Events 1.0")
    }
  }

  @Test("metadata without ids gives statTags without destinationId and workspaceId")
  func tagsWithoutIds() throws {
    let items = try TestEvents.process(["event": "x"], TestEvents.destination(), metadata: ["jobId": 3])
    #expect(items[0]["statTags"]?["destinationId"] == nil)
    #expect(items[0]["statTags"]?["workspaceId"] == nil)
  }

  @Test("Q21: runtime failures give 500 with transformation statTags only (v1 array external id, hashing on)")
  func runtimeError() throws {
    let message = TestEvents.track(
      "Search", [("context", ["externalId": [["type": "tiktokExternalId", "id": ["a", "b"]]]])])
    let items = try TestEvents.process(message, TestEvents.destination(v2: false, [("hashUserProperties", true)]))
    #expect(items[0]["statusCode"] == 500)
    #expect(items[0]["statTags"] == ["errorCategory": "transformation"])
    #expect(items[0]["error"]?.stringValue?.contains("external_id.trim is not a function") == true)
  }

  @Test("Q19: a lone surrogate in a v1-hashed field fails with URI malformed; v2 hashes it")
  func loneSurrogate() throws {
    let message = try JSONValue.parse(
      #"{"type":"track","event":"Search","timestamp":"2024-01-01T00:00:00Z","traits":{"email":"\ud800a"}}"#)
    let v1 = try TestEvents.process(message, TestEvents.destination(v2: false, [("hashUserProperties", true)]))
    #expect(v1[0]["statusCode"] == 500)
    #expect(v1[0]["error"] == "URI malformed")
    let v2 = try TestEvents.v2Entry(message, [("hashUserProperties", true)])
    // low bytes of the UTF-16 units 0xD800, 0x0061
    #expect(v2?["user"]?["email"] == "022a6979e6dab7aa5ae4c3e5e45f7e977112a7e63593820dbec1ec738a24f93c")
  }

  @Test("a request body that is not an array is a shape error, not a crash")
  func shapeErrors() throws {
    #expect(throws: RequestShapeError.self) { try TikTokAdsTransformer().processorResponse(for: ["a": 1]) }
    #expect(throws: RequestShapeError.self) { try TikTokAdsTransformer().routerResponse(for: ["input": 1]) }
    let items = try TikTokAdsTransformer().processorResponse(for: [1, .null])
    #expect(items.arrayValue?.map { $0["statusCode"] } == [500, 500])
  }
}
