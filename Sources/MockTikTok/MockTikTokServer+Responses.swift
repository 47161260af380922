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
  func envelope(_ code: Int, _ message: String, requestID: [UInt8], data: JSONValue? = nil, status: Int = 200) -> Answer {
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
    case .partial?:
      answer.response.delivery = .partialBody(bytes: action.partialBytes ?? answer.response.body.count / 2)
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

  /// The journal line after `{"seq":N,`.
  func journalLine(
    _ request: HTTPRequest, path: String, endpoint: TikTokEndpoint?, pixel: String?, events: [String], requestID: [UInt8],
    answer: Answer, rule: String?, rules: [String]
  ) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(request.body.count + 512)
    out.append(contentsOf: #""time":""#.utf8)
    out.append(contentsOf: isoTimestamp())
    out.append(contentsOf: #"","method":"#.utf8)
    JSONBytes.appendString(&out, request.method)
    out.append(contentsOf: #","path":"#.utf8)
    JSONBytes.appendString(&out, path)
    if let q = request.query {
      out.append(contentsOf: #","query":"#.utf8)
      JSONBytes.appendString(&out, q)
    }
    out.append(contentsOf: #","headers":{"#.utf8)
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
      JSONBytes.appendString(&out, name)
      out.append(UInt8(ascii: ":"))
      if asciiCaseInsensitiveEqual(name, "Access-Token") || asciiCaseInsensitiveEqual(name, "Authorization") {
        value = maskSecret(value)
      }
      JSONBytes.appendString(&out, value)
    }
    out.append(UInt8(ascii: "}"))
    let mark = out.count
    out.append(contentsOf: #","body":"#.utf8)
    if !JSONBytes.appendString(&out, request.body) {
      out.removeSubrange(mark...)
      out.append(contentsOf: #","body_base64":"#.utf8)
      JSONBytes.appendString(&out, JSONBytes.base64(request.body))
    }
    if let endpoint {
      out.append(contentsOf: #","endpoint":"#.utf8)
      JSONBytes.appendString(&out, endpoint.description)
    }
    if let pixel {
      out.append(contentsOf: #","pixel":"#.utf8)
      JSONBytes.appendString(&out, pixel)
    }
    out.append(contentsOf: #","events":["#.utf8)
    for (i, e) in events.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      JSONBytes.appendString(&out, e)
    }
    out.append(contentsOf: #"],"request_id":""#.utf8)
    out.append(contentsOf: requestID)
    out.append(contentsOf: #"","response":{"status":"#.utf8)
    let r = answer.response
    JSONBytes.appendInt(&out, r.status)
    if let code = answer.code {
      out.append(contentsOf: #","code":"#.utf8)
      JSONBytes.appendInt(&out, code)
    }
    if let message = answer.message {
      out.append(contentsOf: #","message":"#.utf8)
      JSONBytes.appendString(&out, message)
    }
    if r.delayMilliseconds > 0 {
      out.append(contentsOf: #","delay_ms":"#.utf8)
      JSONBytes.appendInt(&out, r.delayMilliseconds)
    }
    out.append(contentsOf: #","delivery":"#.utf8)
    switch r.delivery {
    case .normal: JSONBytes.appendString(&out, "normal")
    case .close: JSONBytes.appendString(&out, "close")
    case .reset: JSONBytes.appendString(&out, "reset")
    case .empty: JSONBytes.appendString(&out, "empty")
    case .truncate(let n), .partialBody(let n): JSONBytes.appendString(&out, "partial:\(n)")
    case .raw: JSONBytes.appendString(&out, "raw")
    }
    if r.delivery != .reset && r.delivery != .empty {
      let bodyMark = out.count
      out.append(contentsOf: #","body":"#.utf8)
      if !JSONBytes.appendString(&out, r.body) { out.removeSubrange(bodyMark...) }
    }
    out.append(contentsOf: #"},"rule":"#.utf8)
    if let rule {
      JSONBytes.appendString(&out, rule)
    } else {
      out.append(contentsOf: "null".utf8)
    }
    if rules.count > 1 {
      out.append(contentsOf: #","rules":["#.utf8)
      for (i, name) in rules.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        JSONBytes.appendString(&out, name)
      }
      out.append(UInt8(ascii: "]"))
    }
    out.append(UInt8(ascii: "}"))
    return out
  }
}

/// `0123…4567` for long secrets, `***` for short ones.
func maskSecret(_ s: String) -> String {
  guard s.count > 8 else { return "***" }
  return String(s.prefix(4)) + "…" + String(s.suffix(4))
}
