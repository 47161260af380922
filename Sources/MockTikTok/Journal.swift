import Glibc
import JSON
import Synchronization

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
  /// The journal line (one JSON object, no newline).
  public var line: [UInt8]

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

/// The request journal. Lines are appended to the file on an `O_APPEND` descriptor by ``flush()``, which the server
/// calls after each round of requests and before any of their responses is sent; sequence numbers are handed out
/// and lines written under one lock, so the file holds every answered request in sequence order, and a killed
/// process loses only requests it had not answered. (No `fsync`: a machine crash can still lose the page cache.)
/// The in-memory copy is a ring of the last `limit` entries.
final class Journal: Sendable {
  private struct State: Sendable {
    var sequence = 0
    var ring: [JournalEntry] = []
    var head = 0  // index of the oldest entry when the ring is full
    var total = 0
    var pending: [UInt8] = []  // lines appended but not yet written
  }

  private let fd: Int32
  let limit: Int
  private let state = Mutex(State())

  /// Opens (creating, appending to) `path`, or keeps memory only when `path` is `nil`.
  init(path: String?, limit: Int) throws(MockTikTokError) {
    self.limit = max(0, limit)
    if let path {
      let f = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
      if f < 0 { throw .journal(path: path, errno: errno) }
      fd = f
    } else {
      fd = -1
    }
  }

  deinit {
    flush()
    if fd >= 0 { close(fd) }
  }

  /// Assigns the next sequence number, queues `{"seq":N,` + `rest` + newline for the file, keeps the entry.
  /// `rest` is the line after the sequence field, starting with the next key.
  @discardableResult
  func append(rest: [UInt8], path: String, pixel: String?, events: [String]) -> Int {
    state.withLock { s in
      s.sequence += 1
      var line: [UInt8] = []
      line.reserveCapacity(rest.count + 24)
      line.append(contentsOf: #"{"seq":"#.utf8)
      JSONBytes.appendInt(&line, s.sequence)
      line.append(UInt8(ascii: ","))
      line.append(contentsOf: rest)
      if fd >= 0 {
        s.pending.append(contentsOf: line)
        s.pending.append(10)
        if s.pending.count >= 1 << 18 { write(&s) }
      }
      if limit > 0 {
        let entry = JournalEntry(sequence: s.sequence, path: path, pixel: pixel, events: events, line: line)
        if s.ring.count < limit {
          s.ring.append(entry)
        } else {
          s.ring[s.head] = entry
          s.head = (s.head + 1) % limit
        }
      }
      s.total += 1
      return s.sequence
    }
  }

  /// Writes every appended line to the file with one `write(2)`. Called before responses are sent, so a line is
  /// on disk (in the page cache) before its response leaves; lines are written under the sequence lock, in order.
  func flush() {
    guard fd >= 0 else { return }
    state.withLock { s in
      if !s.pending.isEmpty { write(&s) }
    }
  }

  private func write(_ s: inout State) {
    _ = s.pending.withUnsafeBytes { writeAll(fd, $0) }
    if s.pending.capacity > 1 << 20 {
      s.pending = []
    } else {
      s.pending.removeAll(keepingCapacity: true)
    }
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
