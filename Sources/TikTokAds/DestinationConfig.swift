import JSON

/// The destination settings the transformer reads (spec §2), taken from `destination.Config`.
struct DestinationConfig: Sendable {
  /// `accessToken`, raw, as the destination holds it; sent as the `Access-Token` header.
  let accessTokenRef: JSONRef?
  /// `pixelCode`, raw, as the destination holds it; `pixel_code` (v1) or `event_source_id` (v2).
  let pixelCodeRef: JSONRef?
  /// `accessToken` as a value.
  var accessToken: JSONValue? { accessTokenRef?.value }
  /// `pixelCode` as a value.
  var pixelCode: JSONValue? { pixelCodeRef?.value }
  /// `true` only when `version` is exactly the string `"v2"` (spec §2: missing, `"v1"`, `"V2"` all mean Events 1.0).
  let isEventsV2: Bool
  /// Q2: a missing `hashUserProperties` counts as false, whatever the UI default says.
  let hashUserProperties: Bool
  /// `sendCustomEvents`, truthy.
  let sendCustomEvents: Bool
  /// `eventsToStandard`, raw; read into an ``EventMap`` at the point of upstream's order where it is read (R5).
  let eventsToStandard: JSONRef?
  /// R7: `Config` is present but not an object.
  let isConfigNotObject: Bool
  /// Q2: `version` or `hashUserProperties` is absent, so the transformer's default applies, not the UI's.
  let usesTransformerDefaults: Bool

  /// Reads the settings from a destination object.
  ///
  /// R7: a `Config` that is not an object (a string, a number, an array) reads as empty.
  /// - Throws: upstream reads `destination.Config.accessToken` first, so a `null` or absent `Config` throws there.
  init(destination: JSONRef?) throws(TransformError) {
    guard let config = destination?["Config"] else {
      throw .runtime("Cannot read properties of undefined (reading 'accessToken')")
    }
    if config.isNull { throw .runtime("Cannot read properties of null (reading 'accessToken')") }
    accessTokenRef = config["accessToken"]
    pixelCodeRef = config["pixelCode"]
    let version = config["version"]
    let hash = config["hashUserProperties"]
    isEventsV2 = version?.isString("v2") ?? false
    hashUserProperties = hash.isTruthy
    sendCustomEvents = config["sendCustomEvents"].isTruthy
    eventsToStandard = config["eventsToStandard"]
    isConfigNotObject = !config.isObject
    usesTransformerDefaults = version == nil || hash == nil
  }

  /// Reads the settings from a destination given as a value (the router's batches read the first event's).
  init(destination: JSONValue?) throws(TransformError) {
    try self.init(destination: destination.map { JSONTape($0, numbers: .javaScript).root })
  }

  /// Records the settings-level rules (R7, Q2) on `trace`.
  func traceSettings(_ trace: TransformTrace) {
    if isConfigNotObject {
      trace.eventRule(.r7)
      trace.hit(.rule(.r7))
    }
    if usesTransformerDefaults {
      trace.eventRule(.q2)
      trace.hit(.rule(.q2))
    }
  }

  /// The group-level Events 2.0 switch of the router (§8.1): `version` of the first event's Config, `false` when
  /// that Config cannot be read.
  static func isEventsV2(_ destination: JSONRef?) -> Bool {
    destination?["Config"]?["version"]?.isString("v2") ?? false
  }
}

/// `eventsToStandard` as upstream's `getHashFromArrayWithDuplicate` builds it: normalised `from` (lowercased, then
/// trimmed) to the ordered set of its `to` values (spec §4). Q15: `to` values are used verbatim.
struct EventMap: Sendable {
  private var keys: [String] = []
  /// Each key's `to` values in config order; `nil` stands for a row without `to` (JavaScript `undefined`).
  private var targets: [[JSONValue?]] = []

  /// Builds the map from an `eventsToStandard` value; anything but an array gives an empty map.
  ///
  /// - Throws: R5: a `null` row (`Cannot read properties of null (reading 'from')`) or a `from` that is not a
  ///   string but not empty either (`array[fromKey].toLowerCase is not a function`); R1: a `from` that names a
  ///   member every JavaScript object has (`constructor`, `__proto__`) finds that member in upstream's plain
  ///   object and fails (`hashMap[key].add is not a function`).
  init(_ value: JSONRef?, trace: TransformTrace? = nil, isV2: Bool = false) throws(TransformError) {
    guard let rows = value, rows.isArray else { return }
    for (rowIndex, row) in rows.elements.enumerated() {
      let at = ["destination", "Config", "eventsToStandard", String(rowIndex)]
      if row.isNull {
        trace?.eventRule(.r5)
        throw trace.failing(
          .runtime("Cannot read properties of null (reading 'from')"), Check.nullRow, at: at, isV2: isV2)
      }
      guard let from = row["from"], !from.lodashString.jsTrimmed.isEmpty else { continue }  // empty rows are skipped
      guard let text = from.stringValue else {
        trace?.eventRule(.r5)
        throw trace.failing(
          .runtime("array[fromKey].toLowerCase is not a function"), Check.fromNotString, at: at + ["from"], isV2: isV2)
      }
      let key = text.jsLowercased.jsTrimmed
      if JSPlainObject.hasInheritedMember(key) {
        trace?.eventRule(.r1)
        throw trace.failing(
          .runtime("hashMap[key].add is not a function"), Check.inheritedFrom, at: at + ["from"], isV2: isV2)
      }
      let to = row["to"]?.value
      if let i = keys.firstIndex(of: key) {
        // A JavaScript Set: primitives by value; every object or array `to` is a distinct reference.
        let isDuplicate = targets[i].contains { existing in
          switch (existing, to) {
          case (nil, nil): return true
          case (let a?, let b?): return !a.isJSObject && a.isIdentical(to: b)
          default: return false
          }
        }
        if !isDuplicate {
          targets[i].append(to)
          rowIndices[i].append(rowIndex)
        }
      } else {
        keys.append(key)
        targets.append([to])
        rowIndices.append([rowIndex])
      }
    }
  }

  /// The row of `eventsToStandard` each target of each key came from.
  private var rowIndices: [[Int]] = []

  /// The `eventsToStandard` row indices of the targets of `normalisedName`.
  func rows(of normalisedName: String) -> [Int] {
    keys.firstIndex(of: normalisedName).map { rowIndices[$0] } ?? []
  }

  /// What upstream's lookup `standardEventsMap[name]` finds for a normalised event name.
  enum Lookup {
    /// The mapped targets, in config order.
    case mapped([JSONValue?])
    /// R1: a member every JavaScript object has (`constructor`, `__proto__`): truthy, but no own key matches,
    /// so upstream produces no TikTok event at all.
    case inherited
    /// Not mapped.
    case absent
  }

  /// The lookup of `normalisedName` in this map.
  func lookup(_ normalisedName: String) -> Lookup {
    if let i = keys.firstIndex(of: normalisedName) { return .mapped(targets[i]) }
    return JSPlainObject.hasInheritedMember(normalisedName) ? .inherited : .absent
  }
}
