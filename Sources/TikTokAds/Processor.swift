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
    var out: [JSONValue] = []
    out.reserveCapacity(events.count)
    for (i, event) in events.enumerated() { processorItems(for: event, index: i, into: &out) }
    return .array(out)
  }

  /// Appends the response items of one processor input item.
  func processorItems(for event: JSONValue, index: Int, into out: inout [JSONValue]) {
    let metadata = event["metadata"]
    do throws(TransformError) {
      guard case .object = event else {
        throw .runtime("input[\(index)] is a \(event.typeName), not {message, destination, metadata}")
      }
      for request in try EventTransform.requests(message: event["message"] ?? .null, destination: event["destination"])
      {
        var output = request
        output.appendUnchecked("userId", "")  // §12: always added, as ""
        var item = JSONObject(minimumCapacity: 3)
        item.appendUnchecked("output", .object(output))
        if let metadata { item.appendUnchecked("metadata", metadata) }
        item.appendUnchecked("statusCode", 200)
        out.append(.object(item))
      }
    } catch {
      var item = JSONObject(minimumCapacity: 4)
      if let metadata { item.appendUnchecked("metadata", metadata) }
      item.appendUnchecked("statusCode", .int(error.statusCode))
      item.appendUnchecked("error", .string(error.description))
      item.appendUnchecked("statTags", .object(StatTags.tags(for: error, feature: "processor", metadata: metadata)))
      out.append(.object(item))
    }
  }
}
