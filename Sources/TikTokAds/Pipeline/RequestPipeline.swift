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
  /// The message the destination maps (always an object).
  public var message: JSONValue
  /// The destination with its resolved `Config`; `nil` when the item has none.
  public var destination: JSONValue?
  /// The item's metadata, as given (less any field a dynamic-config template read).
  public var metadata: JSONValue?
}

enum RequestPipeline {
  /// Runs steps 1–3 on one processor or router request item.
  ///
  /// - Throws: the runtime error upstream's pipeline raises: an item that is `null`, or (R4) a destination that
  ///   is `null` or absent while dynamic config is not switched off.
  static func prepare(_ item: JSONValue, trace: TransformTrace? = nil) throws(TransformError) -> PreparedEvent {
    var fields: JSONObject
    switch item {
    case .object(let object): fields = object
    case .null:
      throw trace.failing(
        .runtime("Cannot read properties of null (reading 'message')"), Check.nullItem, at: [], isV2: nil)
    default: fields = JSONObject()  // a primitive or an array has none of the members read here
    }
    // R6: `{...message}`: an object's members, or nothing for null, a primitive or an array.
    var message: JSONObject
    if case .object(let object)? = fields["message"] {
      message = object
    } else {
      message = JSONObject()
      trace?.eventRule(.r6)
      trace?.hit(.rule(.r6))
    }
    ReverseETL.applyTimestamp(to: &message, trace: trace)  // R3
    fields["message"] = .object(message)
    try DynamicConfig.resolve(in: &fields, trace: trace)  // R4
    return PreparedEvent(
      message: fields["message"] ?? .object(JSONObject()), destination: fields["destination"],
      metadata: fields["metadata"])
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
  /// types are left alone), or to `null` when none is.
  static func applyTimestamp(to message: inout JSONObject, trace: TransformTrace? = nil) {
    guard message["channel"] == .string("sources") else { return }
    let value = JSONValue.object(message)
    trace?.read(["message", "channel"])
    guard !value.value(at: mappedToDestination).isTruthy else { return }
    let sources: [FieldPath]
    switch message["type"] {
    case .string("track")?: sources = trackSources
    case .string("identify")?: sources = identifySources
    default: return
    }
    let found = sources.first { value.value(at: $0).isPresentForMapping }
    message["timestamp"] = found.flatMap { value.value(at: $0) } ?? .null
    if let trace {
      trace.eventRule(.r3)
      trace.hit(.rule(.r3))
      if let found { trace.move(["message", "timestamp"], from: TransformTrace.messagePath(found), rule: .r3) }
    }
  }
}
