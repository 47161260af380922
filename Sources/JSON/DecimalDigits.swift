/// Decimal digits written in place: the one digit writer behind the JSON writers' integers, ``ByteBuffer``'s
/// integers, and the mock's journal lines, timestamps and request ids.
public enum DecimalDigits {
  /// How many digits `value` has (1 for 0).
  @inlinable @inline(__always)
  public static func count(_ value: UInt64) -> Int {
    var digits = 1
    var v = value
    while v >= 10 {
      v /= 10
      digits += 1
    }
    return digits
  }

  /// Writes `value` at `out`, zero-padded to `width` digits (or as many as it needs); returns how many bytes it
  /// wrote. `out` must have room for `max(width, count(value))` bytes.
  @inlinable @inline(__always)
  @discardableResult
  public static func write(_ value: UInt64, width: Int = 0, to out: UnsafeMutablePointer<UInt8>) -> Int {
    let n = max(width, count(value))
    var v = value
    for i in stride(from: n - 1, through: 0, by: -1) {
      out[i] = UInt8(truncatingIfNeeded: 48 + v % 10)
      v /= 10
    }
    return n
  }
}
