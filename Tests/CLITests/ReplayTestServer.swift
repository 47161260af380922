import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A tiny blocking HTTP/1.1 server on 127.0.0.1 (port chosen by the kernel), one connection at a time,
/// `Connection: close`; enough to stand in for a live rudder-transformer in CLI tests.
final class ReplayTestServer: Sendable {
  /// Answers one request: (method, path, body) → (status, content type, body).
  typealias Handler = @Sendable (String, String, [UInt8]) -> (Int, String, [UInt8])

  let port: Int
  private let fd: Int32
  private let stopped = Atomic<Bool>(false)
  /// The paths requested so far, in order.
  let requests = Mutex<[String]>([])

  init(handler: @escaping Handler) throws {
    let (sock, port) = try loopbackListener(backlog: 16)
    fd = sock
    self.port = port
    let thread = Thread { [self] in
      while !self.stopped.load(ordering: .relaxed) {
        let client = accept(sock, nil, nil)
        guard client >= 0 else { break }
        self.serve(client, handler)
        close(client)
      }
    }
    thread.start()
  }

  /// The base URL, e.g. `http://127.0.0.1:40123`.
  var url: String { "http://127.0.0.1:\(port)" }

  func stop() {
    stopped.store(true, ordering: .relaxed)
    shutdown(fd, Int32(SHUT_RDWR))
    close(fd)
  }

  private func serve(_ client: Int32, _ handler: Handler) {
    var data: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    var headerEnd: Int?
    var contentLength = 0
    while true {
      let n = read(client, &buffer, buffer.count)
      guard n > 0 else { return }
      data.append(contentsOf: buffer[0..<n])
      if headerEnd == nil, let range = findHeaderEnd(data) {
        headerEnd = range
        let head = String(decoding: data[0..<range], as: UTF8.self)
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
          contentLength = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
        }
      }
      if let end = headerEnd, data.count >= end + 4 + contentLength { break }
    }
    guard let end = headerEnd else { return }
    let requestLine = String(decoding: data[0..<end], as: UTF8.self).split(separator: "\r\n").first ?? ""
    let parts = requestLine.split(separator: " ")
    let method = parts.count > 0 ? String(parts[0]) : ""
    let path = parts.count > 1 ? String(parts[1]) : ""
    requests.withLock { $0.append(path) }
    let body = Array(data[(end + 4)..<(end + 4 + contentLength)])
    let (status, type, answer) = handler(method, path, body)
    var response = Array(
      "HTTP/1.1 \(status) X\r\nContent-Type: \(type)\r\nContent-Length: \(answer.count)\r\nConnection: close\r\n\r\n"
        .utf8)
    response += answer
    var sent = 0
    while sent < response.count {
      let n = response[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      guard n > 0 else { return }
      sent += n
    }
  }

  private func findHeaderEnd(_ data: [UInt8]) -> Int? {
    guard data.count >= 4 else { return nil }
    for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 {
      return i
    }
    return nil
  }
}
