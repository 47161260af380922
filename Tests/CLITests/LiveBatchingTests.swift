import Foundation
import JSON
import Synchronization
import TestSupport
import Testing
import TikTokAds

/// Processor cases batched against a live transformer: the answers mapped back are exactly those of each case sent
/// alone, and every situation where the mapping could be ambiguous falls back to one case per request.
@Suite struct LiveBatchingTests {
  /// The committed processor cases, each item given its own jobId, three of them made to fail.
  static func numberedCorpus(in dir: TemporaryDirectory) throws -> URL {
    var jobId = 1
    var cases: [(name: String, input: JSONValue)] = []
    for (name, input) in try LiveCorpus.goldenProcessorInputs() {
      cases.append((name, LiveCorpus.numbered(input, from: jobId)))
      jobId += input.arrayValue?.count ?? 1
    }
    let folder = dir.url.appendingPathComponent("Golden")
    var tampered = 0
    try LiveCorpus.write(cases, to: folder) { _, body in
      guard tampered < 3, case .array(var items) = body, !items.isEmpty, items[0]["output"] != nil else { return }
      tampered += 1
      _ = items[0].modifyObject { $0["statusCode"] = 299 }
      body = .array(items)
    }
    #expect(tampered == 3)
    return folder
  }

  @Test func batchedAndUnbatchedReportsAreIdenticalAgainstTheStandIn() throws {
    let standIn = try ServerProcess(["serve-transformer", "--port", "0"])
    defer { _ = standIn.stop() }
    let url = try #require(standIn.url)
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let corpus = try Self.numberedCorpus(in: dir)
    var reports: [JSONValue] = []
    let runs: [[String]] = [
      ["--transformer", "builtin"], ["--transformer", url], ["--transformer", url, "--no-batch"],
      ["--transformer", url, "--concurrency", "1", "--batch-size", "2"],
      ["--transformer", url, "--concurrency", "3", "--batch-size", "7"],
    ]
    for (k, run) in runs.enumerated() {
      let report = dir.url.appendingPathComponent("report-\(k).json")
      let r = try Harness.run(["replay", corpus.path, "--quiet", "--report", "json", report.path] + run)
      #expect(r.status == 1, "\(run): \(r.stdout)\(r.stderr)")
      #expect(r.stdout.contains("passed, 3 failed"), "\(run): \(r.stdout)")
      reports.append(try LiveCorpus.comparable(report))
      if run.contains("--no-batch") {
        #expect(r.stderr.contains(": 0 cases in shared requests"), "\(r.stderr)")
      } else if run.last != "builtin" {
        #expect(!r.stderr.contains(": 0 cases in shared requests"), "\(r.stderr)")
      }
      if run == ["--transformer", url] {
        // Every item has its own metadata, so every case is planned into a shared request; a request holding a case
        // that gets no answer item (R1's `__proto__`) is sent again case by case, and only those go alone.
        let alone = r.stderr.contains("re-sent one case at a time") || r.stderr.contains(", 0 sent alone")
        #expect(alone, "\(r.stderr)")
      }
    }
    for k in reports.indices.dropFirst() { #expect(reports[k] == reports[0], "run \(runs[k]) differs from builtin") }
  }

  @Test func twoCasesWithIdenticalMetadataNeverShareARequest() throws {
    let server = try CountingTransformer()
    defer { server.stop() }
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let cases = [
      ("a", liveEvent("Search", jobId: 7)), ("b", liveEvent("Search", jobId: 7)),
      ("c", liveEvent("ViewContent", jobId: 8)), ("d", liveEvent("Search", jobId: 9)),
    ]
    try LiveCorpus.write(cases, to: dir.url)
    let r = try Harness.run(["replay", dir.url.path, "--transformer", server.url, "--concurrency", "1"])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("4 passed, 0 failed"), "\(r.stdout)")
    let requests = server.processorRequests
    for request in requests {
      #expect(Set(request).count == request.count, "a request held one jobId twice: \(requests)")
    }
    #expect(requests.filter { $0.contains(7) }.count == 2, "\(requests)")
    #expect(requests.count == 2, "a first fit puts a, c, d together and b alone: \(requests)")
  }

  @Test func aCaseProducingNoItemMakesTheBatchGoAgainOneCaseAtATime() throws {
    let server = try CountingTransformer()
    defer { server.stop() }
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    // R1: upstream's Events 1.0 lookup finds `__proto__` on the prototype chain and answers no item at all.
    #expect(try TikTokAdsTransformer().processorResponse(for: liveEvent("__proto__", jobId: 2)) == .array([]))
    let cases = [
      ("a", liveEvent("Search", jobId: 1)), ("b", liveEvent("__proto__", jobId: 2)),
      ("c", liveEvent("ViewContent", jobId: 3)),
    ]
    try LiveCorpus.write(cases, to: dir.url)
    let r = try Harness.run(["replay", dir.url.path, "--transformer", server.url, "--concurrency", "1"])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(server.processorRequests == [[1, 2, 3], [1], [2], [3]])
    #expect(r.stderr.contains("1 shared request re-sent one case at a time"), "\(r.stderr)")
    #expect(r.stderr.contains(": 0 cases in shared requests, 3 sent alone"), "\(r.stderr)")
  }

