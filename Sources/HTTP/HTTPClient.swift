import Glibc

/// A response read by ``HTTPClient``.
public struct HTTPClientResponse: Sendable, Equatable {
  /// The status code.
  public var status: Int
  /// The reason phrase.
  public var reason: String
  /// The header fields.
  public var headers: HTTPHeaders
  /// The body (de-chunked).
  public var body: [UInt8]

  /// The body decoded as UTF-8.
  public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Why a request got no complete response. Network failures carry the `errno` (see ``errnoName``).
public enum HTTPClientError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Not an `http://host[:port]/path` URL (only plain `http://` is supported; no TLS).
  case invalidURL(String)
  /// The host name did not resolve.
  case hostNotFound(String)
  /// `connect` failed (e.g. `ECONNREFUSED`).
  case connectFailed(errno: Int32)
  /// Sending failed (e.g. `EPIPE`, `ECONNRESET`).
  case sendFailed(errno: Int32)
  /// Receiving failed (e.g. `ECONNRESET`).
  case receiveFailed(errno: Int32)
  /// No progress within the timeout; `phase` is `connect`, `send` or `receive`.
  case timedOut(phase: String)
  /// The peer closed the connection before a complete response; `received` bytes had arrived (0: empty reply).
  case connectionClosed(received: Int)
  /// The bytes received are not an HTTP/1.x response.
  case malformedResponse(String)

  /// The errno-style name of the failure: `ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`, `EOF` (closed early),
  /// `EPROTO` (malformed response), `EHOSTUNREACH` (name not resolved), `EINVAL` (bad URL).
  public var errnoName: String {
    switch self {
    case .invalidURL: return "EINVAL"
    case .hostNotFound: return "EHOSTUNREACH"
    case .connectFailed(let e), .sendFailed(let e), .receiveFailed(let e): return HTTP.errnoName(e)
    case .timedOut: return "ETIMEDOUT"
    case .connectionClosed: return "EOF"
    case .malformedResponse: return "EPROTO"
    }
  }

  public var description: String {
    switch self {
    case .invalidURL(let u): return "invalid url '\(u)' (only http:// is supported)"
    case .hostNotFound(let h): return "host not found: \(h)"
    case .connectFailed: return "connect failed: \(errnoName)"
    case .sendFailed: return "send failed: \(errnoName)"
    case .receiveFailed: return "receive failed: \(errnoName)"
    case .timedOut(let phase): return "timed out (\(phase))"
    case .connectionClosed(let n):
      return n == 0
        ? "connection closed with no response" : "connection closed after \(n) bytes of an incomplete response"
    case .malformedResponse(let m): return "malformed response: \(m)"
    }
  }
}

/// A parsed `http://` URL.
public struct HTTPURL: Sendable, Equatable {
  public var host: String
  public var port: UInt16
  /// Path and query, at least `/`.
  public var target: String

  /// Parses `http://host[:port][/path]`; IPv6 hosts in brackets.
  public init(_ text: String) throws(HTTPClientError) {
    guard text.lowercased().hasPrefix("http://") else { throw .invalidURL(text) }
    let rest = text.dropFirst(7)
    let slash = rest.firstIndex(of: "/") ?? rest.endIndex
    var authority = rest[..<slash]
    target = slash == rest.endIndex ? "/" : String(rest[slash...])
    if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
    var portText: Substring?
    if authority.hasPrefix("[") {
      guard let close = authority.firstIndex(of: "]") else { throw .invalidURL(text) }
      host = String(authority[authority.index(after: authority.startIndex)..<close])
      let after = authority[authority.index(after: close)...]
      if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { throw .invalidURL(text) }
    } else if let colon = authority.lastIndex(of: ":") {
      host = String(authority[..<colon])
      portText = authority[authority.index(after: colon)...]
    } else {
      host = String(authority)
    }
    if let portText {
      guard let p = UInt16(portText) else { throw .invalidURL(text) }
      port = p
    } else {
      port = 80
    }
    guard !host.isEmpty else { throw .invalidURL(text) }
  }
}

/// A small blocking HTTP/1.1 client on POSIX sockets (plain `http://` only, no TLS, no redirects).
///
/// Calls block the calling thread until the response or the timeout; call them from a dedicated thread or a
/// `DispatchQueue`, not from Swift's cooperative pool in hot paths.
public enum HTTPClient {
  /// Sends one request on a fresh connection (`Connection: close`) and reads the whole response.
  /// - Parameters:
  ///   - method: the method, e.g. `POST`.
  ///   - url: `http://host:port/path`.
  ///   - headers: extra header fields; `Host`, `Content-Length` and `Connection` are added unless given.
  ///   - body: the body bytes.
  ///   - timeout: seconds allowed for each phase (connect, send, each receive).
  /// - Throws: ``HTTPClientError``, whose ``HTTPClientError/errnoName`` names network failures.
  public static func send(
    method: String = "POST", url: String, headers: HTTPHeaders = [:], body: [UInt8] = [], timeout: Double = 10
  ) throws(HTTPClientError) -> HTTPClientResponse {
    let parsed = try HTTPURL(url)
    let connection = try HTTPClientConnection(host: parsed.host, port: parsed.port, timeout: timeout)
    defer { connection.close() }
    var h = headers
    if !h.contains("Connection") { h.add("Connection", "close") }
    return try connection.send(method: method, target: parsed.target, headers: h, body: body)
  }
}

