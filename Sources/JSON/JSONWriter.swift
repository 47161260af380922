extension JSONValue {
  /// Compact JSON for the wire: no whitespace, object keys in stored order, UTF-8 bytes.
  ///
  /// Strings escape only `"`, `\` and control characters (`/` is not escaped, non-ASCII is raw UTF-8, and
  /// ``LoneSurrogate`` scalars become `\udXXX`). Integers are written as digits, doubles in their shortest
  /// round-trip form (non-finite doubles as `null`), and ``numberLiteral(_:)`` verbatim.
  public func compactBytes() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(256)
    JSONWriter.compact(self, into: &out)
    return out
  }

  /// Compact JSON for the wire as a string; see ``compactBytes()``.
  public func compactString() -> String {
    String(decoding: compactBytes(), as: UTF8.self)
  }

  /// Appends compact JSON (see ``compactBytes()``) to `out`, so one buffer can be reused across values.
  public func writeCompact(into out: inout [UInt8]) {
    JSONWriter.compact(self, into: &out)
  }

  /// Canonical JSON for files: keys sorted by UTF-8 byte order, 2-space indent, `"key": value`, empty `[]` and
  /// `{}` inline, and a trailing newline. Scalars are written as in ``compactBytes()``.
  public func canonicalString() -> String {
    String(decoding: canonicalBytes(), as: UTF8.self)
  }

  /// Canonical JSON as UTF-8 bytes; see ``canonicalString()``.
  public func canonicalBytes() -> [UInt8] {
    var out: [UInt8] = []
    JSONWriter.pretty(self, sortKeys: true, level: 0, into: &out)
    out.append(Byte.newline)
    return out
  }

  /// Pretty JSON keeping the stored key order: 2-space indent, `"key": value`, empty `[]` and `{}` inline, and a
  /// trailing newline.
  public func prettyString() -> String {
    var out: [UInt8] = []
    JSONWriter.pretty(self, sortKeys: false, level: 0, into: &out)
    out.append(Byte.newline)
    return String(decoding: out, as: UTF8.self)
  }
}

/// The compact and indented JSON writers (recursive: values are at most `maxDepth` deep when parsed).
enum JSONWriter {
  static func compact(_ value: JSONValue, into out: inout [UInt8]) {
    switch value {
    case .array(let elements):
      out.append(Byte.openBracket)
      var first = true
      for element in elements {
        if !first { out.append(Byte.comma) }
        first = false
        compact(element, into: &out)
      }
      out.append(Byte.closeBracket)
    case .object(let object):
      out.append(Byte.openBrace)
      var first = true
      for entry in object.entries {
        if !first { out.append(Byte.comma) }
        first = false
        writeString(entry.key, into: &out)
        out.append(Byte.colon)
        compact(entry.value, into: &out)
      }
      out.append(Byte.closeBrace)
    default:
      scalar(value, into: &out)
    }
  }

  static func pretty(_ value: JSONValue, sortKeys: Bool, level: Int, into out: inout [UInt8]) {
    switch value {
    case .array(let elements) where !elements.isEmpty:
      out.append(Byte.openBracket)
      var first = true
      for element in elements {
        if !first { out.append(Byte.comma) }
        first = false
        newline(level + 1, into: &out)
        pretty(element, sortKeys: sortKeys, level: level + 1, into: &out)
      }
      newline(level, into: &out)
      out.append(Byte.closeBracket)
    case .object(let object) where !object.isEmpty:
      out.append(Byte.openBrace)
      var first = true
      for entry in sortKeys ? object.sortedByKey() : object.entries {
        if !first { out.append(Byte.comma) }
        first = false
        newline(level + 1, into: &out)
        writeString(entry.key, into: &out)
        out.append(Byte.colon)
        out.append(Byte.space)
        pretty(entry.value, sortKeys: sortKeys, level: level + 1, into: &out)
      }
      newline(level, into: &out)
      out.append(Byte.closeBrace)
    default:
      compact(value, into: &out)
    }
  }

  private static func newline(_ level: Int, into out: inout [UInt8]) {
    out.append(Byte.newline)
    for _ in 0..<(2 * level) { out.append(Byte.space) }
  }

  /// Writes a non-container value.
  @inline(__always)
  private static func scalar(_ value: JSONValue, into out: inout [UInt8]) {
    switch value {
    case .null: appendASCII("null", into: &out)
    case .bool(let b): appendASCII(b ? "true" : "false", into: &out)
    case .int(let i): writeInt(i, into: &out)
    case .double(let d): writeDouble(d, into: &out)
    case .numberLiteral(let text): out.append(contentsOf: text.utf8)
    case .string(let s): writeString(s, into: &out)
    case .array, .object: compact(value, into: &out)
    }
  }

  @inline(__always)
  static func appendASCII(_ text: StaticString, into out: inout [UInt8]) {
    out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  /// Decimal digits of `value`.
  static func writeInt(_ value: Int64, into out: inout [UInt8]) {
    var magnitude = value.magnitude
    if value < 0 { out.append(Byte.minus) }
    if magnitude < 10 {
      out.append(Byte.zero + UInt8(magnitude))
      return
    }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
      var i = 20
      while magnitude != 0 {
        i -= 1
        digits[i] = Byte.zero + UInt8(magnitude % 10)
        magnitude /= 10
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i..<20]))
    }
  }

  /// The shortest text that parses back to `value` (Swift's `description`, always valid JSON for finite values,
  /// e.g. `46.0`, `1e+16`, `5e-324`); `null` for infinities and NaN, which JSON cannot express.
  static func writeDouble(_ value: Double, into out: inout [UInt8]) {
    guard value.isFinite else {
      appendASCII("null", into: &out)
      return
    }
    out.append(contentsOf: value.description.utf8)
  }
}
