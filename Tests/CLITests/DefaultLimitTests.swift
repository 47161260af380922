import Foundation
import HTTP
import JSON
import TestSupport
import Testing

/// The limits a user gets without options, through the built binary, on both sides of each: the router's batch
/// limits (`transform --router` without `--max-batch-v2`), the mock's accepted batch sizes (`serve`), and
/// `deliver --timeout`.
@Suite("default limits through the CLI")
struct DefaultLimitTests {
  /// A router request body of `count` track events for one destination (Events 2.0 when `v2`).
  static func routerRequest(count: Int, v2: Bool) -> String {
    let config = v2 ? #"{"accessToken":"t","pixelCode":"P1","version":"v2"}"# : #"{"accessToken":"t","pixelCode":"P1"}"#
    let items = (1...count).map { job in
      #"{"message":{"type":"track","event":"Search","messageId":"m\#(job)","timestamp":"2024-01-01T00:00:00Z"},"#
        + #""metadata":{"jobId":\#(job),"destinationId":"d","workspaceId":"w"},"#
        + #""destination":{"ID":"d","Config":\#(config)}}"#
    }
    return #"{"destType":"tiktok_ads","input":["# + items.joined(separator: ",") + "]}"
  }

  /// The number of events in each batch `transform --router` prints for `count` events (extra CLI arguments
  /// appended), and the batch bodies.
  static func batches(count: Int, v2: Bool, _ extra: [String] = []) throws -> (sizes: [Int], bodies: [JSONValue]) {
    let dir = try TemporaryDirectory(prefix: "default-limits")
    defer { dir.remove() }
    let file = try dir.write("router.json", routerRequest(count: count, v2: v2))
    let result = try Harness.run(["transform", "--router", file.path] + extra)
    guard result.status == 0 else { throw CLIFailure(status: result.status, stderr: result.stderr) }
    let output = try #require(try JSONValue.parse(result.stdout)["output"]?.arrayValue)
    return (
      output.map { $0["metadata"]?.arrayValue?.count ?? -1 },
      output.map { $0["batchedRequest"]?["body"]?["JSON"] ?? .null }
    )
  }

  struct CLIFailure: Error, CustomStringConvertible {
    var status: Int32
    var stderr: String
    var description: String { "exit \(status): \(stderr)" }
  }

  @Test("Events 2.0 default batch limit is 1000: 1000 events give one batch, 1001 give 1000 + 1")
  func v2DefaultBatchLimit() throws {
    let thousand = try Self.batches(count: 1000, v2: true)
    #expect(thousand.sizes == [1000])
    #expect(thousand.bodies.first?["data"]?.arrayValue?.count == 1000)
    let thousandOne = try Self.batches(count: 1001, v2: true)
    #expect(thousandOne.sizes == [1000, 1])
    #expect(thousandOne.bodies.map { $0["data"]?.arrayValue?.count ?? -1 } == [1000, 1])
  }

  @Test("--max-batch-v2 N: N events give one batch, N + 1 give N + 1")
  func v2ExplicitBatchLimit() throws {
    #expect(try Self.batches(count: 7, v2: true, ["--max-batch-v2", "7"]).sizes == [7])
    #expect(try Self.batches(count: 8, v2: true, ["--max-batch-v2", "7"]).sizes == [7, 1])
  }

  @Test("Events 1.0 batch limit is 50: 50 events give one batch, 51 give 50 + 1")
  func v1BatchLimit() throws {
    let fifty = try Self.batches(count: 50, v2: false)
    #expect(fifty.sizes == [50])
    #expect(fifty.bodies.first?["batch"]?.arrayValue?.count == 50)
    let fiftyOne = try Self.batches(count: 51, v2: false)
    #expect(fiftyOne.sizes == [50, 1])
  }

  // MARK: serve

  static let v1Item = #"{"type":"track","event":"X","event_id":"a"}"#
  static let v2Item = #"{"event":"X","event_time":1}"#

  static func v1Batch(_ n: Int) -> String {
    #"{"pixel_code":"P","batch":["# + Array(repeating: v1Item, count: n).joined(separator: ",") + "]}"
  }

  static func v2Batch(_ n: Int) -> String {
    #"{"event_source":"web","event_source_id":"P","data":["# + Array(repeating: v2Item, count: n).joined(separator: ",")
      + "]}"
  }

  @Test("serve accepts 50 events in a v1 batch and 1000 in a v2 request, and refuses 51 and 1001 (40061)")
  func serveDefaultBatchLimits() throws {
    let server = try ServerProcess(["serve", "--port", "0"])
    defer { _ = server.stop() }
    let url = try #require(server.url, "first line: \(server.firstLine)")
    func code(_ path: String, _ body: String) throws -> JSONValue? {
      let r = try HTTPClient.send(url: url + path, headers: ["Access-Token": "t"], body: Array(body.utf8))
      #expect(r.status == 200)
      return try JSONValue.parse(r.body)["code"]
    }
    #expect(try code("/open_api/v1.3/pixel/batch/", Self.v1Batch(50)) == 0)
    #expect(try code("/open_api/v1.3/pixel/batch/", Self.v1Batch(51)) == 40061)
    #expect(try code("/open_api/v1.3/event/track/", Self.v2Batch(1000)) == 0)
    #expect(try code("/open_api/v1.3/event/track/", Self.v2Batch(1001)) == 40061)
  }

  // MARK: deliver --timeout

  @Test("deliver --timeout: an answer inside the timeout is a success, one held past it is [ETIMEDOUT], retryable")
  func deliverTimeoutBothSides() throws {
    let scenario = #"""
      {"rules": [{"name": "slow", "match": {"header": {"X-Case": "slow"}}, "action": {"code": 0, "delay_ms": 300}}]}
      """#
    let mock = try ServeProcess(scenario: scenario)
    defer { mock.stop() }
    let dir = try TemporaryDirectory(prefix: "deliver-timeout")
    defer { dir.remove() }
    let file = try dir.write("request.json", proxyRequestJSON(case: "slow", version: "v0"))
    func run(_ timeout: String, expect: String) throws -> ProcessResult {
      try Harness.run(["deliver", file.path, "--endpoint-base", mock.base, "--timeout", timeout, "--expect", expect])
    }
    let inTime = try run("3", expect: "success")
    #expect(inTime.status == 0, "\(inTime.stdout)\(inTime.stderr)")
    let late = try run("0.1", expect: "retryable")
    #expect(late.status == 0, "\(late.stdout)\(late.stderr)")
    #expect(late.stdout.contains("ETIMEDOUT"), "\(late.stdout)")
  }
}
