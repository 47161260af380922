import Dispatch
import Foundation
import Golden
import JSON
import Synchronization

extension LiveTransformer {
  /// Sends `requests` on up to ``concurrency`` connections at once, processor requests batched (up to
  /// ``batchItems`` events a request, fewer when that keeps every connection busy) where ``ProcessorBatching`` can
  /// map the answer back exactly; each answer is the one the request gets alone.
  ///
  /// A shared request answered with an error status, without JSON or with an answer that cannot be mapped back is
  /// sent again one request at a time. The first unreachable answer (or, for a request sent alone, any
  /// infrastructure error) stops the sending: requests in flight finish, the others stay `nil` (a shared request
  /// whose cases were being sent again one by one gives its own error to those it did not send).
  public func respond(toAll requests: [TransformRequest]) -> [TransformAnswer?] {
    guard !requests.isEmpty else { return [] }
    let keys: [[String]?] = requests.map { request in
      guard batchItems > 1, request.route.kind == .processor, !request.hasOverrides else { return nil }
      return ProcessorBatching.itemKeys(request.body)
    }
    // Spread the batchable events over every connection, up to `batchItems` a request.
    let events = keys.reduce(0) { $0 + ($1?.count ?? 0) }
    let perRequest = min(batchItems, max(2, (events + concurrency - 1) / concurrency))
    let run = BulkRun(units: ProcessorBatching.plan(keys: keys, maxItems: perRequest), count: requests.count)
    let group = DispatchGroup()
    for _ in 0..<min(concurrency, run.units.count) {
      group.enter()
      // Threads of our own: each blocks on its connection, and Dispatch would not run more of them than cores.
      Thread.detachNewThread {
        defer { group.leave() }
        while !run.stop.load(ordering: .relaxed) {
          let u = run.next.wrappingAdd(1, ordering: .relaxed).oldValue
          guard u < run.units.count else { break }
          let unit = run.units[u]
          let answers =
            unit.count == 1
            ? [alone(requests[unit[0]])]
            : batch(unit.map { requests[$0] }, run: run)
          run.answers.withLock { all in for (i, a) in zip(unit, answers) { all[i] = a } }
          if answers.contains(where: { $0 == nil || Self.stops($0!) }) { run.stop.store(true, ordering: .relaxed) }
        }
      }
    }
    group.wait()
    return run.answers.withLock { $0 }
  }

  /// The shared state of one ``respond(toAll:)``.
  private final class BulkRun: Sendable {
    let units: [[Int]]
    let next = Atomic<Int>(0)
    let stop = Atomic<Bool>(false)
    let answers: Mutex<[TransformAnswer?]>

    init(units: [[Int]], count: Int) {
      self.units = units
      answers = Mutex(Array(repeating: nil, count: count))
    }
  }

  private static func stops(_ answer: TransformAnswer) -> Bool {
    if case .failure(let error) = answer.result { return error.isInfrastructure }
    return false
  }

  private func alone(_ request: TransformRequest) -> TransformAnswer {
    statistics.count(requests: 1, alone: 1)
    return TransformAnswer(timing: { () throws(TransformerError) in
      try send(bytes: request.body.compactBytes(), route: request.route)
    })
  }

  /// One request for all of `parts`, mapped back; else each part alone, until one stops the run.
  private func batch(_ parts: [TransformRequest], run: BulkRun) -> [TransformAnswer?] {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = Result { () throws(TransformerError) in
      try send(bytes: ProcessorBatching.body(parts.map(\.body)), route: .processor)
    }
    let share = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(parts.count)
    var refusal: TransformerError?
    switch result {
    case .success(let response):
      let metadata = parts.map { $0.body.arrayValue?.map { $0["metadata"] ?? .null } ?? [] }
      if let split = ProcessorBatching.split(response.body, metadata: metadata) {
        statistics.count(requests: 1, batched: parts.count)
        return split.map { items in
          TransformAnswer(
            result: .success(TransformResponse(status: response.status, body: .array(items))), seconds: share)
        }
      }
      statistics.count(requests: 1, resent: 1)
    case .failure(let error):
      if case .unreachable = error {
        statistics.count(requests: 1)
        return parts.map { _ in TransformAnswer(result: .failure(error), seconds: share) }
      }
      statistics.count(requests: 1, resent: 1)
      refusal = error
    }
    var answers: [TransformAnswer?] = []
    for part in parts {
      guard !run.stop.load(ordering: .relaxed) else { break }
      let answer = alone(part)
      answers.append(answer)
      if Self.stops(answer) { break }
    }
    // The cases not sent again: the shared request's own error when it had one (it is theirs too), else nothing.
    let rest = refusal.map { TransformAnswer(result: .failure($0), seconds: share) }
    answers.append(contentsOf: repeatElement(rest, count: parts.count - answers.count))
    return answers
  }
}

/// Counts of what a live transformer was sent, for the closing line of `replay` and `compare`.
public final class LiveStatistics: Sendable {
  private let counts = Mutex(Counts())

  /// The counts.
  public struct Counts: Sendable, Equatable {
    /// HTTP requests sent.
    public var requests = 0
    /// Cases answered from a request they shared with others.
    public var batched = 0
    /// Cases sent alone (router cases, cases that cannot share a request, and cases re-sent).
    public var alone = 0
    /// Shared requests whose answer could not be used (an error status, not JSON, not mappable), re-sent case by case.
    public var resent = 0
  }

  /// The counts so far.
  public var snapshot: Counts { counts.withLock { $0 } }

  func count(requests: Int = 0, batched: Int = 0, alone: Int = 0, resent: Int = 0) {
    counts.withLock {
      $0.requests += requests
      $0.batched += batched
      $0.alone += alone
      $0.resent += resent
    }
  }

  /// `N requests on up to C connections: B cases in shared requests, A sent alone[, R shared requests re-sent one
  /// case at a time]`.
  public func summary(concurrency: Int) -> String {
    let c = snapshot
    var text =
      "\(c.requests) request\(c.requests == 1 ? "" : "s") on up to \(concurrency) connection\(concurrency == 1 ? "" : "s"): "
      + "\(c.batched) case\(c.batched == 1 ? "" : "s") in shared requests, \(c.alone) sent alone"
    if c.resent > 0 {
      text += "; \(c.resent) shared request\(c.resent == 1 ? "" : "s") re-sent one case at a time (answer not mappable)"
    }
    return text
  }
}
