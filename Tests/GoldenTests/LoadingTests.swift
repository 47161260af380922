import Foundation
import Golden
import JSON
import TestSupport
import Testing

@Suite struct LoadingTests {
  private let validCase = """
    {
      "description": "x",
      "route": "POST /v0/destinations/tiktok_ads",
      "input": [],
      "expected": {"status": 200, "body": []}
    }
    """

  @Test func namesComeFromPathsAndVectorsFromTheirNameMember() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("Golden/v1/a.json", validCase)
    try dir.write("Golden/v1/sub/b.json", validCase)
    try dir.write("Golden/.hidden/c.json", validCase)
    try dir.write("vectors.json", "[\(validCase.replacing("\"x\"", with: "\"x\", \"name\": \"up/00\"")), \(validCase)]")
    let corpus = GoldenCorpus(paths: [dir.url.path + "/Golden", dir.url.path + "/vectors.json"])
    let names = corpus.files.flatMap { $0.load() }.map { entry -> String in
      if case .loaded(let c) = entry { return c.name }
      return "malformed"
    }
    #expect(names == ["v1/a", "v1/sub/b", "up/00", "vectors/01"])
  }

  @Test func syntaxErrorsNameLineAndColumn() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = try dir.write("bad.json", "{\n  \"route\": \"POST /routerTransform\",\n  \"input\": [1,,2]\n}")
    let entries = CaseFile(path: file.path, baseName: "bad").load()
    guard case .malformed(_, _, _, let error)? = entries.first else {
      Issue.record("expected a malformed entry")
      return
    }
    #expect(error.description.hasPrefix("\(file.path):3:15: "))
  }

  @Test func schemaErrorsPointAtTheMember() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let text = validCase.replacing("\"status\": 200", with: "\"status\": \"200\"")
    let file = try dir.write("schema.json", "[\n\(validCase),\n\(text)\n]")
    let entries = CaseFile(path: file.path, baseName: "schema").load()
    #expect(entries.count == 2)
    guard case .malformed(_, _, let index, let error) = entries[1] else {
      Issue.record("expected the second case to be malformed")
      return
    }
    #expect(index == 1)
    #expect(error.description.hasPrefix("\(file.path):12:16: "))
    #expect(error.description.contains("\"status\" must be an integer"))
  }

  @Test func unknownRoutesAreRejected() throws {
    #expect(Route("POST /v0/destinations/tiktok_ads/") == .processor)
    #expect(Route("post /routerTransform") == .router)
    #expect(Route("GET /nope") == nil)
  }

  @Test func filterGlobsMatchWholeNames() {
    let filter = CaseFilter(globs: ["v1/event-*", "errors/access-*"])
    #expect(filter.matches("v1/event-search"))
    #expect(filter.matches("errors/access-token-missing-v1"))
    #expect(!filter.matches("v2/event-search"))
    #expect(CaseFilter().matches("anything"))
  }

  @Test func updateIsRefusedUnderCI() {
    #expect(GoldenUpdater.refusal(environment: ["CI": "1"]) != nil)
    #expect(GoldenUpdater.refusal(environment: ["CI": "true"]) != nil)
    #expect(GoldenUpdater.refusal(environment: ["CI": "false"]) == nil)
    #expect(GoldenUpdater.refusal(environment: [:]) == nil)
  }
}
