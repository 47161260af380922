import Delivery
import Foundation
import JSON
import TestSupport
import Testing

/// Spec §9.3, row by row, without a network.
@Suite("Classification (spec §9.3)")
struct ClassificationTests {
  static func answer(_ body: JSONValue, status: Int = 200) -> DestinationResponse {
    DestinationResponse(status: status, body: DeliveryVectors.wireBody(body))
  }

  @Test(
    "TikTok code before HTTP status, first match wins",
    arguments: [
      // (code or nil, HTTP status, expected status, errorType, message suffix)
      (Int64?(0), 200, 200, String?.none, "Processed Successfully"),
      (20001, 200, 200, nil, "Processed Successfully"),
      (0, 500, 200, nil, "Processed Successfully"),  // quirk: {code: 0} with HTTP 500 is a success
      (40100, 200, 429, "throttled", "status: 40100"),
      (40100, 503, 429, "throttled", "status: 40100"),
      (40001, 200, 400, "aborted", "status: 40001"),
      (40002, 200, 400, "aborted", "status: 40002"),
      (40000, 200, 200, "aborted", "status: 200"),  // Q13: an error whose status is 200
      (nil, 502, 502, "retryable", "status: 502"),
      (nil, 503, 503, "retryable", "status: 503"),
      (nil, 429, 429, "throttled", "status: 429"),
      (nil, 404, 404, "aborted", "status: 404"),
      (nil, 401, 401, "aborted", "status: 401"),
    ] as [(Int64?, Int, Int, String?, String)])
  func rows(code: Int64?, http: Int, status: Int, errorType: String?, message: String) {
    let body: JSONValue = code.map { ["code": .int($0), "message": "m"] } ?? "<html>gateway</html>"
    let c = Classification.classify(Self.answer(body, status: http))
    #expect(c.status == status)
    #expect(c.errorType == errorType)
    #expect(c.message.hasSuffix(message))
  }

  @Test("outcome follows the handler status: 2xx success, 429 throttled, 5xx retryable, other aborted")
  func outcomes() {
    #expect(Classification.classify(Self.answer(["code": 40002])).outcome == .aborted)
    #expect(Classification.classify(Self.answer(["code": 40100])).outcome == .throttled)
    #expect(Classification.classify(Self.answer("bad gateway", status: 502)).outcome == .retryable)
    #expect(Classification.classify(DestinationResponse(networkError: "ECONNRESET")).outcome == .retryable)
    #expect(Classification.classify(Self.answer(["code": 0])).outcome == .success)
    #expect(Classification.classify(Self.answer(["code": 40000])).outcome == .success)
  }

  @Test("a numeric code written as a double counts; a string code does not")
  func codeTypes() {
    #expect(Classification.classify(DestinationResponse(response: ["code": .double(40100)], status: 200)).status == 429)
    #expect(Classification.classify(DestinationResponse(response: ["code": "40100"], status: 200)).status == 200)
  }

  @Test("the handler sees JSON parsed, text as text, and empty or falsy bodies as \"\"")
  func handlerView() {
    #expect(DestinationResponse(status: 200, body: Array(#"{"code":0}"#.utf8)).response == ["code": 0])
    #expect(DestinationResponse(status: 502, body: Array("<html>".utf8)).response == "<html>")
    #expect(DestinationResponse(status: 200, body: []).response == "")
    #expect(DestinationResponse(status: 200, body: Array("null".utf8)).response == "")
    #expect(DestinationResponse(status: 200, body: Array("0".utf8)).response == "")
    #expect(DestinationResponse(status: 200, body: Array("[]".utf8)).response == [])
  }

