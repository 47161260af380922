import Dispatch
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

  /// A window of files run in three steps: every file loaded and its cases selected (on all cores); the cases of
  /// the bulk runner sent all at once (`runAll`, concurrent and batched); then each file's cases judged in order
  /// (on all cores), other routes' cases run as usual. Sets `stop` when a case was unreachable; the cases after it
  /// get no result that is reported (the caller stops at the first unreachable result).
  func bulkOutcomes(
    _ items: [GoldenCorpus.Item], runner: any BulkCaseRunner, index: Int, stop: borrowing Atomic<Bool>
  ) -> [FileOutcome] {
    let plans = Mutex<[FilePlan?]>(Array(repeating: nil, count: items.count))
    DispatchQueue.concurrentPerform(iterations: items.count) { k in
      guard case .file(let file) = items[k] else { return }
      CrashNotice.enter(k, file.path)
      let plan = plan(file)
      CrashNotice.leave(k)
      plans.withLock { $0[k] = plan }
    }
    let loaded = plans.withLock { $0 }

    // The bulk runner's cases in corpus order, and where each sits.
    var cases: [GoldenCase] = []
    var slotTable: [[Int?]] = loaded.map { plan in Array(repeating: nil, count: plan?.entries.count ?? 0) }
    for (k, plan) in loaded.enumerated() {
      for (j, entry) in (plan?.entries ?? []).enumerated() {
        guard case .run(let golden) = entry,
          runners.firstIndex(where: { $0.routes.contains(golden.route.kind) }) == index
        else { continue }
        slotTable[k][j] = cases.count
        cases.append(golden)
      }
    }
    let slots = slotTable
    let answers = runner.runAll(cases)
    let firstStop = answers.firstIndex { answer in
      guard let answer else { return true }
      if case .failure(.unreachable) = answer.result { return true }
      return false
    }
    // Where the first case that stopped the run sits: (file, entry).
    var stopPlace: (Int, Int)?
    if let firstStop {
      stop.store(true, ordering: .relaxed)
      for (k, fileSlots) in slots.enumerated() {
        if let j = fileSlots.firstIndex(of: firstStop) {
          stopPlace = (k, j)
          break
        }
      }
    }
    let stoppedAt = stopPlace

    let outputs = Mutex<[FileOutcome]>(Array(repeating: FileOutcome(), count: items.count))
    DispatchQueue.concurrentPerform(iterations: items.count) { k in
      var outcome = FileOutcome()
      switch items[k] {
      case .problem(let problem): outcome.results = [Self.problemResult(problem)]
      case .file(let file):
        guard let plan = loaded[k] else { break }
        CrashNotice.enter(k, file.path)
        let local = Atomic<Bool>(false)
        outcome = execute(plan, slot: k, stop: local) { j, golden in
          let start = DispatchTime.now().uptimeNanoseconds
          guard let slot = slots[k][j] else {
            // Another route's case (delivery): run it unless the window already stopped before it.
            if let stoppedAt, (k, j) > stoppedAt { return notSent(golden) }
            return runCase(golden)
          }
          guard let answer = answers[slot] else { return notSent(golden) }
          return judge(golden, answer.result, start: start, seconds: answer.seconds)
        }
        CrashNotice.leave(k)
      }
      outputs.withLock { $0[k] = outcome }
    }
    return outputs.withLock { $0 }
  }

  /// A case left unsent because the run stopped before it (never reported: the run stops at an earlier case).
  private func notSent(_ golden: GoldenCase) -> (CaseResult, JSONValue?) {
    let result = CaseResult(
      name: golden.name, location: golden.location, route: golden.route.description,
      outcome: .error(Self.unreachablePrefix + "not sent: the run stopped at an earlier case"))
    return (result, nil)
  }
}
