import Foundation
import JSON
import Synchronization
import TestSupport
import Testing

/// `--concurrency N` against a live transformer: N keep-alive connections in flight, no more, and the run still stops
/// within about one timeout when the transformer never answers.
@Suite struct LiveConcurrencyTests {
  /// `count` cases with distinct metadata, in a temporary folder.
  static func cases(_ count: Int, in dir: TemporaryDirectory) throws {
    let names = ["Search", "ViewContent", "AddToCart"]
    try LiveCorpus.write(
      (0..<count).map { (String(format: "c%03d", $0), liveEvent(names[$0 % 3], jobId: $0 + 1)) }, to: dir.url)
  }

  @Test(arguments: [1, 4])
  func concurrencyReachesNAndNoMoreOnNKeepAliveConnections(n: Int) throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try Self.cases(16, in: dir)
    for batching in [["--no-batch"], []] {
      let server = try CountingTransformer(delay: 0.1)
      defer { server.stop() }
      let r = try Harness.run(
        ["replay", dir.url.path, "--transformer", server.url, "--concurrency", String(n)] + batching)
      #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
      #expect(r.stdout.contains("16 passed, 0 failed"), "\(r.stdout)")
      #expect(server.maxInFlight.load(ordering: .relaxed) == n, "\(batching): in flight at once")
      #expect(server.connections.load(ordering: .relaxed) == n, "\(batching): connections kept alive and reused")
      let requests = server.processorRequests
      if batching.isEmpty {
        // 16 events spread over the N connections, each request as large as that allows (at least 2 events).
        #expect(requests.count == (n == 1 ? 1 : 4), "\(requests)")
      } else {
        #expect(requests.count == 16, "\(requests)")
      }
    }
  }

  /// A server that closes each kept-alive connection after one answer, without saying so (as one does when a
  /// connection stays idle past its keep-alive timeout): each request that finds its connection closed is sent once
  /// more on a new one, and the run passes.
  @Test func aConnectionClosedByTheServerWhileIdleIsReplacedAndTheRequestSentAgain() throws {
    let server = try CountingTransformer(closeAfterAnswer: true)
    defer { server.stop() }
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try Self.cases(12, in: dir)
    let r = try Harness.run(
      ["replay", dir.url.path, "--transformer", server.url, "--concurrency", "2", "--no-batch", "--quiet"])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("12 passed, 0 failed"), "\(r.stdout)")
    #expect(server.processorRequests.count == 12, "each case answered once")
    #expect(server.connections.load(ordering: .relaxed) >= 12, "a new connection for each request")
  }

  @Test func concurrencyAndBatchSizeAreValidatedOnBothSidesOfTheirLimits() throws {
    let standIn = try ServerProcess(["serve-transformer", "--port", "0"])
    defer { _ = standIn.stop() }
    let url = try #require(standIn.url)
    let base = ["replay", "Golden/v1", "--transformer", url, "--quiet"]
    for bad in [
      ["--concurrency", "0"], ["--concurrency", "65"], ["--concurrency", "-1"], ["--concurrency", "x"],
      ["--batch-size", "0"], ["--batch-size", "10001"], ["--no-batch", "--batch-size", "5"],
    ] {
      for command in [base, ["compare", "Golden/v1/event-search.json", "--transformer", url]] {
        let r = try Harness.run(command + bad)
        #expect(r.status == 2, "\(bad): \(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains(bad[0]), "\(bad): \(r.stderr)")
      }
    }
    for good in [
      ["--concurrency", "1"], ["--concurrency", "64"], ["--batch-size", "1"], ["--batch-size", "10000"],
      ["--no-batch"],
    ] {
      let r = try Harness.run(base + good)
      #expect(r.status == 0, "\(good): \(r.stdout)\(r.stderr)")
    }
    // The built-in transformer takes the options and has nothing to do with them.
    let builtin = try Harness.run(["replay", "Golden/v1", "--quiet", "--concurrency", "64", "--no-batch"])
    #expect(builtin.status == 0, "\(builtin.stdout)\(builtin.stderr)")
  }

  /// Eight connections to a server that never answers: all eight time out together, so the run stops within about
  /// one timeout, and `--update` writes nothing.
  @Test func aNeverAnsweringTransformerStopsTheRunWithinAboutOneTimeoutWithEightConnections() throws {
    let server = try SilentServer()
    defer { server.stop() }
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try Self.cases(200, in: dir)
    let before = try LiveTransformerGateTests.snapshot(dir.url)
    for batching in [["--no-batch"], []] {
      let start = Date()
      let r = try Harness.run(
        [
          "replay", dir.url.path, "--transformer", "http://127.0.0.1:\(server.port)", "--timeout", "1", "--update",
          "--concurrency", "8", "--quiet",
        ] + batching)
      let elapsed = Date().timeIntervalSince(start)
      #expect(r.status == 3, "\(r.stdout)\(r.stderr)")
      #expect(r.stdout.contains("could not be reached: no answer within 1 s"), "\(r.stdout)")
      #expect(r.stderr.contains("no golden file was rewritten"), "\(r.stderr)")
      #expect(elapsed < 6, "\(batching): took \(elapsed) s for a 1 s timeout")
    }
    #expect(server.connections.load(ordering: .relaxed) <= 16, "8 connections a run")
    #expect(try LiveTransformerGateTests.snapshot(dir.url) == before, "a golden file changed")
  }

  @Test func compareAgainstANeverAnsweringTransformerStopsWithinAboutOneTimeout() throws {
    let server = try SilentServer()
    defer { server.stop() }
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let lines = (0..<50).map {
      #"{"type":"track","event":"Search","messageId":"m\#($0)","timestamp":"2024-01-01T00:00:00Z"}"#
    }
    try dir.write("capture.ndjson", lines.joined(separator: "\n"))
    try dir.write("d.json", #"{"accessToken":"t","pixelCode":"P","version":"v2"}"#)
    for batching in [["--no-batch"], []] {
      let start = Date()
      let r = try Harness.run(
        [
          "compare", "capture.ndjson", "--config", "d.json", "--transformer", "http://127.0.0.1:\(server.port)",
          "--timeout", "1", "--concurrency", "8",
        ] + batching, currentDirectory: dir.url)
      let elapsed = Date().timeIntervalSince(start)
      #expect(r.status == 3, "\(r.stdout)\(r.stderr)")
      #expect(r.stdout.contains("no answer within 1 s"), "\(r.stdout)")
      #expect(elapsed < 6, "\(batching): took \(elapsed) s for a 1 s timeout")
    }
  }

  @Test func compareBatchedAndUnbatchedGiveTheSameReportAgainstTheStandIn() throws {
    let standIn = try ServerProcess(["serve-transformer", "--port", "0"])
    defer { _ = standIn.stop() }
    let url = try #require(standIn.url)
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let names = ["Search", "ViewContent", "Order Completed", "Product Added", "Signed Up", "Checkout Started"]
    var lines: [String] = []
    for i in 0..<60 {
      lines.append(
        #"{"type":"track","event":"\#(names[i % names.count])","messageId":"m\#(i)","timestamp":"2024-01-01T00:00:\#(10 + i % 50)Z","properties":{"value":\#(i),"currency":"USD"}}"#
      )
    }
    try dir.write("capture.ndjson", lines.joined(separator: "\n"))
    try dir.write("d.json", #"{"accessToken":"t","pixelCode":"P","version":"v2"}"#)
    var reports: [JSONValue] = []
    for extra in [[], ["--no-batch"], ["--concurrency", "1"], ["--baseline", url, "--concurrency", "3"]] {
      let report = dir.url.appendingPathComponent("r\(reports.count).json")
      let r = try Harness.run(
        ["compare", "capture.ndjson", "--config", "d.json", "--transformer", url, "--report", "json", report.path]
          + extra, currentDirectory: dir.url)
      #expect(r.status == 0, "\(extra): \(r.stdout)\(r.stderr)")
      #expect(r.stdout.contains("60 passed, 0 failed"), "\(extra): \(r.stdout)")
      if extra.isEmpty {
        #expect(
          r.stderr.contains("\(url): 8 requests on up to 8 connections: 60 cases in shared requests"), "\(r.stderr)")
      }
      reports.append(try LiveCorpus.comparable(report))
    }
    for k in reports.indices.dropFirst() { #expect(reports[k] == reports[0], "compare run \(k) differs") }
  }
}

/// A transformer that starts answering wrong in the middle of a run: replay reports every case up to the first
/// wrong answer, and `--update` rewrites the cases of the windows answered in full before it (512 files a window),
/// never one of the window in which it came.
@Suite struct LiveMidRunStopTests {
  @Test func aTransformerThatFailsInTheSecondWindowLeavesThatWindowsFilesUnchanged() throws {
    let server = try CountingTransformer { path, body in
      let jobIds = body.arrayValue?.compactMap { $0["metadata"]?["jobId"]?.int64Value } ?? []
      guard jobIds.contains(where: { $0 > 512 }) else { return CountingTransformer.builtin(path, body) }
      // The second window's first shared request is answered last: its cases are not sent again one by one, as
      // another request stopped the run meanwhile; they are still reported with their own request's answer.
      if jobIds.count > 1 && jobIds.contains(513) { usleep(300_000) }
      return (404, ["message": "Route not found"])
    }
    defer { server.stop() }
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let cases = (0..<600).map { (String(format: "c%03d", $0), liveEvent("Search", jobId: $0 + 1)) }
    try LiveCorpus.write(cases, to: dir.url) { _, body in
      if case .array(var items) = body {
        _ = items[0].modifyObject { $0["statusCode"] = 299 }
        body = .array(items)
      }
    }
    let before = try LiveTransformerGateTests.snapshot(dir.url)
    let r = try Harness.run(["replay", dir.url.path, "--transformer", server.url, "--update", "--quiet"])
    #expect(r.status == 3, "\(r.stdout.suffix(500))\(r.stderr)")
    #expect(
      r.stdout.contains("answered HTTP 404, not a 2xx status"),
      "\(r.stdout.split(separator: "\n").filter { !$0.hasPrefix("UPDATED") && !$0.hasPrefix("  ") }.joined(separator: "\n"))"
    )
    #expect(r.stderr.contains("no golden file was rewritten from the cases in flight"), "\(r.stderr)")
    let after = try LiveTransformerGateTests.snapshot(dir.url)
    let changed = Set(after.keys.filter { after[$0] != before[$0] })
    #expect(changed == Set((0..<512).map { String(format: "c%03d.json", $0) }), "\(changed.count) files changed")
    #expect(r.stdout.components(separatedBy: "UPDATED").count - 1 == 512, "\(r.stdout.suffix(300))")
  }
}
