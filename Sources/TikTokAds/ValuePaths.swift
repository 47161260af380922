import JSON

/// A dotted source or destination path (`properties.context.user`), split once.
struct FieldPath: Sendable, CustomStringConvertible {
  let components: [String]
  let description: String

  init(_ text: String) {
    description = text
    components = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
  }

  init(components: [String]) {
    self.components = components
    description = components.joined(separator: ".")
  }
}

/// Paths used outside the mapping tables, split once.
enum KnownPath {
  static let event = FieldPath("event")
  static let propertiesContentType = FieldPath("properties.content_type")
  static let propertiesContents = FieldPath("properties.contents")
  static let propertiesContentsIds = FieldPath("properties.contents_ids")
  static let propertiesContextUser = FieldPath("properties.context.user")
  static let propertiesNumItems = FieldPath("properties.num_items")
  static let user = FieldPath("user")
  static let userExternalId = FieldPath("user.external_id")
}

extension JSONRef {
  /// lodash `get(value, path)` on a value read in place; see ``JSON/JSONValue/value(at:)``.
  func value(at path: FieldPath) -> JSONRef? {
    var current = self
    for component in path.components {
      switch current.kind {
      case .object:
        guard let next = current[component] else { return nil }
        current = next
      case .array:
        guard let i = Int(component), let next = current[i] else { return nil }
        current = next
      default:
        return nil
      }
    }
    return current
  }
}

/// The empty object R6 gives a message that is missing or not an object.
enum EmptyObject {
  static let ref = JSONTape(.object(JSONObject()), numbers: .javaScript).root
}

extension JSONValue {
  /// lodash `get(value, path)`: `nil` (undefined) when any step is missing or not an object/array.
  func value(at path: FieldPath) -> JSONValue? {
    if path.components.isEmpty { return self }
    var current = self
    for component in path.components {
      switch current {
      case .object(let o):
        guard let next = o[component] else { return nil }
        current = next
      case .array(let a):
        guard let i = Int(component), a.indices.contains(i) else { return nil }
        current = a[i]
      default:
        return nil
      }
    }
    return current
  }

  /// lodash `set(value, path, newValue)`: creates objects along the way, replacing non-object steps.
  /// Setting a named key on an array is a property JSON never shows, so it is dropped, as in JavaScript.
  mutating func set(_ newValue: JSONValue, at path: FieldPath) {
    set(newValue, components: path.components[...])
  }

  private mutating func set(_ newValue: JSONValue, components: ArraySlice<String>) {
    guard let key = components.first else {
      self = newValue
      return
    }
    let rest = components.dropFirst()
    switch self {
    case .object:
      modifyObject { object in
        // Mutate the child where it lives, so nothing along the path is copied.
        let found: Void? = object.modifyValue(forKey: key) { child in
          if !child.isJSObject && !rest.isEmpty { child = .object(JSONObject()) }
          child.set(newValue, components: rest)
        }
        if found == nil {
          var child = JSONValue.object(JSONObject())
          child.set(newValue, components: rest)
          object.appendUnchecked(key, child)
        }
      }
    case .array(var a):
      guard let i = Int(key), i >= 0, i < a.count else { return }
      self = .null
      a[i].set(newValue, components: rest)
      self = .array(a)
    default:
      self = .object(JSONObject())
      set(newValue, components: components)
    }
  }
}
