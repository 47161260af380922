import Foundation
import HTTP
import JSON
import MockTikTok
import TestSupport
import Testing

/// The request bodies in rudder-transformer's expected outputs, posted to their endpoints, get code 0.
@Suite struct UpstreamVectorTests {
  struct Request: Sendable, CustomStringConvertible {
    var name: String
    var endpoint: String
    var token: String?
    var body: JSONValue
    var description: String { name }
  }

  /// Every `{endpoint, headers, body.JSON}` output in processor.json and router.json.
  static func requests() -> [Request] {
    guard Paths.hasUpstreamVectors else { return [] }
    var out: [Request] = []
    for file in ["processor.json", "router.json"] {
      guard let data = FileManager.default.contents(atPath: Paths.upstreamVectors.appendingPathComponent(file).path),
        let cases = try? JSONValue.parse([UInt8](data)).arrayValue
      else { continue }
      for c in cases {
        let name = c["name"]?.stringValue ?? "?"
        var found: [JSONValue] = []
        collect(c["expected"] ?? .null, into: &found)
        for (i, o) in found.enumerated() {
          guard let endpoint = o["endpoint"]?.stringValue, let body = o["body"]?["JSON"] else { continue }
          out.append(
            Request(
              name: "\(name)#\(i)", endpoint: endpoint, token: o["headers"]?["Access-Token"]?.stringValue, body: body))
        }
      }
    }
    return out
  }

  /// Finds every object with an `endpoint` and a `body.JSON` (processor `output`, router `batchedRequest`).
  static func collect(_ v: JSONValue, into out: inout [JSONValue]) {
    switch v {
    case .object(let o):
      if o["endpoint"]?.stringValue != nil, o["body"]?["JSON"] != nil {
        out.append(v)
        return
      }
      for e in o { collect(e.value, into: &out) }
    case .array(let items):
      for item in items { collect(item, into: &out) }
    default: break
    }
  }

  @Test(.enabled(if: Paths.hasUpstreamVectors, "needs ../shared/conformance/upstream (.ci/run checks it is there)"))
  func vectorsAreFound() throws {
    #expect(Self.requests().count >= 50)
  }

  @Test func expectedOutputsAreAcceptedWithCode0() throws {
    let requests = Self.requests()
    try withMock { (mock) throws in
      for r in requests {
        // Only the path matters: the mock stands in for https://business-api.tiktok.com.
        let path = r.endpoint.replacingOccurrences(of: "https://business-api.tiktok.com", with: "")
        let reply = try post(mock, path, r.body.compactString(), token: r.token ?? token)
        // No vector breaks TikTok's contract as the mock models it: every one must get code 0.
        #expect(reply.code == 0, "\(r.name) \(path): \(reply.text)")
      }
    }
  }
}
