extension JSONValue {
  /// Parses one JSON text (RFC 8259) from UTF-8 bytes.
  ///
  /// Leading and trailing whitespace is allowed; anything else after the value is an error. Integers that fit
  /// `Int64` become ``int(_:)``, larger integer literals ``numberLiteral(_:)``; other numbers become
  /// ``double(_:)``, or ``numberLiteral(_:)`` when the `Double` would be infinite. Object members keep their order;
  /// for a duplicate key the last value wins at the first key's position (as JavaScript's `JSON.parse`).
  /// Lone surrogate escapes are mapped as described in ``LoneSurrogate``.
  ///
  /// Parsing never recurses, so hostile nesting only produces an error; but destroying, comparing or writing a
  /// value is recursive, which is why `maxDepth` should stay modest.
  /// - Parameters:
  ///   - bytes: The UTF-8 input; invalid UTF-8 is an error.
  ///   - maxDepth: The deepest array/object nesting accepted.
  /// - Throws: ``JSONParseError`` with the line, column and byte offset of the first problem.
  public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 1000) throws(JSONParseError) -> JSONValue {
    let buffer = UnsafeBufferPointer(
      start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
    return try parser.parseDocument()
  }

  /// Parses one JSON text (RFC 8259) from UTF-8 bytes; see ``parse(_:maxDepth:)-(UnsafeRawBufferPointer,_)``.
  /// - Throws: ``JSONParseError`` with the position of the first problem.
  public static func parse(_ bytes: [UInt8], maxDepth: Int = 1000) throws(JSONParseError) -> JSONValue {
    let result = bytes.withUnsafeBytes { raw in
      Result { () throws(JSONParseError) in try parse(raw, maxDepth: maxDepth) }
    }
    return try result.get()
  }

  /// Parses one JSON text (RFC 8259) from a string; see ``parse(_:maxDepth:)-(UnsafeRawBufferPointer,_)``.
  /// - Throws: ``JSONParseError`` with the position (in UTF-8 bytes) of the first problem.
  public static func parse(_ text: String, maxDepth: Int = 1000) throws(JSONParseError) -> JSONValue {
    var text = text
    let result = text.withUTF8 { utf8 in
      Result { () throws(JSONParseError) in try parse(UnsafeRawBufferPointer(utf8), maxDepth: maxDepth) }
    }
    return try result.get()
  }
}
