/// A growable byte buffer written in place, for JSON text built on the hot path: escaped strings go straight into
/// its storage, and one writer is reused for every request of a thread (``Journal``'s per-thread line buffer), so a
/// journal line costs no intermediate arrays. Not thread-safe: one owner at a time.
final class ByteWriter {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var capacity: Int
  /// Bytes written so far.
  private(set) var count = 0

  init(capacity: Int = 4096) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// The bytes written so far (valid until the next write).
  var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  /// The bytes `range` (valid until the next write).
  func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
  }

  /// Forgets everything after the first `newCount` bytes.
  func truncate(to newCount: Int) {
    precondition(newCount >= 0 && newCount <= count)
    count = newCount
  }

  /// Drops the storage back to `capacity` bytes when it has grown beyond `limit` (after a huge request).
  func shrink(ifAbove limit: Int, to capacity: Int = 4096) {
    guard self.capacity > limit, count <= capacity else { return }
    let new = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    new.update(from: base, count: count)
    base.deallocate()
    base = new
    self.capacity = capacity
  }

  /// Counts `n` bytes written directly to `base[count...]` (after ``reserve(_:)``).
  func advance(by n: Int) {
    precondition(n >= 0 && count + n <= capacity)
    count += n
  }

  /// Makes room for `extra` more bytes.
  @inline(__always)
  func reserve(_ extra: Int) {
    if count + extra > capacity { grow(count + extra) }
  }

  private func grow(_ needed: Int) {
    let newCapacity = max(needed, capacity * 2)
    let new = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    new.update(from: base, count: count)
    base.deallocate()
    base = new
    capacity = newCapacity
  }

  @inline(__always)
  func append(_ byte: UInt8) {
    reserve(1)
    base[count] = byte
    count += 1
  }

  func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let src = bytes.baseAddress, !bytes.isEmpty else { return }
    reserve(bytes.count)
    (base + count).update(from: src, count: bytes.count)
    count += bytes.count
  }

  func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

  /// Appends ASCII text known at compile time (keys, punctuation).
  func append(_ text: StaticString) {
    append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  /// Appends the decimal digits of `value`.
  func appendInt(_ value: Int) {
    reserve(21)  // Int.min: a sign and 19 digits
    if value < 0 { append(UInt8(ascii: "-")) }
    count += DecimalDigits.write(UInt64(value.magnitude), to: base + count)
  }

  /// Appends `bytes` as a JSON string literal (quotes included). Returns `false`, appending nothing, when the bytes
  /// are not valid UTF-8.
  @discardableResult
  func appendString(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    reserve(bytes.count * 6 + 2)  // worst case: every byte becomes \u00XX
    let written = JSONBytes.escape(bytes, into: base + count)
    guard written >= 0 else { return false }
    count += written
    return true
  }

  @discardableResult
  func appendString(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer { appendString($0) } }

  /// Appends a Swift string as a JSON string literal.
  func appendString(_ s: String) {
    var s = s
    s.withUTF8 { _ = appendString($0) }
  }
}
