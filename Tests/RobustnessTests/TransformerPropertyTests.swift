import Foundation
import JSON
import TestSupport
import Testing
import TikTokAds

/// Seeded properties of the transformer on arbitrary messages: every input gets response items with status
/// 200, 400 or 500 (errors with statTags), in input order, never a crash; the bytes pipeline agrees with the value
/// API; the router accounts for every input's metadata.
@Suite struct TransformerPropertyTests {
  /// Every processor input item of the golden corpus (v1, v2, errors, mapping) and every router input.
  static let seeds: (processor: [JSONValue], router: [JSONValue]) = {
    var processor: [JSONValue] = []
    var router: [JSONValue] = []
    let root = Paths.packageRoot.appendingPathComponent("Golden")
    for suite in ["v1", "v2", "errors", "mapping", "router"] {
      let folder = root.appendingPathComponent(suite)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
      for name in names.sorted() where name.hasSuffix(".json") {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
          let value = try? JSONValue.parse([UInt8](data)), let input = value["input"]
        else { continue }
        if let items = input.arrayValue { processor += items }
        if let items = input["input"]?.arrayValue { router += items }
      }
    }
    return (processor, router)
  }()

  /// Replaces, removes or adds one random node somewhere inside `value`.
  static func mutate(_ value: JSONValue, _ r: inout SeededRandom, depth: Int = 0) -> JSONValue {
    switch value {
    case .object(var o) where !o.isEmpty && r.chance(0.8) && depth < 8:
      let i = r.below(o.count)
      let key = o[i].key
      switch r.below(6) {
      case 0: _ = o.removeValue(forKey: key)
      case 1: o.set(r.pick(JSONGen.keyPool), JSONGen.value(&r, depth: 2))
      default: o.set(key, mutate(o[i].value, &r, depth: depth + 1))
      }
      return .object(o)
    case .array(var a) where !a.isEmpty && r.chance(0.8) && depth < 8:
      let i = r.below(a.count)
      switch r.below(5) {
      case 0: a.remove(at: i)
      case 1: a.append(a[i])
      default: a[i] = mutate(a[i], &r, depth: depth + 1)
      }
      return .array(a)
    default:
      return JSONGen.value(&r, depth: 3)
    }
  }

  /// A processor input item: a mutated golden item, or a random message under a random or golden destination.
  static func processorItem(_ r: inout SeededRandom, jobId: Int) -> JSONValue {
    var item: JSONValue
    switch r.below(10) {
    case 0: item = JSONGen.value(&r, depth: 4)
    case 1:
      var o = JSONObject()
      o.set("message", JSONGen.value(&r, depth: 4))
      o.set("destination", r.pick(seeds.processor)["destination"] ?? .null)
      item = .object(o)
    default:
      item = r.pick(seeds.processor)
      for _ in 0..<(1 + r.below(4)) { item = mutate(item, &r) }
    }
    if case .object(var o) = item, r.chance(0.9) {
      o.set("metadata", ["jobId": .int(Int64(jobId))])
      item = .object(o)
    }
    return item
  }

  static func checkItem(_ item: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let status = item["statusCode"]?.int64Value else {
      Issue.record("item without statusCode: \(item.compactString())", sourceLocation: sourceLocation)
      return
    }
    #expect([200, 400, 500].contains(status), "status \(status)", sourceLocation: sourceLocation)
    // R17: an empty router input is refused with a bare 400 item, as upstream's service answers it.
    let isEmptyInputRefusal = item["error"] == "Invalid event array"
    if status != 200 {
      #expect(
        item["statTags"]?.objectValue != nil || isEmptyInputRefusal, "error without statTags",
        sourceLocation: sourceLocation)
      #expect(item["error"]?.stringValue != nil, "error without message", sourceLocation: sourceLocation)
    }
  }

  @Test func everyProcessorInputGetsItsItems() throws {
    #expect(Self.seeds.processor.count > 50)
    var r = SeededRandom(seed: 0x150_0201)
    let transformer = TikTokAdsTransformer()
    var statuses: [Int64: Int] = [:]
    for _ in 0..<400 {
      let inputs = (0..<(1 + r.below(5))).map { Self.processorItem(&r, jobId: $0) }
      let response = try transformer.processorResponse(for: .array(inputs))
      let items = try #require(response.arrayValue)
      // Processing is per event: the whole answer is the concatenation of each input's own answer.
      var expected: [JSONValue] = []
      for input in inputs {
        let own = try #require(try transformer.processorResponse(for: [input]).arrayValue)
        #expect(!own.isEmpty, "no item for \(input.compactString())")
        expected += own
      }
      // (Messages name the input's index, so compare the shape: statuses and metadata, item by item.)
      #expect(items.map { $0["statusCode"] ?? .null } == expected.map { $0["statusCode"] ?? .null })
      #expect(items.map { $0["metadata"] ?? .null } == expected.map { $0["metadata"] ?? .null })
      for item in items {
        Self.checkItem(item)
        statuses[item["statusCode"]?.int64Value ?? -1, default: 0] += 1
      }
      // The bytes pipeline (used by `transform`) gives the same answer as the value API.
      let request = JSONValue.array(inputs).compactBytes()
      let bytes = try request.withUnsafeBytes { try transformer.processorResponseBytes(request: $0) }
      #expect(bytes == response.compactBytes())
    }
    // The mutations must reach all three outcomes, or the property is not being exercised.
    #expect(
      statuses[200, default: 0] > 50 && statuses[400, default: 0] > 50 && statuses[500, default: 0] > 10, "\(statuses)")
  }

  @Test func everyRouterInputIsAccountedFor() throws {
    var r = SeededRandom(seed: 0x150_0202)
    let transformer = TikTokAdsTransformer(options: .init(maxBatchSizeV1: 3, maxBatchSizeV2: 3))
    for _ in 0..<300 {
      var inputs: [JSONValue] = []
      for _ in 0..<(1 + r.below(8)) {
        var item = r.chance(0.5) ? r.pick(Self.seeds.router) : r.pick(Self.seeds.processor)
        for _ in 0..<r.below(3) { item = Self.mutate(item, &r) }
        guard case .object(var o) = item else { continue }
        o.set("metadata", ["jobId": .int(Int64(inputs.count))])
        inputs.append(.object(o))
      }
      let response = try transformer.routerResponse(for: ["destType": "tiktok_ads", "input": .array(inputs)])
      let output = try #require(response["output"]?.arrayValue)
      var seen: [Int64] = []
      for item in output {
        Self.checkItem(item)
        for m in item["metadata"]?.arrayValue ?? [] { seen += m["jobId"]?.int64Value.map { [$0] } ?? [] }
      }
      #expect(seen.sorted() == (0..<Int64(inputs.count)).map { $0 }, "\(JSONValue.array(inputs).compactString())")
    }
  }

  @Test func wrongShapedBodiesAreRequestErrors() {
    var r = SeededRandom(seed: 0x150_0203)
    let transformer = TikTokAdsTransformer()
    for _ in 0..<500 {
      let body = JSONGen.value(&r, depth: 3)
      if case .array = body {
        #expect(throws: Never.self) { try transformer.processorResponse(for: body) }
      } else {
        #expect(throws: RequestShapeError.self) { try transformer.processorResponse(for: body) }
      }
      _ = try? transformer.routerResponse(for: body)
      _ = try? transformer.routerResponse(for: ["input": body])
    }
  }
}
