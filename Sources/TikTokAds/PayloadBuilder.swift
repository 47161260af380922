import JSON

/// Builds a payload object by dotted destination paths, as lodash `set` does, without re-copying nested
/// JSON values on every write: intermediate objects stay open nodes (in one flat array) until the payload is built
/// (``build()``) or written as text (``write(into:)``).
///
/// Values copied from the message as they are stay on its tape (``JSON/JSONRef``) until then: the processor writes
/// them from the tape to its output without building a ``JSON/JSONValue`` for them. Reads (``value(at:)``) give what
/// the built payload would hold at the path.
struct PayloadBuilder {
  /// An open object: its keys in first-write order, and what each holds.
  private struct Node {
    var members: [Member] = []

    init() { members.reserveCapacity(8) }

    init(_ object: JSONObject) { members = object.map { Member(key: $0.key, slot: .value($0.value)) } }

    /// The members of an object on a tape (a repeated key once, at its first position, with its last value).
    init(members object: JSONRef) { members = object.members.map { Member(key: $0.key, slot: .ref($0.value)) } }

    /// The position of `key`. Lengths are compared first: most misses differ there, and `String`'s `==` is slow on
    /// a mismatch. (`==` is byte equality here: the keys looked for are ASCII, equivalent to no other string.)
    func index(of key: String) -> Int? {
      let length = key.utf8.count
      for i in members.indices where members[i].key.utf8.count == length && members[i].key == key { return i }
      return nil
    }
  }

  private struct Member {
    var key: String
    var slot: Slot
  }

  private enum Slot {
    case value(JSONValue)
    /// A value of the message, as it is there.
    case ref(JSONRef)
    /// An open object, by its index in `nodes`.
    case node(Int)
    /// An array of payloads (v2's `data`).
    case payloads([PayloadBuilder])
  }

  /// The open objects; the payload itself is the first.
  private var nodes: [Node]
  /// `true`: members of the payload itself whose value is `null` are left out when it is built or written
  /// (upstream's top-level cleaning); they still read as `null`.
  var dropsNullMembers = false

  init(dropsNullMembers: Bool = false) {
    nodes = [Node()]
    nodes.reserveCapacity(8)
    self.dropsNullMembers = dropsNullMembers
  }

  /// Sets `value` at `path`: creates objects along the way and replaces non-object steps with objects; a named
  /// key under an array is dropped, as a property JSON never shows.
  mutating func set(_ value: JSONValue, at path: FieldPath) { set(.value(value), at: path.components) }

  /// Sets the message's value `ref` at `path`, as ``set(_:at:)`` sets `ref.value`.
  mutating func set(_ ref: JSONRef, at path: FieldPath) { set(.ref(ref), at: path.components) }

  /// Appends `value` as a member of the payload itself; the caller guarantees `key` is new.
  mutating func appendUnchecked(_ key: String, _ value: JSONValue) { appendUnchecked(key, slot: .value(value)) }

  /// Appends the message's value `ref` (`null` when absent) as a member of the payload itself; the caller
  /// guarantees `key` is new.
  mutating func appendUnchecked(_ key: String, _ ref: JSONRef?) {
    appendUnchecked(key, slot: ref.map { .ref($0) } ?? .value(.null))
  }

  /// Appends an array of payloads as a member of the payload itself; the caller guarantees `key` is new.
  mutating func appendUnchecked(_ key: String, _ payloads: [PayloadBuilder]) {
    appendUnchecked(key, slot: .payloads(payloads))
  }

  private mutating func appendUnchecked(_ key: String, slot: Slot) {
    nodes[0].members.append(Member(key: key, slot: slot))
  }

  /// Puts `value` first among the members of the payload itself; the caller guarantees `key` is new.
  mutating func prependUnchecked(_ key: String, _ value: JSONValue) {
    nodes[0].members.insert(Member(key: key, slot: .value(value)), at: 0)
  }

  /// Puts the message's value `ref` (`null` when absent) first among the members of the payload itself; the
  /// caller guarantees `key` is new.
  mutating func prependUnchecked(_ key: String, _ ref: JSONRef?) {
    nodes[0].members.insert(Member(key: key, slot: ref.map { .ref($0) } ?? .value(.null)), at: 0)
  }

  private mutating func set(_ value: Slot, at components: [String]) {
    var node = 0
    for (depth, key) in components.enumerated() {
      let isLeaf = depth == components.count - 1
      guard let i = nodes[node].index(of: key) else {
        if isLeaf {
          nodes[node].members.append(Member(key: key, slot: value))
          return
        }
        nodes[node].members.append(Member(key: key, slot: .node(nodes.count)))
        node = open(Node())
        continue
      }
      if isLeaf {
        nodes[node].members[i].slot = value
        return
      }
      switch nodes[node].members[i].slot {
      case .node(let child):
        node = child
      case .value(.object(let object)):
        nodes[node].members[i].slot = .node(nodes.count)
        node = open(Node(object))
      case .ref(let ref) where ref.isObject:
        nodes[node].members[i].slot = .node(nodes.count)
        node = open(Node(members: ref))
      case .value(.array), .payloads:
        return  // lodash sets a property on the array; JSON drops it
      case .ref(let ref) where ref.isArray:
        return
      case .value, .ref:
        nodes[node].members[i].slot = .node(nodes.count)
        node = open(Node())
      }
    }
  }

