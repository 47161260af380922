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
    // Read as bytes: `[digits][.digits][e[+-]digits]`.
    var text = d.description
    return text.withUTF8 { bytes in
      var digits: [UInt8] = []
      digits.reserveCapacity(bytes.count)
      var intCount = 0
      var seenDot = false
      var i = 0
      while i < bytes.count, bytes[i] != UInt8(ascii: "e"), bytes[i] != UInt8(ascii: "E") {
        if bytes[i] == UInt8(ascii: ".") {
          seenDot = true
        } else {
          digits.append(bytes[i])
          if !seenDot { intCount += 1 }
        }
        i += 1
      }
      var exponent = 0
      if i < bytes.count {
        exponent = Int(String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)...]), as: UTF8.self)) ?? 0
      }
      return layout(digits, n: intCount + exponent)
    }
  }

  /// ECMAScript's layout of the decimal digits `digits` (some leading or trailing zeros allowed) of the value
  /// `0.digits × 10^n`.
  private static func layout(_ raw: [UInt8], n exponent: Int) -> String {
    var n = exponent
    var start = 0
    var end = raw.count
    while start < end && raw[start] == UInt8(ascii: "0") {
      start += 1
      n -= 1
    }
    while end > start && raw[end - 1] == UInt8(ascii: "0") { end -= 1 }
    let digits = raw[start..<end]
    let k = digits.count
    var out: [UInt8] = []
    out.reserveCapacity(k + 26)
    if k <= n && n <= 21 {
      out += digits
      out += repeatElement(UInt8(ascii: "0"), count: n - k)
    } else if 0 < n && n <= 21 {
      out += digits.prefix(n)
      out.append(UInt8(ascii: "."))
      out += digits.dropFirst(n)
    } else if -6 < n && n <= 0 {
      out += [UInt8(ascii: "0"), UInt8(ascii: ".")]
      out += repeatElement(UInt8(ascii: "0"), count: -n)
      out += digits
    } else {
      let e = n - 1
      out += digits.prefix(1)
      if k > 1 {
        out.append(UInt8(ascii: "."))
        out += digits.dropFirst(1)
      }
      out.append(UInt8(ascii: "e"))
      out.append(e < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
      out += String(e.magnitude).utf8
    }
    return String(decoding: out, as: UTF8.self)
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
