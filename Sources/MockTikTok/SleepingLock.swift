import Glibc

/// A lock around a value for a critical section that makes a system call (the journal's `write(2)`): a plain
/// `pthread_mutex_t`, whose waiters sleep on a futex. `Synchronization.Mutex` uses a priority-inheritance futex on
/// Linux, whose waiters spin in the kernel while the owner runs; with the event loops and the load generator
/// sharing two cores, that spinning took CPU the owner's peers needed (perf: `rt_mutex_slowlock_block`, 3–4 % of the
/// mock's CPU under load).
final class SleepingLock<Value>: @unchecked Sendable {  // every access to `value` goes through `mutex`
  private var value: Value
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  init(_ value: Value) {
    self.value = value
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// Runs `body` with the value, holding the lock.
  func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
