import JSON

/// A contract violation, answered as a TikTok envelope on HTTP 200.
public struct ContractViolation: Sendable, Equatable, Error {
  /// The TikTok code (40002 for schema errors, 40061 for batch sizes).
  public var code: Int
  /// TikTok-style message naming the path, e.g. `Batch.0.properties.contents.0.content_id: Not a valid string`.
  public var message: String
}

/// Checks request bodies against TikTok's Events API schemas (`tiktok-events-api.md` §2), no stricter than TikTok:
/// unknown keys, custom event names, any currency and missing timestamps are accepted; `null` counts as absent for
/// optional fields; number fields also take numeric strings (marshmallow's default).
public struct ContractValidator: Sendable {
  /// Most events in one `pixel/batch` (clients cap at 50).
  public var maxBatchV1: Int
  /// Most events in one `event/track` (TikTok documents 1000).
  public var maxBatchV2: Int

  public init(maxBatchV1: Int = 50, maxBatchV2: Int = 1000) {
    self.maxBatchV1 = maxBatchV1
    self.maxBatchV2 = maxBatchV2
  }

  /// The first violation in `body` for `endpoint`, or `nil` when it is valid.
  public func validate(_ body: JSONValue, endpoint: TikTokEndpoint.Kind) -> ContractViolation? {
    guard case .object = body else { return ContractViolation(code: 40002, message: "Invalid input type.") }
    switch endpoint {
    case .pixelTrack:
      return validate(body, Schema.track1, prefix: [], style: .topLevel)
    case .pixelBatch:
      if let v = validate(body, Schema.batch1Envelope, prefix: [], style: .topLevel) { return v }
      let items = body["batch"]?.arrayValue ?? []
      if items.isEmpty || items.count > maxBatchV1 {
        return ContractViolation(
          code: 40061, message: "Invalid batch size: \(items.count) events; a batch holds 1 to \(maxBatchV1).")
      }
      for (i, item) in items.enumerated() {
        if let f = check(item, Schema.batchItem1) {
          return message(["Batch", String(i)] + f.reversedPath.reversed(), f.text, .path)
        }
      }
      return nil
    case .eventTrack:
      if let v = validate(body, Schema.event2Envelope, prefix: [], style: .topLevel) { return v }
      let items = body["data"]?.arrayValue ?? []
      if items.isEmpty || items.count > maxBatchV2 {
        return ContractViolation(
          code: 40061, message: "Invalid batch size: \(items.count) events in data; a request holds 1 to \(maxBatchV2)."
        )
      }
      for (i, item) in items.enumerated() {
        if let f = check(item, Schema.data2) {
          return message(["Data", String(i)] + f.reversedPath.reversed(), f.text, .path)
        }
      }
      return nil
    }
  }

  private enum Style { case topLevel, path }

  /// A failure found below some point: the path components from that point down, innermost last.
  private struct Failure {
    var reversedPath: [String]
    var text: String
  }

  private func validate(_ value: JSONValue, _ type: FieldType, prefix: [String], style: Style) -> ContractViolation? {
    guard let f = check(value, type) else { return nil }
    let path = prefix + f.reversedPath.reversed()
    let s: Style = prefix.isEmpty && f.reversedPath.count == 1 ? style : .path
    return message(path, f.text, s)
  }

  private func message(_ path: [String], _ text: String, _ style: Style) -> ContractViolation {
    if style == .topLevel && path.count == 1 {
      // TikTok's observed form for top-level fields: `Invalid value for event_id: not a valid string.`
      if text.hasPrefix("Missing") { return ContractViolation(code: 40002, message: "\(path[0]): \(text)") }
      let lower = text.prefix(1).lowercased() + text.dropFirst()
      return ContractViolation(code: 40002, message: "Invalid value for \(path[0]): \(lower).")
    }
    return ContractViolation(code: 40002, message: "\(path.joined(separator: ".")): \(text)")
  }

