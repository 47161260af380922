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
    var builder = Builder(numbers: numbers, input: buffer)
    var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
    try parser.parseDocument(into: &builder)
    self.init(nodes: builder.nodes, text: builder.text)
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

    @inline(__always) var kind: Kind { Kind(rawValue: UInt8(truncatingIfNeeded: header)) ?? .null }
    @inline(__always) var size: Int { Int(header >> 16) }
    @inline(__always) var isContainer: Bool { kind == .array || kind == .object }
    /// An object in which some key occurs more than once (the last value wins, at the first key's position).
    @inline(__always) var hasDuplicateKeys: Bool { header >> 8 & 0xFF & Node.duplicateKeys != 0 }

    static let duplicateKeys: UInt64 = 1
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

    /// A builder for parsing `input`: its text starts as a copy of it (see ``appendInputString(_:)``).
    init(numbers: JSONNumberStyle, input: UnsafeBufferPointer<UInt8>) {
      self.numbers = numbers
      text = Array(input)
      nodes.reserveCapacity(max(16, input.count / 8))
    }

    /// Appends a string (or key) node for the input's bytes `range`, which need no decoding.
    @inline(__always)
    mutating func appendInputString(_ range: Range<Int>) {
      nodes.append(Node(.string, size: range.count, payload: UInt64(range.lowerBound)))
    }

    /// The number of values directly in the container at `index`, whose contents are complete.
    func childCount(of index: Int) -> Int {
      var count = 0
      var i = index + 1
      while i < nodes.count {
        i = nodes[i].isContainer ? Int(nodes[i].payload) : i + 1
        count += 1
      }
      return count
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

    /// Appends a scalar (anything but a string or container), its number in this builder's style.
    mutating func appendScalar(_ value: JSONValue) {
      switch numbers == .javaScript ? JavaScriptNumber.javaScriptValue(value) : value {
      case .null: nodes.append(Node(.null))
      case .bool(let b): nodes.append(Node(b ? .trueValue : .falseValue))
      case .int(let i): nodes.append(Node(.int, payload: UInt64(bitPattern: i)))
      case .double(let d): nodes.append(Node(.double, payload: d.bitPattern))
      case .numberLiteral(let s):
        var s = s
        s.withUTF8 { literal in
          nodes.append(Node(.literal, size: literal.count, payload: UInt64(text.count)))
          text.append(contentsOf: literal)
        }
      case .string(let s): appendString(s)
      case .array, .object: preconditionFailure("appendScalar takes scalars")
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

    /// Whether the object at `index`, complete but for its closing, repeats a key. `signatures` are its keys'
    /// signatures in order; keys are compared only when their signatures are equal.
    func hasDuplicateKeys(object index: Int, signatures: ArraySlice<UInt64>) -> Bool {
      var keys: [(signature: UInt64, node: Int)] = []
      keys.reserveCapacity(signatures.count)
      var i = index + 1
      for signature in signatures {
        keys.append((signature, i))
        i = nodes[i + 1].isContainer ? Int(nodes[i + 1].payload) : i + 2
      }
      keys.sort { $0.signature < $1.signature }
      for k in keys.indices.dropFirst() where keys[k].signature == keys[k - 1].signature {
        if bytes(of: keys[k].node).elementsEqual(bytes(of: keys[k - 1].node)) { return true }
        // Equal signatures of different keys: compare this one with the others of the same signature.
        var j = k - 2
        while j >= 0, keys[j].signature == keys[k].signature {
          if bytes(of: keys[k].node).elementsEqual(bytes(of: keys[j].node)) { return true }
          j -= 1
        }
      }
      return false
    }

    /// The text of the string node at `index`.
    private func bytes(of index: Int) -> ArraySlice<UInt8> {
      let offset = Int(nodes[index].payload)
      return text[offset..<offset + nodes[index].size]
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
