import JSON

/// Builds a payload object by dotted destination paths, as lodash `set` does, without re-copying nested
/// JSON values on every write: intermediate objects are mutable nodes until ``PayloadBuilder/build()``.
struct PayloadBuilder {
  private final class Node {
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

    func index(of key: String) -> Int? {
      var i = 0
      while i < keys.count {
        if keys[i] == key { return i }
        i += 1
      }
      return nil
    }

    func build() -> JSONValue {
      var object = JSONObject(minimumCapacity: keys.count)
      for (k, slot) in zip(keys, slots) {
        switch slot {
        case .value(let v): object.appendUnchecked(k, v)
        case .node(let n): object.appendUnchecked(k, n.build())
        }
      }
      return .object(object)
    }
  }

  private enum Slot {
    case value(JSONValue)
    case node(Node)
  }

  private let root = Node()

  /// Sets `value` at `path`: creates objects along the way and replaces non-object steps with objects; a named
  /// key under an array is dropped, as a property JSON never shows.
  func set(_ value: JSONValue, at path: FieldPath) {
    var node = root
    let components = path.components
    for (depth, key) in components.enumerated() {
      let isLeaf = depth == components.count - 1
      guard let i = node.index(of: key) else {
        if isLeaf {
          node.keys.append(key)
          node.slots.append(.value(value))
          return
        }
        let child = Node()
        node.keys.append(key)
        node.slots.append(.node(child))
        node = child
        continue
      }
      if isLeaf {
        node.slots[i] = .value(value)
        return
      }
      switch node.slots[i] {
      case .node(let child):
        node = child
      case .value(.object(let object)):
        let child = Node(object)
        node.slots[i] = .node(child)
        node = child
      case .value(.array):
        return  // lodash sets a property on the array; JSON drops it
      case .value:
        let child = Node()
        node.slots[i] = .node(child)
        node = child
      }
    }
  }

  /// The payload as a JSON object, keys in first-write order.
  func build() -> JSONValue { root.build() }
}
