#if canImport(Glibc)
  import Glibc
#endif

/// One value of a ``JSONTape``: read in place (members, elements, strings, numbers) without building
/// ``JSONValue``s, and turned into one (``value``) only where it is copied.
///
/// Reads answer as the same reads on the ``JSONValue`` the tape holds: a member lookup finds the last value of a
/// repeated key, a string reads as the same Swift string.
public struct JSONRef: Sendable {
  /// The tape the value is on (kept alive by the reference).
  public let tape: JSONTape
  /// The value's node on the tape.
  let index: Int

  init(tape: JSONTape, index: Int) {
    self.tape = tape
    self.index = index
  }

  /// The JSON type of a value.
  public enum Kind: Sendable, Equatable {
    case null, bool, number, string, array, object
  }

  @inline(__always) var node: JSONTape.Node { tape.nodes[index] }

  /// This value's JSON type.
  public var kind: Kind {
    switch node.kind {
    case .null: return .null
    case .falseValue, .trueValue: return .bool
    case .int, .double, .literal: return .number
    case .string: return .string
    case .array: return .array
    case .object: return .object
    }
  }

  /// `true` for `null`.
  @inlinable public var isNull: Bool { kind == .null }
  /// `true` for an object.
  @inlinable public var isObject: Bool { kind == .object }
  /// `true` for an array.
  @inlinable public var isArray: Bool { kind == .array }
  /// `true` for any number.
  @inlinable public var isNumber: Bool { kind == .number }

  /// An array's element count or an object's member count (a repeated key counts once); 0 for anything else.
  public var count: Int {
    let node = node
    guard node.isContainer else { return 0 }
    if node.hasDuplicateKeys, case .object(let object) = value { return object.count }
    return node.size
  }

  /// The string, if this is a string.
  public var stringValue: String? {
    guard node.kind == .string else { return nil }
    return withStringBytes { JSONParser.makeString($0) }
  }

  /// The UTF-8 byte count of the string, if this is a string.
  public var stringByteCount: Int? { node.kind == .string ? node.size : nil }

  /// `true` when this is the string `text` (same UTF-8 bytes), without building a Swift string.
  public func isString(_ text: String) -> Bool {
    guard node.kind == .string else { return false }
    var text = text
    return text.withUTF8 { expected in withStringBytes { JSONTape.bytesEqual($0, expected) } }
  }

  /// Calls `body` with the decoded UTF-8 bytes of this string (empty for anything else).
  public func withStringBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    let node = node
    guard node.kind == .string || node.kind == .literal else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
    return tape.text.withUnsafeBufferPointer { text in
      body(UnsafeBufferPointer(rebasing: text[Int(node.payload)..<Int(node.payload) + node.size]))
    }
  }

  /// `true` when `predicate` holds for the decoded bytes of some string within this value (object keys included,
  /// and the values of repeated keys that a lookup would not find).
  public func containsString(where predicate: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
    tape.nodes.withUnsafeBufferPointer { nodes in
      tape.text.withUnsafeBufferPointer { text in
        let end = tape.next(after: index)
        for i in index..<end where nodes[i].kind == .string {
          let offset = Int(nodes[i].payload)
          if predicate(UnsafeBufferPointer(rebasing: text[offset..<offset + nodes[i].size])) { return true }
        }
        return false
      }
    }
  }

  /// The Boolean, if this is `true` or `false`.
  public var boolValue: Bool? {
    switch node.kind {
    case .trueValue: return true
    case .falseValue: return false
    default: return nil
    }
  }

  /// This value as a ``JSONValue`` (a copy: containers and strings are built here).
  public var value: JSONValue { tape.value(at: index) }

  /// Appends this value as compact JSON to `buffer`: the text ``value``'s ``JSONValue/compactBytes()`` gives,
  /// written straight from the tape.
  public func writeCompact(into buffer: inout ByteBuffer) {
    var writer = JSONWriter(buffer: buffer)
    writer.compact(tape, at: index)
    buffer = writer.finish()
  }

  /// A scalar that is not a string as a ``JSONValue`` (built without allocating); `nil` for strings and containers.
  public var nonStringScalar: JSONValue? {
    switch node.kind {
    case .string, .array, .object: return nil
    default: return value
    }
  }

  // MARK: Members and elements

  /// The member `key` of an object (for a repeated key, its last value); `nil` when absent or not an object.
  public subscript(key: String) -> JSONRef? {
    guard node.kind == .object else { return nil }
    var key = key
    let found = key.withUTF8 { tape.member(of: index, key: $0) }
    return found.map { JSONRef(tape: tape, index: $0) }
  }

  /// The element at `position` of an array; `nil` when out of range or not an array.
  public subscript(position: Int) -> JSONRef? {
    let node = node
    guard node.kind == .array, position >= 0, position < node.size else { return nil }
    var i = index + 1
    for _ in 0..<position { i = tape.next(after: i) }
    return JSONRef(tape: tape, index: i)
  }

  /// An array's elements in order (none for anything else).
  public var elements: Elements {
    let node = node
    guard node.kind == .array else { return Elements(tape: tape, first: index, end: index) }
    return Elements(tape: tape, first: index + 1, end: Int(node.payload))
  }

  /// The elements of an array, in order.
  public struct Elements: Sequence, IteratorProtocol {
    let tape: JSONTape
    var first: Int
    let end: Int

    public mutating func next() -> JSONRef? {
      guard first < end else { return nil }
      defer { first = tape.next(after: first) }
      return JSONRef(tape: tape, index: first)
    }
  }

  /// The key of each member of an object, in order, with its value; a repeated key once, at its first position,
  /// with its last value. Nothing for anything else.
  public var members: [(key: String, value: JSONRef)] {
    guard node.kind == .object else { return [] }
    var out: [(key: String, value: JSONRef)] = []
    out.reserveCapacity(node.size)
    // A repeated key: its first position (found through an object of positions, indexed when large).
    var positions = JSONObject()
    let duplicates = node.hasDuplicateKeys
    tape.forEachMember(of: index) { key, value in
      let name = JSONParser.makeString(key)
      if duplicates, case .int(let i)? = positions[name] {
        out[Int(i)].value = JSONRef(tape: tape, index: value)
        return
      }
      if duplicates { positions.appendUnchecked(name, .int(Int64(out.count))) }
      out.append((name, JSONRef(tape: tape, index: value)))
    }
    return out
  }
}

