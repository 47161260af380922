import Foundation
import JSON
import TestSupport
import Testing

/// `explain`, `replay --coverage` and `record --dedupe` through the built binary.
@Suite struct LineageCLITests {
  static let config = #"{"accessToken":"tok-1","pixelCode":"PIX1","version":"v2","hashUserProperties":true}"#
  static let greekEvent = """
    {"type":"track","event":"Order Completed","messageId":"m-1","timestamp":"2024-05-09T10:12:31Z",
     "context":{"traits":{"email":" ΟΔΥΣΣΕΥΣ@Example.com"},"library":{"name":"analytics.js"}},
     "properties":{"order_id":1001,"currency":"USD","value":46.0,"coupon":"SPRING",
                   "products":[{"product_id":"sku-1","price":23,"quantity":2,"sku":"X1"}]}}
    """

  static func explain(_ args: [String], files: [String: String]) throws -> ProcessResult {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    for (name, text) in files { try dir.write(name, text) }
    return try Harness.run(["explain"] + args, currentDirectory: dir.url)
  }

  @Test("explain names each field's source, steps and rules, and the input fields nothing read")
  func explainGreekEmail() throws {
    let r = try Self.explain(
      ["event.json", "--config", "dest.json", "--json"],
      files: ["event.json": Self.greekEvent, "dest.json": Self.config])
    #expect(r.status == 0, "\(r.stderr)")
    let items = try #require(try JSONValue.parse(r.stdout).arrayValue)
    #expect(items.count == 1)
    let fields = try #require(items[0]["output"]?.arrayValue)
    let email = try #require(fields.first { $0["pointer"] == "/0/output/body/JSON/data/0/user/email" })
    #expect(email["source"] == "/0/message/context/traits/email")
    #expect(email["steps"] == ["trim", "toLowerCase", "trim", "sha256 (UTF-16 low bytes)"])
    let rules = email["rules"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    #expect(rules.contains("R2") && rules.contains("Q18") && rules.contains("R2b") == false, "\(rules)")
    let value = try #require(fields.first { $0["pointer"] == "/0/output/body/JSON/data/0/properties/value" })
    #expect(value["value"] == 46)
    #expect(value["rules"]?.arrayValue?.contains { $0["id"] == "R15" } == true)
    let contentType = try #require(
      fields.first { $0["pointer"] == "/0/output/body/JSON/data/0/properties/content_type" })
    #expect(contentType["source"]?["constant"]?.stringValue?.contains("§7.3") == true)
    let unused = items[0]["unused"]?.arrayValue?.compactMap { $0["pointer"]?.stringValue } ?? []
    #expect(
      unused == ["/0/message/context/library", "/0/message/properties/coupon", "/0/message/properties/products/0/sku"])
    // Text output: the same facts, one field per line.
    let text = try Self.explain(
      ["event.json", "--config", "dest.json"], files: ["event.json": Self.greekEvent, "dest.json": Self.config])
    #expect(
      text.stdout.contains("← /0/message/context/traits/email  [trim → toLowerCase → trim → sha256 (UTF-16 low bytes)]")
    )
    #expect(text.stdout.contains("Q18: non-ASCII text hashed over UTF-16 low bytes"))
    #expect(text.stdout.contains("/0/message/properties/coupon: no mapping row reads it"))
  }

  @Test("explain names the failed check and the input it looked at; bad input exits 2")
  func explainErrors() throws {
    let event = #"{"type":"track","event":"Order Completed","messageId":"m"}"#  // v2 without a timestamp
    let r = try Self.explain(
      ["e.json", "--config", "d.json", "--json"], files: ["e.json": event, "d.json": Self.config])
    #expect(r.status == 0, "\(r.stderr)")
    let error = try JSONValue.parse(r.stdout)[0]?["error"]
    #expect(error?["message"] == #"Missing required value from "timestamp""#)
    #expect(error?["check"] == "§3 rule 8: no parseable timestamp")
    #expect(error?["pointer"] == "/0/message/timestamp")
    // R17: an empty router input has no event, and is still explained.
    let empty = try Self.explain(["r.json", "--router"], files: ["r.json": #"{"destType":"tiktok_ads","input":[]}"#])
    #expect(empty.stdout.contains("check: R17: the router input is empty at /input"), "\(empty.stdout)")
    let bad = try Self.explain(["e.json"], files: ["e.json": "[{\"message\": }]"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("e.json:1:"), "\(bad.stderr)")
  }

  @Test("explain --router places each event's fields in its batch")
  func explainRouter() throws {
    let lines = (1...3).map {
      #"{"type":"track","event":"Search","messageId":"m\#($0)","timestamp":"2024-05-09T10:12:3\#($0)Z","properties":{"query":"q\#($0)"}}"#
    }.joined(separator: "\n")
    let r = try Self.explain(
      ["e.ndjson", "--config", "d.json", "--router", "--json", "--max-batch-v2", "2"],
      files: ["e.ndjson": lines, "d.json": Self.config])
    #expect(r.status == 0, "\(r.stderr)")
    let items = try #require(try JSONValue.parse(r.stdout).arrayValue)
    // Three events, two batches: the third event's query is data[0] of the second batch.
    let third = try #require(items.first { $0["input"] == "/input/2" })
    let fromQuery = third["output"]?.arrayValue?.filter { $0["source"] == "/input/2/message/properties/query" }
    #expect(
      fromQuery?.compactMap { $0["pointer"]?.stringValue }.sorted() == [
        "/output/1/batchedRequest/body/JSON/data/0/properties/query",
        "/output/1/batchedRequest/body/JSON/data/0/properties/search_string",
      ])
  }

  @Test("replay --coverage lists every mapping row, unreached first, with the cases that reached each")
  func coverage() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("e.json", #"{"type":"track","event":"Search","messageId":"m","timestamp":"2024-05-09T10:12:31Z"}"#)
    try dir.write("d.json", Self.config)
    let recorded = try Harness.run(
      ["record", "e.json", "--config", "d.json", "--suite", "s", "--name", "search", "--redact"],
      currentDirectory: dir.url)
    #expect(recorded.status == 0, "\(recorded.stderr)")
    let r = try Harness.run(
      ["replay", "--quiet", "--coverage", "cov.json", "--coverage-md", "cov.md"], currentDirectory: dir.url)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("coverage: "), "\(r.stderr)")
    let report = try JSONValue.parse([UInt8](try Data(contentsOf: dir.url.appendingPathComponent("cov.json"))))
    let rows = try #require(report["coverage"]?.arrayValue)
    #expect(rows.count == report["rows"]?.int64Value.map(Int.init))
    let reached = rows.filter { !($0["cases"]?.arrayValue?.isEmpty ?? true) }
    #expect(reached.count == report["covered"]?.int64Value.map(Int.init))
    #expect(reached.contains { $0["row"] == "v2 built-in: search → Search" && $0["cases"] == ["s/search"] })
    // Rows no case reached come first.
    let firstReached = rows.firstIndex { !($0["cases"]?.arrayValue?.isEmpty ?? true) } ?? 0
    #expect(rows[firstReached...].allSatisfy { !($0["cases"]?.arrayValue?.isEmpty ?? true) })
    let md = try String(contentsOf: dir.url.appendingPathComponent("cov.md"), encoding: .utf8)
    #expect(md.contains("| event name | v2 built-in: search → Search | `s/search` |"))
  }

  @Test("record --dedupe keeps only events with new rows or new pairs of rows, and skips a bad line")
  func dedupe() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    var lines: [String] = []
    for i in 0..<60 {
      // The same two shapes again and again, then one event with a new field (a query).
      let props = i == 50 ? #"{"query":"mugs"}"# : (i % 2 == 0 ? #"{"currency":"USD"}"# : #"{"value":3}"#)
      lines.append(
        #"{"type":"track","event":"Search","messageId":"m\#(i)","timestamp":"2024-05-09T10:12:31Z","properties":\#(props)}"#
      )
      if i == 10 { lines.append("{\"type\": broken") }
    }
    try dir.write("bulk.ndjson", lines.joined(separator: "\n"))
    try dir.write("d.json", Self.config)
    let r = try Harness.run(
      ["record", "bulk.ndjson", "--config", "d.json", "--suite", "s", "--name", "ev", "--dedupe", "--redact"],
      currentDirectory: dir.url)
    // The broken line is reported and the rest still ran; the run exits 2 all the same, as bad input does.
    #expect(r.status == 2, "\(r.stderr)")
    #expect(r.stdout.contains("read 60 events, kept 3, wrote 3 cases"), "\(r.stdout)")
    #expect(r.stdout.contains("1 skipped as malformed"), "\(r.stdout)")
    #expect(r.stderr.contains("bulk.ndjson:12:"), "\(r.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("Golden/s").path)
    #expect(files.sorted() == ["ev-00001.json", "ev-00002.json", "ev-00003.json"])
    // The kept cases replay green.
    let replay = try Harness.run(["replay", "--quiet"], currentDirectory: dir.url)
    #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
    // --dedupe-by rows keeps only new rows: the second shape adds a row too, so still three.
    let rows = try Harness.run(
      [
        "record", "bulk.ndjson", "--config", "d.json", "--suite", "r", "--name", "ev", "--dedupe", "--dedupe-by",
        "rows",
      ],
      currentDirectory: dir.url)
    #expect(rows.stdout.contains("kept 3"), "\(rows.stdout)")
    let bad = try Harness.run(
      ["record", "bulk.ndjson", "--config", "d.json", "--name", "x", "--dedupe", "--dedupe-by", "all"],
      currentDirectory: dir.url)
    #expect(bad.status == 2 && bad.stderr.contains("--dedupe-by expects rows, pairs or sets"))
    // Without the broken line, the same capture exits 0.
    try dir.write("good.ndjson", lines.filter { !$0.contains("broken") }.joined(separator: "\n"))
    let good = try Harness.run(
      ["record", "good.ndjson", "--config", "d.json", "--suite", "g", "--name", "ev", "--dedupe", "--redact"],
      currentDirectory: dir.url)
    #expect(good.status == 0 && good.stdout.contains("wrote 3 cases in Golden/g/"), "\(good.stdout)\(good.stderr)")
    try dir.write("empty.ndjson", "\n  \n")
    let none = try Harness.run(
      ["record", "empty.ndjson", "--config", "d.json", "--name", "x", "--dedupe"], currentDirectory: dir.url)
    #expect(none.status == 2 && none.stderr.contains("the capture holds no events"), "\(none.stderr)")
  }
  @Test("record --dedupe refuses an event replay could not read back, keeps a later one in its place, exits 2")
  func dedupeRefusesAnUnreadableCase() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    // 998 levels parse as an event, but the case file wraps the event in more levels than replay reads.
    let deep = String(repeating: "[", count: 998) + String(repeating: "]", count: 998)
    // The second event reaches no row the first does not: kept only because the first was refused.
    let lines = [
      #"{"type":"track","event":"Search","messageId":"m1","properties":{"currency":"USD","deep":\#(deep)}}"#,
      #"{"type":"track","event":"Search","messageId":"m2","properties":{"currency":"USD"}}"#,
      #"{"type":"track","event":"Search","messageId":"m3","properties":{"query":"mugs"}}"#,
    ]
    try dir.write("bulk.ndjson", lines.joined(separator: "\n"))
    try dir.write("d.json", Self.config)
    let r = try Harness.run(
      ["record", "bulk.ndjson", "--config", "d.json", "--suite", "s", "--name", "ev", "--dedupe"],
      currentDirectory: dir.url)
    #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
    #expect(r.stderr.contains("not writing Golden/s/ev-00001.json (line 1 of the capture): replay could not read"))
    #expect(r.stdout.contains("kept 3, wrote 2 cases in Golden/s/"), "\(r.stdout)")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("Golden/s").path)
    #expect(files.sorted() == ["ev-00002.json", "ev-00003.json"])
    let replay = try Harness.run(["replay", "--quiet"], currentDirectory: dir.url)
    #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
  }
}
