import Dispatch
import Golden
import JSON
import Synchronization

/// Replays a corpus case by case: load one file, run its cases through the runner for their route, diff, report,
/// forget. Memory stays that of one file plus the compact results the caller chooses to keep.
public struct Replayer: Sendable {
  /// The runners, tried in order for each case's route.
  public var runners: [any CaseRunner]
  /// Which cases to run.
  public var filter: CaseFilter
  /// When set, only the cases of this shard run (the others are counted in ``RunSummary/otherShards``).
  public var shard: CaseShard?
  /// When `true`, failing cases get their `expected` rewritten from the actual response.
  public var update: Bool

  /// A replayer.
  public init(
    runners: [any CaseRunner], filter: CaseFilter = CaseFilter(), shard: CaseShard? = nil, update: Bool = false
  ) {
    self.runners = runners
    self.filter = filter
    self.shard = shard
    self.update = update
  }

  /// Progress after each batch of files: files done and cases run so far.
  public typealias Progress = (_ filesDone: Int, _ casesRun: Int) -> Void

  /// Files replayed concurrently per batch; results are still reported in corpus order.
  public static let batchSize = 64

  /// Runs every selected case of `corpus`, calling `onResult` once per case, in corpus order.
  ///
  /// Files are processed in batches of ``batchSize`` spread over the available cores; only one batch of results
  /// is held at a time. The first unreachable answer stops the run: no case starts after it (cases already in
  /// flight finish), no result after it is reported, and none of the batch's `--update` rewrites is written.
  /// - Returns: the counts; `unreachable` is set when the run stopped because a transformer could not be reached.
  public func run(_ corpus: GoldenCorpus, progress: Progress? = nil, onResult: (CaseResult) -> Void) -> RunSummary {
    var emission = Emission()
    if let bulk = bulkRunner {
      runInBulk(
        corpus, runner: bulk.runner, index: bulk.index, emission: &emission, progress: progress, onResult: onResult)
      return emission.summary
    }
    var batch: [GoldenCorpus.Item] = []
    batch.reserveCapacity(Self.batchSize)
    let stop = Atomic<Bool>(false)

    /// Runs the batch and emits its results in order; `false` once the run must stop.
    func flush() -> Bool {
      let items = batch
      batch.removeAll(keepingCapacity: true)
      let outcomes = fileOutcomes(items, stop: stop)
      return emission.emit(
        outcomes, items: items, stopped: stop.load(ordering: .relaxed), progress: progress, onResult: onResult)
    }

    var stopped = false
    corpus.walk { item in
      batch.append(item)
      if batch.count == Self.batchSize { stopped = !flush() }
      return !stopped
    }
    if !stopped && !batch.isEmpty { _ = flush() }
    return emission.summary
  }

  /// The results reported so far, and the counts.
  struct Emission {
    var summary = RunSummary()
    var filesDone = 0
    var casesRun = 0

    /// Writes (or, when the run `stopped` in this batch, discards) the batch's `--update` rewrites, then reports its
    /// results in order; `false` once a result was unreachable (nothing after it is reported).
    mutating func emit(
      _ outcomes: [FileOutcome], items: [GoldenCorpus.Item], stopped: Bool, progress: Progress?,
      onResult: (CaseResult) -> Void
    ) -> Bool {
      var outcomes = outcomes
      for k in outcomes.indices where !outcomes[k].updates.isEmpty {
        if stopped {
          outcomes[k].discardUpdates()
        } else if case .file(let file) = items[k] {
          outcomes[k].writeUpdates(to: file.path)
        }
      }
      for outcome in outcomes {
        summary.otherShards += outcome.otherShards
        for result in outcome.results {
          if result.route != nil { casesRun += 1 }
          summary.add(result)
          CrashNotice.record(result)
          onResult(result)
          if Replayer.isUnreachable(result) {
            summary.unreachable = true
            return false
          }
        }
      }
      filesDone += items.count
      progress?(filesDone, casesRun)
      return true
    }
  }

  /// What one file gave: its results, the `expected` rewrites `--update` asks for, and the selected cases that
  /// belong to other shards.
  struct FileOutcome: Sendable {
    var results: [CaseResult] = []
    var updates: [(index: Int?, expected: JSONValue)] = []
    /// The positions in ``results`` of the updated cases, in the order of ``updates``.
    var updatedPositions: [Int] = []
    var otherShards = 0

    /// The run stopped before the batch ended: nothing is written; the updated cases are reported as the failures
    /// they were.
    mutating func discardUpdates() {
      for i in updatedPositions {
        if case .updated(let mismatches) = results[i].outcome { results[i].outcome = .failed(mismatches) }
      }
      updates = []
    }

    mutating func writeUpdates(to path: String) {
      do {
        try GoldenUpdater.rewrite(file: path, updates: updates)
      } catch {
        for i in updatedPositions { results[i].outcome = .error("could not update: \(error)") }
      }
    }
  }

  static func problemResult(_ problem: GoldenError) -> CaseResult {
    let file: String
    switch problem {
    case .unreadable(let f, _), .malformed(let f, _, _, _), .unwritable(let f, _): file = f
    case .badCapture: file = ""
    }
    return CaseResult(name: file, location: file, route: nil, outcome: .malformed(problem.description))
  }

  /// `true` when the filter selects `name`; counts it in `otherShards` when its shard is not this one.
  private func selects(_ name: String, otherShards: inout Int) -> Bool {
    guard filter.matches(name) else { return false }
    if let shard, !shard.contains(name) {
      otherShards += 1
      return false
    }
    return true
  }

