import Foundation
import JSON
import TestSupport
import Testing

/// `minimize` end to end: the built binary against the built-in transformer and a loopback stand-in with one
/// planted mapping difference (``standInTransformer(status:change:)``).
@Suite struct MinimizeCLITests {
  private func folder() throws -> TemporaryDirectory {
    let dir = try TemporaryDirectory()
    try dir.write("capture.json", minimizeCapture)
    try dir.write("dest.json", minimizeConfig)
    return dir
  }

  /// The whole promise: exit 0, a report with tries and sizes, a case replay loads that passes on the reference
  /// and fails on the candidate with exactly the signature, and no single removal that keeps the difference.
  @Test func shrinksToAOneMinimalCaseThatKeepsTheSignature() throws {
    let dir = try folder()
    defer { dir.remove() }
    let server = try standInTransformer(change: dropCurrency)
    defer { server.stop() }
    let r = try Harness.run(
      [
        "minimize", "capture.json", "--config", "dest.json", "--transformer", server.url, "--against", "builtin",
        "-o", "case.json",
      ], currentDirectory: dir.url)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.isEmpty)
    let signature = "/body/*/output/body/JSON/data/*/properties/currency: missing"
    #expect(signatureLines(r.stderr) == [signature], "\(r.stderr)")
    #expect(r.stderr.contains(#/tries: \d+ of 4000 \(\d+ more answered from the cache\)/#), "\(r.stderr)")
    #expect(r.stderr.contains(#/size: \d+ → \d+ bytes of compact JSON, \d+ → \d+ leaves/#), "\(r.stderr)")
    #expect(r.stderr.contains("1-minimal: verified"), "\(r.stderr)")
    #expect(!r.stderr.contains("\r"))  // no progress line when standard error is not a terminal

    let text = try String(contentsOf: dir.url.appendingPathComponent("case.json"), encoding: .utf8)
    let written = try JSONValue.parse(text)
    #expect(written.canonicalString() == text)  // canonical JSON, as record writes
    #expect(written["route"] == "POST /v0/destinations/tiktok_ads")
    let items = try #require(written["input"]?.arrayValue)
    #expect(items.count == 1)
    let item = try #require(items.first?.objectValue)
    #expect(item.keys.sorted() == ["destination", "message", "metadata"])
    #expect(item["message"]?["properties"]?["currency"] != nil)
    #expect(!text.contains("live-token-5f3a9c1d") && !text.contains("Jane.Doe"))
    let sizes = try #require(r.stderr.firstMatch(of: #/size: (\d+) → (\d+) bytes/#))
    #expect(Int(sizes.2)! == JSONValue.array(items).compactBytes().count)
    #expect(Int(sizes.2)! * 3 < Int(sizes.1)!)

    // Replay loads it: it passes on the reference and fails on the candidate with the same signature.
    let onReference = try Harness.run(["replay", "case.json"], currentDirectory: dir.url)
    #expect(onReference.status == 0, "\(onReference.stdout)")
    let onCandidate = try Harness.run(["replay", "case.json", "--transformer", server.url], currentDirectory: dir.url)
    #expect(onCandidate.status == 1, "\(onCandidate.stdout)")
    #expect(signatureLines(onCandidate.stdout) == [signature], "\(onCandidate.stdout)")

