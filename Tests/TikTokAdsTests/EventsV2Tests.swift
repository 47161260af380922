import JSON
import Testing

@testable import TikTokAds

/// Spec §7: every field row of §7.1, contents (§7.2), default content_type (§7.3), user and hashing (§7.4), body (§7.5).
@Suite("§7 Events 2.0")
struct EventsV2Tests {
  @Test("every §7.1 row maps, in a full message")
  func fieldRows() throws {
    let message = TestEvents.track(
      "Product Added",
      [
        (
          "properties",
          [
            "event_id": "e-2", "limited_data_use": false, "content_type": "snake", "query": "q", "shopId": 3,
            "order_id": 4, "currency": "USD", "value": 9.5, "description": "d", "url": "https://p",
            "referrer": "https://r",
            "ttclid": "tt", "ttp": "ttp1", "email": "prop@x.com", "phone": "+100", "city": "Paris", "country": "FR",
            "state": "IDF", "att_status": "authorized", "app_id": "app.id", "appName": "App", "app_version": "1.2",
            "callBack": "cb", "campaign_id": "c1", "adId": "a1", "creative_id": "cr1", "isRetargeting": false,
            "attributed": true, "attribution_type": "click", "attributionProvider": "prov", "leadId": "l1",
            "lead_event_source": "crm",
          ]
        ),
        (
          "context",
          [
            "locale": "fr-FR", "ip": "1.1.1.1", "userAgent": "UA",
            "traits": ["firstName": " Jane ", "lastname": "DOE", "zip": " US - 1234-"],
            "device": ["advertisingId": " AdId ", "id": "dev-id"],
          ]
        ),
      ])
    let entry = try TestEvents.v2Entry(message)
    let expected: JSONValue = [
      "event_id": "e-2", "event_time": 1_715_249_551, "limited_data_use": false,
      "properties": [
        "content_type": "snake", "search_string": "q", "shop_id": "3", "order_id": "4", "currency": "USD",
        "value": 9.5, "description": "d", "query": "q",
      ],
      "page": ["url": "https://p", "referrer": "https://r"],
      "user": [
        "locale": "fr-FR", "ttclid": "tt", "ttp": "ttp1", "email": "prop@x.com", "phone": "+100", "ip": "1.1.1.1",
        "user_agent": "UA",
        "first_name": .string(TestEvents.sha256("jane")), "last_name": .string(TestEvents.sha256("doe")),
        "city": "Paris", "country": "FR", "state": "IDF", "zip_code": .string(TestEvents.sha256("US1234")),
        "idfa": "AdId", "idfv": "dev-id", "gaid": "adid", "att_status": "AUTHORIZED",
      ],
      "app": ["app_id": "app.id", "app_name": "App", "app_version": "1.2"],
      "ad": [
        "callback": "cb", "campaign_id": "c1", "ad_id": "a1", "creative_id": "cr1", "is_retargeting": false,
        "attributed": true, "attribution_type": "click", "attribution_provider": "prov",
      ],
      "lead": ["lead_id": "l1", "lead_event_source": "crm"],
      "event": "AddToCart",
    ]
    #expect(entry == expected)
  }

  @Test("user sources: priority order, email always lowercased and trimmed, Q6 email arrays, att_status filter")
  func userSources() throws {
    let message = TestEvents.track(
      "Search",
      [
        (
          "context",
          [
            "user": ["email": "  CTX@X.com "],
            "traits": [
              "address": ["city": "Lyon", "state": "ARA"],
              "state": "ignored", "phone": "+2",
            ],
          ]
        ),
        ("properties", ["att_status": "maybe", "context": ["user": ["locale": "de", "ip": "8.8.8.8"]]]),
      ])
    let user = try TestEvents.v2Entry(message)?["user"]
    #expect(user?["email"] == "ctx@x.com")
    #expect(user?["city"] == "Lyon")
    #expect(user?["state"] == "ARA")  // address first
    #expect(user?["phone"] == "+2")
    #expect(user?["locale"] == "de")
    #expect(user?["ip"] == "8.8.8.8")
    #expect(user?["att_status"] == nil)
    let arrays = try TestEvents.v2Entry(TestEvents.track("Search", [("traits", ["email": ["A@x.com", "b@Y.com"]])]))
    #expect(arrays?["user"]?["email"] == "a@x.com,b@y.com")  // Q6
  }