  /// Each file of the window run on its own, spread over the cores.
  private func fileOutcomes(_ items: [GoldenCorpus.Item], stop: borrowing Atomic<Bool>) -> [FileOutcome] {
    let outputs = Mutex<[FileOutcome]>(Array(repeating: FileOutcome(), count: items.count))
    DispatchQueue.concurrentPerform(iterations: items.count) { k in
      var outcome = FileOutcome()
      switch items[k] {
      case .problem(let problem): outcome.results = [Self.problemResult(problem)]
      case .file(let file):
        guard !stop.load(ordering: .relaxed) else { break }
        CrashNotice.enter(k, file.path)
        CrashNotice.enterCase(k, file.baseName)
        outcome = execute(plan(file), slot: k, stop: stop) { _, golden in runCase(golden) }
        CrashNotice.leave(k)
      }
      outputs.withLock { $0[k] = outcome }
    }
    return outputs.withLock { $0 }
  }

  /// One file's selected entries: the results already known (what could not be read) and the cases to run.
  struct FilePlan: Sendable {
    enum Entry: Sendable {
      case result(CaseResult)
      case run(GoldenCase)
    }
    var entries: [Entry] = []
    var otherShards = 0
  }

  /// Loads one file and selects its cases (filter and shard).
  func plan(_ file: CaseFile) -> FilePlan {
    var plan = FilePlan()
    let entries = file.load(skippingSingleCaseUnless: { selects($0, otherShards: &plan.otherShards) })
    for entry in entries {
      switch entry {
      case .malformed(let name, _, let index, let error):
        // A file that did not parse is reported in the shard of its name, whatever the filter (its cases' names
        // are unknown).
        if index == nil, let shard, !shard.contains(name) {
          plan.otherShards += 1
          continue
        }
        if index != nil && !selects(name, otherShards: &plan.otherShards) { continue }
        plan.entries.append(
          .result(
            CaseResult(
              name: name, location: index.map { "\(file.path)[\($0)]" } ?? file.path, route: nil,
              outcome: .malformed(error.description))))
      case .loaded(let golden):
        // A single-case file was selected before it was parsed.
        guard golden.index == nil || selects(golden.name, otherShards: &plan.otherShards) else { continue }
        plan.entries.append(.run(golden))
      }
    }
    return plan
  }

  /// Runs a file's selected cases in order with `answer` (given each entry's index; `nil`: the case has no result,
  /// as it was not sent), until `stop` is set or a case is unreachable (which sets it); with ``update``, collects
  /// the rewrites of its failing cases' `expected` (written by the caller once the batch is known to have completed).
  func execute(
    _ plan: FilePlan, slot: Int, stop: borrowing Atomic<Bool>,
    answer: (Int, GoldenCase) -> (CaseResult, JSONValue?)?
  ) -> FileOutcome {
    var outcome = FileOutcome()
    outcome.otherShards = plan.otherShards
    for (j, entry) in plan.entries.enumerated() {
      switch entry {
      case .result(let result): outcome.results.append(result)
      case .run(let golden):
        guard !stop.load(ordering: .relaxed) else { return outcome }
        CrashNotice.enterCase(slot, golden.name)
        guard let answered = answer(j, golden) else { continue }
        var result = answered.0
        let actual = answered.1
        if update, case .failed(let mismatches) = result.outcome, let actual {
          outcome.updates.append((golden.index, actual))
          result.outcome = .updated(mismatches)
          outcome.updatedPositions.append(outcome.results.count)
        }
        outcome.results.append(result)
        if Self.isUnreachable(result) {
          stop.store(true, ordering: .relaxed)
          return outcome
        }
      }
    }
    return outcome
  }

  static func isUnreachable(_ result: CaseResult) -> Bool {
    if case .error(let message) = result.outcome, message.hasPrefix(Self.unreachablePrefix) { return true }
    return false
  }

  static let unreachablePrefix = "unreachable: "

  /// Runs one case: the result, and the actual `{status, body}` when there was one.
  public func runCase(_ golden: GoldenCase) -> (CaseResult, JSONValue?) {
    let start = DispatchTime.now().uptimeNanoseconds
    guard let runner = runners.first(where: { $0.routes.contains(golden.route.kind) }) else {
      let result = CaseResult(
        name: golden.name, location: golden.location, route: golden.route.description,
        outcome: .skipped("not supported yet: \(Self.routeLabel(golden.route)) route (\(golden.route))"))
      return (result, nil)
    }
    let actual = Result { () throws(ReplayError) in try runner.run(golden) }
    return judge(golden, actual, start: start)
  }

  /// The result of a case whose runner gave `actual`, timed from `start` (plus `seconds` spent elsewhere).
  func judge(_ golden: GoldenCase, _ actual: Result<JSONValue, ReplayError>, start: UInt64, seconds: Double = 0)
    -> (CaseResult, JSONValue?)
  {
    var result = CaseResult(
      name: golden.name, location: golden.location, route: golden.route.description, outcome: .passed)
    var body: JSONValue?
    switch actual {
    case .failure(let error):
      switch error {
      case .skipped(let m): result.outcome = .skipped(m)
      case .failed(let m): result.outcome = .error(m)
      case .unreachable(let m): result.outcome = .error(Self.unreachablePrefix + m)
      }
    case .success(let actual):
      let mismatches = JSONDiff(ignore: golden.ignore).mismatches(expected: golden.expected, actual: actual)
      if !mismatches.isEmpty { result.outcome = .failed(mismatches) }
      body = actual
    }
    result.seconds = seconds + Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (result, body)
  }

  private static func routeLabel(_ route: Route) -> String {
    switch route.kind {
    case .processor: return "processor"
    case .router: return "router"
    case .deliveryV0, .deliveryV1: return "delivery"
    }
  }
}
