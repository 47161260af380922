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
      body.appendUnchecked("pixel_code", config.pixelCode ?? .null)
      body.appendUnchecked("partner_name", "RudderStack")
      body.appendUnchecked("batch", .array(items))
      let request = EventTransform.requestObject(
        endpoint: EventsV1.batchEndpoint, path: "pixel/batch", token: config.accessToken, body: body)
      return batchItem(request, chunk)
    }
  }

  /// §8.4: grouped by `event_source` (first-appearance order), flushed before `limit` data entries would be passed.
  /// Every batch of a group takes the token and pixel code of the group's first event.
  static func eventsV2(_ events: [RoutedEvent], limit: Int) -> [JSONValue] {
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
        body.appendUnchecked("event_source_id", config.pixelCode ?? .null)
        body.appendUnchecked("event_source", .string(source))
        body.appendUnchecked("partner_name", "RudderStack")
        body.appendUnchecked("data", .array(data))  // no test_event_code in batch bodies
        let request = EventTransform.requestObject(
          endpoint: EventsV2.endpoint, path: "event/track", token: config.accessToken, body: body)
        out.append(batchItem(request, members, destination: group[0].destination))
        data = []
        members = []
      }
      for event in group {
        let entries = event.requests.flatMap { $0["body"]?["JSON"]?["data"]?.arrayValue ?? [] }
        // Upstream flushes first when the event would overflow, even an empty batch (unrealistic: > limit entries).
        if data.count + entries.count > limit { flush() }
        data.append(contentsOf: entries)
        members.append(event)
      }
      flush()
    }
    return out
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

  /// §8.5: a stable sort by the minimum `jobId` of each item's metadata. A missing or non-numeric jobId compares
  /// as JavaScript's `NaN` does in a sort comparator: equal to everything, so such items do not move past others.
  static func sortedByMinimumJobId(_ items: [JSONValue]) -> [JSONValue] {
    let keys: [Double] = items.map { item in
      let ids = (item["metadata"]?.arrayValue ?? []).map { m -> Double in
        switch m["jobId"] {
        case .string(let s)?: return Double(s) ?? .nan
        case let v?: return v.doubleValue ?? .nan
        case nil: return .nan
        }
      }
      return ids.isEmpty ? .nan : ids.reduce(.infinity) { $0.isNaN || $1.isNaN ? .nan : min($0, $1) }
    }
    var order = Array(items.indices)
    if !keys.contains(where: \.isNaN) {
      order.sort { (keys[$0], $0) < (keys[$1], $1) }
    } else {
      // Insertion sort: stable, and well-defined with NaN keys.
      for i in order.indices.dropFirst() {
        var j = i
        while j > 0 && keys[order[j]] < keys[order[j - 1]] {
          order.swapAt(j, j - 1)
          j -= 1
        }
      }
    }
    return order.map { items[$0] }
  }
}
