#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Selects cases by name with shell globs (`*`, `?`, `[...]`; `*` also matches `/`). No globs selects everything.
public struct CaseFilter: Sendable, Equatable {
  /// The globs; a case is selected when any matches its whole name.
  public var globs: [String]

  /// A filter; an empty list selects every case.
  public init(globs: [String] = []) {
    self.globs = globs
  }

  /// `true` when `name` is selected.
  public func matches(_ name: String) -> Bool {
    guard !globs.isEmpty else { return true }
    return globs.contains { fnmatch($0, name, 0) == 0 }
  }
}
