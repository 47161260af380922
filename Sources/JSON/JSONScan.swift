/// Byte-level RFC 8259 token scanners: each starts at the first byte of its token, moves `i` past it and reports
/// whether the token is well formed. Nothing is allocated.
///
/// The parser uses ``utf8SequenceLength(_:_:)`` and ``specialBytes(_:)`` (one UTF-8 validator, one word scan), the
/// escaper (``JSONEscape``) too, and the mock's one-pass contract check walks request bodies with all of them.
public enum JSONScan {
  /// Skips JSON whitespace (space, tab, line feed, carriage return).
  @inlinable @inline(__always)
  public static func skipWhitespace(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
    while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
  }

  /// A string starting at its opening quote: valid escapes, no raw control bytes, well-formed UTF-8 (no
  /// surrogates, no overlong forms). `escaped` is set when the string holds a backslash escape.
  @inlinable
  public static func string(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, escaped: inout Bool) -> Bool {
    let n = b.count
    i += 1
    while i < n {
      // Fast path: plain ASCII, eight bytes at a time, then byte by byte up to the next special byte.
      while i + 8 <= n {
        let special = specialBytes(UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self))
        if special != 0 {
          i += special.trailingZeroBitCount >> 3
          break
        }
        i += 8
      }
      while i < n, b[i] >= 0x20, b[i] < 0x80, b[i] != 0x22, b[i] != 0x5C { i += 1 }
      guard i < n else { return false }
      let c = b[i]
      if c == 0x22 {
        i += 1
        return true
      }
      if c < 0x20 { return false }
      if c == 0x5C {
        escaped = true
        i += 1
        guard i < n else { return false }
        switch b[i] {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: i += 1
        case 0x75:
          guard i + 4 < n else { return false }
          for j in 1...4 {
            let h = b[i + j]
            guard (h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66) else { return false }
          }
          i += 5
        default: return false
        }
        continue
      }
      let length = utf8SequenceLength(b, i)
      if length == 0 { return false }
      i += length
    }
    return false
  }

  /// Flags (the high bit of each byte) the bytes of `x`, eight string bytes loaded little-endian, that need a
  /// closer look in a JSON string: control bytes, `"`, `\` and non-ASCII bytes. Borrows can flag a byte above a
  /// special one, never below it, so the lowest flag (`trailingZeroBitCount >> 3`) is exactly the first special
  /// byte; zero means all eight are plain.
  @inlinable @inline(__always)
  public static func specialBytes(_ x: UInt64) -> UInt64 {
    let lo: UInt64 = 0x0101_0101_0101_0101
    let hi: UInt64 = 0x8080_8080_8080_8080
    let control = (x &- lo &* 0x20) & ~x & hi
    let q = x ^ (lo &* 0x22)
    let quote = (q &- lo) & ~q & hi
    let s = x ^ (lo &* 0x5C)
    let backslash = (s &- lo) & ~s & hi
    return control | quote | backslash | (x & hi)
  }

  /// The length of the well-formed UTF-8 sequence whose lead byte (≥ 0x80) is at `i`, or 0.
  @inlinable @inline(__always)
  public static func utf8SequenceLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
    let n = b.count
    func cont(_ j: Int) -> Bool { j < n && b[j] & 0xC0 == 0x80 }
    // One pattern per case: a `where` clause guards only the last pattern of a case (found by fuzzing: E1–EC lead
    // bytes skipped their continuation check).
    switch b[i] {
    case 0xC2...0xDF where cont(i + 1): return 2
    case 0xE0 where i + 1 < n && b[i + 1] >= 0xA0 && b[i + 1] <= 0xBF && cont(i + 2): return 3
    case 0xED where i + 1 < n && b[i + 1] >= 0x80 && b[i + 1] <= 0x9F && cont(i + 2): return 3
    case 0xE1...0xEC where cont(i + 1) && cont(i + 2): return 3
    case 0xEE...0xEF where cont(i + 1) && cont(i + 2): return 3
    case 0xF0 where i + 1 < n && b[i + 1] >= 0x90 && b[i + 1] <= 0xBF && cont(i + 2) && cont(i + 3): return 4
    case 0xF1...0xF3 where cont(i + 1) && cont(i + 2) && cont(i + 3): return 4
    case 0xF4 where i + 1 < n && b[i + 1] >= 0x80 && b[i + 1] <= 0x8F && cont(i + 2) && cont(i + 3): return 4
    default: return 0
    }
  }

  /// A number starting at `-` or a digit (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`). `integer` is
  /// set to whether it has neither a fraction nor an exponent.
  @inlinable
  public static func number(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, integer: inout Bool) -> Bool {
    let n = b.count
    func digits() -> Int {
      let s = i
      while i < n, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
      return i - s
    }
    integer = true
    if b[i] == 0x2D { i += 1 }
    guard i < n else { return false }
    if b[i] == 0x30 {
      i += 1
    } else if digits() == 0 {
      return false
    }
    if i < n, b[i] == 0x2E {
      integer = false
      i += 1
      if digits() == 0 { return false }
    }
    if i < n, b[i] == 0x65 || b[i] == 0x45 {
      integer = false
      i += 1
      if i < n, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
      if digits() == 0 { return false }
    }
    return true
  }

  /// `true`, `false` or `null` spelled exactly as `word`.
  @inlinable @inline(__always)
  public static func literal(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ word: StaticString) -> Bool {
    let count = word.utf8CodeUnitCount
    guard i + count <= b.count else { return false }
    let p = word.utf8Start
    for j in 0..<count where b[i + j] != p[j] { return false }
    i += count
    return true
  }
}
