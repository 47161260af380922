import Glibc
import JSON
import Synchronization

/// TikTok's 34-character `request_id`: UTC `YYYYMMDDhhmmss` followed by 20 upper-case hex digits.
///
/// The hex part is a per-process random prefix plus a counter, so every id from one process is unique.
final class RequestIDGenerator: Sendable {
  private let prefix: UInt64
  private let counter = Atomic<UInt64>(0)

  init() {
    var g = SystemRandomNumberGenerator()
    prefix = g.next() & 0xFF_FFFF_FFFF  // 40 bits = 10 hex digits
  }

  /// A fresh id as ASCII bytes.
  func next() -> [UInt8] {
    let n = counter.add(1, ordering: .relaxed).newValue
    var out = timestamp()
    appendHex(&out, prefix, digits: 10)
    // Mix the counter so consecutive ids don't look sequential, staying unique (odd multiplier mod 2^40).
    appendHex(&out, (n &* 0x9E37_79B9_7F4A_7C15) & 0xFF_FFFF_FFFF, digits: 10)
    return out
  }

  private func timestamp() -> [UInt8] {
    var t = time(nil)
    var tm = tm()
    gmtime_r(&t, &tm)
    var text: [UInt8] = []
    text.reserveCapacity(34)
    appendDigits(&text, Int(tm.tm_year) + 1900, 4)
    appendDigits(&text, Int(tm.tm_mon) + 1, 2)
    appendDigits(&text, Int(tm.tm_mday), 2)
    appendDigits(&text, Int(tm.tm_hour), 2)
    appendDigits(&text, Int(tm.tm_min), 2)
    appendDigits(&text, Int(tm.tm_sec), 2)
    return text
  }
}

private let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

func appendHex(_ out: inout [UInt8], _ value: UInt64, digits: Int) {
  for i in stride(from: digits - 1, through: 0, by: -1) {
    out.append(hexDigits[Int((value >> (UInt64(i) * 4)) & 0xF)])
  }
}

/// Appends `value` (≥ 0) in decimal, zero-padded to `width` digits.
func appendDigits(_ out: inout [UInt8], _ value: Int, _ width: Int) {
  let v = UInt64(value)
  let start = out.count
  out.append(contentsOf: repeatElement(0, count: max(width, DecimalDigits.count(v))))
  _ = out.withUnsafeMutableBufferPointer { DecimalDigits.write(v, width: width, to: $0.baseAddress! + start) }
}

/// Appends the wall-clock time as ISO 8601 UTC with milliseconds, `2026-11-28T05:14:36.123Z`.
func appendISOTimestamp(_ out: inout ByteBuffer) {
  var ts = timespec()
  clock_gettime(CLOCK_REALTIME, &ts)
  var t = ts.tv_sec
  var tm = tm()
  gmtime_r(&t, &tm)
  out.appendDigits(UInt64(tm.tm_year + 1900), width: 4)
  out.append(UInt8(ascii: "-"))
  out.appendDigits(UInt64(tm.tm_mon + 1), width: 2)
  out.append(UInt8(ascii: "-"))
  out.appendDigits(UInt64(tm.tm_mday), width: 2)
  out.append(UInt8(ascii: "T"))
  out.appendDigits(UInt64(tm.tm_hour), width: 2)
  out.append(UInt8(ascii: ":"))
  out.appendDigits(UInt64(tm.tm_min), width: 2)
  out.append(UInt8(ascii: ":"))
  out.appendDigits(UInt64(tm.tm_sec), width: 2)
  out.append(UInt8(ascii: "."))
  out.appendDigits(UInt64(ts.tv_nsec / 1_000_000), width: 3)
  out.append(UInt8(ascii: "Z"))
}
