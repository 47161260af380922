import Foundation
import Golden
import HTTP
import JSON

/// A running rudder-transformer reached over HTTP: processor cases go to `POST BASE/v0/destinations/tiktok_ads`,
/// router cases to `POST BASE/routerTransform`.
///
/// Replay and compare hand it many requests at once (``respond(toAll:)``): they go out on up to ``concurrency``
/// keep-alive connections, and processor requests whose answers can be mapped back exactly share a request, up to
/// ``batchItems`` events (``ProcessorBatching``). Each answer is the one the request would have had alone.
///
/// A live transformer cannot apply a case's batch-limit override, so ``appliesBatchOverrides`` is `false` and such
/// cases are skipped (and listed) rather than failed.
public struct LiveTransformer: Transformer {
  /// The base URL without a trailing slash, e.g. `http://localhost:9090`.
  public let baseURL: String
  /// Seconds to wait for each answer (each request as a whole, a batch included).
  public let timeout: Double
  /// Requests in flight at once, each on its own keep-alive connection.
  public let concurrency: Int
  /// The most events one processor request carries when cases are batched; 1 sends every case alone.
  public let batchItems: Int
  /// What the requests so far were: counts for the run's closing line.
  public let statistics = LiveStatistics()
  let transport: any LiveTransport

  /// A live transformer at `baseURL`.
  /// - Parameters:
  ///   - concurrency: connections in flight (clamped to ``concurrencyRange``).
  ///   - batchItems: events per batched processor request (clamped to ``batchItemsRange``; 1: no batching).
  /// - Throws: ``TransformerError/unreachable(url:reason:)`` when `baseURL` is not an `http` or `https` URL.
  public init(
    baseURL: String, timeout: Double = 30, concurrency: Int = LiveTransformer.defaultConcurrency,
    batchItems: Int = LiveTransformer.defaultBatchItems
  ) throws(TransformerError) {
    var base = baseURL
    while base.hasSuffix("/") { base.removeLast() }
    guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
      url.host != nil
    else {
      throw .unreachable(url: baseURL, reason: "not an http:// or https:// URL")
    }
    self.baseURL = base
    // The CLI checks the ranges; the clamps keep the conversions below from trapping on anything else.
    self.timeout = timeout.isNaN ? 30 : min(max(timeout, 0.001), Self.maxTimeout)
    self.concurrency = min(max(concurrency, Self.concurrencyRange.lowerBound), Self.concurrencyRange.upperBound)
    self.batchItems = min(max(batchItems, Self.batchItemsRange.lowerBound), Self.batchItemsRange.upperBound)
    if scheme == "https" {
      transport = URLSessionTransport(timeout: self.timeout, capacity: self.concurrency)
    } else {
      do {
        transport = try SocketTransport(url: base, timeout: self.timeout, capacity: self.concurrency)
      } catch {
        throw .unreachable(url: baseURL, reason: error.description)
      }
    }
  }

  /// The longest timeout, in seconds (`--timeout` above it is refused).
  public static let maxTimeout = 1_000_000.0
  /// Connections in flight by default: enough to keep a local transformer's cores busy (BENCHMARKS.md, "Live").
  public static let defaultConcurrency = 8
  /// The accepted `--concurrency` values.
  public static let concurrencyRange = 1...64
  /// Events per batched processor request by default.
  public static let defaultBatchItems = 100
  /// The accepted batch sizes (`1`: no batching).
  public static let batchItemsRange = 1...10_000

  /// `2` for 2.0, `0.5` for 0.5.
  static func secondsText(_ s: Double) -> String {
    s == s.rounded() && abs(s) < 1e15 ? String(Int(s)) : String(s)
  }

  /// The base URL.
  public var name: String { baseURL }
  /// Always `false`.
  public var appliesBatchOverrides: Bool { false }
  /// Always `true`: replay and compare send it many requests at once.
  public var answersInBulk: Bool { true }

  /// The full URL for `route`.
  public func url(for route: Route) -> String { baseURL + route.path }

  /// POSTs the body alone and parses the answer.
  public func respond(to request: TransformRequest) throws(TransformerError) -> TransformResponse {
    statistics.count(requests: 1, alone: 1)
    return try send(bytes: request.body.compactBytes(), route: request.route)
  }

  /// POSTs `bytes` (a JSON body) to `route` and checks the answer is a response body of the route.
  func send(bytes: [UInt8], route: Route) throws(TransformerError) -> TransformResponse {
    let target = url(for: route)
    let (status, data) = try transport.post(url: target, body: bytes)
    let excerpt = {
      let text = String(decoding: data.prefix(120), as: UTF8.self).replacing("\n", with: " ")
      return text.isEmpty ? "(empty body)" : text
    }
    let answer: JSONValue
    do {
      answer = try JSONValue.parse(data)
    } catch {
      throw .notJSON(url: target, status: status, excerpt: excerpt())
    }
    // rudder-transformer answers 200 with a response body on both routes, errors included (they are per event,
    // inside the body); anything else is a wrong URL, a proxy or a crash, never an answer to compare or record.
    guard (200..<300).contains(status) else {
      throw .wrongAnswer(url: target, status: status, reason: "not a 2xx status", excerpt: excerpt())
    }
    if let problem = Self.shapeProblem(answer, route: route) {
      throw .wrongAnswer(url: target, status: status, reason: problem, excerpt: excerpt())
    }
    return TransformResponse(status: status, body: answer)
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
}
