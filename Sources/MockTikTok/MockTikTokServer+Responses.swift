import HTTP
import JSON

/// A response plus what the journal records about it.
struct Answer {
  var response: HTTPResponse
  var code: Int?
  var message: String?
}

extension MockTikTokServer {
  /// A TikTok envelope `{code, message, request_id, data}` (HTTP 200 unless `status` says otherwise).
  func envelope(_ code: Int, _ message: String, requestID: [UInt8], data: JSONValue? = nil, status: Int = 200) -> Answer
  {
    var out: [UInt8] = []
    out.reserveCapacity(128 + message.utf8.count)
    out.append(contentsOf: #"{"code":"#.utf8)
    out.appendDecimal(code)
    out.append(contentsOf: #","message":"#.utf8)
    out.appendJSONString(message)
    out.append(contentsOf: #","request_id":""#.utf8)
    out.append(contentsOf: requestID)
    out.append(contentsOf: #"","data":"#.utf8)
    if let data { data.writeCompact(into: &out) } else { out.append(contentsOf: "{}".utf8) }
    out.append(UInt8(ascii: "}"))
    return Answer(response: .json(status, out), code: code, message: message)
  }

  /// The response for a fired rule's action.
  func respond(to action: FaultAction, requestID: [UInt8], pixel: String?, events: [String]) -> Answer {
    let rid = String(decoding: requestID, as: UTF8.self)
    func fill(_ text: String) -> String {
      text.replacing("{pixel}", with: pixel ?? "").replacing("{event}", with: events.first ?? "")
        .replacing("{request_id}", with: rid)
    }
    var answer: Answer
    if let code = action.code {
      let message = fill(action.message ?? TikTokCode.defaultMessage(code, pixel: pixel ?? ""))
      answer = envelope(code, message, requestID: requestID, data: action.data, status: action.status ?? 200)
    } else if let body = action.body {
      let isJSON = body.hasPrefix("{") || body.hasPrefix("[")
      answer = Answer(
        response: .text(action.status ?? 200, fill(body), contentType: isJSON ? "application/json" : "text/html"))
    } else if let status = action.status {
      answer = Answer(response: .text(status, gatewayPage(status), contentType: "text/html"))
    } else if action.transport == .malformedJSON || action.transport == .partial {
      answer = envelope(0, "OK", requestID: requestID)
    } else {
      answer = envelope(0, "OK", requestID: requestID)
    }
    for (name, value) in action.headers.sorted(by: { $0.key < $1.key }) { answer.response.headers.set(name, value) }
    // The delay is the decision's (every delay rule that fired plus the deciding rule's), added by the caller.
    switch action.transport {
    case .reset?:
      answer.response.delivery = .reset
    case .empty?:
      answer.response.delivery = .empty
    case .malformedJSON?:
      // Cut the JSON in the middle: a complete HTTP message whose body does not parse.
      answer.response.body = Array(answer.response.body.prefix(max(1, answer.response.body.count / 2)))
      answer.response.headers.set("Content-Type", "application/json")
      answer.code = nil  // the client never reads a code from it
      answer.message = nil
    case .partial?:
      answer.response.delivery = .partialBody(bytes: action.partialBytes ?? answer.response.body.count / 2)
      answer.code = nil
      answer.message = nil
    case nil:
      break
    }
    return answer
  }

  /// An nginx-style error page, as TikTok's gateway sends for 502/503/504.
  func gatewayPage(_ status: Int) -> String {
    let title = "\(status) \(HTTPStatus.reason(status))"
    return "<html>\r\n<head><title>\(title)</title></head>\r\n<body>\r\n<center><h1>\(title)</h1></center>\r\n"
      + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
  }

  /// Writes the journal line after `{"seq":N,` (see ``Journal/append(path:pixel:events:_:)``): what was asked,
  /// what was answered, and the rules that decided it.
  func writeJournalLine(
    _ out: inout ByteBuffer, _ request: HTTPRequest, path: String, endpoint: TikTokEndpoint?, pixel: String?,
    events: [String], requestID: [UInt8], answer: Answer, rule: String?, rules: [String]
  ) {
    out.append(#""time":""#)
    appendISOTimestamp(&out)
    out.append(#"","method":"#)
    out.appendString(request.method)
    out.append(#","path":"#)
    out.appendString(path)
    if let q = request.query {
      out.append(#","query":"#)
      out.appendString(q)
    }
    out.append(#","headers":"#)
    Self.writeHeaders(&out, request.headers.fields)
    let mark = out.count
    out.append(#","body":"#)
    if !out.appendString(request.body) {
      out.truncate(to: mark)
      out.append(#","body_base64":"#)
      out.appendString(base64(request.body))
    }
    if let endpoint {
      out.append(#","endpoint":"#)
      out.appendString(endpoint.description)
    }
    if let pixel {
      out.append(#","pixel":"#)
      out.appendString(pixel)
    }
    out.append(#","events":"#)
    Self.writeStrings(&out, events)
    out.append(#","request_id":""#)
    out.append(requestID)
    out.append(#"","response":"#)
    Self.writeResponse(&out, answer)
    out.append(#","rule":"#)
    if let rule {
      out.appendString(rule)
    } else {
      out.append("null")
    }
    if rules.count > 1 {
      out.append(#","rules":"#)
      Self.writeStrings(&out, rules)
    }
    out.append(UInt8(ascii: "}"))
  }

  /// The request's header fields as one object: a repeated field once, at its first position, with its values
  /// joined by ", "; secrets (`Access-Token`, `Authorization`) masked.
  static func writeHeaders(_ out: inout ByteBuffer, _ fields: [HTTPHeaders.Field]) {
    out.append(UInt8(ascii: "{"))
    var first = true
    for i in fields.indices {
      let name = fields[i].name
      if i > 0 && (0..<i).contains(where: { asciiCaseInsensitiveEqual(fields[$0].name, name) }) { continue }
      var value = fields[i].value
      for j in (i + 1)..<fields.count where asciiCaseInsensitiveEqual(fields[j].name, name) {
        value += ", " + fields[j].value
      }
      if !first { out.append(UInt8(ascii: ",")) }
      first = false
      out.appendString(name)
      out.append(UInt8(ascii: ":"))
      if asciiCaseInsensitiveEqual(name, "Access-Token") || asciiCaseInsensitiveEqual(name, "Authorization") {
        value = maskSecret(value)
      }
      out.appendString(value)
    }
    out.append(UInt8(ascii: "}"))
  }

  /// `{"status":…,"code":…,"message":…,"delay_ms":…,"delivery":…,"body":…}`: what the mock answered and how it
  /// delivered it (no body for a reset or an empty close; none either when the body is not UTF-8).
  static func writeResponse(_ out: inout ByteBuffer, _ answer: Answer) {
    let r = answer.response
    out.append(#"{"status":"#)
    // A reset or an empty answer sends no HTTP response at all: no status, no code, so that grepping the journal
    // for `"status":200` or `"code":0` never counts it as a success.
    let sent = r.delivery != .reset && r.delivery != .empty
    if sent {
      out.appendInt(r.status)
    } else {
      out.append("null")
    }
    if sent, let code = answer.code {
      out.append(#","code":"#)
      out.appendInt(code)
    }
    if sent, let message = answer.message {
      out.append(#","message":"#)
      out.appendString(message)
    }
    if r.delayMilliseconds > 0 {
      out.append(#","delay_ms":"#)
      out.appendInt(r.delayMilliseconds)
    }
    out.append(#","delivery":"#)
    switch r.delivery {
    case .normal: out.append(#""normal""#)
    case .close: out.append(#""close""#)
    case .reset: out.append(#""reset""#)
    case .empty: out.append(#""empty""#)
    case .truncate(let n), .partialBody(let n): out.appendString("partial:\(n)")
    case .raw: out.append(#""raw""#)
    }
    if sent {
      let bodyMark = out.count
      out.append(#","body":"#)
      if !out.appendString(r.body) { out.truncate(to: bodyMark) }
    }
    out.append(UInt8(ascii: "}"))
  }

  /// A JSON array of strings.
  static func writeStrings(_ out: inout ByteBuffer, _ strings: [String]) {
    out.append(UInt8(ascii: "["))
    for (i, s) in strings.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      out.appendString(s)
    }
    out.append(UInt8(ascii: "]"))
  }
}

/// Base64 (standard alphabet, padded), for a journaled body that is not UTF-8.
func base64(_ bytes: [UInt8]) -> String {
  let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
  var out: [UInt8] = []
  out.reserveCapacity((bytes.count + 2) / 3 * 4)
  var i = 0
  while i + 2 < bytes.count {
    let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
    out.append(contentsOf: [
      table[Int(v >> 18 & 63)], table[Int(v >> 12 & 63)], table[Int(v >> 6 & 63)], table[Int(v & 63)],
    ])
    i += 3
  }
  let rest = bytes.count - i
  if rest == 1 {
    let v = UInt32(bytes[i]) << 16
    out.append(contentsOf: [table[Int(v >> 18 & 63)], table[Int(v >> 12 & 63)], 61, 61])
  } else if rest == 2 {
    let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
    out.append(contentsOf: [table[Int(v >> 18 & 63)], table[Int(v >> 12 & 63)], table[Int(v >> 6 & 63)], 61])
  }
  return String(decoding: out, as: UTF8.self)
}

/// `0123…4567` for long secrets, `***` for short ones.
func maskSecret(_ s: String) -> String {
  guard s.count > 8 else { return "***" }
  return String(s.prefix(4)) + "…" + String(s.suffix(4))
}
