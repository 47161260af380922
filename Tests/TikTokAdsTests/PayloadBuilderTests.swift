import JSON
import Testing

@testable import TikTokAds

/// The payload builder keeps values copied from the message on its tape and writes them from there; a mapping row
/// that writes into such a value (v1 `context.ad.callback` under a copied `context.ad`) opens it first.
@Suite("payload builder: values copied from the tape")
struct PayloadBuilderTests {
  /// A v1 event whose `properties.context.ad` is the JSON text `ad`, with `properties.clickId`.
  static func request(ad: String, clickId: String? = "c-1") -> String {
    let click = clickId.map { #","clickId":"\#($0)""# } ?? ""
    return #"""
      [{"message":{"type":"track","event":"Search","messageId":"m-1","timestamp":"2024-05-09T10:12:31.713Z",\#
      "properties":{"context":{"ad":\#(ad)}\#(click)}},\#
      "destination":{"ID":"d-1","Config":{"accessToken":"t","pixelCode":"P","hashUserProperties":true}},\#
      "metadata":{"jobId":1}}]
      """#
  }

  /// The response written as text, after checking that it is the value API's response written compactly.
  static func respond(_ text: String) throws -> JSONValue {
    let transformer = TikTokAdsTransformer()
    let bytes = try Array(text.utf8).withUnsafeBytes { try transformer.processorResponseBytes(request: $0) }
    let value = try transformer.processorResponse(for: try JSONValue.parse(text)).compactBytes()
    #expect(bytes == value, "text and value paths differ")
    return try JSONValue.parse(bytes)
  }

  static func ad(_ response: JSONValue) -> String? {
    response[0]?["output"]?["body"]?["JSON"]?["context"]?["ad"]?.compactString()
  }

  @Test(
    "a copied object is opened to set a member: in place when present, appended when not",
    arguments: [
      (#"{"a":1,"callback":"old","b":{"c":[1,2.5,null]}}"#, #"{"a":1,"callback":"c-1","b":{"c":[1,2.5,null]}}"#),
      (#"{"a":1}"#, #"{"a":1,"callback":"c-1"}"#),
      (#"{}"#, #"{"callback":"c-1"}"#),
      // A repeated key: once, at its first position, with its last value (as JSON.parse holds it).
      (#"{"a":1,"callback":"x","a":2}"#, #"{"a":2,"callback":"c-1"}"#),
      (#"{"a":1,"a":{"z":1,"z":2}}"#, #"{"a":{"z":2},"callback":"c-1"}"#),
    ])
  func opensCopiedObject(_ pair: (String, String)) throws {
    #expect(Self.ad(try Self.respond(Self.request(ad: pair.0))) == pair.1)
  }

  @Test(
    "a copied array keeps its elements (the member is lost, as in JavaScript); a copied scalar is replaced",
    arguments: [
      (#"[1,{"callback":"x"}]"#, #"[1,{"callback":"x"}]"#),
      (#""text""#, #"{"callback":"c-1"}"#),
      ("12", #"{"callback":"c-1"}"#),
      ("true", #"{"callback":"c-1"}"#),
    ])
  func arraysAndScalars(_ pair: (String, String)) throws {
    #expect(Self.ad(try Self.respond(Self.request(ad: pair.0))) == pair.1)
  }

  @Test("a copied value nobody writes into is written as the message holds it (escapes, numbers, nesting)")
  func copiedAsIs() throws {
    let ad =
      #"{"s":"q\"\\\/\u00e9\ud83d\ude00\n","n":[1e21,-0.0,1.50,12345678901234567890],"d":{"a":{"a":"x","a":"y"}}}"#
    let response = try Self.respond(Self.request(ad: ad, clickId: nil))
    #expect(
      Self.ad(response)
        == #"{"s":"q\"\\/é😀\n","n":[1e+21,0,1.5,12345678901234567000],"d":{"a":{"a":"y"}}}"#)
  }

  @Test("null members of the body are left out, nested ones kept")
  func topLevelNulls() {
    var payload = PayloadBuilder(dropsNullMembers: true)
    payload.set(.null, at: FieldPath("a"))
    payload.set(.null, at: FieldPath("b.c"))
    payload.appendUnchecked("d", 1)
    payload.prependUnchecked("e", .null)
    var buffer = ByteBuffer()
    payload.write(into: &buffer)
    #expect(String(decoding: buffer.bytes, as: UTF8.self) == #"{"b":{"c":null},"d":1}"#)
    #expect(payload.build().compactString() == #"{"b":{"c":null},"d":1}"#)
    // Reads see the members as they were set.
    #expect(payload["a"] == .null)
    #expect(payload.value(at: FieldPath("b.c")) == .null)
    #expect(payload.value(at: FieldPath("b.c.x")) == nil)
    #expect(payload.has("a") && !payload.has("x"))
  }

  @Test("reads go through copied values on the tape")
  func readsThroughRefs() throws {
    let tape = try Array(#"{"o":{"k":[10,{"m":"v"}]}}"#.utf8).withUnsafeBytes {
      try JSONTape(parsing: $0, numbers: .javaScript)
    }
    var payload = PayloadBuilder()
    payload.set(try #require(tape.root["o"]), at: FieldPath("x.o"))
    #expect(payload.value(at: FieldPath("x.o.k.1.m")) == "v")
    #expect(payload.value(at: FieldPath("x.o.k.2")) == nil)
    #expect(payload.value(at: FieldPath("x.o.k.0")) == 10)
    #expect(payload.isObject(at: FieldPath("x")) && payload.isObject(at: FieldPath("x.o")))
    #expect(payload.isObject(at: FieldPath("x.o.k.1")) && !payload.isObject(at: FieldPath("x.o.k")))
    #expect(!payload.isObject(at: FieldPath("x.o.k.0")) && !payload.isObject(at: FieldPath("y")))
    payload.set(["a": ["b": 1]], at: FieldPath("v"))
    #expect(payload.isObject(at: FieldPath("v.a")) && !payload.isObject(at: FieldPath("v.a.b")))
    payload.set("w", at: FieldPath("x.o.k2"))
    #expect(payload.build().compactString() == #"{"x":{"o":{"k":[10,{"m":"v"}],"k2":"w"}},"v":{"a":{"b":1}}}"#)
  }

  /// An event of Events 1.0 or 2.0 whose `properties.contents` is the JSON text `contents`.
  static func contentsRequest(_ contents: String, v2: Bool) -> String {
    let version = v2 ? #","version":"v2""# : ""
    return #"""
      [{"message":{"type":"track","event":"Search","messageId":"m-1","timestamp":"2024-05-09T10:12:31.713Z",\#
      "properties":{"currency":"EUR","contents":\#(contents)}},\#
      "destination":{"ID":"d-1","Config":{"accessToken":"t","pixelCode":"P"\#(version)}},"metadata":{"jobId":1}}]
      """#
  }

  @Test(
    "v1 contents: a copied array is kept when every item keeps its content_type, else items get the default",
    arguments: [
      (#"[{"content_type":"a","x":1},2,"s",[]]"#, #"[{"content_type":"a","x":1},2,"s",[]]"#),
      (#"[{"content_type":"a"},{"content_type":""}]"#, #"[{"content_type":"a"},{"content_type":"product_group"}]"#),
      (#"[{"content_type":"a","content_type":0}]"#, #"[{"content_type":"product_group"}]"#),
      (#"[{"content_type":0,"content_type":"b"}]"#, #"[{"content_type":"b"}]"#),
      ("[]", "[]"),
      (#"{"content_id":1}"#, #"[{"content_id":1,"content_type":"product_group"}]"#),
    ])
  func v1Contents(_ pair: (String, String)) throws {
    let response = try Self.respond(Self.contentsRequest(pair.0, v2: false))
    #expect(response[0]?["output"]?["body"]?["JSON"]?["properties"]?["contents"]?.compactString() == pair.1)
  }

  @Test("v1 and v2 contents: a null item fails as upstream does, whether the array is kept or not")
  func nullItems() throws {
    for v2 in [false, true] {
      for contents in [#"[{"content_type":"a","content_id":"1"},null]"#, #"[{"content_id":"1"},null]"#] {
        let response = try Self.respond(Self.contentsRequest(contents, v2: v2))
        let field = v2 ? "content_id" : "content_type"
        #expect(response[0]?["error"] == .string("Cannot read properties of null (reading '\(field)')"))
      }
    }
  }

  @Test(
    "v2 contents: ids read from a copied array (truthy ones, a repeated key's last value), the array kept",
    arguments: [
      (#"[{"content_id":"a"},{"content_id":0},{"content_id":"b","content_id":"c"},7]"#, #"["a","c"]"#, "2"),
      (#"[{"content_id":""}]"#, nil, nil),
      ("[]", nil, nil),
    ] as [(String, String?, String?)])
  func v2ContentIds(_ row: (String, String?, String?)) throws {
    let response = try Self.respond(Self.contentsRequest(row.0, v2: true))
    let properties = response[0]?["output"]?["body"]?["JSON"]?["data"]?[0]?["properties"]
    #expect(properties?["contents"]?.compactString() == (try JSONValue.parse(row.0)).compactString())
    #expect(properties?["contents_ids"]?.compactString() == row.1)
    #expect(properties?["num_items"]?.compactString() == row.2)
  }

  @Test(
    "statTags of error items written as text: ids from the metadata as they are there, null and absent ones left out",
    arguments: [
      (#"{"jobId":1,"destinationId":{"x":[1,"é"]},"workspaceId":null}"#, #""destinationId":{"x":[1,"é"]}}"#),
      (#"{"jobId":1,"workspaceId":12345678901234567890}"#, #""workspaceId":12345678901234567000}"#),
      (#"{"jobId":1}"#, #""feature":"processor"}"#),
    ])
  func statTags(_ pair: (String, String)) throws {
    let text =
      #"[{"message":{"type":"identify"},"destination":{"Config":{"accessToken":"t","pixelCode":"P"}},"metadata":"#
      + pair.0 + "}]"
    let response = try Self.respond(text)
    let tags = try #require(response[0]?["statTags"]?.compactString())
    #expect(tags.hasPrefix(#"{"errorCategory":"dataValidation","errorType":"instrumentation","destType":"TIKTOK_ADS""#))
    #expect(tags.hasSuffix(pair.1), "\(tags)")
  }

  @Test(
    "the access token and pixel code are written as the destination holds them, in v1 and v2",
    arguments: [#"123"#, #"{"a":[1,"x"]}"#, #""t\u00e9\n""#, "12345678901234567890"])
  func tokenAndPixelCode(_ raw: String) throws {
    for version in ["", #","version":"v2""#] {
      let text =
        #"[{"message":{"type":"track","event":"Search","messageId":"m-1","timestamp":"2024-05-09T10:12:31.713Z"},"#
        + #""destination":{"Config":{"accessToken":"# + raw + #","pixelCode":"# + raw + version + #"}}}]"#
      let response = try Self.respond(text)
      let output = response[0]?["output"]
      let expected = try JSONValue.parse(raw).javaScriptNumbers().compactString()
      #expect(output?["headers"]?["Access-Token"]?.compactString() == expected)
      let body = output?["body"]?["JSON"]
      #expect((body?["pixel_code"] ?? body?["event_source_id"])?.compactString() == expected)
    }
  }
}
