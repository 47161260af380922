import HTTP
import JSON
import MockTikTok
import Testing

@Suite struct AdminTests {
  func get(_ mock: MockTikTokServer, _ path: String, method: String = "GET", body: String = "") throws -> (
    Int, JSONValue
  ) {
    let r = try HTTPClient.send(method: method, url: mock.baseURL + path, body: Array(body.utf8))
    return (r.status, (try? JSONValue.parse(r.body)) ?? .null)
  }

  @Test func listFilterCountClear() throws {
    try withMock { (mock) throws in
      _ = try post(mock, "/open_api/v1.3/event/track/", eventTrackBody)
      _ = try post(mock, "/open_api/v1.3/pixel/track/", pixelTrackBody)
      _ = try post(mock, "/open_api/v1.3/pixel/batch/", pixelBatchBody)
      #expect(try get(mock, "/__admin/health").1["status"] == "ok")
      #expect(try get(mock, "/__admin/requests").1["count"] == 3)
      #expect(try get(mock, "/__admin/requests/count").1["count"] == 3)
      #expect(try get(mock, "/__admin/requests?path=pixel/track").1["count"] == 1)
      #expect(try get(mock, "/__admin/requests?path=%2Fopen_api%2Fv1.3%2Fpixel%2Fbatch%2F").1["count"] == 1)
      #expect(try get(mock, "/__admin/requests?pixel=C9ENMI3C77U9N0P9IE10").1["count"] == 2)
      #expect(try get(mock, "/__admin/requests?event=AddToCart").1["count"] == 1)
      let since = try get(mock, "/__admin/requests?since=1").1
      #expect(since["count"] == 2)
      #expect(since["requests"]?[0]?["seq"] == 2)
      #expect(try get(mock, "/__admin/requests?since=x").0 == 400)
      #expect(try get(mock, "/__admin/requests", method: "DELETE").1["cleared"] == 3)
      #expect(try get(mock, "/__admin/requests/count").1["count"] == 0)
      // Admin calls are not journaled; sequence numbers keep counting after a clear.
      _ = try post(mock, "/open_api/v1.3/event/track/", eventTrackBody)
      #expect(try get(mock, "/__admin/requests").1["requests"]?[0]?["seq"] == 4)
    }
  }

  @Test func rulesAddReplaceGetClearReset() throws {
    let scenario = Scenario(seed: 5, rules: [FaultRule(name: "start", match: FaultMatch(nth: 100), action: .http(503))])
    try withMock({ $0.scenario = scenario }) { (mock) throws in
      let add = try get(
        mock, "/__admin/rules", method: "POST",
        body: #"{"name":"once","match":{"endpoint":"event/track"},"action":{"code":40100},"times":1}"#)
      #expect(add.0 == 200)
      #expect(add.1["rules"] == 2)
      #expect(try post(mock, "/open_api/v1.3/event/track/", eventTrackBody).code == 40100)
      #expect(try post(mock, "/open_api/v1.3/event/track/", eventTrackBody).code == 0)
      let rules = try get(mock, "/__admin/rules").1
      #expect(rules["seed"] == 5)
      #expect(rules["rules"]?[1]?["fired"] == 1)
      #expect(rules["rules"]?[1]?["name"] == "once")
      let bad = try get(mock, "/__admin/rules", method: "POST", body: #"{"name":"x","action":{"status":1}}"#)
      #expect(bad.0 == 400)
      #expect(bad.1["error"] == "<request>: /action/status: expected an integer from 100 to 599")
      let put = try get(
        mock, "/__admin/rules", method: "PUT",
        body: #"{"seed":1,"rules":[{"name":"all","action":{"status":502}}]}"#)
      #expect(put.1["rules"] == 1)
      #expect(try post(mock, "/open_api/v1.3/event/track/", eventTrackBody).status == 502)
      #expect(try get(mock, "/__admin/rules", method: "DELETE").1["cleared"] == 1)
      #expect(try post(mock, "/open_api/v1.3/event/track/", eventTrackBody).code == 0)
      #expect(try get(mock, "/__admin/reset", method: "POST").1["rules"] == 1)
      #expect(mock.rules == scenario.rules)
      #expect(try get(mock, "/__admin/requests/count").1["count"] == 0)
      #expect(try get(mock, "/__admin/nothing").0 == 404)
      #expect(try get(mock, "/__admin/rules", method: "PATCH").0 == 405)
    }
  }
}
