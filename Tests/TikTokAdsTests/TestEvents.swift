import JSON
import SHA256

@testable import TikTokAds

/// Builders for processor inputs and accessors for their outputs.
enum TestEvents {
  /// A destination with `config` merged over a valid v1 or v2 base config.
  static func destination(v2: Bool = false, _ overrides: [(String, JSONValue)] = []) -> JSONValue {
    var config: JSONObject = ["accessToken": "token-1", "pixelCode": "PIXEL1"]
    if v2 { config["version"] = "v2" }
    for (k, v) in overrides { config[k] = v }
    return ["ID": "dest-1", "Config": .object(config), "hasDynamicConfig": false]
  }

  /// A track message with `event`, a fixed timestamp and messageId, and the given extra top-level fields.
  static func track(_ event: JSONValue = "Search", _ fields: [(String, JSONValue)] = []) -> JSONValue {
    var m: JSONObject = [
      "type": "track", "event": event, "messageId": "msg-1", "timestamp": "2024-05-09T10:12:31.713Z",
    ]
    for (k, v) in fields { m[k] = v }
    return .object(m)
  }

  static let metadata: JSONValue = ["jobId": 1, "destinationId": "dest-1", "workspaceId": "ws-1"]

  /// A processor answer that is not what a helper was asked for.
  struct Unexpected: Error, CustomStringConvertible {
    var description: String
  }

  /// The processor response items for one event. Throws when the transformer refuses the request body or does
  /// not answer an array, so a test can never mistake a failure for an empty answer.
  static func process(_ message: JSONValue, _ destination: JSONValue, metadata: JSONValue = metadata) throws
    -> [JSONValue]
  {
    let body: JSONValue = [["message": message, "destination": destination, "metadata": metadata]]
    let response = try TikTokAdsTransformer().processorResponse(for: body)
    guard let items = response.arrayValue else { throw Unexpected(description: "not an array: \(response)") }
    return items
  }

  /// The `body.JSON` of each item; throws unless every item is a success (status 200 with a body), so a check
  /// that a field is absent cannot pass because the event failed.
  static func bodies(_ message: JSONValue, _ destination: JSONValue) throws -> [JSONValue] {
    try process(message, destination).map { item in
      guard item["statusCode"] == 200, let body = item["output"]?["body"]?["JSON"] else {
        throw Unexpected(description: "not a success: \(item.compactString())")
      }
      return body
    }
  }

  /// The first v2 `data[]` entry (`nil` when `data` is empty); throws unless the event succeeded.
  static func v2Entry(_ message: JSONValue, _ overrides: [(String, JSONValue)] = []) throws -> JSONValue? {
    try bodies(message, destination(v2: true, overrides)).first?["data"]?[0]
  }

  /// The first v1 body; throws unless the event succeeded.
  static func v1Body(_ message: JSONValue, _ overrides: [(String, JSONValue)] = []) throws -> JSONValue? {
    try bodies(message, destination(v2: false, overrides)).first
  }

  static func sha256(_ s: String) -> String { SHA256.hexDigest(Array(s.utf8)) }
}
