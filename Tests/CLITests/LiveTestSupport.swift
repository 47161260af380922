import Foundation
import JSON
import TestSupport
import TikTokAds

/// Case folders for the live-transformer tests, with `expected` computed by the built-in transformer.
enum LiveCorpus {
  /// The committed processor cases without batch-limit overrides, as request bodies.
  static func goldenProcessorInputs() throws -> [(name: String, input: JSONValue)] {
    let root = Paths.packageRoot.appendingPathComponent("Golden")
    var out: [(String, JSONValue)] = []
    let walker = FileManager.default.enumerator(atPath: root.path)
    var names: [String] = []
    while let name = walker?.nextObject() as? String {
      if name.hasSuffix(".json") { names.append(name) }
    }
    for name in names.sorted() {
      let value = try JSONValue.parse(Array(try Data(contentsOf: root.appendingPathComponent(name))))
      guard value["route"]?.stringValue == "POST /v0/destinations/tiktok_ads", value["mocks"] == nil,
        let input = value["input"]
      else { continue }
      out.append((String(name.dropLast(5)), input))
    }
    return out
  }

  /// `input` with every item's `metadata.jobId` set to `jobId`, `jobId + 1`, …
  static func numbered(_ input: JSONValue, from jobId: Int) -> JSONValue {
    guard case .array(var items) = input else { return input }
    for i in items.indices {
      _ = items[i].modifyObject { item in
        _ = item["metadata"]?.modifyObject { $0["jobId"] = .int(Int64(jobId + i)) }
      }
    }
    return .array(items)
  }

  /// Writes `name.json` under `folder` for each case: the input and, as expected, the built-in transformer's answer
  /// (changed by `tamper` when given, to make the case fail).
  static func write(
    _ cases: [(name: String, input: JSONValue)], to folder: URL, tamper: (String, inout JSONValue) -> Void = { _, _ in }
  ) throws {
    let transformer = TikTokAdsTransformer()
    for (name, input) in cases {
      var body = try transformer.processorResponse(for: input)
      tamper(name, &body)
      let document: JSONValue = [
        "route": "POST /v0/destinations/tiktok_ads", "input": input, "expected": ["status": 200, "body": body],
      ]
      let url = folder.appendingPathComponent(name + ".json")
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(document.canonicalString().utf8).write(to: url)
    }
  }

  /// A JSON report with what varies between runs removed (the transformer's name, each case's seconds).
  static func comparable(_ reportFile: URL) throws -> JSONValue {
    var report = try JSONValue.parse(Array(try Data(contentsOf: reportFile)))
    _ = report.modifyObject { root in
      root["transformer"] = nil
      if case .array(var cases)? = root["cases"] {
        for i in cases.indices { _ = cases[i].modifyObject { $0["seconds"] = nil } }
        root["cases"] = .array(cases)
      }
    }
    return report
  }
}

/// An event with one item: a v1 track event for `event`, with `config` as the destination's Config.
func liveEvent(_ event: String, jobId: Int, config: JSONValue? = nil, metadata: Bool = true) -> JSONValue {
  var item: JSONObject = [
    "message": [
      "type": "track", "event": .string(event), "messageId": .string("m-\(jobId)"),
      "timestamp": "2024-03-01T10:20:30.456Z", "properties": ["value": 25, "currency": "USD"],
    ],
    "destination": [
      "ID": "d1",
      "Config": config ?? ["accessToken": "golden-access-token", "pixelCode": "GOLDENPIXEL01"],
    ],
  ]
  if metadata { item["metadata"] = ["jobId": .int(Int64(jobId)), "destinationId": "d1"] }
  return .array([.object(item)])
}
