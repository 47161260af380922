extension JSONParser {
  /// Parses a string starting at the opening quote at `pos`, leaving `pos` after the closing quote; with
  /// `signed`, its signature goes to `stringSignature` (for object keys, to find repeated ones).
  ///
  /// Strings without escapes are decoded straight from the input; others go through `scratch`.
  mutating func parseString(signed: Bool = false) throws(JSONParseError) -> String {
    switch try scanString() {
    case .plain(let range):
      let content = UnsafeBufferPointer(rebasing: bytes[range])
      if signed { stringSignature = Self.signature(content) }
      return Self.makeString(content)
    case .decoded:
      return scratch.withUnsafeBufferPointer { content in
        if signed { stringSignature = Self.signature(content) }
        return Self.makeString(content)
      }
    }
  }

  /// Where a scanned string's decoded bytes are.
  enum ScannedString {
    /// In the input, unchanged (no escapes): the bytes between the quotes.
    case plain(Range<Int>)
    /// In `scratch`, with the escapes decoded.
    case decoded
  }

  /// Scans and checks a string starting at the opening quote at `pos`, leaving `pos` after the closing quote;
  /// strings with escapes are decoded into `scratch`.
  mutating func scanString() throws(JSONParseError) -> ScannedString {
    let open = pos
    pos += 1
    let start = pos
    while true {
      // Skip 8 plain ASCII bytes at a time; on a word with something else, stop at its first such byte.
      if let base = bytes.baseAddress {
        while pos + 8 <= bytes.count {
          let mask = JSONScan.specialBytes(UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self))
          if mask != 0 {
            pos += mask.trailingZeroBitCount >> 3
            break
          }
          pos += 8
        }
      }
      guard pos < bytes.count else { break }
      let b = bytes[pos]
      if b == Byte.quote {
        pos += 1
        return .plain(start..<pos - 1)
      }
      if b == Byte.backslash {
        try scanEscapedString(open: open, start: start)
        return .decoded
      }
      if b < 0x20 {
        throw controlCharacter()
      }
      if b < 0x80 {
        pos += 1
      } else {
        let n = utf8SequenceLength(at: pos)
        guard n > 0 else { throw invalidUTF8(at: pos) }
        pos += n
      }
    }
    throw error("unterminated string", at: open)
  }

  /// The rest of a string that has escapes, decoded into `scratch`; `start...pos` has been scanned and holds no
  /// escapes yet.
  private mutating func scanEscapedString(open: Int, start: Int) throws(JSONParseError) {
    scratch.removeAll(keepingCapacity: true)
    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<pos]))
    while pos < bytes.count {
      let b = bytes[pos]
      if b == Byte.quote {
        pos += 1
        return
      } else if b == Byte.backslash {
        try parseEscape(open: open)
      } else if b < 0x20 {
        throw controlCharacter()
      } else if b < 0x80 {
        scratch.append(b)
        pos += 1
      } else {
        let n = utf8SequenceLength(at: pos)
        guard n > 0 else { throw invalidUTF8(at: pos) }
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[pos..<pos + n]))
        pos += n
      }
    }
    throw error("unterminated string", at: open)
  }

  /// A string from valid UTF-8 (`String(unsafeUninitializedCapacity:)` is measurably cheaper than
  /// `String(decoding:as:)` here; it still validates).
  @inline(__always)
  static func makeString(_ content: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: content.count) { buffer in
      if let target = buffer.baseAddress, let source = content.baseAddress {
        target.initialize(from: source, count: content.count)
      }
      return content.count
    }
  }

  /// A 64-bit hash of decoded string bytes (length, first and last 8 bytes): equal strings hash equal.
  @inline(__always)
  static func signature(_ content: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let n = content.count
    guard let p = content.baseAddress, n > 0 else { return 0 }
    if n >= 8 {
      return signature(
        head: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self),
        tail: UnsafeRawPointer(p + n - 8).loadUnaligned(as: UInt64.self), count: n)
    }
    var head: UInt64 = 0
    for k in 0..<n { head |= UInt64(p[k]) << UInt64(8 * k) }
    return signature(head: head, tail: 0, count: n)
  }

  /// The signature of a string of `count` bytes whose first eight (little-endian; only the first `count` when
  /// shorter, the rest zero) are `head` and last eight are `tail` (0 when shorter than eight).
  @inline(__always)
  static func signature(head: UInt64, tail: UInt64, count: Int) -> UInt64 {
    let h = (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(count)
    return h ^ (h >> 29)
  }

  /// Decodes the escape at `pos` (a backslash) into `scratch`.
  private mutating func parseEscape(open: Int) throws(JSONParseError) {
    guard pos + 1 < bytes.count else { throw error("unterminated string", at: open) }
    let decoded: UInt8
    switch bytes[pos + 1] {
    case Byte.quote: decoded = Byte.quote
    case Byte.backslash: decoded = Byte.backslash
    case Byte.slash: decoded = Byte.slash
    case 0x62: decoded = 0x08  // b
    case Byte.f: decoded = 0x0C
    case Byte.n: decoded = Byte.newline
    case 0x72: decoded = Byte.carriageReturn  // r
    case Byte.t: decoded = Byte.tab
    case Byte.u:
      try parseUnicodeEscape()
      return
    default:
      let c = bytes[pos + 1]
      let shown = c >= 0x20 && c < 0x7F ? String(Character(Unicode.Scalar(c))) : describeCharacter(at: pos + 1)
      throw error("invalid escape '\\\(shown)' in string", at: pos)
    }
    scratch.append(decoded)
    pos += 2
  }

  /// Decodes `\uXXXX` (and a following low surrogate escape, when it completes a pair) at `pos`.
  private mutating func parseUnicodeEscape() throws(JSONParseError) {
    guard let unit = hex4(at: pos + 2) else {
      throw error("invalid \\u escape in string, expected 4 hex digits", at: pos)
    }
    pos += 6
    var scalar = UInt32(unit)
    switch unit {
    case 0xD800...0xDBFF:
      if pos + 1 < bytes.count, bytes[pos] == Byte.backslash, bytes[pos + 1] == Byte.u,
        let low = hex4(at: pos + 2), (0xDC00...0xDFFF).contains(low)
      {
        scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        pos += 6
      } else {
        scalar = LoneSurrogate.scalar(for: unit).value
      }
    case 0xDC00...0xDFFF:
      scalar = LoneSurrogate.scalar(for: unit).value
    default:
      break
    }
    appendUTF8(scalar)
  }

  /// The value of the four hex digits at `offset`, if there are four.
  private func hex4(at offset: Int) -> UInt16? {
    guard offset + 4 <= bytes.count else { return nil }
    var value: UInt16 = 0
    for i in offset..<offset + 4 {
      let b = bytes[i]
      let digit: UInt8
      switch b {
      case 0x30...0x39: digit = b - 0x30
      case 0x41...0x46: digit = b - 0x41 + 10
      case 0x61...0x66: digit = b - 0x61 + 10
      default: return nil
      }
      value = value << 4 | UInt16(digit)
    }
    return value
  }

  /// Appends the UTF-8 encoding of `scalar` to `scratch`.
  private mutating func appendUTF8(_ scalar: UInt32) {
    switch scalar {
    case 0..<0x80:
      scratch.append(UInt8(scalar))
    case 0x80..<0x800:
      scratch.append(0xC0 | UInt8(scalar >> 6))
      scratch.append(0x80 | UInt8(scalar & 0x3F))
    case 0x800..<0x10000:
      scratch.append(0xE0 | UInt8(scalar >> 12))
      scratch.append(0x80 | UInt8((scalar >> 6) & 0x3F))
      scratch.append(0x80 | UInt8(scalar & 0x3F))
    default:
      scratch.append(0xF0 | UInt8(scalar >> 18))
      scratch.append(0x80 | UInt8((scalar >> 12) & 0x3F))
      scratch.append(0x80 | UInt8((scalar >> 6) & 0x3F))
      scratch.append(0x80 | UInt8(scalar & 0x3F))
    }
  }

  private func controlCharacter() -> JSONParseError {
    let name = "U+" + hex(UInt32(bytes[pos]), digits: 4)
    return error("unescaped control character \(name) in string", at: pos)
  }

  // MARK: UTF-8 validation

  /// The length (2–4) of the valid, non-ASCII UTF-8 sequence at `offset`, or 0 when it is invalid (RFC 3629:
  /// no overlong forms, no surrogates, nothing above U+10FFFF, no truncation): ``JSONScan``'s, the one validator.
  @inline(__always)
  func utf8SequenceLength(at offset: Int) -> Int { JSONScan.utf8SequenceLength(bytes, offset) }

  /// The error for the invalid UTF-8 sequence starting at `offset`, pointing at its first bad byte.
  func invalidUTF8(at offset: Int) -> JSONParseError {
    let b0 = bytes[offset]
    var bad = offset
    if b0 >= 0xC2 && b0 <= 0xF4 {
      // A valid lead byte: find the first continuation byte that is wrong or missing.
      let length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2
      let low: UInt8 = b0 == 0xE0 ? 0xA0 : b0 == 0xF0 ? 0x90 : 0x80
      let high: UInt8 = b0 == 0xED ? 0x9F : b0 == 0xF4 ? 0x8F : 0xBF
      bad = offset + 1
      while bad < offset + length, bad < bytes.count {
        let b = bytes[bad]
        let ok = bad == offset + 1 ? (b >= low && b <= high) : (b & 0xC0 == 0x80)
        if !ok { break }
        bad += 1
      }
      if bad >= bytes.count {
        return error("truncated UTF-8 sequence at end of input", at: offset)
      }
    }
    return error("invalid UTF-8 byte 0x" + hex(UInt32(bytes[bad]), digits: 2).lowercased(), at: bad)
  }
}
