import HTTP
import Testing

/// The parser alone: no sockets.
@Suite struct HTTPRequestParserTests {
  func parseAll(_ text: String, chunkSize: Int = .max) throws -> [HTTPRequestParser.Event] {
    var p = HTTPRequestParser()
    var events: [HTTPRequestParser.Event] = []
    let bytes = Array(text.utf8)
    var i = 0
    while i < bytes.count {
      let end = min(bytes.count, i + chunkSize)
      p.append(contentsOf: bytes[i..<end])
      i = end
      while let e = try p.next() { events.append(e) }
    }
    return events
  }

  @Test(arguments: [1, 2, 7, 1000])
  func byteByByteFeedingGivesTheSameRequests(chunk: Int) throws {
    let text =
      "POST /a?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloPOST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1;x=y\r\nc\r\n0\r\n\r\nGET /c HTTP/1.0\n\n"
    let events = try parseAll(text, chunkSize: chunk)
    let requests = events.compactMap { e -> HTTPRequest? in
      if case .request(let r) = e { return r }
      return nil
    }
    #expect(requests.map(\.target) == ["/a?x=1", "/b", "/c"])
    #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == ["hello", "abc", ""])
    #expect(requests[0].headers["host"] == "h")
    #expect(requests[0].path == "/a" && requests[0].query == "x=1")
    #expect(requests[2].minorVersion == 0 && !requests[2].keepAlive)
  }

  @Test func expectContinueIsAnnouncedOnce() throws {
    var p = HTTPRequestParser()
    p.append(contentsOf: Array("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8))
    #expect(try p.next() == .continueExpected)
    #expect(try p.next() == nil)
    p.append(contentsOf: Array("ok".utf8))
    guard case .request(let r)? = try p.next() else {
      Issue.record("expected a request")
      return
    }
    #expect(r.body == Array("ok".utf8))
  }

  @Test func errorsAreSticky() throws {
    var p = HTTPRequestParser()
    p.append(contentsOf: Array("BAD\r\n\r\n".utf8))
    #expect(throws: HTTPParseError.malformedRequestLine) { try p.next() }
    #expect(throws: HTTPParseError.malformedRequestLine) { try p.next() }
    #expect(HTTPParseError.headersTooLarge.status == 431)
    #expect(HTTPParseError.bodyTooLarge.status == 413)
  }

  @Test func partialRequestIsReported() throws {
    var p = HTTPRequestParser()
    #expect(!p.hasPartialRequest)
    p.append(contentsOf: Array("GET / HT".utf8))
    #expect(try p.next() == nil)
    #expect(p.hasPartialRequest)
  }
}
