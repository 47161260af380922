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
    case .int, .double, .numberLiteral:
      // Integers beyond 2^53 are doubles in JavaScript and print as such.
      return JavaScriptNumber.string(self) ?? "NaN"
    case .string(let s): return s
    case .array(let a):
      // Array.prototype.join: null and undefined elements become "".
      return a.map { $0.isNull ? "" : $0.jsString }.joined(separator: ",")
    case .object: return "[object Object]"
    }
  }

  /// lodash `_.toString(v)`: `""` for `null`, arrays joined with `,` (nested `null` as `"null"`), otherwise
  /// `String(v)` (`-0` as `"-0"`). Upstream tests "emptiness" of settings with it (R5).
  var lodashString: String {
    switch self {
    case .null: return ""
    case .array(let a): return a.map { $0.isNull ? "null" : $0.lodashString }.joined(separator: ",")
    case .double(let d) where d == 0 && d.sign == .minus: return "-0"
    default: return jsString
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

extension Optional where Wrapped == JSONRef {
  /// JavaScript truthiness; an absent value (`undefined`) is falsy.
  @inline(__always) var isTruthy: Bool { self?.isTruthy ?? false }

  /// Upstream's "defined, not null, not empty" test (lodash `isEmpty` negated; Q5: numbers count as empty).
  @inline(__always) var isDefinedAndNotNullAndNotEmpty: Bool { self?.isDefinedAndNotNullAndNotEmpty ?? false }

  /// The value a "first truthy, or `0`, or `false`" source lookup accepts (spec §5).
  @inline(__always) var isPresentForMapping: Bool { self?.isPresentForMapping ?? false }
}

/// The same semantics on a value read in place from the message's tape. Strings and containers are answered
/// from their size; other scalars by the ``JSONValue`` rules above (built without allocating), so each rule is
/// written once.
extension JSONRef {
  /// JavaScript truthiness (see ``JSON/JSONValue/isTruthy``).
  var isTruthy: Bool {
    switch kind {
    case .string: return stringByteCount != 0
    case .array, .object: return true
    default: return nonStringScalar?.isTruthy ?? false
    }
  }

  /// Truthy, or exactly `0`, or exactly `false` (see ``JSON/JSONValue/isPresentForMapping``).
  var isPresentForMapping: Bool {
    switch kind {
    case .string: return stringByteCount != 0
    case .array, .object: return true
    default: return nonStringScalar?.isPresentForMapping ?? false
    }
  }

  /// lodash `!isEmpty(v)` on a defined, non-null value (see ``JSON/JSONValue/isDefinedAndNotNullAndNotEmpty``).
  var isDefinedAndNotNullAndNotEmpty: Bool {
    switch kind {
    case .string: return stringByteCount != 0
    case .array, .object: return count > 0
    default: return false
    }
  }

  /// JavaScript `String(v)` (see ``JSON/JSONValue/jsString``).
  var jsString: String { stringValue ?? value.jsString }

  /// lodash `_.toString(v)` (see ``JSON/JSONValue/lodashString``).
  var lodashString: String { stringValue ?? value.lodashString }

  /// `true` for a JavaScript object (a JSON object or array).
  var isJSObject: Bool { isObject || isArray }
}

/// R1: names every plain JavaScript object answers through its prototype. Upstream looks event names up in plain
/// objects after lowercasing them, so only the all-lowercase members of `Object.prototype` can be hit.
enum JSPlainObject {
  /// `true` when `key` is found on `{}` without being an own key: `constructor` or `__proto__` (the other
  /// members of `Object.prototype` have capitals, which a lowercased name never has).
  static func hasInheritedMember(_ key: String) -> Bool { key == "constructor" || key == "__proto__" }
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
  /// R2b: JavaScript `trim()`: ECMAScript white space and line terminators (``isJSWhitespace(_:)``), nothing else.
  var jsTrimmed: String {
    // Fast path: the first and last scalars are ASCII and not white space, so nothing is trimmed.
    if let first = utf8.first, let last = utf8.last, first < 0x80, last < 0x80,
      !isJSWhitespace(Unicode.Scalar(first)), !isJSWhitespace(Unicode.Scalar(last))
    {
      return self
    }
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !isJSWhitespace($0) }) else { return "" }
    guard let last = scalars.lastIndex(where: { !isJSWhitespace($0) }) else { return "" }
    if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
    return String(scalars[first...last])
  }

  /// R2: JavaScript `toLowerCase()`: Unicode's full default lowercasing (`İ` → `i̇`, two code points) with its one
  /// context rule, Final_Sigma (`ΟΔΥΣΣΕΥΣ` → `οδυσσευς`), as V8 (through ICU) applies it; no locale rules.
  var jsLowercased: String {
    // ASCII (the usual case): one pass over the bytes in place; unchanged text is returned as is.
    var text = self
    let ascii: String?? = text.withUTF8 { bytes in
      var upper = false
      for b in bytes {
        if b >= 0x80 { return nil }
        if b >= 0x41 && b <= 0x5A { upper = true }
      }
      guard upper else { return .some(nil) }
      return String(unsafeUninitializedCapacity: bytes.count) { out in
        for i in bytes.indices { out[i] = bytes[i] >= 0x41 && bytes[i] <= 0x5A ? bytes[i] | 0x20 : bytes[i] }
        return bytes.count
      }
    }
    if let ascii { return ascii ?? text }
    let scalars = Array(unicodeScalars)
    var out = String.UnicodeScalarView()
    for i in scalars.indices {
      if scalars[i].value == 0x03A3 {
        // R2: capital sigma becomes final ς at the end of a word, σ elsewhere.
        out.append(JSCase.isFinalSigma(scalars, at: i) ? "\u{03C2}" : "\u{03C3}")
      } else {
        out.append(contentsOf: scalars[i].properties.lowercaseMapping.unicodeScalars)
      }
    }
    return String(out)
  }

  /// JavaScript `toUpperCase()`: Unicode's full default uppercasing (`ß` → `SS`); no locale rules.
  var jsUppercased: String { uppercased() }
}

