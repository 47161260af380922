import JSON

/// Events 2.0 (spec §7): one `event/track` request object per message, one `data[]` entry per target event.
enum EventsV2 {
  static let endpoint = "https://business-api.tiktok.com/open_api/v1.3/event/track/"

  /// §7.1, in mapping order (`event` is set last, after hashing).
  static let mapping = CompiledMapping([
    FieldMapping("event_id", ["properties.eventId", "properties.event_id", "messageId"]),
    FieldMapping("event_time", GenericSources.timestamp, [.secondTimestamp]),
    FieldMapping("limited_data_use", ["properties.limited_data_use"]),
    FieldMapping("properties.contents", ["properties.contents"]),
    FieldMapping("properties.content_type", ["properties.contentType", "properties.content_type"]),
    FieldMapping("properties.search_string", ["properties.query"]),
    FieldMapping("properties.shop_id", ["properties.shop_id", "properties.shopId"], [.toString]),
    FieldMapping("properties.order_id", ["properties.order_id", "properties.orderId"], [.toString]),
    FieldMapping("properties.currency", ["properties.currency"]),
    FieldMapping("properties.value", ["properties.value"]),
    FieldMapping("properties.description", ["properties.description"]),
    FieldMapping("properties.query", ["properties.query"]),
    FieldMapping("page.url", ["properties.context.page.url", "properties.url", "context.page.url"]),
    FieldMapping(
      "page.referrer", ["properties.context.page.referrer", "properties.referrer", "context.page.referrer"]),
    FieldMapping("user.locale", ["properties.context.user.locale", "context.locale"]),
    FieldMapping("user.ttclid", ["properties.ttclid"]),
    FieldMapping("user.ttp", ["properties.context.user.ttp", "properties.ttp"]),
    // Always trimmed (strings only), then lowercased, even without hashing; Q6: an array becomes one comma-joined
    // string, untrimmed.
    FieldMapping(
      "user.email",
      [
        "properties.context.user.email", "context.user.email", "traits.email", "context.traits.email",
        "properties.email",
      ],
      [.trim, .toLower]),
    FieldMapping(
      "user.phone", ["properties.context.user.phone", "traits.phone", "context.traits.phone", "properties.phone"]),
    FieldMapping("user.ip", ["properties.context.user.ip", "context.ip", "request_ip"]),
    FieldMapping("user.user_agent", ["properties.context.user.userAgent", "context.userAgent"]),
    FieldMapping("user.first_name", GenericSources.firstName, [.trim, .toLower, .hashToSha256]),  // always hashed
    FieldMapping("user.last_name", GenericSources.lastName, [.trim, .toLower, .hashToSha256]),  // always hashed
    FieldMapping("user.city", ["context.traits.city", "context.traits.address.city", "properties.city"]),
    FieldMapping("user.country", ["context.traits.country", "context.traits.address.country", "properties.country"]),
    FieldMapping("user.state", ["context.traits.address.state", "context.traits.state", "properties.state"]),
    FieldMapping("user.zip_code", GenericSources.zipcode, [.removeSpacesAndDashes, .hashToSha256]),  // always hashed
    FieldMapping("user.idfa", ["context.device.advertisingId"], [.trim]),
    FieldMapping("user.idfv", ["context.device.id"]),
    FieldMapping("user.gaid", ["context.device.advertisingId"], [.trim, .toLower]),
    FieldMapping(
      "user.att_status", ["properties.att_status"],
      [.allowedKeyCheck(["AUTHORIZED", "DENIED", "NOT_DETERMINED", "RESTRICTED", "NOT_APPLICABLE"])]),
    FieldMapping("app.app_id", ["properties.appId", "properties.app_id", "context.app.namespace"]),
    FieldMapping("app.app_name", ["properties.appName", "properties.app_name", "context.app.name"]),
    FieldMapping("app.app_version", ["properties.appVersion", "properties.app_version", "context.app.version"]),
    FieldMapping("ad.callback", ["properties.callBack"]),  // capital B; clickId is not used in v2
    FieldMapping("ad.campaign_id", ["properties.campaignId", "properties.campaign_id"]),
    FieldMapping("ad.ad_id", ["properties.adId", "properties.ad_id"]),
    FieldMapping("ad.creative_id", ["properties.creativeId", "properties.creative_id"]),
    FieldMapping("ad.is_retargeting", ["properties.isRetargeting", "properties.is_retargeting"]),
    FieldMapping("ad.attributed", ["properties.attributed"]),
    FieldMapping("ad.attribution_type", ["properties.attributionType", "properties.attribution_type"]),
    FieldMapping("ad.attribution_provider", ["properties.attributionProvider", "properties.attribution_provider"]),
    FieldMapping("lead.lead_id", ["properties.leadId", "properties.lead_id"]),
    FieldMapping("lead.lead_event_source", ["properties.leadEventSource", "properties.lead_event_source"]),
  ])

