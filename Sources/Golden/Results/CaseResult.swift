import JSON

/// The compact record of one replayed case: enough for every report, nothing of its input.
public struct CaseResult: Sendable {
  /// What happened to the case.
  public enum Outcome: Sendable {
    /// The actual response matched the expected one.
    case passed
    /// The actual response differed; every difference, with pointers relative to `expected` (`/status`, `/body/…`).
    case failed([Mismatch])
    /// The expected value was rewritten from the actual response (`--update`); the differences that were accepted.
    case updated([Mismatch])
    /// The case could not be read (bad JSON or schema); the message starts with `FILE:LINE:COLUMN`.
    case malformed(String)
    /// The case was not run, e.g. `not supported yet: delivery route`.
    case skipped(String)
    /// The transformer failed on the case (an error answer, or unreachable); the message says which.
    case error(String)
  }

  /// The case name.
  public var name: String
  /// Where the case lives: `FILE` or `FILE[INDEX]`.
  public var location: String
  /// The route, as written (`POST /routerTransform`), or `nil` when the case could not be read.
  public var route: String?
  /// What happened.
  public var outcome: Outcome
  /// Wall time spent running the case, in seconds.
  public var seconds: Double

  /// Creates a result.
  public init(name: String, location: String, route: String?, outcome: Outcome, seconds: Double = 0) {
    self.name = name
    self.location = location
    self.route = route
    self.outcome = outcome
    self.seconds = seconds
  }

  /// A short lowercase word for the outcome: `passed`, `failed`, `updated`, `malformed`, `skipped`, `error`.
  public var status: String {
    switch outcome {
    case .passed: return "passed"
    case .failed: return "failed"
    case .updated: return "updated"
    case .malformed: return "malformed"
    case .skipped: return "skipped"
    case .error: return "error"
    }
  }

  /// The differences, for failed or updated cases.
  public var mismatches: [Mismatch] {
    switch outcome {
    case .failed(let m), .updated(let m): return m
    default: return []
    }
  }

  /// The message of a malformed, skipped or errored case.
  public var message: String? {
    switch outcome {
    case .malformed(let m), .skipped(let m), .error(let m): return m
    default: return nil
    }
  }
}

/// The counts of a run, by outcome.
public struct RunSummary: Sendable, Equatable {
  /// Cases that matched.
  public var passed = 0
  /// Cases that differed, or whose transformer call failed.
  public var failed = 0
  /// Cases whose expected value was rewritten.
  public var updated = 0
  /// Cases that could not be read.
  public var malformed = 0
  /// Cases not run.
  public var skipped = 0
  /// `true` when the transformer could not be reached or did not answer JSON; the run stopped there.
  public var unreachable = false
  /// `true` when skipped cases fail the run (`replay --strict`), so a CI gate cannot pass on cases it never ran.
  public var skippedFail = false
  /// `true` when a run of no case at all fails (replay, unless `--allow-empty`): a gate that ran nothing must not
  /// pass.
  public var emptyFails = false
  /// Cases the filter selected that belong to other shards (`replay --shard K/N`); not run, not in ``total``.
  public var otherShards = 0

  /// An empty summary.
  public init() {}

  /// Counts `result`.
  public mutating func add(_ result: CaseResult) {
    switch result.outcome {
    case .passed: passed += 1
    case .failed, .error: failed += 1
    case .updated: updated += 1
    case .malformed: malformed += 1
    case .skipped: skipped += 1
    }
  }

  /// Every case counted.
  public var total: Int { passed + failed + updated + malformed + skipped }

  /// `true` when no case ran and none was left to other shards: the paths, filter and shard selected nothing.
  public var isEmpty: Bool { total == 0 && otherShards == 0 }

  /// The process exit status: 3 unreachable, else 2 malformed input, else 1 regressions (and, with
  /// ``skippedFail``, skipped cases; with ``emptyFails``, a run that selected no case), else 0.
  ///
  /// Otherwise skipped cases do not change the status; they are counted and listed in every report. A shard that
  /// holds none of the selected cases is not empty in this sense (the other shards run them).
  public var exitStatus: Int32 {
    if unreachable { return 3 }
    if malformed > 0 { return 2 }
    if failed > 0 || (skippedFail && skipped > 0) || (emptyFails && isEmpty) { return 1 }
    return 0
  }

  /// The last line of a terminal run: `N passed, M failed`, then any other non-zero counts.
  public var line: String {
    var text = "\(passed) passed, \(failed) failed"
    if updated > 0 { text += ", \(updated) updated" }
    if malformed > 0 { text += ", \(malformed) malformed" }
    if skipped > 0 { text += ", \(skipped) skipped" }
    return text
  }
}
