import Foundation
import TestSupport
import Testing

/// The project's Python scripts parse their arguments: `--help` prints help and writes nothing (it used to run
/// `Scripts/delivery/generate-golden.py`, rewriting `Golden/delivery/`), an unknown argument is refused.
@Suite struct ScriptArgumentTests {
  static let python: URL? = ["/usr/bin/python3", "/usr/local/bin/python3"].map(URL.init(fileURLWithPath:))
    .first { FileManager.default.isExecutableFile(atPath: $0.path) }

  static let scripts = [
    "Scripts/delivery/generate-golden.py", "Scripts/golden/generate.py", "Fuzz/make_seeds.py",
    "Benchmarks/transformer/make_events.py", "Benchmarks/transformer/baseline.py",
  ]

  @Test(.enabled(if: python != nil, "needs python3"), arguments: scripts)
  func helpPrintsHelpAndWritesNothing(script: String) throws {
    let python = try #require(Self.python)
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let path = Paths.packageRoot.appendingPathComponent(script).path
    let help = try Harness.runProcess(python, [path, "--help"], currentDirectory: dir.url)
    #expect(help.status == 0, "\(help.stderr)")
    #expect(help.stdout.hasPrefix("usage: "), "\(help.stdout.prefix(200))")
    let bogus = try Harness.runProcess(python, [path, "--bogus", "x", "y", "z"], currentDirectory: dir.url)
    #expect(bogus.status == 2, "\(bogus.stdout)\(bogus.stderr)")
    #expect(bogus.stderr.contains("unrecognized arguments") || bogus.stderr.contains("invalid"), "\(bogus.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).isEmpty, "\(script) wrote files")
  }
}
