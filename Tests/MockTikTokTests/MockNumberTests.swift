import HTTP
import JSON
import MockTikTok
import Testing

/// How the mock writes numbers and strings (BENCHMARKS.md, RELIABILITY.md: one JSON toolkit). Its own integers
/// (sequence numbers, HTTP statuses, TikTok codes, delays, counts) are written with all their digits, as TikTok's
/// servers, which are not JavaScript, would: for every integer within ±2^53 that is also what
/// `JSONNumberStyle.javaScript` prints. A scenario's `data` goes through the JSON module's compact writer, so its
/// numbers are printed as JavaScript prints a double (R15), as every compact writer of the harness does.
@Suite struct MockNumberTests {
  static func mock(_ scenario: String) throws -> MockTikTokServer {
    var config = MockTikTokConfiguration()
    config.scenario = try Scenario.parse(Array(scenario.utf8), file: "test.json")
    return try MockTikTokServer(configuration: config)
  }

  static func post(_ mock: MockTikTokServer, _ body: String) -> HTTPResponse {
    mock.handle(
      HTTPRequest(
        method: "POST", target: "/open_api/v1.3/event/track/", headers: ["Access-Token": "t"], body: Array(body.utf8)))
  }

  @Test func codesAreExactDigitsAndDataIsWrittenAsJavaScriptPrintsIt() throws {
    let mock = try Self.mock(
      #"{"rules": [{"name": "big", "action": {"code": 9007199254740993, "delay_ms": 1, "data": {"v": 46.0, "e": 1e-7, "big": 12345678901234567890}}}]}"#
    )
    let response = Self.post(
      mock, #"{"event_source":"web","event_source_id":"P","data":[{"event":"X","event_time":1}]}"#)
    let text = String(decoding: response.body, as: UTF8.self)
    #expect(text.hasPrefix(#"{"code":9007199254740993,"#), "\(text)")
    #expect(text.hasSuffix(#""data":{"v":46,"e":1e-7,"big":12345678901234567000}}"#), "\(text)")
    let line = String(decoding: try #require(mock.requests().last).line, as: UTF8.self)
    #expect(line.hasPrefix(#"{"seq":1,"#), "\(line)")
    #expect(line.contains(#""response":{"status":200,"code":9007199254740993,"#), "\(line)")
    #expect(line.contains(#""delay_ms":1,"#), "\(line)")
  }

  @Test func journalEscapesControlsShortAndKeepsRawScalars() throws {
    let mock = try Self.mock(#"{"rules": []}"#)
    // \b, \f and a raw U+10F800 (which the parser would also use for a lone surrogate escape): the journal writes
    // the controls as short escapes and the scalar as its raw UTF-8, not as `\udc00`.
    let body: [UInt8] = [0x61, 0x08, 0x0C, 0xF4, 0x8F, 0xA0, 0x80, 0x62]
    _ = mock.handle(
      HTTPRequest(method: "POST", target: "/open_api/v1.3/event/track/", headers: ["Access-Token": "t"], body: body))
    let line = try #require(mock.requests().last).line
    let expected: [UInt8] = Array(#""body":"a\b\f"#.utf8) + [0xF4, 0x8F, 0xA0, 0x80] + Array(#"b""#.utf8)
    #expect(line.firstRange(of: expected) != nil, "\(String(decoding: line, as: UTF8.self))")
  }
}
