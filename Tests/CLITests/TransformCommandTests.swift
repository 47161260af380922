import Foundation
import JSON
import TestSupport
import Testing

/// `tiktok-harness transform` end to end: the built binary, its output and exit codes.
@Suite("transform command")
struct TransformCommandTests {
  @Test(
    "every upstream processor and router vector through the CLI",
    .enabled(if: Paths.hasUpstreamVectors, "needs ../shared/conformance/upstream"))
  func vectorsThroughCLI() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    var checked = 0
    for file in ["processor.json", "router.json"] {
      let data = try Data(contentsOf: Paths.upstreamVectors.appendingPathComponent(file))
      for c in try JSONValue.parse([UInt8](data)).arrayValue ?? [] {
        let name = c["name"]?.stringValue ?? "?"
        let input = try dir.write("input.json", (c["input"] ?? .null).compactString())
        var args = ["transform", input.path]
        if c["route"]?.stringValue == "POST /routerTransform" { args.append("--router") }
        if let n = c["mocks"]?["config_override"]?["maxBatchSizeV2"]?.int64Value {
          args += ["--max-batch-v2", String(n)]
        }
        let result = try Harness.run(args)
        #expect(result.status == 0, "\(name): \(result.stderr)")
        let actual = try JSONValue.parse(result.stdout)
        #expect(actual == c["expected"]?["body"], "\(name) differs")
        checked += 1
      }
    }
    #expect(checked == 60)
  }

  @Test("reads standard input and pretty-prints")
  func stdinPretty() throws {
    let request = """
      [{"message":{"type":"track","event":"Search","timestamp":"2024-01-01T00:00:00Z","properties":{"query":"shoes"}},
        "destination":{"Config":{"accessToken":"t","pixelCode":"P1"}},"metadata":{"jobId":1}}]
      """
    let result = try Harness.run(["transform", "-", "--pretty"], stdin: request)
    #expect(result.status == 0)
    #expect(result.stdout.contains("\n  {\n    \"output\": {"))
    let body = try JSONValue.parse(result.stdout)
    #expect(body[0]?["output"]?["body"]?["JSON"]?["event"] == "Search")
    #expect(body[0]?["output"]?["body"]?["JSON"]?["properties"]?["query"] == "shoes")
  }

  @Test("malformed input exits 2 with FILE:LINE:COLUMN and what was expected")
  func malformed() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = try dir.write("bad.json", "[\n  {\"message\": {\"type\": \"track\",}}\n]\n")
    let result = try Harness.run(["transform", file.path])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("\(file.path):2:"), "stderr: \(result.stderr)")
    #expect(result.stderr.contains("expected"), "stderr: \(result.stderr)")
  }

  @Test("a body of the wrong shape exits 2 and says what was expected")
  func wrongShape() throws {
    let result = try Harness.run(["transform", "-", "--router"], stdin: "[1, 2]")
    #expect(result.status == 2)
    #expect(result.stderr.contains("expected a router request body {destType, input}"), "stderr: \(result.stderr)")
    #expect(result.stderr.contains("/0: expected an event object, found number"), "stderr: \(result.stderr)")
  }

  @Test("a missing file and a bad flag exit 2")
  func usageErrors() throws {
    let missing = try Harness.run(["transform", "/nonexistent/x.json"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("/nonexistent/x.json: no such file"))
    let flag = try Harness.run(["transform", "--max-batch-v2", "zero"])
    #expect(flag.status == 2)
    #expect(flag.stderr.contains("--max-batch-v2 expects an integer"))
    let unknown = try Harness.run(["transform", "--bogus"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("unknown option '--bogus'"))
  }

  /// What `record` and `compare` take, `transform` takes: a bare message, NDJSON of them, a /v1/batch body, each
  /// with `--config DEST` (a destination or its Config); `--router` batches them.
  @Test("captured events with --config: a bare message, NDJSON, a /v1/batch body")
  func capturesWithConfig() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let message =
      #"{"type":"track","event":"Search","messageId":"m1","timestamp":"2024-01-01T00:00:00Z","properties":{"query":"shoes"}}"#
    let second = message.replacing("\"m1\"", with: "\"m2\"")
    try dir.write("message.json", message)
    try dir.write("events.ndjson", message + "\n\n" + second + "\n")
    try dir.write("batch.json", "{\"batch\": [\(message), \(second)]}")
    try dir.write("config.json", #"{"accessToken":"t","pixelCode":"P1","version":"v2"}"#)
    try dir.write("destination.json", #"{"ID":"d-1","Config":{"accessToken":"t","pixelCode":"P1","version":"v2"}}"#)
    for (file, count) in [("message.json", 1), ("events.ndjson", 2), ("batch.json", 2)] {
      for config in ["config.json", "destination.json"] {
        let r = try Harness.run(["transform", file, "--config", config], currentDirectory: dir.url)
        #expect(r.status == 0, "\(file) \(config): \(r.stderr)")
        let items = try JSONValue.parse(r.stdout).arrayValue ?? []
        #expect(items.count == count, "\(file)")
        #expect(items.allSatisfy { $0["statusCode"] == 200 }, "\(file): \(r.stdout)")
        #expect(items.first?["output"]?["body"]?["JSON"]?["data"]?[0]?["event"] == "Search", "\(file)")
        #expect(items.first?["output"]?["body"]?["JSON"]?["event_source_id"] == "P1", "\(file)")
      }
    }
    let router = try Harness.run(
      ["transform", "events.ndjson", "--config", "config.json", "--router"], currentDirectory: dir.url)
    #expect(router.status == 0, "\(router.stderr)")
    let batches = try JSONValue.parse(router.stdout)["output"]?.arrayValue ?? []
    #expect(batches.count == 1 && batches[0]["metadata"]?.arrayValue?.count == 2, "\(router.stdout)")
    let pretty = try Harness.run(
      ["transform", "-", "--config", "config.json", "--pretty"], stdin: message, currentDirectory: dir.url)
    #expect(pretty.status == 0 && pretty.stdout.contains("\n  {\n"), "\(pretty.stderr)")
    // Without a destination, a bare message is refused with what to do.
    let bare = try Harness.run(["transform", "message.json"], currentDirectory: dir.url)
    #expect(bare.status == 2)
    #expect(bare.stderr.contains("no destination; pass --config DEST"), "\(bare.stderr)")
    let missing = try Harness.run(["transform", "message.json", "--config", "nope.json"], currentDirectory: dir.url)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("nope.json: no such file"), "\(missing.stderr)")
  }

  @Test("--max-batch-v2 splits Events 2.0 batches")
  func batchLimit() throws {
    var inputs: [JSONValue] = []
    for job in 1...5 {
      inputs.append([
        "message": [
          "type": "track", "event": "Search", "timestamp": "2024-01-01T00:00:00Z", "messageId": .string("m\(job)"),
        ],
        "destination": ["ID": "d1", "Config": ["accessToken": "t", "pixelCode": "P", "version": "v2"]],
        "metadata": ["jobId": .int(Int64(job))],
      ])
    }
    let body: JSONValue = ["destType": "tiktok_ads", "input": .array(inputs)]
    let result = try Harness.run(["transform", "--router", "--max-batch-v2", "2"], stdin: body.compactString())
    #expect(result.status == 0, "\(result.stderr)")
    let output = try JSONValue.parse(result.stdout)["output"]?.arrayValue ?? []
    #expect(output.map { $0["metadata"]?.arrayValue?.count ?? 0 } == [2, 2, 1])
  }
}
