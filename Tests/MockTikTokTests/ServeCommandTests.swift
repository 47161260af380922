import Foundation
import HTTP
import JSON
import Synchronization
import TestSupport
import Testing

/// `tiktok-harness serve` end to end: a real process, its `listening on` line, requests, SIGTERM.
@Suite struct ServeCommandTests {
  @Test func serveAnswersJournalsAndStopsOnSIGTERM() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let journal = dir.url.appendingPathComponent("j.jsonl").path
    let server = try ServerProcess([
      "serve", "--port", "0", "--journal", journal, "--token", token, "--allow", "\(token):CJ8V2B3C77U5P1QK9ABC",
      "--scenario", "first-two-fail", "--seed", "3",
    ])
    let url = try #require(server.url, "first line: \(server.firstLine)")
    #expect(url.hasPrefix("http://127.0.0.1:"))
    func send(_ t: String = token) throws -> HTTPClientResponse {
      try HTTPClient.send(
        url: url + "/open_api/v1.3/event/track/", headers: ["Access-Token": t], body: Array(eventTrackBody.utf8))
    }
    #expect(try send().status == 502)
    #expect(try send().status == 502)
    #expect(try JSONValue.parse(try send().body)["code"] == 0)
    #expect(try JSONValue.parse(try send("other").body)["code"] == 40105)
    let (status, stderr) = server.stop()
    #expect(status == 0, "\(stderr)")
    let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 4)
  }

  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full (writes fail: ENOSPC)"))
  func journalWriteFailureIsReportedOnceAndServingGoesOn() throws {
    let server = try ServerProcess(["serve", "--port", "0", "--journal", "/dev/full"])
    let url = try #require(server.url, "first line: \(server.firstLine)")
    for _ in 0..<3 {
      let r = try HTTPClient.send(
        url: url + "/open_api/v1.3/event/track/", headers: ["Access-Token": token], body: Array(eventTrackBody.utf8))
      #expect(try JSONValue.parse(r.body)["code"] == 0)
    }
    let (status, stderr) = server.stop()
    #expect(status == 0, "\(stderr)")
    let warning = "journal /dev/full: write failed (No space left on device); requests from seq 1 on may be missing"
    #expect(stderr.components(separatedBy: warning).count == 2, "once: \(stderr)")
  }

  @Test func badScenarioIsABadInputError() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = try dir.write("s.json", #"{"rules":[{"name":"a","action":{"fault":"boom"}}]}"#)
    let r = try Harness.run(["serve", "--scenario", file.path])
    #expect(r.status == 2)
    #expect(r.stderr.contains("s.json: /rules/0/action/fault: unknown fault 'boom'"))
  }

  /// A second `serve` on a port the first one listens on is refused (SO_REUSEPORT would let it join the first one's
  /// listeners and take half the connections); the first one keeps serving on all its event loops.
  @Test func aSecondServerOnATakenPortIsRefused() throws {
    let first = try ServerProcess(["serve", "--port", "0", "--threads", "2"])
    defer { _ = first.stop() }
    let port = try #require(first.port, "first line: \(first.firstLine)")
    for host in [[], ["--host", "127.0.0.1"]] {
      let second = try Harness.run(["serve", "--port", "\(port)"] + host, timeout: 20)
      #expect(second.status == 2, "\(host): \(second.stdout)\(second.stderr)")
      #expect(!second.stdout.contains("listening on"), "\(second.stdout)")
      #expect(second.stderr.contains("127.0.0.1:\(port): address already in use"), "\(second.stderr)")
      #expect(second.stderr.split(separator: "\n").count == 1, "\(second.stderr)")
    }
    // Every request still reaches the first server (its two loops share the port), many connections at once.
    let url = try #require(first.url)
    let answered = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: 40) { _ in
      let r = try? HTTPClient.send(
        url: url + "/open_api/v1.3/event/track/", headers: ["Access-Token": token], body: Array(eventTrackBody.utf8))
      if r?.status == 200 { answered.add(1, ordering: .relaxed) }
    }
    #expect(answered.load(ordering: .relaxed) == 40)
    let health = try HTTPClient.send(method: "GET", url: url + "/__admin/health")
    #expect(try JSONValue.parse(health.body)["last_seq"] == 40)
  }

  @Test func anInvalidHostIsReported() throws {
    let r = try Harness.run(["serve", "--host", "not-an-address", "--port", "0"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("invalid host"))
  }

  /// Timeouts that would overflow a conversion (`inf`, `1e19`) or make no sense are usage errors, exit 2.
  @Test func outOfRangeTimeoutsAreUsageErrors() throws {
    for option in ["--read-timeout", "--idle-timeout"] {
      for value in ["inf", "1e19", "nan", "-1", "0", "1000001", "soon"] {
        let r = try Harness.run(["serve", option, value, "--port", "0"], timeout: 20)
        #expect(r.status == 2, "\(option) \(value): \(r.stderr)")
        #expect(
          r.stderr.contains("\(option) expects a number of seconds, more than 0 and at most 1000000, got '\(value)'"),
          "\(option) \(value): \(r.stderr)")
      }
    }
    for command in [
      ["replay", "--transformer", "http://127.0.0.1:1"], ["compare", "--transformer", "builtin"], ["deliver"],
    ] {
      let r = try Harness.run(command + ["x", "--timeout", "inf"], timeout: 20)
      #expect(r.status == 2, "\(command): \(r.stderr)")
      #expect(r.stderr.contains("--timeout expects a number of seconds"), "\(command): \(r.stderr)")
    }
    // The largest value is accepted.
    let server = try ServerProcess(["serve", "--port", "0", "--read-timeout", "1000000", "--idle-timeout", "1e6"])
    #expect(server.url != nil, "\(server.firstLine)")
    #expect(server.stop().status == 0)
  }

  /// `--scenario NAME` is found beside the executable (its package's MockServer/scenarios), from any folder.
  @Test func aScenarioNameResolvesAgainstTheExecutablesMockServerFolder() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let server = try ServerProcess(
      ["serve", "--port", "0", "--scenario", "delivery-errors", "--token", token], currentDirectory: dir.url)
    let url = try #require(server.url, "first line: \(server.firstLine)")
    let body = eventTrackBody.replacing("CJ8V2B3C77U5P1QK9ABC", with: "PIXEL_X")
    let r = try HTTPClient.send(
      url: url + "/open_api/v1.3/event/track/", headers: ["Access-Token": token], body: Array(body.utf8))
    #expect(try JSONValue.parse(r.body)["code"] == 40002, "\(r.bodyText)")
    #expect(server.stop().status == 0)
    let missing = try Harness.run(["serve", "--scenario", "no-such-scenario"], currentDirectory: dir.url)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("no-such-scenario: no such scenario file; looked for"), "\(missing.stderr)")
  }

  /// A reset answers nothing, so its journal line has no status 200 and no code 0 (a grep for successes must not
  /// count it).
  @Test func aResetIsNotJournaledAsASuccess() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let scenario = try dir.write("s.json", #"{"rules":[{"name":"drop","action":{"fault":"reset"},"times":1}]}"#)
    let journal = dir.url.appendingPathComponent("j.jsonl").path
    let server = try ServerProcess(["serve", "--port", "0", "--scenario", scenario.path, "--journal", journal])
    let url = try #require(server.url, "first line: \(server.firstLine)")
    for _ in 0..<2 {
      _ = try? HTTPClient.send(
        url: url + "/open_api/v1.3/event/track/", headers: ["Access-Token": token], body: Array(eventTrackBody.utf8))
    }
    #expect(server.stop().status == 0)
    let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 2)
    let reset = try JSONValue.parse(String(lines[0]))
    #expect(reset["response"] == ["status": .null, "delivery": "reset"], "\(lines[0])")
    #expect(!lines[0].contains(#""code":0"#) && !lines[0].contains(#""status":200"#))
    #expect(try JSONValue.parse(String(lines[1]))["response"]?["code"] == 0)
    #expect(lines.filter { $0.contains(#""code":0"#) }.count == 1)
  }
}
