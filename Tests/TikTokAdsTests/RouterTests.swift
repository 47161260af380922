import Foundation
import JSON
import Testing

@testable import TikTokAds

/// Spec §8: grouping, batching at 50 and at the v2 limit, test events, errors, ordering by jobId.
@Suite("§8 router")
struct RouterTests {
  static func input(
    job: Int64, v2: Bool, event: JSONValue = "Search", config: [(String, JSONValue)] = [],
    properties: JSONValue = [:]
  ) -> JSONValue {
    [
      "message": TestEvents.track(event, [("messageId", .string("m\(job)")), ("properties", properties)]),
      "metadata": ["jobId": .int(job), "destinationId": "dest-1", "workspaceId": "ws-1"],
      "destination": TestEvents.destination(v2: v2, config),
    ]
  }

  /// The router's `output` items; throws when the transformer refuses the body or answers no `output` array.
  /// `nil` limits use the transformer's defaults.
  static func route(_ inputs: [JSONValue], v1Limit: Int? = nil, v2Limit: Int? = nil) throws -> [JSONValue] {
    var options = TikTokAdsTransformer.Options()
    if let v1Limit { options.maxBatchSizeV1 = v1Limit }
    if let v2Limit { options.maxBatchSizeV2 = v2Limit }
    let t = TikTokAdsTransformer(options: options)
    let body: JSONValue = ["destType": "tiktok_ads", "input": .array(inputs)]
    let response = try t.routerResponse(for: body)
    guard let output = response["output"]?.arrayValue else {
      throw TestEvents.Unexpected(description: "no output array: \(response)")
    }
    return output
  }

  static func jobs(_ item: JSONValue) -> [Int64] {
    item["metadata"]?.arrayValue?.compactMap { $0["jobId"]?.int64Value } ?? []
  }

  @Test("v1: 51 single-target events give chunks of 50 and 1; the batch body drops pixel_code and partner_name")
  func v1Chunks() throws {
    let out = try Self.route((1...51).map { Self.input(job: $0, v2: false) })
    #expect(out.map { Self.jobs($0).count } == [50, 1])
    let request = out[0]["batchedRequest"]
    #expect(request?["endpoint"] == "https://business-api.tiktok.com/open_api/v1.3/pixel/batch/")
    #expect(request?["body"]?["JSON"]?["pixel_code"] == "PIXEL1")
    let item = request?["body"]?["JSON"]?["batch"]?[0]
    #expect(item?["type"] == "track")
    #expect(item?["pixel_code"] == nil)
    #expect(item?["partner_name"] == nil)
    #expect(out[1]["batched"] == true)
  }

  @Test("v1: 49 singles, one 2-target event, one single give 49 items then 3 items (no bin-packing)")
  func v1NoBinPacking() throws {
    let map: [(String, JSONValue)] = [
      ("eventsToStandard", [["from": "two", "to": "Lead"], ["from": "two", "to": "Purchase"]])
    ]
    var inputs = (1...49).map { Self.input(job: $0, v2: false) }
    inputs.append(Self.input(job: 50, v2: false, event: "two", config: map))
    inputs.append(Self.input(job: 51, v2: false))
    let out = try Self.route(inputs)
    #expect(out.map { Self.jobs($0).count } == [49, 2])
    #expect(out[1]["batchedRequest"]?["body"]?["JSON"]?["batch"]?.arrayValue?.count == 3)
  }

