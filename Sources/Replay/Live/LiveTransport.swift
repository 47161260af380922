import Dispatch
import Foundation
import HTTP
import Synchronization

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// How a live transformer's requests travel: `POST` a JSON body, get the status and body back.
protocol LiveTransport: Sendable {
  /// Sends `body` to `url` and returns the answer, or throws ``TransformerError/unreachable(url:reason:)``.
  func post(url: String, body: [UInt8]) throws(TransformerError) -> (status: Int, body: [UInt8])
}

/// `http://` URLs: the project's HTTP/1.1 client on sockets, over keep-alive connections kept in a pool.
///
/// Each request takes an idle connection (or opens one), sends, reads the whole answer and puts the connection back
/// unless the server said `Connection: close`. A request that fails on a reused connection before any byte of the
/// answer arrived (the server had closed it while idle) is sent once more on a new connection; the transformer's
/// routes have no side effects. The whole exchange is bounded by the timeout.
final class SocketTransport: LiveTransport {
  private let host: String
  private let port: UInt16
  private let timeout: Double
  private let capacity: Int
  private let idle = Mutex<[Pooled]>([])

  /// A connection that is only ever used by one thread at a time (taken from the pool, put back after use).
  private final class Pooled: @unchecked Sendable {
    let connection: HTTPClientConnection
    init(_ connection: HTTPClientConnection) { self.connection = connection }
  }

  /// A pool for `url`'s host and port keeping at most `capacity` idle connections.
  init(url: String, timeout: Double, capacity: Int) throws(HTTPClientError) {
    let parsed = try HTTPURL(url)
    host = parsed.host
    port = parsed.port
    self.timeout = timeout
    self.capacity = max(1, capacity)
  }

  func post(url: String, body: [UInt8]) throws(TransformerError) -> (status: Int, body: [UInt8]) {
    let target: String
    do { target = try HTTPURL(url).target } catch { throw .unreachable(url: url, reason: error.description) }
    let reused = idle.withLock { $0.popLast() }
    if let reused {
      do {
        return try exchange(reused, target: target, body: body)
      } catch {
        guard Self.isStale(error) else { throw Self.unreachable(url, error, timeout: timeout) }
      }
    }
    do {
      let fresh = Pooled(try HTTPClientConnection(host: host, port: port, timeout: timeout))
      return try exchange(fresh, target: target, body: body)
    } catch {
      throw Self.unreachable(url, error, timeout: timeout)
    }
  }

  private func exchange(_ pooled: Pooled, target: String, body: [UInt8]) throws(HTTPClientError) -> (
    status: Int, body: [UInt8]
  ) {
    let connection = pooled.connection
    connection.setDeadline(seconds: timeout)
    let response: HTTPClientResponse
    do {
      response = try connection.send(
        method: "POST", target: target,
        headers: ["Content-Type": "application/json", "Accept": "application/json"], body: body)
    } catch {
      connection.close()
      throw error
    }
    let closing = response.headers["Connection"].map { headerListContains($0, "close") } ?? false
    if closing {
      connection.close()
    } else {
      let kept = idle.withLock { list in
        guard list.count < capacity else { return false }
        list.append(pooled)
        return true
      }
      if !kept { connection.close() }
    }
    return (response.status, response.body)
  }

  /// A failure that means the server closed a kept-alive connection before reading the request.
  private static func isStale(_ error: HTTPClientError) -> Bool {
    switch error {
    case .connectionClosed(let received): return received == 0
    case .sendFailed(let e), .receiveFailed(let e): return e == EPIPE || e == ECONNRESET
    default: return false
    }
  }

  private static func unreachable(_ url: String, _ error: HTTPClientError, timeout: Double) -> TransformerError {
    if case .timedOut = error {
      return .unreachable(url: url, reason: "no answer within \(LiveTransformer.secondsText(timeout)) s")
    }
    return .unreachable(url: url, reason: error.description)
  }
}

/// `https://` URLs: Foundation's `URLSession` (the project's client has no TLS), at most `capacity` connections.
final class URLSessionTransport: LiveTransport {
  private let session: URLSession
  private let timeout: Double

  init(timeout: Double, capacity: Int) {
    self.timeout = timeout
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpMaximumConnectionsPerHost = max(1, capacity)
    session = URLSession(configuration: configuration)
  }

  private final class Outcome: Sendable {
    let value = Mutex<(Data?, Int, String?)?>(nil)
  }

  func post(url: String, body: [UInt8]) throws(TransformerError) -> (status: Int, body: [UInt8]) {
    guard let address = URL(string: url) else { throw .unreachable(url: url, reason: "invalid URL") }
    var request = URLRequest(url: address, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.setValue("application/json", forHTTPHeaderField: "Accept")
    request.httpBody = Data(body)
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
      throw .unreachable(url: url, reason: "no answer within \(LiveTransformer.secondsText(timeout)) s")
    }
    guard let (data, status, failure) = outcome.value.withLock({ $0 }) else {
      throw .unreachable(url: url, reason: "no answer")
    }
    if let failure { throw .unreachable(url: url, reason: failure) }
    return (status, [UInt8](data ?? Data()))
  }
}
