import JSON
import SHA256
import Testing

@testable import TikTokAds

/// One test per row of `upstream-divergences.md` (R1–R18), each with the input that shows the row. The expected
/// values are upstream's answers (rudder-transformer c98d160 under node), as the differential corpus records them.
@Suite("Upstream divergences R1–R18")
struct UpstreamDivergenceTests {
  // MARK: Helpers (they throw, so a shape error fails the test instead of reading as "no output")

  static let metadata: JSONValue = ["jobId": 1, "destinationId": "d-1", "workspaceId": "w-1"]

  static func config(v2: Bool, _ extra: [(String, JSONValue)] = []) -> JSONObject {
    var config: JSONObject = ["accessToken": "token-1", "pixelCode": "PIXEL1", "hashUserProperties": true]
    if v2 { config["version"] = "v2" }
    for (k, v) in extra { config[k] = v }
    return config
  }

  static func item(_ message: JSONValue, config: JSONValue, destination extra: [(String, JSONValue)] = [])
    -> JSONValue
  {
    var destination: JSONObject = ["ID": "d-1", "Config": config]
    for (k, v) in extra { destination[k] = v }
    return ["message": message, "destination": .object(destination), "metadata": metadata]
  }

  static func process(_ items: [JSONValue]) throws -> [JSONValue] {
    try #require(try TikTokAdsTransformer().processorResponse(for: .array(items)).arrayValue)
  }

  static func route(_ items: [JSONValue], limit: Int = 1000) throws -> [JSONValue] {
    let transformer = TikTokAdsTransformer(options: .init(maxBatchSizeV2: limit))
    let body: JSONValue = ["destType": "tiktok_ads", "input": .array(items)]
    return try #require(try transformer.routerResponse(for: body)["output"]?.arrayValue)
  }

  static func track(_ event: String = "Search", _ fields: [(String, JSONValue)] = []) -> JSONValue {
    var m: JSONObject = ["type": "track", "event": .string(event), "messageId": "m-1"]
    m["timestamp"] = "2024-05-09T10:12:31.713Z"
    for (k, v) in fields { m[k] = v }
    return .object(m)
  }

  static func hash(_ s: String) -> String { SHA256.hexDigest(Array(s.utf8)) }

  // MARK: A. The request pipeline

  @Test("R4: a dynamic-config template takes the event's value and deletes that field from the event")
  func r4DynamicConfig() throws {
    let message = Self.track("Search", [("properties", ["tiktokPixel": "PX-FROM-EVENT", "query": "shoes"])])
    let config = Self.config(v2: false, [("pixelCode", "{{ event.properties.tiktokPixel || \"PXDEFAULT\" }}")])
    let items = try Self.process([Self.item(message, config: .object(config))])
    let body = try #require(items.first?["output"]?["body"]?["JSON"])
    #expect(body["pixel_code"] == "PX-FROM-EVENT")
    // The field the template read is gone from the event the destination maps: only `query` is left.
    #expect(body["properties"] == ["query": "shoes"])
  }

