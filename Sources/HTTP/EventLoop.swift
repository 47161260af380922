import Glibc
import Synchronization

/// One connection's state, owned by one event loop.
final class Connection {
  let fd: Int32
  let generation: UInt64
  var parser: HTTPRequestParser
  var out: [UInt8] = []
  var outOffset = 0
  var closeAfterFlush = false
  var readEOF = false
  var closed = false
  var lastActivity: UInt64
  var requestStarted: UInt64?
  var interest: UInt32 = Sys.EPOLLIN
  var dirty = false
  var delayed: (response: HTTPResponse, keepAlive: Bool, minorVersion: Int, head: Bool)?

  init(fd: Int32, generation: UInt64, limits: HTTPParserLimits, now: UInt64) {
    self.fd = fd
    self.generation = generation
    self.parser = HTTPRequestParser(limits: limits)
    self.lastActivity = now
  }

  var hasPendingOutput: Bool { outOffset < out.count }
}

/// An epoll loop on its own thread: accepts from its `SO_REUSEPORT` listener and serves its connections.
///
/// `@unchecked Sendable`: everything except `stopFlag` and the wake pipe is touched only by the loop's own thread,
/// after the object is handed to it.
final class EventLoop: @unchecked Sendable {
  private struct Timer {
    enum Kind { case delayed(fd: Int32, generation: UInt64), resumeAccept }
    var deadline: UInt64
    var kind: Kind
  }

  private static let listenerToken: UInt64 = 1 << 40
  private static let wakeToken: UInt64 = 1 << 41
  private static let maxEvents: Int32 = 256
  private static let readSize = 64 * 1024
  private static let sweepInterval: UInt64 = 100_000_000

  private let epfd: Int32
  private let listenFD: Int32
  private let wakeRead: Int32
  private let wakeWrite: Int32
  private let handler: HTTPHandler
  private let beforeSend: (@Sendable () -> Void)?
  private var dirty: [Connection] = []
  private let limits: HTTPParserLimits
  private let readTimeout: UInt64
  private let idleTimeout: UInt64
  private let stopFlag = Atomic<Bool>(false)
  private var connections: [Int32: Connection] = [:]
  private var timers: [Timer] = []
  private var generation: UInt64 = 0
  private var now: UInt64 = Sys.now()
  private var lastSweep: UInt64 = 0
  private var listenerPaused = false
  private var lastAcceptWarning: UInt64 = 0
  private var dateSecond = 0
  private var dateValue = ""
  private let scratch: UnsafeMutableRawPointer
  private let events: UnsafeMutableRawPointer

  init?(
    listenFD: Int32, configuration: HTTPServerConfiguration, handler: @escaping HTTPHandler,
    beforeSend: (@Sendable () -> Void)?
  ) {
    let ep = Sys.epollCreate()
    if ep < 0 { return nil }
    var fds: [Int32] = [0, 0]
    if pipe(&fds) != 0 {
      close(ep)
      return nil
    }
    for fd in fds {
      Sys.setNonBlocking(fd)
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }
    epfd = ep
    self.listenFD = listenFD
    wakeRead = fds[0]
    wakeWrite = fds[1]
    self.handler = handler
    self.beforeSend = beforeSend
    limits = configuration.limits
    readTimeout = HTTPServerConfiguration.nanoseconds(configuration.readTimeout)
    idleTimeout = HTTPServerConfiguration.nanoseconds(configuration.idleTimeout)
    scratch = UnsafeMutableRawPointer.allocate(byteCount: Self.readSize, alignment: 16)
    events = UnsafeMutableRawPointer.allocate(byteCount: Int(Self.maxEvents) * Sys.epollEventSize, alignment: 16)
    Sys.epollCtl(epfd, Sys.EPOLL_CTL_ADD, listenFD, events: Sys.EPOLLIN, data: Self.listenerToken)
    Sys.epollCtl(epfd, Sys.EPOLL_CTL_ADD, wakeRead, events: Sys.EPOLLIN, data: Self.wakeToken)
  }

