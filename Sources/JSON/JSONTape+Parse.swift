extension JSONTape {
  /// Parses `bytes` into nodes and text: one loop over the input, nodes stored without reference counting.
  ///
  /// It accepts exactly what the value parser accepts (same grammar and checks; escaped and non-ASCII strings go
  /// through the value parser's own string scanner), but says nothing about why it rejects: the caller then asks
  /// the value parser for the error, which also covers a tape parser that wrongly rejected (see
  /// ``JSONTape/init(parsing:numbers:maxDepth:)``).
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>, numbers: JSONNumberStyle, maxDepth: Int)
    -> (nodes: [Node], text: [UInt8])?
  {
    var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
    var tape = TapeParser(numbers: numbers, input: bytes, origin: 0)
    defer { tape.release() }
    guard (try? parser.parseDocument(into: &tape)) != nil else { return nil }
    return tape.finish(end: bytes.count)
  }

  /// Parses the one value that starts at `start` of `bytes` (an element of a larger text), with nothing but the
  /// value's own bytes checked; `nil` when it is not a whole, valid value. `end` is the offset just after it.
  static func parseValue(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, numbers: JSONNumberStyle, maxDepth: Int)
    -> (tape: JSONTape, end: Int)?
  {
    var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
    parser.pos = start
    var tape = TapeParser(numbers: numbers, input: bytes, origin: start)
    defer { tape.release() }
    guard (try? parser.parseValue(into: &tape)) != nil else { return nil }
    let parsed = tape.finish(end: parser.pos)
    return (JSONTape(nodes: parsed.nodes, text: parsed.text), parser.pos)
  }

  /// The tape being parsed: nodes, text, and the open containers with their keys' signatures.
  struct TapeParser {
    struct Frame {
      var node: Int
      var isObject: Bool
      /// Where this object's key signatures start in `signatures`.
      var signatureStart: Int
    }

    let numbers: JSONNumberStyle
    /// The input (during the parse), and where the value starts in it: strings without escapes are read in place,
    /// at offsets from there.
    let input: UnsafeBufferPointer<UInt8>
    let origin: Int
    var nodes = MoveStack<Node>(capacity: 256)
    /// Decoded strings and number literals; their nodes' offsets are into this, marked by ``Node/inSideText``
    /// until ``finish(_:end:)`` puts them after the input's bytes.
    var sideText: [UInt8] = []
    var frames = MoveStack<Frame>(capacity: 16)
    var signatures = MoveStack<UInt64>(capacity: 64)

    init(numbers: JSONNumberStyle, input: UnsafeBufferPointer<UInt8>, origin: Int) {
      self.numbers = numbers
      self.input = input
      self.origin = origin
    }

    /// The nodes, and the text: the input's bytes `origin..<end` followed by the side text.
    func finish(end: Int) -> (nodes: [Node], text: [UInt8]) {
      var nodes = Array(UnsafeBufferPointer(start: self.nodes.base, count: self.nodes.count))
      var text = Array(UnsafeBufferPointer(rebasing: input[origin..<end]))
      if !sideText.isEmpty {
        let offset = UInt64(text.count)
        text += sideText
        for i in nodes.indices where nodes[i].isText && nodes[i].payload & Node.inSideText != 0 {
          nodes[i] = Node(nodes[i].kind, size: nodes[i].size, payload: nodes[i].payload & ~Node.inSideText + offset)
        }
      }
      return (nodes, text)
    }

    /// Appends a string or literal node for `bytes`, put in the side text.
    mutating func appendSideText(_ kind: Kind, _ bytes: UnsafeBufferPointer<UInt8>) {
      nodes.push(Node(kind, size: bytes.count, payload: UInt64(sideText.count) | Node.inSideText))
      sideText.append(contentsOf: bytes)
    }

    /// Frees the stacks (the owner calls it once).
    func release() {
      nodes.release()
      frames.release()
      signatures.release()
    }

    /// Closes the innermost container: its member or element count, where it ends, and whether an object repeats
    /// a key (compared by signature first, by text when signatures are equal).
    mutating func close() {
      let frame = frames.popLast()
      var count = 0
      var duplicates = false
      if frame.isObject {
        count = signatures.count - frame.signatureStart
        duplicates = hasEqualSignatures(from: frame.signatureStart) && hasRepeatedKey(object: frame.node, count: count)
        signatures.forget(downTo: frame.signatureStart)
      } else {
        var i = frame.node + 1
        while i < nodes.count {
          i = nodes[i].isContainer ? Int(nodes[i].payload) : i + 1
          count += 1
        }
      }
      nodes.base[frame.node] = Node(
        nodes[frame.node].kind, size: count, payload: UInt64(nodes.count),
        flags: duplicates ? UInt8(Node.duplicateKeys) : 0)
    }

    private func hasEqualSignatures(from start: Int) -> Bool {
      let keys = UnsafeBufferPointer(start: signatures.base + start, count: signatures.count - start)
      if keys.count <= 16 {
        for i in keys.indices.dropFirst() {
          for j in 0..<i where keys[j] == keys[i] { return true }
        }
        return false
      }
      let sorted = keys.sorted()
      return zip(sorted, sorted.dropFirst()).contains { $0 == $1 }
    }

    /// Whether two keys of the object at `object` (its `count` members complete) have the same text.
    private func hasRepeatedKey(object: Int, count: Int) -> Bool {
      var keys: [[UInt8]] = []
      var i = object + 1
      for _ in 0..<count {
        let key = nodes[i]
        if key.payload & Node.inSideText != 0 {
          let offset = Int(key.payload & ~Node.inSideText)
          keys.append(Array(sideText[offset..<offset + key.size]))
        } else {
          keys.append(Array(input[origin + Int(key.payload)..<origin + Int(key.payload) + key.size]))
        }
        i = nodes[i + 1].isContainer ? Int(nodes[i + 1].payload) : i + 2
      }
      keys.sort { $0.lexicographicallyPrecedes($1) }
      return zip(keys, keys.dropFirst()).contains { $0 == $1 }
    }
  }
}

