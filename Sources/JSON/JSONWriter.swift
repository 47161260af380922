/// The compact and indented JSON writers, appending to a growable byte buffer that it owns.
///
/// Writing is recursive; values are at most `maxDepth` deep when parsed, so this stays shallow in practice.
struct JSONWriter: ~Copyable {
  private var base: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private var capacity: Int
  /// How numbers are written.
  let numbers: JSONNumberStyle

  init(capacity: Int, numbers: JSONNumberStyle = .javaScript) {
    self.capacity = max(capacity, 16)
    self.numbers = numbers
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
    case .int(let i):
      if numbers == .javaScript && i.magnitude > 1 << 53 { writeDouble(Double(i)) } else { writeInt(i) }
    case .double(let d): writeDouble(d)
    case .numberLiteral(let text):
      if numbers == .preserving {
        writeRaw(text)
      } else {
        writeDouble(Double(text) ?? .nan)  // R15: JavaScript reads the literal as the nearest double
      }
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

  /// A double: with ``JSONNumberStyle/javaScript``, as JavaScript prints it (R15: `Number::toString`, which
  /// `JSON.stringify` uses: `46`, `1e-7`, `0.000001`, `1e+21`, `-0` as `0`); with ``JSONNumberStyle/preserving``,
  /// Swift's shortest round-trip text, which keeps a double a double (`46.0`). `null` for infinities and NaN.
  mutating func writeDouble(_ value: Double) {
    guard value.isFinite else {
      append("null")
      return
    }
    guard numbers == .javaScript else {
      writeRaw(value.description)
      return
    }
    // Integral values below 2^53 (prices such as 25.0, counts) are the common case: plain digits.
    if value.magnitude < 9_007_199_254_740_992, value == value.rounded(.towardZero) {
      writeInt(Int64(value))
      return
    }
    writeRaw(JavaScriptNumber.string(value))
  }

  /// `text`'s UTF-8, unchanged.
  mutating func writeRaw(_ text: String) {
    var text = text
    text.withUTF8 { append($0) }
  }
}

/// How a writer prints numbers.
public enum JSONNumberStyle: Sendable {
  /// As JavaScript's `JSON.stringify` prints the double each number is (R15): what upstream sends and TikTok
  /// receives. Integers up to 2^53 are exact digits either way.
  case javaScript
  /// The number's own text kept: doubles keep their double-ness (`46.0`), literals beyond `Double` or `Int64`
  /// their digits. For files people edit and capture (golden cases), where the SDK's text is part of the case.
  case preserving
}
