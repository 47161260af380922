/// Fast JSON string writing straight from bytes, for the journal and envelopes (no intermediate values).
enum JSONBytes {
  private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

  /// Appends `bytes` as a JSON string literal (quotes included). Returns `false`, appending nothing, when the
  /// bytes are not valid UTF-8.
  @discardableResult
  static func appendString(_ out: inout [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    // Worst case: every byte becomes `\u00XX`. Short strings are escaped on the stack, long ones in a temporary.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count * 6 + 2) { buffer in
      let written = escape(bytes, into: buffer.baseAddress!)
      guard written >= 0 else { return false }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<written]))
      return true
    }
  }

  /// Writes the quoted, escaped form of `bytes` to `dst` (room for `6 * bytes.count + 2` bytes); the byte count,
  /// or -1 for invalid UTF-8.
  static func escape(_ bytes: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>) -> Int {
    let n = bytes.count
    guard let src = bytes.baseAddress, n > 0 else {
      dst[0] = 0x22
      dst[1] = 0x22
      return 2
    }
    let hexDigits:
      (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102)
    var o = 0
    dst[o] = 0x22
    o += 1
    var i = 0
    while i < n {
      // Eight plain ASCII bytes at a time (no control byte, quote, backslash or non-ASCII byte among them).
      while i + 8 <= n {
        let x = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)
        let special = JSONScan.specialBytes(x)
        // Copy all eight either way (the room is there: 6 per byte still to come); keep the ones before the first
        // special byte.
        UnsafeMutableRawPointer(dst + o).storeBytes(of: x, as: UInt64.self)
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
      let b = src[i]
      if b >= 0x20 && b != 0x22 && b != 0x5C && b < 0x80 {
        dst[o] = b
        o += 1
        i += 1
        continue
      }
      if b >= 0x80 {
        let len = JSONScan.utf8SequenceLength(UnsafeBufferPointer(start: src, count: n), i)
        if len == 0 { return -1 }
        for k in 0..<len { dst[o + k] = src[i + k] }
        o += len
        i += len
        continue
      }
      dst[o] = 0x5C
      switch b {
      case 0x22: dst[o + 1] = 0x22
      case 0x5C: dst[o + 1] = 0x5C
      case 0x0A: dst[o + 1] = 0x6E
      case 0x0D: dst[o + 1] = 0x72
      case 0x09: dst[o + 1] = 0x74
      default:
        dst[o + 1] = 0x75
        dst[o + 2] = 0x30
        dst[o + 3] = 0x30
        dst[o + 4] = withUnsafeBytes(of: hexDigits) { $0[Int(b >> 4)] }
        dst[o + 5] = withUnsafeBytes(of: hexDigits) { $0[Int(b & 0xF)] }
        o += 4
      }
      o += 2
      i += 1
    }
    dst[o] = 0x22
    return o + 1
  }

  /// Appends a Swift string as a JSON string literal.
  static func appendString(_ out: inout [UInt8], _ s: String) {
    var s = s
    s.withUTF8 { _ = appendString(&out, $0) }
  }

  /// Appends the decimal digits of `value`.
  static func appendInt(_ out: inout [UInt8], _ value: Int) {
    out.append(contentsOf: String(value).utf8)
  }

  /// Base64 (standard alphabet, padded).
  static func base64(_ bytes: [UInt8]) -> String {
    let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i + 2 < bytes.count {
      let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
      out.append(contentsOf: [
        table[Int(v >> 18 & 63)], table[Int(v >> 12 & 63)], table[Int(v >> 6 & 63)], table[Int(v & 63)],
      ])
      i += 3
    }
    let rest = bytes.count - i
    if rest == 1 {
      let v = UInt32(bytes[i]) << 16
      out.append(contentsOf: [table[Int(v >> 18 & 63)], table[Int(v >> 12 & 63)], 61, 61])
    } else if rest == 2 {
      let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
      out.append(contentsOf: [table[Int(v >> 18 & 63)], table[Int(v >> 12 & 63)], table[Int(v >> 6 & 63)], 61])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