  @Test func aCaseProducingThreeItemsIsMappedBackFromTheBatchByItsMetadata() throws {
    let server = try CountingTransformer()
    defer { server.stop() }
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let config: JSONValue = [
      "accessToken": "t", "pixelCode": "P",
      "eventsToStandard": [
        ["from": "Signed Up", "to": "CompleteRegistration"], ["from": "signed up", "to": "Subscribe"],
        ["from": "SIGNED UP", "to": "Contact"],
      ],
    ]
    let three = liveEvent("Signed Up", jobId: 2, config: config)
    #expect(try TikTokAdsTransformer().processorResponse(for: three).arrayValue?.count == 3)
    let cases = [("a", liveEvent("Search", jobId: 1)), ("b", three), ("c", liveEvent("ViewContent", jobId: 3))]
    // `b` expects only two of its three items: the mapping must give it all three to report the third as unexpected.
    try LiveCorpus.write(cases, to: dir.url) { name, body in
      if name == "b", case .array(let items) = body { body = .array(Array(items.prefix(2))) }
    }
    var outputs: [String] = []
    for extra in [[], ["--no-batch"]] {
      let r = try Harness.run(["replay", dir.url.path, "--transformer", server.url, "--concurrency", "1"] + extra)
      #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
      #expect(r.stdout.contains("2 passed, 1 failed"), "\(r.stdout)")
      #expect(r.stdout.contains("/body/2: unexpected"), "\(r.stdout)")
      outputs.append(r.stdout)
    }
    #expect(outputs[0] == outputs[1])
    #expect(server.processorRequests == [[1, 2, 3], [1], [2], [3]], "one shared request, then the three alone")
  }

  @Test func casesWithoutMetadataRouterCasesAndOverrideCasesGoAlone() throws {
    let server = try CountingTransformer()
    defer { server.stop() }
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let cases = [
      ("a", liveEvent("Search", jobId: 1)), ("b", liveEvent("Search", jobId: 2, metadata: false)),
      ("c", liveEvent("ViewContent", jobId: 3)),
    ]
    try LiveCorpus.write(cases, to: dir.url)
    for name in ["router/v2-batch.json", "router/v1-batch.json", "router/v2-batch-limit-override.json"] {
      let source = Paths.packageRoot.appendingPathComponent("Golden/\(name)")
      try FileManager.default.copyItem(
        at: source, to: dir.url.appendingPathComponent(name.replacing("/", with: "-")))
    }
    let r = try Harness.run(["replay", dir.url.path, "--transformer", server.url, "--concurrency", "1"])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(server.processorRequests == [[1, 3], [nil]], "\(server.processorRequests)")
    let router = server.seen.withLock { $0.filter { $0.path == "/routerTransform" }.count }
    #expect(router == 2, "each router case alone; the override case is not sent")
    #expect(r.stdout.contains("5 passed, 0 failed, 1 skipped"), "\(r.stdout)")
    #expect(r.stdout.contains("a live transformer cannot apply"), "\(r.stdout)")
  }

  /// A transformer that answers a shared request with one item's metadata on another item's answer: the mapping
  /// notices (order, or an item left without answer) and the cases go again one by one, so the report is exact.
  @Test func aTransformerThatMislabelsOrDropsAnswersInSharedRequestsIsCaught() throws {
    let mislabel: CountingTransformer.Handler = { path, body in
      var (status, answer) = CountingTransformer.builtin(path, body)
      if case .array(var items) = answer, (body.arrayValue?.count ?? 0) > 1, items.count >= 2 {
        let first = items[0]["metadata"]
        let second = items[1]["metadata"]
        _ = items[0].modifyObject { $0["metadata"] = second }
        _ = items[1].modifyObject { $0["metadata"] = first }
        answer = .array(items)
      }
      return (status, answer)
    }
    let drop: CountingTransformer.Handler = { path, body in
      var (status, answer) = CountingTransformer.builtin(path, body)
      if case .array(let items) = answer, (body.arrayValue?.count ?? 0) > 1 { answer = .array(items.dropLast()) }
      return (status, answer)
    }
    let refuse: CountingTransformer.Handler = { path, body in
      (body.arrayValue?.count ?? 0) > 1
        ? (413, ["message": "request entity too large"]) : CountingTransformer.builtin(path, body)
    }
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try LiveCorpus.write(
      [
        ("a", liveEvent("Search", jobId: 1)), ("b", liveEvent("ViewContent", jobId: 2)),
        ("c", liveEvent("Search", jobId: 3)),
      ], to: dir.url)
    for (label, handler) in [("mislabel", mislabel), ("drop", drop), ("refuse", refuse)] {
      let server = try CountingTransformer(handler: handler)
      defer { server.stop() }
      let r = try Harness.run(["replay", dir.url.path, "--transformer", server.url, "--concurrency", "1"])
      #expect(r.status == 0, "\(label): \(r.stdout)\(r.stderr)")
      #expect(r.stdout.contains("3 passed, 0 failed"), "\(label): \(r.stdout)")
      #expect(server.processorRequests == [[1, 2, 3], [1], [2], [3]], "\(label): \(server.processorRequests)")
      #expect(r.stderr.contains("1 shared request re-sent one case at a time"), "\(label): \(r.stderr)")
    }
  }
}
