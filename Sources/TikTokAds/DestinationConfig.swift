import JSON

/// The destination settings the transformer reads (spec §2), taken from `destination.Config`.
struct DestinationConfig: Sendable {
  /// `accessToken`, raw; sent as the `Access-Token` header.
  let accessToken: JSONValue?
  /// `pixelCode`, raw; `pixel_code` (v1) or `event_source_id` (v2).
  let pixelCode: JSONValue?
  /// `true` only when `version` is exactly the string `"v2"` (spec §2: missing, `"v1"`, `"V2"` all mean Events 1.0).
  let isEventsV2: Bool
  /// Q2: a missing `hashUserProperties` counts as false, whatever the UI default says.
  let hashUserProperties: Bool
  /// `sendCustomEvents`, truthy.
  let sendCustomEvents: Bool
  /// `eventsToStandard` as a map from normalised `from` to its ordered, de-duplicated `to` values (spec §4).
  let eventsToStandard: EventMap

  /// Reads the settings from a destination object (`nil` or a non-object `Config` reads as empty).
  init(destination: JSONValue?) {
    let config = destination?["Config"]
    accessToken = config?["accessToken"]
    pixelCode = config?["pixelCode"]
    isEventsV2 = config?["version"] == .string("v2")
    hashUserProperties = config?["hashUserProperties"].isTruthy ?? false
    sendCustomEvents = config?["sendCustomEvents"].isTruthy ?? false
    eventsToStandard = EventMap(config?["eventsToStandard"])
  }
}

/// Q15: `to` values are used verbatim (no case normalisation, no check against the standard list).
struct EventMap: Sendable {
  private var keys: [String] = []
  private var targets: [[JSONValue]] = []

  /// Builds the map from an `eventsToStandard` array; anything else gives an empty map.
  init(_ value: JSONValue?) {
    guard case .array(let entries)? = value else { return }
    for entry in entries {
      guard case .string(let from)? = entry["from"] else { continue }
      let key = from.jsLowercased.jsTrimmed
      guard !key.isEmpty else { continue }  // empty or whitespace-only `from` is ignored
      let to = entry["to"] ?? .null
      if let i = keys.firstIndex(of: key) {
        if !targets[i].contains(where: { $0.isIdentical(to: to) }) { targets[i].append(to) }
      } else {
        keys.append(key)
        targets.append([to])
      }
    }
  }

  /// The mapped targets of a normalised event name, in config order.
  func targets(for normalisedName: String) -> [JSONValue]? {
    guard let i = keys.firstIndex(of: normalisedName) else { return nil }
    return targets[i]
  }
}
