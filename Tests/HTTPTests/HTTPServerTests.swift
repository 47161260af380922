import Foundation
import HTTP
import TestSupport
import Testing

@Suite struct HTTPServerTests {
  @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
    try withServer { server in
      let c = try connect(server)
      defer { c.close() }
      for i in 0..<5 {
        let r = try c.send(method: "POST", target: "/x/\(i)", body: Array("hello \(i)".utf8))
        #expect(r.status == 200)
        #expect(r.bodyText == "POST /x/\(i) 7\nhello \(i)")
        #expect(r.headers["Connection"] == nil)
        #expect(r.headers["Date"] != nil)
      }
    }
  }

  @Test func oneShotClientAgainstServer() throws {
    try withServer { server in
      let r = try HTTPClient.send(method: "GET", url: server.baseURL + "/a?b=c")
      #expect(r.status == 200)
      #expect(r.bodyText == "GET /a?b=c 0\n")
    }
  }

  @Test func chunkedBodyIsDecoded() throws {
    try withServer { server in
      let c = try connect(server)
      defer { c.close() }
      try c.write(
        "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n"
      )
      let r = try c.readResponse()
      #expect(r.bodyText == "POST /c 11\nhello world")
    }
  }

  @Test func pipelinedRequestsAreAnsweredInOrder() throws {
    try withServer { server in
      let text = try exchangeRaw(
        server,
        "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
      )
      let order = ["GET /1 0", "GET /2 0", "GET /3 0"].map { text.range(of: $0)?.lowerBound }
      #expect(order.allSatisfy { $0 != nil })
      #expect(order[0]! < order[1]! && order[1]! < order[2]!)
      #expect(text.contains("Connection: close"))
    }
  }

  @Test func expectContinueGetsInterimResponse() throws {
    try withServer { server in
      let c = try connect(server)
      defer { c.close() }
      try c.write("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
      // The interim response arrives before the body is sent.
      let interim = try c.receiveSome()
      #expect(String(decoding: interim, as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n")
      try c.write("body")
      let r = try c.readResponse()
      #expect(r.bodyText == "POST /e 4\nbody")
    }
  }

  @Test func http10ClosesUnlessKeepAlive() throws {
    try withServer { server in
      let text = try exchangeRaw(server, "GET /old HTTP/1.0\r\n\r\n")
      #expect(text.hasPrefix("HTTP/1.1 200 OK"))
      #expect(text.contains("Connection: close"))
    }
  }

  @Test func delayedResponseDoesNotBlockOtherClients() throws {
    let handler: HTTPHandler = { r in
      r.path == "/slow" ? HTTPResponse(status: 200, body: Array("slow".utf8), delayMilliseconds: 400) : echoHandler(r)
    }
    try withServer(handler: handler) { server in
      let slow = try connect(server)
      defer { slow.close() }
      try slow.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
      let start = Date()
      let fast = try HTTPClient.send(method: "GET", url: server.baseURL + "/fast")
      #expect(fast.status == 200)
      #expect(Date().timeIntervalSince(start) < 0.3)
      let r = try slow.readResponse()
      #expect(r.bodyText == "slow")
      #expect(Date().timeIntervalSince(start) >= 0.35)
    }
  }

  @Test func resetDeliveryGivesECONNRESET() throws {
    try withServer(handler: { _ in HTTPResponse(delivery: .reset) }) { server in
      let error = clientError { () throws(HTTPClientError) in
        _ = try HTTPClient.send(method: "GET", url: server.baseURL + "/")
      }
      #expect(error?.errnoName == "ECONNRESET")
    }
  }

  @Test func emptyDeliveryClosesWithoutBytes() throws {
    try withServer(handler: { _ in HTTPResponse(delivery: .empty) }) { server in
      let error = clientError { () throws(HTTPClientError) in
        _ = try HTTPClient.send(method: "GET", url: server.baseURL + "/")
      }
      #expect(error == .connectionClosed(received: 0))
    }
  }

  @Test func truncatedDeliverySendsPartOfTheResponse() throws {
    try withServer(handler: { _ in
      HTTPResponse(status: 200, body: Array(repeating: UInt8(ascii: "x"), count: 1000), delivery: .truncate(bytes: 60))
    }) { server in
      let text = try exchangeRaw(server, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
      #expect(text.utf8.count == 60)
      #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
    }
  }

  @Test func connectionRefusedIsNamed() throws {
    // Bind and stop a server to find a port that is very likely closed.
    let port = try withServer { $0.port }
    let error = clientError { () throws(HTTPClientError) in
      _ = try HTTPClient.send(method: "GET", url: "http://127.0.0.1:\(port)/", timeout: 2)
    }
    #expect(error?.errnoName == "ECONNREFUSED")
  }

  @Test func manyConcurrentClients() async throws {
    var config = HTTPServerConfiguration()
    config.eventLoops = 2
    let server = HTTPServer(configuration: config, handler: echoHandler)
    try server.start()
    defer { server.stop() }
    let url = server.baseURL
    let ok = try await withThrowingTaskGroup(of: Int.self) { group in
      for i in 0..<16 {
        group.addTask {
          try await Task.detached {
            let c = try HTTPClientConnection(host: "127.0.0.1", port: server.port)
            defer { c.close() }
            var n = 0
            for j in 0..<25 {
              let r = try c.send(method: "POST", target: "/\(i)/\(j)", body: [1, 2, 3])
              if r.status == 200 && r.body.count == "POST /\(i)/\(j) 3\n".utf8.count + 3 { n += 1 }
            }
            return n
          }.value
        }
      }
      return try await group.reduce(0, +)
    }
    #expect(ok == 400)
    _ = url
  }
}
