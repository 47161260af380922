/// Numbers as JavaScript writes them: ECMAScript `Number::toString(10)`, used by `String(v)` and `JSON.stringify`.
///
/// Upstream (rudder-transformer) is JavaScript, so wherever it turns a number into text, the harness must too:
/// `46.0` → `46`, `1.5e-7` → `1.5e-7`, `1e21` → `1e+21`, `-0` → `0`, and an integer beyond 2^53 loses its low
/// digits (`12345678901234567890` → `12345678901234567000`).
public enum JavaScriptNumber {
  /// `String(d)` in JavaScript (`NaN`, `Infinity`, `-Infinity` for non-finite values).
  public static func string(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
    if d == 0 { return "0" }
    if d < 0 { return "-" + string(-d) }
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

  /// `String(v)` for a JSON number case, as JavaScript holds it (a double); `nil` for non-numbers.
  public static func string(_ value: JSONValue) -> String? {
    switch value {
    case .int(let i): return i.magnitude <= 1 << 53 ? String(i) : string(Double(i))
    case .double(let d): return string(d)
    case .numberLiteral(let s): return string(Double(s) ?? .nan)
    default: return nil
    }
  }
}

extension JSONValue {
  /// The text JavaScript's `JSON.stringify` gives for this value as parsed by `JSON.parse`.
  ///
  /// It differs from ``compactString()`` only in numbers, which JavaScript holds as doubles and writes with
  /// ``JavaScriptNumber/string(_:)-(Double)``; non-finite numbers become `null`.
  public var javaScriptJSONString: String {
    var out = ""
    Self.writeJavaScript(self, into: &out)
    return out
  }

  private static func writeJavaScript(_ value: JSONValue, into out: inout String) {
    switch value {
    case .null, .bool, .string: out += value.compactString()
    case .int, .double, .numberLiteral:
      let d = value.doubleValue ?? .nan
      out += d.isFinite ? (JavaScriptNumber.string(value) ?? "null") : "null"
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
}

extension JSONValue {
  /// This value as JavaScript's `JSON.parse` would hold it (R15): every number a double, in its simplest case.
  /// Integral doubles within ±2^53 (`46.0`, `-0.0`) become ``int(_:)``; integers beyond ±2^53 and number literals
  /// become ``double(_:)`` (rounded to the nearest double; a literal beyond the double range becomes an
  /// infinity, which `JSON.stringify` writes as `null`). Returns `self`, uncopied, when there is nothing to change.
  public func javaScriptNumbers() -> JSONValue {
    needsJavaScriptNumbers ? convertedToJavaScriptNumbers() : self
  }

  private var needsJavaScriptNumbers: Bool {
    switch self {
    case .int(let i): return i.magnitude > 1 << 53
    case .double(let d): return Self.integralInt(d) != nil
    case .numberLiteral: return true
    case .array(let items): return items.contains { $0.needsJavaScriptNumbers }
    case .object(let object): return object.entries.contains { $0.value.needsJavaScriptNumbers }
    default: return false
    }
  }

  private func convertedToJavaScriptNumbers() -> JSONValue {
    switch self {
    case .array(let items): return .array(items.map { $0.javaScriptNumbers() })
    case .object(let object):
      var out = JSONObject(minimumCapacity: object.count)
      for entry in object.entries { out.appendUnchecked(entry.key, entry.value.javaScriptNumbers()) }
      return .object(out)
    default: return JavaScriptNumber.javaScriptValue(self)
    }
  }

  /// The integer a double holds exactly, when it is integral and within ±2^53 (`-0.0` gives 0).
  fileprivate static func integralInt(_ d: Double) -> Int64? {
    guard d.magnitude <= 9_007_199_254_740_992, d == d.rounded(.towardZero) else { return nil }
    return Int64(d)
  }
}

extension JavaScriptNumber {
  /// A scalar as JavaScript's `JSON.parse` holds it (see ``JSONValue/javaScriptNumbers()``): numbers in their
  /// simplest case, anything else unchanged. The one place the rule is written, for values and ``JSONTape``s.
  @inline(__always)
  static func javaScriptValue(_ value: JSONValue) -> JSONValue {
    switch value {
    case .int(let i) where i.magnitude > 1 << 53: return .double(Double(i))
    case .double(let d): return JSONValue.integralInt(d).map(JSONValue.int) ?? value
    case .numberLiteral(let text):
      let d = Double(text) ?? .nan
      return JSONValue.integralInt(d).map(JSONValue.int) ?? .double(d)
    default: return value
    }
  }
}
