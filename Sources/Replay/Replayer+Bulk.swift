import Dispatch
import Foundation
import Golden
import JSON
import Synchronization

extension Replayer {
  /// Files per window when a runner runs in bulk (a live transformer): enough cases to keep its connections busy
  /// with batched requests, few enough to hold in memory at once.
  public static let bulkWindow = 512

  /// The runner that takes whole windows of cases, and its place in ``runners``, if one does.
  var bulkRunner: (runner: any BulkCaseRunner, index: Int)? {
    for (index, runner) in runners.enumerated() {
      if let bulk = runner as? any BulkCaseRunner, bulk.runsInBulk { return (bulk, index) }
    }
    return nil
  }

  /// Replays `corpus` in windows of ``bulkWindow`` files, as a pipeline: while one window's cases are with the
  /// transformer (`runAll`: concurrent, batched requests), the next window's files are loaded and the previous
  /// window's answers judged, so the harness and the transformer work at the same time.
  ///
  /// A window is sent only once every answer of the window before it came back without stopping the run; a window
  /// that stops the run is judged and reported up to its first unreachable case, with none of its `--update`
  /// rewrites written, and nothing after it is sent.
  func runInBulk(
    _ corpus: GoldenCorpus, runner: any BulkCaseRunner, index: Int, emission: inout Emission, progress: Progress?,
    onResult: (CaseResult) -> Void
  ) {
    var batch: [GoldenCorpus.Item] = []
    var pending: (window: BulkWindow, sending: Sending)?

    /// Loads the next window (`nil` at the end) while the pending one is out, then judges and reports the pending
    /// one once the next is out; `false` once the run must stop.
    func advance(_ items: [GoldenCorpus.Item]?) -> Bool {
      let next = items.map { prepare($0) }
      guard let current = pending else {
        pending = next.map { ($0, Sending($0.cases, runner: runner)) }
        return true
      }
      let answers = current.sending.wait()
      let stopAt = Self.firstStop(answers)
      pending = stopAt == nil ? next.map { ($0, Sending($0.cases, runner: runner)) } : nil
      let outcomes = judge(current.window, answers: answers, stopAt: stopAt, runner: index)
      let reported = emission.emit(
        outcomes, items: current.window.items, stopped: stopAt != nil, progress: progress, onResult: onResult)
      // A window that stopped always holds the unreachable case it stopped at; were it not so, still say so.
      if stopAt != nil { emission.summary.unreachable = true }
      return reported && stopAt == nil
    }

    var stopped = false
    corpus.walk { item in
      batch.append(item)
      if batch.count == Self.bulkWindow {
        stopped = !advance(batch)
        batch.removeAll(keepingCapacity: true)
      }
      return !stopped
    }
    if !stopped && !batch.isEmpty { stopped = !advance(batch) }
    while !stopped && pending != nil { stopped = !advance(nil) }
  }

  /// One window: its items, each file's selected entries, the bulk runner's cases in corpus order and, for each
  /// entry, its place among those cases.
  struct BulkWindow: Sendable {
    var items: [GoldenCorpus.Item]
    var plans: [FilePlan?]
    var cases: [GoldenCase] = []
    var slots: [[Int?]]
  }

  /// A window's cases with the runner, on a thread of their own.
  final class Sending: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the thread before `done` is signalled, read after `wait()`.
    private var answers: [(result: Result<JSONValue, ReplayError>, seconds: Double)?] = []

    init(_ cases: [GoldenCase], runner: any BulkCaseRunner) {
      Thread.detachNewThread { [self] in
        answers = runner.runAll(cases)
        done.signal()
      }
    }

    /// The answers, once all are in.
    func wait() -> [(result: Result<JSONValue, ReplayError>, seconds: Double)?] {
      done.wait()
      done.signal()
      return answers
    }
  }

  /// Loads and selects every file of the window on all cores, and lists the cases the bulk runner takes.
  private func prepare(_ items: [GoldenCorpus.Item]) -> BulkWindow {
    let plans = Mutex<[FilePlan?]>(Array(repeating: nil, count: items.count))
    DispatchQueue.concurrentPerform(iterations: items.count) { k in
      guard case .file(let file) = items[k] else { return }
      CrashNotice.enter(k, file.path)
      let plan = plan(file)
      CrashNotice.leave(k)
      plans.withLock { $0[k] = plan }
    }
    let loaded = plans.withLock { $0 }
    var window = BulkWindow(
      items: items, plans: loaded, slots: loaded.map { Array(repeating: nil, count: $0?.entries.count ?? 0) })
    guard let index = bulkRunner?.index else { return window }
    for (k, plan) in loaded.enumerated() {
      for (j, entry) in (plan?.entries ?? []).enumerated() {
        guard case .run(let golden) = entry,
          runners.firstIndex(where: { $0.routes.contains(golden.route.kind) }) == index
        else { continue }
        window.slots[k][j] = window.cases.count
        window.cases.append(golden)
      }
    }
    return window
  }

  /// The first case that was unreachable, if any (or, were none, the first not sent).
  private static func firstStop(_ answers: [(result: Result<JSONValue, ReplayError>, seconds: Double)?]) -> Int? {
    let unreachable = answers.firstIndex { answer in
      if case .failure(.unreachable)? = answer?.result { return true }
      return false
    }
    return unreachable ?? answers.firstIndex { $0 == nil }
  }

  /// Each file's cases judged in order on all cores: the bulk runner's from their answers, other routes' run here
  /// (unless they come after the case that stopped the run).
  private func judge(
    _ window: BulkWindow, answers: [(result: Result<JSONValue, ReplayError>, seconds: Double)?], stopAt: Int?,
    runner index: Int
  ) -> [FileOutcome] {
    var stopPlace: (Int, Int)?
    if let stopAt {
      for (k, fileSlots) in window.slots.enumerated() {
        if let j = fileSlots.firstIndex(of: stopAt) {
          stopPlace = (k, j)
          break
        }
      }
    }
    let stoppedAt = stopPlace
    let outputs = Mutex<[FileOutcome]>(Array(repeating: FileOutcome(), count: window.items.count))
    DispatchQueue.concurrentPerform(iterations: window.items.count) { k in
      var outcome = FileOutcome()
      switch window.items[k] {
      case .problem(let problem): outcome.results = [Self.problemResult(problem)]
      case .file(let file):
        guard let plan = window.plans[k] else { break }
        CrashNotice.enter(k, file.path)
        let local = Atomic<Bool>(false)
        outcome = execute(plan, slot: k, stop: local) { j, golden in
          let start = DispatchTime.now().uptimeNanoseconds
          guard let slot = window.slots[k][j] else {
            // Another route's case (delivery): run it unless the window stopped before it.
            if let stoppedAt, (k, j) > stoppedAt { return nil }
            return runCase(golden)
          }
          // Not sent because the run stopped at another case: no result (the run reports up to that case).
          guard let answer = answers[slot] else { return nil }
          return judge(golden, answer.result, start: start, seconds: answer.seconds)
        }
        CrashNotice.leave(k)
      }
      outputs.withLock { $0[k] = outcome }
    }
    return outputs.withLock { $0 }
  }
}
