import Foundation
import JSON
import TestSupport
import Testing

/// `tiktok-harness deliver` end to end: the built binary against `tiktok-harness serve` over loopback.
@Suite("deliver command")
struct DeliverCommandTests {
  /// One row of spec §9.3 (or a network failure): the mock's rule and what RudderStack makes of it.
  struct Row: Sendable, CustomStringConvertible {
    let name: String
    let action: String
    let outcome: String
    let status: Int
    let errorType: String?
    var description: String { name }
  }

  static let rows: [Row] = [
    Row(name: "code-0", action: #"{"code": 0}"#, outcome: "success", status: 200, errorType: nil),
    Row(name: "code-20001", action: #"{"code": 20001}"#, outcome: "success", status: 200, errorType: nil),
    Row(
      name: "code-0-on-http-500", action: #"{"code": 0, "status": 500}"#, outcome: "success", status: 200,
      errorType: nil),
    Row(name: "code-40100", action: #"{"code": 40100}"#, outcome: "throttled", status: 429, errorType: "throttled"),
    Row(name: "code-40001", action: #"{"code": 40001}"#, outcome: "aborted", status: 400, errorType: "aborted"),
    Row(
      name: "code-40002-faq", action: #"{"code": 40002, "message": "No permission to operate pixel code"}"#,
      outcome: "aborted", status: 400, errorType: "aborted"),
    Row(
      name: "code-40000-on-http-200", action: #"{"code": 40000}"#, outcome: "success", status: 200, errorType: "aborted"
    ),
    Row(name: "http-502", action: #"{"status": 502}"#, outcome: "retryable", status: 502, errorType: "retryable"),
    Row(
      name: "http-503", action: #"{"status": 503, "body": "{\"error\":{\"message\":\"Service Unavailable\"}}"}"#,
      outcome: "retryable", status: 503, errorType: "retryable"),
    Row(
      name: "http-429", action: #"{"status": 429, "body": "Too Many Requests"}"#, outcome: "throttled", status: 429,
      errorType: "throttled"),
    Row(
      name: "http-404", action: #"{"status": 404, "body": "{}"}"#, outcome: "aborted", status: 404, errorType: "aborted"
    ),
    Row(name: "reset", action: #"{"fault": "reset"}"#, outcome: "retryable", status: 500, errorType: "retryable"),
    Row(
      name: "timeout", action: #"{"code": 0, "delay_ms": 3000}"#, outcome: "retryable", status: 500,
      errorType: "retryable"),
  ]

  /// A scenario with one rule per row, keyed by the `X-Case` header.
  static var scenario: String {
    let rules = rows.map {
      #"{"name": "\#($0.name)", "match": {"header": {"X-Case": "\#($0.name)"}}, "action": \#($0.action)}"#
    }
    return #"{"seed": 0, "rules": [\#(rules.joined(separator: ",\n"))]}"#
  }

  static func output(_ stdout: String) throws -> JSONValue {
    let line = try #require(stdout.split(separator: "\n").first)
    return try #require(try JSONValue.parse(String(line))["output"])
  }

  static func check(_ row: Row, version: String, output: JSONValue) {
    #expect(output["status"] == .int(Int64(row.status)), "\(row.name) \(version)")
    let message: String
    if row.errorType == nil {
      message = "[TIKTOK_ADS Response Handler] - Request Processed Successfully"
    } else if row.status == 429 || row.status == 400, row.name.hasPrefix("code-") {
      message = "Request failed with status: \(row.name.dropFirst(5).prefix(5))"  // TikTok's code, not the HTTP status
    } else {
      message = "Request failed with status: \(row.status)"
    }
    #expect(output["message"]?.stringValue == message, "\(row.name) \(version)")
    #expect(output["statTags"]?["errorType"]?.stringValue == row.errorType, "\(row.name) \(version)")
    if row.errorType != nil {
      #expect(output["statTags"]?["destinationId"] == "dest-1")
      #expect(output["statTags"]?["workspaceId"] == "ws-1")
      #expect(output["statTags"]?["feature"] == "dataDelivery")
    }
    if version == "v0" {
      #expect(output["destinationResponse"]?["status"] != nil, "\(row.name) v0")
      #expect(output["response"] == nil)
    } else {
      #expect(output["response"]?[0]?["statusCode"] == .int(Int64(row.status)), "\(row.name) v1")
      #expect(output["response"]?[0]?["metadata"]?["jobId"] == 7)
      #expect(output["response"]?[0]?["error"]?.stringValue != nil)
      #expect(output["destinationResponse"] == nil)
    }
  }

  @Test("every row of §9.3, a reset and a timeout, through serve, in both proxy shapes", arguments: ["v0", "v1"])
  func rowsThroughServe(version: String) throws {
    let mock = try ServeProcess(scenario: Self.scenario)
    defer { mock.stop() }
    let folder = try TemporaryDirectory(prefix: "deliver-rows")
    defer { folder.remove() }
    for row in Self.rows {
      let file = try folder.write("\(row.name).json", proxyRequestJSON(case: row.name, version: version))
      var args = ["deliver", file.path, "--endpoint-base", mock.base, "--proxy", version]
      if row.name == "timeout" { args += ["--timeout", "0.2"] }
      let json = try Harness.run(args + ["--json"])
      #expect(json.status == 0, "\(row.name): \(json.stderr)")
      Self.check(row, version: version, output: try Self.output(json.stdout))
      let expectOK = try Harness.run(args + ["--expect", row.outcome])
      #expect(expectOK.status == 0, "\(row.name): \(expectOK.stdout)\(expectOK.stderr)")
      #expect(expectOK.stdout.contains(" \(row.outcome) "), "\(row.name): \(expectOK.stdout)")
      let other = row.outcome == "success" ? "aborted" : "success"
      let expectBad = try Harness.run(args + ["--expect", other])
      #expect(expectBad.status == 1, "\(row.name)")
      #expect(
        expectBad.stderr.contains("unexpected: request 1 (/): \(row.outcome), expected \(other)"),
        "\(row.name): \(expectBad.stderr)")
    }
    let seen = try mock.journalEntries()
    #expect(seen.count == Self.rows.count * 3)
    #expect(seen.allSatisfy { $0["headers"]?["User-Agent"] == "RudderLabs" })
  }

  @Test("v0 reset answers exactly as upstream's ECONNRESET case; terminal line names it")
  func resetShape() throws {
    let mock = try ServeProcess(scenario: Self.scenario)
    defer { mock.stop() }
    let folder = try TemporaryDirectory(prefix: "deliver-reset")
    defer { folder.remove() }
    let file = try folder.write("r.json", proxyRequestJSON(case: "reset", version: "v0"))
    let r = try Harness.run(["deliver", file.path, "--endpoint-base", mock.base, "--json"])
    let output = try Self.output(r.stdout)
    #expect(output["destinationResponse"] == ["response": "[ECONNRESET] :: Connection reset by peer", "status": 500])
    #expect(output["message"] == "Request failed with status: 500")
    let line = try Harness.run(["deliver", file.path, "--endpoint-base", mock.base])
    #expect(line.stdout.contains("retryable 500  net ECONNRESET"), "\(line.stdout)")
  }

  @Test("a refused connection is [ECONNREFUSED], 500, retryable, in both shapes", arguments: ["v0", "v1"])
  func refused(version: String) throws {
    let folder = try TemporaryDirectory(prefix: "deliver-refused")
    defer { folder.remove() }
    let file = try folder.write("r.json", proxyRequestJSON(case: "refused", version: version))
    let base = "http://127.0.0.1:\(closedLoopbackPort())"
    let r = try Harness.run(["deliver", file.path, "--endpoint-base", base, "--json", "--expect", "retryable"])
    #expect(r.status == 0, "\(r.stderr)")
    let output = try Self.output(r.stdout)
    #expect(output["status"] == 500)
    #expect(output["message"] == "Request failed with status: 500")
    #expect(output["statTags"]?["errorType"] == "retryable")
    if version == "v0" {
      #expect(output["destinationResponse"] == ["response": "[ECONNREFUSED] :: Connection refused", "status": 500])
    } else {
      #expect(output["response"]?[0]?["error"] == #""[ECONNREFUSED] :: Connection refused""#)
    }
  }

  @Test("router output: batchedRequest objects delivered with their metadata; error items skipped and listed")
  func routerOutput() throws {
    let mock = try ServeProcess(scenario: #"{"seed": 0, "rules": []}"#)
    defer { mock.stop() }
    let folder = try TemporaryDirectory(prefix: "deliver-router")
    defer { folder.remove() }
    let request = try JSONValue.parse(proxyRequestJSON(case: "none", version: "v1"))
    var batched = try #require(request.objectValue)
    let metadata = batched.removeValue(forKey: "metadata") ?? .null
    batched["version"] = "1"
    let router: JSONValue = [
      "output": [
        ["batchedRequest": .object(batched), "metadata": metadata, "batched": true, "statusCode": 200],
        ["metadata": metadata, "statusCode": 400, "error": "Event name (x) is not valid"],
      ]
    ]
    let file = try folder.write("router.json", router.compactString())
    let r = try Harness.run(["deliver", file.path, "--endpoint-base", mock.base, "--expect", "success"])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.split(separator: "\n").count == 1)
    #expect(r.stderr.contains("skipped /output/1: statusCode 400: Event name (x) is not valid"))
    #expect(r.stderr.contains("1 request: 1 success, 0 aborted, 0 throttled, 0 retryable; 1 skipped"))
  }

  @Test("bad input exits 2 with the place: malformed JSON, an https endpoint without --endpoint-base, a bad flag")
  func badInput() throws {
    let folder = try TemporaryDirectory(prefix: "deliver-bad")
    defer { folder.remove() }
    let broken = try folder.write("broken.json", "{\"endpoint\": ")
    let r1 = try Harness.run(["deliver", broken.path])
    #expect(r1.status == 2)
    #expect(r1.stderr.contains("broken.json:1:"))
    let https = try folder.write("https.json", proxyRequestJSON(case: "x", version: "v0"))
    let r2 = try Harness.run(["deliver", https.path])
    #expect(r2.status == 2)
    #expect(r2.stderr.contains("only http:// can be reached"))
    let r3 = try Harness.run(["deliver", https.path, "--expect", "maybe"])
    #expect(r3.status == 2)
    let r4 = try Harness.run(["deliver", "-"], stdin: "[1]")
    #expect(r4.status == 2)
    #expect(r4.stderr.contains("/0: expected an object"))
  }
}
