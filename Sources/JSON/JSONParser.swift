/// The byte-level parser behind ``JSONValue/parse(_:maxDepth:)-(UnsafeRawBufferPointer,_)``.
///
/// It is iterative: open containers live on explicit stacks, never on the call stack, so hostile nesting can only
/// reach the `maxDepth` error. Strings without escapes are built straight from the input bytes.
struct JSONParser {
  /// The input.
  let bytes: UnsafeBufferPointer<UInt8>
  /// The deepest container nesting allowed.
  let maxDepth: Int
  /// The current byte offset.
  var pos = 0
  /// Reused buffer for strings that contain escapes.
  var scratch: [UInt8] = []
  /// A hash of the last string parsed, used to find duplicate keys quickly.
  var stringSignature: UInt64 = 0

  init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
    self.bytes = bytes
    self.maxDepth = maxDepth
  }

  /// An open array or object.
  private struct Frame {
    var isObject: Bool
    /// Where this container's elements (or member values) start on the value stack.
    var valueStart: Int
    /// Where this object's keys start on the key stack.
    var keyStart: Int
  }

  /// Parses the whole input as one JSON text.
  mutating func parseDocument() throws(JSONParseError) -> JSONValue {
    skipWhitespace()
    if pos + 2 < bytes.count, bytes[pos] == 0xEF, bytes[pos + 1] == 0xBB, bytes[pos + 2] == 0xBF {
      throw error("unexpected byte order mark (U+FEFF)", at: pos)
    }
    let value = try parseValue()
    skipWhitespace()
    if pos < bytes.count {
      throw unexpected(" after the JSON value")
    }
    return value
  }

  // MARK: Structure

  /// The state of ``parseValue()``: the open containers, and the values and keys on their way into them.
  private struct Stacks: ~Copyable {
    var frames: [Frame] = []
    var values = MoveStack<JSONValue>(capacity: 32)
    var keys = MoveStack<String>(capacity: 16)
    var keySignatures = MoveStack<UInt64>(capacity: 16)

    init() { frames.reserveCapacity(16) }

    deinit {
      values.release()
      keys.release()
      keySignatures.release()
    }
  }

  /// Parses one value starting at `pos` (leading whitespace allowed), leaving `pos` just after it.
  ///
  /// Every finished value goes straight onto the value stack and containers are moved off it when they close,
  /// so no value is copied; at the end the stack holds just the result.
  mutating func parseValue() throws(JSONParseError) -> JSONValue {
    var stacks = Stacks()
    while true {
      if try parseOpening(&stacks) { continue }
      if try closeContainers(&stacks) { continue }
      return stacks.values.popLast()
    }
  }

  /// Parses a scalar or an empty container onto the value stack (`false`), or opens a container (`true`: its first
  /// element, or its first key and ':', has been read up to the value that follows).
  @inline(__always)
  private mutating func parseOpening(_ s: inout Stacks) throws(JSONParseError) -> Bool {
    skipWhitespace()
    guard pos < bytes.count else { throw error("unexpected end of input, expected a value", at: pos) }
    switch bytes[pos] {
    case Byte.openBrace:
      guard s.frames.count < maxDepth else { throw error("nesting deeper than \(maxDepth) levels", at: pos) }
      pos += 1
      skipWhitespace()
      if pos < bytes.count, bytes[pos] == Byte.closeBrace {
        pos += 1
        s.values.push(.object(JSONObject()))
        return false
      }
      s.frames.append(Frame(isObject: true, valueStart: s.values.count, keyStart: s.keys.count))
      s.keys.push(try parseKey(afterComma: false))
      s.keySignatures.push(stringSignature)
      return true
    case Byte.openBracket:
      guard s.frames.count < maxDepth else { throw error("nesting deeper than \(maxDepth) levels", at: pos) }
      pos += 1
      skipWhitespace()
      if pos < bytes.count, bytes[pos] == Byte.closeBracket {
        pos += 1
        s.values.push(.array([]))
        return false
      }
      s.frames.append(Frame(isObject: false, valueStart: s.values.count, keyStart: s.keys.count))
      return true
    case Byte.quote:
      s.values.push(.string(try parseString()))
    case Byte.minus, Byte.zero...Byte.nine:
      s.values.push(try parseNumber())
    case Byte.t:
      try expectLiteral("true")
      s.values.push(.bool(true))
    case Byte.f:
      try expectLiteral("false")
      s.values.push(.bool(false))
    case Byte.n:
      try expectLiteral("null")
      s.values.push(.null)
    case Byte.closeBracket where s.frames.last.map({ !$0.isObject }) == true:
      throw error("expected a value after ',' (trailing comma in array)", at: pos)
    default:
      throw unexpected(", expected a value")
    }
    return false
  }

  /// After a complete value: closes each container that ends here. `true` when a ',' starts the next element (and,
  /// in an object, its key and ':' have been read), `false` when no container is open any more.
  @inline(__always)
  private mutating func closeContainers(_ s: inout Stacks) throws(JSONParseError) -> Bool {
    while let frame = s.frames.last {
      skipWhitespace()
      guard pos < bytes.count else {
        let what = frame.isObject ? "',' or '}' after object member" : "',' or ']' after array element"
        throw error("unexpected end of input, expected \(what)", at: pos)
      }
      let b = bytes[pos]
      if b == Byte.comma {
        pos += 1
        if frame.isObject {
          s.keys.push(try parseKey(afterComma: true))
          s.keySignatures.push(stringSignature)
        }
        return true
      }
      if frame.isObject {
        guard b == Byte.closeBrace else { throw invalidOr("expected ',' or '}' after object member") }
        pos += 1
        s.values.push(.object(Self.popObject(frame, keys: &s.keys, values: &s.values, signatures: &s.keySignatures)))
      } else {
        guard b == Byte.closeBracket else { throw invalidOr("expected ',' or ']' after array element") }
        pos += 1
        s.values.push(.array(s.values.popArray(from: frame.valueStart)))
      }
      s.frames.removeLast()
    }
    return false
  }

  /// Moves the members of the object `frame` off the stacks into a ``JSONObject``.
  ///
  /// A repeated key keeps its first position and its last value. Duplicates are rare, so keys are compared only
  /// when their signatures (64-bit hashes, first filtered through a 64-bit Bloom mask) are equal.
  private static func popObject(
    _ frame: Frame, keys: inout MoveStack<String>, values: inout MoveStack<JSONValue>,
    signatures: inout MoveStack<UInt64>
  ) -> JSONObject {
    let n = values.count - frame.valueStart
    let k0 = frame.keyStart
    let v0 = frame.valueStart
    var seen: UInt64 = 0
    var duplicates = false
    for i in 0..<n {
      let signature = signatures[k0 + i]
      let bit: UInt64 = 1 << (signature >> 58)
      if seen & bit != 0 {
        for j in 0..<i where signatures[k0 + j] == signature && keys[k0 + j] == keys[k0 + i] {
          duplicates = true
          break
        }
        if duplicates { break }
      }
      seen |= bit
    }
    signatures.forget(downTo: k0)
    defer {
      keys.forget(downTo: k0)
      values.forget(downTo: v0)
    }
    if duplicates {
      var object = JSONObject(minimumCapacity: n)
      for i in 0..<n { object.set(keys.move(at: k0 + i), values.move(at: v0 + i)) }
      return object
    }
    var entries: [JSONObject.Entry] = []
    entries.reserveCapacity(n)
    for i in 0..<n {
      entries.append(JSONObject.Entry(key: keys.move(at: k0 + i), value: values.move(at: v0 + i)))
    }
    return JSONObject(uniqueEntries: entries)
  }

  /// Parses `"key"` and the `:` after it.
  private mutating func parseKey(afterComma: Bool) throws(JSONParseError) -> String {
    skipWhitespace()
    guard pos < bytes.count else { throw error("unexpected end of input, expected an object key", at: pos) }
    guard bytes[pos] == Byte.quote else {
      if afterComma && bytes[pos] == Byte.closeBrace {
        throw error("expected a string key after ',' (trailing comma in object)", at: pos)
      }
      throw invalidOr("expected '\"' to begin an object key")
    }
    let key = try parseString(signed: true)
    skipWhitespace()
    guard pos < bytes.count else { throw error("unexpected end of input, expected ':' after object key", at: pos) }
    guard bytes[pos] == Byte.colon else { throw invalidOr("expected ':' after object key") }
    pos += 1
    return key
  }

  /// Consumes the literal `word` (`true`, `false` or `null`), or throws.
  mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
    let n = word.utf8CodeUnitCount
    let p = word.utf8Start
    var i = 0
    while i < n {
      guard pos + i < bytes.count, bytes[pos + i] == p[i] else {
        throw error("invalid literal, expected '\(word)'", at: pos)
      }
      i += 1
    }
    pos += n
  }

  @inline(__always)
  mutating func skipWhitespace() {
    while pos < bytes.count {
      switch bytes[pos] {
      case Byte.space, Byte.newline, Byte.carriageReturn, Byte.tab: pos += 1
      default: return
      }
    }
  }

  // MARK: Errors

  func error(_ message: String, at offset: Int) -> JSONParseError {
    JSONParseError(at: offset, in: bytes, message)
  }

  /// `message` at `pos`, unless the byte there starts invalid UTF-8, which is reported instead.
  func invalidOr(_ message: String) -> JSONParseError {
    if pos < bytes.count, bytes[pos] >= 0x80, utf8SequenceLength(at: pos) == 0 {
      return invalidUTF8(at: pos)
    }
    return error(message, at: pos)
  }

  /// `unexpected character 'x'` + `suffix`, at `pos` (or invalid UTF-8 there).
  func unexpected(_ suffix: String) -> JSONParseError {
    invalidOr("unexpected character \(describeCharacter(at: pos))\(suffix)")
  }

  /// A readable form of the character at `offset`: `'x'`, or `U+000A` for controls and non-ASCII.
  func describeCharacter(at offset: Int) -> String {
    let b = bytes[offset]
    if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
    if b < 0x80 { return "U+" + hex(UInt32(b), digits: 4) }
    let n = utf8SequenceLength(at: offset)
    let scalar = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + max(n, 1)]), as: UTF8.self)
    return "'\(scalar)'"
  }
}

