import JSON

extension JSONValue {
  /// The text JavaScript's `JSON.stringify` gives for this value as parsed by `JSON.parse`: what upstream's v1
  /// proxy puts in `response[].error` (spec §9.5).
  ///
  /// It differs from ``JSON/JSONValue/compactString()`` only in numbers, which JavaScript holds as doubles and writes
  /// with `Number::toString`: `46.0` → `46`, `1.5e-7` → `1.5e-7`, `1e21` → `1e+21`, `-0` → `0`, and an integer too
  /// large for a double loses its low digits (`12345678901234567890` → `12345678901234567000`).
  public var javaScriptJSONString: String {
    var out = ""
    Self.writeJavaScript(self, into: &out)
    return out
  }

  private static func writeJavaScript(_ value: JSONValue, into out: inout String) {
    switch value {
    case .null, .bool, .string: out += value.compactString()
    case .int(let i):
      out += i.magnitude < (1 << 53) ? String(i) : javaScriptNumber(Double(i))
    case .double(let d): out += javaScriptNumber(d)
    case .numberLiteral(let s): out += javaScriptNumber(Double(s) ?? .nan)
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        writeJavaScript(item, into: &out)
      }
      out += "]"
    case .object(let o):
      out += "{"
      for (i, e) in o.entries.enumerated() {
        if i > 0 { out += "," }
        out += JSONValue.string(e.key).compactString() + ":"
        writeJavaScript(e.value, into: &out)
      }
      out += "}"
    }
  }

  /// ECMAScript `Number::toString(10)` for a finite double; `JSON.stringify` writes non-finite numbers as `null`.
  static func javaScriptNumber(_ d: Double) -> String {
    guard d.isFinite else { return "null" }
    if d == 0 { return "0" }
    if d < 0 { return "-" + javaScriptNumber(-d) }
    // Swift's description has the shortest round-tripping digits, as ECMAScript requires; only the layout differs.
    let text = d.description
    var mantissa = Substring(text)
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = text[..<e]
      exponent = Int(text[text.index(after: e)...]) ?? 0
    }
    let dot = mantissa.firstIndex(of: ".") ?? mantissa.endIndex
    let intPart = mantissa[..<dot]
    let fracPart = dot == mantissa.endIndex ? "" : mantissa[mantissa.index(after: dot)...]
    var digits = Array(intPart + fracPart)
    var n = intPart.count + exponent  // value = 0.digits × 10^n
    while digits.first == "0" {
      digits.removeFirst()
      n -= 1
    }
    while digits.last == "0" { digits.removeLast() }
    let k = digits.count
    let s = String(digits)
    if k <= n && n <= 21 { return s + String(repeating: "0", count: n - k) }
    if 0 < n && n <= 21 { return String(digits[..<n]) + "." + String(digits[n...]) }
    if -6 < n && n <= 0 { return "0." + String(repeating: "0", count: -n) + s }
    let e = n - 1
    let head = k == 1 ? s : String(digits[0]) + "." + String(digits[1...])
    return head + "e" + (e < 0 ? "-" : "+") + String(e.magnitude)
  }
}
