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
  private static let propertiesPath = FieldPath("properties")
  private static let contentTypeCamel = FieldPath("properties.contentType")
  private static let contentTypeSnake = FieldPath("properties.content_type")

  /// The request bodies (`body.JSON`) of one message, one per target event name.
  ///
  /// Q1: `context.user` is the message's own `properties.context.user` object in upstream, shared by every target's
  /// payload and mutated in place by hashing. With N targets and hashing on, email and phone are hashed N times
  /// and every request shows that final state. This reproduces it by threading the shared object through the
  /// targets and writing its final state into every body.
  static func payloads(
    message: JSONRef, config: DestinationConfig, events: [JSONValue], trace: TransformTrace? = nil
  ) throws(TransformError) -> [PayloadBuilder] {
    let sharesUserObject = message.value(at: KnownPath.propertiesContextUser)?.isObject ?? false
    var sharedUser: JSONValue? = nil
    var bodies: [PayloadBuilder] = []
    bodies.reserveCapacity(events.count)
    for (target, event) in events.enumerated() {
      var payload = mapping.construct(message, trace: trace, target: target, isV2: false)
      if sharesUserObject, let state = sharedUser { payload.set(state, at: userPath) }
      try processContents(&payload, message: message, trace: trace, target: target)
      try applyUserFields(&payload, message: message, config: config, trace: trace, target: target)
      if sharesUserObject { sharedUser = payload.value(at: userPath) }
      // The payload drops its `null` members when written (upstream's top-level cleaning).
      payload.prependUnchecked("event", event)
      payload.prependUnchecked("pixel_code", config.pixelCodeRef)
      payload.appendUnchecked("partner_name", "RudderStack")
      bodies.append(payload)
      if let trace {
        trace.field(.init(target: target, path: ["pixel_code"]), from: .input(["destination", "Config", "pixelCode"]))
        trace.field(.init(target: target, path: ["partner_name"]), from: .constant("always RudderStack"))
        trace.hit(.field(false, "pixel_code", "Config.pixelCode"))
      }
    }
    if sharesUserObject, events.count > 1, let finalUser = sharedUser {
      // Q1: every request body holds the one shared object, so all show its last state.
      for i in bodies.indices { bodies[i].set(finalUser, at: userPath) }
      if let trace, config.hashUserProperties {
        trace.eventRule(.q1)
        trace.hit(.rule(.q1))
        for target in events.indices {
          for key in ["email", "phone_number"] {
            trace.rule(.init(target: target, path: ["context", "user", key]), .q1)
          }
        }
      }
    }
    return bodies
  }

  // MARK: §6.2 contents

  private static func processContents(
    _ payload: inout PayloadBuilder, message: JSONRef, trace: TransformTrace?, target: Int
  ) throws(TransformError) {
    let products = message.value(at: productsPath)
    // Only `properties.contents` is read and written back; the other properties stay as the mapping set them.
    guard payload.isObject(at: propertiesPath) else {
      // Q9: without any mapped property, products are ignored and no `properties` key is sent.
      if products.isTruthy {
        trace?.eventRule(.q9)
        trace?.hit(.rule(.q9))
      }
      return
    }
    if let copied = payload.ref(at: KnownPath.propertiesContents), copied.isArray,
      copied.elements.allSatisfy({ !$0.isNull && (!$0.isObject || $0["content_type"].isTruthy) })
    {
      // A copied array whose items all keep their content_type (the usual case) stays on the message's tape:
      // steps 1 and 2 do not apply to an array, and step 3 changes none of its items.
      return
    }
    var contents = payload.value(at: KnownPath.propertiesContents)
    guard contents != nil || products.isTruthy else { return }
    let contentsPlace = TransformTrace.Place(target: target, path: ["properties", "contents"])
    // 1. A non-array `contents` is wrapped.
    if let c = contents, c.arrayValue == nil {
      contents = .array([c])
      trace?.step(contentsPlace, "wrapped in an array (§6.2 step 1)")
      trace?.hit(.field(false, "properties.contents", "properties.contents (wrapped)"))
    }
    // 2. Build from products when there are no contents.
    if !contents.isTruthy && products.isTruthy {
      contents = .array(
        try contentsFromProducts(products, message: message, trace: trace, target: target))
      trace?.field(
        contentsPlace, from: .input(["message", "properties", "products"]), steps: ["built from products (§6.2)"])
    }
    // 3. Default content_type: properties.contentType, else "product_group" (Q10: snake case not used here).
    if case .array(var items)? = contents {
      // R9: `properties.contentType || "product_group"`: a present but falsy contentType falls back too.
      let camel = message.value(at: contentTypeCamel)
      let fallback: JSONValue = camel.isTruthy ? (camel?.value ?? .null) : "product_group"
      for i in items.indices {
        switch items[i] {
        case .object(var item):
          if !item["content_type"].isTruthy {
            item["content_type"] = fallback
            items[i] = .object(item)
            if let trace { traceContentTypeDefault(trace, target: target, item: i, camel: camel) }
          }
        case .null:
          // R11: upstream reads `content.content_type` first, and V8 says so.
          throw trace.failing(
            .runtime("Cannot read properties of null (reading 'content_type')"), Check.nullContentsItem,
            at: ["message", "properties", "contents", String(i)], isV2: false)
        default:
          break  // a property set on a primitive is lost, as in JavaScript
        }
      }
      contents = .array(items)
    }
    if let contents { payload.set(contents, at: KnownPath.propertiesContents) }
  }

  private static func traceContentTypeDefault(_ trace: TransformTrace, target: Int, item: Int, camel: JSONRef?) {
    let place = TransformTrace.Place(target: target, path: ["properties", "contents", String(item), "content_type"])
    if camel.isTruthy {
      trace.field(place, from: .input(["message", "properties", "contentType"]), rules: [.q10])
      trace.hit(.field(false, "properties.contents[].content_type", "properties.contentType"))
    } else {
      trace.field(
        place, from: .constant("default \"product_group\" (§6.2 step 3)"), rules: camel == nil ? [.q10] : [.r9])
      trace.hit(.field(false, "properties.contents[].content_type", "default product_group"))
      if camel != nil { trace.hit(.rule(.r9)) }
    }
    trace.hit(.rule(.q10))
  }

  /// §6.2 step 2: each product becomes a contents item. Q8: a missing `product_id` gives `"undefined"`.
  /// Q10: a product's own snake-case `content_type` is ignored.
  private static func contentsFromProducts(
    _ products: JSONRef?, message: JSONRef, trace: TransformTrace?, target: Int
  ) throws(TransformError) -> [JSONValue] {
    guard let list = products, list.isArray else {
      trace?.read(["message", "properties", "products"])  // a non-array gives no contents
      return []
    }  // a non-array `products` gives []
    let propertyType = message.value(at: contentTypeCamel)
    let propertySnakeType = message.value(at: contentTypeSnake)
    var out: [JSONValue] = []
    out.reserveCapacity(list.count)
    for (i, product) in list.elements.enumerated() {
      if product.isNull {
        throw trace.failing(
          .runtime("Cannot read properties of null (reading 'contentType')"), Check.nullProduct,
          at: ["message", "properties", "products", String(i)], isV2: false)
      }
      // A product that is not an object has none of the members read here.
      if !product.isObject { trace?.read(["message", "properties", "products", String(i)]) }
      var item = JSONObject(minimumCapacity: 8)
      let candidates: [(JSONRef?, [String])] = [
        (product["contentType"], ["message", "properties", "products", String(i), "contentType"]),
        (propertyType, ["message", "properties", "contentType"]),
        (propertySnakeType, ["message", "properties", "content_type"]),
      ]
      let chosen = candidates.first(where: { $0.0.isTruthy })
      item.appendUnchecked("content_type", chosen?.0?.value ?? "product")
      item.appendUnchecked("content_id", .string(product["product_id"]?.jsString ?? "undefined"))
      for (from, to) in productFields {
        if let v = product[from], !v.isNull { item.appendUnchecked(to, v.value) }
      }
      out.append(.object(item))
      if let trace {
        ProductLineage.trace(
          trace, product: product, index: i, target: target, isV2: false,
          contentType: chosen.map { .input($0.1) } ?? .constant("default \"product\" (§6.2 step 2)"))
      }
    }
    return out
  }

  static let productFields: [(String, String)] = [
    ("category", "content_category"), ("name", "content_name"), ("price", "price"), ("quantity", "quantity"),
    ("description", "description"), ("brand", "brand"),
  ]

  // MARK: §6.3 and §6.4 user fields

  private static func applyUserFields(
    _ payload: inout PayloadBuilder, message: JSONRef, config: DestinationConfig, trace: TransformTrace?, target: Int
  ) throws(TransformError) {
    let original = payload.value(at: userPath)
    var user = original?.objectValue
    // Properties assigned to a truthy primitive or an array are lost, as in JavaScript; a falsy value is replaced.
    let canAssign = user != nil || !original.isTruthy
    var changed = false
    func place(_ key: String) -> TransformTrace.Place { .init(target: target, path: ["context", "user", key]) }
    func assign(_ key: String, _ value: JSONValue, from source: [String]) {
      guard canAssign else { return }
      changed = true
      var object = user ?? JSONObject()
      object[key] = value
      user = object
      trace?.field(place(key), from: .input(source))
    }
    // 1. External id: a non-empty string or array; Q5: a number is dropped.
    if let (externalId, at) = ExternalID.tiktok(in: message) {
      trace?.read(at)
      if externalId.isDefinedAndNotNullAndNotEmpty {
        assign("external_id", externalId.value, from: at)
        trace?.hit(.field(false, "context.user.external_id", "context.externalId[type tiktokExternalId].id"))
      } else if externalId.isNumber {
        trace?.eventRule(.q5)
        trace?.hit(.rule(.q5))
      }
    }
    // 2. Email and phone fall back to the traits; Q5: a numeric phone counts as empty and is replaced.
    let traitsIndex = GenericSources.traitsPaths.firstIndex { message.value(at: $0).isTruthy }
    let traits = traitsIndex.flatMap { message.value(at: GenericSources.traitsPaths[$0]) }
    let traitsPath = traitsIndex.map { TransformTrace.messagePath(GenericSources.traitsPaths[$0]) } ?? []
    if !(user?["email"].isDefinedAndNotNullAndNotEmpty ?? false), let email = traits?["email"], email.isTruthy {
      assign("email", email.value, from: traitsPath + ["email"])
      trace?.hit(.field(false, "context.user.email", GenericSources.traits[traitsIndex ?? 0] + ".email"))
    }
    if !(user?["phone_number"].isDefinedAndNotNullAndNotEmpty ?? false), let phone = traits?["phone"],
      phone.isTruthy
    {
      if user?["phone_number"]?.isNumber ?? false { trace?.eventRule(.q5) }
      assign("phone_number", phone.value, from: traitsPath + ["phone"])
      trace?.hit(.field(false, "context.user.phone_number", GenericSources.traits[traitsIndex ?? 0] + ".phone"))
    }
    // §6.4: hashing. Q4: already-hashed values are hashed again.
    if config.hashUserProperties, var u = user {
      for (key, lowercase) in [("external_id", false), ("email", true), ("phone_number", false)] {
        guard let value = u[key] else { continue }
        // Q5: a numeric phone (or id, or email) counts as empty: neither hashed nor removed.
        guard value.isDefinedAndNotNullAndNotEmpty else {
          if value.isNumber { trace?.rule(place(key), .q5) }
          continue
        }
        let trimmed = try jsTrim(value, key, trace: trace, at: ["context", "user", key])
        let text = lowercase ? trimmed.jsLowercased : trimmed
        do { u[key] = .string(try UpstreamHash.utf8(text)) } catch {
          throw trace.failing(error, Check.loneSurrogate, at: ["context", "user", key], isV2: false)
        }
        if let trace {
          for step in ["trim"] + (lowercase ? ["toLowerCase"] : []) + ["sha256 (UTF-8)"] {
            trace.step(place(key), step)
          }
          for rule in HashLineage.rules(hashing: text, utf16LowBytes: false) + TextRules.lowercase(trimmed) {
            trace.rule(place(key), rule)
            trace.hit(.rule(rule))
          }
          trace.hit(.field(false, "hash context.user.\(key)", "sha256 (UTF-8)"))
        }
      }
      user = u
      changed = true
    }
    if changed, let user { payload.set(.object(user), at: userPath) }
  }

  private static let userPath = FieldPath("context.user")

  /// `value.trim()`; Q21: on an array or object this throws in upstream (`external_id.trim is not a function`).
  private static func jsTrim(_ value: JSONValue, _ field: String, trace: TransformTrace?, at: [String])
    throws(TransformError) -> String
  {
    guard case .string(let s) = value else {
      throw trace.failing(.runtime("\(field).trim is not a function"), Check.notTrimmable, at: at, isV2: false)
    }
    return s.jsTrimmed
  }
}