  /// §7.3: events that get `properties.content_type = "product"` by default (case-sensitive).
  static let productEvents: Set<String> = ["AddToCart", "CompletePayment", "PlaceAnOrder", "ViewContent"]
  static let eventSources: Set<String> = ["web", "app", "offline", "crm"]
  private static let appleFamily: Set<String> = ["ios", "watchos", "ipados", "tvos"]

  /// The request body (`body.JSON`) of one message: one `data[]` entry per target event.
  static func body(
    message: JSONRef, config: DestinationConfig, events: [JSONValue], trace: TransformTrace? = nil
  ) throws(TransformError) -> PayloadBuilder {
    var data: [PayloadBuilder] = []
    data.reserveCapacity(events.count)
    for (target, event) in events.enumerated() {
      data.append(try entry(message: message, config: config, event: event, trace: trace, target: target))
    }
    var body = PayloadBuilder()
    body.appendUnchecked("event_source", .string(eventSource(of: message, trace: trace)))
    body.appendUnchecked("event_source_id", config.pixelCodeRef)
    body.appendUnchecked("partner_name", "RudderStack")
    // §7.5: test_event_code is copied raw and not cleaned; Q11: "" and null reach the body.
    if let code = message["properties"]?["testEventCode"] {
      body.appendUnchecked("test_event_code", code)
      if let trace {
        let rules: [SpecRule] = code.isTruthy ? [] : [.q11]
        trace.field(
          .init(target: nil, path: ["test_event_code"]), from: .input(["message", "properties", "testEventCode"]),
          rules: rules)
        trace.hit(.field(true, "test_event_code", "properties.testEventCode"))
        if !rules.isEmpty { trace.hit(.rule(.q11)) }
      }
    }
    body.appendUnchecked("data", data)
    if let trace {
      trace.field(.init(target: nil, path: ["event_source_id"]), from: .input(["destination", "Config", "pixelCode"]))
      trace.field(.init(target: nil, path: ["partner_name"]), from: .constant("always RudderStack"))
      trace.hit(.field(true, "event_source_id", "Config.pixelCode"))
    }
    return body
  }

  /// §7.5: `properties.eventSource`, else `properties.event_source`, if valid; else `web`. `channel` is not used.
  static func eventSource(of message: JSONRef, trace: TransformTrace? = nil) -> String {
    let place = TransformTrace.Place(target: nil, path: ["event_source"])
    for key in ["eventSource", "event_source"] {
      trace?.read(["message", "properties", key])
      if let s = message["properties"]?[key]?.stringValue, eventSources.contains(s) {
        trace?.field(place, from: .input(["message", "properties", key]))
        trace?.hit(.field(true, "event_source", "properties.\(key)"))
        return s
      }
    }
    trace?.field(place, from: .constant("default \"web\" (no valid eventSource or event_source)"))
    trace?.hit(.field(true, "event_source", "default web"))
    return "web"
  }

  private static func entry(
    message: JSONRef, config: DestinationConfig, event: JSONValue, trace: TransformTrace?, target: Int
  ) throws(TransformError) -> PayloadBuilder {
    var payload = mapping.construct(message, trace: trace, target: target, isV2: true)
    guard payload.has("event_time") else {
      // §3 rule 8 (Q7): no parseable timestamp.
      throw trace.failing(
        .instrumentation("Missing required value from \"timestamp\""), Check.timestampMissing,
        at: ["message", "timestamp"], isV2: true)
    }
    try processContents(&payload, message: message, trace: trace, target: target)
    // §7.3: default content_type for product events, creating `properties` if needed.
    if case .string(let name) = event, productEvents.contains(name),
      payload.value(at: KnownPath.propertiesContentType) == nil
    {
      payload.set("product", at: KnownPath.propertiesContentType)
      trace?.field(
        .init(target: target, path: ["properties", "content_type"]),
        from: .constant("default \"product\" for \(name) (§7.3)"))
      trace?.hit(.field(true, "properties.content_type", "default product (§7.3)"))
    }
    // §7.4 step 1: external id; Q5: a number is dropped.
    if let (externalId, at) = ExternalID.tiktok(in: message) {
      trace?.read(at)
      if externalId.isDefinedAndNotNullAndNotEmpty {
        payload.set(externalId, at: KnownPath.userExternalId)
        trace?.field(.init(target: target, path: ["user", "external_id"]), from: .input(at))
        trace?.hit(.field(true, "user.external_id", "context.externalId[type tiktokExternalId].id"))
      } else if externalId.isNumber {
        trace?.eventRule(.q5)
        trace?.hit(.rule(.q5))
      }
    }
    // §7.4 step 2: hashing on a copy of `user`.
    if config.hashUserProperties, case .object(let user)? = payload["user"], !user.isEmpty {
      payload.set(.object(try hashUser(user, trace: trace, target: target)), at: KnownPath.user)
    }
    try pruneDeviceIds(&payload, message: message, trace: trace, target: target)
    payload.set(event, at: KnownPath.event)
    return payload  // its `null` members dropped when written (upstream's top-level cleaning)
  }

