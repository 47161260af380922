/// A JSON value that keeps what was written: integers stay integers (64-bit, exact), doubles stay doubles,
/// integer literals too large for `Int64` keep their digits, and object keys keep their order.
///
/// Equality (`==`) is by value, as JSON consumers see it: object key order is ignored and numbers compare by
/// their numeric value (`46 == 46.0`). Use ``JSONValue/isIdentical(to:)`` when the representation matters.
public enum JSONValue: Sendable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// An integer literal that fits in `Int64` (no fraction, no exponent).
  case int(Int64)
  /// A number with a fraction or an exponent, or an integer written as a double by a producer.
  case double(Double)
  /// A number literal kept verbatim because no Swift number holds it exactly
  /// (an integer beyond `Int64`, or a literal whose `Double` would overflow).
  case numberLiteral(String)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONValue])
  /// An object, keys in insertion (parse) order.
  case object(JSONObject)
}

// MARK: - Convenience accessors

extension JSONValue {
  /// The string, if this is a string.
  @inlinable public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The object, if this is an object.
  @inlinable public var objectValue: JSONObject? {
    if case .object(let o) = self { return o }
    return nil
  }

  /// The elements, if this is an array.
  @inlinable public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  /// The Boolean, if this is `true` or `false`.
  @inlinable public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  /// The numeric value as a `Double`, if this is any kind of number.
  public var doubleValue: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .double(let d): return d
    case .numberLiteral(let s): return Double(s)
    default: return nil
    }
  }

  /// The value as an `Int64`, if this is an integer, or a double with no fractional part that fits.
  public var int64Value: Int64? {
    switch self {
    case .int(let i): return i
    case .double(let d): return Int64(exactly: d)
    default: return nil
    }
  }

  /// `true` for `null`.
  @inlinable public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// `true` for any number case.
  public var isNumber: Bool {
    switch self {
    case .int, .double, .numberLiteral: return true
    default: return false
    }
  }

  /// The JSON type name (`null`, `boolean`, `number`, `string`, `array`, `object`), for messages and diffs.
  public var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "boolean"
    case .int, .double, .numberLiteral: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }

  /// The member `key` of an object; `nil` when absent or when this is not an object.
  @inlinable public subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  /// The element at `index` of an array; `nil` when out of range or when this is not an array.
  @inlinable public subscript(index: Int) -> JSONValue? {
    if case .array(let a) = self, a.indices.contains(index) { return a[index] }
    return nil
  }
}

// MARK: - In-place mutation

extension JSONValue {
  /// Calls `body` with this object's members in place (the storage stays uniquely referenced, so nothing is
  /// copied); `nil` when this is not an object.
  @inlinable public mutating func modifyObject<R, E: Error>(_ body: (inout JSONObject) throws(E) -> R) throws(E) -> R? {
    guard case .object(var object) = self else { return nil }
    self = .null  // drop this reference so that `object` is the only one
    defer { self = .object(object) }
    return try body(&object)
  }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral
{
  public init(nilLiteral: ()) { self = .null }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int64) { self = .int(value) }
  public init(floatLiteral value: Double) { self = .double(value) }
  public init(stringLiteral value: String) { self = .string(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    var o = JSONObject()
    for (k, v) in elements { o[k] = v }
    self = .object(o)
  }
}

// MARK: - Equality by value

extension JSONValue: Equatable {
  /// JSON equality: key order ignored, numbers by numeric value (`46 == 46.0`, `-0 == 0`), strings and keys by
  /// code points as JavaScript compares them (not Swift's canonical equivalence: `"é" != "e\u{301}"`, whose
  /// SHA-256 hashes differ).
  ///
  /// Two integers or two number literals compare exactly (`12345678901234567890 != 12345678901234567891`). A
  /// ``double(_:)`` equals every number that rounds to it (`.double(12345678901234567890.0)` equals the literal
  /// `12345678901234567000`, which is how JavaScript prints that double): a double is what upstream, a JavaScript
  /// program, holds and sends, so a finer distinction would report differences nobody can observe (R15).
  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    // Containers first, in a small frame: this is the recursive path, so deep values need little stack.
    if case .array(let a) = lhs {
      guard case .array(let b) = rhs, a.count == b.count else { return false }
      for i in a.indices where !(a[i] == b[i]) { return false }
      return true
    }
    if case .object(let a) = lhs {
      guard case .object(let b) = rhs else { return false }
      return a == b
    }
    return scalarEquals(lhs, rhs)
  }

  private static func scalarEquals(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.string(let a), .string(let b)): return JSONObject.keysEqual(a, b)
    case (.int(let a), .int(let b)): return a == b
    case (.int(let a), .double(let b)), (.double(let b), .int(let a)):
      // A double stands for every number that rounds to it, as JavaScript (and so TikTok) reads a JSON number.
      return Double(a) == b
    case (.double(let a), .double(let b)): return a == b
    case (.numberLiteral(let a), .numberLiteral(let b)):
      if a == b { return true }
      guard let x = ExactDecimal(literal: a), let y = ExactDecimal(literal: b) else { return false }
      return x == y
    case (.numberLiteral(let a), .int(let b)), (.int(let b), .numberLiteral(let a)):
      return ExactDecimal(literal: a) == ExactDecimal(b)
    case (.numberLiteral(let a), .double(let b)), (.double(let b), .numberLiteral(let a)):
      // As above: the literal is read as JavaScript reads it (`JSON.parse`), rounded to the nearest double.
      guard let x = Double(a) else { return false }
      return x == b
    default: return false
    }
  }

  /// `true` when both values have the same representation too: same number cases, same key order, and strings
  /// with the same UTF-8 bytes.
  public func isIdentical(to other: JSONValue) -> Bool {
    if case .array(let a) = self {
      guard case .array(let b) = other, a.count == b.count else { return false }
      for i in a.indices where !a[i].isIdentical(to: b[i]) { return false }
      return true
    }
    if case .object(let a) = self {
      guard case .object(let b) = other, a.count == b.count else { return false }
      for i in a.indices where !a[i].key.utf8.elementsEqual(b[i].key.utf8) || !a[i].value.isIdentical(to: b[i].value) {
        return false
      }
      return true
    }
    return scalarIsIdentical(to: other)
  }

  private func scalarIsIdentical(to other: JSONValue) -> Bool {
    switch (self, other) {
    case (.int(let a), .int(let b)): return a == b
    case (.double(let a), .double(let b)): return a.bitPattern == b.bitPattern
    case (.numberLiteral(let a), .numberLiteral(let b)): return a == b
    case (.string(let a), .string(let b)): return a.utf8.elementsEqual(b.utf8)
    case (.int, _), (.double, _), (.numberLiteral, _), (.string, _), (.array, _), (.object, _): return false
    default: return self == other
    }
  }
}