/// The context rule of Unicode's default case conversion (Unicode §3.13, "Final_Sigma"), as ICU applies it.
enum JSCase {
  /// `true` when the sigma at `index` follows a cased letter and precedes none, skipping case-ignorable
  /// characters on both sides (a character that is both cased and case-ignorable counts as ignorable, as in ICU).
  static func isFinalSigma(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
    func casedNeighbour(_ range: some Sequence<Int>) -> Bool {
      for j in range {
        let properties = scalars[j].properties
        if properties.isCaseIgnorable { continue }
        return properties.isCased
      }
      return false
    }
    return casedNeighbour((0..<index).reversed()) && !casedNeighbour((index + 1)..<scalars.count)
  }
}

/// JavaScript's abstract operations on JSON values that the mapping relies on.
enum JavaScriptConversion {
  /// `ToNumber(v)`: `undefined` (absent) NaN, `null` 0, booleans 0 and 1, strings by ``stringToNumber(_:)``,
  /// arrays through their `join` text, objects NaN.
  static func toNumber(_ value: JSONValue?) -> Double {
    switch value {
    case nil: return .nan
    case .null?: return 0
    case .bool(let b)?: return b ? 1 : 0
    case .int(let i)?: return Double(i)
    case .double(let d)?: return d
    case .numberLiteral(let s)?: return Double(s) ?? .nan
    case .string(let s)?: return stringToNumber(s)
    case .array(let a)?: return stringToNumber(JSONValue.array(a).jsString)
    case .object?: return .nan
    }
  }

  /// `StringToNumber`: trimmed of JavaScript white space; empty is 0; `0x`/`0o`/`0b` integers; `Infinity` with an
  /// optional sign; otherwise a decimal literal (`.5`, `5.`, `1e3`), else NaN.
  static func stringToNumber(_ text: String) -> Double {
    let s = text.jsTrimmed
    if s.isEmpty { return 0 }
    let bytes = Array(s.utf8)
    if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
      let radix: Int? =
        switch bytes[1] | 0x20 {
        case UInt8(ascii: "x"): 16
        case UInt8(ascii: "o"): 8
        case UInt8(ascii: "b"): 2
        default: nil
        }
      if let radix {
        var value = 0.0
        for b in bytes.dropFirst(2) {
          guard let digit = Int(String(UnicodeScalar(b)), radix: radix) else { return .nan }
          value = value * Double(radix) + Double(digit)
        }
        return value
      }
    }
    var body = bytes[...]
    var sign = 1.0
    if let first = body.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
      sign = first == UInt8(ascii: "-") ? -1 : 1
      body = body.dropFirst()
    }
    if body.elementsEqual("Infinity".utf8) { return sign * .infinity }
    guard isDecimalLiteral(body) else { return .nan }
    return sign * (Double(String(decoding: body, as: UTF8.self)) ?? .nan)
  }

  /// `StrUnsignedDecimalLiteral`: digits with an optional fraction (either side may be empty, not both) and an
  /// optional exponent.
  private static func isDecimalLiteral(_ bytes: ArraySlice<UInt8>) -> Bool {
    var i = bytes.startIndex
    func digits() -> Int {
      let start = i
      while i < bytes.endIndex, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
      return i - start
    }
    var count = digits()
    if i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") {
      i += 1
      count += digits()
    }
    guard count > 0 else { return false }
    if i < bytes.endIndex, bytes[i] | 0x20 == UInt8(ascii: "e") {
      i += 1
      if i < bytes.endIndex, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      guard digits() > 0 else { return false }
    }
    return i == bytes.endIndex
  }
}
