import Glibc
import Golden

/// Names the case files being replayed when the process dies of a crash signal.
///
/// A trap in the transformer (an index out of range, an overflow, a failed precondition) kills the whole replay:
/// cases run in this process. Swift prints the trap's message and backtrace, but not which case was running. With
/// the notice installed, a crash signal first prints `crashed (SIGILL); case files in flight:` and those files
/// to stderr, then goes on to the handler that was there before (Swift's backtracer, or the default action), so
/// the process still dies of the same signal.
///
/// The files in flight live in fixed slots written before and after each file (no allocation, no lock), so the
/// handler only reads memory and calls `write(2)`.
///
/// With ``armJUnit(path:)`` (replay `--report junit FILE`), the handler also writes `FILE` before the process dies:
/// the results emitted so far (kept as rendered `<testcase>` elements by ``record(_:)``), then one `<testcase>` with
/// an `<error type="crash">` per case in flight, so a CI job that crashed still shows which case crashed it.
public enum CrashNotice {
  /// Slots: one per file of a ``Replayer`` batch.
  static let slots = Replayer.batchSize
  static let slotBytes = 1024

  /// Installs the handlers (once; later calls do nothing).
  public static func install() {
    guard !state.installed else { return }
    state.installed = true
    for sig in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT] {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { sig in CrashNotice.handle(sig) }
      sigemptyset(&action.sa_mask)
      action.sa_flags = SA_ONSTACK
      sigaction(sig, &action, state.previous + index(sig))
    }
  }

  /// Records that `path` is being replayed in `slot` (when installed).
  static func enter(_ slot: Int, _ path: String) {
    guard state.installed, slot < slots else { return }
    var path = path
    let n = path.withUTF8 { bytes in
      let n = min(bytes.count, slotBytes)
      (state.paths + slot * slotBytes).update(from: bytes.baseAddress!, count: n)
      return n
    }
    state.lengths[slot] = n
  }

  /// Records that case `name` of the file in `slot` is running (its name is the file's until a vectors file names
  /// each case).
  static func enterCase(_ slot: Int, _ name: String) {
    guard state.installed, slot < slots else { return }
    var name = name
    state.nameLengths[slot] = name.withUTF8 { bytes in
      let n = min(bytes.count, slotBytes)
      (state.names + slot * slotBytes).update(from: bytes.baseAddress!, count: n)
      return n
    }
  }

  /// Records that `slot` is free again.
  static func leave(_ slot: Int) {
    guard state.installed, slot < slots else { return }
    state.lengths[slot] = 0
    state.nameLengths[slot] = 0
  }

  /// Makes a crash write a JUnit report to `path` (created with its folders now, so the handler only opens it).
  /// - Returns: `false` when the folder cannot be created or the path is too long.
  @discardableResult
  public static func armJUnit(path: String) -> Bool {
    guard state.installed, path.utf8.count < slotBytes else { return false }
    let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    if !folder.isEmpty { makeFolders(folder) }
    var path = path
    path.withUTF8 { bytes in
      for (i, b) in bytes.enumerated() { state.junitPath[i] = CChar(bitPattern: b) }
      state.junitPath[bytes.count] = 0
    }
    state.junitArmed = true
    return true
  }

  /// Keeps `result` for the crash report (a no-op unless ``armJUnit(path:)`` was called). Call it from the thread
  /// that emits results, between batches (never while cases run).
  public static func record(_ result: CaseResult) {
    guard state.junitArmed else { return }
    state.counts.add(result)
    state.append(Array(JUnitReport.testcase(result).utf8))
  }

  private static func makeFolders(_ folder: String) {
    var prefix = folder.hasPrefix("/") ? "/" : ""
    for part in folder.split(separator: "/") {
      prefix += part
      mkdir(prefix, 0o755)
      prefix += "/"
    }
  }

  // The handler and what it calls use no generic code (ranges, `for … in`, `max`): unspecialized, in a debug
  // build, that instantiates witness tables with `malloc`, which deadlocks when the signal came inside `malloc`.
  // So: `while` loops over integers, and comparisons.
  private static func handle(_ sig: Int32) {
    let s = state
    var any = false
    var slot = 0
    while slot < slots {
      defer { slot += 1 }
      guard s.lengths[slot] > 0 else { continue }
      if !any {
        put("tiktok-harness replay: crashed (")
        put(name(sig))
        put("); case files in flight:\n")
        any = true
      }
      put("  ")
      _ = write(2, s.paths + slot * slotBytes, s.lengths[slot])
      put("\n")
      if s.nameLengths[slot] > 0 {
        put("    case ")
        _ = write(2, s.names + slot * slotBytes, s.nameLengths[slot])
        put("\n")
      }
    }
    if !any {
      put("tiktok-harness replay: crashed (")
      put(name(sig))
      put(") between case files\n")
    }
    if s.junitArmed { writeJUnit(sig) }
    sigaction(sig, s.previous + index(sig), nil)
    raise(sig)  // delivered to the previous handler once this one returns
  }

  /// Writes the JUnit report: the results so far, then an error test case per case in flight (or one named
  /// `replay` when the crash came between files). Only `open`, `write` and `close`.
  private static func writeJUnit(_ sig: Int32) {
    let s = state
    let fd = open(s.junitPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return }
    defer { close(fd) }
    var inFlight = 0
    var slot = 0
    while slot < slots {
      if s.lengths[slot] > 0 { inFlight += 1 }
      slot += 1
    }
    let crashed = inFlight > 0 ? inFlight : 1
    var out = Writer(fd: fd, buffer: s.scratch, capacity: scratchBytes)
    out.put("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    var tag = 0
    while tag < 2 {
      defer { tag += 1 }
      out.put(
        tag == 0
          ? "<testsuites name=\"tiktok-harness replay\" tests=\""
          : "  <testsuite name=\"tiktok-harness replay\" tests=\"")
      out.put(s.counts.tests + crashed)
      out.put("\" failures=\"")
      out.put(s.counts.failures)
      out.put("\" errors=\"")
      out.put(s.counts.errors + crashed)
      out.put("\" skipped=\"")
      out.put(s.counts.skipped)
      out.put("\" time=\"")
      out.put(Int(s.counts.seconds))
      out.put("\">\n")
    }
    out.flush()
    _ = write(fd, s.buffer, s.bufferCount)
    slot = 0
    while slot < slots {
      defer { slot += 1 }
      guard s.lengths[slot] > 0 else { continue }
      let nameStart = s.nameLengths[slot] > 0 ? s.names + slot * slotBytes : s.paths + slot * slotBytes
      let nameLength = s.nameLengths[slot] > 0 ? s.nameLengths[slot] : s.lengths[slot]
      out.put("    <testcase classname=\"golden")
      var lastSlash = nameLength - 1
      while lastSlash >= 0 && nameStart[lastSlash] != UInt8(ascii: "/") { lastSlash -= 1 }
      if lastSlash >= 0 {
        out.put(".")
        var i = 0
        while i < lastSlash {
          out.putEscaped(nameStart[i] == UInt8(ascii: "/") ? UInt8(ascii: ".") : nameStart[i])
          i += 1
        }
      }
      out.put("\" name=\"")
      out.putEscaped(nameStart, count: nameLength)
      out.put("\" file=\"")
      out.putEscaped(s.paths + slot * slotBytes, count: s.lengths[slot])
      out.put("\" time=\"0.000000\">\n      <error type=\"crash\" message=\"replay crashed (")
      out.put(name(sig))
      out.put(") while this case was running\"/>\n    </testcase>\n")
    }
    if inFlight == 0 {
      out.put("    <testcase classname=\"golden\" name=\"replay\" time=\"0.000000\">\n")
      out.put("      <error type=\"crash\" message=\"replay crashed (")
      out.put(name(sig))
      out.put(") between case files\"/>\n    </testcase>\n")
    }
    out.put("  </testsuite>\n</testsuites>\n")
    out.flush()
  }

  /// Buffered `write(2)` into preallocated memory, for the signal handler.
  private struct Writer {
    let fd: Int32
    let buffer: UnsafeMutablePointer<UInt8>
    let capacity: Int
    var count = 0

    mutating func putByte(_ b: UInt8) {
      if count == capacity { flush() }
      buffer[count] = b
      count += 1
    }

    mutating func put(_ text: StaticString) {
      var i = 0
      while i < text.utf8CodeUnitCount {
        putByte(text.utf8Start[i])
        i += 1
      }
    }

    mutating func put(_ n: Int) {
      let value = n > 0 ? n : 0
      var divisor = 1
      while value / divisor >= 10 { divisor *= 10 }
      while divisor > 0 {
        putByte(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
        divisor /= 10
      }
    }

    /// One byte of a name or path, escaped for an XML attribute (UTF-8 passes through).
    mutating func putEscaped(_ b: UInt8) {
      switch b {
      case UInt8(ascii: "&"): put("&amp;")
      case UInt8(ascii: "<"): put("&lt;")
      case UInt8(ascii: ">"): put("&gt;")
      case UInt8(ascii: "\""): put("&quot;")
      default: if b < 0x20 { put("?") } else { putByte(b) }
      }
    }

    mutating func putEscaped(_ bytes: UnsafeMutablePointer<UInt8>, count: Int) {
      var i = 0
      while i < count {
        putEscaped(bytes[i])
        i += 1
      }
    }

    mutating func flush() {
      var offset = 0
      while offset < count {
        let n = write(fd, buffer + offset, count - offset)
        if n <= 0 { break }
        offset += n
      }
      count = 0
    }
  }

  private static func put(_ text: StaticString) {
    _ = write(2, text.utf8Start, text.utf8CodeUnitCount)
  }

  private static func index(_ sig: Int32) -> Int {
    switch sig {
    case SIGILL: return 0
    case SIGTRAP: return 1
    case SIGSEGV: return 2
    case SIGBUS: return 3
    case SIGFPE: return 4
    default: return 5
    }
  }

  private static func name(_ sig: Int32) -> StaticString {
    switch sig {
    case SIGILL: return "SIGILL"
    case SIGTRAP: return "SIGTRAP"
    case SIGSEGV: return "SIGSEGV"
    case SIGBUS: return "SIGBUS"
    case SIGFPE: return "SIGFPE"
    default: return "SIGABRT"
    }
  }

  static let scratchBytes = 4096

  /// The slots, the saved handlers and the JUnit state: allocated once, read by the signal handler.
  private final class State: @unchecked Sendable {  // written before the handlers are installed, then slot by slot
    var installed = false
    let paths = UnsafeMutablePointer<UInt8>.allocate(capacity: CrashNotice.slots * CrashNotice.slotBytes)
    let lengths = UnsafeMutablePointer<Int>.allocate(capacity: CrashNotice.slots)
    let names = UnsafeMutablePointer<UInt8>.allocate(capacity: CrashNotice.slots * CrashNotice.slotBytes)
    let nameLengths = UnsafeMutablePointer<Int>.allocate(capacity: CrashNotice.slots)
    let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 6)
    var junitArmed = false
    let junitPath = UnsafeMutablePointer<CChar>.allocate(capacity: CrashNotice.slotBytes + 1)
    let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: CrashNotice.scratchBytes)
    var counts = JUnitReport.Counts()
    /// The rendered `<testcase>` elements so far; replaced (never mutated in place) when it grows.
    var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 0)
    var bufferCount = 0
    var bufferCapacity = 0

    init() {
      lengths.initialize(repeating: 0, count: CrashNotice.slots)
      nameLengths.initialize(repeating: 0, count: CrashNotice.slots)
      previous.initialize(repeating: sigaction(), count: 6)
    }

    func append(_ bytes: [UInt8]) {
      if bufferCount + bytes.count > bufferCapacity {
        let capacity = max(64 * 1024, (bufferCount + bytes.count) * 2)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: buffer, count: bufferCount)
        let old = buffer
        buffer = grown
        bufferCapacity = capacity
        old.deallocate()
      }
      bytes.withUnsafeBufferPointer { (buffer + bufferCount).update(from: $0.baseAddress!, count: $0.count) }
      bufferCount += bytes.count
    }
  }

  private static let state = State()
}
