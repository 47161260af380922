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

  /// The containers being filled, innermost last, and the signatures of the open objects' keys (one per member:
  /// they count the members, and find repeated keys).
  struct OpenContainers {
    struct Frame {
      var node: Int
      var isObject: Bool
      /// Where this object's key signatures start in `signatures`.
      var signatureStart: Int
    }
    var frames: [Frame] = []
    /// The first `signatureCount` are in use (the array only grows, so closing an object copies nothing).
    var signatures: [UInt64] = []
    var signatureCount = 0

    init() {
      frames.reserveCapacity(16)
      signatures.reserveCapacity(64)
    }

    mutating func pushSignature(_ signature: UInt64) {
      if signatureCount < signatures.count {
        signatures[signatureCount] = signature
      } else {
        signatures.append(signature)
      }
      signatureCount += 1
    }

    /// Whether two of the signatures `from..<signatureCount` are equal (then their keys must be compared).
    func hasEqualSignatures(from start: Int) -> Bool {
      signatures.withUnsafeBufferPointer { all in
        let keys = UnsafeBufferPointer(rebasing: all[start..<signatureCount])
        if keys.count <= 16 {
          for i in keys.indices.dropFirst() {
            for j in 0..<i where keys[j] == keys[i] { return true }
          }
          return false
        }
        let sorted = keys.sorted()
        return zip(sorted, sorted.dropFirst()).contains { $0 == $1 }
      }
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
      open.frames.append(.init(node: node, isObject: true, signatureStart: open.signatureCount))
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
      open.frames.append(.init(node: node, isObject: false, signatureStart: open.signatureCount))
      return true
    case Byte.quote:
      try tapeString(&tape, key: false)
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
    while let frame = open.frames.last {
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
      if frame.isObject {
        let start = frame.signatureStart
        let duplicates =
          open.hasEqualSignatures(from: start)
          && tape.hasDuplicateKeys(object: frame.node, signatures: open.signatures[start..<open.signatureCount])
        tape.close(frame.node, count: open.signatureCount - start, duplicateKeys: duplicates)
        open.signatureCount = start
      } else {
        tape.close(frame.node, count: tape.childCount(of: frame.node))
      }
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
    try tapeString(&tape, key: true)
    open.pushSignature(stringSignature)
    skipWhitespace()
    guard pos < bytes.count else { throw error("unexpected end of input, expected ':' after object key", at: pos) }
    guard bytes[pos] == Byte.colon else { throw invalidOr("expected ':' after object key") }
    pos += 1
  }

  /// A string at `pos` into the tape: in place in the input's copy when it has no escapes, else its decoded
  /// bytes. A key's signature goes to `stringSignature`.
  @inline(__always)
  private mutating func tapeString(_ tape: inout JSONTape.Builder, key: Bool) throws(JSONParseError) {
    switch try scanString() {
    case .plain(let range):
      if key { stringSignature = Self.signature(UnsafeBufferPointer(rebasing: bytes[range])) }
      tape.appendInputString(range)
    case .decoded:
      scratch.withUnsafeBufferPointer { decoded in
        if key { stringSignature = Self.signature(decoded) }
        tape.appendString(decoded)
      }
    }
  }
}
