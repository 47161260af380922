/// A JSON document held flat: one array of fixed-size nodes in document order and one byte array for the text of
/// its strings, with no per-value allocation or reference counting. For code that reads a document and copies
/// little of it (the transformer reads an event's message along many paths and copies a few values into its
/// output): read it through ``JSONRef``, and turn only what is copied into ``JSONValue``s (``JSONRef/value``).
///
/// A tape holds what ``JSONValue/parse(_:maxDepth:)-(UnsafeRawBufferPointer,_)`` would give for the same text
/// (same keys, duplicate keys resolved the same way, same strings), with numbers in one of two styles: as parsed
/// (``JSONNumberStyle/preserving``) or as JavaScript's `JSON.parse` holds them (``JSONNumberStyle/javaScript``,
/// what ``JSONValue/javaScriptNumbers()`` gives). Immutable once built, so it can be shared between threads.
public final class JSONTape: Sendable {
  /// The nodes in document order: a container is followed by its contents (an object's as key, value, key,
  /// value…), and records where they end, so a reader can skip it whole.
  let nodes: [Node]
  /// The bytes of every string and number literal, which nodes address by offset and length: for a parsed tape,
  /// a copy of the input (strings without escapes are read where they are) followed by the decoded strings.
  let text: [UInt8]

  init(nodes: [Node], text: [UInt8]) {
    self.nodes = nodes
    self.text = text
  }

  /// The document's top-level value.
  public var root: JSONRef { JSONRef(tape: self, index: 0) }

  /// A tape holding `value`, its numbers as given (`.preserving`) or as JavaScript holds them (`.javaScript`).
  public convenience init(_ value: JSONValue, numbers: JSONNumberStyle) {
    var builder = Builder(numbers: numbers, textCapacity: 256)
    builder.append(value)
    self.init(nodes: builder.nodes, text: builder.text)
  }

  /// Parses one JSON text into a tape, accepting exactly what ``JSONValue/parse(_:maxDepth:)-(UnsafeRawBufferPointer,_)``
  /// accepts and reporting the same errors.
  /// - Throws: ``JSONParseError`` with the position of the first problem.
  public convenience init(parsing bytes: UnsafeRawBufferPointer, numbers: JSONNumberStyle, maxDepth: Int = 1000)
    throws(JSONParseError)
  {
    let buffer = UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    if let parsed = Self.parse(buffer, numbers: numbers, maxDepth: maxDepth) {
      self.init(nodes: parsed.nodes, text: parsed.text)
      return
    }
    // The value parser words the error. Should it accept the text after all, its value is what the tape holds.
    let value = try JSONValue.parse(bytes, maxDepth: maxDepth)
    self.init(value, numbers: numbers)
  }
}

extension JSONTape {
  /// What a node is.
  enum Kind: UInt8 {
    case null, falseValue, trueValue, int, double, literal, string, array, object
  }

  /// One value (or object key) of the document, in 16 bytes.
  ///
  /// `size` is a string's or literal's byte length, or a container's element (array) or member (object) count.
  /// `payload` is the offset of a string's or literal's bytes in ``JSONTape/text``, an integer's or double's bits,
  /// or for a container the index of the first node after its contents.
  struct Node {
    private let header: UInt64
    let payload: UInt64

    init(_ kind: Kind, size: Int = 0, payload: UInt64 = 0, flags: UInt8 = 0) {
      header = UInt64(kind.rawValue) | UInt64(flags) << 8 | UInt64(size) << 16
      self.payload = payload
    }

