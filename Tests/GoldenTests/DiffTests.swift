import Golden
import JSON
import Testing

@Suite struct DiffTests {
  private func diff(_ e: String, _ a: String, ignore: [String] = []) throws -> [Mismatch] {
    let patterns = try ignore.map { try JSONPointer(parsing: $0) }
    return JSONDiff.mismatches(expected: try JSONValue.parse(e), actual: try JSONValue.parse(a), ignore: patterns)
  }

  @Test func equalValuesHaveNoMismatches() throws {
    #expect(try diff(#"{"a":[1,2,{"b":46}],"c":"x"}"#, #"{"c":"x","a":[1,2,{"b":46.0}]}"#).isEmpty)
  }

  @Test func everyKindIsReportedWithItsPointer() throws {
    let found = try diff(
      #"{"a":1,"b":"x","c":[1,2,3],"d":{"e/f":true},"m":0}"#,
      #"{"a":2,"b":5,"c":[1,2],"d":{"e/f":true,"z":null},"y":1,"x":2}"#)
    let lines = found.map { "\($0.pointer) \($0.kind.rawValue)" }
    #expect(
      lines == [
        "/a changed value", "/b changed type", "/c array length", "/c/2 missing", "/d/z unexpected", "/m missing",
        "/x unexpected", "/y unexpected",
      ])
    #expect(found[2].expected == 3 && found[2].actual == 2)
  }

  @Test func pointersAreEscaped() throws {
    let found = try diff(#"{"a/b":{"c~d":1}}"#, #"{"a/b":{"c~d":2}}"#)
    #expect(found.map(\.pointer.description) == ["/a~1b/c~0d"])
  }

  @Test func ignoredValuesMustKeepTheirType() throws {
    let ignore = ["/items/*/id", "/time"]
    #expect(
      try diff(
        #"{"items":[{"id":"a"},{"id":"b"}],"time":1}"#, #"{"items":[{"id":"x"},{"id":"y"}],"time":2}"#, ignore: ignore
      ).isEmpty)
    let typeChange = try diff(#"{"items":[{"id":"a"}],"time":1}"#, #"{"items":[{"id":7}],"time":1}"#, ignore: ignore)
    #expect(typeChange.map(\.kind) == [.changedType])
    let missing = try diff(#"{"items":[{"id":"a"}],"time":1}"#, #"{"items":[{}],"time":1}"#, ignore: ignore)
    #expect(missing.map { "\($0.pointer) \($0.kind.rawValue)" } == ["/items/0/id missing"])
  }

  @Test func secretsAreMaskedInSummaries() throws {
    let found = try diff(#"{"headers":{"Access-Token":"abcdefgh"}}"#, #"{"headers":{"Access-Token":"zzzz"}}"#)
    let line = found[0].summary()
    #expect(!line.contains("abcdefgh") && !line.contains("zzzz"))
    #expect(line.contains("<secret: 8 characters>"))
  }

  @Test func longValuesAreShortened() throws {
    let long = String(repeating: "x", count: 500)
    let line = try diff(#"{"a":"\#(long)"}"#, #"{"a":"y"}"#)[0].summary(limit: 40)
    #expect(line.count < 120 && line.contains("…"))
  }

  @Test func triageFoldsArrayIndices() throws {
    let m1 = try diff(#"[{"id":"1"},{"id":"2"}]"#, #"[{"id":1},{"id":2}]"#)
    let results = [CaseResult(name: "a", location: "a.json", route: nil, outcome: .failed(m1))]
    let triage = Triage(results)
    #expect(triage.groups.count == 1)
    #expect(triage.groups.first?.pattern == "/*/id")
    #expect(triage.groups.first?.label == "changed type string → number")
  }
}
