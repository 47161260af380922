extension JSONValue {
  /// The value at `pointer`, or `nil` when a token names no member or element.
  ///
  /// Arrays take decimal tokens without leading zeros (`-`, the element past the end, finds nothing).
  public subscript(pointer: JSONPointer) -> JSONValue? {
    var current = self
    for token in pointer.tokens {
      switch current {
      case .object(let object):
        guard let next = object[token] else { return nil }
        current = next
      case .array(let elements):
        guard let i = JSONPointer.arrayIndex(token), i < elements.count else { return nil }
        current = elements[i]
      default:
        return nil
      }
    }
    return current
  }
}
