import JSON

/// Validation (spec §3) and dispatch of one event to Events 1.0 or 2.0; the shared step of processor and router.
enum EventTransform {
  /// The request objects for one event, prepared by ``RequestPipeline``.
  ///
  /// - Parameters:
  ///   - forceV2: the router's group-level switch (§8.1): `true` transforms every event of a v2 group the v2 way;
  ///     `nil` lets each event's own config decide, as the processor and a v1 router group do.
  /// - Throws: the first failing check of §3, in upstream's order; runtime errors (Q21, R5, R8, R11) with V8's
  ///   message text where upstream's JavaScript throws.
  static func requests(_ event: PreparedEvent, forceV2: Bool? = nil, trace: TransformTrace? = nil)
    throws(TransformError) -> [TikTokRequest]
  {
    let config: DestinationConfig
    do { config = try DestinationConfig(destination: event.destination) } catch {
      throw trace.failing(error, Check.configUnreadable, at: ["destination", "Config"], isV2: nil)
    }
    let isV2 = forceV2 ?? config.isEventsV2
    if let trace { config.traceSettings(trace) }
    // 1–2: configuration. Q3: the v1 token message has a trailing space, the v2 one does not.
    guard config.accessTokenRef.isTruthy else {
      if !isV2 { trace?.eventRule(.q3) }
      throw trace.failing(
        .configuration(isV2 ? "Access Token not found. Aborting" : "Access Token not found. Aborting "),
        Check.accessToken, at: ["destination", "Config", "accessToken"], isV2: isV2)
    }
    guard config.pixelCodeRef.isTruthy else {
      throw trace.failing(
        .configuration("Pixel Code not found. Aborting"), Check.pixelCode, at: ["destination", "Config", "pixelCode"],
        isV2: isV2)
    }
    let message = event.message
    // 3–4: type, case-insensitive (`TRACK` is accepted). R8: a non-string type throws in upstream.
    trace?.read(["message", "type"])
    let type = message["type"]
    guard type.isTruthy, let type else {
      throw trace.failing(
        .instrumentation("Event type is required"), Check.typeMissing, at: ["message", "type"], isV2: isV2)
    }
    guard let typeName = type.stringValue else {
      trace?.eventRule(.r8)
      throw trace.failing(
        .runtime("message.type.toLowerCase is not a function"), Check.typeNotString, at: ["message", "type"],
        isV2: isV2)
    }
    let lowered = typeName.jsLowercased
    guard lowered == "track" else {
      throw trace.failing(
        .instrumentation("Event type \(lowered) is not supported"), Check.typeNotTrack, at: ["message", "type"],
        isV2: isV2)
    }
    // 5: the event name must be a non-empty string.
    trace?.read(["message", "event"])
    guard let name = message["event"]?.stringValue, !name.isEmpty else {
      throw trace.failing(
        .instrumentation("Event is a required field and should be a string"), Check.eventNotString,
        at: ["message", "event"], isV2: isV2)
    }
    // 6: v2 only. Q12: v1 lets a whitespace-only name through to rule 7 (or sends it as a custom event).
    if isV2 && name.jsTrimmed.isEmpty {
      trace?.eventRule(.q12)
      throw trace.failing(
        .instrumentation("Event name is required"), Check.eventBlank, at: ["message", "event"], isV2: isV2)
    }
    // R5: the eventsToStandard rows are read here, so a malformed row fails before the name is resolved.
    let eventMap = try EventMap(config.eventsToStandard, trace: trace, isV2: isV2)
    // 7: name resolution (§4).
    let targets = try EventNames.resolve(
      name, map: eventMap, sendCustomEvents: config.sendCustomEvents, trace: trace, isV2: isV2
    ).map {
      $0 ?? .null  // A missing `to` and a `null` one both leave the request without `event` (top-level cleaning).
    }
    trace?.targetCount = targets.count
    if isV2 {
      let body = try EventsV2.body(message: message, config: config, events: targets, trace: trace)
      return [
        TikTokRequest(endpoint: EventsV2.endpoint, path: "event/track", token: config.accessTokenRef, payload: body)
      ]
    }
    return try EventsV1.payloads(message: message, config: config, events: targets, trace: trace).map {
      TikTokRequest(endpoint: EventsV1.trackEndpoint, path: "pixel/track", token: config.accessTokenRef, payload: $0)
    }
  }

