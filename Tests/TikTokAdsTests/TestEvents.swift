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

  /// The processor response items for one event.
  static func process(_ message: JSONValue, _ destination: JSONValue, metadata: JSONValue = metadata) -> [JSONValue] {
    let body: JSONValue = [["message": message, "destination": destination, "metadata": metadata]]
    return (try? TikTokAdsTransformer().processorResponse(for: body).arrayValue) ?? []
  }

  /// The `body.JSON` of each successful item.
  static func bodies(_ message: JSONValue, _ destination: JSONValue) -> [JSONValue] {
    process(message, destination).compactMap { $0["output"]?["body"]?["JSON"] }
  }

  /// The first v2 `data[]` entry.
  static func v2Entry(_ message: JSONValue, _ overrides: [(String, JSONValue)] = []) -> JSONValue? {
    bodies(message, destination(v2: true, overrides)).first?["data"]?[0]
  }

  /// The first v1 body.
  static func v1Body(_ message: JSONValue, _ overrides: [(String, JSONValue)] = []) -> JSONValue? {
    bodies(message, destination(v2: false, overrides)).first
  }

  static func sha256(_ s: String) -> String { SHA256.hexDigest(Array(s.utf8)) }
}
