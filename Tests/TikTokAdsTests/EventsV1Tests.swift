import JSON
import Testing

@testable import TikTokAds

/// Spec §6: every field row of §6.1, contents (§6.2), user fields (§6.3) and hashing (§6.4).
@Suite("§6 Events 1.0")
struct EventsV1Tests {
  static let fullProperties: JSONValue = [
    "eventId": "evt-1", "testEventCode": "TEST123", "category": "shoes", "status": "done", "name": "Runner",
    "product_id": 42, "shopId": 7, "orderId": 99, "contentType": "product", "currency": "EUR", "value": 0,
    "description": "desc", "query": "q", "clickId": "click-1",
    "context": ["ad": ["callback": "old"], "page": ["url": "https://x"], "user": ["email": "A@B.com", "extra": 1]],
  ]

  @Test("every §6.1 row maps, with conversions")
  func fieldRows() throws {
    let message = TestEvents.track(
      "Search",
      [("properties", Self.fullProperties), ("context", ["ip": "1.2.3.4", "userAgent": "UA", "ad": ["x": 1]])])
    let body = try TestEvents.v1Body(message)
    let expected: JSONValue = [
      "pixel_code": "PIXEL1", "event": "Search", "event_id": "evt-1", "timestamp": "2024-05-09T10:12:31.713Z",
      "test_event_code": "TEST123",
      "properties": [
        "content_category": "shoes", "status": "done", "content_name": "Runner", "content_id": "42",
        "shop_id": "7", "order_id": "99", "content_type": "product", "currency": "EUR", "value": 0,
        "description": "desc", "query": "q",
      ],
      "context": [
        "ad": ["callback": "click-1"],  // clickId overrides the callback already there
        "page": ["url": "https://x"],
        "user": ["email": "A@B.com", "extra": 1],  // all keys passed through, unhashed, case kept
        "ip": "1.2.3.4", "user_agent": "UA",
      ],
      "partner_name": "RudderStack",
    ]
    #expect(body == expected)
  }

  @Test("fallbacks: messageId, context.ad/page, request_ip; no timestamp fallback; empty test code dropped")
  func fallbacks() throws {
    let message: JSONValue = [
      "type": "track", "event": "Search", "messageId": "m-9", "originalTimestamp": "2024-01-01T00:00:00Z",
      "request_ip": "9.9.9.9", "context": ["ad": ["a": 1], "page": ["p": 2]],
      "properties": ["eventId": "", "testEventCode": "", "ip": "5.5.5.5", "userAgent": "ignored"],
    ]
    let body = try TestEvents.v1Body(message)
    #expect(body?["event_id"] == "m-9")
    #expect(body?["timestamp"] == nil)  // Test 10: no fallback to originalTimestamp
    #expect(body?["test_event_code"] == nil)
    #expect(body?["context"] == ["ad": ["a": 1], "page": ["p": 2], "ip": "9.9.9.9"])
    #expect(body?["properties"] == nil)
  }

