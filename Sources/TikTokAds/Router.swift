import JSON

extension TikTokAdsTransformer {
  /// The router response body (`POST /routerTransform`) for `{destType, input: [{message, metadata, destination}]}`:
  /// `{output: [...]}` with batches, test events and errors (spec §8).
  ///
  /// - Throws: ``RequestShapeError`` when the body has no `input` array.
  public func routerResponse(for body: JSONValue) throws(RequestShapeError) -> JSONValue {
    guard case .object = body else { throw RequestShapeError(pointer: "", expected: "an object {destType, input}") }
    guard case .array(let inputs)? = body["input"] else {
      throw RequestShapeError(pointer: "/input", expected: "an array of {message, metadata, destination}")
    }
    var output: [JSONValue] = []
    // §8.1: groups in first-appearance order; outputs concatenated in group order, not re-sorted across groups.
    for group in RouterGroups.split(inputs) {
      output.append(contentsOf: routeGroup(group))
    }
    return .object(["output": .array(output)])
  }

  /// The TikTok router function on one service-level group.
  func routeGroup(_ inputs: [JSONValue]) -> [JSONValue] {
    guard let first = inputs.first else { return [] }
    // §8.1: the router-level version switch reads only the first input's config. In a v2 group every event is
    // transformed the v2 way; in a v1 group each event's own config decides (Q14).
    let groupIsV2 = DestinationConfig(destination: first["destination"]).isEventsV2
    let groupMetadata = first["metadata"]
    var transformed: [RoutedEvent] = []
    var pretransformed: [RoutedEvent] = []
    var errors: [JSONValue] = []
    for input in inputs {
      let metadata = input["metadata"] ?? .null
      let destination = input["destination"] ?? .null
      let message = input["message"] ?? .null
      // §8.2, Q17: a truthy message.statusCode marks an already transformed input, handled synchronously first.
      if message["statusCode"].isTruthy {
        let requests = (message.arrayValue ?? [message]).map { $0.objectValue ?? JSONObject() }
        pretransformed.append(RoutedEvent(requests: requests, metadata: metadata, destination: destination))
        continue
      }
      do {
        let requests = try EventTransform.requests(
          message: message, destination: destination, forceV2: groupIsV2 ? true : nil)
        transformed.append(RoutedEvent(requests: requests, metadata: metadata, destination: destination))
      } catch {
        var item = JSONObject(minimumCapacity: 6)
        item.appendUnchecked("metadata", [metadata])
        item.appendUnchecked("batched", false)
        item.appendUnchecked("statusCode", .int(error.statusCode))
        item.appendUnchecked("error", .string(error.description))
        item.appendUnchecked(
          "statTags", .object(StatTags.tags(for: error, feature: "router", metadata: groupMetadata)))
        item.appendUnchecked("destination", destination)
        errors.append(.object(item))
      }
    }
    var batchable: [RoutedEvent] = []
    var testEvents: [JSONValue] = []
    for event in pretransformed + transformed {
      // §8.2: test events are never batched; the first request object's test_event_code decides.
      if event.requests.first?["body"]?["JSON"]?["test_event_code"].isTruthy ?? false {
        var item = JSONObject(minimumCapacity: 5)
        item.appendUnchecked("batchedRequest", .array(event.requests.map(JSONValue.object)))
        item.appendUnchecked("metadata", [event.metadata])
        item.appendUnchecked("batched", false)
        item.appendUnchecked("statusCode", 200)
        item.appendUnchecked("destination", event.destination)
        testEvents.append(.object(item))
      } else {
        batchable.append(event)
      }
    }
    let batches =
      groupIsV2
      ? Batching.eventsV2(batchable, limit: options.maxBatchSizeV2)
      : Batching.eventsV1(batchable, limit: options.maxBatchSizeV1)
    // §8.5: batches, then test events, then errors; stable-sorted by each item's minimum jobId.
    return Batching.sortedByMinimumJobId(batches + testEvents + errors)
  }
}

/// One successfully transformed (or pre-transformed) router input.
struct RoutedEvent {
  let requests: [JSONObject]
  let metadata: JSONValue
  let destination: JSONValue

  var config: DestinationConfig { DestinationConfig(destination: destination) }
}

/// §8.1 service-level grouping.
enum RouterGroups {
  /// Groups inputs by `destination.ID`, the source job id, and the stable-stringified `destination.Config`
  /// (unless `destination.hasDynamicConfig === false`), keeping first-appearance order.
  static func split(_ inputs: [JSONValue]) -> [[JSONValue]] {
    var keys: [String: Int] = [:]
    var groups: [[JSONValue]] = []
    for input in inputs {
      let destination = input["destination"]
      var key = (destination?["ID"] ?? .null).compactString()
      key += "\u{1}" + (input["context"]?["sources"]?["job_id"] ?? .null).compactString()
      if destination?["hasDynamicConfig"] != .bool(false) {
        key += "\u{1}" + (destination?["Config"] ?? .null).canonicalString()
      }
      if let i = keys[key] {
        groups[i].append(input)
      } else {
        keys[key] = groups.count
        groups.append([input])
      }
    }
    return groups
  }
}
