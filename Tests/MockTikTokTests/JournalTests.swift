import Foundation
import HTTP
import JSON
import MockTikTok
import TestSupport
import Testing

@Suite struct JournalTests {
  @Test func burstFromManyConnectionsIsJournaledExactlyInOrder() async throws {
    let journaled = try JournaledMock()
    defer { journaled.stop() }
    let mock = journaled.server
    let file = journaled.journalPath
    let port = mock.port
    let connections = 16
    let perConnection = 40
    // Blocking clients run on their own threads, never on the cooperative pool.
    let ids: [String] = try await withThrowingTaskGroup(of: [String].self) { group in
      for c in 0..<connections {
        group.addTask {
          try await onThread {
            let conn = try HTTPClientConnection(host: "127.0.0.1", port: port)
            defer { conn.close() }
            var out: [String] = []
            for i in 0..<perConnection {
              let body = eventTrackBody.replacingOccurrences(of: "\"e-1\"", with: "\"c\(c)-\(i)\"")
              let r = try conn.send(
                method: "POST", target: "/open_api/v1.3/event/track/",
                headers: ["Access-Token": token, "Content-Type": "application/json"], body: Array(body.utf8))
              out.append(try JSONValue.parse(r.body)["request_id"]?.stringValue ?? "")
            }
            return out
          }
        }
      }
      var all: [String] = []
      for try await part in group { all += part }
      return all
    }
    let text = try String(contentsOfFile: file, encoding: .utf8)
    let lines = text.split(separator: "\n")
    #expect(lines.count == connections * perConnection)
    #expect(text.hasSuffix("\n"))
    var seqs: [Int] = []
    var journalIDs = Set<String>()
    for line in lines {
      let v = try JSONValue.parse(String(line))
      seqs.append(Int(v["seq"]?.int64Value ?? -1))
      journalIDs.insert(v["request_id"]?.stringValue ?? "")
      #expect(v["headers"]?["Access-Token"] == "0123…4567")
      #expect(v["response"]?["code"] == 0)
    }
    #expect(seqs == Array(1...(connections * perConnection)))
    #expect(journalIDs == Set(ids))
    #expect(mock.requests().count == connections * perConnection)
  }

  @Test func lineHoldsRequestAndResponse() throws {
    try withMock { (mock) throws in
      _ = try post(mock, "/open_api/v1.3/event/track/?x=1", eventTrackBody)
      let e = try #require(mock.requests().first)
      let v = e.json
      #expect(v["seq"] == 1)
      #expect(v["method"] == "POST")
      #expect(v["path"] == "/open_api/v1.3/event/track/")
      #expect(v["query"] == "x=1")
      #expect(v["body"]?.stringValue == eventTrackBody)
      #expect(v["endpoint"] == "v1.3/event/track")
      #expect(v["pixel"] == "CJ8V2B3C77U5P1QK9ABC")
      #expect(v["events"] == ["CompletePayment"])
      #expect(v["response"]?["status"] == 200)
      #expect(v["response"]?["message"] == "OK")
      #expect(v["rule"] == .null)
      #expect(isTikTokRequestID(v["time"] != nil ? (v["request_id"]?.stringValue ?? "") : ""))
      let body = try JSONValue.parse(v["response"]?["body"]?.stringValue ?? "")
      #expect(body["request_id"] == v["request_id"])
    }
  }

  @Test func binaryBodiesAreKeptAsBase64() throws {
    try withMock { (mock) throws in
      let r = try HTTPClient.send(url: mock.baseURL + "/open_api/v1.3/event/track/", body: [0xFF, 0xFE, 0x00])
      #expect(r.status == 200)
      let v = try #require(mock.requests().first?.json)
      #expect(v["body_base64"] == "//4A")
      #expect(v["body"] == nil)
    }
  }

  /// Bodies of every length up to 80 bytes made of plain text, quotes, backslashes, control bytes and UTF-8
  /// sequences (some broken) round-trip through the journal line: as `body` when they are UTF-8, as
  /// `body_base64` when not. This covers the escaper's eight-bytes-at-a-time path at every alignment.
  @Test func bodiesRoundTripThroughTheJournalLine() throws {
    let mock = try MockTikTokServer(configuration: MockTikTokConfiguration())
    var random = SeededRandom(seed: 0xB0D1E5)
    let pieces: [[UInt8]] = [
      Array("abcdefgh".utf8), [0x22], [0x5C], [0x0A], [0x09], [0x00], [0x1F], [0x7F], Array("é".utf8), Array("€".utf8),
      Array("😀".utf8), [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], Array("x".utf8), Array("/".utf8),
      [0x08], [0x0C], [0xF4, 0x8F, 0xA0, 0x80],
    ]
    for round in 0..<2000 {
      var body: [UInt8] = []
      let target = round % 81
      while body.count < target { body += random.pick(pieces) }
      _ = mock.handle(
        HTTPRequest(method: "POST", target: "/open_api/v1.3/event/track/", headers: ["Access-Token": "t"], body: body))
      let line = try #require(mock.requests().last).json
      if let text = String(validating: body, as: UTF8.self) {
        #expect(line["body"]?.stringValue == text, "\(body)")
        #expect(line["body"]?.stringValue.map { Array($0.utf8) } == body, "\(body)")
      } else {
        #expect(line["body"] == nil, "\(body)")
        #expect(line["body_base64"] != nil, "\(body)")
      }
    }
  }

  @Test func inMemoryJournalIsBounded() throws {
    try withMock({ $0.journalLimit = 5 }) { (mock) throws in
      for _ in 0..<12 { _ = try post(mock, "/open_api/v1.3/event/track/", eventTrackBody) }
      let kept = mock.requests()
      #expect(kept.map(\.sequence) == [8, 9, 10, 11, 12])
    }
  }

  @Test func journalFileThatCannotBeOpenedIsAnError() {
    var config = MockTikTokConfiguration()
    config.journalPath = "/nonexistent-dir/j.jsonl"
    #expect(throws: MockTikTokError.self) { try MockTikTokServer(configuration: config) }
  }
}

/// Runs blocking work on a new thread and awaits its result.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    let thread = Foundation.Thread {
      do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
    }
    thread.start()
  }
}
