import JSON

/// One item of a router group's output, with the group inputs it holds (for traces: which event went where).
struct RouterItem {
  var value: JSONValue
  /// The inputs (indices into the router request's `input`) whose requests or error this item holds, in order.
  var members: [Int]
  /// For each member, the index of its first entry in the batch (`batch[]` or `data[]`); 0 for other items.
  var offsets: [Int]
}

/// Router batching (spec §8.3, §8.4).
enum Batching {
  /// §8.3: chunks in processing order, at most `limit` request objects per chunk, no bin-packing.
  /// Each batch takes the token and pixel code of its chunk's first event.
  static func eventsV1(_ events: [RoutedEvent], limit: Int) -> [RouterItem] {
    var chunks: [[RoutedEvent]] = []
    var count = 0
    for event in events {
      let n = event.requests.count
      if chunks.isEmpty || count + n > limit {
        // Upstream splits an event of more than `limit` objects into nested arrays; here it gets a chunk of its own.
        if !chunks.isEmpty {
          chunk(
            events: chunks[chunks.count - 1] + [event],
            hit: "v1: a new batch when the next event would pass the limit (§8.3)")
        }
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
      var offsets: [Int] = []
      for event in chunk {
        offsets.append(items.count)
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
      traceBatch(chunk, row: "v1: pixel/batch of at most maxBatchSizeV1 TikTok events (§8.3)")
      return RouterItem(value: batchItem(request, chunk), members: chunk.map(\.input), offsets: offsets)
    }
  }

  /// §8.4: grouped by `event_source` (first-appearance order), flushed before `limit` data entries would be passed.
  /// Every batch of a group takes the token and pixel code of the group's first event.
  ///
  /// - Throws: R14: a (pre-transformed) body whose `data` is not iterable fails the whole group, as upstream's
  ///   spread of it throws outside any per-event handler.
  static func eventsV2(_ events: [RoutedEvent], limit: Int) throws(TransformError) -> [RouterItem] {
    var sources: [String] = []
    var bySource: [String: [RoutedEvent]] = [:]
    for event in events {
      let source = event.requests.first?["body"]?["JSON"]?["event_source"]?.jsString ?? "undefined"
      if bySource[source] == nil { sources.append(source) }
      bySource[source, default: []].append(event)
    }
    if sources.count > 1 { chunk(events: events, hit: "v2: one batch series per event_source (§8.4)") }
    var out: [RouterItem] = []
    for source in sources {
      let group = bySource[source] ?? []
      let config = group[0].config
      var data: [JSONValue] = []
      var members: [RoutedEvent] = []
      var offsets: [Int] = []
      func flush() {
        var body = JSONObject(minimumCapacity: 4)
        body.appendUnchecked("event_source_id", config?.pixelCode ?? .null)
        body.appendUnchecked("event_source", .string(source))
        body.appendUnchecked("partner_name", "RudderStack")
        body.appendUnchecked("data", .array(data))  // no test_event_code in batch bodies
        let request = EventTransform.requestObject(
          endpoint: EventsV2.endpoint, path: "event/track", token: config?.accessToken, body: body)
        traceBatch(members, row: "v2: event/track batch of at most maxBatchSizeV2 data entries (§8.4)")
        out.append(
          RouterItem(
            value: batchItem(request, members, destination: group[0].destination), members: members.map(\.input),
            offsets: offsets))
        data = []
        members = []
        offsets = []
      }
      for event in group {
        let eventData = event.requests[0]["body"]?["JSON"]?["data"]
        // R12: upstream flushes first when the event would overflow, even an empty batch (> limit entries in the
        // group's first event); that batch has no metadata and sorts last.
        if case .array(let entries)? = eventData, entries.count > limit - data.count {
          if data.isEmpty {
            event.trace?.eventRule(.r12)
            event.trace?.hit(.rule(.r12))
          }
          chunk(events: members + [event], hit: "v2: a new batch when the next event would pass the limit (§8.4)")
          flush()
        }
        offsets.append(data.count)
        do { data.append(contentsOf: try spread(eventData)) } catch {
          event.trace?.eventRule(.r14)
          throw event.trace.failing(error, Check.dataNotIterable, at: ["message", "body", "JSON", "data"], isV2: true)
        }
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

  /// Records a batch's rows on its members' traces; Q14 when members' tokens or pixel codes differ from the first's.
  private static func traceBatch(_ events: [RoutedEvent], row: String) {
    guard events.contains(where: { $0.trace != nil }) else { return }
    chunk(events: events, hit: row)
    let first = events.first?.config
    for event in events.dropFirst() {
      let config = event.config
      if config?.accessToken != first?.accessToken || config?.pixelCode != first?.pixelCode {
        event.trace?.eventRule(.q14)
        event.trace?.hit(.rule(.q14))
      }
    }
  }

  private static func chunk(events: [RoutedEvent], hit row: String) {
    for event in events { event.trace?.hit(.batching(row)) }
  }
}
