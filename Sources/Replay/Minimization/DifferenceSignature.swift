import Golden
import JSON

/// What differs between two transformers' answers, without the values: the set of differing places, each a JSON
/// Pointer into `{status, body}` with every array index written `*`, with the kind of difference.
///
/// Indices are wildcards because they are positions, not identities: dropping an input event shifts every later
/// output item (`/body/3/…` becomes `/body/2/…`) and batching packs events into different slots of `data`, yet the
/// difference is the same one. The cost is that the signature does not count: one event missing `currency` and five
/// events missing it have the same signature, which is what minimization wants (the smaller input keeps the
/// difference). Object member names are kept as they are. Values are left out, since shortening a string changes
/// the values that differ but not the difference.
public struct DifferenceSignature: Sendable, Hashable, CustomStringConvertible {
  /// One differing place.
  public struct Entry: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The place, array indices written `*`, e.g. `/body/*/output/body/JSON/data/*/properties/currency`.
    public var pointer: JSONPointer
    /// How the two answers differ there.
    public var kind: Mismatch.Kind

    /// An entry.
    public init(pointer: JSONPointer, kind: Mismatch.Kind) {
      self.pointer = pointer
      self.kind = kind
    }

    /// `POINTER: kind`.
    public var description: String {
      "\(pointer.description.isEmpty ? "(root)" : pointer.description): \(kind.rawValue)"
    }

    /// By pointer, then by kind.
    public static func < (a: Entry, b: Entry) -> Bool {
      a.pointer != b.pointer ? a.pointer < b.pointer : a.kind.rawValue < b.kind.rawValue
    }
  }

  /// The differing places, sorted.
  public let entries: [Entry]

  /// The signature of the difference between `expected` and `actual` (each `{status, body}`).
  public init(expected: JSONValue, actual: JSONValue) {
    let mismatches = JSONDiff().mismatches(expected: expected, actual: actual)
    let entries = Set(
      mismatches.map { Entry(pointer: Self.wildcarded($0.pointer, in: expected, or: actual), kind: $0.kind) })
    self.entries = entries.sorted()
  }

  /// `true` when the two answers are equal.
  public var isEmpty: Bool { entries.isEmpty }

  /// One entry per line.
  public var description: String { entries.map(\.description).joined(separator: "\n") }

  /// `pointer` with each token that indexes an array written `*`. Which tokens index arrays is read from the
  /// values themselves (a diff only descends where both have the same type), so an object member named `"0"`
  /// stays `0`.
  static func wildcarded(_ pointer: JSONPointer, in expected: JSONValue, or actual: JSONValue) -> JSONPointer {
    var tokens: [String] = []
    var a: JSONValue? = expected
    var b: JSONValue? = actual
    for token in pointer.tokens {
      let container = a ?? b
      if case .array = container {
        tokens.append("*")
      } else {
        tokens.append(token)
      }
      a = a?[JSONPointer(tokens: [token])]
      b = b?[JSONPointer(tokens: [token])]
    }
    return JSONPointer(tokens: tokens)
  }
}
