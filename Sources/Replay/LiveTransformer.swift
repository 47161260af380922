import Dispatch
import Foundation
import Golden
import JSON
import Synchronization

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A running rudder-transformer reached over HTTP: processor cases go to `POST BASE/v0/destinations/tiktok_ads`,
/// router cases to `POST BASE/routerTransform`, bodies unchanged.
///
/// A live transformer cannot apply a case's batch-limit override, so ``appliesBatchOverrides`` is `false` and such
/// cases are skipped (and listed) rather than failed.
public struct LiveTransformer: Transformer {
  /// The base URL without a trailing slash, e.g. `http://localhost:9090`.
  public let baseURL: String
  /// Seconds to wait for each answer.
  public let timeout: Double

  /// A live transformer at `baseURL`.
  /// - Throws: ``TransformerError/unreachable(url:reason:)`` when `baseURL` is not an `http` or `https` URL.
  public init(baseURL: String, timeout: Double = 30) throws(TransformerError) {
    var base = baseURL
    while base.hasSuffix("/") { base.removeLast() }
    guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
      url.host != nil
    else {
      throw .unreachable(url: baseURL, reason: "not an http:// or https:// URL")
    }
    self.baseURL = base
    // The CLI checks the range; the clamp keeps the conversions below from trapping on anything else.
    self.timeout = timeout.isNaN ? 30 : min(max(timeout, 0.001), Self.maxTimeout)
  }

  /// The longest timeout, in seconds (`--timeout` above it is refused).
  public static let maxTimeout = 1_000_000.0

  /// `2` for 2.0, `0.5` for 0.5.
  static func secondsText(_ s: Double) -> String {
    s == s.rounded() && abs(s) < 1e15 ? String(Int(s)) : String(s)
  }

  /// The base URL.
  public var name: String { baseURL }
  /// Always `false`.
  public var appliesBatchOverrides: Bool { false }

  /// The full URL for `route`.
  public func url(for route: Route) -> String { baseURL + route.path }

  /// POSTs the body and parses the answer.
  public func respond(to request: TransformRequest) throws(TransformerError) -> TransformResponse {
    let target = url(for: request.route)
    guard let url = URL(string: target) else { throw .unreachable(url: target, reason: "invalid URL") }
    var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
    urlRequest.httpMethod = request.route.method
    urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
    urlRequest.setValue("application/json", forHTTPHeaderField: "Accept")
    urlRequest.httpBody = Data(request.body.compactBytes())
    let (data, status) = try Self.send(urlRequest, target: target, timeout: timeout)
    let excerpt = {
      let text = String(decoding: data.prefix(120), as: UTF8.self).replacing("\n", with: " ")
      return text.isEmpty ? "(empty body)" : text
    }
    let body: JSONValue
    do {
      body = try JSONValue.parse([UInt8](data))
    } catch {
      throw .notJSON(url: target, status: status, excerpt: excerpt())
    }
    // rudder-transformer answers 200 with a response body on both routes, errors included (they are per event,
    // inside the body); anything else is a wrong URL, a proxy or a crash, never an answer to compare or record.
    guard (200..<300).contains(status) else {
      throw .wrongAnswer(url: target, status: status, reason: "not a 2xx status", excerpt: excerpt())
    }
    if let problem = Self.shapeProblem(body, route: request.route) {
      throw .wrongAnswer(url: target, status: status, reason: problem, excerpt: excerpt())
    }
    return TransformResponse(status: status, body: body)
  }

  /// Why `body` is not a response body of `route`, or `nil` when it is one: a processor response is an array of
  /// objects (one or more per event), a router response an object whose `output` is an array of objects.
  static func shapeProblem(_ body: JSONValue, route: Route) -> String? {
    switch route.kind {
    case .processor:
      guard case .array(let items) = body, items.allSatisfy({ $0.objectValue != nil }) else {
        return "not a processor response body (an array of {output|error, metadata, statusCode})"
      }
    case .router:
      guard case .array(let items)? = body["output"], items.allSatisfy({ $0.objectValue != nil }) else {
        return "not a router response body ({output: [...]})"
      }
    case .deliveryV0, .deliveryV1:
      break
    }
    return nil
  }

  private final class Outcome: Sendable {
    let value = Mutex<(Data?, Int, String?)?>(nil)
  }

  /// Sends one request synchronously (the CLI is synchronous), waiting at most `timeout` plus a grace second.
  private static func send(_ request: URLRequest, target: String, timeout: Double) throws(TransformerError) -> (
    Data, Int
  ) {
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    let task = session.dataTask(with: request) { data, response, error in
      let status = (response as? HTTPURLResponse)?.statusCode ?? 0
      outcome.value.withLock { $0 = (data, status, error.map { ($0 as NSError).localizedDescription }) }
      done.signal()
    }
    task.resume()
    if done.wait(timeout: .now() + timeout + 1) == .timedOut {
      task.cancel()
      throw .unreachable(url: target, reason: "no answer within \(Self.secondsText(timeout)) s")
    }
    guard let (data, status, failure) = outcome.value.withLock({ $0 }) else {
      throw .unreachable(url: target, reason: "no answer")
    }
    if let failure { throw .unreachable(url: target, reason: failure) }
    return (data ?? Data(), status)
  }

  private static let session: URLSession = {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpMaximumConnectionsPerHost = 4
    return URLSession(configuration: configuration)
  }()
}
