import Delivery
import Golden
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

  /// Arms the mock, delivers the input, returns `{status, body}`.
  public func run(_ golden: GoldenCase) throws(ReplayError) -> JSONValue {
    let version: ProxyVersion = golden.route.kind == .deliveryV0 ? .v0 : .v1
    let action = try Self.action(for: golden.document["destination_http_mock"])
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
    mock.addRule(FaultRule(name: golden.name, action: action, times: 1))
    let client = DeliveryClient(endpointBase: mock.baseURL, timeout: timeout)
    let result: DeliveryResult
    do {
      result = try client.deliver(request, version: version)
    } catch {
      throw .failed("\(error)")
    }
    let seen = mock.requests().count
    if seen != 1 {
      throw .failed("the mock received \(seen) requests, expected 1 (\(result.answer.networkError ?? "answered"))")
    }
    return result.output.asExpected
  }

  /// The one-shot fault action that reproduces a case's `destination_http_mock`.
  /// - Throws: ``ReplayError/failed(_:)`` when the member is missing or names a network error the mock cannot
  ///   produce.
  public static func action(for mock: JSONValue?) throws(ReplayError) -> FaultAction {
    guard let mock, case .object = mock else {
      throw .failed("missing \"destination_http_mock\" (the answer the mocked endpoint gives)")
    }
    if let code = mock["network_error"]?["code"]?.stringValue {
      switch code {
      case "ECONNRESET": return .transport(.reset)
      default:
        throw .failed("destination_http_mock: network error \(code) cannot be reproduced by the mock (ECONNRESET can)")
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
    return FaultAction(status: Int(status), body: body)
  }
}
