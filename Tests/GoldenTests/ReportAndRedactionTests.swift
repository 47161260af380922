import Foundation
import Golden
import JSON
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite struct ReportTests {
  private func sample() throws -> [CaseResult] {
    let m = JSONDiff.mismatches(
      expected: try JSONValue.parse(#"{"a":"<&>\"'"}"#), actual: try JSONValue.parse(#"{"a":"\u0001"}"#))
    return [
      CaseResult(
        name: "v1/ok", location: "Golden/v1/ok.json", route: "POST /routerTransform", outcome: .passed, seconds: 0.001),
      CaseResult(name: "v1/bad", location: "Golden/v1/bad.json", route: "POST /routerTransform", outcome: .failed(m)),
      CaseResult(name: "x", location: "x.json", route: nil, outcome: .malformed("x.json:1:2: oops")),
      CaseResult(name: "d", location: "d.json[0]", route: nil, outcome: .skipped("not supported yet: delivery route")),
    ]
  }

  @Test func junitIsWellFormedWithOneTestcasePerCase() throws {
    let results = try sample()
    var summary = RunSummary()
    results.forEach { summary.add($0) }
    let xml = JUnitReport.render(results, summary: summary)
    let document = try XMLDocument(xmlString: xml)
    #expect(try document.nodes(forXPath: "//testcase").count == 4)
    #expect(try document.nodes(forXPath: "//testcase/failure").count == 1)
    #expect(try document.nodes(forXPath: "//testcase/error").count == 1)
    #expect(try document.nodes(forXPath: "//testcase/skipped").count == 1)
  }

  @Test func jsonReportHasEveryCaseAndMismatch() throws {
    let results = try sample()
    var summary = RunSummary()
    results.forEach { summary.add($0) }
    let doc = try JSONValue.parse(JSONReport.render(results, summary: summary, transformer: "builtin"))
    #expect(doc["summary"]?["failed"] == 1)
    #expect(doc["summary"]?["exitStatus"] == 2)
    #expect(doc["cases"]?.arrayValue?.count == 4)
    #expect(doc["cases"]?[1]?["mismatches"]?[0]?["pointer"] == "/a")
  }

  /// The triage table groups differences, so it appears only when at least two cases differ: one failure next to
  /// a malformed and a skipped case (the sample) gets none; a second failure brings it.
  @Test func markdownTriageCountsOnlyDifferingCases() throws {
    var results = try sample()
    var summary = RunSummary()
    results.forEach { summary.add($0) }
    #expect(
      !MarkdownReport.render(results, summary: summary, transformer: "builtin").contains("Most common differences"))
    let m = JSONDiff.mismatches(expected: try JSONValue.parse(#"{"a":1}"#), actual: try JSONValue.parse(#"{"a":2}"#))
    let second = CaseResult(name: "v2/bad", location: "Golden/v2/bad.json", route: nil, outcome: .failed(m))
    results.append(second)
    summary.add(second)
    let md = MarkdownReport.render(results, summary: summary, transformer: "builtin")
    #expect(md.contains("**Most common differences**"))
    #expect(md.contains("| 2 | `/a` | changed value |"), "\(md)")
  }

  @Test func markdownFitsItsBudget() throws {
    let big = (0..<2000).map { i in
      CaseResult(
        name: "case-\(i)", location: "f\(i).json", route: nil,
        outcome: .failed([Mismatch(pointer: .root.appending("x"), kind: .changedValue, expected: "a", actual: "b")]))
    }
    var summary = RunSummary()
    big.forEach { summary.add($0) }
    let md = MarkdownReport.render(big, summary: summary, transformer: "builtin")
    #expect(md.utf8.count < 65_536)
    #expect(md.contains("0 passed, 2000 failed"))
    #expect(md.contains("omitted to fit"))
  }
}

@Suite struct RedactionTests {
  @Test func standInsAreStableAndKeepShape() throws {
    let event = try JSONValue.parse(
      #"{"type":"track","event":"x","userId":"u-1","anonymousId":"a-1","context":{"ip":"10.1.2.3","traits":{"email":" A@B.com ","phone":"+441234567890","firstName":"Ann","name":"Ann Lee"},"externalId":[{"type":"tiktokExternalId","id":"cust-9"}]},"properties":{"note":"mail me at ann@b.com please","name":"Mug","phone":5551234}}"#
    )
    let r1 = Redactor().redact(event)
    let r2 = Redactor().redact(event)
    #expect(r1 == r2)
    let text = r1.compactString()
    for secret in ["A@B.com", "ann@b.com", "441234567890", "Ann", "10.1.2.3", "u-1", "a-1", "cust-9", "5551234"] {
      #expect(!text.contains(secret), "\(secret) leaked")
    }
    #expect(r1["properties"]?["name"] == "Mug")  // product names are not personal
    #expect(r1["context"]?["traits"]?["email"]?.stringValue?.hasPrefix(" Redacted-") == true)
    #expect(r1["properties"]?["phone"]?.isNumber == true)
    #expect(r1["properties"]?["note"]?.stringValue?.hasPrefix("mail me at redacted-") == true)
  }

  @Test func secretsAreMaskedEvenWithoutRedaction() throws {
    let recorder = CaseRecorder(redact: false)
    let request = try recorder.processorRequest(
      documents: [try JSONValue.parse(#"{"type":"track","event":"Search"}"#)],
      destination: try JSONValue.parse(#"{"accessToken":"tok-123456","pixelCode":"P"}"#))
    #expect(!request.compactString().contains("tok-123456"))
    #expect(request[0]?["destination"]?["Config"]?["accessToken"] == .string(Redactor.secretStandIn))
  }
}
