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
  func processorItems(for item: JSONValue, into out: inout [JSONValue]) {
    var metadata = item["metadata"]
    do throws(TransformError) {
      let event = try RequestPipeline.prepare(item)
      metadata = event.metadata
      for request in try EventTransform.requests(event) {
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