  deinit {
    scratch.deallocate()
    events.deallocate()
  }

  /// Asks the loop to end; safe from any thread.
  func requestStop() {
    stopFlag.store(true, ordering: .releasing)
    var b: UInt8 = 1
    _ = write(wakeWrite, &b, 1)
  }

  /// The loop body; returns after ``requestStop()``, having closed everything.
  func run() {
    while !stopFlag.load(ordering: .acquiring) {
      let n = Sys.epollWait(epfd, events, Self.maxEvents, nextTimeoutMs())
      now = Sys.now()
      if n > 0 {
        for i in 0..<Int(n) {
          let data = Sys.eventData(events, i)
          let flags = Sys.eventFlags(events, i)
          if data == Self.listenerToken {
            acceptConnections()
          } else if data == Self.wakeToken {
            var drain = [UInt8](repeating: 0, count: 64)
            _ = read(wakeRead, &drain, 64)
          } else if let c = connections[Int32(truncatingIfNeeded: data)] {
            handleEvent(c, flags)
          }
        }
      }
      if !timers.isEmpty { runTimers() }
      sendDirty()
      if now &- lastSweep >= Self.sweepInterval { sweep() }
    }
    closeAll()
  }

  /// Closes every connection, the listener, the epoll set and the wake pipe.
  func closeAll() {
    for c in connections.values { closeConnection(c) }
    close(listenFD)
    close(epfd)
    close(wakeRead)
    close(wakeWrite)
  }

  private func nextTimeoutMs() -> Int32 {
    var wait: UInt64 = connections.isEmpty ? 1_000_000_000 : Self.sweepInterval
    let t = Sys.now()
    for timer in timers {
      wait = min(wait, timer.deadline > t ? timer.deadline - t : 0)
    }
    return Int32((wait + 999_999) / 1_000_000)
  }

  // MARK: accept

  private func acceptConnections() {
    for _ in 0..<64 {
      let fd = Sys.accept(listenFD)
      if fd < 0 {
        let e = errno
        switch e {
        case EAGAIN, EWOULDBLOCK: return
        case ECONNABORTED, EPROTO, EPERM: continue
        case EMFILE, ENFILE, ENOBUFS, ENOMEM:
          // Out of descriptors or memory: stop polling the listener for 100 ms, keep serving, then retry.
          if now &- lastAcceptWarning > 1_000_000_000 {
            lastAcceptWarning = now
            let msg = "http: accept failed with \(errnoName(e)); pausing accept for 100 ms\n"
            _ = msg.withCString { write(2, $0, strlen($0)) }
          }
          pauseListener()
          return
        default: return
        }
      }
      Sys.setNoDelay(fd)
      generation &+= 1
      let c = Connection(fd: fd, generation: generation, limits: limits, now: now)
      connections[fd] = c
      Sys.epollCtl(epfd, Sys.EPOLL_CTL_ADD, fd, events: Sys.EPOLLIN, data: UInt64(UInt32(bitPattern: fd)))
    }
  }

  private func pauseListener() {
    guard !listenerPaused else { return }
    listenerPaused = true
    Sys.epollCtl(epfd, Sys.EPOLL_CTL_DEL, listenFD, events: 0, data: 0)
    timers.append(Timer(deadline: now + 100_000_000, kind: .resumeAccept))
  }

  // MARK: connection events

  private func handleEvent(_ c: Connection, _ flags: UInt32) {
    if flags & Sys.EPOLLIN != 0 {
      let n = Sys.read(c.fd, scratch, Self.readSize)
      if n > 0 {
        c.lastActivity = now
        c.parser.append(UnsafeRawBufferPointer(start: scratch, count: n))
      } else if n == 0 {
        c.readEOF = true
      } else if errno != EAGAIN && errno != EWOULDBLOCK {
        closeConnection(c)
        return
      }
      process(c)
    } else if flags & (Sys.EPOLLERR | Sys.EPOLLHUP) != 0 && flags & Sys.EPOLLOUT == 0 {
      closeConnection(c)
      return
    }
    if flags & Sys.EPOLLOUT != 0 && !c.closed {
      flushAndUpdate(c)
    }
  }

