/// The compact and indented JSON writers, appending to a growable byte buffer that it owns.
///
/// Writing is recursive; values are at most `maxDepth` deep when parsed, so this stays shallow in practice.
struct JSONWriter: ~Copyable {
  private var base: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// The bytes written so far.
  var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  /// The bytes written so far, as an array.
  var array: [UInt8] { Array(bytes) }

  // MARK: Buffer

  /// Makes room for `extra` more bytes, so that up to that many can be stored unchecked.
  @inline(__always)
  mutating func reserve(_ extra: Int) {
    if count + extra > capacity { grow(to: count + extra) }
  }

  private mutating func grow(to minimum: Int) {
    var newCapacity = capacity * 2
    while newCapacity < minimum { newCapacity *= 2 }
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    bigger.initialize(from: base, count: count)
    base.deallocate()
    base = bigger
    capacity = newCapacity
  }

  /// Stores `byte`; the caller has reserved room for it.
  @inline(__always)
  mutating func store(_ byte: UInt8) {
    base[count] = byte
    count += 1
  }

  /// Stores `bytes`; the caller has reserved room for them.
  @inline(__always)
  mutating func store(_ bytes: UnsafeBufferPointer<UInt8>) {
    if let source = bytes.baseAddress, !bytes.isEmpty {
      (base + count).initialize(from: source, count: bytes.count)
      count += bytes.count
    }
  }

  @inline(__always)
  mutating func append(_ byte: UInt8) {
    reserve(1)
    store(byte)
  }

  @inline(__always)
  mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    reserve(bytes.count)
    store(bytes)
  }

  @inline(__always)
  mutating func append(_ text: StaticString) {
    append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  // MARK: Values

  mutating func compact(_ value: JSONValue) {
    switch value {
    case .array(let elements):
      append(Byte.openBracket)
      elements.withUnsafeBufferPointer { elements in
        for i in elements.indices {
          if i > 0 { append(Byte.comma) }
          compact(elements[i])
        }
      }
      append(Byte.closeBracket)
    case .object(let object):
      append(Byte.openBrace)
      object.entries.withUnsafeBufferPointer { entries in
        for i in entries.indices {
          if i > 0 { append(Byte.comma) }
          writeString(entries[i].key)
          append(Byte.colon)
          compact(entries[i].value)
        }
      }
      append(Byte.closeBrace)
    default:
      scalar(value)
    }
  }

  /// Writes a value that is not a container (kept out of the recursive functions to keep their frames small).
  mutating func scalar(_ value: JSONValue) {
    switch value {
    case .null: append("null")
    case .bool(let b): append(b ? "true" : "false")
    case .int(let i): writeInt(i)
    case .double(let d): writeDouble(d)
    case .numberLiteral(let text): writeRaw(text)
    case .string(let s): writeString(s)
    case .array, .object: compact(value)
    }
  }

  /// Indented JSON: 2 spaces a level, `"key": value`, empty containers inline; keys sorted by UTF-8 bytes if asked.
  mutating func pretty(_ value: JSONValue, sortKeys: Bool, level: Int) {
    switch value {
    case .array(let elements) where !elements.isEmpty:
      append(Byte.openBracket)
      var first = true
      for element in elements {
        if !first { append(Byte.comma) }
        first = false
        newline(level + 1)
        pretty(element, sortKeys: sortKeys, level: level + 1)
      }
      newline(level)
      append(Byte.closeBracket)
    case .object(let object) where !object.isEmpty:
      append(Byte.openBrace)
      var first = true
      for entry in sortKeys ? object.sortedByKey() : object.entries {
        if !first { append(Byte.comma) }
        first = false
        newline(level + 1)
        writeString(entry.key)
        append(Byte.colon)
        append(Byte.space)
        pretty(entry.value, sortKeys: sortKeys, level: level + 1)
      }
      newline(level)
      append(Byte.closeBrace)
    default:
      scalar(value)
    }
  }

  private mutating func newline(_ level: Int) {
    reserve(1 + 2 * level)
    store(Byte.newline)
    for _ in 0..<(2 * level) { store(Byte.space) }
  }

  /// Decimal digits of `value`.
  mutating func writeInt(_ value: Int64) {
    reserve(20)
    var magnitude = value.magnitude
    if value < 0 { store(Byte.minus) }
    var digits = 1
    var probe = magnitude
    while probe >= 10 {
      probe /= 10
      digits += 1
    }
    var i = count + digits
    count = i
    repeat {
      i -= 1
      base[i] = Byte.zero + UInt8(magnitude % 10)
      magnitude /= 10
    } while magnitude != 0
  }

  /// The shortest text that parses back to `value` (Swift's `description`, always valid JSON for finite values,
  /// e.g. `46.0`, `1e+16`, `5e-324`); `null` for infinities and NaN, which JSON cannot express.
  mutating func writeDouble(_ value: Double) {
    guard value.isFinite else {
      append("null")
      return
    }
    writeRaw(value.description)
  }

  /// `text`'s UTF-8, unchanged.
  mutating func writeRaw(_ text: String) {
    var text = text
    text.withUTF8 { append($0) }
  }
}
