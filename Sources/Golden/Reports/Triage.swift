import JSON

/// Groups the differences of many failing cases by where and how they differ, so a change that touches every
/// case (a new envelope field, a type change) reads as one line instead of a wall of diffs.
public struct Triage: Sendable {
  /// One group: the same kind of difference at the same place (array indices folded to `*`).
  public struct Group: Sendable, Equatable {
    /// The pointer with every array index replaced by `*`.
    public var pattern: String
    /// The kind of difference; for type changes, `changed type string → number`.
    public var label: String
    /// How many cases show it.
    public var cases: Int
    /// The first case that shows it.
    public var example: String
  }

  /// The groups, most frequent first, then by pattern.
  public private(set) var groups: [Group] = []

  /// Groups the mismatches of `results` (failed and updated cases).
  public init(_ results: [CaseResult]) {
    var index: [String: Int] = [:]
    for result in results {
      var seen: Set<String> = []
      for m in result.mismatches {
        let pattern = Self.pattern(m.pointer)
        var label = m.kind.rawValue
        if m.kind == .changedType { label += " \(m.expected?.typeName ?? "?") → \(m.actual?.typeName ?? "?")" }
        let key = pattern + "\u{0}" + label
        guard seen.insert(key).inserted else { continue }
        if let i = index[key] {
          groups[i].cases += 1
        } else {
          index[key] = groups.count
          groups.append(Group(pattern: pattern, label: label, cases: 1, example: result.name))
        }
      }
    }
    groups.sort { ($0.cases, $1.pattern) > ($1.cases, $0.pattern) }
  }

  /// `pointer` with each all-digit token replaced by `*`.
  static func pattern(_ pointer: JSONPointer) -> String {
    let folded = pointer.tokens.map { token in
      !token.isEmpty && token.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } ? "*" : token
    }
    return JSONPointer(tokens: folded).description
  }
}
