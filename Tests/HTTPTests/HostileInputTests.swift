import Foundation
import HTTP
import TestSupport
import Testing

/// Garbage, endless or oversized heads and bodies, lying lengths, bad chunks and vanishing clients: each gets a
/// 4xx or a closed connection, and the server keeps serving the next client.
@Suite struct HostileInputTests {
  static func configure(_ c: inout HTTPServerConfiguration) {
    c.limits = HTTPParserLimits(maxRequestLine: 1024, maxHeaderBytes: 4096, maxHeaderCount: 20, maxBodyBytes: 64 * 1024)
    c.readTimeout = 0.3
    c.idleTimeout = 2
  }

  /// After each hostile exchange, a normal request on a new connection must succeed.
  func stillServes(_ server: HTTPServer) throws {
    let r = try HTTPClient.send(method: "POST", url: server.baseURL + "/ok", body: Array("fine".utf8))
    #expect(r.status == 200)
    #expect(r.bodyText == "POST /ok 4\nfine")
  }

  func statusLine(_ text: String) -> String {
    let bytes = Array(text.utf8)
    let end = bytes.firstIndex(of: 13) ?? bytes.count
    return String(decoding: bytes[..<end], as: UTF8.self)
  }

  @Test(
    arguments: [
      ("garbage", "\u{01}\u{02}\u{03}garbage\u{FF}\r\n\r\n", "400"),
      ("no version", "GET /\r\n\r\n", "400"),
      ("bad version", "GET / HTTP/9.9\r\n\r\n", "505"),
      ("space in header name", "GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", "400"),
      ("obsolete folding", "GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n", "400"),
      ("bad content-length", "POST / HTTP/1.1\r\nContent-Length: 12abc\r\n\r\n", "400"),
      ("negative content-length", "POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n", "400"),
      ("conflicting content-lengths", "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "400"),
      ("both framings", "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "400"),
      ("gzip coding", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "501"),
      ("bad chunk size", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", "400"),
      ("huge chunk size", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n", "400"),
      ("chunk over body limit", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n100000\r\n", "413"),
      ("chunk without CRLF", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY0\r\n\r\n", "400"),
      ("unknown expectation", "POST / HTTP/1.1\r\nExpect: teapot\r\nContent-Length: 1\r\n\r\nx", "417"),
      ("oversized content-length", "POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", "413"),
      ("nul in header value", "GET / HTTP/1.1\r\nA: b\u{0}c\r\n\r\n", "400"),
    ] as [(String, String, String)])
  func malformedRequestsGet4xxAndClose(name: String, raw: String, status: String) throws {
    try withServer(Self.configure) { server in
      let text = try exchangeRaw(server, raw)
      #expect(statusLine(text).hasPrefix("HTTP/1.1 \(status) "), "\(name): \(text.prefix(80))")
      #expect(text.contains("Connection: close"), "\(name)")
      try stillServes(server)
    }
  }

  @Test func requestLineTooLongIs414() throws {
    try withServer(Self.configure) { server in
      let text = try exchangeRaw(server, "GET /" + String(repeating: "a", count: 2000) + " HTTP/1.1\r\n\r\n")
      #expect(statusLine(text) == "HTTP/1.1 414 URI Too Long")
      try stillServes(server)
    }
  }

  @Test func oversizedHeaderIs431() throws {
    try withServer(Self.configure) { server in
      let big = "GET / HTTP/1.1\r\nX-Big: " + String(repeating: "b", count: 5000) + "\r\n\r\n"
      #expect(statusLine(try exchangeRaw(server, big)) == "HTTP/1.1 431 Request Header Fields Too Large")
      let many = "GET / HTTP/1.1\r\n" + (0..<30).map { "X-\($0): v\r\n" }.joined() + "\r\n"
      #expect(statusLine(try exchangeRaw(server, many)) == "HTTP/1.1 431 Request Header Fields Too Large")
      try stillServes(server)
    }
  }

  @Test func endlessHeaderIsCutOff() throws {
    try withServer(Self.configure) { server in
      // Header lines that never end, sent in pieces: the server answers 431 once the block passes the limit.
      let c = try connect(server)
      defer { c.close() }
      try c.write("GET / HTTP/1.1\r\n")
      var answered: [UInt8] = []
      for i in 0..<100 {
        let e = clientErrorOrNil { () throws(HTTPClientError) in
          try c.write("X-Endless-\(i): " + String(repeating: "z", count: 200) + "\r\n")
        }
        if e != nil { break }
      }
      answered = (try? c.readToEnd()) ?? []
      #expect(String(decoding: answered, as: UTF8.self).hasPrefix("HTTP/1.1 431 "))
      try stillServes(server)
    }
  }

  @Test func bodyShorterThanContentLengthTimesOut() throws {
    try withServer(Self.configure) { server in
      let start = Date()
      let text = try exchangeRaw(server, "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly-this")
      #expect(statusLine(text) == "HTTP/1.1 408 Request Timeout")
      #expect(Date().timeIntervalSince(start) < 2)
      try stillServes(server)
    }
  }

  @Test func slowHeaderDripTimesOut() throws {
    try withServer(Self.configure) { server in
      let c = try connect(server)
      defer { c.close() }
      try c.write("GET / HTTP/1.1\r\nX-Slow: ")
      let text = String(decoding: try c.readToEnd(), as: UTF8.self)
      #expect(statusLine(text) == "HTTP/1.1 408 Request Timeout")
      try stillServes(server)
    }
  }

  @Test func clientVanishingMidRequestDoesNotHurt() throws {
    try withServer(Self.configure) { server in
      for i in 0..<20 {
        let c = try connect(server)
        try c.write(i % 2 == 0 ? "POST / HTTP/1.1\r\nContent-Length: 50\r\n\r\npart" : "GET /half")
        c.close()
      }
      // Vanish after sending a full request without reading the answer, and with a reset.
      for _ in 0..<10 {
        let c = try connect(server)
        try c.write("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
        c.resetOnClose()
        c.close()
      }
      try stillServes(server)
    }
  }

  @Test func randomGarbageNeverCrashesTheServer() throws {
    try withServer(Self.configure) { server in
      var rng = SeededRandom(seed: 12345)
      for i in 0..<60 {
        let n = Int(rng.next() % 3000)
        var bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        if rng.next() % 2 == 0 { bytes = Array("POST / HTTP/1.1\r\n".utf8) + bytes }
        let c = try connect(server, timeout: 2)
        _ = clientErrorOrNil { () throws(HTTPClientError) in try c.write(bytes) }
        // Most clients then end their side (the server sees EOF at once); a few wait for the read timeout.
        if i % 12 != 0 { c.shutdownWrite() }
        _ = try? c.readToEnd()
        c.close()
      }
      try stillServes(server)
    }
  }

  @Test func idleKeepAliveConnectionIsClosed() throws {
    try withServer({
      Self.configure(&$0); $0.idleTimeout = 0.3
    }) { server in
      let c = try connect(server)
      defer { c.close() }
      #expect(try c.send(method: "GET", target: "/").status == 200)
      let start = Date()
      #expect(try c.readToEnd().isEmpty)
      #expect(Date().timeIntervalSince(start) < 2)
    }
  }

  @Test func bigBodyArrivesInPiecesAndPartialWritesComplete() throws {
    // A 60 KB body echoed back: exercises incremental parsing and resumed partial writes.
    try withServer(Self.configure) { server in
      let body = (0..<60_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
      let r = try HTTPClient.send(method: "POST", url: server.baseURL + "/big", body: body)
      #expect(r.status == 200)
      #expect(Array(r.body.suffix(body.count)) == body)
    }
  }
}

func clientErrorOrNil(_ body: () throws(HTTPClientError) -> Void) -> HTTPClientError? { clientError(body) }
