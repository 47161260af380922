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
    out.appendDecimal(sequence)
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
/// append the round's lines to the file with one `write(2)` (``JournalFile``), and add them to the in-memory ring.
/// So the file holds every answered request, lines in sequence order, and a killed process loses only requests it
/// had not answered. (No `fsync`: a machine crash can
/// still lose the page cache.) The in-memory copy is a ring of the last `limit` entries.
final class Journal: Sendable {
  private struct State: Sendable {
    var sequence = 0
    var ring: [JournalEntry] = []
    var head = 0  // index of the oldest entry when the ring is full
  }

  /// Lines queued by one thread (only ever touched by that thread): their text back to back in one reused
  /// buffer, and what the in-memory ring's filters need.
  private final class Pending {
    var text = ByteBuffer()
    var items: [(end: Int, path: String, pixel: String?, events: [String])] = []
    /// The in-memory entries of one flush, built before taking the lock, and the ones they pushed out of the
    /// ring, freed after it.
    var entries: [JournalEntry] = []
    var replaced: [JournalEntry] = []
  }

  private let file: JournalFile?
  let limit: Int
  private let state: SleepingLock<State>
  private let key: pthread_key_t

  /// Opens (creating, appending to) `path`, or keeps memory only when `path` is `nil`.
  init(path: String?, limit: Int) throws(MockTikTokError) {
    self.limit = max(0, limit)
    file = try path.map { path throws(MockTikTokError) in try JournalFile(path: path) }
    state = SleepingLock(State())
    var k = pthread_key_t()
    pthread_key_create(&k) { p in
      if let p { Unmanaged<AnyObject>.fromOpaque(p).release() }
    }
    key = k
  }

  deinit {
    flush()
    pthread_key_delete(key)
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
  func append(path: String, pixel: String?, events: [String], _ write: (inout ByteBuffer) -> Void) {
    let box = pending
    write(&box.text)
    box.items.append((box.text.count, path, pixel, events))
  }

  /// Numbers, writes (one `write(2)`) and keeps every line this thread queued. The lock covers only what must be
  /// in order: handing out sequence numbers, writing the numbered lines and placing the entries in the ring. The
  /// entries' copies of the lines are made before it and the entries they push out of the ring are freed after it,
  /// since a thread preempted while holding the lock stalls the other event loop too.
  func flush() {
    let box = pending
    guard !box.items.isEmpty else { return }
    if limit > 0 {
      var start = 0
      for item in box.items {
        let rest = Array(box.text.bytes(start..<item.end))
        box.entries.append(
          JournalEntry(sequence: 0, path: item.path, pixel: item.pixel, events: item.events, rest: rest))
        start = item.end
      }
    }
    state.withLock { s in
      let first = s.sequence + 1
      s.sequence += box.items.count
      if let file {
        var byteCount = 0
        var start = 0
        for (i, item) in box.items.enumerated() {
          byteCount += JournalLine.length(sequence: first + i, rest: item.end - start)
          start = item.end
        }
        file.append(byteCount: byteCount, firstSequence: first) { out in
          var at = 0
          var start = 0
          for (i, item) in box.items.enumerated() {
            at = JournalLine.write(sequence: first + i, rest: box.text.bytes(start..<item.end), into: out, at: at)
            start = item.end
          }
        }
      }
      for i in box.entries.indices {
        box.entries[i].sequence = first + i
        if s.ring.count < limit {
          s.ring.append(box.entries[i])
        } else {
          box.replaced.append(s.ring[s.head])
          s.ring[s.head] = box.entries[i]
          s.head = (s.head + 1) % limit
        }
      }
    }
    box.entries.removeAll(keepingCapacity: true)
    box.replaced.removeAll(keepingCapacity: true)
    box.items.removeAll(keepingCapacity: true)
    box.text.truncate(to: 0)
    box.text.shrink(ifAbove: 1 << 20)
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

/// A journal line as written to the file: `{"seq":N,` then the rest of the line, then a newline.
enum JournalLine {
  private static let prefix: StaticString = #"{"seq":"#

  /// The line's length in bytes.
  static func length(sequence: Int, rest: Int) -> Int {
    prefix.utf8CodeUnitCount + DecimalDigits.count(UInt64(sequence)) + 1 + rest + 1
  }

  /// Writes the line into `out` at `offset`; returns the offset after it.
  static func write(
    sequence: Int, rest: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableRawBufferPointer, at offset: Int
  ) -> Int {
    let bytes = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
    var at = offset
    (bytes + at).update(from: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
    at += prefix.utf8CodeUnitCount
    at += DecimalDigits.write(UInt64(sequence), to: bytes + at)
    bytes[at] = UInt8(ascii: ",")
    at += 1
    if let base = rest.baseAddress { (bytes + at).update(from: base, count: rest.count) }
    at += rest.count
    bytes[at] = 10
    return at + 1
  }
}
