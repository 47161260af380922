import JSON

extension TikTokAdsTransformer {
  /// The router response body (`POST /routerTransform`) for `{destType, input: [{message, metadata, destination}]}`:
  /// `{output: [...]}` with batches, test events and errors (spec §8).
  ///
  /// - Throws: ``RequestShapeError`` when the body has no `input` array.
  public func routerResponse(for body: JSONValue) throws(RequestShapeError) -> JSONValue {
    let inputs = try Self.routerInputs(body)
    return .object(["output": .array(routerOutput(inputs, destType: body["destType"], traces: nil).map(\.value))])
  }

  /// The router response for `body`, with the trace of each input event and the output items it went to (see
  /// ``tracedProcessorResponse(for:)``).
  public func tracedRouterResponse(for body: JSONValue) throws(RequestShapeError) -> TracedResponse {
    let inputs = try Self.routerInputs(body)
    let traces = inputs.map { _ in TransformTrace() }
    let items = routerOutput(inputs, destType: body["destType"], traces: traces)
    var events = traces.enumerated().map { TracedEvent(input: $0, trace: $1, outputs: []) }
    for (k, item) in items.enumerated() {
      for (member, offset) in zip(item.members, item.offsets) {
        events[member] = TracedEvent(
          input: member, trace: traces[member], outputs: events[member].outputs + [k],
          offsets: events[member].offsets + [offset])
      }
    }
    var requestRows = Self.numberRows(body)
    if inputs.isEmpty { requestRows.insert(.rule(.r17)) }
    return TracedResponse(
      body: .object(["output": .array(items.map(\.value))]), events: events, isRouter: true, requestRows: requestRows)
  }

  private static func routerInputs(_ body: JSONValue) throws(RequestShapeError) -> [JSONRef] {
    guard case .object = body else { throw RequestShapeError(pointer: "", expected: "an object {destType, input}") }
    guard case .array(let inputs)? = body["input"] else {
      throw RequestShapeError(pointer: "/input", expected: "an array of {message, metadata, destination}")
    }
    return inputs.map(Self.tape)
  }

  /// The `output` items for the router inputs (on tapes with JavaScript numbers), with the inputs each holds.
  func routerOutput(_ inputs: [JSONRef], destType: JSONValue?, traces: [TransformTrace]?) -> [RouterItem] {
    // R17: an empty input array is refused as a whole, with the request's own destType.
    guard !inputs.isEmpty else {
      var item = JSONObject(minimumCapacity: 4)
      var destTypeObject = JSONObject()
      if let destType { destTypeObject.appendUnchecked("destType", destType) }
      item.appendUnchecked("metadata", [.object(destTypeObject)])
      item.appendUnchecked("batched", false)
      item.appendUnchecked("statusCode", 400)
      item.appendUnchecked("error", "Invalid event array")
      return [RouterItem(value: .object(item), members: [], offsets: [])]
    }
    var prepared: [RouterInput] = []
    prepared.reserveCapacity(inputs.count)
    for (i, input) in inputs.enumerated() {
      let trace = traces?[i]
      do throws(TransformError) {
        let event = try RequestPipeline.prepare(input, trace: trace)
        prepared.append(RouterInput(index: i, event: event, context: input["context"], trace: trace))
      } catch {
        // R13: the pipeline throws outside any per-event handler, so the whole request fails.
        for other in traces ?? [] {
          other.eventRule(.r13)
          other.hit(.rule(.r13))
          other.hit(.batching("R13: the whole request fails"))
        }
        let item = RouterFailure.item(error, metadata: inputs.map { $0["metadata"]?.value ?? .null })
        return [RouterItem(value: item, members: Array(inputs.indices), offsets: inputs.map { _ in 0 })]
      }
    }
    var output: [RouterItem] = []
    // §8.1: groups in first-appearance order; outputs concatenated in group order, not re-sorted across groups.
    let groups = RouterGroups.split(prepared)
    for group in groups {
      if groups.count > 1 { for input in group { input.trace?.hit(.batching("§8.1: several groups in one request")) } }
      do throws(TransformError) {
        output.append(contentsOf: try routeGroup(group))
      } catch {
        // R14: the TikTok router function threw for the group; the service answers for all of its events.
        let item = RouterFailure.item(error, metadata: group.map { $0.event.metadata?.value ?? .null })
        for input in group { input.trace?.hit(.batching("R14: the whole group fails")) }
        output.append(RouterItem(value: item, members: group.map(\.index), offsets: group.map { _ in 0 }))
      }
    }
    return output
  }