  @Test("event_time: seconds, ms truncated, Q7 epoch-ms passes through, originalTimestamp fallback, Q20 UTC")
  func eventTime() throws {
    func time(_ fields: [(String, JSONValue)]) throws -> JSONValue? {
      let m: JSONValue = .object(JSONObject([("type", "track"), ("event", "Search")] + fields))
      return try TestEvents.v2Entry(m)?["event_time"]
    }
    #expect(try time([("timestamp", "2023-10-01T00:00:00Z")]) == 1_696_118_400)
    #expect(try time([("timestamp", "2023-10-01T00:00:00.999Z")]) == 1_696_118_400)
    #expect(try time([("timestamp", 1_600_372_167_123)]) == 1_600_372_167_123)
    #expect(try time([("timestamp", "1600372167123")]) == "1600372167123")
    #expect(try time([("originalTimestamp", "2023-10-01T02:00:00+02:00")]) == 1_696_118_400)
    #expect(try time([("timestamp", "2019-05-08T07:28:22")]) == 1_557_300_502)
    #expect(try time([("timestamp", "2020-03-17 05:48:56")]) == 1_584_424_136)
    #expect(try time([("timestamp", "Sun, 01 Oct 2023 00:00:00 GMT")]) == 1_696_118_400)
    // Upstream parses with `new Date(value)`: V8 checks only 1–31, so 29 February 2023 rolls over to 1 March.
    #expect(try time([("timestamp", "2023-02-29T00:00:00Z")]) == 1_677_628_800)
    // Beyond 31, or beyond a JavaScript Date's range: invalid, so there is no event time and rule 8 refuses the
    // event (400). (These two checks once read `event_time == nil`, which held only because the event failed.)
    for invalid: JSONValue in ["2023-02-32T00:00:00Z", 1e21] {
      let m: JSONValue = .object(JSONObject([("type", "track"), ("event", "Search"), ("timestamp", invalid)]))
      let item = try TestEvents.process(m, TestEvents.destination(v2: true)).first
      #expect(item?["statusCode"] == 400, "\(invalid)")
      #expect(item?["error"] == #"Missing required value from "timestamp""#, "\(invalid)")
    }
  }

