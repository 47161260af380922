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
    self.timeout = timeout
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
    do {
      return TransformResponse(status: status, body: try JSONValue.parse([UInt8](data)))
    } catch {
      let text = String(decoding: data.prefix(120), as: UTF8.self).replacing("\n", with: " ")
      throw .notJSON(url: target, status: status, excerpt: text.isEmpty ? "(empty body)" : text)
    }
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
      let seconds = timeout == timeout.rounded() ? String(Int(timeout)) : String(timeout)
      throw .unreachable(url: target, reason: "no answer within \(seconds) s")
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
