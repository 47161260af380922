import Foundation
import HTTP
import JSON
import Testing

/// Replays every input kept under `Fixtures/fuzz-*` (findings of the libFuzzer targets in `Fuzz/`, fixed) through
/// the same properties the fuzz targets check.
@Suite struct FuzzRegressionTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func inputs(_ folder: String) -> [String] {
    let url = fixtures.appendingPathComponent(folder)
    return ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted().map { "\(folder)/\($0)" }
  }

  static func bytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
  }

  /// The limits `Fuzz/FuzzHTTP.swift` uses.
  static let fuzzLimits = HTTPParserLimits(
    maxRequestLine: 1024, maxHeaderBytes: 4096, maxHeaderCount: 32, maxBodyBytes: 65_536)

  @Test(arguments: inputs("fuzz-http"))
  func httpInput(_ name: String) throws {
    let all = try Self.bytes(name)
    try #require(!all.isEmpty)
    let cut = Int(all[0])
    let stream = Array(all.dropFirst())
    let whole = HTTPParserPropertyTests.run(stream, cuts: [], limits: Self.fuzzLimits)
    let split = HTTPParserPropertyTests.run(stream, cuts: [1 + cut % 7, 1 + cut, 3], limits: Self.fuzzLimits)
    #expect(whole == split)
  }

  @Test(arguments: inputs("fuzz-json"))
  func jsonInput(_ name: String) throws {
    JSONPropertyTests.checkRoundTrip(try Self.bytes(name))
  }

  @Test(arguments: inputs("fuzz-mock"))
  func mockInput(_ name: String) throws {
    JSONScanTests.agree(try Self.bytes(name))
  }

  @Test func everyFixtureFolderIsKnown() throws {
    let folders = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path)
    #expect(Set(folders).isSubset(of: ["fuzz-http", "fuzz-json", "fuzz-mock", "fuzz-transformer"]), "\(folders)")
  }
}
