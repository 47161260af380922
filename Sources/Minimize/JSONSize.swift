import JSON

/// How big a JSON value is: bytes of compact JSON, and leaves (scalars and empty containers).
public struct JSONSize: Sendable, Equatable, CustomStringConvertible {
  /// Bytes of the value written as compact JSON.
  public var bytes: Int
  /// Scalars (strings, numbers, booleans, nulls) and empty objects or arrays.
  public var leaves: Int

  /// The size of `value`.
  public init(of value: JSONValue) {
    bytes = value.compactBytes().count
    leaves = Self.leafCount(value)
  }

  /// `N bytes, M leaves`.
  public var description: String { "\(bytes) bytes, \(leaves) leaves" }

  private static func leafCount(_ value: JSONValue) -> Int {
    switch value {
    case .object(let object): return object.isEmpty ? 1 : object.entries.reduce(0) { $0 + leafCount($1.value) }
    case .array(let items): return items.isEmpty ? 1 : items.reduce(0) { $0 + leafCount($1) }
    default: return 1
    }
  }
}
