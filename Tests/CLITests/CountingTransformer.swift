import Foundation
import JSON
import Synchronization
import TikTokAds

#if canImport(Glibc)
  import Glibc
#endif

/// A live transformer for CLI tests, on 127.0.0.1 (a free port): one thread per connection, HTTP/1.1 keep-alive,
/// answering with the built-in transformer (or a handler's changes to its answer), and counting what it saw:
/// requests (with their number of items), connections, and the most requests in flight at once.
final class CountingTransformer: Sendable {
  /// What a test does to an answer: given the route path and the request body, returns status and body.
  typealias Handler = @Sendable (_ path: String, _ body: JSONValue) -> (Int, JSONValue)

  /// One request seen: its path and, for a processor request, its items' `metadata.jobId`s (`nil` when absent).
  struct Seen: Sendable, Equatable {
    var path: String
    var jobIds: [Int64?]
  }

  let port: Int
  let seen = Mutex<[Seen]>([])
  let connections = Atomic<Int>(0)
  let maxInFlight = Atomic<Int>(0)
  private let inFlight = Atomic<Int>(0)
  private let fd: Int32
  private let delay: Double
  private let closeAfterAnswer: Bool

  /// A server answering with `handler` (by default the built-in transformer's answer), each answer after `delay`
  /// seconds (so concurrent requests overlap); with `closeAfterAnswer`, each connection is closed after one answer
  /// without saying so, as a server does with a keep-alive connection idle past its timeout.
  init(delay: Double = 0, closeAfterAnswer: Bool = false, handler: Handler? = nil) throws {
    let (sock, port) = try loopbackListener(backlog: 128)
    fd = sock
    self.port = port
    self.delay = delay
    self.closeAfterAnswer = closeAfterAnswer
    let answer = handler ?? Self.builtin
    Thread.detachNewThread { [self] in
      while true {
        let client = accept(sock, nil, nil)
        guard client >= 0 else { break }
        connections.add(1, ordering: .relaxed)
        Thread.detachNewThread { [self] in
          serve(client, answer)
          close(client)
        }
      }
    }
  }

  /// The base URL.
  var url: String { "http://127.0.0.1:\(port)" }

  /// The built-in transformer's answer.
  static let builtin: Handler = { path, body in
    let transformer = TikTokAdsTransformer()
    do {
      return path == "/routerTransform"
        ? (200, try transformer.routerResponse(for: body)) : (200, try transformer.processorResponse(for: body))
    } catch {
      return (400, ["error": .string("\(error)")])
    }
  }

  func stop() {
    shutdown(fd, Int32(SHUT_RDWR))
    close(fd)
  }

  /// Processor requests seen, as their items' jobIds.
  var processorRequests: [[Int64?]] {
    seen.withLock { $0.filter { $0.path == "/v0/destinations/tiktok_ads" }.map(\.jobIds) }
  }

  private func serve(_ client: Int32, _ handler: Handler) {
    var pending: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      // One request: head up to CRLFCRLF, then Content-Length bytes.
      var headEnd: Int?
      var contentLength = 0
      while true {
        if headEnd == nil, let end = Self.headEnd(pending) {
          headEnd = end
          let head = String(decoding: pending[0..<end], as: UTF8.self)
          for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
          }
        }
        if let end = headEnd, pending.count >= end + 4 + contentLength { break }
        let n = read(client, &chunk, chunk.count)
        guard n > 0 else { return }
        pending.append(contentsOf: chunk[0..<n])
      }
      let end = headEnd!
      let head = String(decoding: pending[0..<end], as: UTF8.self)
      let path = head.split(separator: " ").dropFirst().first.map(String.init) ?? ""
      let bodyBytes = Array(pending[(end + 4)..<(end + 4 + contentLength)])
      pending.removeFirst(end + 4 + contentLength)
      let body = (try? JSONValue.parse(bodyBytes)) ?? .null
      let jobIds = body.arrayValue?.map { $0["metadata"]?["jobId"]?.int64Value } ?? []
      seen.withLock { $0.append(Seen(path: path, jobIds: jobIds)) }
      let now = inFlight.add(1, ordering: .relaxed).newValue
      _ = maxInFlight.max(now, ordering: .relaxed)
      if delay > 0 { usleep(UInt32(delay * 1_000_000)) }
      let (status, answer) = handler(path, body)
      inFlight.subtract(1, ordering: .relaxed)
      let bytes = answer.compactBytes()
      var response = Array(
        "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(bytes.count)\r\n\r\n".utf8)
      response += bytes
      var sent = 0
      while sent < response.count {
        let n = response[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard n > 0 else { return }
        sent += n
      }
      if closeAfterAnswer { return }
    }
  }

  private static func headEnd(_ data: [UInt8]) -> Int? {
    guard data.count >= 4 else { return nil }
    for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 {
      return i
    }
    return nil
  }
}