  /// §7.4 step 3: device-id pruning by OS (a `null` name is skipped like an absent one).
  private static func pruneDeviceIds(
    _ payload: inout PayloadBuilder, message: JSONRef, trace: TransformTrace?, target: Int
  ) throws(TransformError) {
    guard let osName = message["context"]?["os"]?["name"], !osName.isNull, case .object(var user)? = payload["user"]
    else { return }
    trace?.read(["message", "context", "os", "name"])
    // R8: upstream lowercases the name, which throws for anything but a string.
    guard let name = osName.stringValue else {
      trace?.eventRule(.r8)
      throw trace.failing(
        .runtime("os.toLowerCase is not a function"), Check.osNameNotString, at: ["message", "context", "os", "name"],
        isV2: true)
    }
    let os = name.jsLowercased
    var removed: [String] = []
    var family = ""
    if appleFamily.contains(os) {
      removed = ["gaid"]
      family = "an Apple OS"
    } else if os == "android" {
      removed = ["idfa", "idfv"]
      family = "Android"
    }
    for key in removed where user.removeValue(forKey: key) != nil {
      trace?.remove(.init(target: target, path: ["user", key]))
      trace?.hit(.field(true, "user.\(key)", "removed for \(family) (§7.4)"))
    }
    payload.set(.object(user), at: KnownPath.user)
  }

  // MARK: §7.2 contents, contents_ids, num_items

  private static func processContents(
    _ payload: inout PayloadBuilder, message: JSONRef, trace: TransformTrace?, target: Int
  ) throws(TransformError) {
    // A copied array (the usual case) stays on the message's tape: nothing wraps or replaces an array, and its ids
    // are read there.
    if let copied = payload.ref(at: KnownPath.propertiesContents), copied.isArray {
      var ids: [JSONValue] = []
      for (i, item) in copied.elements.enumerated() {
        if item.isNull { throw nullContentsItem(i, trace: trace) }
        if let id = item["content_id"], id.isTruthy {
          appendId(id.value, item: i, to: &ids, trace: trace, target: target)
        }
      }
      setIds(ids, in: &payload, trace: trace, target: target)
      return
    }
    var contents = payload.value(at: KnownPath.propertiesContents)
    if let c = contents, c.arrayValue == nil {
      contents = .array([c])  // Test 43: an object is wrapped
      trace?.step(.init(target: target, path: ["properties", "contents"]), "wrapped in an array (§7.2 step 1)")
      trace?.hit(.field(true, "properties.contents", "properties.contents (wrapped)"))
    }
    let products = message["properties"]?["products"]
    if !contents.isTruthy && products.isTruthy {
      // Unlike v1, this creates `properties` if needed; items get no content_type (Test 42).
      contents = .array(try contentsFromProducts(products, trace: trace, target: target))
      trace?.field(
        .init(target: target, path: ["properties", "contents"]), from: .input(["message", "properties", "products"]),
        steps: ["built from products (§7.2)"])
    }
    guard let contents else { return }
    payload.set(contents, at: KnownPath.propertiesContents)
    guard case .array(let items) = contents, !items.isEmpty else { return }
    var ids: [JSONValue] = []
    for (i, item) in items.enumerated() {
      if item.isNull { throw nullContentsItem(i, trace: trace) }
      if let id = item["content_id"], id.isTruthy { appendId(id, item: i, to: &ids, trace: trace, target: target) }
    }
    setIds(ids, in: &payload, trace: trace, target: target)
  }

  /// R11-like: upstream reads `content.content_id` of a `null` contents item.
  private static func nullContentsItem(_ i: Int, trace: TransformTrace?) -> TransformError {
    trace.failing(
      .runtime("Cannot read properties of null (reading 'content_id')"), Check.nullContentsItem,
      at: ["message", "properties", "contents", String(i)], isV2: true)
  }

  private static func appendId(
    _ id: JSONValue, item i: Int, to ids: inout [JSONValue], trace: TransformTrace?, target: Int
  ) {
    trace?.field(
      .init(target: target, path: ["properties", "contents_ids", String(ids.count)]),
      from: .constant("properties.contents[\(i)].content_id (§7.2 step 3)"))
    ids.append(id)
  }

