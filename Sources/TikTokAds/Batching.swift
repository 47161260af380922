import JSON

/// Router batching (spec §8.3, §8.4) and output ordering (§8.5).
enum Batching {
  /// §8.3: chunks in processing order, at most `limit` request objects per chunk, no bin-packing.
  /// Each batch takes the token and pixel code of its chunk's first event.
  static func eventsV1(_ events: [RoutedEvent], limit: Int) -> [JSONValue] {
    var chunks: [[RoutedEvent]] = []
    var count = 0
    for event in events {
      let n = event.requests.count
      if chunks.isEmpty || count + n > limit {
        // Upstream splits an event of more than `limit` objects into nested arrays; here it gets a chunk of its own.
        chunks.append([event])
        count = n
      } else {
        chunks[chunks.count - 1].append(event)
        count += n
      }
    }
    return chunks.map { chunk in
      let first = chunk[0]
      var items: [JSONValue] = []
      for event in chunk {
        for request in event.requests {
          var item = request["body"]?["JSON"]?.objectValue ?? JSONObject()
          item.removeValue(forKey: "pixel_code")
          item.removeValue(forKey: "partner_name")
          item["type"] = "track"
          items.append(.object(item))
        }
      }
      let config = first.config
      var body = JSONObject(minimumCapacity: 3)
      body.appendUnchecked("pixel_code", config?.pixelCode ?? .null)
      body.appendUnchecked("partner_name", "RudderStack")
      body.appendUnchecked("batch", .array(items))
      let request = EventTransform.requestObject(
        endpoint: EventsV1.batchEndpoint, path: "pixel/batch", token: config?.accessToken, body: body)
      return batchItem(request, chunk)
    }
  }

  /// §8.4: grouped by `event_source` (first-appearance order), flushed before `limit` data entries would be passed.
  /// Every batch of a group takes the token and pixel code of the group's first event.
  ///
  /// - Throws: R14: a (pre-transformed) body whose `data` is not iterable fails the whole group, as upstream's
  ///   spread of it throws outside any per-event handler.
  static func eventsV2(_ events: [RoutedEvent], limit: Int) throws(TransformError) -> [JSONValue] {
    var sources: [String] = []
    var bySource: [String: [RoutedEvent]] = [:]
    for event in events {
      let source = event.requests.first?["body"]?["JSON"]?["event_source"]?.jsString ?? "undefined"
      if bySource[source] == nil { sources.append(source) }
      bySource[source, default: []].append(event)
    }
    var out: [JSONValue] = []
    for source in sources {
      let group = bySource[source] ?? []
      let config = group[0].config
      var data: [JSONValue] = []
      var members: [RoutedEvent] = []
      func flush() {
        var body = JSONObject(minimumCapacity: 4)
        body.appendUnchecked("event_source_id", config?.pixelCode ?? .null)
        body.appendUnchecked("event_source", .string(source))
        body.appendUnchecked("partner_name", "RudderStack")
        body.appendUnchecked("data", .array(data))  // no test_event_code in batch bodies
        let request = EventTransform.requestObject(
          endpoint: EventsV2.endpoint, path: "event/track", token: config?.accessToken, body: body)
        out.append(batchItem(request, members, destination: group[0].destination))
        data = []
        members = []
      }
      for event in group {
        let eventData = event.requests[0]["body"]?["JSON"]?["data"]
        // R12: upstream flushes first when the event would overflow, even an empty batch (> limit entries in the
        // group's first event); that batch has no metadata and sorts last.
        if case .array(let entries)? = eventData, entries.count > limit - data.count { flush() }
        data.append(contentsOf: try spread(eventData))
        members.append(event)
      }
      flush()
    }
    return out
  }

  /// JavaScript's `data.push(...eventData)`: an array's elements, a string's characters; anything else throws.
  private static func spread(_ value: JSONValue?) throws(TransformError) -> [JSONValue] {
    switch value {
    case .array(let items)?: return items
    case .string(let text)?: return text.unicodeScalars.map { .string(String($0)) }
    case nil: throw .runtime("eventData is not iterable (cannot read property undefined)")
    case .null?: throw .runtime("eventData is not iterable (cannot read property null)")
    default: throw .runtime("eventData is not iterable")
    }
  }

  private static func batchItem(_ request: JSONObject, _ events: [RoutedEvent], destination: JSONValue? = nil)
    -> JSONValue
  {
    var item = JSONObject(minimumCapacity: 5)
    item.appendUnchecked("batchedRequest", .object(request))
    item.appendUnchecked("metadata", .array(events.map(\.metadata)))
    item.appendUnchecked("batched", true)
    item.appendUnchecked("statusCode", 200)
    item.appendUnchecked("destination", destination ?? events.first?.destination ?? .null)
    return .object(item)
  }
}
