import Foundation
import JSON
import TikTokAds

/// The `--coverage` (JSON) and `--coverage-md` (Markdown) reports of a replay.
public enum CoverageReport {
  /// `{rows, covered, uncovered, byKind: {kind: {rows, covered}}, coverage: [{kind, row, cases}]}`, rows no case
  /// reached first.
  public static func json(_ rows: [(row: CoverageRow, cases: [String])]) -> JSONValue {
    var byKind = JSONObject()
    for kind in CoverageRow.Kind.allCases {
      let ofKind = rows.filter { $0.row.kind == kind }
      byKind[kind.rawValue] = [
        "rows": .int(Int64(ofKind.count)), "covered": .int(Int64(ofKind.filter { !$0.cases.isEmpty }.count)),
      ]
    }
    let covered = rows.filter { !$0.cases.isEmpty }.count
    return [
      "tool": "tiktok-harness", "rows": .int(Int64(rows.count)), "covered": .int(Int64(covered)),
      "uncovered": .int(Int64(rows.count - covered)), "byKind": .object(byKind),
      "coverage": .array(
        rows.map {
          [
            "kind": .string($0.row.kind.rawValue), "row": .string($0.row.name),
            "cases": .array($0.cases.map(JSONValue.string)),
          ]
        }),
    ]
  }

  /// A summary line and a table (rows no case reached first), each covered row with up to five case names.
  public static func markdown(_ rows: [(row: CoverageRow, cases: [String])]) -> String {
    let covered = rows.filter { !$0.cases.isEmpty }.count
    var text = "# Mapping coverage\n\n\(covered) of \(rows.count) rows reached"
    text += covered == rows.count ? ".\n\n" : "; \(rows.count - covered) reached by no case (listed first).\n\n"
    text += "| kind | row | cases |\n|---|---|---|\n"
    for (row, cases) in rows {
      let names = cases.prefix(5).map { "`\($0)`" }.joined(separator: ", ")
      let more = cases.count > 5 ? " and \(cases.count - 5) more" : ""
      let cell = cases.isEmpty ? "**none**" : names + more
      text += "| \(row.kind.rawValue) | \(escape(row.name)) | \(cell) |\n"
    }
    return text
  }

  /// One line for the terminal.
  public static func summary(_ rows: [(row: CoverageRow, cases: [String])]) -> String {
    let uncovered = rows.filter { $0.cases.isEmpty }
    var line = "coverage: \(rows.count - uncovered.count) of \(rows.count) mapping rows reached"
    if !uncovered.isEmpty {
      line += "; not reached: " + uncovered.prefix(3).map { $0.row.description }.joined(separator: "; ")
      if uncovered.count > 3 { line += "; and \(uncovered.count - 3) more" }
    }
    return line
  }

  private static func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
