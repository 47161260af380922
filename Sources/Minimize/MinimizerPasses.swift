import JSON

extension MinimizerSearch {
  /// Pass 1: ddmin over the removable members of the container at `path`, then the same below each member left.
  func reduceMembers(at path: TreePath) {
    guard !stopped, protection.mayChange(path.pointer), let node = current.value(at: path), node.isContainer else {
      return
    }
    let steps = node.childSteps
    let removable = steps.indices.filter { protection.mayRemove((path + [steps[$0]]).pointer) }
    if !removable.isEmpty {
      let keepAtLeast = max(0, protection.minimumCount(path.pointer) - (steps.count - removable.count))
      ddmin(removable, keepAtLeast: keepAtLeast) { removed in
        accept(current.replacing(at: path[...], with: node.removingChildren(at: removed)))
      }
    }
    guard let after = current.value(at: path) else { return }
    for step in after.childSteps where after.value(at: [step])?.isContainer == true {
      reduceMembers(at: path + [step])
    }
  }

  /// Pass 2: every string and number that may change, simplified while the test holds.
  func simplifyScalars() {
    var paths: [TreePath] = []
    collectScalars(current, at: [], into: &paths)
    for path in paths where !stopped {
      switch current.value(at: path) {
      case .string(let text): shorten(text, at: path)
      case .int, .double, .numberLiteral: simplifyNumber(at: path)
      default: break
      }
    }
  }

  private func collectScalars(_ value: JSONValue, at path: TreePath, into paths: inout [TreePath]) {
    guard protection.mayChange(path.pointer) else { return }
    switch value {
    case .string, .int, .double, .numberLiteral: paths.append(path)
    default:
      for step in value.childSteps {
        if let child = value.value(at: [step]) { collectScalars(child, at: path + [step], into: &paths) }
      }
    }
  }

  /// ddmin over the Unicode scalars of `text` (the empty string first).
  private func shorten(_ text: String, at path: TreePath) {
    let scalars = Array(text.unicodeScalars)
    ddmin(Array(scalars.indices), keepAtLeast: 0) { removed in
      var view = String.UnicodeScalarView()
      for (i, scalar) in scalars.enumerated() where !removed.contains(i) { view.append(scalar) }
      return accept(current.replacing(at: path[...], with: .string(String(view))))
    }
  }

  /// Tries the simpler numbers of ``NumberReduction`` in turn, from each accepted one again, until none holds.
  private func simplifyNumber(at path: TreePath) {
    var improved = true
    while improved && !stopped, let value = current.value(at: path) {
      improved = false
      for candidate in NumberReduction.simpler(than: value) where !stopped {
        if accept(current.replacing(at: path[...], with: candidate)) {
          improved = true
          break
        }
      }
    }
  }

  /// The final pass: each removable member or item removed alone. Returns how many removals were checked, and
  /// whether one kept the test (it is then accepted, and the caller goes on minimizing).
  func checkOneMinimal() -> (checked: Int, removed: Bool) {
    var checked = 0
    var removed = false
    func visit(_ path: TreePath) {
      guard !removed, !stopped, protection.mayChange(path.pointer), let node = current.value(at: path) else { return }
      let steps = node.childSteps
      let removable = steps.indices.filter { protection.mayRemove((path + [steps[$0]]).pointer) }
      let keepAtLeast = max(0, protection.minimumCount(path.pointer) - (steps.count - removable.count))
      if removable.count > keepAtLeast {
        for i in removable {
          if accept(current.replacing(at: path[...], with: node.removingChildren(at: [i]))) {
            removed = true
            return
          }
          if stopped { return }
          checked += 1
        }
      }
      for step in steps { visit(path + [step]) }
    }
    visit([])
    return (checked, removed)
  }
}
