import JSON

extension TikTokAdsTransformer {
  /// The processor response body (`POST /v0/destinations/tiktok_ads`) for a request body: an array of
  /// `{message, destination, metadata}`. One or more items per event, in input order (spec §12).
  ///
  /// - Throws: ``RequestShapeError`` when the body is not an array.
  public func processorResponse(for body: JSONValue) throws(RequestShapeError) -> JSONValue {
    guard case .array(let events) = body else {
      throw RequestShapeError(pointer: "", expected: "an array of {message, destination, metadata}")
    }
    var sink = ProcessorItemValues()
    sink.items.reserveCapacity(events.count)
    for event in events { processorItems(for: Self.tape(event), into: &sink) }
    return .array(sink.items)
  }

  /// One request item on a tape, its numbers as JavaScript holds them (R15).
  static func tape(_ item: JSONValue) -> JSONRef { JSONTape(item, numbers: .javaScript).root }

  /// Puts the response items of one processor input item into `sink`: one per request of a transformed event,
  /// or one error item (spec §12).
  ///
  /// The item's tape must hold numbers as JavaScript holds them (``JSON/JSONNumberStyle/javaScript``, R15).
  func processorItems<Sink: ProcessorItemSink & ~Copyable>(
    for item: JSONRef, into sink: inout Sink, trace: TransformTrace? = nil
  ) {
    var metadata = item["metadata"]
    do throws(TransformError) {
      let event = try RequestPipeline.prepare(item, trace: trace)
      metadata = event.metadata
      for request in try EventTransform.requests(event, trace: trace) {
        sink.appendRequest(request, metadata: metadata)
      }
    } catch {
      sink.appendError(error, metadata: metadata)
    }
  }
}

/// Where the items of a processor response go, in order: built as values (``ProcessorItemValues``), or written as
/// compact JSON as they come (``ProcessorItemText``). Both give the same items.
protocol ProcessorItemSink: ~Copyable {
  /// A transformed event's request: `{output, metadata, statusCode: 200}` (`metadata` left out when absent), the
  /// output being the request object with `userId: ""` added (§12).
  mutating func appendRequest(_ request: TikTokRequest, metadata: JSONRef?)
  /// A failed event: `{metadata, statusCode, error, statTags}`.
  mutating func appendError(_ error: TransformError, metadata: JSONRef?)
}

/// Response items as values.
struct ProcessorItemValues: ProcessorItemSink {
  var items: [JSONValue] = []

  mutating func appendRequest(_ request: TikTokRequest, metadata: JSONRef?) {
    var output = request.object
    output.appendUnchecked("userId", "")  // §12: always added, as ""
    var entry = JSONObject(minimumCapacity: 3)
    entry.appendUnchecked("output", .object(output))
    if let metadata { entry.appendUnchecked("metadata", metadata.value) }
    entry.appendUnchecked("statusCode", 200)
    items.append(.object(entry))
  }

  mutating func appendError(_ error: TransformError, metadata: JSONRef?) {
    var entry = JSONObject(minimumCapacity: 4)
    if let metadata { entry.appendUnchecked("metadata", metadata.value) }
    entry.appendUnchecked("statusCode", .int(error.statusCode))
    entry.appendUnchecked("error", .string(error.description))
    entry.appendUnchecked("statTags", .object(StatTags.tags(for: error, feature: "processor", metadata: metadata)))
    items.append(.object(entry))
  }
}

/// Response items written as compact JSON, comma-separated, each exactly as its value in ``ProcessorItemValues``
/// would be written; the metadata is copied from the input's tape without being built.
struct ProcessorItemText: ProcessorItemSink, ~Copyable {
  var buffer: ByteBuffer

