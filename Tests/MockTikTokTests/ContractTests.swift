import HTTP
import JSON
import MockTikTok
import Testing

@Suite struct ContractTests {
  static let valid: [(String, String)] = [
    ("/open_api/v1.2/pixel/track/", pixelTrackBody), ("/open_api/v1.3/pixel/track/", pixelTrackBody),
    ("/open_api/v1.2/pixel/batch/", pixelBatchBody), ("/open_api/v1.3/pixel/batch/", pixelBatchBody),
    ("/open_api/v1.3/event/track/", eventTrackBody),
    // pytt-events-api's doubled slash, and a missing trailing slash
    ("/open_api/v1.3//pixel/track/", pixelTrackBody), ("/open_api/v1.3/event/track", eventTrackBody),
  ]

  @Test func everyEndpointAnswersAsTikTok() throws {
    try withMock { (mock) throws in
      for (path, body) in Self.valid {
        let r = try post(mock, path, body)
        #expect(r.status == 200, "\(path)")
        #expect(r.code == 0, "\(path): \(r.text)")
        #expect(r.message == "OK")
        #expect(r.json["data"] == .object([:]))
        #expect(isTikTokRequestID(r.json["request_id"]?.stringValue ?? ""), "\(r.text)")
      }
    }
  }

  @Test func requestIDsAreUnique() throws {
    try withMock { (mock) throws in
      var ids = Set<String>()
      for _ in 0..<50 {
        ids.insert(try post(mock, "/open_api/v1.3/event/track/", eventTrackBody).json["request_id"]?.stringValue ?? "")
      }
      #expect(ids.count == 50)
    }
  }

  @Test func unknownRoutesAndMethods() throws {
    try withMock { (mock) throws in
      let r = try post(mock, "/open_api/v1.2/event/track/", eventTrackBody)
      #expect(r.status == 404)
      #expect(r.code == 40400)
      let g = try HTTPClient.send(method: "GET", url: mock.baseURL + "/open_api/v1.3/event/track/")
      #expect(g.status == 405)
    }
  }

  @Test func missingTokenIs40104() throws {
    try withMock { (mock) throws in
      let r = try post(mock, "/open_api/v1.3/event/track/", eventTrackBody, token: nil)
      #expect(r.status == 200)
      #expect(r.code == 40104)
      #expect(try post(mock, "/open_api/v1.3/event/track/", eventTrackBody, token: "").code == 40104)
    }
  }

  @Test func unknownTokenIs40105WhenTokensAreConfigured() throws {
    try withMock({ $0.tokens = [token] }) { (mock) throws in
      #expect(try post(mock, "/open_api/v1.3/event/track/", eventTrackBody).code == 0)
      let r = try post(mock, "/open_api/v1.3/event/track/", eventTrackBody, token: "revoked")
      #expect(r.code == 40105)
      #expect(r.message == "Access token is incorrect or has been revoked.")
    }
  }

  @Test func pixelNotAllowedIs40001() throws {
    try withMock({ $0.allow = [token: ["C9ENMI3C77U9N0P9IE10"]] }) { (mock) throws in
      #expect(try post(mock, "/open_api/v1.3/pixel/track/", pixelTrackBody).code == 0)
      let r = try post(mock, "/open_api/v1.3/event/track/", eventTrackBody)
      #expect(r.status == 200)
      #expect(r.code == 40001)
      #expect(
        r.message
          == "No permission to operate pixel code: CJ8V2B3C77U5P1QK9ABC. You must be an admin or operator of this advertiser account."
      )
    }
  }

  @Test(
    arguments: [
      (
        "/open_api/v1.3/pixel/batch/",
        #"{"pixel_code":"P","batch":[{"event":"X","properties":{"contents":[{"content_id":1077218}]}}]}"#,
        40002, "Batch.0.properties.contents.0.content_id: Not a valid string"
      ),
      (
        "/open_api/v1.3/pixel/track/", #"{"pixel_code":"P","event":"X","event_id":5}"#, 40002,
        "Invalid value for event_id: not a valid string."
      ),
      ("/open_api/v1.3/pixel/track/", #"{"event":"X"}"#, 40002, "pixel_code: Missing data for required field."),
      (
        "/open_api/v1.3/event/track/",
        #"{"event_source":"offline","event_source_id":7,"data":[{"event":"X","event_time":1}]}"#,
        40002, "Invalid value for event_source_id: not a valid string."
      ),
      (
        "/open_api/v1.3/event/track/",
        #"{"event_source":"web","event_source_id":"P","data":[{"event":"X","event_time":"soon"}]}"#,
        40002, "Data.0.event_time: Not a valid integer"
      ),
      (
        "/open_api/v1.3/event/track/",
        #"{"event_source":"web","event_source_id":"P","data":[{"event":"X","event_time":1,"user":{"email":["a",2]}}]}"#,
        40002, "Data.0.user.email.1: Not a valid string"
      ),
      ("/open_api/v1.3/event/track/", #"{"event_source":"web","event_source_id":"P","data":[]}"#, 40061, nil),
      ("/open_api/v1.3/pixel/track/", #"{"pixel_code":"P","event":"#, 40002, nil),
    ] as [(String, String, Int, String?)])
  func schemaViolations(path: String, body: String, code: Int, message: String?) throws {
    try withMock { (mock) throws in
      let r = try post(mock, path, body)
      #expect(r.status == 200)
      #expect(r.code == code, "\(r.text)")
      if let message { #expect(r.message == message) }
    }
  }

  /// Both sides of each batch limit, on the one-pass check's path and on the full check's (a numeric string in a
  /// number field leaves the decision to the full check).
  @Test(arguments: [false, true])
  func batchLimits(fullCheck: Bool) throws {
    let v1Item =
      fullCheck
      ? #"{"type":"track","event":"X","event_id":"a","properties":{"value":"1"}}"#
      : #"{"type":"track","event":"X","event_id":"a"}"#
    let v2Item = fullCheck ? #"{"event":"X","event_time":"1"}"# : #"{"event":"X","event_time":1}"#
    func v1(_ n: Int) -> String {
      #"{"pixel_code":"P","batch":["# + Array(repeating: v1Item, count: n).joined(separator: ",") + "]}"
    }
    func v2(_ n: Int) -> String {
      #"{"event_source":"web","event_source_id":"P","data":["#
        + Array(repeating: v2Item, count: n).joined(separator: ",")
        + "]}"
    }
    try withMock { (mock) throws in
      #expect(try post(mock, "/open_api/v1.3/pixel/batch/", v1(1)).code == 0)
      #expect(try post(mock, "/open_api/v1.3/pixel/batch/", v1(50)).code == 0)
      #expect(try post(mock, "/open_api/v1.3/pixel/batch/", v1(51)).code == 40061)
      #expect(try post(mock, "/open_api/v1.3/pixel/batch/", v1(0)).code == 40061)
      #expect(try post(mock, "/open_api/v1.3/event/track/", v2(1)).code == 0)
      #expect(try post(mock, "/open_api/v1.3/event/track/", v2(1000)).code == 0)
      #expect(try post(mock, "/open_api/v1.3/event/track/", v2(1001)).code == 40061)
    }
  }

  @Test func validatorAcceptsWhatTikTokAccepts() {
    let v = ContractValidator()
    // custom event names, unknown keys, numeric strings for numbers, null optional fields
    let body: JSONValue = [
      "pixel_code": "P", "event": "MyCustomEvent", "timestamp": nil,
      "properties": ["value": "12.50", "currency": "XYZ", "custom": ["a": 1]],
    ]
    #expect(v.validate(body, endpoint: .pixelTrack) == nil)
  }
}
