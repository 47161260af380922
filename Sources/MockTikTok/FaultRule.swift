import JSON

/// A fault rule: when a request matches, the mock answers with the action instead of the contract's answer.
public struct FaultRule: Sendable, Equatable {
  /// A name for the journal and the admin API.
  public var name: String
  /// Which requests it applies to.
  public var match: FaultMatch
  /// What the mock answers.
  public var action: FaultAction
  /// Fire at most this many times (`nil`: unlimited).
  public var times: Int?

  public init(name: String, match: FaultMatch = FaultMatch(), action: FaultAction, times: Int? = nil) {
    self.name = name
    self.match = match
    self.action = action
    self.times = times
  }
}

/// The conditions of a rule; all given conditions must hold.
///
/// `nth`, `every`, `first` and `probability` count the requests that meet the other conditions (the rule's own
/// counter, 1-based): `nth: 3` is the third such request, `every: 2` the 2nd, 4th…, `first: 2` the 1st and 2nd.
/// `probability` draws from a hash of (seed, rule position, counter), so the same seed and the same request
/// stream give the same faults whatever other traffic is interleaved.
public struct FaultMatch: Sendable, Equatable {
  /// Endpoint patterns: `pixel/track`, `v1.3/event/track`, a path, or `*` (any of them).
  public var endpoints: [String]?
  /// Pixel codes (`pixel_code`, or `event_source_id` for Events 2.0).
  public var pixels: [String]?
  /// Event names; matches when any event in the request has one of them.
  public var events: [String]?
  /// Header values (`*` means present; names ignore case).
  public var headers: [String: String]?
  public var nth: Int?
  public var every: Int?
  public var first: Int?
  public var probability: Double?

  public init(
    endpoints: [String]? = nil, pixels: [String]? = nil, events: [String]? = nil, headers: [String: String]? = nil,
    nth: Int? = nil, every: Int? = nil, first: Int? = nil, probability: Double? = nil
  ) {
    self.endpoints = endpoints
    self.pixels = pixels
    self.events = events
    self.headers = headers
    self.nth = nth
    self.every = every
    self.first = first
    self.probability = probability
  }
}

/// What a fired rule does. Fields combine: a `delayMilliseconds` with a `code`, a `status` with a `body`…
public struct FaultAction: Sendable, Equatable {
  /// A transport-level fault.
  public enum Transport: String, Sendable, Equatable, CaseIterable {
    /// Reset the connection (RST; the client sees `ECONNRESET`).
    case reset
    /// Close without sending anything.
    case empty
    /// HTTP 200 with a JSON body cut in the middle (not parseable).
    case malformedJSON = "malformed_json"
    /// Headers with the full `Content-Length`, part of the body, then close.
    case partial
  }

  /// TikTok business code (an envelope on HTTP 200 unless `status` says otherwise).
  public var code: Int?
  /// Message for `code`; `{pixel}`, `{event}` and `{request_id}` are filled in. Default: TikTok's text for the code.
  public var message: String?
  /// The envelope's `data`.
  public var data: JSONValue?
  /// HTTP status (default 200).
  public var status: Int?
  /// A raw body instead of an envelope (for a non-200 status without `code`, a gateway page is the default).
  public var body: String?
  /// Extra response headers.
  public var headers: [String: String]
  /// Wait before answering (milliseconds). A rule with only a delay adds latency and lets later rules decide.
  public var delayMilliseconds: Int
  /// A transport fault.
  public var transport: Transport?
  /// For `partial`: body bytes sent before the close (default: half).
  public var partialBytes: Int?

  public init(
    code: Int? = nil, message: String? = nil, data: JSONValue? = nil, status: Int? = nil, body: String? = nil,
    headers: [String: String] = [:], delayMilliseconds: Int = 0, transport: Transport? = nil, partialBytes: Int? = nil
  ) {
    self.code = code
    self.message = message
    self.data = data
    self.status = status
    self.body = body
    self.headers = headers
    self.delayMilliseconds = delayMilliseconds
    self.transport = transport
    self.partialBytes = partialBytes
  }

  /// A TikTok envelope on HTTP 200.
  public static func tiktok(_ code: Int, _ message: String? = nil) -> FaultAction {
    FaultAction(code: code, message: message)
  }

  /// An HTTP status with an optional body.
  public static func http(_ status: Int, body: String? = nil) -> FaultAction {
    FaultAction(status: status, body: body)
  }

  /// A transport fault.
  public static func transport(_ t: Transport) -> FaultAction { FaultAction(transport: t) }

  /// A pure delay.
  public static func delay(milliseconds: Int) -> FaultAction { FaultAction(delayMilliseconds: milliseconds) }

  /// `true` when the action only adds latency.
  public var isDelayOnly: Bool {
    code == nil && status == nil && body == nil && transport == nil && data == nil && message == nil
  }
}

/// A scenario: a seed and ordered rules (the first rule that fires decides; delay-only rules add up).
public struct Scenario: Sendable, Equatable {
  public var seed: UInt64
  public var rules: [FaultRule]
  public var description: String?

  public init(seed: UInt64 = 0, rules: [FaultRule] = [], description: String? = nil) {
    self.seed = seed
    self.rules = rules
    self.description = description
  }
}
