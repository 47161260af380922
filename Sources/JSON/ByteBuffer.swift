/// A growable byte buffer written in place: the one buffer behind the JSON writers (``JSONValue/compactBytes()``
/// and the others) and the mock server's journal lines and answers, so there is one growth policy and one place
/// where JSON text is escaped and digits are written.
///
/// Room is reserved first (``reserve(_:)``), then bytes are stored unchecked (``store(_:)-(UInt8)``), or appended with
/// the check (``append(_:)-(UInt8)``). Not thread-safe: one owner at a time.
public struct ByteBuffer: ~Copyable {
  @usableFromInline var storage: UnsafeMutablePointer<UInt8>
  @usableFromInline var allocated: Int
  @usableFromInline var written = 0

  /// An empty buffer with room for `capacity` bytes (at least 16).
  public init(capacity: Int = 4096) {
    allocated = max(capacity, 16)
    storage = .allocate(capacity: allocated)
  }

  deinit { storage.deallocate() }

  /// Where the bytes start (valid until the next write that grows the buffer).
  @inlinable public var base: UnsafeMutablePointer<UInt8> { storage }
  /// Bytes written so far.
  @inlinable public var count: Int { written }
  /// Bytes the storage holds before it must grow.
  @inlinable public var capacity: Int { allocated }

  /// The bytes written so far (valid until the next write).
  @inlinable public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: written) }

  /// The bytes `range` (valid until the next write).
  @inlinable public func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: storage + range.lowerBound, count: range.count)
  }

  /// The bytes written so far, as an array.
  public var array: [UInt8] { Array(bytes) }

  // MARK: Growth

  /// Makes room for `extra` more bytes, so that up to that many can be stored unchecked.
  @inlinable @inline(__always)
  public mutating func reserve(_ extra: Int) {
    if written + extra > allocated { grow(to: written + extra) }
  }

  /// The growth policy: the capacity doubles until it holds `minimum` bytes.
  @usableFromInline mutating func grow(to minimum: Int) {
    var newCapacity = allocated * 2
    while newCapacity < minimum { newCapacity *= 2 }
    replaceStorage(capacity: newCapacity)
  }

  /// Drops the storage back to `capacity` bytes when it has grown beyond `limit` (after a huge request), keeping
  /// what is written if it fits.
  public mutating func shrink(ifAbove limit: Int, to capacity: Int = 4096) {
    guard allocated > limit, written <= capacity else { return }
    replaceStorage(capacity: capacity)
  }

  private mutating func replaceStorage(capacity newCapacity: Int) {
    let new = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    new.initialize(from: storage, count: written)
    storage.deallocate()
    storage = new
    allocated = newCapacity
  }

  /// Forgets everything after the first `newCount` bytes.
  public mutating func truncate(to newCount: Int) {
    precondition(newCount >= 0 && newCount <= written)
    written = newCount
  }

  /// Counts `n` bytes written directly at `base + count` (after ``reserve(_:)``).
  @inlinable
  public mutating func advance(by n: Int) {
    precondition(n >= 0 && written + n <= allocated)
    written += n
  }

  // MARK: Unchecked stores (room reserved by the caller)

  /// Stores `byte`; the caller has reserved room for it.
  @inlinable @inline(__always)
  public mutating func store(_ byte: UInt8) {
    storage[written] = byte
    written += 1
  }

  /// Stores `bytes`; the caller has reserved room for them.
  @inlinable @inline(__always)
  public mutating func store(_ bytes: UnsafeBufferPointer<UInt8>) {
    if let source = bytes.baseAddress, !bytes.isEmpty {
      (storage + written).initialize(from: source, count: bytes.count)
      written += bytes.count
    }
  }

  // MARK: Appending

  @inlinable @inline(__always)
  public mutating func append(_ byte: UInt8) {
    reserve(1)
    store(byte)
  }

  @inlinable @inline(__always)
  public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    reserve(bytes.count)
    store(bytes)
  }

  @inlinable
  public mutating func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

  /// Appends ASCII text known at compile time (keys, punctuation).
  @inlinable @inline(__always)
  public mutating func append(_ text: StaticString) {
    append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  /// Appends the decimal digits of `value` (``DecimalDigits``): exact, as both ``JSONNumberStyle``s write an
  /// integer within ±2^53.
  @inlinable
  public mutating func appendInt(_ value: Int64) {
    reserve(20)  // Int64.min: a sign and 19 digits
    if value < 0 { store(0x2D) }
    written += DecimalDigits.write(value.magnitude, to: storage + written)
  }

  /// Appends the decimal digits of `value`; see ``appendInt(_:)-(Int64)``.
  @inlinable
  public mutating func appendInt(_ value: Int) { appendInt(Int64(value)) }

  /// Appends `value` zero-padded to `width` digits (or as many as it needs).
  @inlinable
  public mutating func appendDigits(_ value: UInt64, width: Int) {
    reserve(max(width, 20))
    written += DecimalDigits.write(value, width: width, to: storage + written)
  }

  /// Appends `bytes` as a JSON string literal, quotes included (``JSONEscape``). Returns `false`, appending
  /// nothing, when the bytes are not valid UTF-8. With `loneSurrogates`, the ``LoneSurrogate`` stand-ins are
  /// written as `\udXXX` escapes (for strings that came from the parser); without, every scalar is written as is
  /// (for raw bytes from elsewhere, such as a request body).
  @discardableResult
  @inlinable
  public mutating func appendString(_ bytes: UnsafeBufferPointer<UInt8>, loneSurrogates: Bool = false) -> Bool {
    reserve(JSONEscape.worstCase(bytes.count))
    let n = JSONEscape.write(bytes, into: storage + written, loneSurrogates: loneSurrogates)
    guard n >= 0 else { return false }
    written += n
    return true
  }

  /// Appends `bytes` as a JSON string literal; see ``appendString(_:loneSurrogates:)-(UnsafeBufferPointer<UInt8>,_)``.
  @discardableResult
  public mutating func appendString(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { appendString($0) }
  }

  /// Appends a Swift string as a JSON string literal; `loneSurrogates` as for bytes.
  public mutating func appendString(_ s: String, loneSurrogates: Bool = false) {
    let done: Bool? = s.utf8.withContiguousStorageIfAvailable { appendString($0, loneSurrogates: loneSurrogates) }
    if done == nil {
      var s = s
      s.withUTF8 { _ = appendString($0, loneSurrogates: loneSurrogates) }
    }
  }
}

extension [UInt8] {
  /// Appends `s` as a JSON string literal (``JSONEscape``, stand-ins for lone surrogates written as they are).
  public mutating func appendJSONString(_ s: String) {
    var s = s
    s.withUTF8 { utf8 in
      // Short strings are escaped on the stack, long ones in a temporary.
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: JSONEscape.worstCase(utf8.count)) { buffer in
        let n = JSONEscape.write(utf8, into: buffer.baseAddress!, loneSurrogates: false)
        append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<Swift.max(n, 0)]))
      }
    }
  }

  /// Appends the decimal digits of `value` (``DecimalDigits``).
  public mutating func appendDecimal(_ value: Int) {
    if value < 0 { append(0x2D) }
    let magnitude = UInt64(value.magnitude)
    let start = count
    append(contentsOf: repeatElement(0, count: DecimalDigits.count(magnitude)))
    withUnsafeMutableBufferPointer { _ = DecimalDigits.write(magnitude, to: $0.baseAddress! + start) }
  }
}
