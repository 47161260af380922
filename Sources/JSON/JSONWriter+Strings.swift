extension JSONWriter {
  /// Writes `s` as a JSON string literal.
  ///
  /// Escapes only `"`, `\` and control characters (`\b \f \n \r \t`, others `\u00XX`); `/` and non-ASCII are
  /// written raw, except ``LoneSurrogate`` scalars, which become lowercase `\udXXX` escapes.
  mutating func writeString(_ s: String) {
    let written: Void? = s.utf8.withContiguousStorageIfAvailable { writeString(utf8: $0) }
    if written == nil {
      var s = s
      s.withUTF8 { writeString(utf8: $0) }
    }
  }

  /// Writes the UTF-8 string `s` as a JSON string literal; see ``writeString(_:)``.
  mutating func writeString(utf8 s: UnsafeBufferPointer<UInt8>) {
    let n = s.count
    guard let p = s.baseAddress, n > 0 else {
      append("\"\"")
      return
    }
    // Most strings need no escaping: find the first byte that might, 8 bytes at a time.
    var first = n
    var i = 0
    while i + 8 <= n {
      let mask = Self.escapeMask(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
      if mask != 0 {
        first = i + mask.trailingZeroBitCount >> 3
        break
      }
      i += 8
    }
    if first == n && i < n {
      // The last 1-7 bytes, gathered into the low end of a word.
      let tail = n - i
      var word: UInt64
      if n >= 8 {
        word = UnsafeRawPointer(p + n - 8).loadUnaligned(as: UInt64.self) >> UInt64(8 * (8 - tail))
      } else {
        word = 0
        for k in 0..<tail { word |= UInt64(p[i + k]) << UInt64(8 * k) }
      }
      let mask = Self.escapeMask(word) & ((1 << UInt64(8 * tail)) - 1)
      if mask != 0 { first = i + mask.trailingZeroBitCount >> 3 }
    }
    if first == n {
      reserve(n + 2)
      store(Byte.quote)
      store(s)
      store(Byte.quote)
      return
    }
    // Room for the worst case (every byte written as `\u00XX`), so everything below stores unchecked.
    reserve(2 + 6 * n)
    store(Byte.quote)
    writeEscaping(s, from: first)
    store(Byte.quote)
  }

  /// Stores `s`, escaping from byte `first` on (everything before it is plain).
  private mutating func writeEscaping(_ s: UnsafeBufferPointer<UInt8>, from first: Int) {
    var runStart = 0
    var i = first
    let n = s.count
    while i < n {
      let b = s[i]
      // Printable ASCII other than `"` and `\`, and UTF-8 bytes that cannot start a mapped surrogate.
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
      if runStart < i { store(UnsafeBufferPointer(rebasing: s[runStart..<i])) }
      store(Byte.backslash)
      switch b {
      case Byte.quote, Byte.backslash: store(b)
      case 0x08: store(0x62)  // b
      case 0x0C: store(Byte.f)
      case Byte.newline: store(Byte.n)
      case Byte.carriageReturn: store(0x72)  // r
      case Byte.tab: store(Byte.t)
      case 0xF4:
        storeUnicodeEscape(unit)
        i += 3
      default:
        storeUnicodeEscape(UInt16(b))
      }
      i += 1
      runStart = i
    }
    if runStart < n { store(UnsafeBufferPointer(rebasing: s[runStart..<n])) }
  }

  /// A mask whose lowest set bit is the high bit of the first byte of `word` (little-endian) below 0x20, `"`, `\`
  /// or 0xF4; 0 when there is none. Bits above the lowest may be false positives.
  @inline(__always)
  private static func escapeMask(_ word: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quote = word ^ (ones &* 0x22)
    let backslash = word ^ (ones &* 0x5C)
    let f4 = word ^ (ones &* 0xF4)
    let control = (word &- ones &* 0x20) & ~word
    let zeros = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((f4 &- ones) & ~f4)
    return (control | zeros) & highs
  }

  /// Stores `uXXXX` (lowercase hex; the backslash is already written).
  private mutating func storeUnicodeEscape(_ unit: UInt16) {
    store(Byte.u)
    for shift in stride(from: 12, through: 0, by: -4) {
      let digit = UInt8((unit >> UInt16(shift)) & 0xF)
      store(digit < 10 ? Byte.zero + digit : 0x61 + digit - 10)
    }
  }
}
