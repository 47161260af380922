import Dispatch
import Glibc
import JSON

/// One journaled request, as kept in memory.
public struct JournalEntry: Sendable {
  /// 1-based sequence number, in the order lines were written.
  public var sequence: Int
  /// The request path as sent.
  public var path: String
  /// The pixel code (`pixel_code` or `event_source_id`), if any.
  public var pixel: String?
  /// The event names in the request.
  public var events: [String]
  /// The line after `{"seq":N,` (see ``line``).
  var rest: [UInt8]

  /// The journal line (one JSON object, no newline).
  public var line: [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(rest.count + 24)
    out.append(contentsOf: #"{"seq":"#.utf8)
    JSONBytes.appendInt(&out, sequence)
    out.append(UInt8(ascii: ","))
    out.append(contentsOf: rest)
    return out
  }

  /// The line parsed.
  public var json: JSONValue { (try? JSONValue.parse(line)) ?? .null }
}

/// Which journal entries to return.
public struct JournalFilter: Sendable, Equatable {
  /// Exact path, or an endpoint pattern (`pixel/batch`, `v1.3/event/track`).
  public var path: String?
  public var pixel: String?
  public var event: String?
  /// Only entries with a sequence number greater than this.
  public var since: Int?
  /// At most this many (the oldest first).
  public var limit: Int?

  public init(path: String? = nil, pixel: String? = nil, event: String? = nil, since: Int? = nil, limit: Int? = nil) {
    self.path = path
    self.pixel = pixel
    self.event = event
    self.since = since
    self.limit = limit
  }

  func matches(_ e: JournalEntry) -> Bool {
    if let since, e.sequence <= since { return false }
    if let pixel, e.pixel != pixel { return false }
    if let event, !e.events.contains(event) { return false }
    if let path, path != e.path {
      guard let endpoint = TikTokEndpoint(path: e.path), TikTokEndpoint.isValidPattern(path), endpoint.matches(path)
      else { return false }
    }
    return true
  }
}

/// The request journal. Each thread queues its lines without locking; ``flush()``, which the server calls after
/// each round of requests and before any of their responses is sent, takes one lock to hand out sequence numbers,
/// append the round's lines to the file with one `write(2)` on an `O_APPEND` descriptor, and add them to the
/// in-memory ring. So the file holds every answered request, lines in sequence order, and a killed process loses
/// only requests it had not answered. (No `fsync`: a machine crash can still lose the page cache.) The in-memory
/// copy is a ring of the last `limit` entries.
final class Journal: Sendable {
  private struct State: Sendable {
    var sequence = 0
    var ring: [JournalEntry] = []
    var head = 0  // index of the oldest entry when the ring is full
    /// The file's length (its size when opened plus what this process appended), and up to where its page cache
    /// has been released.
    var written = 0
    var released = 0
  }

  /// Journal bytes kept in the page cache: older ones are handed back to the kernel in steps of `releaseStep`
  /// (see ``release(_:)``).
  static let cacheWindow = 64 << 20
  static let releaseStep = 16 << 20
  /// Where ``release(_:)`` runs: the advice can start writeback, which may block, so never on an event loop.
  private let releaser = DispatchQueue(label: "mock-journal-page-cache")

  /// Lines queued by one thread (only ever touched by that thread): their text back to back in one reused
  /// buffer, and what the in-memory ring's filters need.
  private final class Pending {
    let text = ByteWriter()
    /// The numbered lines of one flush, as written to the file.
    let output = ByteWriter()
    var items: [(end: Int, path: String, pixel: String?, events: [String])] = []
  }

  private let fd: Int32
  let limit: Int
  private let state: SleepingLock<State>
  private let key: pthread_key_t

  /// Opens (creating, appending to) `path`, or keeps memory only when `path` is `nil`.
  init(path: String?, limit: Int) throws(MockTikTokError) {
    self.limit = max(0, limit)
    if let path {
      let f = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
      if f < 0 { throw .journal(path: path, errno: errno) }
      fd = f
      let size = max(0, Int(lseek(f, 0, SEEK_END)))  // appending to an existing journal: offsets start at its end
      state = SleepingLock(State(written: size, released: size))
    } else {
      fd = -1
      state = SleepingLock(State())
    }
    var k = pthread_key_t()
    pthread_key_create(&k) { p in
      if let p { Unmanaged<AnyObject>.fromOpaque(p).release() }
    }
    key = k
  }

  deinit {
    flush()
    pthread_key_delete(key)
    if fd >= 0 { close(fd) }
  }