  /// The TikTok router function on one service-level group.
  ///
  /// - Throws: R14: a runtime error that fails the whole group (a pre-transformed v2 body without `data`).
  func routeGroup(_ inputs: [RouterInput]) throws(TransformError) -> [RouterItem] {
    guard let first = inputs.first else { return [] }
    // §8.1: the router-level version switch reads only the first input's config. In a v2 group every event is
    // transformed the v2 way; in a v1 group each event's own config decides (Q14).
    let groupIsV2 = DestinationConfig.isEventsV2(first.event.destination)
    let groupMetadata = first.event.metadata
    var outcomes: [RouterOutcome] = []
    outcomes.reserveCapacity(inputs.count)
    for (index, input) in inputs.enumerated() {
      outcomes.append(RouterOutcome.of(input, index: index, groupIsV2: groupIsV2, groupMetadata: groupMetadata))
    }
    // R16: upstream collects the outcomes as its promises settle: pre-transformed inputs synchronously, then events
    // its v1 code transformed, then those it handed to the v2 code (one more `await`); input order within each.
    let settled = outcomes.sorted { ($0.settlesAfter, $0.index) < ($1.settlesAfter, $1.index) }
    if settled.map(\.index) != outcomes.map(\.index) {
      for input in inputs {
        input.trace?.eventRule(.r16)
        input.trace?.hit(.rule(.r16))
      }
    }
    var batchable: [RoutedEvent] = []
    var testEvents: [RouterItem] = []
    var errors: [RouterItem] = []
    for outcome in settled {
      let input = inputs[outcome.index]
      switch outcome.result {
      case .failure(let item):
        errors.append(RouterItem(value: item, members: [input.index], offsets: [0]))
      case .success(let event):
        // §8.2: test events are never batched; the first request object's test_event_code decides.
        if event.requests.first?["body"]?["JSON"]?["test_event_code"].isTruthy ?? false {
          var item = JSONObject(minimumCapacity: 5)
          item.appendUnchecked("batchedRequest", .array(event.requests.map(JSONValue.object)))
          item.appendUnchecked("metadata", [event.metadata])
          item.appendUnchecked("batched", false)
          item.appendUnchecked("statusCode", 200)
          item.appendUnchecked("destination", event.destination)
          testEvents.append(RouterItem(value: .object(item), members: [input.index], offsets: [0]))
          input.trace?.hit(.batching("§8.2: a test event is sent alone"))
        } else {
          batchable.append(event)
        }
      }
    }
    let batches =
      groupIsV2
      ? try Batching.eventsV2(batchable, limit: options.maxBatchSizeV2)
      : Batching.eventsV1(batchable, limit: options.maxBatchSizeV1)
    // §8.5: batches, then test events, then errors; sorted by each item's minimum jobId (R12, R18: as V8 sorts).
    let items = batches + testEvents + errors
    let order = JobIdOrder.order(items.map(\.value))
    let traces = inputs.compactMap(\.trace)
    if !traces.isEmpty {
      if order != Array(items.indices) { for trace in traces { trace.hit(.batching("§8.5: sorted by minimum jobId")) } }
      if items.contains(where: { JobIdOrder.minimumJobId($0.value).isNaN }) {
        for trace in traces {
          trace.eventRule(.r18)
          trace.hit(.rule(.r18))
        }
      }
    }
    return order.map { items[$0] }
  }
}

/// One router input after the pipeline, with the member the service groups by.
struct RouterInput {
  /// The input's index in the request's `input`.
  let index: Int
  let event: PreparedEvent
  /// `input.context` (its `sources.job_id` is a grouping key).
  let context: JSONRef?
  let trace: TransformTrace?
}

/// What one router input became inside the TikTok router function.
struct RouterOutcome {
  let index: Int
  /// R16: how late upstream's promise for this input settles (0 synchronous, 1 v1 code, 2 v2 code in a v1 group).
  let settlesAfter: Int
  let result: Result

  enum Result {
    case success(RoutedEvent)
    case failure(JSONValue)
  }

