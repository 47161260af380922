import Delivery
import JSON
import Testing

/// Reading requests out of transformer output and proxy requests (spec §9.1, §12, §8).
@Suite("Delivery input and request building")
struct DeliveryInputTests {
  static let request: JSONValue = [
    "version": "1", "type": "REST", "method": "POST",
    "endpoint": "https://business-api.tiktok.com/open_api/v1.3/pixel/batch/",
    "headers": ["Access-Token": "tok", "Content-Type": "application/json"], "params": [:],
    "body": ["JSON": ["pixel_code": "P", "batch": []], "JSON_ARRAY": [:], "XML": [:], "FORM": [:]], "files": [:],
  ]

  @Test("a processor response body: success items sent with their metadata, error items skipped")
  func processorResponse() throws {
    let doc: JSONValue = [
      ["output": Self.request, "metadata": ["jobId": 1], "statusCode": 200],
      ["metadata": ["jobId": 2], "statusCode": 400, "error": "Event name is required"],
    ]
    let input = try DeliveryInput(document: doc)
    #expect(input.requests.count == 1)
    #expect(input.requests[0].source == "/0/output")
    #expect(input.requests[0].metadata == ["jobId": 1])
    #expect(input.requests[0].proxyVersion == nil)  // the request object's "1" is not a proxy version
    #expect(input.skipped == [.init(source: "/1", statusCode: 400, reason: "Event name is required")])
  }

  @Test("a router response body: batchedRequest object or array, the item's metadata array on each")
  func routerResponse() throws {
    let doc: JSONValue = [
      "output": [
        [
          "batchedRequest": Self.request, "metadata": [["jobId": 1], ["jobId": 2]], "batched": true, "statusCode": 200,
        ],
        ["batchedRequest": [Self.request, Self.request], "metadata": [["jobId": 3]], "statusCode": 200],
      ]
    ]
    let input = try DeliveryInput(document: doc)
    #expect(
      input.requests.map(\.source) == [
        "/output/0/batchedRequest", "/output/1/batchedRequest/0", "/output/1/batchedRequest/1",
      ])
    #expect(input.requests[0].metadata == [["jobId": 1], ["jobId": 2]])
    #expect(input.requests[2].metadata == [["jobId": 3]])
  }

  @Test("a delivery case, a single proxy request and an array of them")
  func proxyRequests() throws {
    var withVersion = try #require(Self.request.objectValue)
    withVersion["version"] = "v0"
    withVersion["metadata"] = ["jobId": 9]
    let single = try DeliveryInput(document: .object(withVersion))
    #expect(single.requests.count == 1)
    #expect(single.requests[0].proxyVersion == .v0)
    let testCase: JSONValue = ["route": "POST /v0/destinations/tiktok_ads/proxy", "input": .object(withVersion)]
    #expect(try DeliveryInput(document: testCase).requests[0].source == "/input")
    #expect(try DeliveryInput(document: [.object(withVersion), .object(withVersion)]).requests.count == 2)
  }

  @Test("malformed documents name the place")
  func malformed() {
    #expect(throws: DeliveryError.invalidRequest(pointer: "/0/endpoint", message: "missing or empty \"endpoint\"")) {
      try DeliveryInput(document: [["endpoint": ""]])
    }
    #expect(throws: DeliveryError.self) { try DeliveryInput(document: "text") }
    #expect(throws: DeliveryError.self) { try DeliveryInput(document: [["foo": 1]]) }
  }

  @Test("URL: endpoint base swaps scheme and host (a base path is a prefix), params appended axios-style")
  func url() throws {
    var o = try #require(Self.request.objectValue)
    o["params"] = ["destination": "tiktok_ads", "ids": [1, 2], "skip": .null, "q": "a b:c"]
    let r = try ProxyRequest(.object(o), source: "")
    #expect(
      try r.url()
        == "https://business-api.tiktok.com/open_api/v1.3/pixel/batch/?destination=tiktok_ads&ids[]=1&ids[]=2&q=a+b:c")
    #expect(try r.url(endpointBase: "http://127.0.0.1:9").hasPrefix("http://127.0.0.1:9/open_api/v1.3/pixel/batch/?"))
    #expect(try r.url(endpointBase: "http://h:1/mock/").hasPrefix("http://h:1/mock/open_api/v1.3/pixel/batch/?"))
    o["endpoint"] = "https://random_test_url/test_for_service_not_available"
    o["params"] = [:]
    #expect(
      try ProxyRequest(.object(o), source: "").url(endpointBase: "http://127.0.0.1:9")
        == "http://127.0.0.1:9/test_for_service_not_available")
    #expect(throws: DeliveryError.self) { try r.url(endpointBase: "127.0.0.1:9") }
  }

  @Test("headers plus User-Agent: RudderLabs; body is the one non-empty format, JSON compact")
  func wire() throws {
    var o = try #require(Self.request.objectValue)
    o["headers"] = ["Access-Token": "tok", "User-Agent": "other", "X-Null": .null, "X-Num": 5]
    let r = try ProxyRequest(.object(o), source: "")
    #expect(
      r.wireHeaders.map { "\($0.name): \($0.value)" } == ["Access-Token: tok", "X-Num: 5", "User-Agent: RudderLabs"])
    #expect(String(decoding: r.body, as: UTF8.self) == #"{"pixel_code":"P","batch":[]}"#)
    o["body"] = ["JSON": [:], "JSON_ARRAY": [:], "XML": [:], "FORM": ["a": "1 2", "b": "x&y"]]
    #expect(String(decoding: try ProxyRequest(.object(o), source: "").body, as: UTF8.self) == "a=1+2&b=x%26y")
    o["body"] = ["JSON": [:]]
    #expect(try ProxyRequest(.object(o), source: "").body.isEmpty)
  }
}
