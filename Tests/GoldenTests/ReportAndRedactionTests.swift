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
  private func item(_ message: String, config: String = #"{"accessToken":"tok-123456","pixelCode":"P1"}"#) throws
    -> JSONValue
  {
    let recorder = CaseRecorder(redact: true)
    return try recorder.items(documents: [try JSONValue.parse(message)], destination: try JSONValue.parse(config))
      .written[0]
  }

  @Test func standInsAreStableAndKeepShape() throws {
    let message =
      #"{"type":"track","event":"Order Completed","userId":"u-1","anonymousId":"a-1","messageId":"6D92078A-8246-4BA4-AE5B-76104861E7DC","timestamp":"2024-05-01T12:00:00Z","context":{"ip":"10.1.2.3","os":{"name":"iOS"},"traits":{"email":" A@B.com ","phone":"+44 1234-567890","firstName":"Ann","name":"Ann Lee"},"externalId":[{"type":"tiktokExternalId","id":"cust-9"}],"page":{"url":"https://shop.example.com/p/42?e=ann%40b.com&ref=mail"}},"properties":{"note":"mail me at ann@b.com please","name":"Mug","phone":5551234,"currency":"EUR","att_status":"AUTHORIZED","eventSource":"app","blank":"  ","flag":"true"}}"#
    let r1 = try item(message)
    let r2 = try item(message)
    #expect(r1 == r2)
    let text = r1.compactString()
    for secret in [
      "A@B.com", "ann@b.com", "ann%40b.com", "1234-567890", "Ann", "10.1.2.3", "u-1", "a-1", "cust-9", "5551234",
      "tok-123456", "Mug", "76104861E7DC",
    ] {
      #expect(!text.contains(secret), "\(secret) leaked")
    }
    let m = try #require(r1["message"])
    // Kept: what the mapping needs as it is.
    #expect(m["type"] == "track" && m["event"] == "Order Completed" && m["timestamp"] == "2024-05-01T12:00:00Z")
    #expect(m["context"]?["os"]?["name"] == "iOS" && m["context"]?["externalId"]?[0]?["type"] == "tiktokExternalId")
    #expect(m["properties"]?["currency"] == "EUR" && m["properties"]?["att_status"] == "AUTHORIZED")
    #expect(
      m["properties"]?["eventSource"] == "app" && m["properties"]?["blank"] == "  "
        && m["properties"]?["flag"] == "true")
    #expect(r1["destination"]?["Config"]?["accessToken"] == .string(Redactor.secretStandIn))
    // Format-preserving stand-ins.
    let email = try #require(m["context"]?["traits"]?["email"]?.stringValue)
    #expect(
      email.hasPrefix(" ") && email.hasSuffix(".com ") && email.contains("@")
        && email.dropFirst().first?.isUppercase == true)
    let phone = try #require(m["context"]?["traits"]?["phone"]?.stringValue)
    #expect(phone.count == "+44 1234-567890".count && phone.hasPrefix("+") && phone.filter(\.isNumber).count == 12)
    #expect(phone.dropFirst(3).first == " " && phone.dropFirst(8).first == "-")
    let url = try #require(m["context"]?["page"]?["url"]?.stringValue)
    #expect(
      url.hasPrefix("https://shop.example.com/") && url.contains("?e=") && url.contains("%40") && url.contains("&ref="))
    let uuid = try #require(m["messageId"]?.stringValue)
    #expect(
      uuid.count == 36 && uuid.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12] && uuid.dropFirst(14).first == "4"
    )
    #expect(m["context"]?["ip"]?.stringValue?.hasPrefix("192.0.2.") == true)
    let number = try #require(m["properties"]?["phone"]?.int64Value)
    #expect(number != 5551234 && String(number).count == 7)
    #expect(m["properties"]?["note"]?.stringValue?.split(separator: " ").map(\.count) == [4, 2, 2, 9, 6])
  }

  @Test func dynamicConfigTemplatesKeepTheirStructure() throws {
    let config =
      #"{"accessToken":"{{ message.context.token || \"live-tok-999\" }}","pixelCode":"{{ message.context.pixel || \"PIXEL42\" }}","version":"{{ event.context.v || \"v2\" }}"}"#
    let r = try item(#"{"type":"track","event":"Search"}"#, config: config)
    let c = try #require(r["destination"]?["Config"])
    #expect(c["accessToken"] == .string("{{ message.context.token || \"\(Redactor.secretStandIn)\" }}"))
    let pixel = try #require(c["pixelCode"]?.stringValue)
    #expect(pixel.hasPrefix("{{ message.context.pixel || \"") && pixel.hasSuffix("\" }}") && !pixel.contains("PIXEL42"))
    #expect(c["version"] == "{{ event.context.v || \"v2\" }}")
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
