import Foundation
import TestSupport
import Testing

/// `swift test` passes on a fresh clone with nothing beside it: every suite that reads `../shared` is run again,
/// in a child process of this test bundle, with `TIKTOK_HARNESS_SHARED` pointing at a folder that does not exist;
/// its tests must skip (with a message), not fail. (CI always has `../shared`; `.ci/run` checks that it is there.)
@Suite struct SharedFolderTests {
  /// The suites declared in test files that mention the shared folder, found in the sources so the list keeps up.
  static func suitesReadingShared() throws -> [String] {
    let tests = Paths.packageRoot.appendingPathComponent("Tests")
    var suites: [String] = []
    let walker = FileManager.default.enumerator(atPath: tests.path)
    while let name = walker?.nextObject() as? String {
      guard name.hasSuffix(".swift"), !name.hasPrefix("TestSupport/"), !name.hasSuffix("SharedFolderTests.swift")
      else { continue }
      let text = try String(contentsOf: tests.appendingPathComponent(name), encoding: .utf8)
      guard ["upstreamVectors", "Paths.shared", "DeliveryVectors"].contains(where: text.contains) else { continue }
      for line in text.split(separator: "\n") {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "{" || $0 == ":" })
        if let i = words.firstIndex(of: "struct"), i + 1 < words.count, line.contains("@Suite") || i == 0 {
          suites.append(String(words[i + 1]))
        }
      }
    }
    return suites.sorted()
  }

  @Test func testsThatNeedSharedSkipWhenItIsAbsent() throws {
    let suites = try Self.suitesReadingShared()
    #expect(suites.contains("UpstreamVectorTests") && suites.contains("ProxyOutputVectorTests"), "\(suites)")
    let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-shared-\(UUID().uuidString)")
    let r = try Harness.runProcess(
      bundle, ["--testing-library", "swift-testing", "--filter", suites.joined(separator: "|")],
      environment: ["TIKTOK_HARNESS_SHARED": missing.path, "NO_COLOR": "1"], currentDirectory: Paths.packageRoot,
      timeout: 240)
    let output = r.stdout + r.stderr
    #expect(r.status == 0, "the suites that read ../shared failed without it:\n\(output.suffix(4000))")
    #expect(
      output.contains("vectorsAreFound() skipped: \"needs ../shared/conformance/upstream"), "\(output.suffix(3000))")
    #expect(output.contains("cases (../shared/conformance/upstream)\" skipped: \"needs"), "\(output.suffix(3000))")
  }
}
