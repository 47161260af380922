/// Fast JSON string writing straight from bytes, for the journal and envelopes (no intermediate values).
enum JSONBytes {
  private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

  /// Appends `bytes` as a JSON string literal (quotes included). Returns `false`, appending nothing, when the
  /// bytes are not valid UTF-8.
  @discardableResult
  static func appendString(_ out: inout [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let mark = out.count
    out.reserveCapacity(out.count + bytes.count + 2)
    out.append(0x22)
    var i = 0
    var runStart = 0
    let n = bytes.count
    while i < n {
      let b = bytes[i]
      if b >= 0x20 && b != 0x22 && b != 0x5C && b < 0x80 {
        i += 1
        continue
      }
      if b >= 0x80 {
        let len = utf8SequenceLength(bytes, i)
        if len == 0 {
          out.removeSubrange(mark...)
          return false
        }
        i += len
        continue
      }
      if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
      switch b {
      case 0x22: out.append(contentsOf: [0x5C, 0x22])
      case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
      case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
      case 0x0D: out.append(contentsOf: [0x5C, 0x72])
      case 0x09: out.append(contentsOf: [0x5C, 0x74])
      default:
        out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
      }
      i += 1
      runStart = i
    }
    if runStart < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<n])) }
    out.append(0x22)
    return true
  }

  /// Appends a Swift string as a JSON string literal.
  static func appendString(_ out: inout [UInt8], _ s: String) {
    var s = s
    s.withUTF8 { _ = appendString(&out, $0) }
  }

  static func appendString(_ out: inout [UInt8], _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { appendString(&out, $0) }
  }

  /// The length of the valid UTF-8 sequence starting at `i`, or 0.
  private static func utf8SequenceLength(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
    let b = p[i]
    let n = p.count
    func cont(_ j: Int) -> Bool { j < n && p[j] & 0xC0 == 0x80 }
    switch b {
    case 0xC2...0xDF: return cont(i + 1) ? 2 : 0
    case 0xE0:
      return i + 2 < n && p[i + 1] >= 0xA0 && p[i + 1] <= 0xBF && cont(i + 2) ? 3 : 0
    case 0xED:
      return i + 2 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F && cont(i + 2) ? 3 : 0
    case 0xE1...0xEC, 0xEE...0xEF: return cont(i + 1) && cont(i + 2) ? 3 : 0
    case 0xF0:
      return i + 3 < n && p[i + 1] >= 0x90 && p[i + 1] <= 0xBF && cont(i + 2) && cont(i + 3) ? 4 : 0
    case 0xF1...0xF3: return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
    case 0xF4:
      return i + 3 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x8F && cont(i + 2) && cont(i + 3) ? 4 : 0
    default: return 0
    }
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
      out.append(contentsOf: [table[Int(v >> 18 & 63)], table[Int(v >> 12 & 63)], table[Int(v >> 6 & 63)], table[Int(v & 63)]])
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
