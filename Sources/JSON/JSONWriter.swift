/// The compact and indented JSON writers, appending to a ``ByteBuffer`` that it owns.
///
/// Writing is recursive; values are at most `maxDepth` deep when parsed, so this stays shallow in practice.
struct JSONWriter: ~Copyable {
  private var buffer: ByteBuffer
  /// How numbers are written.
  let numbers: JSONNumberStyle

  init(capacity: Int, numbers: JSONNumberStyle = .javaScript) {
    buffer = ByteBuffer(capacity: capacity)
    self.numbers = numbers
  }

  /// A writer appending to `buffer`, which ``finish()`` gives back.
  init(buffer: consuming ByteBuffer, numbers: JSONNumberStyle = .javaScript) {
    self.buffer = buffer
    self.numbers = numbers
  }

  /// The buffer, with everything written.
  consuming func finish() -> ByteBuffer { buffer }

  /// The bytes written so far.
  var bytes: UnsafeBufferPointer<UInt8> { buffer.bytes }

  /// The bytes written so far, as an array.
  var array: [UInt8] { buffer.array }

  @inline(__always)
  mutating func append(_ byte: UInt8) { buffer.append(byte) }

  @inline(__always)
  mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) { buffer.append(bytes) }

  @inline(__always)
  mutating func append(_ text: StaticString) { buffer.append(text) }

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

  /// Writes the value at `index` of `tape` as ``compact(_:)`` writes that value (``JSONTape/value(at:)``), straight
  /// from the tape. An object with a repeated key is built first, to write each key once.
  mutating func compact(_ tape: JSONTape, at index: Int) {
    tape.nodes.withUnsafeBufferPointer { nodes in
      tape.text.withUnsafeBufferPointer { text in compact(tape, nodes, text, at: index) }
    }
  }

  /// ``compact(_:at:)`` with the tape's storage in hand.
  private mutating func compact(
    _ tape: JSONTape, _ nodes: UnsafeBufferPointer<JSONTape.Node>, _ text: UnsafeBufferPointer<UInt8>, at index: Int
  ) {
    let node = nodes[index]
    switch node.kind {
    case .array:
      append(Byte.openBracket)
      var i = index + 1
      while i < Int(node.payload) {
        if i > index + 1 { append(Byte.comma) }
        compact(tape, nodes, text, at: i)
        i = nodes[i].isContainer ? Int(nodes[i].payload) : i + 1
      }
      append(Byte.closeBracket)
    case .object where !node.hasDuplicateKeys:
      append(Byte.openBrace)
      var i = index + 1
      while i < Int(node.payload) {
        if i > index + 1 { append(Byte.comma) }
        writeString(nodes[i], text)
        append(Byte.colon)
        compact(tape, nodes, text, at: i + 1)
        i = nodes[i + 1].isContainer ? Int(nodes[i + 1].payload) : i + 2
      }
      append(Byte.closeBrace)
    case .string:
      writeString(node, text)
    case .null:
      append("null")
    case .falseValue:
      append("false")
    case .trueValue:
      append("true")
    case .int where numbers == .preserving || Int64(bitPattern: node.payload).magnitude <= 1 << 53:
      writeInt(Int64(bitPattern: node.payload))  // as `scalar` writes an integer
    default:
      compact(tape.value(at: index))
    }
  }

  /// The string node `node`, its bytes in `text`, as ``writeString(_:)`` writes that string.
  @inline(__always)
  private mutating func writeString(_ node: JSONTape.Node, _ text: UnsafeBufferPointer<UInt8>) {
    _ = buffer.appendString(
      UnsafeBufferPointer(rebasing: text[Int(node.payload)..<Int(node.payload) + node.size]), loneSurrogates: true)
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
    buffer.reserve(1 + 2 * level)
    buffer.store(Byte.newline)
    for _ in 0..<(2 * level) { buffer.store(Byte.space) }
  }

  /// Decimal digits of `value`.
  mutating func writeInt(_ value: Int64) { buffer.appendInt(value) }

  /// `s` as a JSON string literal (``JSONEscape``), ``LoneSurrogate`` stand-ins as `\udXXX`.
  mutating func writeString(_ s: String) { buffer.appendString(s, loneSurrogates: true) }

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