extension JSONParser {
  /// Why the tape parser stopped; the value parser gives the words.
  struct Rejected: Error {}

  /// The whole input as one JSON text onto `tape` (see ``JSONTape/parse(_:numbers:maxDepth:)``).
  fileprivate mutating func parseDocument(into tape: inout JSONTape.TapeParser) throws(Rejected) {
    skipWhitespace()
    if pos + 2 < bytes.count, bytes[pos] == 0xEF, bytes[pos + 1] == 0xBB, bytes[pos + 2] == 0xBF { throw Rejected() }
    try parseValue(into: &tape)
    skipWhitespace()
    if pos < bytes.count { throw Rejected() }
  }

  /// One value at `pos` onto `tape` (leading whitespace allowed), leaving `pos` just after it.
  fileprivate mutating func parseValue(into tape: inout JSONTape.TapeParser) throws(Rejected) {
    var needsKey = false  // an object was opened, or a comma read in one: a key and ':' come first
    value: while true {
      if needsKey { try tapeKey(&tape) }
      switch try tapeOpening(&tape) {
      case .object:
        needsKey = true
        continue value
      case .array:
        needsKey = false
        continue value
      case .complete:
        break
      }
      // After a value: close what ends here, or go on after a comma.
      while tape.frames.count > 0 {
        skipWhitespace()
        guard pos < bytes.count else { throw Rejected() }
        let isObject = tape.frames[tape.frames.count - 1].isObject
        switch bytes[pos] {
        case Byte.comma:
          pos += 1
          needsKey = isObject
          continue value
        case Byte.closeBrace where isObject, Byte.closeBracket where !isObject:
          pos += 1
          tape.close()
        default:
          throw Rejected()
        }
      }
      break
    }
  }

  /// What ``tapeOpening(_:)`` read.
  private enum Opening {
    /// A scalar, or an empty container: a complete value.
    case complete
    /// A non-empty object, its key next.
    case object
    /// A non-empty array, its first element next.
    case array
  }

  /// A scalar or an empty container onto the tape, or a container opened.
  @inline(__always)
  private mutating func tapeOpening(_ tape: inout JSONTape.TapeParser) throws(Rejected) -> Opening {
    skipWhitespace()
    guard pos < bytes.count else { throw Rejected() }
    let b = bytes[pos]
    switch b {
    case Byte.openBrace, Byte.openBracket:
      guard tape.frames.count < maxDepth else { throw Rejected() }
      let isObject = b == Byte.openBrace
      pos += 1
      skipWhitespace()
      let node = tape.nodes.count
      tape.nodes.push(JSONTape.Node(isObject ? .object : .array))
      tape.frames.push(.init(node: node, isObject: isObject, signatureStart: tape.signatures.count))
      if pos < bytes.count, bytes[pos] == (isObject ? Byte.closeBrace : Byte.closeBracket) {
        pos += 1
        tape.close()
        return .complete
      }
      return isObject ? .object : .array
    case Byte.quote:
      try tapeString(&tape, key: false)
    case Byte.minus, Byte.zero...Byte.nine:
      let number: JSONValue
      do { number = try parseNumber() } catch { throw Rejected() }
      tape.appendNumber(number)
    case Byte.t:
      try tapeWord(0x6575_7274, length: 4)  // "true", little-endian
      tape.nodes.push(JSONTape.Node(.trueValue))
    case Byte.f:
      try tapeWord(0x65_736C_6166, length: 5)  // "false"
      tape.nodes.push(JSONTape.Node(.falseValue))
    case Byte.n:
      try tapeWord(0x6C6C_756E, length: 4)  // "null"
      tape.nodes.push(JSONTape.Node(.null))
    default:
      throw Rejected()
    }
    return .complete
  }

