import JSON

/// A Markdown summary sized for a pull-request comment (GitHub allows 65,536 characters).
public enum MarkdownReport {
  /// The comment text; failing cases get a collapsible table of differences, capped to fit.
  public static func render(
    _ results: [CaseResult], summary: RunSummary, transformer: String, characterBudget: Int = 60_000
  ) -> String {
    let icon = summary.exitStatus == 0 ? "✅" : "❌"
    var md = "### \(icon) TikTok Ads golden replay: \(summary.line)\n\n"
    md += "Transformer: `\(code(transformer))`. Cases: \(summary.total).\n\n"
    md += "| outcome | cases |\n|---|---:|\n"
    for (label, n) in [
      ("passed", summary.passed), ("failed", summary.failed), ("updated", summary.updated),
      ("malformed", summary.malformed), ("skipped", summary.skipped),
    ] where n > 0 || label == "passed" || label == "failed" {
      md += "| \(label) | \(n) |\n"
    }
    let interesting = results.filter { r in
      if case .passed = r.outcome { return false }
      return true
    }
    // The triage table compares cases that differ; malformed, skipped and errored cases have nothing to group.
    let differing = interesting.filter { !$0.mismatches.isEmpty }
    let triage = Triage(differing)
    if differing.count > 1 && !triage.groups.isEmpty {
      md += "\n**Most common differences**\n\n| cases | where | what | example |\n|---:|---|---|---|\n"
      for g in triage.groups.prefix(10) {
        md +=
          "| \(g.cases) | `\(code(g.pattern.isEmpty ? "(root)" : g.pattern))` | \(cell(g.label)) | `\(code(g.example))` |\n"
      }
    }
    var omitted = 0
    for r in interesting {
      var block = "\n<details><summary><b>\(r.status)</b> <code>\(html(r.name))</code>"
      if !r.mismatches.isEmpty { block += " — \(r.mismatches.count) difference\(r.mismatches.count == 1 ? "" : "s")" }
      block += "</summary>\n\n`\(code(r.location))`\n\n"
      if let message = r.message { block += "\(cell(message))\n\n" }
      if !r.mismatches.isEmpty {
        block += "| pointer | kind | expected | actual |\n|---|---|---|---|\n"
        for m in r.mismatches.prefix(30) {
          let e = m.expected.map { Mismatch.display($0, at: m.pointer, limit: 80) } ?? ""
          let a = m.actual.map { Mismatch.display($0, at: m.pointer, limit: 80) } ?? ""
          block +=
            "| `\(code(m.pointer.description))` | \(m.kind.rawValue) | \(e.isEmpty ? "" : "`\(code(e))`") | \(a.isEmpty ? "" : "`\(code(a))`") |\n"
        }
        if r.mismatches.count > 30 { block += "\n… and \(r.mismatches.count - 30) more.\n" }
      }
      block += "\n</details>\n"
      if md.utf8.count + block.utf8.count > characterBudget - 200 {
        omitted += 1
        continue
      }
      md += block
    }
    if omitted > 0 {
      md += "\n_\(omitted) more case\(omitted == 1 ? "" : "s") omitted to fit; see the JSON or JUnit report._\n"
    }
    if summary.failed > 0 {
      md += "\nTo accept intended changes locally: `swift run tiktok-harness replay --update` (refused under `CI`).\n"
    }
    return md
  }

  /// Text inside a code span in a table cell: backticks and pipes cannot appear raw.
  private static func code(_ text: String) -> String {
    text.replacing("`", with: "ˋ").replacing("|", with: "\\|")
      .replacing("\n", with: " ")
  }

  /// Plain text in a table cell.
  private static func cell(_ text: String) -> String {
    html(text).replacing("|", with: "\\|").replacing("\n", with: " ")
  }

  private static func html(_ text: String) -> String {
    text.replacing("&", with: "&amp;").replacing("<", with: "&lt;")
      .replacing(">", with: "&gt;")
  }
}
