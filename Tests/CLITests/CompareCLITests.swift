import Foundation
import JSON
import TestSupport
import Testing

@Suite struct CompareCLITests {
  private let capture = """
    {"type":"track","event":"Product Added","messageId":"m1","timestamp":"2024-05-01T12:00:00Z","properties":{"value":3,"currency":"USD"}}
    {"type":"track","event":"Search","messageId":"m2","timestamp":"2024-05-01T12:00:01Z","properties":{"query":"mug"}}
    """
  private let config = #"{"accessToken":"tok-abcdef","pixelCode":"PIX1"}"#

  @Test func aDifferencePlantedInOneTransformerIsReported() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("capture.ndjson", capture)
    try dir.write("dest.json", config)
    let server = try transformingServer { response in
      // The planted regression: content type string → number on the first event only.
      guard case .array(var items) = response, case .object(var item)? = items.first,
        item["output"]?["body"]?["JSON"]?["event"] == "AddToCart"
      else { return response }
      guard case .object(var output)? = item["output"], case .object(var body)? = output["body"],
        case .object(var json)? = body["JSON"]
      else { return response }
      json["event"] = "AddToBasket"
      body["JSON"] = .object(json)
      output["body"] = .object(body)
      item["output"] = .object(output)
      items[0] = .object(item)
      return .array(items)
    }
    defer { server.stop() }
    let r = try Harness.run(
      ["compare", "capture.ndjson", "--config", "dest.json", "--transformer", server.url], currentDirectory: dir.url)
    #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("FAIL event/1"))
    #expect(
      r.stdout.contains("/body/0/output/body/JSON/event: changed value: expected \"AddToCart\", got \"AddToBasket\""))
    #expect(!r.stdout.contains("tok-abcdef"))
    #expect(r.stdout.hasSuffix("1 passed, 1 failed\n"))
  }

  @Test func identicalTransformersAgree() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("capture.json", "[" + capture.split(separator: "\n").joined(separator: ",") + "]")
    try dir.write("dest.json", config)
    let server = try transformingServer()
    defer { server.stop() }
    let r = try Harness.run(
      ["compare", "capture.json", "--config", "dest.json", "--transformer", server.url], currentDirectory: dir.url)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.hasSuffix("2 passed, 0 failed\n"))
  }

  /// Each bad input is named once, by the file it is in: the capture with line and column, the config file, or the
  /// capture's element that is not an event.
  @Test func badInputNamesItsOwnFileOnce() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("broken.json", "{\"type\":\"track\",\n")
    try dir.write("capture.ndjson", capture)
    try dir.write("dest.json", config)
    try dir.write("array.json", "[1, 2]")
    try dir.write("numbers.json", "[{\"type\":\"track\",\"event\":\"A\"}, 7]")

    let broken = try Harness.run(
      ["compare", "broken.json", "--config", "dest.json", "--transformer", "builtin"], currentDirectory: dir.url)
    #expect(broken.status == 2)
    #expect(broken.stderr.hasPrefix("tiktok-harness compare: error: broken.json:2:1: "), "\(broken.stderr)")
    #expect(broken.stderr.components(separatedBy: "broken.json").count == 2, "\(broken.stderr)")

    let badConfig = try Harness.run(
      ["compare", "capture.ndjson", "--config", "array.json", "--transformer", "builtin"], currentDirectory: dir.url)
    #expect(badConfig.status == 2)
    #expect(badConfig.stderr.contains("error: array.json: the destination must be"), "\(badConfig.stderr)")
    #expect(!badConfig.stderr.contains("capture.ndjson"), "\(badConfig.stderr)")

    let notEvent = try Harness.run(
      ["compare", "numbers.json", "--config", "dest.json", "--transformer", "builtin"], currentDirectory: dir.url)
    #expect(notEvent.status == 2)
    #expect(
      notEvent.stderr.contains("error: numbers.json: /1: expected an event object, found number"), "\(notEvent.stderr)")
  }
}
