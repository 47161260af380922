import HTTP

/// Starts an echo server on 127.0.0.1:0 for one test and stops it afterwards.
func withServer<R>(
  _ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
  handler: @escaping HTTPHandler = echoHandler,
  _ body: (HTTPServer) throws -> R
) throws -> R {
  var config = HTTPServerConfiguration()
  config.eventLoops = 1
  configure(&config)
  let server = HTTPServer(configuration: config, handler: handler)
  try server.start()
  defer { server.stop() }
  return try body(server)
}

/// Answers with `METHOD TARGET BODY-LENGTH` and the body echoed after a newline.
let echoHandler: HTTPHandler = { request in
  var text = Array("\(request.method) \(request.target) \(request.body.count)\n".utf8)
  text.append(contentsOf: request.body)
  return HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: text)
}

func connect(_ server: HTTPServer, timeout: Double = 5) throws -> HTTPClientConnection {
  try HTTPClientConnection(host: "127.0.0.1", port: server.port, timeout: timeout)
}

/// Sends raw bytes on a new connection and returns everything the server sends until it closes.
func exchangeRaw(_ server: HTTPServer, _ text: String, timeout: Double = 5) throws -> String {
  let c = try connect(server, timeout: timeout)
  defer { c.close() }
  try c.write(text)
  return String(decoding: try c.readToEnd(), as: UTF8.self)
}
