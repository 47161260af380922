import HTTP
import JSON
import MockTikTok

/// A valid Events 2.0 body (the load test's event).
let eventTrackBody = #"""
  {"event_source":"web","event_source_id":"CJ8V2B3C77U5P1QK9ABC","data":[{"event":"CompletePayment","event_time":1732766400,"event_id":"e-1","user":{"email":"86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d","ip":"203.0.113.42"},"properties":{"currency":"USD","value":129.97,"contents":[{"content_id":"sku-1","price":89.99,"quantity":1}]},"page":{"url":"https://shop.example.com/"}}]}
  """#

/// A valid Events 1.0 track body.
let pixelTrackBody = #"""
  {"pixel_code":"C9ENMI3C77U9N0P9IE10","event":"CompletePayment","event_id":"e-1","timestamp":"2020-09-17T19:49:27Z","context":{"ad":{"callback":"E.C.P.x"},"page":{"url":"https://x"},"user":{"email":"dd6ff77f54e2106661089bae4d40cdb600979bf7edc9eb65c0942ba55c7c2d7f"},"ip":"13.57.97.131","user_agent":"UA"},"properties":{"contents":[{"price":8,"quantity":2,"content_type":"socks","content_id":"1077218"}],"currency":"USD","value":46}}
  """#

/// A valid Events 1.0 batch body.
let pixelBatchBody = #"""
  {"pixel_code":"C9ENMI3C77U9N0P9IE10","batch":[{"type":"track","event":"ViewContent","event_id":"a","timestamp":"2020-09-17T19:49:27Z","properties":{"contents":[{"content_id":"1","price":1,"quantity":1}]}},{"type":"track","event":"AddToCart","event_id":"b"}]}
  """#

let token = "0123456789abcdef0123456789abcdef01234567"

/// Starts a mock on 127.0.0.1:0 for one test.
func withMock<R>(
  _ configure: (inout MockTikTokConfiguration) -> Void = { _ in }, _ body: (MockTikTokServer) throws -> R
) throws -> R {
  var config = MockTikTokConfiguration()
  config.http.eventLoops = 1
  configure(&config)
  let mock = try MockTikTokServer(configuration: config)
  try mock.start()
  defer { mock.stop() }
  return try body(mock)
}

struct TikTokReply {
  var status: Int
  var json: JSONValue
  var text: String
  var code: Int? { json["code"]?.int64Value.map(Int.init) }
  var message: String? { json["message"]?.stringValue }
}

/// POSTs `body` to `path` with the Access-Token (unless `nil`) and parses the reply.
func post(
  _ mock: MockTikTokServer, _ path: String, _ body: String, token: String? = token, headers: HTTPHeaders = [:]
) throws(HTTPClientError) -> TikTokReply {
  var h = headers
  h.add("Content-Type", "application/json")
  if let token { h.add("Access-Token", token) }
  let r = try HTTPClient.send(method: "POST", url: mock.baseURL + path, headers: h, body: Array(body.utf8), timeout: 10)
  return TikTokReply(status: r.status, json: (try? JSONValue.parse(r.body)) ?? .null, text: r.bodyText)
}

/// `true` for TikTok's `request_id` form: 14 UTC digits + 20 upper-case hex digits.
func isTikTokRequestID(_ s: String) -> Bool {
  let b = Array(s.utf8)
  guard b.count == 34 else { return false }
  return b[0..<14].allSatisfy { $0 >= 48 && $0 <= 57 }
    && b[14...].allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 70) }
}
