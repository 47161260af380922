import Foundation
import HTTP
import JSON
import TestSupport
import Testing
import TikTokAds

/// `tiktok-harness serve-transformer`: the built-in transformer on rudder-transformer's routes, over real sockets.
@Suite struct ServeTransformerTests {
  static func post(_ url: String, _ body: String) throws -> HTTPClientResponse {
    try HTTPClient.send(url: url, headers: ["Content-Type": "application/json"], body: Array(body.utf8))
  }

  @Test func answersBothRoutesAsTransformDoesAndRefusesWhatIsNotARequest() throws {
    let server = try ServerProcess(["serve-transformer", "--port", "0"])
    defer { _ = server.stop() }
    let url = try #require(server.url)
    #expect(url.hasPrefix("http://127.0.0.1:"), "loopback by default: \(server.firstLine)")

    let golden = try JSONValue.parse(
      Array(
        try Data(
          contentsOf: Paths.packageRoot.appendingPathComponent("Golden/v2/docs-sample-order-completed-hashed.json"))))
    let input = try #require(golden["input"])
    let processor = try Self.post(url + "/v0/destinations/tiktok_ads", input.compactString())
    #expect(processor.status == 200)
    #expect(processor.headers["Content-Type"] == "application/json")
    #expect(try JSONValue.parse(processor.body) == (try TikTokAdsTransformer().processorResponse(for: input)))

    let routerCase = try JSONValue.parse(
      Array(try Data(contentsOf: Paths.packageRoot.appendingPathComponent("Golden/router/v2-batch.json"))))
    let routerInput = try #require(routerCase["input"])
    let router = try Self.post(url + "/routerTransform", routerInput.compactString())
    #expect(router.status == 200)
    #expect(try JSONValue.parse(router.body) == (try TikTokAdsTransformer().routerResponse(for: routerInput)))

    let health = try HTTPClient.send(method: "GET", url: url + "/health")
    #expect(health.status == 200 && health.bodyText == #"{"service":"UP"}"#)

    let malformed = try Self.post(url + "/v0/destinations/tiktok_ads", "[{\"message\": 1,")
    #expect(malformed.status == 400)
    #expect(malformed.bodyText.contains("1:"), "names the line and column: \(malformed.bodyText)")
    let notArray = try Self.post(url + "/v0/destinations/tiktok_ads", #"{"message": {}}"#)
    #expect(notArray.status == 400 && notArray.bodyText.contains("expected an array"), "\(notArray.bodyText)")
    let noInput = try Self.post(url + "/routerTransform", #"{"destType": "tiktok_ads"}"#)
    #expect(noInput.status == 400 && noInput.bodyText.contains("/input"), "\(noInput.bodyText)")
    let unknown = try Self.post(url + "/v0/destinations/facebook_pixel", "[]")
    #expect(unknown.status == 404 && unknown.bodyText == #"{"message":"Route not found"}"#)
    let get = try HTTPClient.send(method: "GET", url: url + "/routerTransform")
    #expect(get.status == 405 && get.headers["Allow"] == "POST")
  }

  @Test func bodiesAboveMaxBodyAre413AndTheLimitIsExact() throws {
    let server = try ServerProcess(["serve-transformer", "--port", "0", "--max-body", "2"])
    defer { _ = server.stop() }
    let url = try #require(server.url)
    #expect(try Self.post(url + "/v0/destinations/tiktok_ads", "[]").status == 200)
    #expect(try Self.post(url + "/v0/destinations/tiktok_ads", "[ ]").status == 413)
  }

  @Test func badOptionsAndATakenPortExit2() throws {
    for bad in [
      ["--port", "65536"], ["--port", "-1"], ["--threads", "0"], ["--threads", "65"], ["--max-body", "0"],
      ["--max-batch-v2", "0"], ["--max-batch-v1", "0"], ["extra"],
    ] {
      let r = try Harness.run(["serve-transformer"] + bad, timeout: 20)
      #expect(r.status == 2, "\(bad): \(r.stdout)\(r.stderr)")
    }
    let first = try ServerProcess(["serve-transformer", "--port", "0", "--threads", "64"])
    defer { _ = first.stop() }
    let port = try #require(first.port)
    let second = try Harness.run(["serve-transformer", "--port", "\(port)"], timeout: 20)
    #expect(second.status == 2, "\(second.stdout)\(second.stderr)")
    #expect(second.stderr.contains("127.0.0.1:\(port): address already in use"), "\(second.stderr)")
    let stopped = first.stop()
    #expect(stopped.status == 0 && stopped.stderr.contains("stopped (signal"), "\(stopped.stderr)")
  }

  /// The committed corpus replays against the stand-in exactly as on the built-in transformer, the one case with a
  /// batch-limit override aside (a live transformer cannot apply it): the stand-in is the built-in transformer.
  @Test func theCorpusReplaysAgainstTheStandInAsOnTheBuiltInTransformer() throws {
    let server = try ServerProcess(["serve-transformer", "--port", "0"])
    defer { _ = server.stop() }
    let url = try #require(server.url)
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    var reports: [JSONValue] = []
    for transformer in ["builtin", url] {
      let report = dir.url.appendingPathComponent("\(reports.count).json")
      let r = try Harness.run(
        [
          "replay", "Golden/v1", "Golden/v2", "Golden/errors", "Golden/mapping", "Golden/router/v2-batch.json",
          "--transformer", transformer, "--quiet", "--report", "json", report.path,
        ])
      #expect(r.status == 0, "\(transformer): \(r.stdout)\(r.stderr)")
      reports.append(try LiveCorpus.comparable(report))
    }
    #expect(reports[0] == reports[1])
  }
}
