import JSON

/// Text for a terminal: one block per case that did not pass, a triage of common differences, and a last line
/// `N passed, M failed`. Colour only when asked (the CLI asks only on a TTY, and not under `NO_COLOR`).
public struct TerminalReport: Sendable {
  /// Whether to use ANSI colours.
  public var colour: Bool
  /// At most this many differences are printed per case (the JSON report has all of them).
  public var maxMismatchesPerCase: Int
  /// Values are shortened to this many characters.
  public var valueLimit: Int

  /// A terminal report.
  public init(colour: Bool, maxMismatchesPerCase: Int = 20, valueLimit: Int = 100) {
    self.colour = colour
    self.maxMismatchesPerCase = maxMismatchesPerCase
    self.valueLimit = valueLimit
  }

  private func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

  /// The lines for one case; empty for a passed case.
  public func block(for result: CaseResult) -> String {
    let head: String
    switch result.outcome {
    case .passed: return ""
    case .failed: head = paint("FAIL", "1;31")
    case .updated: head = paint("UPDATED", "1;33")
    case .malformed: head = paint("MALFORMED", "1;35")
    case .skipped: head = paint("SKIP", "33")
    case .error: head = paint("ERROR", "1;31")
    }
    var text = "\(head) \(result.name)  (\(result.location))\n"
    if let message = result.message { text += "    \(message)\n" }
    let mismatches = result.mismatches
    for m in mismatches.prefix(maxMismatchesPerCase) { text += "    \(m.summary(limit: valueLimit))\n" }
    if mismatches.count > maxMismatchesPerCase {
      text += "    … and \(mismatches.count - maxMismatchesPerCase) more (see --report json FILE)\n"
    }
    return text
  }

  /// The closing text: common differences (when several cases failed), a hint, and the counts line.
  public func footer(summary: RunSummary, triage: Triage?, updateHint: String?) -> String {
    var text = ""
    if let triage, triage.groups.count > 0, summary.failed + summary.updated > 1 {
      text += "\nmost common differences:\n"
      for g in triage.groups.prefix(10) {
        text +=
          "  \(g.cases) case\(g.cases == 1 ? "" : "s"): \(g.pattern.isEmpty ? "(root)" : g.pattern) \(g.label) (e.g. \(g.example))\n"
      }
    }
    if summary.failed > 0, let updateHint { text += "\n\(updateHint)\n" }
    let line = summary.line
    let coloured = summary.exitStatus == 0 ? paint(line, "32") : paint(line, "1;31")
    text += "\n" + coloured + "\n"
    return text
  }
}
