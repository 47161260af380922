import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing

/// A live transformer that answers something other than a response body is "unreachable or wrong" (exit 3): never
/// a regression, never a source for `--update`, and the run stops at the first such answer.
@Suite struct LiveTransformerGateTests {
  /// Every file under `folder` with its bytes.
  static func snapshot(_ folder: URL) throws -> [String: Data] {
    var out: [String: Data] = [:]
    let walker = FileManager.default.enumerator(atPath: folder.path)
    while let name = walker?.nextObject() as? String {
      var isDirectory: ObjCBool = false
      let path = folder.appendingPathComponent(name).path
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
        out[name] = try Data(contentsOf: URL(fileURLWithPath: path))
      }
    }
    return out
  }

  /// A copy of the committed corpus in a temporary folder (never run `--update` on the real one in a test).
  static func corpusCopy() throws -> TemporaryDirectory {
    let dir = try TemporaryDirectory()
    try FileManager.default.copyItem(
      at: Paths.packageRoot.appendingPathComponent("Golden"), to: dir.url.appendingPathComponent("Golden"))
    return dir
  }

  @Test func a404RouteNotFoundIsExit3AndUpdateChangesNoGoldenFile() throws {
    let server = try ReplayTestServer { _, _, _ in
      (404, "application/json", Array(#"{"message":"Route not found"}"#.utf8))
    }
    defer { server.stop() }
    let dir = try Self.corpusCopy()
    defer { dir.remove() }
    let before = try Self.snapshot(dir.url.appendingPathComponent("Golden"))
    #expect(before.count > 100)
    for extra in [["--update"], []] {
      let sent = server.requests.withLock { $0.count }
      let r = try Harness.run(
        ["replay", "Golden", "--transformer", server.url, "--quiet"] + extra, currentDirectory: dir.url)
      #expect(r.status == 3, "\(extra): \(r.stdout)\(r.stderr)")
      #expect(
        r.stdout.contains("answered HTTP 404, not a 2xx status: {\"message\":\"Route not found\"}"), "\(r.stdout)")
      #expect(!r.stdout.contains("UPDATED"), "\(r.stdout)")
      #expect(r.stderr.contains("run stopped"), "\(r.stderr)")
      #expect(try Self.snapshot(dir.url.appendingPathComponent("Golden")) == before, "\(extra): a golden file changed")
      // Stopped at the first answer: the requests in flight (one per connection, 8 by default), not one per case.
      let requests = server.requests.withLock { $0.count } - sent
      #expect(requests <= 8, "\(extra): \(requests) requests")
    }
  }

  @Test func a2xxAnswerThatIsNotAResponseBodyIsExit3() throws {
    let server = try ReplayTestServer { _, _, _ in (200, "application/json", Array(#"{"status":"ok"}"#.utf8)) }
    defer { server.stop() }
    let dir = try Self.corpusCopy()
    defer { dir.remove() }
    let before = try Self.snapshot(dir.url.appendingPathComponent("Golden"))
    for filter in ["v1/event-search", "router/v1-batch"] {
      let r = try Harness.run(
        ["replay", "Golden", "--transformer", server.url, "--filter", filter, "--update", "--quiet"],
        currentDirectory: dir.url)
      #expect(r.status == 3, "\(filter): \(r.stdout)\(r.stderr)")
      #expect(r.stdout.contains("answered HTTP 200, not a"), "\(r.stdout)")
    }
    #expect(try Self.snapshot(dir.url.appendingPathComponent("Golden")) == before)
  }

  @Test func compareAgainstA404ServerIsExit3() throws {
    let server = try ReplayTestServer { _, _, _ in
      (404, "application/json", Array(#"{"message":"Route not found"}"#.utf8))
    }
    defer { server.stop() }
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("e.json", #"{"type":"track","event":"Search","timestamp":"2024-01-01T00:00:00Z"}"#)
    try dir.write("d.json", #"{"accessToken":"t","pixelCode":"P","version":"v2"}"#)
    let r = try Harness.run(
      ["compare", "e.json", "--config", "d.json", "--transformer", server.url], currentDirectory: dir.url)
    #expect(r.status == 3, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("HTTP 404"), "\(r.stdout)")
  }

  /// Against a server that accepts connections and never answers, replay stops within about one timeout, having
  /// sent a request only for the cases in flight.
  @Test func aServerThatNeverAnswersStopsTheRunWithinAboutOneTimeout() throws {
    let server = try SilentServer()
    defer { server.stop() }
    let start = Date()
    let r = try Harness.run([
      "replay", "Golden/v1", "Golden/v2", "--transformer", "http://127.0.0.1:\(server.port)", "--timeout", "1",
      "--quiet",
    ])
    let elapsed = Date().timeIntervalSince(start)
    #expect(r.status == 3, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("could not be reached: no answer within 1 s"), "\(r.stdout)")
    // 70 cases: before, every one of them waited its timeout (tens of seconds); now only those in flight, at once.
    #expect(elapsed < 20, "took \(elapsed) s")
    #expect(server.connections.load(ordering: .relaxed) <= 8, "one connection per request in flight (8 by default)")
  }
}

/// Accepts connections on 127.0.0.1 and never answers; counts them.
final class SilentServer: Sendable {
  let port: Int
  let connections = Atomic<Int>(0)
  private let fd: Int32
  private let held = Mutex<[Int32]>([])

  init() throws {
    let sock = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var yes: Int32 = 1
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(sock, 128) == 0 else { throw POSIXError(.EADDRINUSE) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(sock, $0, &length) }
    }
    fd = sock
    port = Int(UInt16(bigEndian: address.sin_port))
    let thread = Thread { [self] in
      while true {
        let client = accept(sock, nil, nil)
        guard client >= 0 else { break }
        self.connections.add(1, ordering: .relaxed)
        self.held.withLock { $0.append(client) }
      }
    }
    thread.start()
  }

  func stop() {
    shutdown(fd, Int32(SHUT_RDWR))
    close(fd)
    for client in held.withLock({ $0 }) { close(client) }
  }
}