/// One client connection: send requests in turn (keep-alive) or raw bytes, read responses.
public final class HTTPClientConnection {
  private var fd: Int32
  private let timeout: Double
  private let hostHeader: String
  private var buffer: [UInt8] = []
  /// The monotonic time (nanoseconds) after which every wait fails, or `nil` (see ``setDeadline(seconds:)``).
  private var deadline: UInt64?

  /// Connects to `host:port` within `timeout` seconds.
  public init(host: String, port: UInt16, timeout: Double = 10) throws(HTTPClientError) {
    self.timeout = timeout
    hostHeader = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_family = AF_UNSPEC
    var result: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else {
      throw .hostNotFound(host)
    }
    defer { freeaddrinfo(result) }
    let s = socket(
      info.pointee.ai_family,
      Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
    if s < 0 { throw .connectFailed(errno: errno) }
    fd = s
    Sys.setNoDelay(s)
    var r = Glibc.connect(s, info.pointee.ai_addr, info.pointee.ai_addrlen)
    if r != 0 && errno == EINTR { r = -1; errno = EINPROGRESS }
    if r != 0 {
      guard errno == EINPROGRESS else {
        let e = errno
        close()  // once: it also clears `fd`, so deinit does not close the number again
        throw .connectFailed(errno: e)
      }
      guard wait(for: Int16(POLLOUT)) else {
        close()
        throw .timedOut(phase: "connect")
      }
      var err: Int32 = 0
      var len = socklen_t(MemoryLayout<Int32>.size)
      getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len)
      if err != 0 {
        close()
        throw .connectFailed(errno: err)
      }
    }
  }

  deinit { close() }

  /// Closes the connection (idempotent).
  public func close() {
    if fd >= 0 {
      Glibc.close(fd)
      fd = -1
    }
  }

  /// Makes ``close()`` reset the connection (RST) instead of closing it gracefully: a client that vanishes.
  public func resetOnClose() {
    if fd >= 0 { Sys.setLingerZero(fd) }
  }

  /// Half-closes the sending side (the peer sees end of input).
  public func shutdownWrite() {
    if fd >= 0 { shutdown(fd, Int32(SHUT_WR)) }
  }

  /// Bounds the whole of the next exchanges: every wait for the socket ends at most `seconds` from now (as well as
  /// within the per-wait timeout), so a peer that trickles bytes cannot hold a request longer; `nil` removes the
  /// bound. A wait cut short throws ``HTTPClientError/timedOut(phase:)``.
  public func setDeadline(seconds: Double?) {
    deadline = seconds.map { Sys.now() &+ UInt64(max(0, min($0, 1e9)) * 1e9) }
  }

  private func wait(for events: Int16) -> Bool {
    var p = pollfd(fd: fd, events: events, revents: 0)
    while true {
      var limit = max(0, min(timeout * 1000, Double(Int32.max)))
      if let deadline {
        let now = Sys.now()
        guard now < deadline else { return false }
        limit = min(limit, Double((deadline - now + 999_999) / 1_000_000))
      }
      let r = poll(&p, 1, Int32(limit))
      if r < 0 && errno == EINTR { continue }
      return r > 0
    }
  }

  /// Sends raw bytes as they are.
  public func write(_ bytes: [UInt8]) throws(HTTPClientError) {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { Sys.send(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n > 0 {
        offset += n
      } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
        guard wait(for: Int16(POLLOUT)) else { throw .timedOut(phase: "send") }
      } else {
        throw .sendFailed(errno: errno)
      }
    }
  }

  /// Sends raw text as UTF-8.
  public func write(_ text: String) throws(HTTPClientError) { try write(Array(text.utf8)) }

  /// Sends a request and reads its response (skipping `100 Continue`).
  public func send(method: String, target: String, headers: HTTPHeaders = [:], body: [UInt8] = [])
    throws(HTTPClientError)
    -> HTTPClientResponse
  {
    var head = "\(method) \(target) HTTP/1.1\r\n"
    if !headers.contains("Host") { head += "Host: \(hostHeader)\r\n" }
    for f in headers { head += "\(f.name): \(f.value)\r\n" }
    if !headers.contains("Content-Length") && !headers.contains("Transfer-Encoding")
      && (!body.isEmpty || method == "POST" || method == "PUT")
    {
      head += "Content-Length: \(body.count)\r\n"
    }
    head += "\r\n"
    var bytes = Array(head.utf8)
    bytes.append(contentsOf: body)
    try write(bytes)
    return try readResponse(method: method)
  }