  /// Takes complete requests out of the parser and answers them in order, then writes what it can.
  private func process(_ c: Connection) {
    while c.delayed == nil && !c.closeAfterFlush && !c.closed {
      let event: HTTPRequestParser.Event?
      do {
        event = try c.parser.next()
      } catch {
        var r = HTTPResponse.text(error.status, "\(error.status) \(HTTPStatus.reason(error.status)): \(error)\n")
        r.delivery = .close
        emit(c, r, keepAlive: false, minorVersion: 1, head: false)
        break
      }
      guard let event else { break }
      switch event {
      case .continueExpected:
        c.out.append(contentsOf: "HTTP/1.1 100 Continue\r\n\r\n".utf8)
      case .request(let request):
        c.requestStarted = nil
        let response = handler(request)
        let keepAlive = request.keepAlive
        let head = request.method == "HEAD"
        if response.delayMilliseconds > 0 {
          c.delayed = (response, keepAlive, request.minorVersion, head)
          timers.append(
            Timer(
              deadline: now + UInt64(response.delayMilliseconds) * 1_000_000,
              kind: .delayed(fd: c.fd, generation: c.generation)))
        } else {
          emit(c, response, keepAlive: keepAlive, minorVersion: request.minorVersion, head: head)
        }
      }
    }
    if c.closed { return }
    if c.parser.hasPartialRequest {
      if c.requestStarted == nil { c.requestStarted = now }
    } else {
      c.requestStarted = nil
    }
    if !c.dirty {
      c.dirty = true
      dirty.append(c)
    }
  }

  /// Sends what this round of events produced: first the `beforeSend` hook (the journal's flush), then every
  /// connection's output. One hook call covers every response of the round.
  private func sendDirty() {
    guard !dirty.isEmpty else { return }
    beforeSend?()
    for c in dirty {
      c.dirty = false
      if !c.closed { flushAndUpdate(c) }
    }
    dirty.removeAll(keepingCapacity: true)
  }

  private func emit(_ c: Connection, _ response: HTTPResponse, keepAlive: Bool, minorVersion: Int, head: Bool) {
    switch response.delivery {
    case .normal, .close:
      let keep = keepAlive && response.delivery == .normal
      response.serialize(
        into: &c.out, keepAlive: keep, minorVersion: minorVersion, date: httpDate(), includeBody: !head)
      if !keep { c.closeAfterFlush = true }
    case .reset:
      // The journal line of this request is written before the reset answers it (the journal's guarantee);
      // whatever earlier responses are still queued go first, best effort; then RST.
      beforeSend?()
      if c.hasPendingOutput { _ = flush(c) }
      if !c.closed {
        Sys.setLingerZero(c.fd)
        closeConnection(c)
      }
    case .empty:
      c.closeAfterFlush = true
    case .truncate(let bytes):
      var full: [UInt8] = []
      response.serialize(into: &full, keepAlive: false, minorVersion: minorVersion, date: httpDate())
      c.out.append(contentsOf: full.prefix(max(0, bytes)))
      c.closeAfterFlush = true
    case .partialBody(let bytes):
      var full: [UInt8] = []
      response.serialize(into: &full, keepAlive: false, minorVersion: minorVersion, date: httpDate())
      let headLength = full.count - response.body.count
      c.out.append(contentsOf: full.prefix(headLength + min(max(0, bytes), response.body.count)))
      c.closeAfterFlush = true
    case .raw(let bytes):
      c.out.append(contentsOf: bytes)
      c.closeAfterFlush = true
    }
  }