  private var pending: Pending {
    if let p = pthread_getspecific(key) {
      return Unmanaged<Pending>.fromOpaque(p).takeUnretainedValue()
    }
    let box = Pending()
    pthread_setspecific(key, Unmanaged.passRetained(box).toOpaque())
    return box
  }

  /// Queues a request's line: `write` appends the line after the sequence field (starting with the next key) to the
  /// writer it is given. The line gets its sequence number and reaches the file and the ring at the calling
  /// thread's next ``flush()``.
  func append(path: String, pixel: String?, events: [String], _ write: (ByteWriter) -> Void) {
    let box = pending
    write(box.text)
    box.items.append((box.text.count, path, pixel, events))
  }

  /// Numbers, writes (one `write(2)`) and keeps every line this thread queued.
  func flush() {
    let box = pending
    guard !box.items.isEmpty else { return }
    var release: (from: Int, to: Int)?
    state.withLock { s in
      let output = box.output
      var start = 0
      for item in box.items {
        s.sequence += 1
        let rest = box.text.bytes(start..<item.end)
        start = item.end
        if fd >= 0 {
          output.append(#"{"seq":"#)
          output.appendInt(s.sequence)
          output.append(UInt8(ascii: ","))
          output.append(rest)
          output.append(10)
        }
        if limit > 0 {
          let entry = JournalEntry(
            sequence: s.sequence, path: item.path, pixel: item.pixel, events: item.events, rest: Array(rest))
          if s.ring.count < limit {
            s.ring.append(entry)
          } else {
            s.ring[s.head] = entry
            s.head = (s.head + 1) % limit
          }
        }
      }
      if fd >= 0 {
        _ = writeAll(fd, UnsafeRawBufferPointer(output.bytes))
        s.written += output.count
        if s.written - s.released >= Self.cacheWindow + Self.releaseStep {
          release = (max(0, s.released - Self.cacheWindow), s.written - Self.cacheWindow)
          s.released = s.written - Self.cacheWindow
        }
      }
    }
    if let release { releaser.async { self.release(release) } }
    box.items.removeAll(keepingCapacity: true)
    box.text.truncate(to: 0)
    box.text.shrink(ifAbove: 1 << 20)
    box.output.truncate(to: 0)
    box.output.shrink(ifAbove: 1 << 20)
  }

  /// Hands the journal's page-cache pages in `range` back to the kernel (`POSIX_FADV_DONTNEED`: dirty pages are
  /// queued for writeback, clean ones dropped; the range starts a window back so pages still being written back
  /// last time are dropped now). A mock journaling a long load test writes gigabytes; without this they all stay
  /// cached, and every new line lands on memory the machine has never touched, which on a virtual machine costs
  /// more than the copy itself. Lines already written are unaffected: the file holds them either way.
  private func release(_ range: (from: Int, to: Int)) {
    _ = posix_fadvise(fd, off_t(range.from), off_t(range.to - range.from), POSIX_FADV_DONTNEED)
  }

  /// The kept entries (oldest first) that match `filter`.
  func entries(_ filter: JournalFilter) -> [JournalEntry] {
    state.withLock { s in
      var out: [JournalEntry] = []
      let n = s.ring.count
      for i in 0..<n {
        let e = s.ring[(s.head + i) % max(n, 1)]
        if filter.matches(e) {
          out.append(e)
          if let limit = filter.limit, out.count >= limit { break }
        }
      }
      return out
    }
  }

  /// Clears the in-memory entries (the file and the sequence counter are kept); returns how many were dropped.
  @discardableResult
  func clear() -> Int {
    state.withLock { s in
      let n = s.ring.count
      s.ring = []
      s.head = 0
      return n
    }
  }

  /// The last sequence number handed out.
  var lastSequence: Int { state.withLock { $0.sequence } }
}

/// Errors of the mock server.
public enum MockTikTokError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The journal file could not be opened.
  case journal(path: String, errno: Int32)
  /// A scenario file could not be read.
  case unreadableScenario(path: String)
  /// A scenario file does not follow the format.
  case invalidScenario(ScenarioError)
  /// The HTTP server could not start.
  case server(String)

  public var description: String {
    switch self {
    case .journal(let p, let e): return "\(p): cannot open journal: \(String(cString: strerror(e)))"
    case .unreadableScenario(let p): return "\(p): cannot read scenario file"
    case .invalidScenario(let e): return e.description
    case .server(let m): return m
    }
  }
}

/// `write` of the whole buffer (loops over short writes, retries `EINTR`); `false` on error.
func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
  var offset = 0
  while offset < buffer.count {
    let r = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
    if r < 0 {
      if errno == EINTR { continue }
      return false
    }
    offset += r
  }
  return true
}
