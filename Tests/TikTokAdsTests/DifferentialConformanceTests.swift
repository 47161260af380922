import Foundation
import JSON
import TestSupport
import Testing

@testable import TikTokAds

/// `../shared/conformance/differential/`: 2,000 processor and 200 router cases, generated inputs with the answers
/// of upstream rudder-transformer c98d160 under node, compared as its README says: JSON values (key order aside,
/// numbers by value), except the `error` text of 500 items in cases tagged `js-runtime-error`. A second pass checks
/// that text too (R11) and a third that numbers print exactly as upstream printed them (R15).
@Suite("Differential conformance corpus")
struct DifferentialConformanceTests {
  struct Case {
    let name: String
    let tags: Set<String>
    let input: JSONValue
    let expected: JSONValue
    let isRouter: Bool
    let maxBatchSizeV2: Int?
  }

  static func cases(_ file: String) throws -> [Case] {
    let url = Paths.differentialVectors.appendingPathComponent(file)
    let value = try JSONValue.parse([UInt8](try Data(contentsOf: url)))
    return (value.arrayValue ?? []).map { c in
      let description = c["description"]?.stringValue ?? ""
      var tags: Set<String> = []
      if let open = description.range(of: "[tags: ", options: .backwards) {
        let list = description[open.upperBound...].dropLast()
        tags = Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
      }
      return Case(
        name: c["name"]?.stringValue ?? "?", tags: tags, input: c["input"] ?? .null,
        expected: c["expected"]?["body"] ?? .null, isRouter: c["route"] == "POST /routerTransform",
        maxBatchSizeV2: c["mocks"]?["config_override"]?["maxBatchSizeV2"]?.int64Value.map(Int.init))
    }
  }

  static func run(_ c: Case) throws -> JSONValue {
    var options = TikTokAdsTransformer.Options()
    if let n = c.maxBatchSizeV2 { options.maxBatchSizeV2 = n }
    let transformer = TikTokAdsTransformer(options: options)
    return c.isRouter ? try transformer.routerResponse(for: c.input) : try transformer.processorResponse(for: c.input)
  }

  /// The items of a response body (the processor's array, the router's `output`).
  static func items(_ body: JSONValue, router: Bool) -> [JSONValue] {
    (router ? body["output"]?.arrayValue : body.arrayValue) ?? []
  }

  /// The README's rule: a 500 item with statTags `{errorCategory: "transformation"}` in a `js-runtime-error` case
  /// is compared without its `error` text.
  static func withoutRuntimeErrorText(_ body: JSONValue, _ c: Case) -> JSONValue {
    guard c.tags.contains("js-runtime-error") else { return body }
    let items = Self.items(body, router: c.isRouter).map { item -> JSONValue in
      guard item["statusCode"] == 500, item["statTags"]?["errorCategory"] == "transformation",
        case .object(var object) = item
      else { return item }
      object.removeValue(forKey: "error")
      return .object(object)
    }
    return c.isRouter ? .object(["output": .array(items)]) : .array(items)
  }

  static func check(_ file: String, count: Int, compare: (Case, JSONValue) -> String?) throws {
    let cases = try Self.cases(file)
    #expect(cases.count == count)
    var failures: [String] = []
    for c in cases {
      if let failure = compare(c, try Self.run(c)) { failures.append("\(c.name): \(failure)") }
    }
    #expect(failures.isEmpty, "\(failures.count) of \(cases.count) differ; first: \(failures.prefix(5))")
  }

  static func readmeComparison(_ c: Case, _ actual: JSONValue) -> String? {
    let e = withoutRuntimeErrorText(c.expected, c)
    let a = withoutRuntimeErrorText(actual, c)
    return e == a ? nil : ConformanceTests.firstDifference(e, a)
  }

  @Test(
    "processor.json: all 2,000 cases match as its README compares",
    .enabled(if: Paths.hasDifferentialVectors, "needs ../shared/conformance/differential"))
  func processorCases() throws {
    try Self.check("processor.json", count: 2000, compare: Self.readmeComparison)
  }

  @Test(
    "router.json: all 200 cases match as its README compares",
    .enabled(if: Paths.hasDifferentialVectors, "needs ../shared/conformance/differential"))
  func routerCases() throws {
    try Self.check("router.json", count: 200, compare: Self.readmeComparison)
  }

  @Test(
    "R11: every error text is V8's, the js-runtime-error items included",
    .enabled(if: Paths.hasDifferentialVectors, "needs ../shared/conformance/differential"),
    arguments: [("processor.json", 2000), ("router.json", 200)])
  func exactErrorText(_ file: String, _ count: Int) throws {
    try Self.check(file, count: count) { c, actual in
      c.expected == actual ? nil : ConformanceTests.firstDifference(c.expected, actual)
    }
  }

