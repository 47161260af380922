import Delivery
import Glibc
import Golden
import HTTP
import JSON
import MockTikTok

/// Replays delivery (proxy) cases through the real mock TikTok server over loopback.
///
/// For each case it starts a ``MockTikTokServer`` in-process on a free port, arms the case's
/// `destination_http_mock` as a one-shot rule (an HTTP status and body, or a network error such as `ECONNRESET`),
/// delivers the case's `input` with its endpoint's scheme and host swapped for the mock's (the path is kept, so
/// upstream's `https://random_test_url/...` lands on the mock too), and returns the proxy answer of the route's
/// version (`/v0/` or `/v1/`) as `{status, body}`.
public struct DeliveryRunner: CaseRunner {
  /// Seconds allowed for each network phase of a delivery.
  public var timeout: Double

  /// A runner.
  public init(timeout: Double = 10) {
    self.timeout = timeout
  }

  /// `.deliveryV0` and `.deliveryV1`.
  public var routes: Set<Route.Kind> { [.deliveryV0, .deliveryV1] }

  /// How long the mock holds its answer when a case asks for `ETIMEDOUT`, and the client timeout used then.
  static let timeoutCase = (mockDelayMilliseconds: 3_000, clientTimeout: 0.5)

  /// Arms the mock, delivers the input, returns `{status, body}`.
  public func run(_ golden: GoldenCase) throws(ReplayError) -> JSONValue {
    let version: ProxyVersion = golden.route.kind == .deliveryV0 ? .v0 : .v1
    let plan = try Self.plan(for: golden.document["destination_http_mock"])
    let request: ProxyRequest
    do {
      request = try ProxyRequest(golden.input, source: "/input")
    } catch {
      throw .failed("input: \(error)")
    }
    let mock: MockTikTokServer
    do {
      mock = try MockTikTokServer(configuration: MockTikTokConfiguration())
      try mock.start()
    } catch {
      throw .unreachable("mock TikTok server could not start: \(error)")
    }
    defer { mock.stop() }
    var clientTimeout = timeout
    var expectedRequests = 1
    var endpointBase = mock.baseURL
    var refusingSocket: Int32 = -1
    defer { if refusingSocket >= 0 { close(refusingSocket) } }
    switch plan {
    case .fault(let action):
      mock.addRule(FaultRule(name: golden.name, action: action, times: 1))
    case .refused:
      // A port bound but not listening refuses connections, and stays ours while the case runs (a port merely
      // closed could be taken by a concurrent case's mock).
      guard let (fd, port) = bindIdleLoopbackPort() else { throw .unreachable("no loopback port for ECONNREFUSED") }
      refusingSocket = fd
      endpointBase = "http://127.0.0.1:\(port)"
      expectedRequests = 0
    case .timedOut:
      mock.addRule(
        FaultRule(name: golden.name, action: .delay(milliseconds: Self.timeoutCase.mockDelayMilliseconds), times: 1))
      clientTimeout = Self.timeoutCase.clientTimeout
    }
    let client = DeliveryClient(endpointBase: endpointBase, timeout: clientTimeout)
    let result: DeliveryResult
    do {
      result = try client.deliver(request, version: version)
    } catch {
      throw .failed("\(error)")
    }
    let seen = mock.requests().count
    if seen != expectedRequests {
      throw .failed(
        "the mock received \(seen) requests, expected \(expectedRequests) (\(result.answer.networkError ?? "answered"))"
      )
    }
    return result.output.asExpected
  }

  /// How a case's `destination_http_mock` is reproduced.
  public enum Plan: Sendable {
    /// A one-shot rule on the mock: an HTTP status and body, or a reset connection (`ECONNRESET`).
    case fault(FaultAction)
    /// `ECONNREFUSED`: the request goes to a loopback port that is bound but not listening.
    case refused
    /// `ETIMEDOUT`: the mock holds its answer longer than the client waits.
    case timedOut
  }

  /// The plan that reproduces a case's `destination_http_mock`.
  /// - Throws: ``ReplayError/failed(_:)`` when the member is missing or names a network error the harness cannot
  ///   produce over loopback.
  public static func plan(for mock: JSONValue?) throws(ReplayError) -> Plan {
    guard let mock, case .object = mock else {
      throw .failed("missing \"destination_http_mock\" (the answer the mocked endpoint gives)")
    }
    if let code = mock["network_error"]?["code"]?.stringValue {
      switch code {
      case "ECONNRESET": return .fault(.transport(.reset))
      case "ECONNREFUSED": return .refused
      case "ETIMEDOUT": return .timedOut
      default:
        throw .failed(
          "destination_http_mock: network error \(code) cannot be reproduced over loopback (ECONNRESET, ECONNREFUSED and ETIMEDOUT can)"
        )
      }
    }
    guard let response = mock["response"], let status = response["status"]?.int64Value else {
      throw .failed("destination_http_mock: expected {response: {status, data}} or {network_error: {code}}")
    }
    var body: String
    switch response["data"] {
    case nil, .null?: body = ""
    case .string(let s)?: body = s
    case let data?: body = data.compactString()
    }
    return .fault(FaultAction(status: Int(status), body: body))
  }
}
