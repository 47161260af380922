/// Many paths looked up in one pass over a document (a path trie): each object on the way is walked once and each
/// of its keys matched against the keys the paths want there, instead of one scan of the object per path.
///
/// A path resolves as a chain of reads would: an object's member by key (a repeated key's last value), an array's
/// element by a component that Swift's `Int(_:)` reads as an index in range; anything else ends it (`nil`).
public struct JSONPathTable: Sendable {
  /// One step of the trie: the path that ends here (or -1), and its next steps `children[firstChild...]`, sorted by
  /// key length: those with keys of `n` bytes are `lengths[lengthStart + n]..<lengths[lengthStart + n + 1]`.
  struct Step {
    var path = -1
    var firstChild = 0
    var childCount = 0
    var lengthStart = 0
    var longestKey = -1
  }

  /// A next step: its key (`keyBytes[keyOffset..<keyOffset + keyLength]`), the array position the key names (or
  /// -1), and the step it leads to.
  struct Child {
    var step: Int
    var position: Int
    var keyOffset: Int
    var keyLength: Int
  }

  private let steps: [Step]
  private let children: [Child]
  private let lengths: [Int]
  private let keyBytes: [UInt8]
  /// The distinct paths, in first-given order.
  public let paths: [[String]]
  /// The number of distinct paths.
  public var count: Int { paths.count }

  /// A table for `paths`, each a list of components (an empty path is the root itself). Equal paths share a slot:
  /// ``index(of:)`` gives it.
  public init(_ paths: [[String]]) {
    // The trie, first with nested arrays.
    var trie: [(path: Int, keys: [String], next: [Int])] = [(-1, [], [])]
    var distinct: [[String]] = []
    for path in paths where !distinct.contains(path) {
      var at = 0
      for component in path {
        if let k = trie[at].keys.firstIndex(of: component) {
          at = trie[at].next[k]
        } else {
          trie.append((-1, [], []))
          trie[at].keys.append(component)
          trie[at].next.append(trie.count - 1)
          at = trie.count - 1
        }
      }
      trie[at].path = distinct.count
      distinct.append(path)
    }
    // Then flat, each step's children sorted by key length.
    var steps: [Step] = []
    var children: [Child] = []
    var lengths: [Int] = []
    var keyBytes: [UInt8] = []
    for node in trie {
      let order = node.keys.indices.sorted { node.keys[$0].utf8.count < node.keys[$1].utf8.count }
      let longest = order.last.map { node.keys[$0].utf8.count } ?? -1
      steps.append(
        Step(
          path: node.path, firstChild: children.count, childCount: order.count, lengthStart: lengths.count,
          longestKey: longest))
      for k in order {
        children.append(
          Child(
            step: node.next[k], position: Int(node.keys[k]) ?? -1, keyOffset: keyBytes.count,
            keyLength: node.keys[k].utf8.count))
        keyBytes += Array(node.keys[k].utf8)
      }
      for n in 0...(longest + 1) {
        lengths.append(order.firstIndex { node.keys[$0].utf8.count >= n } ?? order.count)
      }
    }
    self.steps = steps
    self.children = children
    self.lengths = lengths
    self.keyBytes = keyBytes
    self.paths = distinct
  }

  /// The slot of `path` in a ``Resolved`` (`nil` if the table does not hold it).
  public func index(of path: [String]) -> Int? { paths.firstIndex(of: path) }

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
    var found = [Int](repeating: -1, count: count)
    steps.withUnsafeBufferPointer { steps in
      children.withUnsafeBufferPointer { children in
        lengths.withUnsafeBufferPointer { lengths in
          keyBytes.withUnsafeBufferPointer { keyBytes in
            found.withUnsafeMutableBufferPointer { found in
              let walk = Walk(
                steps: steps, children: children, lengths: lengths, keyBytes: keyBytes, tape: root.tape, found: found)
              walk.visit(0, node: root.index)
            }
          }
        }
      }
    }
    return Resolved(tape: root.tape, found: found)
  }

  /// One resolution: the table's storage and the document, read in place.
  private struct Walk {
    let steps: UnsafeBufferPointer<Step>
    let children: UnsafeBufferPointer<Child>
    let lengths: UnsafeBufferPointer<Int>
    let keyBytes: UnsafeBufferPointer<UInt8>
    let tape: JSONTape
    let found: UnsafeMutableBufferPointer<Int>

    func key(_ child: Child) -> UnsafeBufferPointer<UInt8> {
      UnsafeBufferPointer(rebasing: keyBytes[child.keyOffset..<child.keyOffset + child.keyLength])
    }

    func visit(_ stepIndex: Int, node: Int) {
      let step = steps[stepIndex]
      if step.path >= 0 { found[step.path] = node }
      guard step.childCount > 0 else { return }
      let header = tape.nodes[node]
      let next = children[step.firstChild..<step.firstChild + step.childCount]
      switch header.kind {
      case .object where header.hasDuplicateKeys:
        // The last value of each wanted key, as a lookup finds it.
        for child in next {
          if let value = tape.member(of: node, key: key(child)) { visit(child.step, node: value) }
        }
      case .object:
        tape.forEachMember(of: node) { memberKey, value in
          let n = memberKey.count
          guard n <= step.longestKey else { return }
          for c in lengths[step.lengthStart + n]..<lengths[step.lengthStart + n + 1] {
            let child = children[step.firstChild + c]
            if JSONTape.bytesEqual(key(child), memberKey) {
              visit(child.step, node: value)
              return
            }
          }
        }
      case .array:
        for child in next where child.position >= 0 {
          if let element = JSONRef(tape: tape, index: node)[child.position] { visit(child.step, node: element.index) }
        }
      default:
        return
      }
    }
  }
}