  @Test(
    "R15: numbers print as upstream printed them, byte for byte",
    .enabled(if: Paths.hasDifferentialVectors, "needs ../shared/conformance/differential"),
    arguments: ["processor.json", "router.json"])
  func numberText(_ file: String) throws {
    let bytes = [UInt8](try Data(contentsOf: Paths.differentialVectors.appendingPathComponent(file)))
    let tokens = ExpectedNumberTokens.scan(bytes)
    #expect(tokens.count > 1000, "the expected bodies hold numbers to check")
    var wrong: [String] = []
    for token in tokens {
      // Upstream wrote each number as JavaScript prints the double; so must our writer.
      let value = try JSONValue.parse(token)
      let printed = value.compactString()
      if printed != token { wrong.append("\(token) printed as \(printed)") }
    }
    #expect(wrong.isEmpty, "\(wrong.count) numbers print differently: \(wrong.prefix(5))")
    // And the transformer's own output, written compactly, has exactly the number texts upstream wrote.
    try Self.check(file, count: file == "router.json" ? 200 : 2000) { c, actual in
      let ours = JSONValue.array(Self.numbers(in: actual)).compactString()
      let theirs = JSONValue.array(Self.numbers(in: c.expected)).compactString()
      return ours == theirs ? nil : "numbers \(ours.prefix(200)) vs \(theirs.prefix(200))"
    }
  }

  @Test(
    "the bytes path (what `transform` runs: events on tapes, items written as they come) gives the value path's bytes",
    .enabled(if: Paths.hasDifferentialVectors, "needs ../shared/conformance/differential"))
  func bytesPathEqualsValuePath() throws {
    // Every processor case's events in one request, large enough for the parallel slices.
    let events = try Self.cases("processor.json").flatMap { $0.input.arrayValue ?? [] }
    #expect(events.count >= 2000)
    let request = JSONValue.array(events)
    let transformer = TikTokAdsTransformer()
    let expected = try transformer.processorResponse(for: request).compactBytes()
    let text = request.compactBytes()
    for workers in [1, 2] {
      let bytes = try text.withUnsafeBytes { try transformer.processorResponseBytes(request: $0, workers: workers) }
      #expect(bytes == expected, "workers \(workers)")
    }
    // Each event alone, through the text sink, as the value sink's item written compactly.
    for event in events {
      let ref = JSONTape(event, numbers: .javaScript).root
      var values = ProcessorItemValues()
      transformer.processorItems(for: ref, into: &values)
      var text = ProcessorItemText(buffer: ByteBuffer())
      transformer.processorItems(for: ref, into: &text)
      let written = values.items.map { $0.compactString() }.joined(separator: ",")
      #expect(String(decoding: text.buffer.bytes, as: UTF8.self) == written)
    }
  }

  /// Every number in `value`, in document order (object members by key, so key order does not matter).
  static func numbers(in value: JSONValue) -> [JSONValue] {
    switch value {
    case .int, .double, .numberLiteral: return [value]
    case .array(let items): return items.flatMap(numbers)
    case .object(let object): return object.sortedByKey().flatMap { numbers(in: $0.value) }
    default: return []
    }
  }
}

/// The number tokens of the `expected` members of a conformance file, as written (a small scanner that tracks
/// strings and nesting; `expected` is a member of each case object, at depth 2).
enum ExpectedNumberTokens {
  static func scan(_ bytes: [UInt8]) -> [String] {
    var tokens: [String] = []
    var depth = 0
    var i = 0
    var lastString = ""
    var expectedDepth: Int? = nil  // the depth of the case object whose `expected` value is being read
    while i < bytes.count {
      let b = bytes[i]
      switch b {
      case UInt8(ascii: "\""):
        var j = i + 1
        while j < bytes.count && bytes[j] != UInt8(ascii: "\"") { j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1 }
        lastString = String(decoding: bytes[(i + 1)..<min(j, bytes.count)], as: UTF8.self)
        i = j + 1
        continue
      case UInt8(ascii: ":"):
        if depth == 2 && lastString == "expected" { expectedDepth = depth }
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth -= 1
        if let d = expectedDepth, depth == d { expectedDepth = nil }
      case UInt8(ascii: ","):
        if let d = expectedDepth, depth == d { expectedDepth = nil }
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        var j = i
        while j < bytes.count, "0123456789+-.eE".utf8.contains(bytes[j]) { j += 1 }
        if expectedDepth != nil { tokens.append(String(decoding: bytes[i..<j], as: UTF8.self)) }
        i = j
        continue
      default:
        break
      }
      i += 1
    }
    return tokens
  }
}
