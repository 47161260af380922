import Dispatch
import Golden
import JSON

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

  /// Progress after each file: files done, files in total, cases run so far.
  public typealias Progress = (_ filesDone: Int, _ filesTotal: Int, _ casesRun: Int) -> Void

  /// Runs every selected case of `corpus`, calling `onResult` once per case, in corpus order.
  /// - Returns: the counts; `unreachable` is set when the run stopped because a transformer could not be reached.
  public func run(_ corpus: GoldenCorpus, progress: Progress? = nil, onResult: (CaseResult) -> Void) -> RunSummary {
    var summary = RunSummary()
    func emit(_ result: CaseResult) {
      summary.add(result)
      onResult(result)
    }
    for problem in corpus.problems {
      let file: String
      switch problem {
      case .unreadable(let f, _), .malformed(let f, _, _, _), .unwritable(let f, _): file = f
      case .badCapture: file = ""
      }
      emit(CaseResult(name: file, location: file, route: nil, outcome: .malformed(problem.description)))
    }
    var casesRun = 0
    fileLoop: for (fileIndex, file) in corpus.files.enumerated() {
      var updates: [(index: Int?, expected: JSONValue)] = []
      var updated: [CaseResult] = []
      for entry in file.load() {
        switch entry {
        case .malformed(let name, _, let index, let error):
          guard filter.matches(name) || index == nil else { continue }
          emit(
            CaseResult(
              name: name, location: index.map { "\(file.path)[\($0)]" } ?? file.path, route: nil,
              outcome: .malformed(error.description)))
        case .loaded(let golden):
          guard filter.matches(golden.name) else { continue }
          casesRun += 1
          let (result, actual) = runCase(golden)
          if update, case .failed(let mismatches) = result.outcome, let actual {
            updates.append((golden.index, actual))
            var r = result
            r.outcome = .updated(mismatches)
            updated.append(r)
            continue
          }
          emit(result)
          if isUnreachable(result) {
            summary.unreachable = true
            break fileLoop
          }
        }
      }
      if !updates.isEmpty {
        do {
          try GoldenUpdater.rewrite(file: file.path, updates: updates)
          updated.forEach(emit)
        } catch {
          for var r in updated {
            r.outcome = .error("could not update: \(error)")
            emit(r)
          }
        }
      }
      progress?(fileIndex + 1, corpus.files.count, casesRun)
    }
    return summary
  }

  private func isUnreachable(_ result: CaseResult) -> Bool {
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