  /// Checks `value` against `type`; allocates only when it fails.
  private func check(_ value: JSONValue, _ type: FieldType) -> Failure? {
    switch type {
    case .any: return nil
    case .string:
      if case .string = value { return nil }
      return Failure(reversedPath: [], text: "Not a valid string")
    case .oneOf(let options):
      guard case .string(let s) = value else { return Failure(reversedPath: [], text: "Not a valid string") }
      if options.contains(s) { return nil }
      return Failure(reversedPath: [], text: "Must be one of: \(options.joined(separator: ", "))")
    case .number:
      switch value {
      case .int, .double, .numberLiteral: return nil
      case .string(let s) where Double(s) != nil: return nil
      default: return Failure(reversedPath: [], text: "Not a valid number")
      }
    case .integer:
      switch value {
      case .int, .numberLiteral: return nil
      case .double(let d) where d.rounded() == d: return nil
      case .string(let s) where Int64(s) != nil: return nil
      default: return Failure(reversedPath: [], text: "Not a valid integer")
      }
    case .bool:
      if case .bool = value { return nil }
      return Failure(reversedPath: [], text: "Not a valid boolean")
    case .stringOrStrings:
      if case .string = value { return nil }
      if case .array(let items) = value {
        for (i, item) in items.enumerated() {
          guard case .string = item else { return Failure(reversedPath: [String(i)], text: "Not a valid string") }
        }
        return nil
      }
      return Failure(reversedPath: [], text: "Not a valid string")
    case .array(let element):
      guard case .array(let items) = value else { return Failure(reversedPath: [], text: "Not a valid list") }
      for (i, item) in items.enumerated() {
        if var f = check(item, element) {
          f.reversedPath.append(String(i))
          return f
        }
      }
      return nil
    case .object(let fields):
      guard case .object(let object) = value else { return Failure(reversedPath: [], text: "Invalid input type") }
      for field in fields {
        guard let child = object[field.name], !child.isNull else {
          if field.required { return Failure(reversedPath: [field.name], text: "Missing data for required field.") }
          continue
        }
        if var f = check(child, field.type) {
          f.reversedPath.append(field.name)
          return f
        }
      }
      return nil
    }
  }
}

indirect enum FieldType: Sendable {
  case any, string, number, integer, bool, stringOrStrings
  case oneOf([String])
  case array(FieldType)
  case object([Field])
}

struct Field: Sendable {
  var name: String
  var type: FieldType
  var required = false
}

private func req(_ name: String, _ type: FieldType) -> Field { Field(name: name, type: type, required: true) }
private func opt(_ name: String, _ type: FieldType) -> Field { Field(name: name, type: type) }

enum Schema {
  static let content: FieldType = .object([
    opt("price", .number), opt("quantity", .integer), opt("content_type", .string), opt("content_id", .string),
    opt("content_category", .string), opt("content_name", .string), opt("brand", .string), opt("status", .string),
  ])
  static let properties1: FieldType = .object([
    opt("contents", .array(content)), opt("content_type", .string), opt("currency", .string), opt("value", .number),
    opt("query", .string), opt("description", .string), opt("order_id", .string), opt("shop_id", .string),
  ])
  static let context1: FieldType = .object([
    opt("ad", .object([opt("callback", .string)])),
    opt("page", .object([opt("url", .string), opt("referrer", .string)])),
    opt(
      "user",
      .object([opt("external_id", .string), opt("phone_number", .string), opt("email", .string), opt("ttp", .string)])),
    opt("ip", .string), opt("user_agent", .string),
  ])
  static let track1: FieldType = .object([
    req("pixel_code", .string), req("event", .string), opt("event_id", .string), opt("timestamp", .string),
    opt("test_event_code", .string), opt("partner_name", .string), opt("context", context1),
    opt("properties", properties1),
  ])
  static let batch1Envelope: FieldType = .object([
    req("pixel_code", .string), req("batch", .array(.any)), opt("test_event_code", .string),
    opt("partner_name", .string),
  ])
  static let batchItem1: FieldType = .object([
    opt("type", .oneOf(["track"])), req("event", .string), opt("event_id", .string), opt("timestamp", .string),
    opt("context", context1), opt("properties", properties1),
  ])
  static let user2: FieldType = .object([
    opt("email", .stringOrStrings), opt("phone", .stringOrStrings), opt("external_id", .stringOrStrings),
    opt("ttclid", .string), opt("ttp", .string), opt("ip", .string), opt("user_agent", .string),
    opt("locale", .string), opt("first_name", .string), opt("last_name", .string), opt("zip_code", .string),
    opt("city", .string), opt("state", .string), opt("country", .string),
  ])
  static let properties2: FieldType = .object([
    opt("contents", .array(content)), opt("content_type", .string), opt("content_ids", .array(.string)),
    opt("currency", .string), opt("value", .number), opt("num_items", .integer), opt("query", .string),
    opt("search_string", .string), opt("description", .string), opt("order_id", .string), opt("shop_id", .string),
  ])
  static let data2: FieldType = .object([
    req("event", .string), req("event_time", .integer), opt("event_id", .string), opt("user", user2),
    opt("properties", properties2), opt("page", .object([opt("url", .string), opt("referrer", .string)])),
    opt("limited_data_use", .bool),
  ])
  static let event2Envelope: FieldType = .object([
    req("event_source", .oneOf(["web", "app", "offline", "crm"])), req("event_source_id", .string),
    opt("test_event_code", .string), opt("partner_name", .string), req("data", .array(.any)),
  ])
}
