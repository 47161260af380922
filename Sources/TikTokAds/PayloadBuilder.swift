import JSON

/// Builds a payload object by dotted destination paths, as lodash `set` does, without re-copying nested
/// JSON values on every write: intermediate objects stay open nodes (in one flat array) until
/// ``PayloadBuilder/build()``.
struct PayloadBuilder {
  /// An open object: its keys in first-write order, and what each holds.
  private struct Node {
    var keys: [String] = []
    var slots: [Slot] = []

    init() {
      keys.reserveCapacity(8)
      slots.reserveCapacity(8)
    }

    init(_ object: JSONObject) {
      keys = object.keys
      slots = object.map { .value($0.value) }
    }

    func index(of key: String) -> Int? { keys.firstIndex(of: key) }
  }

  private enum Slot {
    case value(JSONValue)
    /// An open object, by its index in `nodes`.
    case node(Int)
  }

  /// The open objects; the payload itself is the first.
  private var nodes = [Node()]

  /// Sets `value` at `path`: creates objects along the way and replaces non-object steps with objects; a named
  /// key under an array is dropped, as a property JSON never shows.
  mutating func set(_ value: JSONValue, at path: FieldPath) {
    var node = 0
    let components = path.components
    for (depth, key) in components.enumerated() {
      let isLeaf = depth == components.count - 1
      guard let i = nodes[node].index(of: key) else {
        nodes[node].keys.append(key)
        if isLeaf {
          nodes[node].slots.append(.value(value))
          return
        }
        nodes[node].slots.append(.node(nodes.count))
        node = open(Node())
        continue
      }
      if isLeaf {
        nodes[node].slots[i] = .value(value)
        return
      }
      switch nodes[node].slots[i] {
      case .node(let child):
        node = child
      case .value(.object(let object)):
        nodes[node].slots[i] = .node(nodes.count)
        node = open(Node(object))
      case .value(.array):
        return  // lodash sets a property on the array; JSON drops it
      case .value:
        nodes[node].slots[i] = .node(nodes.count)
        node = open(Node())
      }
    }
  }

  /// Appends `node`; returns its index.
  private mutating func open(_ node: Node) -> Int {
    nodes.append(node)
    return nodes.count - 1
  }

  /// The payload as a JSON object, keys in first-write order.
  func build() -> JSONValue { build(0) }

  private func build(_ index: Int) -> JSONValue {
    let node = nodes[index]
    var object = JSONObject(minimumCapacity: node.keys.count)
    for (key, slot) in zip(node.keys, node.slots) {
      switch slot {
      case .value(let v): object.appendUnchecked(key, v)
      case .node(let child): object.appendUnchecked(key, build(child))
      }
    }
    return .object(object)
  }
}