  @Test(
    "network errors map as upstream's nodeSysErrorToStatus",
    arguments: [
      ("ECONNRESET", 500, "[ECONNRESET] :: Connection reset by peer", "retryable"),
      ("ECONNREFUSED", 500, "[ECONNREFUSED] :: Connection refused", "retryable"),
      ("ETIMEDOUT", 500, "[ETIMEDOUT] :: Operation timed out", "retryable"),
      ("ENOTFOUND", 400, "[ENOTFOUND] :: DNS lookup failed", "aborted"),
      ("EPIPE", 400, "[EPIPE] :: Broken pipe", "aborted"),
      ("EHOSTUNREACH", 400, "[EHOSTUNREACH]", "aborted"),
    ])
  func networkErrors(code: String, status: Int, message: String, errorType: String) {
    let answer = DestinationResponse(networkError: code)
    #expect(answer.status == status)
    #expect(answer.response == .string(message))
    let c = Classification.classify(answer)
    #expect(c.status == status)
    #expect(c.message == "Request failed with status: \(status)")
    #expect(c.errorType == errorType)
  }
}

/// Every delivery.json case: its mocked answer → classification → proxy output, equal as JSON to `expected`.
@Suite("Proxy output vs. delivery.json (no network)")
struct ProxyOutputVectorTests {
  @Test(
    "upstream delivery.json holds its 12 cases (../shared/conformance/upstream)",
    .enabled(if: Paths.hasUpstreamVectors, "needs ../shared/conformance/upstream (.ci/run checks it is there)"))
  func present() {
    #expect(DeliveryVectors.cases.count == 12)
  }

  @Test("each case's mock gives the expected proxy output", arguments: DeliveryVectors.names)
  func vector(name: String) throws {
    let testCase = try #require(DeliveryVectors.named(name))
    let answer = try #require(DeliveryVectors.answer(testCase))
    let input = try #require(testCase["input"])
    let request = try ProxyRequest(input, source: "/input")
    let result = DeliveryResult(
      request: request, url: request.endpoint, answer: answer, version: DeliveryVectors.version(testCase))
    let actual = result.output.asExpected
    let expected = try #require(testCase["expected"])
    #expect(actual == expected, "\(name)\nactual:   \(actual.compactString())\nexpected: \(expected.compactString())")
  }

  @Test("v1 error strings are JSON.stringify of the answer, key order kept")
  func v1ErrorString() throws {
    let answer = DestinationResponse(status: 200, body: Array(#"{"message":"x","code":40002}"#.utf8))
    let output = ProxyOutput.make(
      version: .v1, classification: .classify(answer), answer: answer, metadata: [["jobId": 1]])
    #expect(output.body["output"]?["response"]?[0]?["error"] == #"{"message":"x","code":40002}"#)
    #expect(output.httpStatus == 200)
  }

  @Test("v0 HTTP status: 2xx → 200, 404 → 400, others as the output status")
  func v0Status() {
    #expect(ProxyOutput.v0HTTPStatus(201) == 200)
    #expect(ProxyOutput.v0HTTPStatus(404) == 400)
    #expect(ProxyOutput.v0HTTPStatus(429) == 429)
    #expect(ProxyOutput.v0HTTPStatus(503) == 503)
  }
}

/// `JSON.stringify` as upstream's v1 proxy applies it to TikTok's answer.
@Suite("JavaScript JSON.stringify of answers")
struct JavaScriptStringifyTests {
  @Test(
    "numbers are written as JavaScript writes them; the rest as compact JSON, key order kept",
    arguments: [
      (#"{"b":46.0,"a":[1,-0.0,0.1]}"#, #"{"b":46,"a":[1,0,0.1]}"#),
      (#"[1e21,1.5e-7,123e-20,1E2,2.5]"#, #"[1e+21,1.5e-7,1.23e-18,100,2.5]"#),
      (#"[12345678901234567890,9007199254740993]"#, #"[12345678901234567000,9007199254740992]"#),
      (#"{"s":"<a href=\"/x\">\r\n","n":null,"t":true}"#, #"{"s":"<a href=\"/x\">\r\n","n":null,"t":true}"#),
      (#"0.000001"#, #"0.000001"#), (#"1e-7"#, #"1e-7"#), (#"123456789012345680000"#, #"123456789012345680000"#),
    ])
  func stringify(input: String, expected: String) throws {
    #expect(try JSONValue.parse(input).javaScriptJSONString == expected)
  }
}
