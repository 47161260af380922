import Dispatch
import Glibc
import JSON

/// The journal's file, opened `O_APPEND`: each ``append(byteCount:_:)`` is one `write(2)` of whole lines, so the
/// file is exactly its lines at every moment (`tail -f` works) and a killed process cannot lose a line once the
/// call returned. ``Journal`` calls it under its lock: one caller at a time, lines in sequence order.
///
/// On ext4 under heavy load a `write` sometimes waits behind the writeback of earlier lines (for milliseconds; less
/// with the 1 MiB release steps of ``JournalPageCache``), and both event loops wait with it; a journal on tmpfs avoids
/// that. Writing through a shared mapping kept ready ahead by a helper thread removed the waits from the write
/// itself but not from the p99 (BENCHMARKS.md, "journal through a memory mapping").
///
/// A failed write (a full disk, `/dev/full`) is reported on stderr, once per error, with the first sequence number
/// it lost: the server keeps answering, but the file no longer holds every answered request.
final class JournalFile: @unchecked Sendable {  // every member: one caller at a time (the journal's lock)
  private let path: String
  private let fd: Int32
  /// The file's length (its size when opened plus what this process appended), and up to where its page cache
  /// has been released.
  private var written: Int
  private var released: Int
  /// The errors already reported.
  private var reported: Set<Int32> = []
  /// The lines of one append, reused.
  private var buffer = ByteBuffer()
  /// Where the page cache is released: the advice can start writeback, which may block, so never on an event loop.
  private let releaser = DispatchQueue(label: "mock-journal-page-cache")

  /// Opens (creating, appending to) `path`.
  init(path: String) throws(MockTikTokError) {
    let f = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    if f < 0 { throw .journal(path: path, errno: errno) }
    self.path = path
    fd = f
    written = max(0, Int(lseek(f, 0, SEEK_END)))  // appending to an existing journal: offsets start at its end
    released = written
  }

  deinit { close(fd) }

  /// Appends `byteCount` bytes of whole lines, which `fill` writes into the buffer it is given (exactly that long,
  /// valid only during the call); `firstSequence` is the first line's, for the error message.
  func append(byteCount: Int, firstSequence: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) {
    buffer.truncate(to: 0)
    buffer.shrink(ifAbove: 1 << 20)
    buffer.reserve(byteCount)
    fill(UnsafeMutableRawBufferPointer(start: buffer.base, count: byteCount))
    buffer.advance(by: byteCount)
    guard writeAll(fd, UnsafeRawBufferPointer(buffer.bytes)) else {
      let e = errno
      if reported.insert(e).inserted {
        let message =
          "tiktok-harness serve: journal \(path): write failed (\(String(cString: strerror(e)))); requests from seq "
          + "\(firstSequence) on may be missing from the file\n"
        _ = message.withCString { Glibc.write(2, $0, strlen($0)) }
      }
      return
    }
    written += byteCount
    if let release = JournalPageCache.due(written: written, released: &released) {
      releaser.async { JournalPageCache.release(self.fd, release) }
    }
  }
}

/// Keeps a long-running journal's page cache bounded.
///
/// A mock journaling a load test writes gigabytes; without this they all stay cached, and every new line lands on
/// memory the machine has never touched, which on a virtual machine costs more than the copy itself (BENCHMARKS.md).
/// Lines already written are unaffected: the file holds them either way.
enum JournalPageCache {
  /// Journal bytes kept in the page cache; older ones are handed back to the kernel in steps of `releaseStep`.
  static let window = 64 << 20
  /// Small steps keep the journal's write stalls short. Releasing a dirty range writes it back, and while the
  /// writeback allocates the range's blocks, the next append waits: the smaller the step, the shorter the wait and
  /// the lower the p99 (`ab.sh` A/B in BENCHMARKS.md, change 7).
  static let releaseStep = 1 << 20
  /// Each release also covers this much before the last one, to drop pages that were still being written back
  /// then.
  static let lookback = 8 << 20

  /// The range to release now, if `written` has moved a step past the last release (and moves `released`).
  static func due(written: Int, released: inout Int) -> (from: Int, to: Int)? {
    guard written - window - released >= releaseStep else { return nil }
    defer { released = written - window }
    return (max(0, released - lookback), written - window)
  }

  /// `POSIX_FADV_DONTNEED` over `range`: dirty pages are queued for writeback, clean ones dropped.
  static func release(_ fd: Int32, _ range: (from: Int, to: Int)) {
    _ = posix_fadvise(fd, off_t(range.from), off_t(range.to - range.from), POSIX_FADV_DONTNEED)
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
