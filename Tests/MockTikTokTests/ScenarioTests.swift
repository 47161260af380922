import Foundation
import HTTP
import JSON
import MockTikTok
import TestSupport
import Testing

/// Every shipped scenario in MockServer/scenarios produces its documented response.
@Suite struct ScenarioTests {
  enum Expect: Sendable {
    case code(Int, String?)
    case status(Int, bodyContains: String)
    case error(String)  // client errno name
    case malformedJSON
    case partial
    case delayed(Double)
    case firstTwoFail
    case seeded
    case deliveryErrors
  }

  static let expectations: [String: Expect] = [
    "success-0": .code(0, "OK"),
    "partial-success-20001": .code(20001, "Partial success"),
    "no-permission-40001": .code(
      40001,
      "No permission to operate pixel code: CJ8V2B3C77U5P1QK9ABC. You must be an admin or operator of this advertiser account."
    ),
    "rudderstack-faq-40002": .code(40002, "No permission to operate pixel code"),
    "invalid-param-40002": .code(40002, "Batch.0.properties.contents.0.content_id: Not a valid string"),
    "rate-limited-40100": .code(40100, "Too many requests. Please retry in some time."),
    "revoked-token-40105": .code(40105, "Access token is incorrect or has been revoked."),
    "system-error-50000": .code(50000, nil),
    "bad-gateway-502": .status(502, bodyContains: "<center><h1>502 Bad Gateway</h1></center>"),
    "service-unavailable-503": .status(503, bodyContains: "503 Service Unavailable"),
    "too-many-requests-429": .status(429, bodyContains: "429 Too Many Requests"),
    "connection-reset": .error("ECONNRESET"),
    "empty-response": .error("EOF"),
    "malformed-json": .malformedJSON,
    "partial-body": .partial,
    "slow-3s": .delayed(3),
    "first-two-fail": .firstTwoFail,
    "flaky-seeded": .seeded,
    "delivery-errors": .deliveryErrors,
  ]

  static var scenarioFiles: [String] {
    let dir = Paths.packageRoot.appendingPathComponent("MockServer/scenarios")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
  }

  static func load(_ name: String) throws -> Scenario {
    let url = Paths.packageRoot.appendingPathComponent("MockServer/scenarios/\(name).json")
    let data = try #require(FileManager.default.contents(atPath: url.path))
    return try Scenario.parse([UInt8](data), file: url.path)
  }

  @Test func everyScenarioHasAnExpectation() {
    #expect(Set(Self.scenarioFiles) == Set(Self.expectations.keys))
  }

