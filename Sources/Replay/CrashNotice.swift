import Glibc

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

  /// Records that `slot` is free again.
  static func leave(_ slot: Int) {
    guard state.installed, slot < slots else { return }
    state.lengths[slot] = 0
  }

  private static func handle(_ sig: Int32) {
    let s = state
    var any = false
    for slot in 0..<slots where s.lengths[slot] > 0 {
      if !any {
        put("tiktok-harness replay: crashed (")
        put(name(sig))
        put("); case files in flight:\n")
        any = true
      }
      put("  ")
      _ = write(2, s.paths + slot * slotBytes, s.lengths[slot])
      put("\n")
    }
    if !any {
      put("tiktok-harness replay: crashed (")
      put(name(sig))
      put(") between case files\n")
    }
    sigaction(sig, s.previous + index(sig), nil)
    raise(sig)  // delivered to the previous handler once this one returns
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

  /// The slots and the saved handlers: allocated once, never freed, read by the signal handler.
  private final class State: @unchecked Sendable {  // written before the handlers are installed, then slot by slot
    var installed = false
    let paths = UnsafeMutablePointer<UInt8>.allocate(capacity: CrashNotice.slots * CrashNotice.slotBytes)
    let lengths = UnsafeMutablePointer<Int>.allocate(capacity: CrashNotice.slots)
    let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 6)

    init() {
      lengths.initialize(repeating: 0, count: CrashNotice.slots)
      previous.initialize(repeating: sigaction(), count: 6)
    }
  }

  private static let state = State()
}
