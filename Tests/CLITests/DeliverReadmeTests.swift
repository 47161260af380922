import Foundation
import TestSupport
import Testing

/// The README's "Validating error handling" example, run as written (with the built binary instead of
/// `swift build`): events → transform --router → deliver to serve with a scenario → outcomes and journal.
@Suite("README: Validating error handling")
struct DeliverReadmeTests {
  /// The first ```sh block of the README section, with the build lines pointed at the tested binary.
  static func script() throws -> String {
    let readme = try String(contentsOf: Paths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let section = try #require(readme.range(of: "## Validating error handling"), "README has no such section")
    let rest = readme[section.upperBound...]
    let open = try #require(rest.range(of: "```sh\n"))
    let close = try #require(rest[open.upperBound...].range(of: "\n```\n"))
    var lines: [String] = []
    for line in rest[open.upperBound..<close.lowerBound].split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("swift build") { continue }
      if line.hasPrefix("H=") {
        lines.append("H='\(Paths.harnessBinary.path)'")
        continue
      }
      lines.append(String(line))
    }
    // Never leave the mock behind, whatever happens in the block.
    return "trap 'kill $MOCK 2>/dev/null' EXIT\n" + lines.joined(separator: "\n") + "\n"
  }

  @Test("the example's outcomes, gate and journal are as the README says")
  func example() throws {
    let script = try Self.script()
    #expect(script.contains("--scenario delivery-errors"))
    let r = try Harness.runProcess(
      URL(fileURLWithPath: "/bin/bash"), ["-c", script], currentDirectory: Paths.packageRoot, timeout: 60)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    let outcomes = lines.filter { $0.first?.isNumber == true }.map {
      $0.split(separator: " ").prefix(3).joined(separator: " ")
    }
    #expect(
      outcomes == ["1 success 200", "2 success 200", "3 throttled 429", "4 aborted 400", "5 aborted 400"],
      "\(r.stdout)\n\(r.stderr)")
    #expect(lines.contains("exit 1"))
    #expect(r.stderr.contains("5 requests: 2 success, 2 aborted, 1 throttled, 0 retryable"))
    #expect(r.stderr.contains("unexpected: request 4 (/output/3/batchedRequest): aborted, expected success"))
    let journal = lines.filter { $0.hasPrefix("\"pixel\"") }
    #expect(
      journal == [
        "\"pixel\":\"PIXEL_A\"\t\"rule\":null", "\"pixel\":\"PIXEL_A\"\t\"rule\":null",
        "\"pixel\":\"PIXEL_A\"\t\"rule\":\"every-third-40100\"", "\"pixel\":\"PIXEL_X\"\t\"rule\":\"pixel-x-40002\"",
        "\"pixel\":\"PIXEL_X\"\t\"rule\":\"pixel-x-40002\"",
      ], "\(r.stdout)")
  }
}
