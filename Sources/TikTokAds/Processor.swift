import JSON

extension TikTokAdsTransformer {
  /// The processor response body (`POST /v0/destinations/tiktok_ads`) for a request body: an array of
  /// `{message, destination, metadata}`. One or more items per event, in input order (spec §12).
  ///
  /// - Throws: ``RequestShapeError`` when the body is not an array.
  public func processorResponse(for body: JSONValue) throws(RequestShapeError) -> JSONValue {
    guard case .array(let events) = body.javaScriptNumbers() else {
      throw RequestShapeError(pointer: "", expected: "an array of {message, destination, metadata}")
    }
    var out: [JSONValue] = []
    out.reserveCapacity(events.count)
    for event in events { processorItems(for: event, into: &out) }
    return .array(out)
  }

  /// Appends the response items of one processor input item.
  ///
  /// The item's numbers must already be JavaScript numbers (``JSON/JSONValue/javaScriptNumbers()``, R15).
  func processorItems(for item: JSONValue, into out: inout [JSONValue], trace: TransformTrace? = nil) {
    var metadata = item["metadata"]
    do throws(TransformError) {
      let event = try RequestPipeline.prepare(item, trace: trace)
      metadata = event.metadata
      for request in try EventTransform.requests(event, trace: trace) {
        var output = request
        output.appendUnchecked("userId", "")  // §12: always added, as ""
        var entry = JSONObject(minimumCapacity: 3)
        entry.appendUnchecked("output", .object(output))
        if let metadata { entry.appendUnchecked("metadata", metadata) }
        entry.appendUnchecked("statusCode", 200)
        out.append(.object(entry))
      }
    } catch {
      var entry = JSONObject(minimumCapacity: 4)
      if let metadata { entry.appendUnchecked("metadata", metadata) }
      entry.appendUnchecked("statusCode", .int(error.statusCode))
      entry.appendUnchecked("error", .string(error.description))
      entry.appendUnchecked("statTags", .object(StatTags.tags(for: error, feature: "processor", metadata: metadata)))
      out.append(.object(entry))
    }
  }
}

extension TikTokAdsTransformer {
  /// The processor response for `body`, with the trace of each input item (``TransformTrace``): what
  /// `explain`, `replay --coverage` and `record --dedupe` read. The response is the one
  /// ``processorResponse(for:)`` gives; the traces come from the same code path.
  public func tracedProcessorResponse(for body: JSONValue, lineage: Bool = true) throws(RequestShapeError)
    -> TracedResponse
  {
    guard case .array(let events) = body.javaScriptNumbers() else {
      throw RequestShapeError(pointer: "", expected: "an array of {message, destination, metadata}")
    }
    var out: [JSONValue] = []
    var traced: [TracedEvent] = []
    for (i, event) in events.enumerated() {
      let trace = TransformTrace(lineage: lineage)
      let first = out.count
      processorItems(for: event, into: &out, trace: trace)
      traced.append(TracedEvent(input: i, trace: trace, outputs: Array(first..<out.count)))
    }
    return TracedResponse(body: .array(out), events: traced, isRouter: false, requestRows: Self.numberRows(body))
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
