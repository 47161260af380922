import JSON

/// TikTok's answer as RudderStack's response handler sees it (spec §9.2): the parsed body and the HTTP status.
///
/// A network failure with no HTTP answer is folded into the same shape by ``init(networkError:)``, the way
/// upstream's `processAxiosResponse` does: `{response: "[ECONNRESET] :: Connection reset by peer", status: 500}`.
public struct DestinationResponse: Sendable, Equatable {
  /// The parsed JSON body, the body text when it is not JSON, or `""` when empty (or a falsy JSON value).
  public var response: JSONValue
  /// The HTTP status, or the synthetic status of a network error.
  public var status: Int
  /// The response header fields, names lowercased as axios gives them; `nil` when there were none (or when the
  /// caller chose to leave them out, as the upstream test mocks do).
  public var headers: JSONObject?
  /// The network error code (`ECONNRESET`, `ETIMEDOUT`…) when there was no HTTP answer.
  public var networkError: String?

  /// A handler view built from its parts.
  public init(response: JSONValue, status: Int, headers: JSONObject? = nil, networkError: String? = nil) {
    self.response = response
    self.status = status
    self.headers = headers
    self.networkError = networkError
  }

  /// The view of an HTTP answer: the body parsed as JSON when it parses (axios's default), its text otherwise.
  ///
  /// Upstream writes `data || ''`, so an empty body and the falsy JSON values `null`, `false`, `0` and `""` all
  /// become `""`. A status of 0 becomes 500 (`status || 500`).
  public init(status: Int, body: [UInt8], headers: JSONObject? = nil) {
    var value: JSONValue
    if body.isEmpty {
      value = ""
    } else if let parsed = try? JSONValue.parse(body) {
      value = parsed
    } else {
      value = .string(String(decoding: body, as: UTF8.self))
    }
    if value.isFalsyInJavaScript { value = "" }
    self.init(response: value, status: status == 0 ? 500 : status, headers: headers)
  }

  /// The view of a request that got no HTTP answer, mapped as upstream's `nodeSysErrorToStatus` maps `code`.
  public init(networkError code: String) {
    let mapped = NetworkErrorMapping.map(code)
    self.init(response: .string(mapped.message), status: mapped.status, networkError: code)
  }

  /// `{response, status}` plus `headers` when present: the `destinationResponse` of the proxy output.
  public var json: JSONValue {
    var o = JSONObject()
    o.appendUnchecked("response", response)
    o.appendUnchecked("status", .int(Int64(status)))
    if let headers, !headers.isEmpty { o.appendUnchecked("headers", .object(headers)) }
    return .object(o)
  }

  /// TikTok's `code` when the body is an object with a numeric `code`.
  public var tiktokCode: Int64? {
    guard let code = response["code"], code.isNumber else { return nil }
    return code.int64Value
  }

  /// TikTok's `message` when the body is an object with a string `message`.
  public var tiktokMessage: String? { response["message"]?.stringValue }
}

extension JSONValue {
  /// `true` for the values JavaScript treats as false in `data || ''`: `null`, `false`, `0`, `-0` and `""`.
  var isFalsyInJavaScript: Bool {
    switch self {
    case .null: return true
    case .bool(let b): return !b
    case .string(let s): return s.isEmpty
    case .int(let i): return i == 0
    case .double(let d): return d == 0 || d.isNaN
    case .numberLiteral(let s): return Double(s) == 0
    case .array, .object: return false
    }
  }
}