extension JSONTape {
  /// The index of the node after the value at `index` (after its contents, for a container).
  @inline(__always)
  func next(after index: Int) -> Int {
    let node = nodes[index]
    return node.isContainer ? Int(node.payload) : index + 1
  }

  /// Calls `body` with each member's key bytes and value index, in document order (repeated keys included).
  func forEachMember(of object: Int, _ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
    nodes.withUnsafeBufferPointer { nodes in
      text.withUnsafeBufferPointer { text in
        let end = Int(nodes[object].payload)
        var i = object + 1
        while i < end {
          let key = nodes[i]
          body(UnsafeBufferPointer(rebasing: text[Int(key.payload)..<Int(key.payload) + key.size]), i + 1)
          let value = nodes[i + 1]
          i = value.isContainer ? Int(value.payload) : i + 2
        }
      }
    }
  }

  /// The value index of the member `key` of the object at `object` (the last one, for a repeated key).
  func member(of object: Int, key: UnsafeBufferPointer<UInt8>) -> Int? {
    nodes.withUnsafeBufferPointer { nodes in
      text.withUnsafeBufferPointer { text in
        let header = nodes[object]
        let end = Int(header.payload)
        let last = header.hasDuplicateKeys
        var found: Int? = nil
        var i = object + 1
        while i < end {
          let node = nodes[i]
          if node.size == key.count,
            Self.bytesEqual(UnsafeBufferPointer(rebasing: text[Int(node.payload)..<Int(node.payload) + node.size]), key)
          {
            found = i + 1
            if !last { return found }
          }
          let value = nodes[i + 1]
          i = value.isContainer ? Int(value.payload) : i + 2
        }
        return found
      }
    }
  }

  /// Byte equality of two buffers. Keys are short: up to 16 bytes are compared inline (two overlapping words from
  /// 8 bytes on, byte by byte below), longer ones with `memcmp`.
  @inline(__always)
  static func bytesEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = a.count
    guard n == b.count else { return false }
    guard let pa = a.baseAddress, let pb = b.baseAddress, n > 0 else { return true }
    if n < 8 {
      for i in 0..<n where pa[i] != pb[i] { return false }
      return true
    }
    if n <= 16 {
      let ra = UnsafeRawPointer(pa)
      let rb = UnsafeRawPointer(pb)
      return ra.loadUnaligned(as: UInt64.self) == rb.loadUnaligned(as: UInt64.self)
        && (ra + n - 8).loadUnaligned(as: UInt64.self) == (rb + n - 8).loadUnaligned(as: UInt64.self)
    }
    return memcmp(pa, pb, n) == 0
  }

  /// The value at `index` as a ``JSONValue``.
  func value(at index: Int) -> JSONValue {
    let node = nodes[index]
    switch node.kind {
    case .null: return .null
    case .falseValue: return .bool(false)
    case .trueValue: return .bool(true)
    case .int: return .int(Int64(bitPattern: node.payload))
    case .double: return .double(Double(bitPattern: node.payload))
    case .literal: return .numberLiteral(string(at: index))
    case .string: return .string(string(at: index))
    case .array:
      var elements: [JSONValue] = []
      elements.reserveCapacity(node.size)
      var i = index + 1
      while i < Int(node.payload) {
        elements.append(value(at: i))
        i = next(after: i)
      }
      return .array(elements)
    case .object:
      return .object(object(at: index))
    }
  }

  /// The object at `index` as a ``JSONObject``: keys in order, a repeated key at its first position with its last
  /// value (as the value parser builds it).
  private func object(at index: Int) -> JSONObject {
    let node = nodes[index]
    var object = JSONObject(minimumCapacity: node.size)
    var i = index + 1
    while i < Int(node.payload) {
      let key = string(at: i)
      if node.hasDuplicateKeys {
        object.set(key, value(at: i + 1))
      } else {
        object.appendUnchecked(key, value(at: i + 1))
      }
      i = next(after: i + 1)
    }
    return object
  }

  /// The string (or literal) node at `index` as a Swift string.
  private func string(at index: Int) -> String {
    let node = nodes[index]
    return text.withUnsafeBufferPointer { text in
      JSONParser.makeString(UnsafeBufferPointer(rebasing: text[Int(node.payload)..<Int(node.payload) + node.size]))
    }
  }
}