  /// Reads bytes until the peer closes the connection (or the timeout), returning everything received.
  /// A reset after some bytes returns what arrived; a reset before any throws.
  public func readToEnd() throws(HTTPClientError) -> [UInt8] {
    while true {
      do {
        if try fill() == 0 { break }
      } catch {
        if case .receiveFailed = error, !buffer.isEmpty { break }
        throw error
      }
    }
    defer { buffer.removeAll() }
    return buffer
  }

  /// Returns the bytes buffered or, if none, waits for the next bytes to arrive (empty at end of stream).
  public func receiveSome() throws(HTTPClientError) -> [UInt8] {
    if buffer.isEmpty { _ = try fill() }
    defer { buffer.removeAll() }
    return buffer
  }

  /// Receives more bytes into the buffer; 0 on end of stream.
  private func fill() throws(HTTPClientError) -> Int {
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { Sys.read(fd, $0.baseAddress!, $0.count) }
      if n > 0 {
        buffer.append(contentsOf: chunk[0..<n])
        return n
      }
      if n == 0 { return 0 }
      if errno == EAGAIN || errno == EWOULDBLOCK {
        guard wait(for: Int16(POLLIN)) else { throw .timedOut(phase: "receive") }
        continue
      }
      throw .receiveFailed(errno: errno)
    }
  }

  /// Reads one response from the connection.
  public func readResponse(method: String = "POST") throws(HTTPClientError) -> HTTPClientResponse {
    while true {
      // Head.
      var headEnd: Int?
      while true {
        if let i = findHeadEnd() {
          headEnd = i
          break
        }
        if buffer.count > 1 << 20 { throw .malformedResponse("header block too large") }
        if try fill() == 0 { throw .connectionClosed(received: buffer.count) }
      }
      let end = headEnd!
      var response = try parseHead(Array(buffer[0..<end]))
      buffer.removeFirst(end)
      if response.status == 100 || (response.status >= 102 && response.status < 200) { continue }
      if method == "HEAD" || response.status == 204 || response.status == 304 { return response }
      if let te = response.headers["Transfer-Encoding"], headerListContains(te, "chunked") {
        response.body = try readChunked()
      } else if let cl = response.headers["Content-Length"] {
        guard let n = Int(cl.trimmingCharacters()), n >= 0 else { throw .malformedResponse("bad content-length") }
        while buffer.count < n {
          if try fill() == 0 { throw .connectionClosed(received: end + buffer.count) }
        }
        response.body = Array(buffer[0..<n])
        buffer.removeFirst(n)
      } else {
        while try fill() > 0 {}
        response.body = buffer
        buffer.removeAll()
      }
      return response
    }
  }

  private func findHeadEnd() -> Int? {
    guard buffer.count >= 2 else { return nil }
    for i in 0..<(buffer.count - 1) where buffer[i] == 10 {
      if buffer[i + 1] == 10 { return i + 2 }
      if i + 2 < buffer.count && buffer[i + 1] == 13 && buffer[i + 2] == 10 { return i + 3 }
    }
    return nil
  }

  private func parseHead(_ bytes: [UInt8]) throws(HTTPClientError) -> HTTPClientResponse {
    // Split on LF bytes: as Characters, "\r\n" is one grapheme and would not split on "\n".
    var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map { l -> Substring in
      String(decoding: l.last == 13 ? l.dropLast() : l, as: UTF8.self)[...]
    }
    while lines.last?.isEmpty == true { lines.removeLast() }
    guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1.") else {
      throw .malformedResponse("not an HTTP/1.x status line")
    }
    let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
    guard parts.count >= 2, let status = Int(parts[1]), parts[1].count == 3 else {
      throw .malformedResponse("bad status line '\(statusLine.prefix(80))'")
    }
    var headers = HTTPHeaders()
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { throw .malformedResponse("bad header line") }
      headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingASCIIWhitespace())
    }
    return HTTPClientResponse(
      status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers, body: [])
  }

  private func readLine() throws(HTTPClientError) -> String {
    while true {
      if let i = buffer.firstIndex(of: 10) {
        var line = Array(buffer[0..<i])
        if line.last == 13 { line.removeLast() }
        buffer.removeFirst(i + 1)
        return String(decoding: line, as: UTF8.self)
      }
      if try fill() == 0 { throw .connectionClosed(received: buffer.count) }
    }
  }

  private func readChunked() throws(HTTPClientError) -> [UInt8] {
    var body: [UInt8] = []
    while true {
      let line = try readLine()
      let hex = line.split(separator: ";").first.map { $0.trimmingASCIIWhitespace() } ?? ""
      guard let size = Int(hex, radix: 16), size >= 0 else { throw .malformedResponse("bad chunk size") }
      if size == 0 {
        while try !readLine().isEmpty {}
        return body
      }
      while buffer.count < size + 2 {
        if try fill() == 0 { throw .connectionClosed(received: body.count + buffer.count) }
      }
      body.append(contentsOf: buffer[0..<size])
      buffer.removeFirst(size + 2)
    }
  }
}

extension String {
  fileprivate func trimmingCharacters() -> String { self[...].trimmingASCIIWhitespace() }
}
