import JSON

/// The structural diff of two JSON values: every difference, each located by a JSON Pointer.
///
/// Order is deterministic: members in the expected value's document order, then unexpected members sorted by key
/// (UTF-8 byte order); array items by index. Numbers compare by value (`46` equals `46.0`), object key order is
/// ignored. A value whose pointer matches an ``ignore`` pattern must be present with the same JSON type, and its
/// contents are not compared.
public struct JSONDiff: Sendable {
  /// Volatile-value patterns; `*` stands for any array index.
  public var ignore: [JSONPointer]

  /// A diff honouring `ignore`.
  public init(ignore: [JSONPointer] = []) {
    self.ignore = ignore
  }

  /// Every difference between `expected` and `actual`, in deterministic order; empty when they are equal.
  public func mismatches(expected: JSONValue, actual: JSONValue) -> [Mismatch] {
    var walker = Walker(patterns: ignore.map(\.tokens))
    walker.compare(expected, actual)
    return walker.found
  }

  /// Every difference between `expected` and `actual` (see ``JSONDiff``).
  public static func mismatches(expected: JSONValue, actual: JSONValue, ignore: [JSONPointer] = []) -> [Mismatch] {
    JSONDiff(ignore: ignore).mismatches(expected: expected, actual: actual)
  }

  /// The values of `value` an ignore `pattern` matches (`*` matches any array index, as in a diff), in document
  /// order.
  public static func values(matching pattern: JSONPointer, in value: JSONValue) -> [JSONValue] {
    var found: [JSONValue] = []
    collect(pattern.tokens[...], value, into: &found)
    return found
  }

  private static func collect(_ tokens: ArraySlice<String>, _ value: JSONValue, into found: inout [JSONValue]) {
    guard let token = tokens.first else { return found.append(value) }
    switch value {
    case .object(let o): if let member = o[token] { collect(tokens.dropFirst(), member, into: &found) }
    case .array(let a):
      if token == "*" {
        for item in a { collect(tokens.dropFirst(), item, into: &found) }
      } else if let i = Int(token), a.indices.contains(i), String(i) == token {
        collect(tokens.dropFirst(), a[i], into: &found)
      }
    default: return
    }
  }

  private struct Walker {
    let patterns: [[String]]
    var tokens: [String] = []
    var isIndex: [Bool] = []
    var found: [Mismatch] = []

    init(patterns: [[String]]) {
      self.patterns = patterns
    }

    var pointer: JSONPointer { JSONPointer(tokens: tokens) }

    var isIgnored: Bool {
      guard !patterns.isEmpty else { return false }
      return patterns.contains { pattern in
        guard pattern.count == tokens.count else { return false }
        for i in pattern.indices where pattern[i] != tokens[i] {
          guard pattern[i] == "*" && isIndex[i] else { return false }
        }
        return true
      }
    }

    mutating func record(_ kind: Mismatch.Kind, _ expected: JSONValue?, _ actual: JSONValue?) {
      found.append(Mismatch(pointer: pointer, kind: kind, expected: expected, actual: actual))
    }

    mutating func push(_ token: String, index: Bool) {
      tokens.append(token)
      isIndex.append(index)
    }

    mutating func pop() {
      tokens.removeLast()
      isIndex.removeLast()
    }

    mutating func compare(_ expected: JSONValue, _ actual: JSONValue) {
      if isIgnored {
        if expected.typeName != actual.typeName { record(.changedType, expected, actual) }
        return
      }
      switch (expected, actual) {
      case (.object(let e), .object(let a)):
        compareObjects(e, a)
      case (.array(let e), .array(let a)):
        compareArrays(e, a)
      default:
        if expected.typeName != actual.typeName {
          record(.changedType, expected, actual)
        } else if expected != actual {
          record(.changedValue, expected, actual)
        }
      }
    }

    mutating func compareObjects(_ e: JSONObject, _ a: JSONObject) {
      var matched = 0
      for entry in e.entries {
        push(entry.key, index: false)
        if let other = a[entry.key] {
          matched += 1
          compare(entry.value, other)
        } else {
          record(.missingKey, entry.value, nil)
        }
        pop()
      }
      guard matched < a.count else { return }
      let extra = a.entries.filter { e[$0.key] == nil }.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
      for entry in extra {
        push(entry.key, index: false)
        record(.unexpectedKey, nil, entry.value)
        pop()
      }
    }

    mutating func compareArrays(_ e: [JSONValue], _ a: [JSONValue]) {
      if e.count != a.count { record(.arrayLength, .int(Int64(e.count)), .int(Int64(a.count))) }
      for i in 0..<max(e.count, a.count) {
        push(String(i), index: true)
        if i < e.count && i < a.count {
          compare(e[i], a[i])
        } else if i < e.count {
          record(.missingKey, e[i], nil)
        } else {
          record(.unexpectedKey, nil, a[i])
        }
        pop()
      }
    }
  }
}
