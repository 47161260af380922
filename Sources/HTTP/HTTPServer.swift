import Glibc
import Synchronization

/// Settings for ``HTTPServer``.
public struct HTTPServerConfiguration: Sendable {
  /// The address to bind: an IPv4 or IPv6 literal, or `localhost`. Default `127.0.0.1`.
  public var host: String = "127.0.0.1"
  /// The port; 0 picks a free one (read it back from ``HTTPServer/port``).
  public var port: UInt16 = 0
  /// Event-loop threads (each with its own epoll set and `SO_REUSEPORT` listener). Default 2.
  public var eventLoops: Int = 2
  /// Request size limits.
  public var limits = HTTPParserLimits()
  /// Seconds a started request may take to arrive completely before the server answers 408 and closes.
  public var readTimeout: Double = 10
  /// Seconds a keep-alive connection may stay idle (or a response may stay unread) before it is closed.
  public var idleTimeout: Double = 60
  /// `listen` backlog.
  public var backlog: Int32 = 1024

  /// The longest read or idle timeout, in seconds; longer (or infinite, or NaN) values are clamped to it.
  public static let maxTimeout = 1_000_000.0

  public init() {}

  /// `seconds` in nanoseconds, clamped to 1 ms ... ``maxTimeout`` (NaN counts as the maximum).
  static func nanoseconds(_ seconds: Double) -> UInt64 {
    UInt64((seconds.isNaN ? maxTimeout : min(max(seconds, 0.001), maxTimeout)) * 1e9)
  }
}

/// Why the server could not start.
public enum HTTPServerError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The host is not an address this server can bind.
  case invalidHost(String)
  /// A socket call failed; `errno` names the reason.
  case socketFailed(operation: String, errno: Int32)
  /// ``HTTPServer/start()`` was called twice.
  case alreadyStarted
  /// Another socket listens on the address (another process, or another server in this one).
  case addressInUse(host: String, port: UInt16)

  public var description: String {
    switch self {
    case .invalidHost(let h): return "invalid host '\(h)'"
    case .socketFailed(let op, let e): return "\(op) failed: \(errnoName(e)) (\(String(cString: strerror(e))))"
    case .alreadyStarted: return "server already started"
    case .addressInUse(let host, let port):
      return "\(host):\(port): address already in use (something listens there already; choose another --port, or 0)"
    }
  }
}

/// Answers one request. Runs on an event-loop thread (never on Swift's cooperative pool); must not block.
public typealias HTTPHandler = @Sendable (HTTPRequest) -> HTTPResponse

/// An HTTP/1.1 server on non-blocking POSIX sockets, epoll and a few dedicated threads.
///
/// Keep-alive, `Content-Length` and chunked bodies, `Expect: 100-continue`, size limits (414/431/413), read and idle
/// timeouts (408/close), 400 for malformed requests, `MSG_NOSIGNAL` writes with partial writes resumed on
/// `EPOLLOUT`, `EINTR` retried, `EMFILE` survived by pausing accept. Responses can be delayed (a timer, the loop
/// keeps serving), reset, truncated, empty or raw (see ``HTTPResponse/Delivery``).
public final class HTTPServer: Sendable {
  /// The configuration it was created with.
  public let configuration: HTTPServerConfiguration
  private let handler: HTTPHandler
  private let beforeSend: (@Sendable () -> Void)?
  private let state = Mutex(State())

  private struct State: Sendable {
    var started = false
    var port: UInt16 = 0
    var loops: [EventLoop] = []
    var threads: [Thread] = []
  }

  /// Creates a server; call ``start()`` to bind and serve.
  /// - Parameters:
  ///   - handler: answers each request on an event-loop thread.
  ///   - beforeSend: called on an event-loop thread after a round of requests was handled and before their
  ///     responses are written (e.g. to flush a journal once for the whole round).
  public init(
    configuration: HTTPServerConfiguration = HTTPServerConfiguration(), handler: @escaping HTTPHandler,
    beforeSend: (@Sendable () -> Void)? = nil
  ) {
    self.configuration = configuration
    self.handler = handler
    self.beforeSend = beforeSend
  }

  deinit { stop() }

  /// The bound port (0 before ``start()``).
  public var port: UInt16 { state.withLock { $0.port } }

  /// `http://HOST:PORT`.
  public var baseURL: String {
    let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
    return "http://\(host):\(port)"
  }

  /// Binds, listens and starts the event-loop threads; returns the bound port.
  /// - Throws: ``HTTPServerError`` when the address cannot be bound.
  @discardableResult
  public func start() throws(HTTPServerError) -> UInt16 {
    let alreadyStarted = state.withLock { s in
      defer { s.started = true }
      return s.started
    }
    if alreadyStarted { throw .alreadyStarted }
    let count = max(1, configuration.eventLoops)
    var listeners: [Int32] = []
    var port = configuration.port
    do {
      port = try Self.claimPort(host: configuration.host, port: port)
      for _ in 0..<count {
        let fd = try Self.listenSocket(host: configuration.host, port: port, backlog: configuration.backlog)
        listeners.append(fd)
        if port == 0 { port = Self.boundPort(fd) }
      }
    } catch {
      for fd in listeners { close(fd) }
      state.withLock { $0.started = false }
      throw error
    }
    var loops: [EventLoop] = []
    for fd in listeners {
      guard let loop = EventLoop(listenFD: fd, configuration: configuration, handler: handler, beforeSend: beforeSend)
      else {
        let e = errno
        for l in loops { l.closeAll() }
        state.withLock { $0.started = false }
        throw .socketFailed(operation: "epoll_create1", errno: e)
      }
      loops.append(loop)
    }
    let threads = loops.map { loop in Thread { loop.run() } }
    state.withLock { s in
      s.port = port
      s.loops = loops
      s.threads = threads
    }
    return port
  }

