import JSON

/// The parts of a value the minimizer must not remove or change, as JSON Pointer patterns (`*` stands for any
/// array index, as in a golden case's `ignore`).
///
/// Protection is what keeps a minimized request a request: the envelope that makes it routable and parseable is
/// kept even when dropping it would keep the property being minimized for.
public struct Protection: Sendable {
  /// Members or items that are never removed; what is inside them may still shrink.
  public var kept: [JSONPointer]
  /// Values that are never removed nor changed, nor anything inside them.
  public var frozen: [JSONPointer]
  /// Containers that always keep at least one member or item.
  public var nonEmpty: [JSONPointer]

  /// A protection; the default protects nothing.
  public init(kept: [JSONPointer] = [], frozen: [JSONPointer] = [], nonEmpty: [JSONPointer] = []) {
    self.kept = kept
    self.frozen = frozen
    self.nonEmpty = nonEmpty
  }

  /// `true` when the value at `pointer` may be removed from its container.
  public func mayRemove(_ pointer: JSONPointer) -> Bool {
    !kept.contains { $0.matches(pointer) } && mayChange(pointer)
  }

  /// `true` when the value at `pointer` may be changed (it is not in a frozen value).
  public func mayChange(_ pointer: JSONPointer) -> Bool {
    var prefix = pointer
    while true {
      if frozen.contains(where: { $0.matches(prefix) }) { return false }
      guard let parent = prefix.parent else { return true }
      prefix = parent
    }
  }

  /// The fewest members the container at `pointer` may be left with.
  public func minimumCount(_ pointer: JSONPointer) -> Int {
    nonEmpty.contains { $0.matches(pointer) } ? 1 : 0
  }
}