  /// The transformer request object of §6.5 and §7.5 (``TikTokRequest/object`` gives it for one request).
  static func requestObject(endpoint: String, path: String, token: JSONValue?, body: JSONObject) -> JSONObject {
    var headers = JSONObject(minimumCapacity: 2)
    headers.appendUnchecked("Access-Token", token ?? .null)
    headers.appendUnchecked("Content-Type", "application/json")
    var wrappedBody = JSONObject(minimumCapacity: 4)
    wrappedBody.appendUnchecked("JSON", .object(body))
    wrappedBody.appendUnchecked("JSON_ARRAY", .object(JSONObject()))
    wrappedBody.appendUnchecked("XML", .object(JSONObject()))
    wrappedBody.appendUnchecked("FORM", .object(JSONObject()))
    var request = JSONObject(minimumCapacity: 10)
    request.appendUnchecked("version", "1")
    request.appendUnchecked("type", "REST")
    request.appendUnchecked("method", "POST")
    request.appendUnchecked("endpoint", .string(endpoint))
    request.appendUnchecked("endpointPath", .string(path))
    request.appendUnchecked("headers", .object(headers))
    request.appendUnchecked("params", .object(JSONObject()))
    request.appendUnchecked("body", .object(wrappedBody))
    request.appendUnchecked("files", .object(JSONObject()))
    return request
  }
}

/// One request of a transformed event, before it becomes the request object of §6.5 and §7.5 (``object``): the
/// parts that differ between requests. The processor writes it straight to text (``ProcessorItemText``).
struct TikTokRequest {
  /// The TikTok endpoint URL, and its path as `endpointPath`.
  let endpoint: String
  let path: String
  /// `Config.accessToken`, raw (the `Access-Token` header); `nil` writes `null`.
  let token: JSONRef?
  /// `body.JSON`, as it is built (``body``) or written (``PayloadBuilder/write(into:)``).
  let payload: PayloadBuilder

  /// `body.JSON`.
  var body: JSONObject { payload.build().objectValue ?? JSONObject() }

  /// The request object.
  var object: JSONObject {
    EventTransform.requestObject(endpoint: endpoint, path: path, token: token?.value, body: body)
  }
}

/// statTags of error items (spec §3, §8.1, Q21).
enum StatTags {
  /// A tag's value: text, or a value of the request's metadata.
  enum Value {
    case text(String)
    case metadata(JSONRef)
  }

  /// The tags of `error` for `feature` (`processor` or `router`), with ids from `metadata` when present.
  static func tags(for error: TransformError, feature: String, metadata: JSONRef?) -> JSONObject {
    var tags = JSONObject(minimumCapacity: 8)
    forEachTag(of: error, feature: feature, metadata: metadata) { key, value in
      switch value {
      case .text(let text): tags.appendUnchecked(key, .string(text))
      case .metadata(let ref): tags.appendUnchecked(key, ref.value)
      }
    }
    return tags
  }

  /// Appends the tags (``tags(for:feature:metadata:)``) as compact JSON, metadata values written from their tape.
  static func write(for error: TransformError, feature: String, metadata: JSONRef?, into buffer: inout ByteBuffer) {
    buffer.append(UInt8(ascii: "{"))
    var first = true
    forEachTag(of: error, feature: feature, metadata: metadata) { key, value in
      if !first { buffer.append(UInt8(ascii: ",")) }
      first = false
      buffer.appendString(key)
      buffer.append(UInt8(ascii: ":"))
      switch value {
      case .text(let text): buffer.appendString(text, loneSurrogates: true)
      case .metadata(let ref): ref.writeCompact(into: &buffer)
      }
    }
    buffer.append(UInt8(ascii: "}"))
  }

  /// Calls `body` with each tag, in order.
  private static func forEachTag(
    of error: TransformError, feature: String, metadata: JSONRef?, _ body: (String, Value) -> Void
  ) {
    switch error {
    case .instrumentation:
      body("errorCategory", .text("dataValidation"))
      body("errorType", .text("instrumentation"))
    case .configuration:
      body("errorCategory", .text("dataValidation"))
      body("errorType", .text("configuration"))
    case .runtime:
      body("errorCategory", .text("transformation"))
      // Q21: a processor response carries the category alone.
      if feature == "processor" { return }
    }
    body("destType", .text("TIKTOK_ADS"))
    body("module", .text("destination"))
    body("implementation", .text("native"))
    body("feature", .text(feature))
    // A tag whose value is undefined is absent from the JSON.
    if let id = metadata?["destinationId"], !id.isNull { body("destinationId", .metadata(id)) }
    if let id = metadata?["workspaceId"], !id.isNull { body("workspaceId", .metadata(id)) }
  }
}
