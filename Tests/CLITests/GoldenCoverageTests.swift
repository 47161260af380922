import Foundation
import JSON
import TestSupport
import Testing

/// The committed corpus reaches every row of the mapping (issue 13 §3): `replay --coverage` on `Golden/`, through
/// the built binary, reports no uncovered row. A change to the mapping that adds a row (a source path, a check, a
/// rule) without a golden case that reaches it fails here, naming the row.
@Suite struct GoldenCoverageTests {
  /// Runs `replay PATHS --coverage` from the package root and returns the exit status, standard error and report.
  static func coverage(of paths: [String]) throws -> (status: Int32, stderr: String, report: JSONValue) {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = dir.url.appendingPathComponent("coverage.json").path
    let r = try Harness.run(["replay", "--quiet"] + paths + ["--coverage", file], currentDirectory: Paths.packageRoot)
    let report = try JSONValue.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: file))))
    return (r.status, r.stderr, report)
  }

  @Test("replay --coverage on Golden/ reaches every mapping row")
  func goldenReachesEveryRow() throws {
    let (status, stderr, report) = try Self.coverage(of: ["Golden"])
    #expect(status == 0, "\(stderr)")
    let rows = try #require(report["coverage"]?.arrayValue)
    let unreached = rows.filter { $0["cases"]?.arrayValue?.isEmpty ?? true }.map {
      "\($0["kind"]?.stringValue ?? "?"): \($0["row"]?.stringValue ?? "?")"
    }
    #expect(unreached.isEmpty, "rows no golden case reaches:\n\(unreached.joined(separator: "\n"))")
    #expect(report["uncovered"] == 0)
    let total = try #require(report["rows"]?.int64Value)
    #expect(total > 300 && report["covered"]?.int64Value == total)
    #expect(stderr.contains("coverage: \(total) of \(total) mapping rows reached"), "\(stderr)")
  }

  /// The other side: a part of the corpus leaves rows unreached, and the report says so.
  @Test("replay --coverage on one suite of Golden/ reports the rows it leaves unreached")
  func oneSuiteLeavesRowsUnreached() throws {
    let (status, stderr, report) = try Self.coverage(of: ["Golden/v1"])
    #expect(status == 0, "\(stderr)")
    let uncovered = try #require(report["uncovered"]?.int64Value)
    #expect(uncovered > 0)
    #expect(stderr.contains("not reached: "), "\(stderr)")
    let rows = try #require(report["coverage"]?.arrayValue)
    #expect(rows.contains { $0["row"] == "v2 user.zip_code ← traits.zip" && $0["cases"] == [] })
  }
}
