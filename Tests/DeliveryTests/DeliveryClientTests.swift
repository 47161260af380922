import Delivery
import Glibc
import HTTP
import JSON
import Synchronization
import TestSupport
import Testing

/// A loopback server on port 0 that records what it received and answers with `respond`.
final class RecordingServer: Sendable {
  let server: HTTPServer

  init(_ respond: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws {
    var config = HTTPServerConfiguration()
    config.eventLoops = 1
    let log = LogBox()
    server = HTTPServer(configuration: config) { request in
      log.append(request)
      return respond(request)
    }
    self.log = log
    try server.start()
  }

  private let log: LogBox
  var requests: [HTTPRequest] { log.all }
  var base: String { server.baseURL }
  deinit { server.stop() }

  final class LogBox: Sendable {
    private let items = Mutex<[HTTPRequest]>([])
    func append(_ r: HTTPRequest) { items.withLock { $0.append(r) } }
    var all: [HTTPRequest] { items.withLock { $0 } }
  }
}

/// A request object as the transformer writes it.
func sampleRequest(
  endpoint: String = "https://business-api.tiktok.com/open_api/v1.3/pixel/track/", version: String? = nil,
  metadata: JSONValue = ["jobId": 7, "destinationId": "d1", "workspaceId": "w1"], params: JSONValue = [:]
) throws -> ProxyRequest {
  var o: JSONObject = [
    "method": "POST", "endpoint": .string(endpoint),
    "headers": ["Access-Token": "tok", "Content-Type": "application/json"],
    "params": params,
    "body": [
      "JSON": ["pixel_code": "PX1", "event": "CompletePayment", "partner_name": "RudderStack"], "JSON_ARRAY": [:],
      "XML": [:], "FORM": [:],
    ],
    "metadata": metadata,
  ]
  if let version { o["version"] = .string(version) }
  return try ProxyRequest(.object(o), source: "")
}

@Suite("Delivery client over loopback")
struct DeliveryClientTests {
  @Test(
    "sends method, path under the endpoint base, params as query, headers plus User-Agent: RudderLabs, compact JSON")
  func wire() throws {
    let server = try RecordingServer { _ in .json(200, Array(#"{"code":0,"message":"OK"}"#.utf8)) }
    let client = DeliveryClient(endpointBase: server.base, timeout: 5)
    let request = try sampleRequest(params: ["destination": "tiktok_ads", "q": "a b&c/é"])
    let result = try client.deliver(request)
    #expect(result.outcome == .success)
    let got = try #require(server.requests.first)
    #expect(got.method == "POST")
    #expect(got.path == "/open_api/v1.3/pixel/track/")
    #expect(got.query == "destination=tiktok_ads&q=a+b%26c%2F%C3%A9")
    #expect(got.headers["User-Agent"] == "RudderLabs")
    #expect(got.headers["Access-Token"] == "tok")
    #expect(got.headers["Content-Type"] == "application/json")
    #expect(
      String(decoding: got.body, as: UTF8.self)
        == #"{"pixel_code":"PX1","event":"CompletePayment","partner_name":"RudderStack"}"#)
  }

  @Test("an https endpoint without an endpoint base is refused before sending")
  func httpsRefused() throws {
    #expect(throws: DeliveryError.self) { try DeliveryClient().deliver(try sampleRequest()) }
  }

  @Test("a reset connection is [ECONNRESET], 500, retryable, in both shapes")
  func reset() throws {
    let server = try RecordingServer { _ in HTTPResponse(delivery: .reset) }
    let client = DeliveryClient(endpointBase: server.base, timeout: 5)
    for version in ProxyVersion.allCases {
      let r = try client.deliver(try sampleRequest(), version: version)
      #expect(r.answer == DestinationResponse(networkError: "ECONNRESET"))
      #expect(r.answer.response == "[ECONNRESET] :: Connection reset by peer")
      #expect(r.outcome == .retryable)
      #expect(r.output.body["output"]?["statTags"]?["errorType"] == "retryable")
      #expect(r.output.httpStatus == (version == .v0 ? 500 : 200))
    }
  }

  @Test("a refused connection is [ECONNREFUSED], 500, retryable")
  func refused() throws {
    let client = DeliveryClient(endpointBase: "http://127.0.0.1:\(closedLoopbackPort())", timeout: 5)
    let r = try client.deliver(try sampleRequest(), version: .v1)
    #expect(r.answer.networkError == "ECONNREFUSED")
    #expect(r.answer.response == "[ECONNREFUSED] :: Connection refused")
    #expect(r.outcome == .retryable)
    #expect(r.output.body["output"]?["response"]?[0]?["error"] == #""[ECONNREFUSED] :: Connection refused""#)
  }

  @Test("no answer within the timeout is [ETIMEDOUT], 500, retryable")
  func timeout() throws {
    let server = try RecordingServer { _ in
      HTTPResponse(status: 200, body: Array(#"{"code":0}"#.utf8), delayMilliseconds: 1500)
    }
    let client = DeliveryClient(endpointBase: server.base, timeout: 0.2)
    let r = try client.deliver(try sampleRequest(), version: .v0)
    #expect(r.answer.networkError == "ETIMEDOUT")
    #expect(
      r.output.body == [
        "output": [
          "status": 500, "message": "Request failed with status: 500",
          "destinationResponse": ["response": "[ETIMEDOUT] :: Operation timed out", "status": 500],
          "statTags": .object(
            ProxyOutput.statTags(errorType: "retryable", metadata: ["destinationId": "d1", "workspaceId": "w1"])),
        ]
      ])
    #expect(r.seconds < 1.2)
  }

  @Test("an empty reply counts as a reset (Node: socket hang up, ECONNRESET)")
  func emptyReply() throws {
    let server = try RecordingServer { _ in HTTPResponse(delivery: .empty) }
    let r = try DeliveryClient(endpointBase: server.base, timeout: 5).deliver(try sampleRequest())
    #expect(r.answer.networkError == "ECONNRESET")
  }

  @Test("answers' headers are left out unless asked for, then lowercased")
  func headers() throws {
    let server = try RecordingServer { _ in .json(200, Array(#"{"code":40100,"message":"slow down"}"#.utf8)) }
    let plain = try DeliveryClient(endpointBase: server.base).deliver(try sampleRequest(), version: .v0)
    #expect(plain.output.body["output"]?["destinationResponse"]?["headers"] == nil)
    let withHeaders = try DeliveryClient(endpointBase: server.base, includeResponseHeaders: true).deliver(
      try sampleRequest(), version: .v0)
    #expect(
      withHeaders.output.body["output"]?["destinationResponse"]?["headers"]?["content-type"] == "application/json")
    #expect(withHeaders.outcome == .throttled)
  }
}
