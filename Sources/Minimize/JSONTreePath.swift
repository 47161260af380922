import JSON

/// One step from a JSON container to one of its members: a member name or an array index.
enum PathStep: Hashable, Sendable {
  case key(String)
  case index(Int)

  /// The JSON Pointer reference token for this step.
  var token: String {
    switch self {
    case .key(let key): return key
    case .index(let i): return String(i)
    }
  }
}

/// A position in a JSON value, from the root.
typealias TreePath = [PathStep]

extension Array where Element == PathStep {
  /// The position as a JSON Pointer (array indices as decimal tokens).
  var pointer: JSONPointer { JSONPointer(tokens: map(\.token)) }
}

extension JSONValue {
  /// The value at `path`, or `nil` when a step names no member or element.
  func value(at path: some Collection<PathStep>) -> JSONValue? {
    var current = self
    for step in path {
      switch (current, step) {
      case (.object(let object), .key(let key)):
        guard let next = object[key] else { return nil }
        current = next
      case (.array(let items), .index(let i)) where items.indices.contains(i):
        current = items[i]
      default:
        return nil
      }
    }
    return current
  }

  /// Replaces the value at `path` (which must exist) with `replacement`.
  func replacing(at path: ArraySlice<PathStep>, with replacement: JSONValue) -> JSONValue {
    guard let step = path.first else { return replacement }
    switch (self, step) {
    case (.object(var object), .key(let key)):
      guard let child = object[key] else { return self }
      object.set(key, child.replacing(at: path.dropFirst(), with: replacement))
      return .object(object)
    case (.array(var items), .index(let i)) where items.indices.contains(i):
      items[i] = items[i].replacing(at: path.dropFirst(), with: replacement)
      return .array(items)
    default:
      return self
    }
  }

  /// The steps to this container's members, in document order; empty for a scalar.
  var childSteps: [PathStep] {
    switch self {
    case .object(let object): return object.entries.map { .key($0.key) }
    case .array(let items): return items.indices.map { .index($0) }
    default: return []
    }
  }

  /// This container without the members at `positions` (positions in document order).
  func removingChildren(at positions: Set<Int>) -> JSONValue {
    switch self {
    case .object(let object):
      var out = JSONObject(minimumCapacity: object.count - positions.count)
      for (i, entry) in object.entries.enumerated() where !positions.contains(i) {
        out.appendUnchecked(entry.key, entry.value)
      }
      return .object(out)
    case .array(let items):
      return .array(items.enumerated().filter { !positions.contains($0.offset) }.map(\.element))
    default:
      return self
    }
  }

  /// `true` for an object or an array.
  var isContainer: Bool {
    switch self {
    case .object, .array: return true
    default: return false
    }
  }
}
