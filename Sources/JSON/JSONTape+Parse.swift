extension JSONParser {
  /// Parses the whole input as one JSON text into `tape`: the same grammar, checks and error messages as
  /// ``parseDocument()``, which builds a ``JSONValue``, and the same scanners for strings and numbers.
  mutating func parseDocument(into tape: inout JSONTape.Builder) throws(JSONParseError) {
    skipWhitespace()
    if pos + 2 < bytes.count, bytes[pos] == 0xEF, bytes[pos + 1] == 0xBB, bytes[pos + 2] == 0xBF {
      throw error("unexpected byte order mark (U+FEFF)", at: pos)
    }
    var open = OpenContainers()
    while true {
      if try tapeOpening(&tape, &open) { continue }
      if try tapeCloseContainers(&tape, &open) { continue }
      break
    }
    skipWhitespace()
    if pos < bytes.count {
      throw unexpected(" after the JSON value")
    }
  }

  /// The containers being filled, innermost last, and the signatures of the open objects' keys (to find
  /// duplicate keys).
  struct OpenContainers {
    struct Frame {
      var node: Int
      var isObject: Bool
      var count = 0
      /// Where this object's key signatures start in `signatures`.
      var signatureStart: Int
    }
    var frames: [Frame] = []
    var signatures: [UInt64] = []

    init() {
      frames.reserveCapacity(16)
      signatures.reserveCapacity(64)
    }
  }

  /// Like `parseOpening` of the value parser: a scalar or an empty container (`false`), or a container opened up
  /// to its first element (or first key and ':') (`true`).
  @inline(__always)
  private mutating func tapeOpening(_ tape: inout JSONTape.Builder, _ open: inout OpenContainers)
    throws(JSONParseError) -> Bool
  {
    skipWhitespace()
    guard pos < bytes.count else { throw error("unexpected end of input, expected a value", at: pos) }
    switch bytes[pos] {
    case Byte.openBrace:
      guard open.frames.count < maxDepth else { throw error("nesting deeper than \(maxDepth) levels", at: pos) }
      pos += 1
      skipWhitespace()
      let node = tape.open(.object)
      if pos < bytes.count, bytes[pos] == Byte.closeBrace {
        pos += 1
        tape.close(node, count: 0)
        return false
      }
      open.frames.append(.init(node: node, isObject: true, signatureStart: open.signatures.count))
      try tapeKey(&tape, &open, afterComma: false)
      return true
    case Byte.openBracket:
      guard open.frames.count < maxDepth else { throw error("nesting deeper than \(maxDepth) levels", at: pos) }
      pos += 1
      skipWhitespace()
      let node = tape.open(.array)
      if pos < bytes.count, bytes[pos] == Byte.closeBracket {
        pos += 1
        tape.close(node, count: 0)
        return false
      }
      open.frames.append(.init(node: node, isObject: false, signatureStart: open.signatures.count))
      return true
    case Byte.quote:
      try tapeString(&tape)
    case Byte.minus, Byte.zero...Byte.nine:
      tape.appendScalar(try parseNumber())
    case Byte.t:
      try expectLiteral("true")
      tape.appendScalar(.bool(true))
    case Byte.f:
      try expectLiteral("false")
      tape.appendScalar(.bool(false))
    case Byte.n:
      try expectLiteral("null")
      tape.appendScalar(.null)
    case Byte.closeBracket where open.frames.last.map({ !$0.isObject }) == true:
      throw error("expected a value after ',' (trailing comma in array)", at: pos)
    default:
      throw unexpected(", expected a value")
    }
    return false
  }

  /// Like `closeContainers` of the value parser: after a complete value, closes each container that ends here;
  /// `true` when a ',' starts the next element (in an object, its key and ':' read), `false` when none is open.
  @inline(__always)
  private mutating func tapeCloseContainers(_ tape: inout JSONTape.Builder, _ open: inout OpenContainers)
    throws(JSONParseError) -> Bool
  {
    while !open.frames.isEmpty {
      open.frames[open.frames.count - 1].count += 1  // the value just read
      let frame = open.frames[open.frames.count - 1]
      skipWhitespace()
      guard pos < bytes.count else {
        let what = frame.isObject ? "',' or '}' after object member" : "',' or ']' after array element"
        throw error("unexpected end of input, expected \(what)", at: pos)
      }
      let b = bytes[pos]
      if b == Byte.comma {
        pos += 1
        if frame.isObject { try tapeKey(&tape, &open, afterComma: true) }
        return true
      }
      if frame.isObject {
        guard b == Byte.closeBrace else { throw invalidOr("expected ',' or '}' after object member") }
      } else {
        guard b == Byte.closeBracket else { throw invalidOr("expected ',' or ']' after array element") }
      }
      pos += 1
      let duplicates =
        frame.isObject && Self.mayHaveDuplicateKeys(open.signatures[frame.signatureStart...])
        && tape.hasDuplicateKeys(object: frame.node, signatures: open.signatures[frame.signatureStart...])
      tape.close(frame.node, count: frame.count, duplicateKeys: duplicates)
      if frame.isObject { open.signatures.removeSubrange(frame.signatureStart...) }
      open.frames.removeLast()
    }
    return false
  }

  /// Parses `"key"` and the `:` after it into the tape, with the messages of the value parser's `parseKey`.
  @inline(__always)
  private mutating func tapeKey(_ tape: inout JSONTape.Builder, _ open: inout OpenContainers, afterComma: Bool)
    throws(JSONParseError)
  {
    skipWhitespace()
    guard pos < bytes.count else { throw error("unexpected end of input, expected an object key", at: pos) }
    guard bytes[pos] == Byte.quote else {
      if afterComma && bytes[pos] == Byte.closeBrace {
        throw error("expected a string key after ',' (trailing comma in object)", at: pos)
      }
      throw invalidOr("expected '\"' to begin an object key")
    }
    try tapeString(&tape)
    open.signatures.append(stringSignature)
    skipWhitespace()
    guard pos < bytes.count else { throw error("unexpected end of input, expected ':' after object key", at: pos) }
    guard bytes[pos] == Byte.colon else { throw invalidOr("expected ':' after object key") }
    pos += 1
  }

  /// A string at `pos` into the tape (its decoded bytes).
  @inline(__always)
  private mutating func tapeString(_ tape: inout JSONTape.Builder) throws(JSONParseError) {
    switch try scanString() {
    case .plain(let content): tape.appendString(UnsafeBufferPointer(rebasing: bytes[content]))
    case .decoded: scratch.withUnsafeBufferPointer { tape.appendString($0) }
    }
  }

  /// `false` when an object's keys, given by their signatures (64-bit hashes), are certainly distinct: no two
  /// fall in the same bit of a 64-bit Bloom mask. Otherwise the keys must be compared.
  private static func mayHaveDuplicateKeys(_ signatures: ArraySlice<UInt64>) -> Bool {
    var seen: UInt64 = 0
    for signature in signatures {
      let bit: UInt64 = 1 << (signature >> 58)
      if seen & bit != 0 { return true }
      seen |= bit
    }
    return false
  }
}
