/// A row of the mapping that an event can exercise: an output field from one source path, an event name, a
/// check of spec §3 (or a runtime failure), a spec rule, a batching rule. `replay --coverage` lists every row with
/// the cases that reached it; `record --dedupe` keeps an event when it reaches a row, or a set of rows, no earlier
/// event did.
public struct CoverageRow: Hashable, Sendable, Comparable, CustomStringConvertible {
  public enum Kind: String, Sendable, CaseIterable {
    case field, eventName = "event name", check, rule, batching
  }

  public let kind: Kind
  /// The row's name, unique within its kind (`v2 user.email ← context.traits.email`).
  public let name: String

  public var description: String { "\(kind.rawValue): \(name)" }

  public static func < (a: CoverageRow, b: CoverageRow) -> Bool {
    (Kind.allCases.firstIndex(of: a.kind) ?? 0, a.name) < (Kind.allCases.firstIndex(of: b.kind) ?? 0, b.name)
  }

  // MARK: Constructors shared by the recording points and the list of all rows

  static func version(_ isV2: Bool) -> String { isV2 ? "v2" : "v1" }

  static func field(_ isV2: Bool, _ destination: String, _ source: String) -> CoverageRow {
    CoverageRow(kind: .field, name: "\(version(isV2)) \(destination) ← \(source)")
  }

  static func event(_ isV2: Bool, _ rule: String) -> CoverageRow {
    CoverageRow(kind: .eventName, name: "\(version(isV2)) \(rule)")
  }

  static func check(_ isV2: Bool?, _ name: String) -> CoverageRow {
    CoverageRow(kind: .check, name: isV2.map { "\(version($0)) \(name)" } ?? name)
  }

  static func rule(_ rule: SpecRule) -> CoverageRow { CoverageRow(kind: .rule, name: rule.id) }

  static func batching(_ name: String) -> CoverageRow { CoverageRow(kind: .batching, name: name) }
}