    // 1-minimal, checked independently with `compare`: each single removal outside the envelope loses or
    // changes the difference.
    var removals = 0
    for smaller in singleRemovals(of: .array(items)) {
      removals += 1
      try dir.write("smaller.json", smaller.compactString())
      let c = try Harness.run(
        ["compare", "smaller.json", "--transformer", server.url, "--baseline", "builtin"], currentDirectory: dir.url)
      #expect(c.status == 0 || c.status == 1, "\(c.stderr)")
      #expect(signatureLines(c.stdout) != [signature], "still differs the same way: \(smaller.compactString())")
    }
    #expect(removals >= 3)
  }

  @Test func transformersThatAgreeExitOne() throws {
    let dir = try folder()
    defer { dir.remove() }
    let server = try standInTransformer()
    defer { server.stop() }
    let r = try Harness.run(
      ["minimize", "capture.json", "--config", "dest.json", "--transformer", server.url, "--against", "builtin"],
      currentDirectory: dir.url)
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stderr.contains("the two transformers give the same answer for this capture: no difference to keep"))
    #expect(r.stdout.isEmpty)
    let same = try Harness.run(
      ["minimize", "capture.json", "--config", "dest.json", "--transformer", "builtin", "--against", "builtin"],
      currentDirectory: dir.url)
    #expect(same.status == 1, "\(same.stderr)")
    let redacted = try Harness.run(
      [
        "minimize", "capture.json", "--config", "dest.json", "--transformer", server.url, "--against", "builtin",
        "--redact",
      ], currentDirectory: dir.url)
    #expect(redacted.status == 1)
    #expect(
      redacted.stderr.contains("no difference to keep after redaction (the difference may lie in a redacted value)"))
  }

  @Test func anUnreachableTransformerExitsThree() throws {
    let dir = try folder()
    defer { dir.remove() }
    let url = "http://127.0.0.1:\(closedLoopbackPort())"
    let r = try Harness.run(
      ["minimize", "capture.json", "--config", "dest.json", "--transformer", url, "--against", "builtin"],
      currentDirectory: dir.url)
    #expect(r.status == 3, "\(r.stderr)")
    #expect(r.stderr.contains("error: transformer at \(url)/v0/destinations/tiktok_ads could not be reached"))
    #expect(r.stdout.isEmpty)
  }

  /// An error status or a body that is not JSON for the capture itself is "unreachable or wrong" (exit 3), never a
  /// difference.
  @Test func anErrorAnswerToTheCaptureExitsThree() throws {
    let dir = try folder()
    defer { dir.remove() }
    let failing = try standInTransformer(status: { _ in 500 })
    defer { failing.stop() }
    let r = try Harness.run(
      ["minimize", "capture.json", "--config", "dest.json", "--transformer", "builtin", "--against", failing.url],
      currentDirectory: dir.url)
    #expect(r.status == 3, "\(r.stderr)")
    #expect(r.stderr.contains("answered HTTP 500, not a 2xx status"), "\(r.stderr)")
    let html = try ReplayTestServer { _, _, _ in (200, "text/html", Array("<html>gateway</html>".utf8)) }
    defer { html.stop() }
    let notJSON = try Harness.run(
      ["minimize", "capture.json", "--config", "dest.json", "--transformer", html.url, "--against", "builtin"],
      currentDirectory: dir.url)
    #expect(notJSON.status == 3, "\(notJSON.stderr)")
    #expect(notJSON.stderr.contains("did not answer JSON"), "\(notJSON.stderr)")
    // JSON, but not a response of the route: a transformer that answers 200 with an error object.
    let object = try ReplayTestServer { _, _, _ in (200, "application/json", Array(#"{"message":"no route"}"#.utf8)) }
    defer { object.stop() }
    for (route, shape) in [
      ([String](), "not a processor response body"),
      (["--router"], "not a router response body"),
    ] {
      let r = try Harness.run(
        ["minimize", "capture.json", "--config", "dest.json", "--transformer", object.url, "--against", "builtin"]
          + route, currentDirectory: dir.url)
      #expect(r.status == 3, "\(r.stderr)")
      #expect(r.stderr.contains("answered HTTP 200, \(shape)"), "\(r.stderr)")
    }
  }

  /// A transformer that accepts the connection and never answers: the per-request timeout, then exit 3.
  @Test func aTransformerThatNeverAnswersTimesOutAndExitsThree() throws {
    let dir = try folder()
    defer { dir.remove() }
    let silent = try ReplayTestServer { _, _, _ in
      Thread.sleep(forTimeInterval: 3)
      return (200, "application/json", Array("[]".utf8))
    }
    defer { silent.stop() }
    let start = Date()
    let r = try Harness.run(
      [
        "minimize", "capture.json", "--config", "dest.json", "--transformer", silent.url, "--against", "builtin",
        "--timeout", "0.5",
      ], currentDirectory: dir.url)
    #expect(r.status == 3, "\(r.stderr)")
    #expect(r.stderr.contains("could not be reached: no answer within 0.5 s"), "\(r.stderr)")
    #expect(Date().timeIntervalSince(start) < 3)
  }

  /// A candidate a transformer answers with an error status is counted as not showing the difference: what it
  /// lacked stays in the result.
  @Test func anErrorAnswerToACandidateIsNeverADifference() throws {
    let dir = try folder()
    defer { dir.remove() }
    let server = try standInTransformer(
      status: { body in body[0]?["message"]?["messageId"] == nil ? 500 : nil }, change: dropCurrency)
    defer { server.stop() }
    let r = try Harness.run(
      [
        "minimize", "capture.json", "--config", "dest.json", "--transformer", server.url, "--against", "builtin",
        "-o", "case.json",
      ], currentDirectory: dir.url)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains(#/; \d+ answered with an error status or not a response, counted as not showing it\)/#))
    let written = try JSONValue.parse(String(contentsOf: dir.url.appendingPathComponent("case.json"), encoding: .utf8))
    #expect(written["input"]?[0]?["message"]?["messageId"] != nil)
  }

  @Test func badInputExitsTwoNamingTheFileLineAndColumn() throws {
    let dir = try folder()
    defer { dir.remove() }
    try dir.write("broken.json", "{\"type\":\"track\",\n  \"event\": \"Order Completed\",,\n}")
    let broken = try Harness.run(
      ["minimize", "broken.json", "--config", "dest.json", "--transformer", "builtin", "--against", "builtin"],
      currentDirectory: dir.url)
    #expect(broken.status == 2)
    #expect(broken.stderr.hasPrefix("tiktok-harness minimize: error: broken.json:2:30: "), "\(broken.stderr)")
    let empty = try Harness.run(
      ["minimize", "-", "--config", "dest.json", "--transformer", "builtin", "--against", "builtin"], stdin: "",
      currentDirectory: dir.url)
    #expect(empty.status == 2 && empty.stderr.contains("error: <stdin>:1:1: "), "\(empty.stderr)")
    let noConfig = try Harness.run(
      ["minimize", "capture.json", "--transformer", "builtin", "--against", "builtin"], currentDirectory: dir.url)
    #expect(
      noConfig.status == 2 && noConfig.stderr.contains("no destination; pass --config DEST"), "\(noConfig.stderr)")
    for (args, message) in [
      (["capture.json", "--config", "dest.json", "--transformer", "builtin"], "minimize needs --against B"),
      (["capture.json", "--config", "dest.json", "--against", "builtin"], "minimize needs --transformer A"),
      (
        ["capture.json", "--config", "dest.json", "--transformer", "builtin", "--against", "ftp://x"],
        "--transformer expects 'builtin' or an http:// or https:// URL"
      ),
      (
        [
          "capture.json", "--config", "dest.json", "--transformer", "builtin", "--against", "builtin", "--max-tries",
          "0",
        ],
        "--max-tries expects a positive number of tries"
      ),
      (["--transformer", "builtin", "--against", "builtin"], "minimize takes exactly one CAPTURE file"),
    ] {
      let r = try Harness.run(["minimize"] + args, currentDirectory: dir.url)
      #expect(r.status == 2 && r.stderr.contains(message), "\(args): \(r.stderr)")
    }
    let help = try Harness.run(["minimize", "--help"])
    #expect(help.status == 0 && help.stdout.contains("-o, --output CASE"), "\(help.stdout)")
    #expect(try Harness.run(["--help"]).stdout.contains("  minimize   Shrink a captured event"))
  }

  @Test func anExistingCaseIsKeptUnlessForced() throws {
    let dir = try folder()
    defer { dir.remove() }
    try dir.write("case.json", "keep me")
    let server = try standInTransformer(change: dropCurrency)
    defer { server.stop() }
    let args = [
      "minimize", "capture.json", "--config", "dest.json", "--transformer", server.url, "--against", "builtin", "-o",
      "case.json",
    ]
    let refused = try Harness.run(args, currentDirectory: dir.url)
    #expect(refused.status == 2 && refused.stderr.contains("case.json already exists; pass --force"))
    #expect(try String(contentsOf: dir.url.appendingPathComponent("case.json"), encoding: .utf8) == "keep me")
    let forced = try Harness.run(args + ["--force"], currentDirectory: dir.url)
    #expect(forced.status == 0, "\(forced.stderr)")
    let folder = try Harness.run(Array(args.dropLast()) + ["."], currentDirectory: dir.url)
    #expect(folder.status == 2 && folder.stderr.contains("error: . is a folder; -o takes the case file's path"))
    #expect(!folder.stderr.contains("tries:"))  // refused before any transformer is asked
  }

  /// Both sides of the budget: the tries a full run needs are enough; fewer write the best case so far, still with
  /// the difference, and say it may not be 1-minimal (exit 0: the case is valid, only larger).
  @Test func theBudgetBoundsTheRunAndSaysSo() throws {
    let dir = try folder()
    defer { dir.remove() }
    let server = try standInTransformer(change: dropCurrency)
    defer { server.stop() }
    let base = [
      "minimize", "capture.json", "--config", "dest.json", "--transformer", server.url, "--against", "builtin",
    ]
    let full = try Harness.run(base, currentDirectory: dir.url)
    let tries = try #require(full.stderr.firstMatch(of: #/tries: (\d+) of/#).map { Int($0.1)! })
    let exact = try Harness.run(base + ["--max-tries", String(tries)], currentDirectory: dir.url)
    #expect(exact.status == 0 && exact.stderr.contains("1-minimal: verified"), "\(exact.stderr)")
    #expect(exact.stdout == full.stdout)

    let short = try Harness.run(base + ["--max-tries", "12", "-o", "case.json"], currentDirectory: dir.url)
    #expect(short.status == 0, "\(short.stderr)")
    #expect(short.stderr.contains("tries: 12 of 12"), "\(short.stderr)")
    #expect(
      short.stderr.contains(
        "warning: the budget of 12 tries ran out: the case keeps the difference but may not be 1-minimal"))
    #expect(!short.stderr.contains("1-minimal: verified"))
    let replay = try Harness.run(["replay", "case.json", "--transformer", server.url], currentDirectory: dir.url)
    #expect(replay.status == 1)
    #expect(signatureLines(replay.stdout) == ["/body/*/output/body/JSON/data/*/properties/currency: missing"])
  }

  /// A transformer that stops answering mid-run: exit 3, and the smallest case found so far is still written.
  @Test func aTransformerThatGoesAwayMidRunExitsThreeWithTheBestSoFar() throws {
    let dir = try folder()
    defer { dir.remove() }
    let answered = Counter()
    nonisolated(unsafe) var server: ReplayTestServer?
    server = try ReplayTestServer { _, path, body in
      if answered.increment() == 30 { server?.stop() }  // the 30th answer is the last
      return standInAnswer(path: path, bytes: body, change: dropCurrency)
    }
    defer { server?.stop() }
    let url = try #require(server?.url)
    let r = try Harness.run(
      [
        "minimize", "capture.json", "--config", "dest.json", "--transformer", url, "--against", "builtin", "-o",
        "case.json",
      ],
      currentDirectory: dir.url)
    #expect(r.status == 3, "\(r.stderr)")
    #expect(r.stderr.contains("could not be reached"), "\(r.stderr)")
    #expect(r.stderr.contains("the case written is the smallest found so far and may not be 1-minimal"))
    let written = try JSONValue.parse(String(contentsOf: dir.url.appendingPathComponent("case.json"), encoding: .utf8))
    #expect(written["input"]?[0]?["message"]?["properties"]?["currency"] != nil)
  }

  @Test func withoutOutputTheCaseGoesToStandardOutput() throws {
    let dir = try folder()
    defer { dir.remove() }
    let server = try standInTransformer(change: dropCurrency)
    defer { server.stop() }
    let r = try Harness.run(
      ["minimize", "capture.json", "--config", "dest.json", "--transformer", server.url, "--against", "builtin"],
      currentDirectory: dir.url)
    #expect(r.status == 0, "\(r.stderr)")
    let value = try JSONValue.parse(r.stdout)
    #expect(value.canonicalString() == r.stdout)
    #expect(value["description"]?.stringValue?.contains("properties/currency: missing") == true)
    try dir.write("printed.json", r.stdout)
    #expect(try Harness.run(["replay", "printed.json"], currentDirectory: dir.url).status == 0)
  }

  /// With --redact the event is redacted first, as record does, and the redacted event is minimized: a difference
  /// in the user block keeps a user field, but never the customer's own value.
  @Test func redactionIsHonoured() throws {
    let dir = try folder()
    defer { dir.remove() }
    let server = try standInTransformer(change: { $0["user"] = nil })
    defer { server.stop() }
    let r = try Harness.run(
      [
        "minimize", "capture.json", "--config", "dest.json", "--transformer", server.url, "--against", "builtin",
        "--redact", "-o", "case.json",
      ], currentDirectory: dir.url)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(signatureLines(r.stderr) == ["/body/*/output/body/JSON/data/*/user: missing"])
    let text = try String(contentsOf: dir.url.appendingPathComponent("case.json"), encoding: .utf8)
    let message = try #require(try JSONValue.parse(text)["input"]?[0]?["message"])
    #expect(message["context"] != nil || message["userId"] != nil || message["anonymousId"] != nil, "\(text)")
    for secret in ["Jane.Doe@example.com", "+447700900123", "447700900123", "crm-99812", "cust-8812", "anon-77aa"] {
      #expect(!text.contains(secret), "\(secret) was written")
    }
  }

  @Test func routerRequestsMinimizeToARouterCase() throws {
    let dir = try folder()
    defer { dir.remove() }
    try dir.write(
      "two.ndjson",
      minimizeCapture.replacingOccurrences(of: "\n", with: "") + "\n"
        + minimizeCapture.replacingOccurrences(of: "\n", with: ""))
    let server = try standInTransformer(change: dropCurrency)
    defer { server.stop() }
    let r = try Harness.run(
      [
        "minimize", "two.ndjson", "--router", "--config", "dest.json", "--transformer", server.url, "--against",
        "builtin", "-o", "case.json",
      ], currentDirectory: dir.url)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(signatureLines(r.stderr) == ["/body/output/*/batchedRequest/body/JSON/data/*/properties/currency: missing"])
    let written = try JSONValue.parse(String(contentsOf: dir.url.appendingPathComponent("case.json"), encoding: .utf8))
    #expect(written["route"] == "POST /routerTransform")
    #expect(written["input"]?["destType"] == "tiktok_ads")
    #expect(written["input"]?["input"]?.arrayValue?.count == 1)
    #expect(written["input"]?["input"]?[0]?["metadata"]?["jobId"] != nil)
    #expect(try Harness.run(["replay", "case.json"], currentDirectory: dir.url).status == 0)
  }

  @Test func progressIsOneUpdatingLineOnATerminalOnly() throws {
    let dir = try folder()
    defer { dir.remove() }
    let server = try standInTransformer(change: dropCurrency)
    defer { server.stop() }
    let args = [
      "minimize", "capture.json", "--config", "dest.json", "--transformer", server.url, "--against", "builtin", "-o",
      "case.json", "--force",
    ]
    let tty = try Harness.runInTerminal(args, currentDirectory: dir.url)
    #expect(tty.status == 0, "\(tty.output)")
    #expect(tty.output.contains("\r\u{1B}[Kminimizing: try "), "\(tty.output)")
    #expect(!tty.output.contains("\nminimizing: try"))  // always redrawn in place, never a new line
    let piped = try Harness.run(args, currentDirectory: dir.url)
    #expect(piped.status == 0)
    #expect(!piped.stderr.contains("minimizing: try") && !piped.stderr.contains("\u{1B}"))
  }

  // MARK: - Helpers

  /// Every value obtained by removing one member or item outside the request envelope (`message`, `destination`,
  /// `metadata`, `destination.Config`, `metadata.jobId` and `destination.ID` of each item; the last item).
  private func singleRemovals(of value: JSONValue, path: [String] = []) -> [JSONValue] {
    func protected(_ child: [String]) -> Bool {
      let tail = Array(child.dropFirst())
      return child.count == 1
        || [
          ["message"], ["destination"], ["metadata"], ["destination", "Config"], ["metadata", "jobId"],
          ["destination", "ID"],
        ]
        .contains(tail)
    }
    switch value {
    case .array(let items):
      var out: [JSONValue] = []
      for i in items.indices {
        if !(path.isEmpty && items.count == 1) && !protected(path + [String(i)]) {
          var fewer = items
          fewer.remove(at: i)
          out.append(.array(fewer))
        }
        for inner in singleRemovals(of: items[i], path: path + [String(i)]) {
          var changed = items
          changed[i] = inner
          out.append(.array(changed))
        }
      }
      return out
    case .object(let object):
      var out: [JSONValue] = []
      for entry in object.entries {
        if !protected(path + [entry.key]) {
          var fewer = object
          fewer[entry.key] = nil
          out.append(.object(fewer))
        }
        for inner in singleRemovals(of: entry.value, path: path + [entry.key]) {
          var changed = object
          changed[entry.key] = inner
          out.append(.object(changed))
        }
      }
      return out
    default:
      return []
    }
  }
}
