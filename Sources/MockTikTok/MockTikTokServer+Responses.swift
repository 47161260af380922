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
    JSONBytes.appendInt(&out, code)
    out.append(contentsOf: #","message":"#.utf8)
    JSONBytes.appendString(&out, message)
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
    answer.response.delayMilliseconds = action.delayMilliseconds
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

  /// Writes the journal line after `{"seq":N,` (see ``Journal/append(path:pixel:events:_:)``).
  func writeJournalLine(
    _ out: ByteWriter, _ request: HTTPRequest, path: String, endpoint: TikTokEndpoint?, pixel: String?,
    events: [String], requestID: [UInt8], answer: Answer, rule: String?, rules: [String]
  ) {
    out.append(#""time":""#)
    appendISOTimestamp(out)
    out.append(#"","method":"#)
    out.appendString(request.method)
    out.append(#","path":"#)
    out.appendString(path)
    if let q = request.query {
      out.append(#","query":"#)
      out.appendString(q)
    }
    out.append(#","headers":{"#)
    let fields = request.headers.fields
    var first = true
    for i in fields.indices {
      let name = fields[i].name
      // A repeated field is written once, at its first position, with its values joined by ", ".
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
    let mark = out.count
    out.append(#","body":"#)
    if !out.appendString(request.body) {
      out.truncate(to: mark)
      out.append(#","body_base64":"#)
      out.appendString(JSONBytes.base64(request.body))
    }
    if let endpoint {
      out.append(#","endpoint":"#)
      out.appendString(endpoint.description)
    }
    if let pixel {
      out.append(#","pixel":"#)
      out.appendString(pixel)
    }
    out.append(#","events":["#)
    for (i, e) in events.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      out.appendString(e)
    }
    out.append(#"],"request_id":""#)
    out.append(requestID)
    out.append(#"","response":{"status":"#)
    let r = answer.response
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
    out.append(#"},"rule":"#)
    if let rule {
      out.appendString(rule)
    } else {
      out.append("null")
    }
    if rules.count > 1 {
      out.append(#","rules":["#)
      for (i, name) in rules.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        out.appendString(name)
      }
      out.append(UInt8(ascii: "]"))
    }
    out.append(UInt8(ascii: "}"))
  }
}

/// `0123…4567` for long secrets, `***` for short ones.
func maskSecret(_ s: String) -> String {
  guard s.count > 8 else { return "***" }
  return String(s.prefix(4)) + "…" + String(s.suffix(4))
}
