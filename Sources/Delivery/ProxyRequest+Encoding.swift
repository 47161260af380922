import JSON

extension ProxyRequest {
  /// The text of a header or parameter value: strings as they are, numbers and Booleans as JavaScript writes
  /// them, `nil` for `null` (axios leaves those out), objects and arrays as JSON.
  static func scalarText(_ value: JSONValue) -> String? {
    switch value {
    case .null: return nil
    case .string(let s): return s
    case .bool(let b): return b ? "true" : "false"
    case .int, .double, .numberLiteral, .array, .object: return value.compactString()
    }
  }

  /// The query pairs of one parameter, as axios serialises `params`: arrays become `key[]=v` per element,
  /// `null` is left out, objects are written as JSON.
  static func queryPairs(_ name: String, _ value: JSONValue) -> [(name: String, value: String)] {
    if case .array(let items) = value {
      return items.compactMap { v in scalarText(v).map { (name + "[]", $0) } }
    }
    return scalarText(value).map { [(name, $0)] } ?? []
  }

  /// Percent-encodes `text` as axios's param encoder does: `encodeURIComponent`, then `:`, `$`, `,`, `[`, `]`
  /// written back and spaces as `+`.
  static func encode(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "~"),
        UInt8(ascii: "*"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ":"),
        UInt8(ascii: "$"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      case UInt8(ascii: " "):
        out += "+"
      default:
        let hex = Array("0123456789ABCDEF".utf8)
        out += "%"
        out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
        out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0xF)]))
      }
    }
    return out
  }

  /// The bytes of the single non-empty body format, checked in upstream's order (`JSON`, `JSON_ARRAY`, `XML`,
  /// `FORM`): `JSON` compact, `JSON_ARRAY.batch` and `XML.payload` as their text, `FORM` URL-encoded.
  static func bodyBytes(_ body: JSONObject) -> ([UInt8], JSONValue?) {
    func nonEmpty(_ key: String) -> JSONObject? {
      guard case .object(let o)? = body[key], !o.isEmpty else { return nil }
      return o
    }
    if let json = nonEmpty("JSON") { return (JSONValue.object(json).compactBytes(), .object(json)) }
    if let array = nonEmpty("JSON_ARRAY") {
      let batch = array["batch"]
      return (Array((batch?.stringValue ?? batch?.compactString() ?? "").utf8), nil)
    }
    if let xml = nonEmpty("XML") { return (Array((xml["payload"]?.stringValue ?? "").utf8), nil) }
    if let form = nonEmpty("FORM") {
      let text = form.entries.compactMap { e in scalarText(e.value).map { "\(encode(e.key))=\(encode($0))" } }
      return (Array(text.joined(separator: "&").utf8), nil)
    }
    return ([], nil)
  }
}
