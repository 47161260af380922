import Delivery
import Foundation
import JSON

/// `tiktok-harness deliver [FILE|-]`: transformer output or proxy requests → endpoint → classified outcomes.
let deliverCommand = Command(
  name: "deliver",
  summary:
    "Deliver each request of a transformer response body (processor or router) or of proxy requests, classify every answer as RudderStack's TikTok Ads handler does (success, aborted, throttled, retryable) and print one line per request, or the proxy-shaped JSON with --json. Exit 0, 1 when --expect is not met, 2 bad input.",
  arguments: "[FILE|-]",
  options: [
    .value(
      "--endpoint-base", "URL",
      help: "replace each endpoint's scheme and host with URL (e.g. the mock's http://127.0.0.1:PORT)"),
    .value("--proxy", "v0|v1", help: "proxy output shape (default: the request's own version, else v1)"),
    .flag("--json", help: "print the proxy answer body {output: ...} per request, one JSON line each"),
    .value("--expect", "OUTCOME", help: "exit 1 unless every request's outcome is OUTCOME"),
    .value("--timeout", "SECONDS", help: "per-phase network timeout (default 30); a timeout is [ETIMEDOUT], retried"),
    .flag("--response-headers", help: "include the answer's headers in destinationResponse, as upstream does live"),
  ],
  examples: [
    "tiktok-harness deliver requests.json --endpoint-base http://127.0.0.1:8081 --expect success --json",
    "tiktok-harness transform --router events.json | tiktok-harness deliver --endpoint-base http://127.0.0.1:8081",
  ],
  exits: [
    .init(code: 0, meaning: "every request was delivered and classified (and, with --expect, met it)"),
    .init(code: 1, meaning: "with --expect, an outcome that differs, or nothing to deliver"),
    .init(code: 2, meaning: "unreadable or malformed input, a bad endpoint, bad usage"),
  ],
  run: { args in
    guard args.positionals.count <= 1 else { throw CLIError.usage("deliver takes at most one FILE") }
    let path = args.positionals.first ?? "-"
    let expect = try args.value("--expect").map { text throws(CLIError) -> DeliveryOutcome in
      guard let o = DeliveryOutcome(rawValue: text) else {
        throw .usage("--expect expects one of success, aborted, throttled, retryable; got '\(text)'")
      }
      return o
    }
    let version = try args.value("--proxy").map { text throws(CLIError) -> ProxyVersion in
      guard let v = ProxyVersion(rawValue: text) else { throw .usage("--proxy expects v0 or v1, got '\(text)'") }
      return v
    }
    var client = DeliveryClient(includeResponseHeaders: args.has("--response-headers"))
    if let s = try args.seconds("--timeout", max: 1_000_000) { client.timeout = s }
    if let base = args.value("--endpoint-base") {
      guard base.lowercased().hasPrefix("http://") else {
        throw CLIError.usage("--endpoint-base expects an http:// URL (no TLS), got '\(base)'")
      }
      client.endpointBase = base
    }

    let document = try readJSONDocument(path)
    let input: DeliveryInput
    do {
      input = try DeliveryInput(document: document)
    } catch {
      throw CLIError.badInput("\(displayName(path)): \(error)")
    }
    // Check every URL before sending anything, so a bad input sends nothing.
    for request in input.requests {
      do {
        _ = try client.url(for: request)
      } catch {
        throw CLIError.badInput("\(displayName(path)): \(error)")
      }
    }
    for s in input.skipped {
      Console.err(
        "skipped \(s.source.isEmpty ? "/" : s.source): \(s.statusCode.map { "statusCode \($0): " } ?? "")\(s.reason)\n")
    }
    if input.requests.isEmpty {
      Console.err("tiktok-harness deliver: warning: nothing to deliver in \(displayName(path))\n")
      return expect == nil ? ExitStatus.ok : ExitStatus.failure
    }

    var counts: [DeliveryOutcome: Int] = [:]
    var unexpected: [String] = []
    for (i, request) in input.requests.enumerated() {
      let result: DeliveryResult
      do {
        result = try client.deliver(request, version: version)
      } catch {
        throw CLIError.badInput("\(displayName(path)): \(error)")
      }
      counts[result.outcome, default: 0] += 1
      if args.has("--json") {
        Console.out(result.output.body.compactString() + "\n")
      } else {
        Console.out(DeliveryLine.render(index: i + 1, result) + "\n")
      }
      if let expect, result.outcome != expect {
        unexpected.append(
          "request \(i + 1) (\(request.source.isEmpty ? "/" : request.source)): \(result.outcome), expected \(expect)")
      }
    }
    let summary = DeliveryOutcome.allCases.map { "\(counts[$0] ?? 0) \($0)" }.joined(separator: ", ")
    let skipped = input.skipped.isEmpty ? "" : "; \(input.skipped.count) skipped"
    Console.err("\(input.requests.count) request\(input.requests.count == 1 ? "" : "s"): \(summary)\(skipped)\n")
    for line in unexpected { Console.err("unexpected: \(line)\n") }
    return unexpected.isEmpty ? ExitStatus.ok : ExitStatus.failure
  }
)

/// The terminal line of one delivered request.
enum DeliveryLine {
  /// `N  OUTCOME  STATUS  code CODE  METHOD URL  detail`.
  static func render(index: Int, _ r: DeliveryResult) -> String {
    let c = r.classification
    let outcome = r.outcome.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
    let code = r.answer.tiktokCode.map { "code \($0)" } ?? "code -"
    let http = r.answer.networkError.map { "net \($0)" } ?? "http \(r.answer.status)"
    var detail = c.message
    if let m = r.answer.tiktokMessage, c.rule != .successCode {
      detail += " (\(m))"
    } else if let text = r.answer.response.stringValue, !text.isEmpty {
      let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: " ")
      detail += " (\(oneLine.count > 60 ? oneLine.prefix(60) + "…" : oneLine))"
    }
    return
      "\(index)  \(outcome) \(c.status)  \(http)  \(code.padding(toLength: 10, withPad: " ", startingAt: 0))  \(r.request.method) \(r.url)  \(detail)"
  }
}