/// `context.externalId` lookup shared by both versions.
enum ExternalID {
  /// The `id` of the first `context.externalId` entry whose `type` is `tiktokExternalId`, with its input path.
  static func tiktok(in message: JSONRef) -> (JSONRef, [String])? {
    guard let ids = message["context"]?["externalId"], ids.isArray else { return nil }
    for (i, entry) in ids.elements.enumerated() where entry["type"]?.isString("tiktokExternalId") ?? false {
      guard let id = entry["id"] else { return nil }
      return (id, ["message", "context", "externalId", String(i), "id"])
    }
    return nil
  }
}

/// The lineage of contents items built from products (§6.2 step 2, §7.2 step 2).
enum ProductLineage {
  static func trace(
    _ trace: TransformTrace, product: JSONRef, index: Int, target: Int, isV2: Bool,
    contentType: TransformTrace.Source?
  ) {
    let base = ["message", "properties", "products", String(index)]
    func place(_ key: String) -> TransformTrace.Place {
      .init(target: target, path: ["properties", "contents", String(index), key])
    }
    trace.hit(CoverageRow.field(isV2, "properties.contents", "properties.products"))
    if let contentType { trace.field(place("content_type"), from: contentType, rules: [.q10]) }
    if product["product_id"] != nil {
      trace.field(place("content_id"), from: .input(base + ["product_id"]), steps: ["String()"])
    } else {
      trace.field(place("content_id"), from: .constant("String(undefined)"), rules: [.q8])
      trace.eventRule(.q8)
      trace.hit(.rule(.q8))
    }
    for (from, to) in EventsV1.productFields where product[from] != nil && !(product[from]?.isNull ?? true) {
      trace.field(place(to), from: .input(base + [from]))
    }
  }
}
