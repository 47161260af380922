import Foundation
import JSON
import Synchronization
import TestSupport
import TikTokAds

/// A live-transformer stand-in for `minimize` tests: the built-in transformer, run in the test process behind a
/// loopback HTTP server, with one deliberate mapping difference applied to every TikTok event it produces (an
/// object holding `properties`, in processor outputs and router batches alike).
///
/// `status` may answer a request body with an error status instead (a transformer that fails on some inputs).
func standInTransformer(
  status: @escaping @Sendable (JSONValue) -> Int? = { _ in nil },
  change: @escaping @Sendable (inout JSONObject) -> Void = { _ in }
) throws -> ReplayTestServer {
  try ReplayTestServer { _, path, bytes in standInAnswer(path: path, bytes: bytes, status: status, change: change) }
}

/// The stand-in's answer to one request: (status, content type, body).
func standInAnswer(
  path: String, bytes: [UInt8], status: (JSONValue) -> Int? = { _ in nil }, change: (inout JSONObject) -> Void
) -> (Int, String, [UInt8]) {
  guard let body = try? JSONValue.parse(bytes) else {
    return (400, "application/json", Array(#"{"error":"bad JSON"}"#.utf8))
  }
  if let code = status(body) { return (code, "application/json", Array(#"{"error":"planted"}"#.utf8)) }
  let transformer = TikTokAdsTransformer()
  let answer: JSONValue?
  switch path {
  case "/v0/destinations/tiktok_ads": answer = try? transformer.processorResponse(for: body)
  case "/routerTransform": answer = try? transformer.routerResponse(for: body)
  default: return (404, "text/plain", Array("no route".utf8))
  }
  guard let answer else { return (400, "application/json", Array(#"{"error":"bad request"}"#.utf8)) }
  return (200, "application/json", changingEvents(answer, change).compactBytes())
}

/// A thread-safe counter.
final class Counter: Sendable {
  private let value = Mutex(0)

  /// Adds one and returns the new count.
  func increment() -> Int {
    value.withLock {
      $0 += 1
      return $0
    }
  }
}

/// `value` with `change` applied to every object that holds a `properties` object (a TikTok event).
func changingEvents(_ value: JSONValue, _ change: (inout JSONObject) -> Void) -> JSONValue {
  switch value {
  case .object(var object):
    if case .object = object["properties"] { change(&object) }
    for entry in object.entries { object[entry.key] = changingEvents(entry.value, change) }
    return .object(object)
  case .array(let items): return .array(items.map { changingEvents($0, change) })
  default: return value
  }
}

/// The planted difference most tests use: the "next release" lost the `currency` mapping.
let dropCurrency: @Sendable (inout JSONObject) -> Void = { event in
  guard case .object(var properties)? = event["properties"] else { return }
  properties["currency"] = nil
  event["properties"] = .object(properties)
}

/// The difference signature as `minimize` prints it, from the mismatch lines `compare` or `replay` print
/// (`  /body/0/output/…/currency: missing: …`), with array indices (decimal tokens) as `*`.
func signatureLines(_ output: String) -> Set<String> {
  var lines: Set<String> = []
  let kinds = ["changed value", "changed type", "missing", "unexpected", "array length"]
  for line in output.split(separator: "\n") {
    let text = line.trimmingCharacters(in: .whitespaces)
    guard text.hasPrefix("/") || text.hasPrefix("(root)") else { continue }
    for kind in kinds {
      guard let range = text.range(of: ": \(kind)") else { continue }
      let pointer = text[..<range.lowerBound].split(separator: "/", omittingEmptySubsequences: false).map {
        $0.allSatisfy(\.isNumber) && !$0.isEmpty ? "*" : String($0)
      }
      lines.insert(pointer.joined(separator: "/") + ": \(kind)")
      break
    }
  }
  return lines
}

/// A realistic customer event: context, traits with personal data, properties with products.
let minimizeCapture = """
  {"type":"track","event":"Order Completed","messageId":"m-2024-0042","userId":"cust-8812",
   "anonymousId":"anon-77aa","timestamp":"2024-05-09T10:12:31.713Z","channel":"web",
   "context":{"ip":"203.0.113.42","userAgent":"Mozilla/5.0 (X11; Linux x86_64)","locale":"en-GB",
     "page":{"url":"https://shop.example.com/thank-you","referrer":"https://shop.example.com/pay"},
     "traits":{"email":"Jane.Doe@example.com","phone":"+447700900123","firstName":"Jane"},
     "externalId":[{"type":"tiktokExternalId","id":"crm-99812"}]},
   "properties":{"order_id":"o-1001","currency":"GBP","value":119.9,"coupon":"WINTER10","shipping":4.95,
     "products":[{"product_id":"10001","name":"Sweater","price":59.95,"quantity":1,"category":"Knitwear"},
                 {"product_id":"10002","name":"Scarf","price":29.95,"quantity":2,"category":"Accessories"}]}}
  """

/// The destination config of ``minimizeCapture``.
let minimizeConfig =
  #"{"accessToken":"live-token-5f3a9c1d","pixelCode":"PIX1","hashUserProperties":true,"version":"v2"}"#