  /// The literal whose bytes, little-endian, are `word`.
  @inline(__always)
  private mutating func tapeWord(_ word: UInt64, length: Int) throws(Rejected) {
    guard pos + length <= bytes.count else { throw Rejected() }
    var found: UInt64 = 0
    for k in 0..<length { found |= UInt64(bytes[pos + k]) << UInt64(8 * k) }
    guard found == word else { throw Rejected() }
    pos += length
  }

  /// `"key"` and the `:` after it, with the key's signature.
  @inline(__always)
  private mutating func tapeKey(_ tape: inout JSONTape.TapeParser) throws(Rejected) {
    skipWhitespace()
    guard pos < bytes.count, bytes[pos] == Byte.quote else { throw Rejected() }
    try tapeString(&tape, key: true)
    tape.signatures.push(stringSignature)
    skipWhitespace()
    guard pos < bytes.count, bytes[pos] == Byte.colon else { throw Rejected() }
    pos += 1
  }

  /// A string at `pos` onto the tape: read in place (in the input's copy) when it is plain ASCII without escapes,
  /// the common case found eight bytes at a time; anything else through the value parser's scanner. A key's
  /// signature goes to `stringSignature`.
  @inline(__always)
  private mutating func tapeString(_ tape: inout JSONTape.TapeParser, key: Bool) throws(Rejected) {
    let open = pos
    let start = pos + 1
    var i = start
    if let base = bytes.baseAddress, start + 8 <= bytes.count {
      let first = UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self)
      var word = first
      while true {
        let special = JSONScan.specialBytes(word)
        if special != 0 {
          i += special.trailingZeroBitCount >> 3
          if bytes[i] == Byte.quote {
            let n = i - start
            if key {
              // The first word holds a short key whole; the bytes after it are masked off.
              stringSignature =
                n >= 8
                ? Self.signature(
                  head: first, tail: UnsafeRawPointer(base + i - 8).loadUnaligned(as: UInt64.self), count: n)
                : Self.signature(head: n == 0 ? 0 : first & (~0 >> UInt64(64 - 8 * n)), tail: 0, count: n)
            }
            tape.nodes.push(JSONTape.Node(.string, size: n, payload: UInt64(start - tape.origin)))
            pos = i + 1
            return
          }
          break
        }
        i += 8
        guard i + 8 <= bytes.count else { break }
        word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
      }
    }
    pos = open
    let scanned: ScannedString
    do { scanned = try scanString() } catch { throw Rejected() }
    switch scanned {
    case .plain(let range):
      if key { stringSignature = Self.signature(UnsafeBufferPointer(rebasing: bytes[range])) }
      tape.nodes.push(JSONTape.Node(.string, size: range.count, payload: UInt64(range.lowerBound - tape.origin)))
    case .decoded:
      scratch.withUnsafeBufferPointer { decoded in
        if key { stringSignature = Self.signature(decoded) }
        tape.appendSideText(.string, decoded)
      }
    }
  }
}

extension JSONTape.TapeParser {
  /// A parsed number's node, in the tape's style.
  mutating func appendNumber(_ number: JSONValue) {
    switch numbers == .javaScript ? JavaScriptNumber.javaScriptValue(number) : number {
    case .int(let i): nodes.push(JSONTape.Node(.int, payload: UInt64(bitPattern: i)))
    case .double(let d): nodes.push(JSONTape.Node(.double, payload: d.bitPattern))
    case .numberLiteral(var s): s.withUTF8 { appendSideText(.literal, $0) }
    default: nodes.push(JSONTape.Node(.null))  // a number is never anything else
    }
  }
}
