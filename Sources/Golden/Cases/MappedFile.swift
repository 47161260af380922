import Glibc

/// A large regular file's bytes, mapped read-only into memory instead of copied.
///
/// Reading a 38 MB request with `read(2)` costs about 35 ms on the reference machine, nearly all of it faulting in
/// and zeroing fresh pages for the copy, on one thread before any work starts. A mapping costs nothing up front:
/// the page cache's pages are mapped as the workers first read them (about 3 ms in all, spread over the cores).
/// `transform` reads its request this way.
///
/// A mapping has one hazard a copy has not: when another process truncates the file while it is mapped, reading a
/// page past the new end raises `SIGBUS`. While a ``MappedFile`` is alive, ``BusGuard`` turns that signal, for an
/// address inside the mapping, into a message naming the file and exit status 2 (only `write(2)` and `_exit(2)`;
/// callers write nothing before they are done reading). A `SIGBUS` anywhere else goes to the handler that was there
/// before. One mapping is guarded at a time; ``map(_:atLeast:)`` reads the file instead while another is alive.
public final class MappedFile: @unchecked Sendable {  // immutable after init; the bytes are read-only
  /// The file's bytes as they were when it was mapped.
  public let bytes: UnsafeRawBufferPointer

  private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  deinit {
    BusGuard.disarm()
    munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
  }

  /// Maps `path` when it is a regular file of at least `minimum` bytes (and no other mapping is guarded); `nil`
  /// when it is not (a pipe, a small file): read it with ``FileBytes/read(_:)`` then.
  public static func map(_ path: String, atLeast minimum: Int) -> Result<MappedFile?, FileReadError> {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { return .failure(FileReadError(errno: errno)) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) >= max(minimum, 1) else {
      return .success(nil)
    }
    let count = Int(info.st_size)
    guard let base = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
      return .success(nil)  // e.g. a file system that cannot map: the read path still works
    }
    guard BusGuard.arm(base: base, count: count, path: path) else {
      munmap(base, count)
      return .success(nil)
    }
    return .success(MappedFile(bytes: UnsafeRawBufferPointer(start: base, count: count)))
  }
}

/// The `SIGBUS` handler of a ``MappedFile``: its range and message live in memory allocated once, so the handler only
/// reads memory and calls `write(2)` and `_exit(2)`.
enum BusGuard {
  /// Guards `count` bytes at `base`, read from `path`; `false` when another mapping is guarded already.
  static func arm(base: UnsafeRawPointer, count: Int, path: String) -> Bool {
    let s = state
    s.lock.lock()
    defer { s.lock.unlock() }
    guard s.start == 0 else { return false }
    var message = Array("tiktok-harness: \(path) shrank while it was being read (another process truncated it?);".utf8)
    message += Array(" nothing was written\n".utf8)
    let length = min(message.count, State.messageCapacity)
    message.withUnsafeBufferPointer { s.message.update(from: $0.baseAddress!, count: length) }
    s.messageLength = length
    s.end = UInt(bitPattern: base) + UInt(count)
    s.start = UInt(bitPattern: base)
    if !s.installed {
      var action = sigaction()
      action.__sigaction_handler.sa_sigaction = { sig, info, context in BusGuard.handle(sig, info, context) }
      sigemptyset(&action.sa_mask)
      action.sa_flags = SA_SIGINFO | SA_ONSTACK
      sigaction(SIGBUS, &action, s.previous)
      s.installed = true
    }
    return true
  }

  /// Stops guarding (the handler stays installed and passes every `SIGBUS` on).
  static func disarm() {
    let s = state
    s.lock.lock()
    s.start = 0
    s.end = 0
    s.lock.unlock()
  }

  private static func handle(
    _ sig: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?
  ) {
    let s = state
    let address = UInt(bitPattern: info?.pointee._sifields._sigfault.si_addr)
    if s.start != 0, address >= s.start, address < s.end {
      _ = write(2, s.message, s.messageLength)
      _exit(2)
    }
    // Not ours: the previous action takes it when the faulting instruction runs again.
    sigaction(SIGBUS, s.previous, nil)
  }

  private final class State: @unchecked Sendable {  // range written under `lock`, read by the handler
    static let messageCapacity = 4096
    let lock = Mutex()
    var installed = false
    var start: UInt = 0
    var end: UInt = 0
    let message = UnsafeMutablePointer<UInt8>.allocate(capacity: messageCapacity)
    var messageLength = 0
    let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)

    init() { previous.initialize(to: sigaction()) }
  }

  private static let state = State()

  /// A `pthread_mutex_t` for ``State`` (arming happens on whichever thread opens the file).
  private final class Mutex: @unchecked Sendable {
    private let raw = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() { pthread_mutex_init(raw, nil) }
    func lock() { pthread_mutex_lock(raw) }
    func unlock() { pthread_mutex_unlock(raw) }
  }
}