/// Uppercase hex of `value`, zero-padded to `digits`.
func hex(_ value: UInt32, digits: Int) -> String {
  let s = String(value, radix: 16, uppercase: true)
  return String(repeating: "0", count: max(0, digits - s.count)) + s
}

/// ASCII bytes the parser and writers look for.
enum Byte {
  static let tab: UInt8 = 0x09
  static let newline: UInt8 = 0x0A
  static let carriageReturn: UInt8 = 0x0D
  static let space: UInt8 = 0x20
  static let quote: UInt8 = 0x22
  static let plus: UInt8 = 0x2B
  static let comma: UInt8 = 0x2C
  static let minus: UInt8 = 0x2D
  static let dot: UInt8 = 0x2E
  static let slash: UInt8 = 0x2F
  static let zero: UInt8 = 0x30
  static let nine: UInt8 = 0x39
  static let colon: UInt8 = 0x3A
  static let upperE: UInt8 = 0x45
  static let openBracket: UInt8 = 0x5B
  static let backslash: UInt8 = 0x5C
  static let closeBracket: UInt8 = 0x5D
  static let lowerE: UInt8 = 0x65
  static let f: UInt8 = 0x66
  static let n: UInt8 = 0x6E
  static let t: UInt8 = 0x74
  static let u: UInt8 = 0x75
  static let openBrace: UInt8 = 0x7B
  static let closeBrace: UInt8 = 0x7D
}
