/// A response, plus how the connection should deliver it (delay, reset, truncation…).
public struct HTTPResponse: Sendable {
  /// How the server delivers a response on the wire.
  public enum Delivery: Sendable, Equatable {
    /// A normal response; the connection stays open if the request allows keep-alive.
    case normal
    /// The response, then the connection is closed.
    case close
    /// The connection is reset (`SO_LINGER` 0, then `close`, so the peer sees `ECONNRESET`); nothing is sent.
    case reset
    /// The connection is closed without sending anything (an empty reply).
    case empty
    /// Only the first `bytes` bytes of the serialised response (status line and headers included), then close.
    case truncate(bytes: Int)
    /// The status line and headers (with the full `Content-Length`), only the first `bytes` bytes of the body,
    /// then close: a body cut short.
    case partialBody(bytes: Int)
    /// These exact bytes instead of a serialised response, then close.
    case raw([UInt8])
  }

  /// The status code.
  public var status: Int
  /// The reason phrase; the standard one when `nil`.
  public var reason: String?
  /// Header fields; `Content-Length`, `Date` and `Connection` are added by the server.
  public var headers: HTTPHeaders
  /// The body.
  public var body: [UInt8]
  /// Wait this long (milliseconds) before sending, without blocking the server.
  public var delayMilliseconds: Int
  /// How to deliver it.
  public var delivery: Delivery

  public init(
    status: Int = 200, reason: String? = nil, headers: HTTPHeaders = [:], body: [UInt8] = [],
    delayMilliseconds: Int = 0, delivery: Delivery = .normal
  ) {
    self.status = status
    self.reason = reason
    self.headers = headers
    self.body = body
    self.delayMilliseconds = delayMilliseconds
    self.delivery = delivery
  }

  /// A response with a `Content-Type` and a UTF-8 text body.
  public static func text(_ status: Int, _ text: String, contentType: String = "text/plain; charset=utf-8")
    -> HTTPResponse
  {
    HTTPResponse(status: status, headers: ["Content-Type": contentType], body: Array(text.utf8))
  }

  /// A JSON response from already-serialised bytes.
  public static func json(_ status: Int = 200, _ bytes: [UInt8]) -> HTTPResponse {
    HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: bytes)
  }

  /// Serialises the status line, headers and body as one buffer.
  /// - Parameters:
  ///   - keepAlive: whether to announce keep-alive (`Connection: close` is written when `false`).
  ///   - minorVersion: the request's HTTP minor version (HTTP/1.0 keep-alive needs an explicit header).
  ///   - date: the value of the `Date` header, if any.
  ///   - includeBody: `false` for HEAD.
  public func serialize(
    into out: inout [UInt8], keepAlive: Bool, minorVersion: Int = 1, date: String? = nil, includeBody: Bool = true
  ) {
    out.append(contentsOf: "HTTP/1.1 \(status) \(reason ?? HTTPStatus.reason(status))\r\n".utf8)
    var hasLength = false
    for f in headers {
      if asciiCaseInsensitiveEqual(f.name, "Connection") { continue }
      if asciiCaseInsensitiveEqual(f.name, "Content-Length") { hasLength = true }
      appendField(&out, f.name, f.value)
    }
    if let date, !headers.contains("Date") { appendField(&out, "Date", date) }
    if !hasLength && !(100..<200).contains(status) && status != 204 {
      appendField(&out, "Content-Length", String(body.count))
    }
    if !keepAlive {
      appendField(&out, "Connection", "close")
    } else if minorVersion == 0 {
      appendField(&out, "Connection", "keep-alive")
    }
    out.append(13)
    out.append(10)
    if includeBody { out.append(contentsOf: body) }
  }

  private func appendField(_ out: inout [UInt8], _ name: String, _ value: String) {
    out.append(contentsOf: name.utf8)
    out.append(0x3A)
    out.append(0x20)
    out.append(contentsOf: value.utf8)
    out.append(13)
    out.append(10)
  }
}

/// Standard reason phrases.
public enum HTTPStatus {
  /// The reason phrase for `code` (`Unknown` for unlisted codes).
  public static func reason(_ code: Int) -> String {
    switch code {
    case 100: return "Continue"
    case 200: return "OK"
    case 201: return "Created"
    case 202: return "Accepted"
    case 204: return "No Content"
    case 301: return "Moved Permanently"
    case 302: return "Found"
    case 304: return "Not Modified"
    case 400: return "Bad Request"
    case 401: return "Unauthorized"
    case 403: return "Forbidden"
    case 404: return "Not Found"
    case 405: return "Method Not Allowed"
    case 408: return "Request Timeout"
    case 409: return "Conflict"
    case 411: return "Length Required"
    case 413: return "Content Too Large"
    case 414: return "URI Too Long"
    case 415: return "Unsupported Media Type"
    case 417: return "Expectation Failed"
    case 422: return "Unprocessable Content"
    case 429: return "Too Many Requests"
    case 431: return "Request Header Fields Too Large"
    case 500: return "Internal Server Error"
    case 501: return "Not Implemented"
    case 502: return "Bad Gateway"
    case 503: return "Service Unavailable"
    case 504: return "Gateway Timeout"
    case 505: return "HTTP Version Not Supported"
    default: return "Unknown"
    }
  }
}
