extension JSONValue {
  /// The byte ranges of the elements of a top-level JSON array, found by a structural scan (brackets, braces,
  /// strings and commas only) without building values, so that large arrays can be parsed in parallel slices.
  ///
  /// The scan does not validate the elements: each range must still go through ``parse(_:maxDepth:)-(UnsafeRawBufferPointer,_)``.
  /// It returns `nil` when the text is not structurally a single array (unbalanced brackets, an unterminated string,
  /// trailing content, an empty element): the caller should then parse the whole text to report the exact error.
  public static func topLevelArrayElementRanges(_ bytes: UnsafeRawBufferPointer) -> [Range<Int>]? {
    let n = bytes.count
    var i = 0
    @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
    while i < n && isSpace(bytes[i]) { i += 1 }
    guard i < n, bytes[i] == UInt8(ascii: "[") else { return nil }
    i += 1
    var ranges: [Range<Int>] = []
    var depth = 0
    var start = -1
    var lastNonSpace = -1
    var closed = false
    while i < n {
      let b = bytes[i]
      switch b {
      case UInt8(ascii: "\""):
        if start < 0 { start = i }
        i = closingQuote(bytes, after: i)
        guard i < n else { return nil }  // unterminated string
        lastNonSpace = i
      case UInt8(ascii: "["), UInt8(ascii: "{"):
        if start < 0 { start = i }
        depth += 1
        lastNonSpace = i
      case UInt8(ascii: "}"):
        depth -= 1
        guard depth >= 0 else { return nil }
        lastNonSpace = i
      case UInt8(ascii: "]"):
        if depth == 0 {
          if start >= 0 {
            ranges.append(start..<(lastNonSpace + 1))
          } else if !ranges.isEmpty {
            return nil  // a trailing comma
          }
          closed = true
        } else {
          depth -= 1
          lastNonSpace = i
        }
      case UInt8(ascii: ","):
        if depth == 0 {
          guard start >= 0 else { return nil }  // an empty element
          ranges.append(start..<(lastNonSpace + 1))
          start = -1
        }
      default:
        if !isSpace(b) {
          if start < 0 { start = i }
          lastNonSpace = i
        }
      }
      i += 1
      if closed { break }
    }
    guard closed else { return nil }
    while i < n && isSpace(bytes[i]) { i += 1 }
    return i == n ? ranges : nil
  }

  /// The index of the quote that closes the string opened at `open` (`bytes.count` or beyond when there is none):
  /// eight bytes at a time up to the next quote or backslash, an escape skipping the byte after it.
  @inline(__always)
  private static func closingQuote(_ bytes: UnsafeRawBufferPointer, after open: Int) -> Int {
    let n = bytes.count
    var i = open + 1
    while i < n {
      if let base = bytes.baseAddress {
        while i + 8 <= n {
          let flags = quoteOrBackslash(base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
          if flags != 0 {
            i += flags.trailingZeroBitCount >> 3
            break
          }
          i += 8
        }
      }
      guard i < n else { break }
      switch bytes[i] {
      case UInt8(ascii: "\""): return i
      case UInt8(ascii: "\\"): i += 2
      default: i += 1
      }
    }
    return i
  }

  /// The high bit of each byte of `x` (eight bytes loaded little-endian) that is `"` or `\\`; as in
  /// ``JSONScan/specialBytes(_:)``, borrows can only flag bytes above a flagged one, so the lowest flag is exact.
  @inline(__always)
  private static func quoteOrBackslash(_ x: UInt64) -> UInt64 {
    let lo: UInt64 = 0x0101_0101_0101_0101
    let hi: UInt64 = 0x8080_8080_8080_8080
    let q = x ^ (lo &* 0x22)
    let s = x ^ (lo &* 0x5C)
    return ((q &- lo) & ~q | (s &- lo) & ~s) & hi
  }
}
