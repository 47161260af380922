// libFuzzer target: the TikTok Ads transformer on arbitrary JSON.
// Properties: no crash; every processor input gets at least one item (but R1's v1 `__proto__`/`constructor`),
// every item has statusCode 200, 400 or 500, and every error item has `error` and `statTags` (but R17's, for a
// router request with no inputs); the bytes pipeline (`transform`) agrees with the value API; the router accounts
// for every input's metadata.
import JSON
import TikTokAds

let transformer = TikTokAdsTransformer(options: .init(maxBatchSizeV1: 3, maxBatchSizeV2: 3))
let destinations: [JSONValue] = [
  ["ID": "d1", "Config": ["accessToken": "t", "pixelCode": "P", "version": "v2", "hashUserProperties": true]],
  [
    "ID": "d2",
    "Config": [
      "accessToken": "t", "pixelCode": "P", "hashUserProperties": false, "sendCustomEvents": true,
      "eventsToStandard": [["from": "Foo", "to": "Purchase"]],
    ],
  ],
]

func checkItems(_ items: [JSONValue], what: String) {
  for item in items {
    guard let status = item["statusCode"]?.int64Value, [200, 400, 500].contains(status) else {
      fatalError("\(what): item without a valid statusCode: \(item.compactString())")
    }
    if status != 200, item["statTags"]?.objectValue == nil || item["error"]?.stringValue == nil {
      fatalError("\(what): error item without statTags/error: \(item.compactString())")
    }
  }
}

/// Processor: each input gets ≥ 1 item; the bytes pipeline equals the value API written compactly.
func checkProcessor(_ inputs: [JSONValue]) {
  guard let out = try? transformer.processorResponse(for: .array(inputs)), let items = out.arrayValue else {
    fatalError("processorResponse threw for an array")
  }
  // R1: an Events 1.0 event whose trimmed, lower-cased name is `__proto__` or `constructor` finds a member of
  // Object.prototype in upstream's lookup and makes no item at all (differential cases 0084, 0339, 1984). Loosely
  // matched here (JavaScript's trim and Swift's white space differ at the edges): any name holding either word.
  let itemless = inputs.filter {
    let name = $0["message"]?["event"]?.stringValue?.lowercased() ?? ""
    return (name.contains("__proto__") || name.contains("constructor"))
      && $0["destination"]?["Config"]?["version"]?.stringValue != "v2"
  }.count
  if items.count < inputs.count - itemless { fatalError("\(inputs.count) inputs, \(items.count) items") }
  checkItems(items, what: "processor")
  let request = JSONValue.array(inputs).compactBytes()
  let bytes = request.withUnsafeBytes { try? transformer.processorResponseBytes(request: $0, workers: 1) }
  if bytes != out.compactBytes() { fatalError("bytes pipeline differs from the value API") }
}

func checkRouter(_ inputs: [JSONValue]) {
  var tagged: [JSONValue] = []
  for input in inputs {
    guard case .object(var o) = input else { continue }
    o.set("metadata", ["jobId": .int(Int64(tagged.count))])
    tagged.append(.object(o))
  }
  guard let out = try? transformer.routerResponse(for: ["destType": "tiktok_ads", "input": .array(tagged)]),
    let items = out["output"]?.arrayValue
  else { fatalError("routerResponse threw for an input array") }
  if tagged.isEmpty {
    // R17: an empty input array is refused as a whole, with upstream's item (which has no statTags).
    let expected: JSONValue = [
      "metadata": [["destType": "tiktok_ads"]], "batched": false, "statusCode": 400, "error": "Invalid event array",
    ]
    if items.count != 1 || items[0] != expected { fatalError("router: not R17's item for no inputs: \(out)") }
    return
  }
  checkItems(items, what: "router")
  var seen: [Int64] = []
  for item in items {
    for m in item["metadata"]?.arrayValue ?? [] { if let j = m["jobId"]?.int64Value { seen.append(j) } }
  }
  if seen.sorted() != (0..<Int64(tagged.count)).map({ $0 }) {
    fatalError("router lost or duplicated metadata: \(seen)")
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTransformer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  // The raw bytes through the pipeline `transform` uses: malformed JSON must be an error, not a crash.
  let viaBytes = try? transformer.processorResponseBytes(request: bytes, workers: 1)
  guard let value = try? JSONValue.parse(bytes, maxDepth: 200) else { return 0 }
  if case .array = value, viaBytes == nil, (try? JSONValue.parse(bytes)) != nil {
    fatalError("bytes pipeline rejected a valid array")
  }
  switch value {
  case .array(let inputs):
    checkProcessor(inputs)
    checkRouter(inputs)
  case .object where value["input"] != nil:
    _ = try? transformer.routerResponse(for: value)
    if let inputs = value["input"]?.arrayValue { checkRouter(inputs) }
  default:
    break
  }
  // The value as a message (and, if an object, as a whole input item) under each destination.
  var inputs: [JSONValue] = []
  for (i, destination) in destinations.enumerated() {
    inputs.append(["message": value, "destination": destination, "metadata": ["jobId": .int(Int64(i))]])
  }
  if case .object = value { inputs.append(value) }
  checkProcessor(inputs)
  checkRouter(inputs)
  return 0
}
