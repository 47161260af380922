extension JSONValue {
  /// Compact JSON for the wire: no whitespace, object keys in stored order, UTF-8 bytes.
  ///
  /// Strings escape only `"`, `\` and control characters (`/` is not escaped, non-ASCII is raw UTF-8, and
  /// ``LoneSurrogate`` scalars become `\udXXX`). Integers are written as digits, doubles in their shortest
  /// round-trip form (non-finite doubles as `null`), and ``numberLiteral(_:)`` verbatim.
  public func compactBytes() -> [UInt8] {
    var writer = JSONWriter(capacity: 1024)
    writer.compact(self)
    return writer.array
  }

  /// Compact JSON for the wire as a string; see ``compactBytes()``.
  public func compactString() -> String {
    var writer = JSONWriter(capacity: 1024)
    writer.compact(self)
    return String(decoding: writer.bytes, as: UTF8.self)
  }

  /// Appends compact JSON (see ``compactBytes()``) to `out`, so one buffer can be reused across values.
  public func writeCompact(into out: inout [UInt8]) {
    var writer = JSONWriter(capacity: 1024)
    writer.compact(self)
    out.append(contentsOf: writer.bytes)
  }

  /// Canonical JSON for files: keys sorted by UTF-8 byte order, 2-space indent, `"key": value`, empty `[]` and
  /// `{}` inline, and a trailing newline. Scalars are written as in ``compactBytes()``.
  public func canonicalString() -> String {
    var writer = JSONWriter(capacity: 1024)
    writer.pretty(self, sortKeys: true, level: 0)
    writer.append(Byte.newline)
    return String(decoding: writer.bytes, as: UTF8.self)
  }

  /// Canonical JSON as UTF-8 bytes; see ``canonicalString()``.
  public func canonicalBytes() -> [UInt8] {
    var writer = JSONWriter(capacity: 1024)
    writer.pretty(self, sortKeys: true, level: 0)
    writer.append(Byte.newline)
    return writer.array
  }

  /// Pretty JSON keeping the stored key order: 2-space indent, `"key": value`, empty `[]` and `{}` inline, and a
  /// trailing newline.
  public func prettyString() -> String {
    var writer = JSONWriter(capacity: 1024)
    writer.pretty(self, sortKeys: false, level: 0)
    writer.append(Byte.newline)
    return String(decoding: writer.bytes, as: UTF8.self)
  }
}
