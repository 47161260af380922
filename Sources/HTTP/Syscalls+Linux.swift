import Glibc

/// Thin wrappers over the Linux system calls the server needs.
///
/// `import Glibc` on Swift 6.3.1 does not bring `epoll_*`, `accept4` or `pipe2` into scope (they sit behind
/// `_GNU_SOURCE`/a header the Glibc module map leaves out), so they are looked up once with `dlsym` and called
/// through C function pointers. No C target is needed.
enum Sys {
  private typealias EpollCreate1 = @convention(c) (Int32) -> Int32
  private typealias EpollCtl = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
  private typealias EpollWait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
  private typealias Accept4 =
    @convention(c) (
      Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32
    ) -> Int32

  private static func symbol<T>(_ name: String, as type: T.Type) -> T {
    guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else {
      fatalError("libc symbol \(name) not found")
    }
    return unsafeBitCast(pointer, to: type)
  }

  // C function pointers are immutable after the first (thread-safe, lazy) initialisation.
  nonisolated(unsafe) private static let epollCreate1Fn = symbol("epoll_create1", as: EpollCreate1.self)
  nonisolated(unsafe) private static let epollCtlFn = symbol("epoll_ctl", as: EpollCtl.self)
  nonisolated(unsafe) private static let epollWaitFn = symbol("epoll_wait", as: EpollWait.self)
  nonisolated(unsafe) private static let accept4Fn = symbol("accept4", as: Accept4.self)

  // The epoll constants keep their C names (sys/epoll.h).
  // swift-format-ignore: AlwaysUseLowerCamelCase
  static let EPOLLIN: UInt32 = 0x001
  // swift-format-ignore: AlwaysUseLowerCamelCase
  static let EPOLLOUT: UInt32 = 0x004
  // swift-format-ignore: AlwaysUseLowerCamelCase
  static let EPOLLERR: UInt32 = 0x008
  // swift-format-ignore: AlwaysUseLowerCamelCase
  static let EPOLLHUP: UInt32 = 0x010
  // swift-format-ignore: AlwaysUseLowerCamelCase
  static let EPOLL_CTL_ADD: Int32 = 1
  // swift-format-ignore: AlwaysUseLowerCamelCase
  static let EPOLL_CTL_DEL: Int32 = 2
  // swift-format-ignore: AlwaysUseLowerCamelCase
  static let EPOLL_CTL_MOD: Int32 = 3
  // swift-format-ignore: AlwaysUseLowerCamelCase
  static let EPOLL_CLOEXEC: Int32 = 0x80000

  #if arch(x86_64)
    /// `struct epoll_event` is packed on x86-64: 4 bytes of events, then 8 bytes of data.
    static let epollEventSize = 12
    static let epollDataOffset = 4
  #else
    static let epollEventSize = 16
    static let epollDataOffset = 8
  #endif

  static func epollCreate() -> Int32 { epollCreate1Fn(EPOLL_CLOEXEC) }

  /// `epoll_ctl` with `data` as the 64-bit user data.
  @discardableResult
  static func epollCtl(_ epfd: Int32, _ op: Int32, _ fd: Int32, events: UInt32, data: UInt64) -> Int32 {
    withUnsafeTemporaryAllocation(byteCount: epollEventSize, alignment: 8) { buffer in
      let base = buffer.baseAddress!
      base.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
      base.storeBytes(of: data, toByteOffset: epollDataOffset, as: UInt64.self)
      return epollCtlFn(epfd, op, fd, base)
    }
  }

  /// `epoll_wait`, returning 0 on `EINTR`.
  static func epollWait(_ epfd: Int32, _ events: UnsafeMutableRawPointer, _ max: Int32, _ timeoutMs: Int32) -> Int32 {
    let n = epollWaitFn(epfd, events, max, timeoutMs)
    if n < 0 && errno == EINTR { return 0 }
    return n
  }

  static func eventFlags(_ events: UnsafeMutableRawPointer, _ i: Int) -> UInt32 {
    events.loadUnaligned(fromByteOffset: i * epollEventSize, as: UInt32.self)
  }

  static func eventData(_ events: UnsafeMutableRawPointer, _ i: Int) -> UInt64 {
    events.loadUnaligned(fromByteOffset: i * epollEventSize + epollDataOffset, as: UInt64.self)
  }

  /// `accept4` with `SOCK_NONBLOCK | SOCK_CLOEXEC`, retried on `EINTR`.
  static func accept(_ fd: Int32) -> Int32 {
    let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    while true {
      let r = accept4Fn(fd, nil, nil, flags)
      if r < 0 && errno == EINTR { continue }
      return r
    }
  }

  /// `read`, retried on `EINTR`.
  static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    while true {
      let r = Glibc.read(fd, buffer, count)
      if r < 0 && errno == EINTR { continue }
      return r
    }
  }

  /// `send(..., MSG_NOSIGNAL)`, retried on `EINTR`: a closed peer gives `EPIPE`, never `SIGPIPE`.
  static func send(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    while true {
      let r = Glibc.send(fd, buffer, count, Int32(MSG_NOSIGNAL))
      if r < 0 && errno == EINTR { continue }
      return r
    }
  }

  /// `write` of the whole buffer to a regular file (loops over short writes, retries `EINTR`); `false` on error.
  static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < buffer.count {
      let r = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
      if r < 0 {
        if errno == EINTR { continue }
        return false
      }
      offset += r
    }
    return true
  }

  static func setInt(_ fd: Int32, _ level: Int32, _ option: Int32, _ value: Int32) {
    var v = value
    _ = setsockopt(fd, level, option, &v, socklen_t(MemoryLayout<Int32>.size))
  }

  static func setNoDelay(_ fd: Int32) { setInt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1) }

  /// Makes the next `close` send RST instead of FIN (`SO_LINGER` with a zero timeout).
  static func setLingerZero(_ fd: Int32) {
    var l = linger(l_onoff: 1, l_linger: 0)
    _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
  }

  static func setNonBlocking(_ fd: Int32) {
    let flags = fcntl(fd, F_GETFL)
    _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
  }

  /// Monotonic time in nanoseconds.
  static func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
  }
}

/// The symbolic name of an `errno` value (`ECONNRESET`), or `errno N` for rare ones.
public func errnoName(_ code: Int32) -> String {
  switch code {
  case EPERM: return "EPERM"
  case ENOENT: return "ENOENT"
  case EINTR: return "EINTR"
  case EIO: return "EIO"
  case EBADF: return "EBADF"
  case EAGAIN: return "EAGAIN"
  case ENOMEM: return "ENOMEM"
  case EACCES: return "EACCES"
  case EINVAL: return "EINVAL"
  case ENFILE: return "ENFILE"
  case EMFILE: return "EMFILE"
  case EPIPE: return "EPIPE"
  case EADDRINUSE: return "EADDRINUSE"
  case EADDRNOTAVAIL: return "EADDRNOTAVAIL"
  case ENETDOWN: return "ENETDOWN"
  case ENETUNREACH: return "ENETUNREACH"
  case ECONNABORTED: return "ECONNABORTED"
  case ECONNRESET: return "ECONNRESET"
  case ENOBUFS: return "ENOBUFS"
  case ENOTCONN: return "ENOTCONN"
  case ETIMEDOUT: return "ETIMEDOUT"
  case ECONNREFUSED: return "ECONNREFUSED"
  case EHOSTDOWN: return "EHOSTDOWN"
  case EHOSTUNREACH: return "EHOSTUNREACH"
  case EINPROGRESS: return "EINPROGRESS"
  case EPROTO: return "EPROTO"
  default: return "errno \(code)"
  }
}
