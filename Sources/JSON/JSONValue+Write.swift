extension JSONValue {
  /// Compact JSON for the wire: no whitespace, object keys in stored order, UTF-8 bytes.
  ///
  /// Strings escape only `"`, `\` and control characters (`/` is not escaped, non-ASCII is raw UTF-8, and
  /// ``LoneSurrogate`` scalars become `\udXXX`). Numbers are written as JavaScript's `JSON.stringify` writes the
  /// double each one is (``JSONNumberStyle/javaScript``, R15): `46.0` as `46`, `1e-07` as `1e-7`, an integer
  /// beyond 2^53 rounded; non-finite numbers as `null`.
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

  /// Appends compact JSON (see ``compactBytes()``) to `buffer`.
  public func writeCompact(into buffer: inout ByteBuffer) {
    var writer = JSONWriter(buffer: buffer)
    writer.compact(self)
    buffer = writer.finish()
  }

  /// Canonical JSON for files: keys sorted by UTF-8 byte order, 2-space indent, `"key": value`, empty `[]` and
  /// `{}` inline, and a trailing newline. Strings are written as in ``compactBytes()``; numbers keep their own
  /// text (``JSONNumberStyle/preserving``), so a captured `46.0` stays `46.0` in a golden file.
  public func canonicalString() -> String { canonicalString(numbers: .preserving) }

  /// Canonical JSON (see ``canonicalString()``) with numbers written in the given style; with
  /// ``JSONNumberStyle/javaScript`` two values give the same text exactly when JavaScript would print them alike.
  public func canonicalString(numbers: JSONNumberStyle) -> String {
    var writer = JSONWriter(capacity: 1024, numbers: numbers)
    writer.pretty(self, sortKeys: true, level: 0)
    writer.append(Byte.newline)
    return String(decoding: writer.bytes, as: UTF8.self)
  }

  /// Canonical JSON as UTF-8 bytes; see ``canonicalString()``.
  public func canonicalBytes() -> [UInt8] {
    var writer = JSONWriter(capacity: 1024, numbers: .preserving)
    writer.pretty(self, sortKeys: true, level: 0)
    writer.append(Byte.newline)
    return writer.array
  }

  /// Pretty JSON keeping the stored key order: 2-space indent, `"key": value`, empty `[]` and `{}` inline, and a
  /// trailing newline. Numbers as in ``compactBytes()``.
  public func prettyString() -> String {
    var writer = JSONWriter(capacity: 1024)
    writer.pretty(self, sortKeys: false, level: 0)
    writer.append(Byte.newline)
    return String(decoding: writer.bytes, as: UTF8.self)
  }
}
