// libFuzzer target: the mock's request handling on arbitrary bodies (no sockets: `MockTikTokServer.handle`).
// Properties: no crash; the mock's own syntax check (`JSONSyntax.firstError`) and the JSON parser agree on what is
// valid JSON (a disagreement means the mock answers 40002 to a valid body, or accepts an invalid one); the one-pass
// contract check (`acceptQuickly`, the hot path) accepts a body for an endpoint only when the full check does, with
// the same pixel and events; every TikTok
// answer is HTTP 200 with a JSON envelope holding an integer `code`; the journal line is valid JSON.
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
  let syntaxError = bytes.withUnsafeBufferPointer { JSONSyntax.firstError($0) }
  let parsed = try? JSONValue.parse(bytes)
  if (syntaxError == nil) != (parsed != nil) {
    fatalError(
      "JSONSyntax says \(syntaxError.map { "error at \($0.offset): \($0.reason)" } ?? "valid"), JSONValue.parse says \(parsed == nil ? "invalid" : "valid")"
    )
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
