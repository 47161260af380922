import JSON

/// A transformer request object as the delivery proxy receives it (spec §9.1): where to send what, and the
/// metadata the answer is reported against.
public struct ProxyRequest: Sendable, Equatable {
  /// Where it came from in the input document (a JSON Pointer), for messages.
  public var source: String
  /// The HTTP method (default `POST`).
  public var method: String
  /// The full endpoint URL, e.g. `https://business-api.tiktok.com/open_api/v1.3/pixel/track/`.
  public var endpoint: String
  /// The header fields, in order.
  public var headers: [(name: String, value: String)]
  /// The query parameters, in order (values already rendered as text).
  public var params: [(name: String, value: String)]
  /// The body bytes to send (empty when every body format is empty).
  public var body: [UInt8]
  /// The body as JSON when the body format is `JSON` (for messages and the journal).
  public var jsonBody: JSONValue?
  /// `metadata`: one object (v0) or an array (v1).
  public var metadata: JSONValue?
  /// The proxy version the request names in `version` (`v0`/`v1`), if any. Router output's `"1"` is not one.
  public var proxyVersion: ProxyVersion?

  public static func == (a: ProxyRequest, b: ProxyRequest) -> Bool {
    a.source == b.source && a.method == b.method && a.endpoint == b.endpoint
      && a.headers.elementsEqual(b.headers, by: { $0 == $1 }) && a.params.elementsEqual(b.params, by: { $0 == $1 })
      && a.body == b.body && a.metadata == b.metadata && a.proxyVersion == b.proxyVersion
  }

  /// Reads a request object (`endpoint`, `method`, `headers`, `params`, `body.{JSON,JSON_ARRAY,XML,FORM}`,
  /// `metadata`, `version`).
  /// - Parameters:
  ///   - value: the object.
  ///   - source: its JSON Pointer in the document.
  ///   - metadata: metadata to use when the object has none (router output keeps it beside the request).
  /// - Throws: ``DeliveryError/invalidRequest(pointer:message:)`` naming the member.
  public init(_ value: JSONValue, source: String, metadata: JSONValue? = nil) throws(DeliveryError) {
    guard case .object(let o) = value else {
      throw .invalidRequest(pointer: source, message: "expected a request object, found \(value.typeName)")
    }
    self.source = source
    guard let endpoint = o["endpoint"]?.stringValue, !endpoint.isEmpty else {
      throw .invalidRequest(pointer: source + "/endpoint", message: "missing or empty \"endpoint\"")
    }
    self.endpoint = endpoint
    method = o["method"]?.stringValue.map { $0.uppercased() } ?? "POST"
    headers = []
    if case .object(let h)? = o["headers"] {
      for e in h.entries {
        guard let text = Self.scalarText(e.value) else { continue }  // axios drops undefined/null headers
        headers.append((e.key, text))
      }
    }
    params = []
    if case .object(let p)? = o["params"] {
      for e in p.entries { params.append(contentsOf: Self.queryPairs(e.key, e.value)) }
    }
    body = []
    jsonBody = nil
    if case .object(let b)? = o["body"] {
      (body, jsonBody) = Self.bodyBytes(b)
    }
    self.metadata = o["metadata"] ?? metadata
    proxyVersion = o["version"]?.stringValue.flatMap(ProxyVersion.init(rawValue:))
  }

  /// The header fields sent: the request's own plus `User-Agent: RudderLabs` (replacing any given one).
  public var wireHeaders: [(name: String, value: String)] {
    var h = headers.filter { $0.name.lowercased() != "user-agent" }
    h.append(("User-Agent", "RudderLabs"))
    return h
  }

  /// The URL sent to: `endpoint` with its scheme and host replaced by `base` (when given, keeping the path) and
  /// `params` appended as a query string.
  /// - Throws: ``DeliveryError/invalidURL(_:)`` when `base` or `endpoint` is not an absolute URL.
  public func url(endpointBase base: String? = nil) throws(DeliveryError) -> String {
    var url = endpoint
    if let base {
      guard let split = Self.splitURL(base) else {
        throw .invalidURL("endpoint base '\(base)' is not an absolute URL like http://127.0.0.1:8080")
      }
      guard let target = Self.splitURL(endpoint) else {
        throw .invalidURL("\(source)/endpoint: '\(endpoint)' is not an absolute URL")
      }
      var prefix = split.origin + split.pathAndQuery
      while prefix.hasSuffix("/") { prefix.removeLast() }
      url = prefix + target.pathAndQuery
    }
    guard !params.isEmpty else { return url }
    let query = params.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
    return url + (url.contains("?") ? "&" : "?") + query
  }

  /// Splits `scheme://authority` from the rest (`/path?query`, `/` when absent).
  static func splitURL(_ text: String) -> (origin: String, pathAndQuery: String)? {
    guard let colon = text.firstIndex(of: ":"), colon > text.startIndex, text[colon...].hasPrefix("://") else {
      return nil
    }
    let rest = text[text.index(colon, offsetBy: 3)...]
    guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else {
      return rest.isEmpty ? nil : (text, "/")
    }
    guard slash > rest.startIndex else { return nil }
    var path = String(rest[slash...])
    if path.hasPrefix("?") { path = "/" + path }
    return (String(text[..<slash]), path)
  }
}
