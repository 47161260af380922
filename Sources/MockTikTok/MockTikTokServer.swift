import HTTP
import JSON

/// Settings for ``MockTikTokServer``.
public struct MockTikTokConfiguration: Sendable {
  /// The HTTP server settings (host, port, threads, limits, timeouts). Binds 127.0.0.1:0 by default.
  public var http = HTTPServerConfiguration()
  /// Append every answered request to this file as one JSON line (`nil`: memory only).
  public var journalPath: String?
  /// Requests kept in memory for the admin API (a ring; older ones stay only in the file).
  public var journalLimit = 10_000
  /// Known tokens: when any are configured (here or in `allow`), other tokens get 40105.
  public var tokens: [String] = []
  /// Token → pixels it may use; a token listed here gets 40001 for any other pixel.
  public var allow: [String: Set<String>] = [:]
  /// The fault rules and seed loaded at start (restored by reset).
  public var scenario = Scenario()
  /// Contract limits.
  public var validator = ContractValidator()

  public init() {}
}

/// The mock TikTok Events API: TikTok's endpoints and envelopes, contract validation, fault rules, a durable
/// journal and an admin API under `/__admin/`.
///
/// Start it in-process on a free port:
/// ```swift
/// let mock = try MockTikTokServer(configuration: MockTikTokConfiguration())
/// try mock.start()                // mock.baseURL == "http://127.0.0.1:PORT"
/// mock.addRule(FaultRule(name: "once", action: .tiktok(40100), times: 1))
/// ...
/// mock.stop()
/// ```
public final class MockTikTokServer: Sendable {
  /// The configuration it was created with.
  public let configuration: MockTikTokConfiguration
  let journal: Journal
  let engine: FaultEngine
  let requestIDs = RequestIDGenerator()
  private let knownTokens: Set<String>
  private let server: HTTPServer

  /// Opens the journal; call ``start()`` to serve.
  /// - Throws: ``MockTikTokError/journal(path:errno:)`` when the journal file cannot be opened.
  public init(configuration: MockTikTokConfiguration) throws(MockTikTokError) {
    self.configuration = configuration
    journal = try Journal(path: configuration.journalPath, limit: configuration.journalLimit)
    engine = FaultEngine(configuration.scenario)
    knownTokens = Set(configuration.tokens).union(configuration.allow.keys)
    let box = WeakBox()
    server = HTTPServer(
      configuration: configuration.http,
      handler: { request in box.value?.respond(request) ?? HTTPResponse(status: 503) },
      beforeSend: { box.value?.journal.flush() })
    box.value = self
  }

  /// Binds and serves; returns the port.
  @discardableResult
  public func start() throws(MockTikTokError) -> UInt16 {
    do {
      return try server.start()
    } catch {
      throw .server(error.description)
    }
  }

  /// Stops serving (closes every connection). Idempotent.
  public func stop() { server.stop() }

  /// The bound port.
  public var port: UInt16 { server.port }

  /// `http://HOST:PORT`.
  public var baseURL: String { server.baseURL }

  // MARK: in-process admin API (same operations as /__admin/)

  /// Appends a rule after the existing ones.
  public func addRule(_ rule: FaultRule) { _ = engine.add([rule]) }

  /// Replaces every rule (and the seed), resetting the counters.
  public func replaceRules(_ scenario: Scenario) { engine.replace(scenario) }

  /// Removes every rule.
  public func clearRules() { engine.replace(Scenario(seed: engine.snapshot.seed)) }

  /// The current rules.
  public var rules: [FaultRule] { engine.snapshot.rules }

  /// Journaled requests kept in memory that match `filter`, oldest first.
  public func requests(_ filter: JournalFilter = JournalFilter()) -> [JournalEntry] { journal.entries(filter) }

  /// Clears the in-memory journal (the file keeps everything).
  public func clearRequests() { journal.clear() }

  /// Clears the in-memory journal and restores the rules and counters loaded at start.
  public func reset() {
    journal.clear()
    engine.replace(configuration.scenario)
  }

  // MARK: request handling

  /// Answers one request exactly as over the socket (the responder seam for socket-free tests); its journal line
  /// is written before this returns.
  public func handle(_ request: HTTPRequest) -> HTTPResponse {
    let response = respond(request)
    journal.flush()
    return response
  }