  /// §7.2 step 3: `contents_ids` and `num_items`, when some item has a truthy `content_id`.
  private static func setIds(_ ids: [JSONValue], in payload: inout PayloadBuilder, trace: TransformTrace?, target: Int)
  {
    if !ids.isEmpty {
      payload.set(.array(ids), at: KnownPath.propertiesContentsIds)
      payload.set(.int(Int64(ids.count)), at: KnownPath.propertiesNumItems)
      trace?.field(
        .init(target: target, path: ["properties", "num_items"]), from: .constant("the count of contents_ids (§7.2)"))
      trace?.hit(.field(true, "properties.contents_ids, num_items", "properties.contents[].content_id"))
    }
  }

  /// Q8: a missing `product_id` gives `"undefined"`.
  /// - Throws: a `null` product, whose `product_id` upstream reads.
  private static func contentsFromProducts(_ products: JSONRef?, trace: TransformTrace?, target: Int)
    throws(TransformError) -> [JSONValue]
  {
    guard let list = products, list.isArray else {
      trace?.read(["message", "properties", "products"])  // a non-array gives no contents
      return []
    }
    var out: [JSONValue] = []
    out.reserveCapacity(list.count)
    for (i, product) in list.elements.enumerated() {
      if product.isNull {
        throw trace.failing(
          .runtime("Cannot read properties of null (reading 'product_id')"), Check.nullProduct,
          at: ["message", "properties", "products", String(i)], isV2: true)
      }
      // A product that is not an object has none of the members read here.
      if !product.isObject { trace?.read(["message", "properties", "products", String(i)]) }
      var item = JSONObject(minimumCapacity: 7)
      item.appendUnchecked("content_id", .string(product["product_id"]?.jsString ?? "undefined"))
      for (from, to) in EventsV1.productFields {
        if let v = product[from], !v.isNull { item.appendUnchecked(to, v.value) }
      }
      out.append(.object(item))
      if let trace {
        ProductLineage.trace(trace, product: product, index: i, target: target, isV2: true, contentType: nil)
      }
    }
    return out
  }

  // MARK: §7.4 step 2 hashing

  private static func hashUser(_ user: JSONObject, trace: TransformTrace?, target: Int) throws(TransformError)
    -> JSONObject
  {
    var u = user
    func hash(_ v: JSONValue, _ key: String) -> JSONValue {
      let text = v.jsString.jsTrimmed
      if let trace {
        let place = TransformTrace.Place(target: target, path: ["user", key])
        trace.step(place, "trim")
        trace.step(place, "sha256 (UTF-16 low bytes)", rules: HashLineage.rules(hashing: text, utf16LowBytes: true))
        for rule in HashLineage.rules(hashing: text, utf16LowBytes: true) { trace.hit(.rule(rule)) }
        trace.hit(.field(true, "hash user.\(key)", "sha256 (UTF-16 low bytes)"))
      }
      return .string(UpstreamHash.utf16LowBytes(text))
    }
    /// An array is hashed element by element; upstream calls `toString()` on each, which throws for `null`.
    func hashEach(_ v: JSONValue, _ key: String) throws(TransformError) -> JSONValue {
      guard case .array(let items) = v else { return hash(v, key) }
      var out: [JSONValue] = []
      out.reserveCapacity(items.count)
      for (i, item) in items.enumerated() {
        if item.isNull {
          throw trace.failing(
            .runtime("Cannot read properties of null (reading 'toString')"), Check.nullHashElement,
            at: ["user", key, String(i)], isV2: true)
        }
        out.append(hash(item, key))
      }
      return .array(out)
    }
    if let id = u["external_id"], id.isTruthy { u["external_id"] = try hashEach(id, "external_id") }
    if let email = u["email"], email.hasPositiveLength { u["email"] = hash(email, "email") }
    // Q5: a numeric phone has no length and is sent raw and unhashed.
    if let phone = u["phone"] {
      if phone.hasPositiveLength {
        u["phone"] = try hashEach(phone, "phone")
      } else if phone.isNumber, let trace {
        trace.rule(.init(target: target, path: ["user", "phone"]), .q5)
        trace.hit(.rule(.q5))
      }
    }
    if let idfa = u["idfa"], idfa.isTruthy { u["idfa"] = hash(idfa, "idfa") }
    if let gaid = u["gaid"], gaid.isTruthy { u["gaid"] = hash(gaid, "gaid") }
    return u
  }
}

extension JSONValue {
  /// JavaScript `v && v.length > 0`: strings and arrays with elements.
  fileprivate var hasPositiveLength: Bool {
    switch self {
    case .string(let s): return !s.isEmpty
    case .array(let a): return !a.isEmpty
    default: return false
    }
  }
}