  @Test(arguments: scenarioFiles)
  func scenarioProducesItsResponse(_ name: String) throws {
    let scenario = try Self.load(name)
    #expect(scenario.description?.isEmpty == false, "every scenario documents itself")
    let expect = try #require(Self.expectations[name])
    try withMock({ $0.scenario = scenario }) { (mock) throws in
      let path = "/open_api/v1.3/event/track/"
      switch expect {
      case .code(let code, let message):
        let r = try post(mock, path, eventTrackBody)
        #expect(r.status == 200)
        #expect(r.code == code, "\(r.text)")
        if let message { #expect(r.message == message) }
        #expect(isTikTokRequestID(r.json["request_id"]?.stringValue ?? ""))
      case .status(let status, let fragment):
        let r = try post(mock, path, eventTrackBody)
        #expect(r.status == status)
        #expect(r.text.contains(fragment))
      case .error(let name):
        let e = clientError { () throws(HTTPClientError) in _ = try post(mock, path, eventTrackBody) }
        #expect(e?.errnoName == name)
      case .malformedJSON:
        let r = try post(mock, path, eventTrackBody)
        #expect(r.status == 200)
        #expect((try? JSONValue.parse(Array(r.text.utf8))) == nil)
      case .partial:
        let e = clientError { () throws(HTTPClientError) in _ = try post(mock, path, eventTrackBody) }
        guard case .connectionClosed(let n)? = e else {
          Issue.record("expected a close mid-body, got \(String(describing: e))")
          return
        }
        #expect(n > 20)
      case .delayed:
        // Shorten the 3 s to keep the test fast: same rule shape, 300 ms.
        mock.replaceRules(
          Scenario(rules: [
            FaultRule(name: "slow", match: FaultMatch(endpoints: ["*"]), action: .delay(milliseconds: 300))
          ]))
        let start = Date()
        let r = try post(mock, path, eventTrackBody)
        #expect(r.code == 0)
        #expect(Date().timeIntervalSince(start) >= 0.28)
        #expect(scenario.rules.first?.action.delayMilliseconds == 3000)
      case .firstTwoFail:
        #expect(try post(mock, path, eventTrackBody).status == 502)
        #expect(try post(mock, path, eventTrackBody).status == 502)
        #expect(try post(mock, path, eventTrackBody).code == 0)
      case .deliveryErrors:
        let codes = try (0..<3).map { _ in try post(mock, path, eventTrackBody).code }
        #expect(codes == [0, 0, 40100])
        let x = try post(mock, path, eventTrackBody.replacingOccurrences(of: "CJ8V2B3C77U5P1QK9ABC", with: "PIXEL_X"))
        #expect(x.code == 40002)
        #expect(x.message == "No permission to operate pixel code")
      case .seeded:
        var outcomes: [String] = []
        for _ in 0..<40 {
          let r = try post(mock, path, eventTrackBody)
          outcomes.append(r.status == 200 ? "\(r.code ?? -1)" : "\(r.status)")
        }
        #expect(outcomes.contains("503") && outcomes.contains("0") && outcomes.contains("40100"))
        #expect(outcomes[9] == "40100" && outcomes[19] == "40100")
      }
    }
  }

  @Test func scenarioErrorsNameFileAndPath() {
    func error(_ text: String) -> String {
      do {
        _ = try Scenario.parse(Array(text.utf8), file: "x.json")
        return "no error"
      } catch {
        return error.description
      }
    }
    #expect(
      error(#"{"rules":[{"name":"a","action":{"status":700}}]}"#)
        == "x.json: /rules/0/action/status: expected an integer from 100 to 599")
    #expect(
      error(#"{"rules":[{"name":"a","action":{"fault":"boom"}}]}"#).hasPrefix(
        "x.json: /rules/0/action/fault: unknown fault 'boom'"))
    #expect(
      error(#"{"rules":[{"name":"a","match":{"endpoint":["pixel/track","nope"]},"action":{"code":1}}]}"#).hasPrefix(
        "x.json: /rules/0/match/endpoint/1: unknown endpoint"))
    #expect(
      error(#"{"rules":[{"name":"a","match":{"probability":2},"action":{"code":1}}]}"#)
        == "x.json: /rules/0/match/probability: expected a number from 0 to 1")
    #expect(
      error(#"{"rules":[{"name":"a","action":{"code":1},"extra":1}]}"#).hasPrefix("x.json: /rules/0/extra: unknown key")
    )
    #expect(error(#"{"rules":[{"action":{"code":1}}]}"#) == "x.json: /rules/0/name: missing")
    #expect(error(#"{"rules":"#) == "x.json:1:10: unexpected end of input, expected a value")
    #expect(
      error("{\"rules\": [\n  {\"name\": \"x\",}\n]}")
        == "x.json:2:16: expected a string key after ',' (trailing comma in object)")
  }
}

@Suite struct FaultRuleTests {
  let path = "/open_api/v1.3/event/track/"

  func codes(_ mock: MockTikTokServer, _ n: Int, headers: HTTPHeaders = [:]) throws -> [Int] {
    try (0..<n).map { _ in
      let r = try post(mock, path, eventTrackBody, headers: headers)
      return r.status == 200 ? (r.code ?? -1) : r.status
    }
  }

  @Test func nthEveryFirstAndTimes() throws {
    try withMock { (mock) throws in
      mock.addRule(FaultRule(name: "3rd", match: FaultMatch(nth: 3), action: .tiktok(40100)))
      #expect(try codes(mock, 5) == [0, 0, 40100, 0, 0])
      mock.replaceRules(Scenario(rules: [FaultRule(name: "every2", match: FaultMatch(every: 2), action: .http(503))]))
      #expect(try codes(mock, 5) == [0, 503, 0, 503, 0])
      mock.replaceRules(Scenario(rules: [FaultRule(name: "first2", match: FaultMatch(first: 2), action: .http(502))]))
      #expect(try codes(mock, 4) == [502, 502, 0, 0])
      mock.replaceRules(Scenario(rules: [FaultRule(name: "once", action: .tiktok(50000), times: 1)]))
      #expect(try codes(mock, 3) == [50000, 0, 0])
    }
  }

