import Foundation
import TestSupport
import Testing

/// The README's "Minimize a difference between two transformers" example, run as written (with the built binary
/// instead of `swift build`): the Python stand-in, `minimize`, and the two replays. Skipped without `python3`.
@Suite("README: Minimize a difference between two transformers")
struct MinimizeReadmeTests {
  static let hasPython3: Bool = {
    let r = try? Harness.runProcess(
      URL(fileURLWithPath: "/usr/bin/env"), ["python3", "--version"], currentDirectory: Paths.packageRoot, timeout: 30)
    return r?.status == 0
  }()

  /// The section's text.
  static func section() throws -> Substring {
    let readme = try String(contentsOf: Paths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let start = try #require(readme.range(of: "## Minimize a difference between two transformers"))
    let rest = readme[start.upperBound...]
    let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
    return rest[..<end]
  }

  /// The section's first ```sh block, with the build lines pointed at the tested binary and the stand-in always
  /// stopped.
  static func script() throws -> String {
    let text = try section()
    let open = try #require(text.range(of: "```sh\n"))
    let close = try #require(text[open.upperBound...].range(of: "\n```\n"))
    var lines: [String] = []
    for line in text[open.upperBound..<close.lowerBound].split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("swift build") { continue }
      if line.hasPrefix("H=") {
        lines.append("H='\(Paths.harnessBinary.path)'")
        continue
      }
      lines.append(String(line))
    }
    // SIGKILL: a stand-in left running would hold the test's pipes open.
    return "trap 'kill -9 $STANDIN 2>/dev/null' EXIT\n" + lines.joined(separator: "\n") + "\n"
  }

  @Test(.enabled(if: hasPython3, "python3 is not installed")) func example() throws {
    let r = try Harness.runProcess(
      URL(fileURLWithPath: "/bin/bash"), ["-c", try Self.script()], currentDirectory: Paths.packageRoot, timeout: 240)
    let out = r.stdout.split(separator: "\n").map(String.init)
    #expect(out.filter { $0.hasPrefix("exit ") } == ["exit 0", "exit 0", "exit 1"], "\(r.stdout)\n\(r.stderr)")
    #expect(out.contains("1 passed, 0 failed"))
    #expect(out.contains("    /body/0/output/body/JSON/data/0/properties/currency: missing: expected \"P\""))
    // The report the README shows is the report the run printed (ports and temporary folders aside).
    let text = try Self.section()
    let shown = try #require(text.range(of: "```\nminimizing "))
    let block = text[text.index(shown.lowerBound, offsetBy: 4)...].prefix { $0 != "`" }
    #expect(block.split(separator: "\n").count == 7, "\(block)")
    for line in block.split(separator: "\n") where !line.contains("127.0.0.1") && !line.contains("/tmp/") {
      #expect(r.stderr.contains(line), "README shows \(line), the run printed:\n\(r.stderr)")
    }
    #expect(text.contains(#"`{"type": "track", "event": "Order Completed", "timestamp":"#))
  }
}