  /// Appends `node`; returns its index.
  private mutating func open(_ node: Node) -> Int {
    nodes.append(node)
    return nodes.count - 1
  }

  // MARK: Reading

  /// lodash `get(payload, path)` on the built payload (``JSON/JSONValue/value(at:)``), building only what it returns.
  func value(at path: FieldPath) -> JSONValue? { value(at: path.components[...]) }

  /// The member `key` of the payload itself, as ``value(at:)`` reads it.
  subscript(key: String) -> JSONValue? { value(at: [key][...]) }

  /// `true` when the payload has the member `key` (the built payload might still leave it out, if it is `null`).
  func has(_ key: String) -> Bool { nodes[0].index(of: key) != nil }

  /// `true` when ``value(at:)`` would give an object, found without building it.
  func isObject(at path: FieldPath) -> Bool {
    var node = 0
    let components = path.components
    for (depth, key) in components.enumerated() {
      guard let i = nodes[node].index(of: key) else { return false }
      let slot = nodes[node].members[i].slot
      if case .node(let child) = slot {
        node = child
        continue
      }
      let rest = FieldPath(components: Array(components[(depth + 1)...]))
      if case .ref(let ref) = slot { return ref.value(at: rest)?.isObject ?? false }
      return build(slot).value(at: rest)?.objectValue != nil
    }
    return true
  }

  /// The message's value at `path` when the payload holds it there as copied (neither built nor changed since);
  /// `nil` otherwise.
  func ref(at path: FieldPath) -> JSONRef? {
    var node = 0
    for (depth, key) in path.components.enumerated() {
      guard let i = nodes[node].index(of: key) else { return nil }
      switch nodes[node].members[i].slot {
      case .node(let child): node = child
      case .ref(let ref): return depth == path.components.count - 1 ? ref : nil
      default: return nil
      }
    }
    return nil
  }

  private func value(at components: ArraySlice<String>) -> JSONValue? {
    guard let first = components.first else { return build() }
    var node = 0
    var rest = components
    var key = first
    while true {
      rest = rest.dropFirst()
      guard let i = nodes[node].index(of: key) else { return nil }
      let slot = nodes[node].members[i].slot
      if case .node(let child) = slot, let next = rest.first {
        node = child
        key = next
        continue
      }
      if rest.isEmpty { return build(slot) }
      switch slot {
      case .ref(let ref): return ref.value(at: FieldPath(components: Array(rest)))?.value
      default: return build(slot).value(at: FieldPath(components: Array(rest)))
      }
    }
  }

  // MARK: Building and writing

  /// The payload as a JSON object, keys in first-write order.
  func build() -> JSONValue { build(node: 0) }

  private func build(node index: Int) -> JSONValue {
    let node = nodes[index]
    var object = JSONObject(minimumCapacity: node.members.count)
    for member in node.members {
      let value = build(member.slot)
      if index == 0 && dropsNullMembers && value.isNull { continue }
      object.appendUnchecked(member.key, value)
    }
    return .object(object)
  }

  private func build(_ slot: Slot) -> JSONValue {
    switch slot {
    case .value(let v): return v
    case .ref(let ref): return ref.value
    case .node(let child): return build(node: child)
    case .payloads(let list): return .array(list.map { $0.build() })
    }
  }

  /// Appends the built payload as compact JSON (``JSON/JSONValue/writeCompact(into:)-(ByteBuffer)``), values of the
  /// message written straight from its tape.
  func write(into buffer: inout ByteBuffer) { write(node: 0, into: &buffer) }

  private func write(node index: Int, into buffer: inout ByteBuffer) {
    buffer.append(UInt8(ascii: "{"))
    var first = true
    // Read in place: members are not copied out.
    nodes[index].members.withUnsafeBufferPointer { members in
      for i in members.indices {
        if index == 0 && dropsNullMembers && isNull(members[i].slot) { continue }
        if !first { buffer.append(UInt8(ascii: ",")) }
        first = false
        buffer.appendString(members[i].key, loneSurrogates: true)
        buffer.append(UInt8(ascii: ":"))
        write(members[i].slot, into: &buffer)
      }
    }
    buffer.append(UInt8(ascii: "}"))
  }

  private func write(_ slot: Slot, into buffer: inout ByteBuffer) {
    switch slot {
    case .value(let v): v.writeCompact(into: &buffer)
    case .ref(let ref): ref.writeCompact(into: &buffer)
    case .node(let child): write(node: child, into: &buffer)
    case .payloads(let list):
      buffer.append(UInt8(ascii: "["))
      for (i, payload) in list.enumerated() {
        if i > 0 { buffer.append(UInt8(ascii: ",")) }
        payload.write(into: &buffer)
      }
      buffer.append(UInt8(ascii: "]"))
    }
  }

  private func isNull(_ slot: Slot) -> Bool {
    switch slot {
    case .value(let v): return v.isNull
    case .ref(let ref): return ref.isNull
    case .node, .payloads: return false
    }
  }
}