  @Test("v2: batches at the limit, grouped by event_source, token and pixel from the group's first event")
  func v2Limit() throws {
    var inputs = (1...5).map { Self.input(job: $0, v2: true) }
    inputs.append(Self.input(job: 6, v2: true, config: [("pixelCode", "OTHER")], properties: ["eventSource": "app"]))
    inputs.append(Self.input(job: 7, v2: true, config: [("accessToken", "token-2")]))
    let out = try Self.route(inputs, v2Limit: 3)
    #expect(out.map(Self.jobs) == [[1, 2, 3], [4, 5, 7], [6]])
    #expect(out[1]["batchedRequest"]?["headers"]?["Access-Token"] == "token-1")
    #expect(out[2]["batchedRequest"]?["body"]?["JSON"]?["event_source"] == "app")
    #expect(out[2]["batchedRequest"]?["body"]?["JSON"]?["event_source_id"] == "OTHER")
    #expect(out[0]["batchedRequest"]?["body"]?["JSON"]?["test_event_code"] == nil)
    // The transformer's default limit (no option given): 1000 events are one batch, 1001 are two.
    let thousand = try Self.route((1...1000).map { Self.input(job: Int64($0), v2: true) })
    #expect(thousand.map { Self.jobs($0).count } == [1000])
    let full = try Self.route((1...1001).map { Self.input(job: Int64($0), v2: true) })
    #expect(full.map { Self.jobs($0).count } == [1000, 1])
    let fifty = try Self.route((1...50).map { Self.input(job: Int64($0), v2: false) })
    #expect(fifty.map { Self.jobs($0).count } == [50])
  }

  @Test("test events are never batched; errors and batches are ordered by minimum jobId")
  func orderingAndTestEvents() throws {
    let inputs = [
      Self.input(job: 4, v2: true, properties: ["testEventCode": "T1"]),
      Self.input(job: 2, v2: true, config: [("pixelCode", "")]),
      Self.input(job: 3, v2: true),
      Self.input(job: 1, v2: true),
    ]
    let out = try Self.route(inputs)
    #expect(out.map(Self.jobs) == [[3, 1], [2], [4]])
    #expect(out[1]["statusCode"] == 400)
    #expect(out[1]["batched"] == false)
    #expect(out[1]["statTags"]?["feature"] == "router")
    #expect(out[2]["batched"] == false)
    #expect(out[2]["batchedRequest"]?.arrayValue?.count == 1)  // an array for test events
    #expect(out[2]["batchedRequest"]?[0]?["body"]?["JSON"]?["test_event_code"] == "T1")
  }

  @Test("Q14: the first input's version decides the group; a v2-configured event in a v1 group keeps its v2 body")
  func mixedVersions() throws {
    let v2First = try Self.route([Self.input(job: 1, v2: true), Self.input(job: 2, v2: false)])
    #expect(v2First.count == 1)
    #expect(v2First[0]["batchedRequest"]?["body"]?["JSON"]?["data"]?.arrayValue?.count == 2)
    let v1First = try Self.route([Self.input(job: 1, v2: false), Self.input(job: 2, v2: true)])
    #expect(v1First.count == 1)
    let second = v1First[0]["batchedRequest"]?["body"]?["JSON"]?["batch"]?[1]
    #expect(second?["event_source_id"] == "PIXEL1")
    #expect(second?["type"] == "track")
  }

  @Test("groups by destination ID; differing configs split groups unless hasDynamicConfig is false")
  func grouping() throws {
    var a = Self.input(job: 1, v2: true)
    var b = Self.input(job: 2, v2: true, config: [("accessToken", "token-2")])
    #expect(try Self.route([a, b]).count == 1)  // hasDynamicConfig: false
    for i in [0, 1] {
      var d = (i == 0 ? a : b)["destination"]?.objectValue ?? [:]
      d["hasDynamicConfig"] = true
      var o = (i == 0 ? a : b).objectValue ?? [:]
      o["destination"] = .object(d)
      if i == 0 { a = .object(o) } else { b = .object(o) }
    }
    #expect(try Self.route([a, b]).count == 2)
  }

  @Test("Q17: a pre-transformed input (message.statusCode) is batched as given, before transformed ones")
  func pretransformed() throws {
    let transformed = try TestEvents.process(TestEvents.track(), TestEvents.destination(v2: false))[0]["output"]
    var message = transformed?.objectValue ?? [:]
    message["statusCode"] = 200
    let inputs: [JSONValue] = [
      Self.input(job: 1, v2: false),
      ["message": .object(message), "metadata": ["jobId": 2], "destination": TestEvents.destination(v2: false)],
    ]
    let out = try Self.route(inputs)
    #expect(out.count == 1)
    #expect(Self.jobs(out[0]) == [2, 1])
  }
}

