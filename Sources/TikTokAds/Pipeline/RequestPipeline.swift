import JSON

/// The steps upstream's service runs on every request item before the `tiktok_ads` code sees it
/// (`upstream-divergences.md` §A; spec §2, "a generic service resolves them"), in upstream's order:
///
/// 1. R6: the message is replaced by a shallow copy of itself, so a missing, null or non-object message becomes
///    `{}` (and then fails "Event type is required" like any message without a type).
/// 2. R3: Reverse-ETL events (`channel: "sources"`) get their `timestamp` from the event's own time fields.
/// 3. R4: dynamic config templates in `destination.Config` are resolved against the item, and each field a
///    template read is deleted from the item.
///
/// R7 (a `Config` that is not an object reads as empty) happens where the destination reads its settings
/// (``DestinationConfig``); R13 and R17 are the router's whole-request outcomes (``RouterRequest``).
public struct PreparedEvent: Sendable {
  /// The message the destination maps (always an object), read in place.
  public var message: JSONRef
  /// The destination with its resolved `Config`; `nil` when the item has none.
  public var destination: JSONRef?
  /// The item's metadata, as given (less any field a dynamic-config template read).
  public var metadata: JSONRef?
}

enum RequestPipeline {
  /// Runs steps 1–3 on one processor or router request item (numbers as JavaScript holds them, R15).
  ///
  /// Nothing is copied when no step changes anything (the common case); a step that does change the item builds a
  /// new tape for what it changed.
  /// - Throws: the runtime error upstream's pipeline raises: an item that is `null`, or (R4) a destination that
  ///   is `null` or absent while dynamic config is not switched off.
  static func prepare(_ item: JSONRef, trace: TransformTrace? = nil) throws(TransformError) -> PreparedEvent {
    if item.isNull {
      throw trace.failing(
        .runtime("Cannot read properties of null (reading 'message')"), Check.nullItem, at: [], isV2: nil)
    }
    // R6: `{...message}`: an object's members, or nothing for null, a primitive or an array. (A primitive or an
    // array item has none of the members read here.)
    var message = EmptyObject.ref
    if let given = item["message"], given.isObject {
      message = given
    } else {
      trace?.eventRule(.r6)
      trace?.hit(.rule(.r6))
    }
    if let timestamped = ReverseETL.applyTimestamp(to: message, trace: trace) { message = timestamped }  // R3
    var event = PreparedEvent(message: message, destination: item["destination"], metadata: item["metadata"])
    try DynamicConfig.resolve(&event, item: item, trace: trace)  // R4
    return event
  }
}

/// R3: Reverse-ETL timestamps.
enum ReverseETL {
  private static let trackSources = ["properties.timestamp", "timestamp", "originalTimestamp"].map(FieldPath.init)
  private static let identifySources = [
    "context.timestamp", "context.traits.timestamp", "traits.timestamp", "timestamp", "originalTimestamp",
  ].map(FieldPath.init)
  private static let mappedToDestination = FieldPath("context.mappedToDestination")

  /// For `channel === "sources"` without a truthy `context.mappedToDestination`, sets `timestamp` to the first
  /// value that is truthy, `0` or `false` among the type's time fields (`track` and `identify` exactly; other
  /// types are left alone), or to `null` when none is. Returns the changed message, or `nil` when it is unchanged.
  static func applyTimestamp(to message: JSONRef, trace: TransformTrace? = nil) -> JSONRef? {
    guard message["channel"]?.isString("sources") == true else { return nil }
    trace?.read(["message", "channel"])
    guard !message.value(at: mappedToDestination).isTruthy else { return nil }
    let sources: [FieldPath]
    switch message["type"] {
    case let type? where type.isString("track"): sources = trackSources
    case let type? where type.isString("identify"): sources = identifySources
    default: return nil
    }
    let found = sources.first { message.value(at: $0).isPresentForMapping }
    var changed = message.value.objectValue ?? JSONObject()
    changed["timestamp"] = found.flatMap { message.value(at: $0)?.value } ?? .null
    if let trace {
      trace.eventRule(.r3)
      trace.hit(.rule(.r3))
      if let found { trace.move(["message", "timestamp"], from: TransformTrace.messagePath(found), rule: .r3) }
    }
    return JSONTape(.object(changed), numbers: .javaScript).root
  }
}