  @Test("§6.2 contents: wrapping, defaults, products, Q8, Q9, Q10")
  func contents() throws {
    // A non-array contents is wrapped; items without content_type get properties.contentType or product_group.
    let wrapped = try TestEvents.v1Body(TestEvents.track("Search", [("properties", ["contents": ["content_id": 1]])]))
    #expect(wrapped?["properties"]?["contents"] == [["content_id": 1, "content_type": "product_group"]])
    // Products build contents when another property maps; Q10: snake content_type is a product fallback only.
    let products: JSONValue = [
      ["product_id": 1, "name": "A", "sku": "dropped", "content_type": "ignored", "price": 2, "quantity": 3],
      ["name": "no id", "contentType": "own"],
    ]
    let built = try TestEvents.v1Body(
      TestEvents.track("Search", [("properties", ["currency": "USD", "content_type": "snake", "products": products])]))
    #expect(
      built?["properties"]?["contents"] == [
        ["content_type": "snake", "content_id": "1", "content_name": "A", "price": 2, "quantity": 3],
        ["content_type": "own", "content_id": "undefined", "content_name": "no id"],  // Q8
      ])
    // With no content type anywhere, product items default to "product".
    let plain = try TestEvents.v1Body(
      TestEvents.track("Search", [("properties", ["value": 1, "products": [["product_id": "p"]]])]))
    #expect(plain?["properties"]?["contents"] == [["content_type": "product", "content_id": "p"]])
    // Q9: products are ignored entirely when nothing else maps to properties.
    let ignored = try TestEvents.v1Body(TestEvents.track("Search", [("properties", ["products": products])]))
    #expect(ignored?["properties"] == nil)
    // products: [] gives contents: []; a non-array products gives [] too.
    for p: JSONValue in [[], ["product_id": 1]] {
      let empty = try TestEvents.v1Body(TestEvents.track("Search", [("properties", ["value": 1, "products": p])]))
      #expect(empty?["properties"]?["contents"] == [])
    }
    // Given contents keep a numeric content_id; contentType (camel) is their default type.
    let given = try TestEvents.v1Body(
      TestEvents.track("Search", [("properties", ["contentType": "camel", "contents": [["content_id": 5]]])]))
    #expect(given?["properties"]?["contents"] == [["content_id": 5, "content_type": "camel"]])
  }

  @Test("§6.3 user fields: external id, traits fallbacks, Q5 numeric values")
  func userFields() throws {
    let message = TestEvents.track(
      "Search",
      [
        (
          "context",
          [
            "externalId": [["type": "other", "id": "x"], ["type": "tiktokExternalId", "id": "ext-1"]],
            "traits": ["email": "ctx@b.com"],
          ]
        ),
        ("traits", ["email": "a@b.com", "phone": "+1 555-0100"]),
        ("properties", ["context": ["user": ["phone_number": 5550100]]]),
      ])
    let user = try TestEvents.v1Body(message)?["context"]?["user"]
    // traits shadow context.traits; a numeric phone_number is replaced by the traits phone.
    #expect(user == ["phone_number": "+1 555-0100", "external_id": "ext-1", "email": "a@b.com"])
    // A numeric external id is dropped.
    let numeric = TestEvents.track(
      "Search", [("context", ["externalId": [["type": "tiktokExternalId", "id": 123]]])])
    #expect(try TestEvents.v1Body(numeric)?["context"] == nil)
  }

  @Test("§6.4 hashing on: trimmed, email lowercased, Q4 re-hashes, Q5 numeric phone raw; off: as given")
  func hashing() throws {
    let message = TestEvents.track(
      "Search",
      [
        ("context", ["externalId": [["type": "tiktokExternalId", "id": " ext-1 "]]]),
        ("properties", ["context": ["user": ["email": "  Mixed@Example.COM ", "phone_number": " +1 555-0100 "]]]),
      ])
    let hashed = try TestEvents.v1Body(message, [("hashUserProperties", true)])?["context"]?["user"]
    #expect(hashed?["external_id"] == .string(TestEvents.sha256("ext-1")))
    #expect(hashed?["email"] == .string(TestEvents.sha256("mixed@example.com")))
    #expect(hashed?["phone_number"] == .string(TestEvents.sha256("+1 555-0100")))
    let plain = try TestEvents.v1Body(message, [("hashUserProperties", false)])?["context"]?["user"]
    #expect(plain?["email"] == "  Mixed@Example.COM ")
    #expect(plain?["external_id"] == " ext-1 ")
    // Q4: a 64-hex value is hashed again.
    let already = TestEvents.sha256("a@b.com")
    let again = try TestEvents.v1Body(
      TestEvents.track("Search", [("traits", ["email": .string(already)])]), [("hashUserProperties", true)])
    #expect(again?["context"]?["user"]?["email"] == .string(TestEvents.sha256(already)))
    // Q5: a numeric phone is neither hashed nor removed; whitespace-only email hashes as sha256("").
    let numeric = try TestEvents.v1Body(
      TestEvents.track("Search", [("properties", ["context": ["user": ["phone_number": 555, "email": "  "]]])]),
      [("hashUserProperties", true)])
    #expect(numeric?["context"]?["user"]?["phone_number"] == 555)
    #expect(numeric?["context"]?["user"]?["email"] == .string(TestEvents.sha256("")))
    // Non-ASCII: v1 hashes UTF-8 bytes (Q18).
    let accent = try TestEvents.v1Body(
      TestEvents.track("Search", [("traits", ["email": "josé@x.com"])]), [("hashUserProperties", true)])
    #expect(accent?["context"]?["user"]?["email"] == "2feb7702bea9dbc65679f51266cccdacc6214976ec20912f05f19674034b6406")
  }

  @Test("Q1: with N targets the shared properties.context.user is hashed N times and every request shows it")
  func sharedUserObject() throws {
    let map: JSONValue = [["from": "x", "to": "Lead"], ["from": "x", "to": "Purchase"]]
    let message = TestEvents.track("x", [("properties", ["context": ["user": ["email": "a@b.com"]]])])
    let bodies = try TestEvents.bodies(
      message, TestEvents.destination(v2: false, [("hashUserProperties", true), ("eventsToStandard", map)]))
    #expect(bodies.count == 2)
    let twice = JSONValue.string(TestEvents.sha256(TestEvents.sha256("a@b.com")))
    #expect(bodies.map { $0["context"]?["user"]?["email"] } == [twice, twice])
  }

  @Test("processor envelope: endpoint, headers, userId, one item per target")
  func envelope() throws {
    let items = try TestEvents.process(TestEvents.track(), TestEvents.destination())
    let output = items[0]["output"]
    #expect(output?["endpoint"] == "https://business-api.tiktok.com/open_api/v1.3/pixel/track/")
    #expect(output?["endpointPath"] == "pixel/track")
    #expect(output?["headers"] == ["Access-Token": "token-1", "Content-Type": "application/json"])
    #expect(output?["userId"] == "")
    #expect(output?["body"]?["JSON_ARRAY"] == [:])
    #expect(items[0]["statusCode"] == 200)
  }
}