  static func of(_ routerInput: RouterInput, index: Int, groupIsV2: Bool, groupMetadata: JSONRef?) -> RouterOutcome {
    let input = routerInput.event
    let trace = routerInput.trace
    let metadata = input.metadata?.value ?? .null
    let destination = input.destination?.value ?? .null
    let message = input.message
    // §8.2, Q17: a truthy message.statusCode marks an already transformed input, handled synchronously.
    let pretransformed = message["statusCode"].isTruthy
    let viaV2Code = !groupIsV2 && !pretransformed && DestinationConfig.isEventsV2(input.destination)
    let settlesAfter = pretransformed ? 0 : (viaV2Code ? 2 : 1)
    if pretransformed {
      trace?.eventRule(.q17)
      trace?.hit(.rule(.q17))
      trace?.pretransformed()
      let data = message["body"]?["JSON"]?["data"]
      trace?.targetCount = data?.isArray == true ? data?.count ?? 1 : 1
    }
    if viaV2Code { trace?.hit(.batching("v1 group: an event configured for v2 is transformed the v2 way (§8.1)")) }
    if groupIsV2 && !DestinationConfig.isEventsV2(input.destination) {
      trace?.eventRule(.q14)
      trace?.hit(.rule(.q14))
    }
    do throws(TransformError) {
      let requests =
        pretransformed
        ? [message.value.objectValue ?? JSONObject()]
        : try EventTransform.requests(input, forceV2: groupIsV2 ? true : nil, trace: trace).map(\.object)
      do { try RoutedEvent.checkTestEventCodeReadable(requests) } catch {
        let check = requests.isEmpty ? Check.noFirstRequest : Check.noBodyJSON
        throw trace.failing(error, check, at: ["message"], isV2: requests.isEmpty ? false : nil)
      }
      let event = RoutedEvent(
        input: routerInput.index, requests: requests, metadata: metadata, destination: destination, trace: trace)
      return RouterOutcome(index: index, settlesAfter: settlesAfter, result: .success(event))
    } catch {
      var item = JSONObject(minimumCapacity: 6)
      item.appendUnchecked("metadata", [metadata])
      item.appendUnchecked("batched", false)
      item.appendUnchecked("statusCode", .int(error.statusCode))
      item.appendUnchecked("error", .string(error.description))
      item.appendUnchecked("statTags", .object(StatTags.tags(for: error, feature: "router", metadata: groupMetadata)))
      item.appendUnchecked("destination", destination)
      return RouterOutcome(index: index, settlesAfter: settlesAfter, result: .failure(.object(item)))
    }
  }
}

/// One successfully transformed (or pre-transformed) router input.
struct RoutedEvent {
  /// The input's index in the request's `input`.
  let input: Int
  let requests: [JSONObject]
  let metadata: JSONValue
  let destination: JSONValue
  let trace: TransformTrace?

  /// The first request's Config, as the batch reads it (a Config that cannot be read gives no token or pixel).
  var config: DestinationConfig? { try? DestinationConfig(destination: destination) }

  /// Upstream reads `message[0].body.JSON.test_event_code` of every event inside its per-event handler, so an
  /// event without a first request (R1: a v1 event mapped to no TikTok event) or without `body.JSON` fails there.
  static func checkTestEventCodeReadable(_ requests: [JSONObject]) throws(TransformError) {
    guard let first = requests.first else { throw .runtime("Cannot read properties of undefined (reading 'body')") }
    guard let body = first["body"] else { throw .runtime("Cannot read properties of undefined (reading 'JSON')") }
    if body.isNull { throw .runtime("Cannot read properties of null (reading 'JSON')") }
    guard let json = body["JSON"] else {
      throw .runtime("Cannot read properties of undefined (reading 'test_event_code')")
    }
    if json.isNull { throw .runtime("Cannot read properties of null (reading 'test_event_code')") }
  }
}

/// R13, R14: a failure of the whole request or group, answered by the service for every event in it.
enum RouterFailure {
  static func item(_ error: TransformError, metadata: [JSONValue]) -> JSONValue {
    var item = JSONObject(minimumCapacity: 5)
    item.appendUnchecked("metadata", .array(metadata))
    item.appendUnchecked("batched", false)
    item.appendUnchecked("statusCode", .int(error.statusCode))
    item.appendUnchecked("error", .string(error.description))
    item.appendUnchecked("statTags", ["errorCategory": "transformation"])
    return .object(item)
  }
}

/// §8.1 service-level grouping.
enum RouterGroups {
  /// Groups inputs by `destination.ID`, the source job id, and the stable-stringified (R4: resolved)
  /// `destination.Config` (unless `destination.hasDynamicConfig === false`), keeping first-appearance order.
  static func split(_ inputs: [RouterInput]) -> [[RouterInput]] {
    var keys: [String: Int] = [:]
    var groups: [[RouterInput]] = []
    for input in inputs {
      let destination = input.event.destination
      var key = (destination?["ID"]?.value ?? .null).compactString()
      key += "\u{1}" + (input.context?["sources"]?["job_id"]?.value ?? .null).compactString()
      if destination?["hasDynamicConfig"]?.boolValue != false {
        key += "\u{1}" + (destination?["Config"]?.value ?? .null).canonicalString()
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