  /// The answer, with the journal line queued (the server flushes the journal before sending).
  func respond(_ request: HTTPRequest) -> HTTPResponse {
    let path = request.path
    if path == "/__admin" || path.hasPrefix("/__admin/") { return admin(request) }
    let endpoint = TikTokEndpoint(path: path)
    // The one-pass check accepts the usual valid body without building a JSONValue; anything else is parsed and
    // goes through the full validator, which words the violation.
    var check = BodyCheck.malformed(nil)
    if let endpoint {
      if let accepted = configuration.validator.acceptQuickly(request.body, endpoint: endpoint.kind) {
        check = .accepted(accepted)
      } else {
        do {
          check = .parsed(try JSONValue.parse(request.body))
        } catch {
          check = .malformed(error)
        }
      }
    }
    let pixel: String?
    let events: [String]
    switch check {
    case .accepted(let a): (pixel, events) = (a.pixel, a.events)
    case .parsed(let b): (pixel, events) = (b.tiktokPixel, b.tiktokEventNames)
    case .malformed: (pixel, events) = (nil, [])
    }
    let decision = engine.decide(
      RequestFacts(endpoint: endpoint, pixel: pixel, events: events, headers: request.headers))
    let requestID = requestIDs.next()
    var answer: Answer
    if let action = decision.action {
      answer = respond(to: action, requestID: requestID, pixel: pixel, events: events)
    } else if endpoint == nil {
      answer = envelope(40400, "Route not found: \(path)", requestID: requestID, status: 404)
    } else if request.method != "POST" {
      answer = envelope(40000, "Method \(request.method) not allowed; use POST.", requestID: requestID, status: 405)
      answer.response.headers.add("Allow", "POST")
    } else {
      let (code, message) = contract(request, endpoint: endpoint!, check: check, pixel: pixel)
      answer = envelope(code, message, requestID: requestID)
    }
    answer.response.delayMilliseconds += decision.delayMilliseconds
    journal.append(path: path, pixel: pixel, events: events) { out in
      writeJournalLine(
        &out, request, path: path, endpoint: endpoint, pixel: pixel, events: events, requestID: requestID,
        answer: answer, rule: decision.deciding ?? decision.rules.last, rules: decision.rules)
    }
    return answer.response
  }

  /// What is known about a request body before the contract is applied.
  private enum BodyCheck {
    /// Proven valid by the one-pass check.
    case accepted(AcceptedBody)
    /// Parsed, not yet validated.
    case parsed(JSONValue)
    /// Not JSON (the parser's error), or not looked at (no endpoint).
    case malformed(JSONParseError?)
  }

  /// The contract's answer: auth, then JSON, then permission, then schema.
  private func contract(_ request: HTTPRequest, endpoint: TikTokEndpoint, check: BodyCheck, pixel: String?) -> (
    Int, String
  ) {
    guard let token = request.headers["Access-Token"], !token.isEmpty else {
      return (TikTokCode.emptyAccessToken, TikTokCode.defaultMessage(TikTokCode.emptyAccessToken))
    }
    if !knownTokens.isEmpty && !knownTokens.contains(token) {
      return (TikTokCode.invalidAccessToken, TikTokCode.defaultMessage(TikTokCode.invalidAccessToken))
    }
    if case .malformed(let parseError) = check {
      let detail = parseError.map { " (\($0))" } ?? ""
      return (TikTokCode.paramError, "Invalid JSON in request body\(detail).")
    }
    if let pixels = configuration.allow[token], let pixel, !pixels.contains(pixel) {
      return (TikTokCode.permissionError, TikTokCode.defaultMessage(TikTokCode.permissionError, pixel: pixel))
    }
    if case .parsed(let body) = check, let violation = configuration.validator.validate(body, endpoint: endpoint.kind) {
      return (violation.code, violation.message)
    }
    return (TikTokCode.ok, "OK")
  }
}

/// Breaks the server ↔ handler reference cycle.
private final class WeakBox: @unchecked Sendable {
  // Written once in `MockTikTokServer.init` before the server starts; read-only afterwards.
  weak var value: MockTikTokServer?
}
