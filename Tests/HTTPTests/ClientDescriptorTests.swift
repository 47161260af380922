import Glibc
import HTTP
import Synchronization
import TestSupport
import Testing

/// A failed connection must close its socket exactly once. A second `close` of the same number lands on whatever
/// descriptor another thread opened in between (in `replay`, another case's mock or client), which then fails with
/// `EBADF` or a reset.
@Suite struct ClientDescriptorTests {
  @Test func refusedConnectionsCloseTheirSocketOnce() {
    let port = closedLoopbackPort()
    let stop = Atomic<Bool>(false)
    let victimErrors = Atomic<Int>(0)
    // The victim opens and uses socket pairs as fast as it can; their numbers are the ones the failed sockets free.
    let victim = Thread {
      var fds: [Int32] = [0, 0]
      var byte: UInt8 = 7
      while !stop.load(ordering: .relaxed) {
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else { continue }
        if send(fds[1], &byte, 1, Int32(MSG_NOSIGNAL)) != 1 || recv(fds[0], &byte, 1, Int32(MSG_DONTWAIT)) != 1 {
          victimErrors.add(1, ordering: .relaxed)
        }
        if close(fds[0]) != 0 { victimErrors.add(1, ordering: .relaxed) }
        if close(fds[1]) != 0 { victimErrors.add(1, ordering: .relaxed) }
      }
    }
    var refused = 0
    for _ in 0..<20_000 {
      do {
        _ = try HTTPClientConnection(host: "127.0.0.1", port: port, timeout: 1)
      } catch {
        refused += 1
      }
    }
    stop.store(true, ordering: .relaxed)
    victim.join()
    #expect(refused == 20_000)
    #expect(victimErrors.load(ordering: .relaxed) == 0, "another thread's descriptors were closed under it")
  }
}

/// A joinable thread for the test (Foundation's `Thread` cannot be joined).
private final class Thread: Sendable {
  private let handle: Mutex<pthread_t?>

  init(_ body: @escaping @Sendable () -> Void) {
    final class Box {
      let body: @Sendable () -> Void
      init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    var tid = pthread_t()
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    pthread_create(
      &tid, nil,
      { arg in
        Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue().body()
        return nil
      }, box)
    handle = Mutex(tid)
  }

  func join() {
    guard let tid = handle.withLock({ $0 }) else { return }
    pthread_join(tid, nil)
  }
}