  @Test func matchOnPixelEventHeaderAndEndpoint() throws {
    try withMock { (mock) throws in
      mock.addRule(FaultRule(name: "px", match: FaultMatch(pixels: ["OTHER"]), action: .tiktok(40001)))
      mock.addRule(FaultRule(name: "ev", match: FaultMatch(events: ["AddToCart"]), action: .tiktok(40002, "bad cart")))
      mock.addRule(FaultRule(name: "hd", match: FaultMatch(headers: ["X-Fault": "reset"]), action: .transport(.reset)))
      mock.addRule(FaultRule(name: "ep", match: FaultMatch(endpoints: ["v1.2/pixel/track"]), action: .http(503)))
      #expect(try post(mock, path, eventTrackBody).code == 0)
      #expect(try post(mock, "/open_api/v1.3/pixel/batch/", pixelBatchBody).message == "bad cart")
      #expect(try post(mock, "/open_api/v1.2/pixel/track/", pixelTrackBody).status == 503)
      #expect(try post(mock, "/open_api/v1.3/pixel/track/", pixelTrackBody).code == 0)
      let e = clientError { () throws(HTTPClientError) in
        _ = try post(mock, path, eventTrackBody, headers: ["X-Fault": "reset"])
      }
      #expect(e?.errnoName == "ECONNRESET")
      let other = eventTrackBody.replacingOccurrences(of: "CJ8V2B3C77U5P1QK9ABC", with: "OTHER")
      #expect(try post(mock, path, other).code == 40001)
    }
  }

  /// A rule with both a code and a delay waits its delay once (it was added twice: once from the action, once from
  /// the decision, so `delay_ms: 3000` waited 6 s).
  @Test func decidingRuleDelayIsAppliedOnce() throws {
    try withMock { (mock) throws in
      mock.addRule(FaultRule(name: "slow", action: FaultAction(code: 0, delayMilliseconds: 150)))
      #expect(try codes(mock, 1) == [0])
      #expect(try #require(mock.requests().last?.json)["response"]?["delay_ms"] == 150)
    }
  }

  @Test func delayCombinesWithAFault() throws {
    try withMock { (mock) throws in
      mock.addRule(FaultRule(name: "latency", action: .delay(milliseconds: 200)))
      mock.addRule(FaultRule(name: "throttle", match: FaultMatch(nth: 2), action: .tiktok(40100)))
      let start = Date()
      #expect(try codes(mock, 2) == [0, 40100])
      #expect(Date().timeIntervalSince(start) >= 0.38)
      let last = try #require(mock.requests().last?.json)
      #expect(last["rule"] == "throttle")
      #expect(last["rules"] == ["latency", "throttle"])
      #expect(last["response"]?["delay_ms"] == 200)
    }
  }

  @Test func sameSeedSameFaults() throws {
    func run(seed: UInt64) throws -> [Int] {
      try withMock({
        $0.scenario = Scenario(
          seed: seed, rules: [FaultRule(name: "p", match: FaultMatch(probability: 0.4), action: .http(503))])
      }) { mock in try codes(mock, 60) }
    }
    let a = try run(seed: 42)
    let b = try run(seed: 42)
    let c = try run(seed: 43)
    #expect(a == b)
    #expect(a != c)
    let failures = a.filter { $0 == 503 }.count
    #expect(failures > 10 && failures < 40)
  }

  @Test func probabilityIsIndependentOfOtherTraffic() throws {
    // The k-th request matching a rule fails the same way whether or not other endpoints are hit in between.
    let rule = FaultRule(name: "p", match: FaultMatch(endpoints: ["event/track"], probability: 0.5), action: .http(503))
    let plain = try withMock({ $0.scenario = Scenario(seed: 9, rules: [rule]) }) { try codes($0, 30) }
    let mixed = try withMock({ $0.scenario = Scenario(seed: 9, rules: [rule]) }) { (mock) throws in
      try (0..<30).map { _ in
        _ = try post(mock, "/open_api/v1.3/pixel/track/", pixelTrackBody)
        let r = try post(mock, path, eventTrackBody)
        return r.status == 200 ? (r.code ?? -1) : r.status
      }
    }
    #expect(plain == mixed)
  }

  @Test func messageTemplatesAndCustomBodies() throws {
    try withMock { (mock) throws in
      mock.addRule(
        FaultRule(
          name: "t", match: FaultMatch(nth: 1),
          action: FaultAction(code: 40001, message: "pixel {pixel} event {event}")))
      mock.addRule(
        FaultRule(
          name: "b", match: FaultMatch(nth: 2),
          action: FaultAction(status: 500, body: "oops", headers: ["Retry-After": "1"])))
      let r = try post(mock, path, eventTrackBody)
      #expect(r.message == "pixel CJ8V2B3C77U5P1QK9ABC event CompletePayment")
      let raw = try HTTPClient.send(
        url: mock.baseURL + path, headers: ["Access-Token": token], body: Array(eventTrackBody.utf8))
      #expect(raw.status == 500)
      #expect(raw.bodyText == "oops")
      #expect(raw.headers["Retry-After"] == "1")
    }
  }
}
