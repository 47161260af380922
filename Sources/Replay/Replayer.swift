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
  /// When `true`, failing cases get their `expected` rewritten from the actual response.
  public var update: Bool

  /// A replayer.
  public init(runners: [any CaseRunner], filter: CaseFilter = CaseFilter(), update: Bool = false) {
    self.runners = runners
    self.filter = filter
    self.update = update
  }

  /// Progress after each batch of files: files done and cases run so far.
  public typealias Progress = (_ filesDone: Int, _ casesRun: Int) -> Void

  /// Files replayed concurrently per batch; results are still reported in corpus order.
  public static let batchSize = 64

  /// Runs every selected case of `corpus`, calling `onResult` once per case, in corpus order.
  ///
  /// Files are processed in batches of ``batchSize`` spread over the available cores; only one batch of results
  /// is held at a time.
  /// - Returns: the counts; `unreachable` is set when the run stopped because a transformer could not be reached.
  public func run(_ corpus: GoldenCorpus, progress: Progress? = nil, onResult: (CaseResult) -> Void) -> RunSummary {
    var summary = RunSummary()
    var filesDone = 0
    var casesRun = 0
    var batch: [GoldenCorpus.Item] = []
    batch.reserveCapacity(Self.batchSize)

    /// Runs the batch and emits its results in order; `false` once the run must stop.
    func flush() -> Bool {
      let items = batch
      batch.removeAll(keepingCapacity: true)
      let outputs = Mutex<[[CaseResult]]>(Array(repeating: [], count: items.count))
      DispatchQueue.concurrentPerform(iterations: items.count) { k in
        let results: [CaseResult]
        switch items[k] {
        case .problem(let problem): results = [Self.problemResult(problem)]
        case .file(let file):
          CrashNotice.enter(k, file.path)
          results = processFile(file)
          CrashNotice.leave(k)
        }
        outputs.withLock { $0[k] = results }
      }
      for results in outputs.withLock({ $0 }) {
        for result in results {
          if result.route != nil { casesRun += 1 }
          summary.add(result)
          onResult(result)
          if Self.isUnreachable(result) {
            summary.unreachable = true
            return false
          }
        }
      }
      filesDone += items.count
      progress?(filesDone, casesRun)
      return true
    }

    var stopped = false
    corpus.walk { item in
      batch.append(item)
      if batch.count == Self.batchSize { stopped = !flush() }
      return !stopped
    }
    if !stopped && !batch.isEmpty { _ = flush() }
    return summary
  }

  private static func problemResult(_ problem: GoldenError) -> CaseResult {
    let file: String
    switch problem {
    case .unreadable(let f, _), .malformed(let f, _, _, _), .unwritable(let f, _): file = f
    case .badCapture: file = ""
    }
    return CaseResult(name: file, location: file, route: nil, outcome: .malformed(problem.description))
  }

  /// Loads one file and runs its selected cases; with ``update``, rewrites its failing cases' `expected`.
  private func processFile(_ file: CaseFile) -> [CaseResult] {
    var results: [CaseResult] = []
    var updates: [(index: Int?, expected: JSONValue)] = []
    var updatedPositions: [Int] = []
    for entry in file.load() {
      switch entry {
      case .malformed(let name, _, let index, let error):
        guard filter.matches(name) || index == nil else { continue }
        results.append(
          CaseResult(
            name: name, location: index.map { "\(file.path)[\($0)]" } ?? file.path, route: nil,
            outcome: .malformed(error.description)))
      case .loaded(let golden):
        guard filter.matches(golden.name) else { continue }
        var (result, actual) = runCase(golden)
        if update, case .failed(let mismatches) = result.outcome, let actual {
          updates.append((golden.index, actual))
          result.outcome = .updated(mismatches)
          updatedPositions.append(results.count)
        }
        results.append(result)
        if Self.isUnreachable(result) { return results }
      }
    }
    if !updates.isEmpty {
      do {
        try GoldenUpdater.rewrite(file: file.path, updates: updates)
      } catch {
        for i in updatedPositions { results[i].outcome = .error("could not update: \(error)") }
      }
    }
    return results
  }

  private static func isUnreachable(_ result: CaseResult) -> Bool {
    if case .error(let message) = result.outcome, message.hasPrefix(Self.unreachablePrefix) { return true }
    return false
  }

  static let unreachablePrefix = "unreachable: "

  /// Runs one case: the result, and the actual `{status, body}` when there was one.
  public func runCase(_ golden: GoldenCase) -> (CaseResult, JSONValue?) {
    let start = DispatchTime.now().uptimeNanoseconds
    var result = CaseResult(
      name: golden.name, location: golden.location, route: golden.route.description, outcome: .passed)
    guard let runner = runners.first(where: { $0.routes.contains(golden.route.kind) }) else {
      result.outcome = .skipped("not supported yet: \(Self.routeLabel(golden.route)) route (\(golden.route))")
      return (result, nil)
    }
    let actual: JSONValue
    do {
      actual = try runner.run(golden)
    } catch {
      switch error {
      case .skipped(let m): result.outcome = .skipped(m)
      case .failed(let m): result.outcome = .error(m)
      case .unreachable(let m): result.outcome = .error(Self.unreachablePrefix + m)
      }
      result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      return (result, nil)
    }
    let mismatches = JSONDiff(ignore: golden.ignore).mismatches(expected: golden.expected, actual: actual)
    if !mismatches.isEmpty { result.outcome = .failed(mismatches) }
    result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (result, actual)
  }

  private static func routeLabel(_ route: Route) -> String {
    switch route.kind {
    case .processor: return "processor"
    case .router: return "router"
    case .deliveryV0, .deliveryV1: return "delivery"
    }
  }
}
