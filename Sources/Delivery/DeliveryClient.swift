import Dispatch
import HTTP
import JSON

/// Sends proxy requests the way rudder-transformer's proxy does (spec §9.1) and classifies the answers (§9.3).
///
/// It uses the project's socket client (``HTTP/HTTPClient``) rather than `URLSession`: the point of delivery checks
/// is the error path, and only the socket client reports the exact `errno` (`ECONNRESET`, `ECONNREFUSED`,
/// `ETIMEDOUT`) that upstream turns into its synthetic status and message (§9.2). `URLSession` on Linux folds
/// these into `NSURLError` codes through libcurl, retries some of them on its own, adds headers of its own
/// (`Accept-Encoding`, `Accept-Language`) and pools connections, none of which a contract check wants. The price is
/// no TLS: an `https://` endpoint is reached through ``endpointBase`` (the mock), never directly.
public struct DeliveryClient: Sendable {
  /// `scheme://host[:port][/prefix]` replacing the scheme and host of every endpoint, keeping its path.
  public var endpointBase: String?
  /// Seconds allowed for each phase (connect, send, each receive); beyond it the answer is `ETIMEDOUT`.
  public var timeout: Double
  /// Whether `destinationResponse` carries the answer's headers, as upstream's does against a real server. Off by
  /// default: the upstream test mocks answer without headers, so the corpus expects none.
  public var includeResponseHeaders: Bool

  /// A client.
  public init(endpointBase: String? = nil, timeout: Double = 30, includeResponseHeaders: Bool = false) {
    self.endpointBase = endpointBase
    self.timeout = timeout
    self.includeResponseHeaders = includeResponseHeaders
  }

  /// Sends `request`, classifies the answer and builds the proxy output of `version`.
  /// - Parameter version: the proxy shape; `nil` uses the request's own `version` (`v0`/`v1`), else `v1`.
  /// - Throws: ``DeliveryError/invalidURL(_:)`` when the URL cannot be used; network failures are answers, not
  ///   errors.
  public func deliver(_ request: ProxyRequest, version: ProxyVersion? = nil) throws(DeliveryError) -> DeliveryResult {
    let start = DispatchTime.now().uptimeNanoseconds
    let (url, answer) = try send(request)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return DeliveryResult(
      request: request, url: url, answer: answer, version: version ?? request.proxyVersion ?? .v1, seconds: seconds)
  }

  /// Sends `request` and returns the URL used and the answer as the handler sees it (a network failure becomes
  /// its synthetic answer, §9.2).
  /// - Throws: ``DeliveryError/invalidURL(_:)`` when the URL cannot be used by this client.
  public func send(_ request: ProxyRequest) throws(DeliveryError) -> (url: String, answer: DestinationResponse) {
    let url = try url(for: request)
    var headers = HTTPHeaders()
    for h in request.wireHeaders { headers.add(h.name, h.value) }
    do {
      let response = try HTTPClient.send(
        method: request.method, url: url, headers: headers, body: request.body, timeout: timeout)
      let fields = includeResponseHeaders ? Self.headerObject(response.headers) : nil
      return (url, DestinationResponse(status: response.status, body: response.body, headers: fields))
    } catch {
      if case .invalidURL(let u) = error { throw .invalidURL("'\(u)' is not a usable http:// URL") }
      return (url, DestinationResponse(networkError: Self.networkErrorCode(error)))
    }
  }

  /// The URL `request` goes to (endpoint base applied, params as query).
  /// - Throws: ``DeliveryError/invalidURL(_:)`` when it is not an `http://` URL this client can reach.
  public func url(for request: ProxyRequest) throws(DeliveryError) -> String {
    let url = try request.url(endpointBase: endpointBase)
    guard url.lowercased().hasPrefix("http://") else {
      let hint = endpointBase == nil ? "; pass --endpoint-base http://HOST:PORT to send it to the mock" : ""
      throw .invalidURL(
        "\(request.source.isEmpty ? "/" : request.source)/endpoint: '\(url)': only http:// can be reached (no TLS)\(hint)"
      )
    }
    guard (try? HTTPURL(url)) != nil else { throw .invalidURL("'\(url)' is not a usable http:// URL") }
    return url
  }

  /// The Node.js error code upstream would have seen for a socket client failure (see ``NetworkErrorMapping``).
  public static func networkErrorCode(_ error: HTTPClientError) -> String {
    switch error {
    case .hostNotFound: return "ENOTFOUND"
    case .timedOut: return "ETIMEDOUT"
    case .connectionClosed: return "ECONNRESET"
    case .malformedResponse: return "HPE_INVALID_CONSTANT"
    case .invalidURL: return "ERR_INVALID_URL"
    case .connectFailed, .sendFailed, .receiveFailed: return error.errnoName
    }
  }

  /// Header fields as axios gives them: names lowercased, repeated fields joined with `, `.
  static func headerObject(_ headers: HTTPHeaders) -> JSONObject? {
    guard !headers.isEmpty else { return nil }
    var o = JSONObject()
    for f in headers {
      let name = f.name.lowercased()
      if let old = o[name]?.stringValue {
        o.set(name, .string(old + ", " + f.value))
      } else {
        o.appendUnchecked(name, .string(f.value))
      }
    }
    return o
  }
}

/// One delivered request: what was sent, what came back, and the verdict in both terms.
public struct DeliveryResult: Sendable {
  /// The request.
  public var request: ProxyRequest
  /// The URL it was sent to.
  public var url: String
  /// The answer as the handler saw it.
  public var answer: DestinationResponse
  /// The proxy shape of ``output``.
  public var version: ProxyVersion
  /// Seconds from connect to the last byte (or the failure).
  public var seconds: Double

  /// A result.
  public init(
    request: ProxyRequest, url: String, answer: DestinationResponse, version: ProxyVersion, seconds: Double = 0
  ) {
    self.request = request
    self.url = url
    self.answer = answer
    self.version = version
    self.seconds = seconds
  }

  /// The handler's verdict.
  public var classification: Classification { Classification.classify(answer) }

  /// What the caller does with it.
  public var outcome: DeliveryOutcome { classification.outcome }

  /// The proxy answer, shaped per ``version``.
  public var output: ProxyOutput {
    ProxyOutput.make(version: version, classification: classification, answer: answer, metadata: request.metadata)
  }
}
