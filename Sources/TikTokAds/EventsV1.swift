import JSON

/// Events 1.0 (spec §6): one `pixel/track` request object per TikTok event.
enum EventsV1 {
  static let trackEndpoint = "https://business-api.tiktok.com/open_api/v1.3/pixel/track/"
  static let batchEndpoint = "https://business-api.tiktok.com/open_api/v1.3/pixel/batch/"

  /// §6.1, in mapping order.
  static let mapping = CompiledMapping([
    FieldMapping("event_id", ["properties.eventId", "properties.event_id", "messageId"]),
    FieldMapping("timestamp", ["timestamp"]),  // raw copy, no fallback to originalTimestamp (Test 10)
    FieldMapping("test_event_code", ["properties.testEventCode"]),
    FieldMapping("properties.contents", ["properties.contents"]),
    FieldMapping("properties.content_category", ["properties.category"]),
    FieldMapping("properties.status", ["properties.status"]),
    FieldMapping("properties.content_name", ["properties.name"]),
    FieldMapping("properties.content_id", ["properties.product_id", "properties.productId"], [.toString]),
    FieldMapping("properties.shop_id", ["properties.shop_id", "properties.shopId"], [.toString]),
    FieldMapping("properties.order_id", ["properties.order_id", "properties.orderId"], [.toString]),
    FieldMapping("properties.content_type", ["properties.contentType", "properties.content_type"]),
    FieldMapping("properties.currency", ["properties.currency"]),
    FieldMapping("properties.value", ["properties.value"]),
    FieldMapping("properties.description", ["properties.description"]),
    FieldMapping("properties.query", ["properties.query"]),
    FieldMapping("context.ad", ["properties.context.ad", "context.ad"]),
    FieldMapping("context.ad.callback", ["properties.clickId"]),  // overrides any callback already there
    FieldMapping("context.page", ["properties.context.page", "context.page"]),
    FieldMapping("context.user", ["properties.context.user"]),  // whole object, all keys passed through
    FieldMapping("context.ip", ["context.ip", "request_ip"]),
    FieldMapping("context.user_agent", ["context.userAgent"]),
  ])

  private static let productsPath = FieldPath("properties.products")
  private static let contentTypeCamel = FieldPath("properties.contentType")
  private static let contentTypeSnake = FieldPath("properties.content_type")

  /// The request bodies (`body.JSON`) of one message, one per target event name.
  ///
  /// Q1: `context.user` is the message's own `properties.context.user` object in upstream, shared by every target's
  /// payload and mutated in place by hashing. With N targets and hashing on, email and phone are hashed N times
  /// and every request shows that final state. This reproduces it by threading the shared object through the
  /// targets and writing its final state into every body.
  static func payloads(
    message: JSONValue, config: DestinationConfig, events: [JSONValue]
  ) throws(TransformError) -> [JSONObject] {
    let sharesUserObject: Bool = {
      if case .object? = message.value(at: KnownPath.propertiesContextUser) { return true }
      return false
    }()
    var sharedUser: JSONValue? = nil
    var bodies: [JSONObject] = []
    bodies.reserveCapacity(events.count)
    for event in events {
      var payload = mapping.construct(message)
      if sharesUserObject, let state = sharedUser { payload.set(state, at: userPath) }
      try processContents(&payload, message: message)
      try applyUserFields(&payload, message: message, config: config)
      if sharesUserObject { sharedUser = payload.value(at: userPath) }
      guard case .object(let fields) = payload else { continue }
      var body = JSONObject(minimumCapacity: fields.count + 3)
      body.appendUnchecked("pixel_code", config.pixelCode ?? .null)
      body.appendUnchecked("event", event)
      for e in fields { body.appendUnchecked(e.key, e.value) }
      body.appendUnchecked("partner_name", "RudderStack")
      bodies.append(body.removingNulls())
    }
    if sharesUserObject, events.count > 1, let finalUser = sharedUser {
      // Q1: every request body holds the one shared object, so all show its last state.
      bodies = bodies.map { body in
        var v = JSONValue.object(body)
        v.set(finalUser, at: userPath)
        return v.objectValue ?? body
      }
    }
    return bodies
  }

  // MARK: §6.2 contents

  private static func processContents(_ payload: inout JSONValue, message: JSONValue) throws(TransformError) {
    guard case .object(var properties)? = payload["properties"] else {
      return  // Q9: without any mapped property, products are ignored and no `properties` key is sent
    }
    let products = message.value(at: productsPath)
    guard properties["contents"] != nil || products.isTruthy else { return }
    // 1. A non-array `contents` is wrapped.
    if let contents = properties["contents"], contents.arrayValue == nil {
      properties["contents"] = .array([contents])
    }
    // 2. Build from products when there are no contents.
    if !properties["contents"].isTruthy && products.isTruthy {
      properties["contents"] = .array(try contentsFromProducts(products, message: message))
    }
    // 3. Default content_type: properties.contentType, else "product_group" (Q10: snake case not used here).
    if case .array(var items)? = properties["contents"] {
      // R9: `properties.contentType || "product_group"`: a present but falsy contentType falls back too.
      let camel = message.value(at: contentTypeCamel)
      let fallback: JSONValue = camel.isTruthy ? (camel ?? .null) : "product_group"
      for i in items.indices {
        switch items[i] {
        case .object(var item):
          if !item["content_type"].isTruthy {
            item["content_type"] = fallback
            items[i] = .object(item)
          }
        case .null:
          // R11: upstream reads `content.content_type` first, and V8 says so.
          throw .runtime("Cannot read properties of null (reading 'content_type')")
        default:
          break  // a property set on a primitive is lost, as in JavaScript
        }
      }
      properties["contents"] = .array(items)
    }
    payload.modifyObject { $0["properties"] = .object(properties) }
  }