/// The bytes pipeline used by the CLI for large processor bodies.
@Suite("processor bytes pipeline")
struct ProcessorBytesTests {
  static func requestText(_ count: Int) -> String {
    let items = (0..<count).map { i -> JSONValue in
      let name: JSONValue = i % 7 == 0 ? "unknown" : "Search"
      let message = TestEvents.track(name, [("messageId", .string("m\(i)"))])
      let metadata: JSONValue = ["jobId": .int(Int64(i))]
      return .object(
        JSONObject([
          ("message", message), ("destination", TestEvents.destination(v2: i % 2 == 0)), ("metadata", metadata),
        ]))
    }
    return JSONValue.array(items).compactString()
  }

  @Test("parallel slices give exactly the serial response, in order")
  func equalsSerial() throws {
    let text = Self.requestText(700)
    let t = TikTokAdsTransformer()
    let serial = try t.processorResponse(for: try JSONValue.parse(text))
    let bytes = try Array(text.utf8).withUnsafeBytes { try t.processorResponseBytes(request: $0, workers: 2) }
    let parallel = try JSONValue.parse(bytes)
    #expect(parallel.isIdentical(to: serial))
  }

  @Test("events holding objects that begin as events do (wrong guesses of where runs start) give the same bytes")
  func nestedLookAlikes() throws {
    // Each message's properties hold a list of objects that start with "message", as the request's items do.
    let lookAlikes = (0..<30).map { #"{"message":\#($0)}"# }.joined(separator: ",")
    let text = Self.requestText(700).replacingOccurrences(
      of: #""messageId":"#, with: #""list":[\#(lookAlikes)],"messageId":"#)
    #expect(text.utf8.count > 64 * 1024)
    let t = TikTokAdsTransformer()
    let serial = try t.processorResponse(for: try JSONValue.parse(text)).compactBytes()
    for workers in [1, 2, 4] {
      let bytes = try Array(text.utf8).withUnsafeBytes { try t.processorResponseBytes(request: $0, workers: workers) }
      #expect(bytes == serial, "workers \(workers)")
    }
  }

  @Test(
    "any element count read by the structural scan gives the serial bytes",
    arguments: [2, 15, 16, 17, 31, 33, 63, 64, 65, 100, 129, 401])
  func scannedElementCounts(count: Int) throws {
    // Look-alike objects make the guessed runs fail, so the elements are found by the structural scan and split
    // into chunks; large properties keep every count above the parallel threshold. 17 elements trapped once.
    let lookAlikes = (0..<4).map { #"{"message":\#($0)}"# }.joined(separator: ",")
    let padding = String(repeating: "p", count: 70 * 1024 / count)
    let text = Self.requestText(count).replacingOccurrences(
      of: #""messageId":"#, with: #""list":[{},\#(lookAlikes)],"pad":"\#(padding)","messageId":"#)
    #expect(text.utf8.count > 64 * 1024)
    let t = TikTokAdsTransformer()
    let serial = try t.processorResponse(for: try JSONValue.parse(text)).compactBytes()
    let bytes = try Array(text.utf8).withUnsafeBytes { try t.processorResponseBytes(request: $0, workers: 2) }
    #expect(bytes == serial)
  }

  @Test("malformed input in a large array reports the exact line and column")
  func malformedPosition() throws {
    var text = Self.requestText(400)
    text.insert(contentsOf: "\n  tru ", at: text.index(text.endIndex, offsetBy: -1))
    let t = TikTokAdsTransformer()
    #expect {
      try Array(text.utf8).withUnsafeBytes { try t.processorResponseBytes(request: $0, workers: 2) }
    } throws: { error in
      guard case .malformed(let e) = error as? ProcessorRequestError else { return false }
      return e.line == 2
    }
  }
}
