import Foundation
import HTTP
import MockTikTok
import TestSupport
import Testing

/// A small, live version of `Scripts/soak/hostile.py`: idle, half-sent, dropped and pipelining connections at once,
/// and the mock still answers an ordinary request promptly and journals exactly what it answered.
@Suite struct HostileClientTests {
  static let body =
    #"{"event_source":"web","event_source_id":"PIX","data":[{"event":"Purchase","event_time":1732766400}]}"#

  static func request(_ id: Int) -> String {
    "POST /open_api/v1.3/event/track/ HTTP/1.1\r\nHost: h\r\nAccess-Token: t\r\nX-Id: \(id)\r\n"
      + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
  }

  @Test func othersAreAnsweredWhileHostileClientsHang() throws {
    let journaled = try JournaledMock(prefix: "robust-hostile")
    defer { journaled.stop() }
    let mock = journaled.server
    let journal = journaled.journalPath

    // 300 idle connections, 20 that sent half a request, 50 opened and dropped (some mid-request).
    var held: [HTTPClientConnection] = []
    for _ in 0..<300 { held.append(try HTTPClientConnection(host: "127.0.0.1", port: mock.port, timeout: 10)) }
    for i in 0..<20 {
      let c = try HTTPClientConnection(host: "127.0.0.1", port: mock.port, timeout: 10)
      try c.write(String(Self.request(10_000 + i).prefix(70)))
      held.append(c)
    }
    for i in 0..<50 {
      let c = try HTTPClientConnection(host: "127.0.0.1", port: mock.port, timeout: 10)
      if i % 2 == 1 { try? c.write(String(Self.request(20_000 + i).prefix(40))) }
      if i % 5 == 0 { c.resetOnClose() }
      c.close()
    }
    defer { for c in held { c.close() } }

    // 200 requests pipelined in one write, answered in order.
    let pipe = try HTTPClientConnection(host: "127.0.0.1", port: mock.port, timeout: 10)
    defer { pipe.close() }
    try pipe.write((0..<200).map(Self.request).joined())
    var answered = 0
    for _ in 0..<200 where try pipe.readResponse().status == 200 { answered += 1 }
    #expect(answered == 200)

    // An ordinary client is still answered promptly (generous bound: debug build, shared cores).
    let start = Date()
    let reply = try HTTPClient.send(
      url: mock.baseURL + "/open_api/v1.3/event/track/", headers: ["Access-Token": "t", "X-Id": "probe"],
      body: Array(Self.body.utf8), timeout: 5)
    let seconds = Date().timeIntervalSince(start)
    #expect(reply.status == 200)
    #expect(seconds < 1, "probe took \(seconds) s")

    // Exactly the answered requests are journaled (pipelined 0..<199 in order, then the probe), in sequence.
    let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 201)
    let ids = lines.compactMap { line -> String? in
      guard let r = line.range(of: #""X-Id":""#) else { return nil }
      return String(line[r.upperBound...].prefix { $0 != "\"" })
    }
    #expect(ids == (0..<200).map(String.init) + ["probe"])
    for (i, line) in lines.enumerated() { #expect(line.hasPrefix("{\"seq\":\(i + 1),")) }
  }
}