  /// §6.2 step 2: each product becomes a contents item. Q8: a missing `product_id` gives `"undefined"`.
  /// Q10: a product's own snake-case `content_type` is ignored.
  private static func contentsFromProducts(_ products: JSONValue?, message: JSONValue) throws(TransformError)
    -> [JSONValue]
  {
    guard case .array(let list)? = products else { return [] }  // a non-array `products` gives []
    let propertyType = message.value(at: contentTypeCamel)
    let propertySnakeType = message.value(at: contentTypeSnake)
    var out: [JSONValue] = []
    out.reserveCapacity(list.count)
    for product in list {
      if product.isNull {
        throw .runtime("Cannot read properties of null (reading 'contentType')")
      }
      let p = product.objectValue ?? JSONObject()
      var item = JSONObject(minimumCapacity: 8)
      let candidates: [JSONValue?] = [p["contentType"], propertyType, propertySnakeType]
      let type: JSONValue = candidates.first(where: { $0.isTruthy }).flatMap { $0 } ?? "product"
      item.appendUnchecked("content_type", type)
      item.appendUnchecked("content_id", .string(p["product_id"]?.jsString ?? "undefined"))
      for (from, to) in productFields {
        if let v = p[from], !v.isNull { item.appendUnchecked(to, v) }
      }
      out.append(.object(item))
    }
    return out
  }

  static let productFields: [(String, String)] = [
    ("category", "content_category"), ("name", "content_name"), ("price", "price"), ("quantity", "quantity"),
    ("description", "description"), ("brand", "brand"),
  ]

  // MARK: §6.3 and §6.4 user fields

  private static func applyUserFields(
    _ payload: inout JSONValue, message: JSONValue, config: DestinationConfig
  ) throws(TransformError) {
    let original = payload.value(at: userPath)
    var user = original?.objectValue
    // Properties assigned to a truthy primitive or an array are lost, as in JavaScript; a falsy value is replaced.
    let canAssign = user != nil || !original.isTruthy
    var changed = false
    func assign(_ key: String, _ value: JSONValue) {
      guard canAssign else { return }
      changed = true
      var object = user ?? JSONObject()
      object[key] = value
      user = object
    }
    // 1. External id: a non-empty string or array; Q5: a number is dropped.
    if let externalId = ExternalID.tiktok(in: message), externalId.isDefinedAndNotNullAndNotEmpty {
      assign("external_id", externalId)
    }
    // 2. Email and phone fall back to the traits; Q5: a numeric phone counts as empty and is replaced.
    let traits = message.firstPresent(GenericSources.traitsPaths)
    if !(user?["email"].isDefinedAndNotNullAndNotEmpty ?? false), let email = traits?["email"], email.isTruthy {
      assign("email", email)
    }
    if !(user?["phone_number"].isDefinedAndNotNullAndNotEmpty ?? false), let phone = traits?["phone"],
      phone.isTruthy
    {
      assign("phone_number", phone)
    }
    // §6.4: hashing. Q4: already-hashed values are hashed again.
    if config.hashUserProperties, var u = user {
      if let id = u["external_id"], id.isDefinedAndNotNullAndNotEmpty {
        u["external_id"] = .string(try UpstreamHash.utf8(try jsTrim(id, "external_id")))
      }
      if let email = u["email"], email.isDefinedAndNotNullAndNotEmpty {
        u["email"] = .string(try UpstreamHash.utf8(try jsTrim(email, "email").jsLowercased))
      }
      // Q5: a numeric phone is neither hashed nor removed.
      if let phone = u["phone_number"], phone.isDefinedAndNotNullAndNotEmpty {
        u["phone_number"] = .string(try UpstreamHash.utf8(try jsTrim(phone, "phone_number")))
      }
      user = u
      changed = true
    }
    if changed, let user { payload.set(.object(user), at: userPath) }
  }

  private static let userPath = FieldPath("context.user")

  /// `value.trim()`; Q21: on an array or object this throws in upstream (`external_id.trim is not a function`).
  private static func jsTrim(_ value: JSONValue, _ field: String) throws(TransformError) -> String {
    guard case .string(let s) = value else { throw .runtime("\(field).trim is not a function") }
    return s.jsTrimmed
  }
}

/// `context.externalId` lookup shared by both versions.
enum ExternalID {
  /// The `id` of the first `context.externalId` entry whose `type` is `tiktokExternalId`.
  static func tiktok(in message: JSONValue) -> JSONValue? {
    guard case .array(let ids)? = message["context"]?["externalId"] else { return nil }
    for entry in ids where entry["type"] == .string("tiktokExternalId") {
      return entry["id"]
    }
    return nil
  }
}