    /// The kind, from the low byte, where only a ``Kind``'s raw value is ever stored. `Kind`'s raw values are its
    /// cases' indices (0, 1, 2… in declaration order), which is how such an enum is laid out, so the byte is read as
    /// a `Kind` directly (`Kind(rawValue:)` is a function call on this hot path).
    @inline(__always) var kind: Kind {
      let raw = UInt8(truncatingIfNeeded: header)
      assert(Kind(rawValue: raw) != nil, "not a node kind: \(raw)")
      return unsafeBitCast(raw, to: Kind.self)
    }
    @inline(__always) var size: Int { Int(header >> 16) }
    @inline(__always) var isContainer: Bool { kind == .array || kind == .object }
    /// A string or a number literal: its payload is an offset into the text.
    @inline(__always) var isText: Bool { kind == .string || kind == .literal }
    /// An object in which some key occurs more than once (the last value wins, at the first key's position).
    @inline(__always) var hasDuplicateKeys: Bool { header >> 8 & 0xFF & Node.duplicateKeys != 0 }

    static let duplicateKeys: UInt64 = 1
    /// While parsing: a string's or literal's offset is into the parser's side text (see `TapeParser`).
    static let inSideText: UInt64 = 1 << 63
  }
}

extension JSONTape {
  /// Appends nodes and text in document order; containers are opened, filled and closed.
  struct Builder {
    var nodes: [Node] = []
    var text: [UInt8] = []
    let numbers: JSONNumberStyle

    init(numbers: JSONNumberStyle, textCapacity: Int) {
      self.numbers = numbers
      text.reserveCapacity(textCapacity)
      nodes.reserveCapacity(max(16, textCapacity / 12))
    }

    /// Appends a string (or key) node for `bytes`.
    @inline(__always)
    mutating func appendString(_ bytes: UnsafeBufferPointer<UInt8>) {
      nodes.append(Node(.string, size: bytes.count, payload: UInt64(text.count)))
      text.append(contentsOf: bytes)
    }

    mutating func appendString(_ s: String) {
      var s = s
      s.withUTF8 { appendString($0) }
    }

    /// Appends a scalar (anything but a container), its number in this builder's style.
    mutating func appendScalar(_ value: JSONValue) {
      switch value {
      case .null: nodes.append(Node(.null))
      case .bool(let b): nodes.append(Node(b ? .trueValue : .falseValue))
      case .string(let s): appendString(s)
      case .int, .double, .numberLiteral: appendNumber(value)
      case .array, .object: preconditionFailure("appendScalar takes scalars")
      }
    }

    /// Appends a number's node, in this builder's style (a literal's text appended to the text).
    mutating func appendNumber(_ number: JSONValue) {
      switch numbers == .javaScript ? JavaScriptNumber.javaScriptValue(number) : number {
      case .int(let i): nodes.append(Node(.int, payload: UInt64(bitPattern: i)))
      case .double(let d): nodes.append(Node(.double, payload: d.bitPattern))
      case .numberLiteral(var s):
        s.withUTF8 { literal in
          nodes.append(Node(.literal, size: literal.count, payload: UInt64(text.count)))
          text.append(contentsOf: literal)
        }
      default: nodes.append(Node(.null))  // a number is never anything else
      }
    }

    /// Appends the opening node of a container; returns its index, for ``close(_:count:duplicateKeys:)``.
    @inline(__always)
    mutating func open(_ kind: Kind) -> Int {
      nodes.append(Node(kind))
      return nodes.count - 1
    }

    /// Completes the container opened at `index` with its element or member count.
    @inline(__always)
    mutating func close(_ index: Int, count: Int, duplicateKeys: Bool = false) {
      nodes[index] = Node(
        nodes[index].kind, size: count, payload: UInt64(nodes.count),
        flags: duplicateKeys ? UInt8(Node.duplicateKeys) : 0)
    }

    /// Appends a whole value.
    mutating func append(_ value: JSONValue) {
      switch value {
      case .array(let elements):
        let index = open(.array)
        for element in elements { append(element) }
        close(index, count: elements.count)
      case .object(let object):
        let index = open(.object)
        for entry in object.entries {
          appendString(entry.key)
          append(entry.value)
        }
        close(index, count: object.count)  // a JSONObject's keys are distinct
      default:
        appendScalar(value)
      }
    }
  }
}
