/// A parsed HTTP/1.x request with its whole body.
public struct HTTPRequest: Sendable, Equatable {
  /// The method token, e.g. `POST`.
  public var method: String
  /// The request target as sent, e.g. `/open_api/v1.3/event/track/?x=1`.
  public var target: String
  /// The minor version: 1 for HTTP/1.1, 0 for HTTP/1.0.
  public var minorVersion: Int
  /// The header fields in order.
  public var headers: HTTPHeaders
  /// The body, de-chunked.
  public var body: [UInt8]

  public init(method: String, target: String, minorVersion: Int = 1, headers: HTTPHeaders = [:], body: [UInt8] = []) {
    self.method = method
    self.target = target
    self.minorVersion = minorVersion
    self.headers = headers
    self.body = body
  }

  /// The target up to `?`.
  public var path: String {
    if let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) { return String(target[..<q]) }
    return target
  }

  /// The text after `?`, or `nil`.
  public var query: String? {
    guard let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
    return String(target[target.utf8.index(after: q)...])
  }

  /// The decoded query parameters in order (`+` and `%XX` decoded).
  public var queryItems: [(name: String, value: String)] {
    guard let query, !query.isEmpty else { return [] }
    return query.split(separator: "&").map { part in
      if let eq = part.firstIndex(of: "=") {
        return (percentDecode(part[..<eq]), percentDecode(part[part.index(after: eq)...]))
      }
      return (percentDecode(part), "")
    }
  }

  /// The first query parameter named `name`.
  public func queryValue(_ name: String) -> String? { queryItems.first { $0.name == name }?.value }

  /// Whether the connection stays open after the response (HTTP/1.1 unless `close`; HTTP/1.0 only with `keep-alive`).
  public var keepAlive: Bool {
    let connection = headers["Connection"]
    if minorVersion >= 1 { return !(connection.map { headerListContains($0, "close") } ?? false) }
    return connection.map { headerListContains($0, "keep-alive") } ?? false
  }
}

func percentDecode(_ s: Substring) -> String {
  var out: [UInt8] = []
  var bytes = Array(s.utf8)[...]
  while let b = bytes.first {
    bytes = bytes.dropFirst()
    if b == UInt8(ascii: "+") {
      out.append(0x20)
    } else if b == UInt8(ascii: "%"), bytes.count >= 2, let h = hexValue(bytes[bytes.startIndex]),
      let l = hexValue(bytes[bytes.startIndex + 1])
    {
      out.append(h << 4 | l)
      bytes = bytes.dropFirst(2)
    } else {
      out.append(b)
    }
  }
  return String(decoding: out, as: UTF8.self)
}

@inline(__always)
func hexValue(_ b: UInt8) -> UInt8? {
  switch b {
  case 0x30...0x39: return b - 0x30
  case 0x41...0x46: return b - 0x41 + 10
  case 0x61...0x66: return b - 0x61 + 10
  default: return nil
  }
}