  /// Stops accepting, closes every connection and waits for the event-loop threads to end. Idempotent.
  /// Do not call it from a handler.
  public func stop() {
    let (loops, threads) = state.withLock { s in
      defer {
        s.loops = []
        s.threads = []
      }
      return (s.loops, s.threads)
    }
    for loop in loops { loop.requestStop() }
    for thread in threads { thread.join() }
  }

  /// Checks that nothing listens on `host:port` (a free port when `port` is 0) and returns the port.
  ///
  /// The event loops' listeners share the port through `SO_REUSEPORT`, which would also let a second process (a
  /// second mock started on the same port) join the group and silently take half the connections. This probe binds
  /// without `SO_REUSEPORT` (with `SO_REUSEADDR`, so a previous run's `TIME_WAIT` connections do not count): it
  /// fails with `EADDRINUSE` while any socket listens there, reuse-port group or not. The probe is closed before
  /// the listeners bind; two servers started within those microseconds could still share the port.
  static func claimPort(host: String, port: UInt16) throws(HTTPServerError) -> UInt16 {
    let address = try SocketAddress(host: host, port: port)
    let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    if fd < 0 { throw .socketFailed(operation: "socket", errno: errno) }
    defer { close(fd) }
    Sys.setInt(fd, SOL_SOCKET, SO_REUSEADDR, 1)
    if address.withSockAddr({ bind(fd, $0, $1) }) != 0 {
      let e = errno
      if e == EADDRINUSE { throw .addressInUse(host: host, port: port) }
      throw .socketFailed(operation: "bind \(host):\(port)", errno: e)
    }
    return boundPort(fd)
  }

  private static func listenSocket(host: String, port: UInt16, backlog: Int32) throws(HTTPServerError) -> Int32 {
    let address = try SocketAddress(host: host, port: port)
    let fd = socket(
      address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    if fd < 0 { throw .socketFailed(operation: "socket", errno: errno) }
    Sys.setInt(fd, SOL_SOCKET, SO_REUSEADDR, 1)
    Sys.setInt(fd, SOL_SOCKET, SO_REUSEPORT, 1)
    let r = address.withSockAddr { bind(fd, $0, $1) }
    if r != 0 {
      let e = errno
      close(fd)
      throw .socketFailed(operation: "bind \(host):\(port)", errno: e)
    }
    if listen(fd, backlog) != 0 {
      let e = errno
      close(fd)
      throw .socketFailed(operation: "listen", errno: e)
    }
    return fd
  }

  static func boundPort(_ fd: Int32) -> UInt16 {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    _ = withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    if storage.ss_family == sa_family_t(AF_INET6) {
      return withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
      }
    }
    return withUnsafePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
    }
  }
}

/// A TCP socket bound to 127.0.0.1 on a free port without listening, and the port; `nil` if none could be bound.
/// Connections to the port are refused until the caller closes the socket, and no other socket can take the port
/// meanwhile (a port merely closed could be taken by a concurrent server).
public func bindIdleLoopbackPort() -> (fd: Int32, port: UInt16)? {
  guard let address = try? SocketAddress(host: "127.0.0.1", port: 0) else { return nil }
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
  guard fd >= 0 else { return nil }
  guard address.withSockAddr({ bind(fd, $0, $1) }) == 0 else {
    close(fd)
    return nil
  }
  return (fd, HTTPServer.boundPort(fd))
}

/// An IPv4 or IPv6 socket address.
struct SocketAddress {
  var storage = sockaddr_storage()
  var length: socklen_t = 0
  var family: Int32 = AF_INET

  init(host: String, port: UInt16) throws(HTTPServerError) {
    let h = host == "localhost" ? "127.0.0.1" : host
    if h.contains(":") {
      var a = sockaddr_in6()
      a.sin6_family = sa_family_t(AF_INET6)
      a.sin6_port = port.bigEndian
      guard inet_pton(AF_INET6, h, &a.sin6_addr) == 1 else { throw .invalidHost(host) }
      family = AF_INET6
      length = socklen_t(MemoryLayout<sockaddr_in6>.size)
      withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee = a }
      }
    } else {
      var a = sockaddr_in()
      a.sin_family = sa_family_t(AF_INET)
      a.sin_port = port.bigEndian
      guard inet_pton(AF_INET, h, &a.sin_addr) == 1 else { throw .invalidHost(host) }
      length = socklen_t(MemoryLayout<sockaddr_in>.size)
      withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee = a }
      }
    }
  }

  func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
    var s = storage
    return withUnsafePointer(to: &s) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) } }
  }
}

/// A joinable POSIX thread running one closure.
final class Thread: Sendable {
  private final class Box {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
  }
  private let handle: Mutex<pthread_t?>

  init(_ body: @escaping @Sendable () -> Void) {
    var tid = pthread_t()
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    let r = pthread_create(
      &tid, nil,
      { arg in
        let box = Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue()
        box.body()
        return nil
      }, box)
    precondition(r == 0, "pthread_create failed: \(r)")
    handle = Mutex(tid)
  }

  /// Waits for the closure to return (once).
  func join() {
    guard
      let tid = handle.withLock({ h -> pthread_t? in
        defer { h = nil }
        return h
      })
    else { return }
    pthread_join(tid, nil)
  }
}