  @Test("R4: the default (double quotes removed, trimmed) when the path is missing; literals stay literal")
  func r4Defaults() throws {
    let message = Self.track("Search")
    func pixel(_ template: String, destination: [(String, JSONValue)] = []) throws -> JSONValue? {
      let config = Self.config(v2: false, [("pixelCode", .string(template))])
      let items = try Self.process([Self.item(message, config: .object(config), destination: destination)])
      return items.first?["output"]?["body"]?["JSON"]?["pixel_code"] ?? items.first?["error"]
    }
    #expect(try pixel("  {{ message.context.tiktok.pixelCode || \"PX2\" }}  ") == "PX2")
    #expect(try pixel("{{ message.x || 'PX3' }}") == "'PX3'")  // only double quotes are removed
    #expect(try pixel("{{PIXEL-CODE}}") == "{{PIXEL-CODE}}")  // no `||`: literal
    #expect(try pixel("{{ message.pixel-code || \"PX4\" }}") == "{{ message.pixel-code || \"PX4\" }}")  // bad path
    #expect(try pixel("{{ message.x || \"\" }}") == "Pixel Code not found. Aborting")  // empty default
    // hasDynamicConfig: false switches the pipeline step off.
    #expect(
      try pixel("{{ message.x || \"PX5\" }}", destination: [("hasDynamicConfig", false)])
        == "{{ message.x || \"PX5\" }}")
  }

  @Test("R4: the router groups by the resolved Config and echoes it in `destination`")
  func r4RouterGroups() throws {
    let config = Self.config(v2: true, [("pixelCode", "{{ message.context.pixel || \"PX0\" }}")])
    let items = [1, 2, 3].map { n -> JSONValue in
      let pixel: JSONValue = n == 2 ? "PX-B" : "PX-A"
      var item = Self.item(
        Self.track("Search", [("context", ["pixel": pixel])]), config: .object(config),
        destination: [("hasDynamicConfig", true)])
      item = item.replacing(["metadata", "jobId"], with: .int(Int64(n)))
      return item
    }
    let output = try Self.route(items)
    #expect(output.count == 2)
    #expect(output.map { $0["batchedRequest"]?["body"]?["JSON"]?["event_source_id"] } == ["PX-A", "PX-B"])
    #expect(output.map { $0["metadata"]?.arrayValue?.count } == [2, 1])
    #expect(output[0]["destination"]?["Config"]?["pixelCode"] == "PX-A")
  }

  @Test("R3: a Reverse-ETL track event takes its timestamp from properties.timestamp first")
  func r3ReverseETL() throws {
    let retl = Self.track(
      "Search",
      [
        ("channel", "sources"), ("properties", ["timestamp": "2023-10-01T00:00:00Z"]),
        ("timestamp", "2020-01-01T00:00:00Z"),
      ])
    let v2 = try Self.process([Self.item(retl, config: .object(Self.config(v2: true)))])
    #expect(v2.first?["output"]?["body"]?["JSON"]?["data"]?[0]?["event_time"] == 1_696_118_400)
    let v1 = try Self.process([Self.item(retl, config: .object(Self.config(v2: false)))])
    #expect(v1.first?["output"]?["body"]?["JSON"]?["timestamp"] == "2023-10-01T00:00:00Z")
    // context.mappedToDestination (truthy, "true" too) switches it off.
    let mapped = retl.replacing(["context"], with: ["mappedToDestination": "true"])
    let off = try Self.process([Self.item(mapped, config: .object(Self.config(v2: false)))])
    #expect(off.first?["output"]?["body"]?["JSON"]?["timestamp"] == "2020-01-01T00:00:00Z")
    // No time field at all: timestamp becomes null, and v1 sends none.
    let none = JSONValue.object(["type": "track", "event": "Search", "channel": "sources", "messageId": "m"])
    let cleared = try Self.process([Self.item(none, config: .object(Self.config(v2: false)))])
    #expect(cleared.first?["output"]?["body"]?["JSON"]?["timestamp"] == nil)
  }

  @Test("R6: a missing, null or non-object message is `{}`: 400 Event type is required, full statTags")
  func r6NullMessage() throws {
    for message: JSONValue in [.null, 5, "text", [1]] {
      let items = try Self.process([Self.item(message, config: .object(Self.config(v2: true)))])
      #expect(items.first?["statusCode"] == 400)
      #expect(items.first?["error"] == "Event type is required")
      #expect(items.first?["statTags"]?["errorType"] == "instrumentation")
      #expect(items.first?["statTags"]?["feature"] == "processor")
    }
  }

  @Test("R7: a Config that is not an object reads as empty; null or absent throws (500)")
  func r7ConfigShape() throws {
    for config: JSONValue in ["cfg", 0, true, ["accessToken"]] {
      let items = try Self.process([Self.item(Self.track(), config: config)])
      #expect(items.first?["error"] == "Access Token not found. Aborting ")
      #expect(items.first?["statTags"]?["errorType"] == "configuration")
    }
    let null = try Self.process([Self.item(Self.track(), config: .null)])
    #expect(null.first?["statusCode"] == 500)
    #expect(null.first?["error"] == "Cannot read properties of null (reading 'accessToken')")
    #expect(null.first?["statTags"] == ["errorCategory": "transformation"])
  }

  @Test("R17: an empty router input answers Invalid event array with the request's destType")
  func r17EmptyRouterInput() throws {
    let body: JSONValue = ["destType": "TIKTOK_ads", "input": []]
    let output = try TikTokAdsTransformer().routerResponse(for: body)
    #expect(
      output
        == [
          "output": [
            [
              "metadata": [["destType": "TIKTOK_ads"]], "batched": false, "statusCode": 400,
              "error": "Invalid event array",
            ]
          ]
        ])
  }

  @Test("R13: a null or absent destination fails the whole router request, every event's metadata in one item")
  func r13NullDestination() throws {
    var items = [1, 2, 3].map { n in
      Self.item(Self.track(), config: .object(Self.config(v2: true))).replacing(
        ["metadata", "jobId"], with: .int(Int64(n)))
    }
    items[1] = items[1].replacing(["destination"], with: .null)
    let output = try Self.route(items)
    #expect(output.count == 1)
    #expect(output[0]["statusCode"] == 500)
    #expect(output[0]["error"] == "Cannot read properties of null (reading 'Config')")
    #expect(output[0]["statTags"] == ["errorCategory": "transformation"])
    #expect(output[0]["metadata"]?.arrayValue?.compactMap { $0["jobId"] } == [1, 2, 3])
  }

  // MARK: B. JavaScript semantics

  @Test("R2: toLowerCase is full and context-sensitive: final sigma, İ as two code points")
  func r2Lowercase() throws {
    #expect("ΟΔΥΣΣΕΥΣ".jsLowercased == "οδυσσευς")
    #expect("ΣΑΣ ΣΑΣ".jsLowercased == "σας σας")
    #expect("İ".jsLowercased.unicodeScalars.map(\.value) == [0x69, 0x307])
    #expect("Σ".jsLowercased == "σ")  // alone, not at the end of a word
    let message = Self.track("Search", [("context", ["traits": ["email": "ΟΔΥΣΣΕΥΣ@Example.com"]])])
    let v1 = try Self.process([Self.item(message, config: .object(Self.config(v2: false)))])
    #expect(
      v1.first?["output"]?["body"]?["JSON"]?["context"]?["user"]?["email"] == .string(Self.hash("οδυσσευς@example.com"))
    )
  }

  @Test("R2b: trim strips ECMAScript white space (U+00A0, U+FEFF, U+3000 …) and nothing else")
  func r2bTrim() {
    #expect("\u{FEFF}\u{3000} a@b.c \u{00A0}\u{2028}".jsTrimmed == "a@b.c")
    #expect("\u{200B}a\u{200B}".jsTrimmed == "\u{200B}a\u{200B}")  // zero width space is not white space
    #expect("\u{0085}a".jsTrimmed == "\u{0085}a")  // NEL is not either
  }

  @Test("R2, R2b on ASCII (the byte-wise fast paths): both ends of the letter ranges, white space at either end")
  func asciiCaseAndTrim() {
    #expect("@AZ[`az{".jsLowercased == "@az[`az{")
    #expect("track".jsLowercased == "track")
    #expect("TRACK".jsLowercased == "track")
    #expect("".jsLowercased == "")
    #expect("Ab\u{00C9}".jsLowercased == "ab\u{00E9}")  // not ASCII: the Unicode path
    #expect("a b".jsTrimmed == "a b")
    #expect(" a".jsTrimmed == "a")
    #expect("a\t".jsTrimmed == "a")
    #expect("\u{0B}a\u{0C}".jsTrimmed == "a")
    #expect("\r\n".jsTrimmed == "")
    #expect("".jsTrimmed == "")
    #expect("a\u{00A0}".jsTrimmed == "a")  // the last byte is not ASCII: the Unicode path
  }

  @Test("R15: numbers are written as JavaScript prints a double")
  func r15Numbers() throws {
    let message = Self.track(
      "Search", [("properties", ["value": .double(46.0), "price": .double(1e-7), "order_id": 12_345_678_901_234_567])])
    let body = try TikTokAdsTransformer().processorResponse(
      for: [Self.item(message, config: .object(Self.config(v2: false)))])
    let text = body.compactString()
    #expect(text.contains(#""value":46}"#))
    // String(v) of an integer beyond 2^53 follows the double JavaScript holds.
    #expect(text.contains(#""order_id":"12345678901234568""#))
    let literal = try JSONValue.parse(#"{"v":12345678901234567890,"w":1e-06,"x":1e21,"y":-0.0}"#)
    #expect(literal.javaScriptNumbers().compactString() == #"{"v":12345678901234567000,"w":0.000001,"x":1e+21,"y":0}"#)
  }

  @Test("R9: v1 contents items fall back to product_group when properties.contentType is present but falsy")
  func r9FalsyContentType() throws {
    for falsy: JSONValue in [.null, "", 0, false] {
      let message = Self.track("Search", [("properties", ["contents": [["content_id": "1"]], "contentType": falsy])])
      let items = try Self.process([Self.item(message, config: .object(Self.config(v2: false)))])
      let contents = items.first?["output"]?["body"]?["JSON"]?["properties"]?["contents"]
      #expect(contents?[0]?["content_type"] == "product_group", "contentType \(falsy.compactString())")
    }
  }

  @Test("R10: a boolean v2 timestamp counts as present and gives event_time 0")
  func r10BooleanTimestamp() throws {
    for flag in [true, false] {
      let message = Self.track("Search", [("timestamp", .bool(flag))])
      let items = try Self.process([Self.item(message, config: .object(Self.config(v2: true)))])
      #expect(items.first?["output"]?["body"]?["JSON"]?["data"]?[0]?["event_time"] == 0)
    }
  }

  @Test("R1: names JavaScript objects inherit: __proto__ and constructor are found but produce no TikTok event")
  func r1PrototypeNames() throws {
    let v1 = try Self.process([Self.item(Self.track("__proto__"), config: .object(Self.config(v2: false)))])
    #expect(v1.isEmpty)  // no output item at all
    let v2 = try Self.process([Self.item(Self.track(" Constructor "), config: .object(Self.config(v2: true)))])
    #expect(v2.first?["statusCode"] == 200)
    #expect(v2.first?["output"]?["body"]?["JSON"]?["data"] == [])
    // toString is not lowercase, so its lowercased name is an ordinary unknown name.
    let other = try Self.process([Self.item(Self.track("toString"), config: .object(Self.config(v2: true)))])
    #expect(other.first?["error"] == "Event name (tostring) is not valid, must be mapped to one of standard events")
    // As an eventsToStandard `from`, such a name throws.
    let row: JSONValue = [["from": "constructor", "to": "Lead"]]
    let config = Self.config(v2: true, [("eventsToStandard", row)])
    let thrown = try Self.process([Self.item(Self.track("Search"), config: .object(config))])
    #expect(thrown.first?["error"] == "hashMap[key].add is not a function")
    // In the router, the v1 event without requests fails where upstream reads its first request.
    let routed = try Self.route([Self.item(Self.track("__proto__"), config: .object(Self.config(v2: false)))])
    #expect(routed.first?["error"] == "Cannot read properties of undefined (reading 'body')")
  }

  // MARK: C. Where upstream's JavaScript throws

  @Test("R5: a malformed eventsToStandard row fails the event with V8's text")
  func r5MalformedRows() throws {
    func error(_ rows: JSONValue) throws -> JSONValue? {
      let config = Self.config(v2: true, [("eventsToStandard", rows)])
      return try Self.process([Self.item(Self.track("Lead"), config: .object(config))]).first?["error"]
    }
    #expect(try error([.null]) == "Cannot read properties of null (reading 'from')")
    #expect(try error([["from": 123, "to": "Lead"]]) == "array[fromKey].toLowerCase is not a function")
    #expect(try error([["from": true, "to": "Lead"]]) == "array[fromKey].toLowerCase is not a function")
    #expect(try error([["from": ["x"], "to": "Lead"]]) == "array[fromKey].toLowerCase is not a function")
    // Rows whose `from` is empty after lodash's toString and trim are skipped.
    #expect(try error([["from": .null], ["from": "  "], ["from": []], 0, "Search"]) == nil)
  }

  @Test("R8: a non-string os.name (with a v2 user) or type throws with V8's text")
  func r8NonStringFields() throws {
    let osMessage = Self.track("Search", [("context", ["os": ["name": 5], "traits": ["email": "a@b.c"]])])
    let os = try Self.process([Self.item(osMessage, config: .object(Self.config(v2: true)))])
    #expect(os.first?["error"] == "os.toLowerCase is not a function")
    #expect(os.first?["statTags"] == ["errorCategory": "transformation"])
    let nullOS = osMessage.replacing(["context", "os", "name"], with: .null)
    #expect(try Self.process([Self.item(nullOS, config: .object(Self.config(v2: true)))]).first?["statusCode"] == 200)
    let type = Self.track("Search", [("type", ["track"])])
    let typed = try Self.process([Self.item(type, config: .object(Self.config(v2: true)))])
    #expect(typed.first?["error"] == "message.type.toLowerCase is not a function")
  }

  @Test("R11: runtime error text is V8's, with nothing appended")
  func r11ErrorText() throws {
    let message = Self.track("Search", [("properties", ["products": [.null]])])
    let v2 = try Self.process([Self.item(message, config: .object(Self.config(v2: true)))])
    #expect(v2.first?["error"] == "Cannot read properties of null (reading 'product_id')")
    let v1Message = Self.track("Search", [("properties", ["query": "q", "products": [.null]])])
    let v1 = try Self.process([Self.item(v1Message, config: .object(Self.config(v2: false)))])
    #expect(v1.first?["error"] == "Cannot read properties of null (reading 'contentType')")
    let phones = Self.track("Search", [("context", ["traits": ["phone": [.null]]])])
    let hashed = try Self.process([Self.item(phones, config: .object(Self.config(v2: true)))])
    #expect(hashed.first?["error"] == "Cannot read properties of null (reading 'toString')")
  }

  @Test("R14: a pre-transformed input without data in a v2 group fails the whole group")
  func r14PretransformedGroup() throws {
    let config = JSONValue.object(Self.config(v2: true))
    let items = [
      Self.item(Self.track(), config: config),
      Self.item(["statusCode": 200, "body": ["JSON": ["x": 1]]], config: config).replacing(
        ["metadata", "jobId"], with: 2),
    ]
    let output = try Self.route(items)
    #expect(output.count == 1)
    #expect(output[0]["error"] == "eventData is not iterable (cannot read property undefined)")
    #expect(output[0]["statTags"] == ["errorCategory": "transformation"])
    #expect(output[0]["metadata"]?.arrayValue?.count == 2)
  }

  // MARK: D. Router order

  @Test("R12: when the group's first event overflows the limit, an empty batch is flushed and sorted last")
  func r12EmptyBatch() throws {
    let rows: JSONValue = [["from": "Search", "to": "Search"], ["from": "Search", "to": "Lead"]]
    let config = JSONValue.object(Self.config(v2: true, [("eventsToStandard", rows)]))
    let items = [Self.item(Self.track("Search"), config: config)]
    let output = try Self.route(items, limit: 1)
    #expect(output.count == 2)
    #expect(output[0]["batchedRequest"]?["body"]?["JSON"]?["data"]?.arrayValue?.count == 2)
    #expect(output[1]["batchedRequest"]?["body"]?["JSON"]?["data"] == [])
    #expect(output[1]["metadata"] == [])
  }

  @Test("R18: metadata without jobId sorts as V8's TimSort sorts a NaN comparator")
  func r18NaNSort() throws {
    // Errors, test events and batches with jobIds 3, NaN, 1: V8 keeps NaN in place and sorts around it.
    let keys: [Double] = [3, .nan, 1, 2]
    var order = Array(keys.indices)
    V8Sort.sort(&order) { keys[$0] - keys[$1] }
    #expect(order == [0, 1, 2, 3])  // the comparator treats NaN as equal, so the run 3, NaN, 1, 2 is "ascending"
    let sortedKeys: [Double] = [5, 4, 3, 2, 1]
    var reversed = Array(sortedKeys.indices)
    V8Sort.sort(&reversed) { sortedKeys[$0] - sortedKeys[$1] }
    #expect(reversed == [4, 3, 2, 1, 0])
    // Larger than a run: the merge with galloping is V8's too (a consistent comparator gives a stable sort).
    let many = (0..<200).map { Double(($0 * 7919) % 61) }
    var indices = Array(many.indices)
    V8Sort.sort(&indices) { many[$0] - many[$1] }
    #expect(indices == many.indices.sorted { (many[$0], $0) < (many[$1], $1) })
  }

  @Test("R16: in a v1 group, events its v1 code transforms settle before those handed to the v2 code")
  func r16PromiseOrder() throws {
    let v1 = JSONValue.object(Self.config(v2: false))
    let v2 = JSONValue.object(Self.config(v2: true))
    // One destination ID with hasDynamicConfig false: one group, whose first event makes it a v1 group.
    let off: [(String, JSONValue)] = [("hasDynamicConfig", false)]
    let items = [
      Self.item(Self.track(), config: v1, destination: off).replacing(["metadata", "jobId"], with: 1),
      Self.item(Self.track(), config: v2, destination: off).replacing(["metadata", "jobId"], with: 2),
      Self.item(Self.track(), config: v1, destination: off).replacing(["metadata", "jobId"], with: 3),
    ]
    let output = try Self.route(items)
    #expect(output.count == 1)
    #expect(output[0]["metadata"]?.arrayValue?.compactMap { $0["jobId"] } == [1, 3, 2])
  }
}

extension JSONValue {
  /// A copy with the member at `path` (object keys) set to `value`.
  fileprivate func replacing(_ path: [String], with value: JSONValue) -> JSONValue {
    guard let key = path.first else { return value }
    var object = objectValue ?? JSONObject()
    object[key] = (object[key] ?? .object(JSONObject())).replacing(Array(path.dropFirst()), with: value)
    return .object(object)
  }
}
