import Foundation
import JSON
import TestSupport
import Testing

@testable import TikTokAds

/// Every upstream processor and router vector through the library, compared as JSON (key order aside).
@Suite("Upstream conformance vectors")
struct ConformanceTests {
  static func cases(_ file: String) throws -> [JSONValue] {
    let url = Paths.upstreamVectors.appendingPathComponent(file)
    let value = try JSONValue.parse([UInt8](try Data(contentsOf: url)))
    return value.arrayValue ?? []
  }

  static func run(_ testCase: JSONValue) throws -> JSONValue {
    var options = TikTokAdsTransformer.Options()
    if let n = testCase["mocks"]?["config_override"]?["maxBatchSizeV2"]?.int64Value { options.maxBatchSizeV2 = Int(n) }
    let transformer = TikTokAdsTransformer(options: options)
    let input = testCase["input"] ?? .null
    if testCase["route"]?.stringValue == "POST /routerTransform" {
      return try transformer.routerResponse(for: input)
    }
    return try transformer.processorResponse(for: input)
  }

  // Without ../shared the two tests below are reported as skipped ("needs ../shared/conformance/upstream"),
  // never passed silently.

  @Test(
    "processor.json: all 52 cases match", .enabled(if: Paths.hasUpstreamVectors, "needs ../shared/conformance/upstream")
  )
  func processorVectors() throws {
    let cases = try Self.cases("processor.json")
    #expect(cases.count == 52)
    for c in cases {
      let actual = try Self.run(c)
      let expected = c["expected"]?["body"] ?? .null
      #expect(actual == expected, "\(c["name"]?.stringValue ?? "?"): \(Self.firstDifference(expected, actual))")
    }
  }

  @Test(
    "router.json: all 8 cases match", .enabled(if: Paths.hasUpstreamVectors, "needs ../shared/conformance/upstream"))
  func routerVectors() throws {
    let cases = try Self.cases("router.json")
    #expect(cases.count == 8)
    for c in cases {
      let actual = try Self.run(c)
      let expected = c["expected"]?["body"] ?? .null
      #expect(actual == expected, "\(c["name"]?.stringValue ?? "?"): \(Self.firstDifference(expected, actual))")
    }
  }

  /// The first differing place, for a readable failure message.
  static func firstDifference(_ expected: JSONValue, _ actual: JSONValue, path: String = "") -> String {
    switch (expected, actual) {
    case (.object(let e), .object(let a)):
      for entry in e {
        guard let other = a[entry.key] else { return "\(path)/\(entry.key): missing" }
        if other != entry.value { return firstDifference(entry.value, other, path: path + "/" + entry.key) }
      }
      for entry in a where e[entry.key] == nil {
        return "\(path)/\(entry.key): unexpected \(entry.value.compactString())"
      }
    case (.array(let e), .array(let a)):
      if e.count != a.count { return "\(path): array length \(e.count) expected, got \(a.count)" }
      for (i, (x, y)) in zip(e, a).enumerated() where x != y {
        return firstDifference(x, y, path: path + "/\(i)")
      }
    default:
      break
    }
    return "\(path): expected \(expected.compactString()), got \(actual.compactString())"
  }
}
