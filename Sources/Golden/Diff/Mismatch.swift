import JSON

/// One difference between an expected and an actual JSON value, located by a JSON Pointer.
///
/// Mismatches are findings, not errors: a diff returns all of them, in a deterministic order.
public struct Mismatch: Sendable, Equatable {
  /// How the two values differ at ``pointer``.
  public enum Kind: String, Sendable, Equatable, CaseIterable {
    /// Same JSON type, different value (numbers compare by value: `46` equals `46.0`).
    case changedValue = "changed value"
    /// Different JSON types, e.g. string → number (the `content_id` regression).
    case changedType = "changed type"
    /// Expected has the member (or array item); actual does not.
    case missingKey = "missing"
    /// Actual has a member (or array item) that expected does not.
    case unexpectedKey = "unexpected"
    /// The arrays have different lengths; ``expected`` and ``actual`` hold the two counts.
    case arrayLength = "array length"
  }

  /// Where the values differ, relative to the compared roots.
  public var pointer: JSONPointer
  /// How they differ.
  public var kind: Kind
  /// The expected value (`nil` for ``Kind/unexpectedKey``); the expected count for ``Kind/arrayLength``.
  public var expected: JSONValue?
  /// The actual value (`nil` for ``Kind/missingKey``); the actual count for ``Kind/arrayLength``.
  public var actual: JSONValue?

  /// Creates a mismatch.
  public init(pointer: JSONPointer, kind: Kind, expected: JSONValue?, actual: JSONValue?) {
    self.pointer = pointer
    self.kind = kind
    self.expected = expected
    self.actual = actual
  }

  /// One line: `POINTER: kind: expected X, got Y`, values shortened to `limit` characters and secrets masked.
  public func summary(limit: Int = 80) -> String {
    let e = expected.map { Self.display($0, at: pointer, limit: limit) }
    let a = actual.map { Self.display($0, at: pointer, limit: limit) }
    let at = pointer.description.isEmpty ? "(root)" : pointer.description
    switch kind {
    case .changedValue: return "\(at): changed value: expected \(e ?? "?"), got \(a ?? "?")"
    case .changedType:
      return
        "\(at): changed type \(expected?.typeName ?? "?") → \(actual?.typeName ?? "?"): expected \(e ?? "?"), got \(a ?? "?")"
    case .missingKey: return "\(at): missing: expected \(e ?? "?")"
    case .unexpectedKey: return "\(at): unexpected: got \(a ?? "?")"
    case .arrayLength:
      return "\(at): array length: expected \(e ?? "?") items, got \(a ?? "?")"
    }
  }

  /// `value` as compact JSON shortened to `limit` characters, or a mask when `pointer` names a secret.
  public static func display(_ value: JSONValue, at pointer: JSONPointer, limit: Int) -> String {
    if SecretMask.isSecret(pointer), case .string(let s) = value { return SecretMask.mask(s) }
    let text = SecretMask.scrub(value).compactString()
    guard limit > 0, text.count > limit else { return text }
    return String(text.prefix(max(limit - 1, 1))) + "…"
  }
}
