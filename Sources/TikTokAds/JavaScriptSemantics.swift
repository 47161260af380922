import JSON

// The value semantics of the upstream JavaScript (spec §5): truthiness, lodash's `isEmpty`, `String(v)`,
// `String.prototype.trim`. The transformer's behaviour follows from these, so they are kept in one place.

extension Optional where Wrapped == JSONValue {
  /// JavaScript truthiness; an absent value (`undefined`) is falsy.
  @inline(__always) var isTruthy: Bool { self?.isTruthy ?? false }

  /// Upstream's "defined, not null, not empty" test (lodash `isEmpty` negated; Q5: numbers count as empty).
  @inline(__always) var isDefinedAndNotNullAndNotEmpty: Bool { self?.isDefinedAndNotNullAndNotEmpty ?? false }

  /// The value a "first truthy, or `0`, or `false`" source lookup accepts (spec §5).
  @inline(__always) var isPresentForMapping: Bool { self?.isPresentForMapping ?? false }
}

extension JSONValue {
  /// JavaScript truthiness: `false`, `0`, `NaN`, `""` and `null` are falsy; objects and arrays are truthy.
  var isTruthy: Bool {
    switch self {
    case .null: return false
    case .bool(let b): return b
    case .int(let i): return i != 0
    case .double(let d): return d != 0 && !d.isNaN
    case .numberLiteral(let s): return (Double(s) ?? 1) != 0
    case .string(let s): return !s.isEmpty
    case .array, .object: return true
    }
  }

  /// Truthy, or exactly `0`, or exactly `false`: what the payload builder writes (spec §5).
  var isPresentForMapping: Bool {
    switch self {
    case .bool: return true
    case .int: return true
    case .double(let d): return !d.isNaN
    case .numberLiteral: return true
    default: return isTruthy
    }
  }

  /// lodash `!isEmpty(v)` on a defined, non-null value. Q5: numbers and booleans count as empty.
  var isDefinedAndNotNullAndNotEmpty: Bool {
    switch self {
    case .null, .bool, .int, .double, .numberLiteral: return false
    case .string(let s): return !s.isEmpty
    case .array(let a): return !a.isEmpty
    case .object(let o): return !o.isEmpty
    }
  }

  /// JavaScript `String(v)`: numbers in ECMAScript's shortest form, arrays comma-joined, objects `[object Object]`.
  var jsString: String {
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .int(let i):
      // Integers beyond 2^53 are doubles in JavaScript and print as such.
      if i.magnitude <= 1 << 53 { return String(i) }
      return JSNumber.format(Double(i))
    case .double(let d): return JSNumber.format(d)
    case .numberLiteral(let s): return JSNumber.format(Double(s) ?? .nan)
    case .string(let s): return s
    case .array(let a):
      // Array.prototype.join: null and undefined elements become "".
      return a.map { $0.isNull ? "" : $0.jsString }.joined(separator: ",")
    case .object: return "[object Object]"
    }
  }

  /// `true` for a JavaScript object (a JSON object or array), on which property reads do not throw.
  var isJSObject: Bool {
    switch self {
    case .object, .array: return true
    default: return false
    }
  }
}

/// ECMAScript `Number::toString(10)`.
enum JSNumber {
  /// Formats `d` as JavaScript's `String(d)` does (`1e21` → `"1e+21"`, `1e-7` → `"1e-7"`, `46.0` → `"46"`).
  static func format(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
    if d == 0 { return "0" }
    if d < 0 { return "-" + format(-d) }
    // Swift's description gives the shortest round-tripping digits, as ECMAScript requires.
    let (digits, exponent) = decompose(d.description)
    let k = digits.count
    let n = exponent
    if k <= n && n <= 21 {
      return digits + String(repeating: "0", count: n - k)
    }
    if 0 < n && n <= 21 {
      let i = digits.index(digits.startIndex, offsetBy: n)
      return String(digits[..<i]) + "." + String(digits[i...])
    }
    if -6 < n && n <= 0 {
      return "0." + String(repeating: "0", count: -n) + digits
    }
    let e = n - 1
    let sign = e < 0 ? "-" : "+"
    let mantissa = k == 1 ? digits : String(digits.first!) + "." + String(digits.dropFirst())
    return mantissa + "e" + sign + String(e.magnitude)
  }

  /// Splits Swift's description (`"1.25e-07"`, `"123.0"`) into significant digits and the decimal exponent `n`
  /// such that the value is `0.digits × 10^n`.
  private static func decompose(_ text: String) -> (String, Int) {
    var mantissa = Substring(text)
    var exp = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = text[..<e]
      exp = Int(text[text.index(after: e)...]) ?? 0
    }
    var intPart = mantissa
    var fracPart: Substring = ""
    if let dot = mantissa.firstIndex(of: ".") {
      intPart = mantissa[..<dot]
      fracPart = mantissa[mantissa.index(after: dot)...]
    }
    var digits = String(intPart) + String(fracPart)
    var n = intPart.count + exp
    // Strip leading zeros (each shifts the exponent) and trailing zeros.
    while digits.first == "0" {
      digits.removeFirst()
      n -= 1
    }
    while digits.last == "0" { digits.removeLast() }
    return (digits.isEmpty ? "0" : digits, n)
  }
}

/// ECMAScript white space and line terminators, as `String.prototype.trim` removes them.
@inline(__always) func isJSWhitespace(_ s: Unicode.Scalar) -> Bool {
  switch s.value {
  case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
    return true
  default:
    return false
  }
}

extension String {
  /// JavaScript `trim()`.
  var jsTrimmed: String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !isJSWhitespace($0) }) else { return "" }
    guard let last = scalars.lastIndex(where: { !isJSWhitespace($0) }) else { return "" }
    if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
    return String(scalars[first...last])
  }

  /// JavaScript `toLowerCase()` (ASCII fast path; Unicode default case mapping otherwise).
  var jsLowercased: String {
    if utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }) { return self }
    return lowercased()
  }

  /// JavaScript `toUpperCase()`.
  var jsUppercased: String { uppercased() }
}