  /// Writes queued output; `false` when the connection was closed on an error.
  private func flush(_ c: Connection) -> Bool {
    while c.outOffset < c.out.count {
      let n = c.out.withUnsafeBytes { p in
        Sys.send(c.fd, p.baseAddress! + c.outOffset, p.count - c.outOffset)
      }
      if n > 0 {
        c.outOffset += n
        c.lastActivity = now
      } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
        return true
      } else {
        closeConnection(c)
        return false
      }
    }
    if c.out.capacity > 1 << 20 {
      c.out = []
    } else {
      c.out.removeAll(keepingCapacity: true)
    }
    c.outOffset = 0
    return true
  }

  private func flushAndUpdate(_ c: Connection) {
    guard flush(c) else { return }
    if c.hasPendingOutput {
      setInterest(c, Sys.EPOLLOUT)
      return
    }
    if c.closeAfterFlush {
      // Half-close first so the peer reads the whole response before the socket goes.
      shutdown(c.fd, Int32(SHUT_WR))
      closeConnection(c)
      return
    }
    if c.delayed != nil {
      setInterest(c, 0)
      return
    }
    if c.readEOF {
      closeConnection(c)
      return
    }
    setInterest(c, Sys.EPOLLIN)
  }

  private func setInterest(_ c: Connection, _ interest: UInt32) {
    guard c.interest != interest else { return }
    c.interest = interest
    Sys.epollCtl(epfd, Sys.EPOLL_CTL_MOD, c.fd, events: interest, data: UInt64(UInt32(bitPattern: c.fd)))
  }

  private func closeConnection(_ c: Connection) {
    guard !c.closed else { return }
    c.closed = true
    connections[c.fd] = nil
    Sys.epollCtl(epfd, Sys.EPOLL_CTL_DEL, c.fd, events: 0, data: 0)
    close(c.fd)
  }

  // MARK: timers and timeouts

  private func runTimers() {
    let t = Sys.now()
    var due: [Timer] = []
    timers.removeAll { timer in
      if timer.deadline <= t {
        due.append(timer)
        return true
      }
      return false
    }
    for timer in due {
      switch timer.kind {
      case .resumeAccept:
        listenerPaused = false
        Sys.epollCtl(epfd, Sys.EPOLL_CTL_ADD, listenFD, events: Sys.EPOLLIN, data: Self.listenerToken)
      case .delayed(let fd, let generation):
        guard let c = connections[fd], c.generation == generation, let d = c.delayed else { continue }
        c.delayed = nil
        c.lastActivity = now
        emit(c, d.response, keepAlive: d.keepAlive, minorVersion: d.minorVersion, head: d.head)
        if !c.closed { process(c) }
      }
    }
  }

  private func sweep() {
    lastSweep = now
    var expired: [(Connection, Bool)] = []
    for c in connections.values where c.delayed == nil {
      if c.hasPendingOutput {
        if now &- c.lastActivity > idleTimeout { expired.append((c, false)) }
      } else if let started = c.requestStarted {
        if now &- started > readTimeout { expired.append((c, true)) }
      } else if now &- c.lastActivity > idleTimeout {
        expired.append((c, false))
      }
    }
    for (c, answer) in expired {
      if answer {
        var r = HTTPResponse.text(408, "408 Request Timeout: request not received in time\n")
        r.delivery = .close
        emit(c, r, keepAlive: false, minorVersion: 1, head: false)
        flushAndUpdate(c)
        if !c.closed { closeConnection(c) }
      } else {
        closeConnection(c)
      }
    }
  }

  private func httpDate() -> String {
    var t = time(nil)
    if t == dateSecond { return dateValue }
    dateSecond = t
    var tm = tm()
    gmtime_r(&t, &tm)
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    dateValue =
      "\(days[Int(tm.tm_wday)]), \(two(tm.tm_mday)) \(months[Int(tm.tm_mon)]) \(tm.tm_year + 1900) "
      + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) GMT"
    return dateValue
  }
}
