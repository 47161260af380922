/// The one JSON string escaper, behind both writers and ``ByteBuffer/appendString(_:loneSurrogates:)-(UnsafeBufferPointer<UInt8>,_)``.
///
/// Escapes only `"`, `\` and control characters (`\b \f \n \r \t`, others `\u00XX` in lowercase hex); `/` and
/// non-ASCII are written raw. The input is checked to be UTF-8 on the way (``JSONScan/utf8SequenceLength(_:_:)``).
/// With `loneSurrogates`, the ``LoneSurrogate`` stand-ins U+10F800–U+10FFFF are written as `\udXXX` escapes, so
/// what the parser read comes back out.
public enum JSONEscape {
  /// The room ``write(_:into:loneSurrogates:)`` needs for `count` input bytes: every byte as `\u00XX`, the quotes,
  /// and 8 bytes of slack, so that the last bytes can be stored as one word.
  @inlinable
  public static func worstCase(_ count: Int) -> Int { count * 6 + 2 + 8 }

  /// Writes the quoted, escaped form of `bytes` to `dst`, which has room for ``worstCase(_:)`` bytes; returns the
  /// byte count, or -1 when `bytes` is not UTF-8.
  @inlinable
  public static func write(
    _ bytes: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>, loneSurrogates: Bool
  ) -> Int {
    let n = bytes.count
    dst[0] = 0x22
    guard let src = bytes.baseAddress, n > 0 else {
      dst[1] = 0x22
      return 2
    }
    var o = 1
    var i = 0
    while i < n {
      // Eight plain ASCII bytes at a time. All eight are copied either way (the room is there: 6 per byte still to
      // come); the ones before the first special byte are kept.
      while i + 8 <= n {
        let x = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)
        UnsafeMutableRawPointer(dst + o).storeBytes(of: x, as: UInt64.self)
        let special = JSONScan.specialBytes(x)
        if special != 0 {
          let plain = special.trailingZeroBitCount >> 3
          i += plain
          o += plain
          break
        }
        i += 8
        o += 8
      }
      if i >= n { break }
      if n - i < 8 {
        // The last 1-7 bytes as one word (most keys are this short): copied at once when none is special.
        let tail = n - i
        let word: UInt64
        if n >= 8 {
          word = UnsafeRawPointer(src + n - 8).loadUnaligned(as: UInt64.self) >> UInt64(8 * (8 - tail))
        } else {
          var gathered: UInt64 = 0
          for k in 0..<tail { gathered |= UInt64(src[i + k]) << UInt64(8 * k) }
          word = gathered
        }
        // Flags above the tail (the zero padding) are masked off; borrows only move flags upwards.
        let special = JSONScan.specialBytes(word) & ((1 << UInt64(8 * tail)) &- 1)
        let plain = special == 0 ? tail : special.trailingZeroBitCount >> 3
        // All eight stored (the slack of `worstCase` makes room); the ones after the plain bytes are overwritten.
        UnsafeMutableRawPointer(dst + o).storeBytes(of: word, as: UInt64.self)
        i += plain
        o += plain
        if i >= n { break }
      }
      let b = src[i]
      if b >= 0x20 && b != 0x22 && b != 0x5C && b < 0x80 {
        dst[o] = b
        o += 1
        i += 1
        continue
      }
      if b >= 0x80 {
        let length = JSONScan.utf8SequenceLength(bytes, i)
        if length == 0 { return -1 }
        if loneSurrogates && b == 0xF4 && src[i + 1] == 0x8F && src[i + 2] >= 0xA0 {
          // U+10F800...U+10FFFF is F4 8F A0...BF 80...BF: the stand-in for surrogate D800 + its low 11 bits.
          o += writeUnicodeEscape(0xD800 + (UInt16(src[i + 2] & 0x1F) << 6 | UInt16(src[i + 3] & 0x3F)), dst + o)
        } else {
          for k in 0..<length { dst[o + k] = src[i + k] }
          o += length
        }
        i += length
        continue
      }
      o += writeEscape(b, dst + o)
      i += 1
    }
    dst[o] = 0x22
    return o + 1
  }

  /// Writes the escape of the ASCII byte `b` (a control, `"` or `\`); returns its length.
  @inlinable
  static func writeEscape(_ b: UInt8, _ dst: UnsafeMutablePointer<UInt8>) -> Int {
    let short: UInt8
    switch b {
    case 0x22: short = 0x22
    case 0x5C: short = 0x5C
    case 0x08: short = 0x62  // b
    case 0x0C: short = 0x66  // f
    case 0x0A: short = 0x6E  // n
    case 0x0D: short = 0x72  // r
    case 0x09: short = 0x74  // t
    default: return writeUnicodeEscape(UInt16(b), dst)
    }
    dst[0] = 0x5C
    dst[1] = short
    return 2
  }

  /// Writes `\uXXXX` (lowercase hex); returns 6.
  @inlinable
  static func writeUnicodeEscape(_ unit: UInt16, _ dst: UnsafeMutablePointer<UInt8>) -> Int {
    dst[0] = 0x5C
    dst[1] = 0x75
    for k in 0..<4 {
      let digit = UInt8(truncatingIfNeeded: unit >> UInt16(12 - 4 * k)) & 0xF
      dst[2 + k] = digit < 10 ? 0x30 + digit : 0x61 + digit - 10
    }
    return 6
  }
}
