extension JSONWriter {
  /// Writes `s` as a JSON string literal.
  ///
  /// Escapes only `"`, `\` and control characters (`\b \f \n \r \t`, others `\u00XX`); `/` and non-ASCII are
  /// written raw, except ``LoneSurrogate`` scalars, which become lowercase `\udXXX` escapes.
  static func writeString(_ s: String, into out: inout [UInt8]) {
    if let done: Void = s.utf8.withContiguousStorageIfAvailable({ writeString(utf8: $0, into: &out) }) {
      return done
    }
    var copy = s
    copy.withUTF8 { writeString(utf8: $0, into: &out) }
  }

  static func writeString(utf8 s: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
    out.append(Byte.quote)
    var runStart = 0
    var i = 0
    let n = s.count
    while i < n {
      let b = s[i]
      // Fast path: printable ASCII other than `"` and `\`, and UTF-8 bytes that cannot start a mapped surrogate.
      if b >= 0x20 && b != Byte.quote && b != Byte.backslash && b != 0xF4 {
        i += 1
        continue
      }
      var unit: UInt16 = 0
      if b == 0xF4 {
        // U+10F800...U+10FFFF is F4 8F A0...BF 80...BF in UTF-8.
        guard i + 3 < n, s[i + 1] == 0x8F, s[i + 2] >= 0xA0 else {
          i += 1
          continue
        }
        unit = 0xD800 + (UInt16(s[i + 2] & 0x1F) << 6 | UInt16(s[i + 3] & 0x3F))
      }
      if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: s[runStart..<i])) }
      out.append(Byte.backslash)
      switch b {
      case Byte.quote, Byte.backslash: out.append(b)
      case 0x08: out.append(0x62)  // b
      case 0x0C: out.append(Byte.f)
      case Byte.newline: out.append(Byte.n)
      case Byte.carriageReturn: out.append(0x72)  // r
      case Byte.tab: out.append(Byte.t)
      case 0xF4:
        appendUnicodeEscape(unit, into: &out)
        i += 3
      default:
        appendUnicodeEscape(UInt16(b), into: &out)
      }
      i += 1
      runStart = i
    }
    if runStart < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: s[runStart..<n])) }
    out.append(Byte.quote)
  }

  /// Appends `uXXXX` (lowercase hex; the backslash is already written).
  private static func appendUnicodeEscape(_ unit: UInt16, into out: inout [UInt8]) {
    out.append(Byte.u)
    for shift in stride(from: 12, through: 0, by: -4) {
      let digit = UInt8((unit >> UInt16(shift)) & 0xF)
      out.append(digit < 10 ? Byte.zero + digit : 0x61 + digit - 10)
    }
  }
}
