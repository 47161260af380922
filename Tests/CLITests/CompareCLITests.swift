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

  /// A capture's personal data (fields no list names included), sent in clear when hashUserProperties is off, is
  /// masked in the terminal and in every report unless --show-personal-data asks for it; the planted difference
  /// and the mapping's own constants still read as they are.
  @Test func personalDataOfTheCaptureIsMaskedUnlessAskedFor() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write(
      "capture.ndjson",
      #"{"type":"track","event":"Search","messageId":"m1","timestamp":"2024-05-01T12:00:00Z","properties":{"query":"gift for Jane Roe"},"context":{"traits":{"email":"jane.roe@example.com","phone":"+14155550123"},"ip":"203.0.113.9","userAgent":"Mozilla/5.0 (X11; Linux) Firefox/120.0","page":{"url":"https://shop.example/?who=jane.roe%40example.com"}}}"#
    )
    try dir.write(
      "dest.json", #"{"accessToken":"tok-abcdef","pixelCode":"PIX1","version":"v2","hashUserProperties":false}"#)
    let server = try transformingServer { response in
      // The planted regression: every item dropped, so every expected value is printed as missing.
      guard case .array(let items) = response else { return response }
      return .array(
        items.map { item in
          guard case .object(var o) = item else { return item }
          o.removeValue(forKey: "output")
          return .object(o)
        })
    }
    defer { server.stop() }
    let args = [
      "compare", "capture.ndjson", "--config", "dest.json", "--transformer", server.url, "--report", "json", "r.json",
      "--report", "junit", "r.xml", "--report", "markdown", "r.md",
    ]
    let masked = try Harness.run(args, currentDirectory: dir.url)
    #expect(masked.status == 1, "\(masked.stdout)\(masked.stderr)")
    let clear = ["jane.roe", "Jane Roe", "4155550123", "203.0.113.9", "Firefox/120.0", "tok-abcdef"]
    for file in ["r.json", "r.xml", "r.md"] {
      let text = try String(contentsOf: dir.url.appendingPathComponent(file), encoding: .utf8)
      for value in clear { #expect(!text.contains(value), "\(file) holds \(value)") }
    }
    for value in clear { #expect(!masked.stdout.contains(value), "stdout holds \(value)") }
    let json = try String(contentsOf: dir.url.appendingPathComponent("r.json"), encoding: .utf8)
    #expect(json.contains("<email address: 20 characters>"), "\(json)")
    #expect(json.contains(#""partner_name": "RudderStack""#) && json.contains(#""event": "Search""#), "\(json)")
    // Asked for, the values are printed as the transformer sent them (the token stays masked: it is a secret).
    let shown = try Harness.run(args + ["--show-personal-data"], currentDirectory: dir.url)
    #expect(shown.status == 1)
    let shownJSON = try String(contentsOf: dir.url.appendingPathComponent("r.json"), encoding: .utf8)
    #expect(shownJSON.contains("jane.roe@example.com") && shownJSON.contains("203.0.113.9"), "\(shownJSON)")
    #expect(!shownJSON.contains("tok-abcdef"))
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
