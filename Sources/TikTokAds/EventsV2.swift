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
  static func body(message: JSONValue, config: DestinationConfig, events: [JSONValue]) throws(TransformError)
    -> JSONObject
  {
    var data: [JSONValue] = []
    data.reserveCapacity(events.count)
    for event in events { data.append(.object(try entry(message: message, config: config, event: event))) }
    var body = JSONObject(minimumCapacity: 5)
    body.appendUnchecked("event_source", .string(eventSource(of: message)))
    body.appendUnchecked("event_source_id", config.pixelCode ?? .null)
    body.appendUnchecked("partner_name", "RudderStack")
    // §7.5: test_event_code is copied raw and not cleaned; Q11: "" and null reach the body.
    if let code = message["properties"]?["testEventCode"] { body.appendUnchecked("test_event_code", code) }
    body.appendUnchecked("data", .array(data))
    return body
  }

  /// §7.5: `properties.eventSource`, else `properties.event_source`, if valid; else `web`. `channel` is not used.
  static func eventSource(of message: JSONValue) -> String {
    for key in ["eventSource", "event_source"] {
      if case .string(let s)? = message["properties"]?[key], eventSources.contains(s) { return s }
    }
    return "web"
  }

  private static func entry(message: JSONValue, config: DestinationConfig, event: JSONValue) throws(TransformError)
    -> JSONObject
  {
    var payload = mapping.construct(message)
    guard payload["event_time"] != nil else {
      // §3 rule 8 (Q7): no parseable timestamp.
      throw .instrumentation("Missing required value from \"timestamp\"")
    }
    try processContents(&payload, message: message)
    // §7.3: default content_type for product events, creating `properties` if needed.
    if case .string(let name) = event, productEvents.contains(name),
      payload.value(at: KnownPath.propertiesContentType) == nil
    {
      payload.set("product", at: KnownPath.propertiesContentType)
    }
    // §7.4 step 1: external id; Q5: a number is dropped.
    if let externalId = ExternalID.tiktok(in: message), externalId.isDefinedAndNotNullAndNotEmpty {
      payload.set(externalId, at: KnownPath.userExternalId)
    }
    // §7.4 step 2: hashing on a copy of `user`.
    if config.hashUserProperties, case .object(let user)? = payload["user"], !user.isEmpty {
      payload.set(.object(try hashUser(user)), at: KnownPath.user)
    }
    // §7.4 step 3: device-id pruning by OS (a `null` name is skipped like an absent one).
    if let osName = message["context"]?["os"]?["name"], !osName.isNull, case .object(var user)? = payload["user"] {
      // R8: upstream lowercases the name, which throws for anything but a string.
      guard case .string(let name) = osName else { throw .runtime("os.toLowerCase is not a function") }
      let os = name.jsLowercased
      if appleFamily.contains(os) {
        user.removeValue(forKey: "gaid")
      } else if os == "android" {
        user.removeValue(forKey: "idfa")
        user.removeValue(forKey: "idfv")
      }
      payload.set(.object(user), at: KnownPath.user)
    }
    payload.set(event, at: KnownPath.event)
    return (payload.objectValue ?? JSONObject()).removingNulls()
  }

  // MARK: §7.2 contents, contents_ids, num_items

  private static func processContents(_ payload: inout JSONValue, message: JSONValue) throws(TransformError) {
    var contents = payload.value(at: KnownPath.propertiesContents)
    if let c = contents, c.arrayValue == nil { contents = .array([c]) }  // Test 43: an object is wrapped
    let products = message["properties"]?["products"]
    if !contents.isTruthy && products.isTruthy {
      // Unlike v1, this creates `properties` if needed; items get no content_type (Test 42).
      contents = .array(try contentsFromProducts(products))
    }
    guard let contents else { return }
    payload.set(contents, at: KnownPath.propertiesContents)
    guard case .array(let items) = contents, !items.isEmpty else { return }
    var ids: [JSONValue] = []
    for item in items {
      if item.isNull { throw .runtime("Cannot read properties of null (reading 'content_id')") }
      if let id = item["content_id"], id.isTruthy { ids.append(id) }
    }
    if !ids.isEmpty {
      payload.set(.array(ids), at: KnownPath.propertiesContentsIds)
      payload.set(.int(Int64(ids.count)), at: KnownPath.propertiesNumItems)
    }
  }

  /// Q8: a missing `product_id` gives `"undefined"`.
  /// - Throws: a `null` product, whose `product_id` upstream reads.
  private static func contentsFromProducts(_ products: JSONValue?) throws(TransformError) -> [JSONValue] {
    guard case .array(let list)? = products else { return [] }
    var out: [JSONValue] = []
    out.reserveCapacity(list.count)
    for product in list {
      if product.isNull { throw .runtime("Cannot read properties of null (reading 'product_id')") }
      let p = product.objectValue ?? JSONObject()
      var item = JSONObject(minimumCapacity: 7)
      item.appendUnchecked("content_id", .string(p["product_id"]?.jsString ?? "undefined"))
      for (from, to) in EventsV1.productFields {
        if let v = p[from], !v.isNull { item.appendUnchecked(to, v) }
      }
      out.append(.object(item))
    }
    return out
  }

  // MARK: §7.4 step 2 hashing

  private static func hashUser(_ user: JSONObject) throws(TransformError) -> JSONObject {
    var u = user
    func hash(_ v: JSONValue) -> JSONValue { .string(UpstreamHash.utf16LowBytes(v.jsString.jsTrimmed)) }
    /// An array is hashed element by element; upstream calls `toString()` on each, which throws for `null`.
    func hashEach(_ v: JSONValue) throws(TransformError) -> JSONValue {
      guard case .array(let items) = v else { return hash(v) }
      var out: [JSONValue] = []
      out.reserveCapacity(items.count)
      for item in items {
        if item.isNull { throw .runtime("Cannot read properties of null (reading 'toString')") }
        out.append(hash(item))
      }
      return .array(out)
    }
    if let id = u["external_id"], id.isTruthy { u["external_id"] = try hashEach(id) }
    if let email = u["email"], email.hasPositiveLength { u["email"] = hash(email) }
    // Q5: a numeric phone has no length and is sent raw and unhashed.
    if let phone = u["phone"], phone.hasPositiveLength { u["phone"] = try hashEach(phone) }
    if let idfa = u["idfa"], idfa.isTruthy { u["idfa"] = hash(idfa) }
    if let gaid = u["gaid"], gaid.isTruthy { u["gaid"] = hash(gaid) }
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
