/// Many paths looked up in one pass over a document (a path trie): each object on the way is walked once and each
/// of its keys matched against the keys the paths want there, instead of one scan of the object per path.
///
/// A path resolves as a chain of reads would: an object's member by key (a repeated key's last value), an array's
/// element by a component that Swift's `Int(_:)` reads as an index in range; anything else ends it (`nil`).
public struct JSONPathTable: Sendable {
  /// One step of the trie: the paths that end here, and the next steps by key.
  struct Step: Sendable {
    /// The path (index into the table's paths) that ends at this step, if any.
    var path: Int?
    /// The next steps, sorted by key length (`byLength[n]..<byLength[n + 1]` have keys of `n` bytes).
    var keys: [[UInt8]] = []
    var indices: [Int?] = []
    var children: [Int] = []
    var byLength: [Int] = [0]
  }

  private let steps: [Step]
  /// The number of distinct paths.
  public let count: Int

  /// A table for `paths`, each a list of components (an empty path is the root itself). Equal paths share a slot:
  /// ``index(of:)`` gives it.
  public init(_ paths: [[String]]) {
    var steps = [Step()]
    var distinct: [[String]] = []
    for path in paths where !distinct.contains(path) {
      var at = 0
      for component in path {
        let key = Array(component.utf8)
        if let k = steps[at].keys.firstIndex(of: key) {
          at = steps[at].children[k]
        } else {
          steps.append(Step())
          steps[at].keys.append(key)
          steps[at].indices.append(Int(component))
          steps[at].children.append(steps.count - 1)
          at = steps.count - 1
        }
      }
      steps[at].path = distinct.count
      distinct.append(path)
    }
    self.steps = steps.map(Self.sortedByLength)
    self.paths = distinct
    count = distinct.count
  }

  /// The distinct paths, in first-given order.
  public let paths: [[String]]

  /// The slot of `path` in a ``Resolved`` (`nil` if the table does not hold it).
  public func index(of path: [String]) -> Int? { paths.firstIndex(of: path) }

  private static func sortedByLength(_ step: Step) -> Step {
    let order = step.keys.indices.sorted { step.keys[$0].count < step.keys[$1].count }
    var sorted = Step(path: step.path)
    sorted.keys = order.map { step.keys[$0] }
    sorted.indices = order.map { step.indices[$0] }
    sorted.children = order.map { step.children[$0] }
    let longest = sorted.keys.last?.count ?? 0
    sorted.byLength = (0...longest + 1).map { n in sorted.keys.firstIndex { $0.count >= n } ?? sorted.keys.count }
    return sorted
  }

  /// What each path found in one document.
  public struct Resolved {
    let tape: JSONTape
    var found: [Int]

    /// The value at path `slot`, or `nil` when the path leads nowhere.
    public subscript(slot: Int) -> JSONRef? {
      let index = found[slot]
      return index < 0 ? nil : JSONRef(tape: tape, index: index)
    }
  }

  /// Resolves every path from `root`.
  public func resolve(from root: JSONRef) -> Resolved {
    var resolved = Resolved(tape: root.tape, found: [Int](repeating: -1, count: count))
    visit(0, node: root.index, tape: root.tape, into: &resolved.found)
    return resolved
  }

  private func visit(_ stepIndex: Int, node: Int, tape: JSONTape, into found: inout [Int]) {
    let step = steps[stepIndex]
    if let path = step.path { found[path] = node }
    guard !step.children.isEmpty else { return }
    let header = tape.nodes[node]
    switch header.kind {
    case .object where header.hasDuplicateKeys:
      // The last value of each wanted key, as a lookup finds it.
      for k in step.keys.indices {
        let value = step.keys[k].withUnsafeBufferPointer { tape.member(of: node, key: $0) }
        if let value { visit(step.children[k], node: value, tape: tape, into: &found) }
      }
    case .object:
      tape.forEachMember(of: node) { key, value in
        guard key.count + 1 < step.byLength.count else { return }
        for k in step.byLength[key.count]..<step.byLength[key.count + 1] {
          let matches = step.keys[k].withUnsafeBufferPointer { JSONTape.bytesEqual($0, key) }
          if matches {
            visit(step.children[k], node: value, tape: tape, into: &found)
            break
          }
        }
      }
    case .array:
      for k in step.keys.indices {
        guard let position = step.indices[k], let element = JSONRef(tape: tape, index: node)[position] else { continue }
        visit(step.children[k], node: element.index, tape: tape, into: &found)
      }
    default:
      return
    }
  }
}