  @Test("§7.2 contents: wrapping, products with no content_type, contents_ids of truthy ids, num_items")
  func contents() throws {
    let wrapped = try TestEvents.v2Entry(
      TestEvents.track("Search", [("properties", ["contents": ["content_id": "1"]])]))
    #expect(wrapped?["properties"] == ["contents": [["content_id": "1"]], "contents_ids": ["1"], "num_items": 1])
    let products: JSONValue = [["product_id": "123", "price": 1], ["product_id": 456], ["name": "x"]]
    let built = try TestEvents.v2Entry(TestEvents.track("Search", [("properties", ["products": products])]))
    #expect(
      built?["properties"] == [
        "contents": [
          ["content_id": "123", "price": 1], ["content_id": "456"], ["content_id": "undefined", "content_name": "x"],
        ],
        "contents_ids": ["123", "456", "undefined"], "num_items": 3,
      ])
    let falsyIds = try TestEvents.v2Entry(
      TestEvents.track(
        "Search", [("properties", ["contents": [["content_id": 0], ["content_id": ""], ["content_id": 7]]])]))
    #expect(falsyIds?["properties"]?["contents_ids"] == [7])
    #expect(falsyIds?["properties"]?["num_items"] == 1)
  }

  @Test("§7.3 default content_type only for AddToCart, CompletePayment, PlaceAnOrder, ViewContent")
  func defaultContentType() throws {
    for (event, expected) in [
      ("Product Added", true), ("Checkout Step Completed", true), ("Order Completed", true), ("ViewContent", true),
      ("Search", false), ("Purchase", false),
    ] {
      let entry = try TestEvents.v2Entry(TestEvents.track(.string(event)))
      #expect((entry?["properties"] == ["content_type": "product"]) == expected, "\(event)")
      if !expected { #expect(entry?["properties"] == nil, "\(event)") }
    }
    let lowercase = try TestEvents.v2Entry(
      TestEvents.track("x"), [("eventsToStandard", [["from": "x", "to": "viewcontent"]])])
    #expect(lowercase?["properties"] == nil)  // case-sensitive
  }

  @Test("§7.4 hashing: on a copy, element-wise arrays, Q5 numeric phone raw, Q18 UTF-16 low bytes")
  func hashing() throws {
    let message = TestEvents.track(
      "Search",
      [
        (
          "context",
          [
            "externalId": [["type": "tiktokExternalId", "id": [" a ", "b"]]], "device": ["advertisingId": "ID"],
            "ip": "1.2.3.4",
          ]
        ),
        ("traits", ["email": "josé@x.com", "phone": ["+1", " +2 "]]),
      ])
    let user = try TestEvents.v2Entry(message, [("hashUserProperties", true)])?["user"]
    #expect(user?["external_id"] == .array([.string(TestEvents.sha256("a")), .string(TestEvents.sha256("b"))]))
    #expect(user?["phone"] == .array([.string(TestEvents.sha256("+1")), .string(TestEvents.sha256("+2"))]))
    #expect(user?["email"] == "972509b1d27eb224a55df01eb2bae317bfd81fb61785f455f01448fc38bb0bed")  // Q18
    #expect(user?["idfa"] == .string(TestEvents.sha256("ID")))
    #expect(user?["gaid"] == .string(TestEvents.sha256("id")))
    #expect(user?["ip"] == "1.2.3.4")
    let off = try TestEvents.v2Entry(message, [("hashUserProperties", false)])?["user"]
    #expect(off?["email"] == "josé@x.com")
    #expect(off?["external_id"] == [" a ", "b"])
    let numericPhone = try TestEvents.v2Entry(
      TestEvents.track("Search", [("traits", ["phone": 5550100])]), [("hashUserProperties", true)])
    #expect(numericPhone?["user"]?["phone"] == 5_550_100)
    // Names and zips are hashed whatever hashUserProperties says; emoji halves are truncated separately.
    let emoji = try TestEvents.v2Entry(TestEvents.track("Search", [("traits", ["firstName": "😀"])]))
    #expect(emoji?["user"]?["first_name"] == "e7dac261e841e53eb65ac8c2a0e56544df49c46d71e8002d7764f92c66c4c868")
  }

  @Test("§7.4 device ids pruned by OS")
  func devicePruning() throws {
    func user(_ os: JSONValue) throws -> JSONValue? {
      try TestEvents.v2Entry(
        TestEvents.track(
          "Search", [("context", ["os": ["name": os], "device": ["advertisingId": "ad", "id": "dev"]])]))?["user"]
    }
    #expect(try user("iOS") == ["idfa": "ad", "idfv": "dev"])
    #expect(try user("tvOS") == ["idfa": "ad", "idfv": "dev"])
    #expect(try user("Android") == ["gaid": "ad"])
    #expect(try user("") == ["idfa": "ad", "idfv": "dev", "gaid": "ad"])
  }

  @Test("§7.5 body: event_source validity, test_event_code raw (Q11), one request with N entries")
  func body() throws {
    let body = try TestEvents.bodies(
      TestEvents.track(
        "Search", [("properties", ["eventSource": "mobile", "event_source": "app", "testEventCode": ""])]),
      TestEvents.destination(v2: true)
    ).first
    #expect(body?["event_source"] == "app")
    #expect(body?["event_source_id"] == "PIXEL1")
    #expect(body?["partner_name"] == "RudderStack")
    #expect(body?["test_event_code"] == "")
    let nullCode = try TestEvents.bodies(
      TestEvents.track("Search", [("channel", "mobile"), ("properties", ["testEventCode": .null])]),
      TestEvents.destination(v2: true)
    ).first
    #expect(nullCode?["test_event_code"] == .null)
    #expect(nullCode?["event_source"] == "web")
    let items = try TestEvents.process(TestEvents.track(), TestEvents.destination(v2: true))
    #expect(items[0]["output"]?["endpoint"] == "https://business-api.tiktok.com/open_api/v1.3/event/track/")
    #expect(items[0]["output"]?["endpointPath"] == "event/track")
  }
}
