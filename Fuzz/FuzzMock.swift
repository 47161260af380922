// libFuzzer target: the mock's request handling on arbitrary bodies (no sockets: `MockTikTokServer.handle`).
// Properties: no crash; when the input starts with a token (a string, number or literal), the byte-level token
// scanner the hot path runs (`JSONScan`) accepts it exactly when the JSON parser accepts it as a whole text; the
// one-pass contract check (`acceptQuickly`, the hot path) accepts a body for an endpoint only when the full check
// (parse, then validate) does, with the same pixel and events; every TikTok answer is HTTP 200 with a JSON envelope
// holding an integer `code`, invalid JSON gets 40002; the journal line is valid JSON.
import HTTP
import JSON
import MockTikTok

let mock: MockTikTokServer = {
  do {
    return try MockTikTokServer(configuration: MockTikTokConfiguration())
  } catch {
    fatalError("cannot create the mock: \(error)")
  }
}()
let validator = ContractValidator()
let paths = ["/open_api/v1.3/event/track/", "/open_api/v1.2/pixel/track/", "/open_api/v1.3/pixel/batch/"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMock(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let parsed = try? JSONValue.parse(bytes)
  if let scanned = scannerAccepts(bytes), scanned != (parsed != nil) {
    fatalError(
      "JSONScan says \(scanned ? "valid" : "invalid"), JSONValue.parse says \(parsed == nil ? "invalid" : "valid")")
  }
  for kind in TikTokEndpoint.Kind.allCases {
    guard let quick = validator.acceptQuickly(bytes, endpoint: kind) else { continue }
    let full = validator.acceptFully(bytes, endpoint: kind)
    if quick != full {
      fatalError("\(kind): quick check accepted \(quick), full check says \(String(describing: full))")
    }
  }
  let path = paths[size % paths.count]
  mock.clearRequests()
  let response = mock.handle(
    HTTPRequest(
      method: "POST", target: path, headers: ["Access-Token": "t", "Content-Type": "application/json"], body: bytes))
  guard response.status == 200, let envelope = try? JSONValue.parse(response.body), envelope["code"]?.int64Value != nil
  else { fatalError("answer \(response.status): \(String(decoding: response.body, as: UTF8.self))") }
  if parsed == nil, envelope["code"]?.int64Value != 40002 { fatalError("invalid JSON not answered 40002") }
  let entries = mock.requests()
  guard entries.count == 1, (try? JSONValue.parse(entries[0].line)) != nil else {
    fatalError("\(entries.count) journal lines, or a line that is not JSON")
  }
  return 0
}

/// Whether `JSONScan` accepts `bytes` as one token and trailing whitespace; `nil` when it does not start with one.
func scannerAccepts(_ bytes: [UInt8]) -> Bool? {
  bytes.withUnsafeBufferPointer { b -> Bool? in
    guard let first = b.first else { return nil }
    var i = 0
    let ok: Bool
    switch first {
    case 0x22:
      var escaped = false
      ok = JSONScan.string(b, &i, escaped: &escaped)
    case 0x2D, 0x30...0x39:
      var integer = false
      ok = JSONScan.number(b, &i, integer: &integer)
    case 0x74: ok = JSONScan.literal(b, &i, "true")
    case 0x66: ok = JSONScan.literal(b, &i, "false")
    case 0x6E: ok = JSONScan.literal(b, &i, "null")
    default: return nil
    }
    guard ok else { return false }
    JSONScan.skipWhitespace(b, &i)
    return i == b.count
  }
}