  /// The request object as ``TikTokRequest/object`` builds it, written without building it.
  mutating func appendRequest(_ request: TikTokRequest, metadata: JSONRef?) {
    separate()
    buffer.append("{\"output\":{\"version\":\"1\",\"type\":\"REST\",\"method\":\"POST\",\"endpoint\":")
    buffer.appendString(request.endpoint, loneSurrogates: true)
    buffer.append(",\"endpointPath\":")
    buffer.appendString(request.path, loneSurrogates: true)
    buffer.append(",\"headers\":{\"Access-Token\":")
    if let token = request.token { token.writeCompact(into: &buffer) } else { buffer.append("null") }
    buffer.append(",\"Content-Type\":\"application/json\"},\"params\":{},\"body\":{\"JSON\":")
    request.payload.write(into: &buffer)
    buffer.append(",\"JSON_ARRAY\":{},\"XML\":{},\"FORM\":{}},\"files\":{},\"userId\":\"\"}")
    if let metadata {
      buffer.append(",\"metadata\":")
      metadata.writeCompact(into: &buffer)
    }
    buffer.append(",\"statusCode\":200}")
  }

  mutating func appendError(_ error: TransformError, metadata: JSONRef?) {
    separate()
    buffer.append("{")
    if let metadata {
      buffer.append("\"metadata\":")
      metadata.writeCompact(into: &buffer)
      buffer.append(",")
    }
    buffer.append("\"statusCode\":")
    buffer.appendInt(Int64(error.statusCode))
    buffer.append(",\"error\":")
    buffer.appendString(error.description, loneSurrogates: true)
    buffer.append(",\"statTags\":")
    StatTags.write(for: error, feature: "processor", metadata: metadata, into: &buffer)
    buffer.append("}")
  }

  private mutating func separate() {
    if buffer.count > 0 { buffer.append(UInt8(ascii: ",")) }
  }
}

extension TikTokAdsTransformer {
  /// The processor response for `body`, with the trace of each input item (``TransformTrace``): what
  /// `explain`, `replay --coverage` and `record --dedupe` read. The response is the one
  /// ``processorResponse(for:)`` gives; the traces come from the same code path.
  public func tracedProcessorResponse(for body: JSONValue, lineage: Bool = true) throws(RequestShapeError)
    -> TracedResponse
  {
    guard case .array(let events) = body else {
      throw RequestShapeError(pointer: "", expected: "an array of {message, destination, metadata}")
    }
    var sink = ProcessorItemValues()
    var traced: [TracedEvent] = []
    for (i, event) in events.enumerated() {
      let trace = TransformTrace(lineage: lineage)
      let first = sink.items.count
      processorItems(for: Self.tape(event), into: &sink, trace: trace)
      traced.append(TracedEvent(input: i, trace: trace, outputs: Array(first..<sink.items.count)))
    }
    return TracedResponse(body: .array(sink.items), events: traced, isRouter: false, requestRows: Self.numberRows(body))
  }
}

/// A response body with the trace of each input event.
public struct TracedResponse {
  /// The response body, exactly as the untraced call gives it.
  public let body: JSONValue
  /// One per input event, in input order.
  public let events: [TracedEvent]
  /// `true` for a router response (`{output}`), `false` for a processor response (an array).
  public let isRouter: Bool
  /// Rows the request as a whole exercised (R15 numbers, R17 an empty router input).
  public let requestRows: Set<CoverageRow>

  /// Every row the request exercised: its own and each event's.
  public var rows: Set<CoverageRow> { events.reduce(into: requestRows) { $0.formUnion($1.trace.rows) } }
}

extension TikTokAdsTransformer {
  /// R15: the request holds a number whose text is not what JavaScript prints for it.
  static func numberRows(_ body: JSONValue) -> Set<CoverageRow> {
    body.javaScriptNumbers().isIdentical(to: body) ? [] : [.rule(.r15)]
  }
}

/// One input event's trace and where its output went.
public struct TracedEvent {
  /// The event's index in the request's event list.
  public let input: Int
  public let trace: TransformTrace
  /// The output items the event's requests (or its error) went to, in order.
  public let outputs: [Int]
  /// Router only: for each output item, the event's first entry in the batch (`data[]` or `batch[]` index).
  public var offsets: [Int] = []
}
