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

  /// `true` for a JavaScript object (a JSON object or array), on which property reads do not throw.
  var isJSObject: Bool {
    switch self {
    case .object, .array: return true
    default: return false
    }
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
