import HTTP
import Synchronization

/// What the rules decided for one request.
struct FaultDecision {
  /// The action of the rule that fired, if any (delay-only rules never end up here).
  var action: FaultAction?
  /// Names of every rule that fired, delay-only ones included, in order.
  var rules: [String] = []
  /// The name of the rule whose action decides the answer.
  var deciding: String?
  /// Total delay in milliseconds (delay-only rules plus the deciding rule's).
  var delayMilliseconds = 0
}

/// The facts of a request that rules match on.
struct RequestFacts {
  var endpoint: TikTokEndpoint?
  var pixel: String?
  var events: [String]
  var headers: HTTPHeaders
}

/// The live rules with their counters, behind a lock.
final class FaultEngine: Sendable {
  struct Snapshot: Sendable {
    var seed: UInt64
    var rules: [FaultRule]
    var seen: [Int]
    var fired: [Int]
  }

  private let state: Mutex<Snapshot>
  /// The rule count, read without the lock so requests skip it when there are no rules.
  private let ruleCount = Atomic<Int>(0)

  init(_ scenario: Scenario) {
    state = Mutex(
      Snapshot(
        seed: scenario.seed, rules: scenario.rules, seen: Array(repeating: 0, count: scenario.rules.count),
        fired: Array(repeating: 0, count: scenario.rules.count)))
    ruleCount.store(scenario.rules.count, ordering: .relaxed)
  }

  var snapshot: Snapshot { state.withLock { $0 } }

  func replace(_ scenario: Scenario) {
    state.withLock { s in
      s = Snapshot(
        seed: scenario.seed, rules: scenario.rules, seen: Array(repeating: 0, count: scenario.rules.count),
        fired: Array(repeating: 0, count: scenario.rules.count))
      ruleCount.store(scenario.rules.count, ordering: .relaxed)
    }
  }

  func add(_ rules: [FaultRule]) -> Int {
    state.withLock { s in
      s.rules += rules
      s.seen += Array(repeating: 0, count: rules.count)
      s.fired += Array(repeating: 0, count: rules.count)
      ruleCount.store(s.rules.count, ordering: .relaxed)
      return s.rules.count
    }
  }

  func decide(_ facts: RequestFacts) -> FaultDecision {
    if ruleCount.load(ordering: .relaxed) == 0 { return FaultDecision() }
    return state.withLock { s in
      var decision = FaultDecision()
      if s.rules.isEmpty { return decision }
      // Every rule whose conditions hold counts the request, so a rule's counter does not depend on other rules.
      for i in s.rules.indices {
        let rule = s.rules[i]
        if let times = rule.times, s.fired[i] >= times { continue }
        guard conditionsHold(rule.match, facts) else { continue }
        s.seen[i] += 1
        let k = s.seen[i]
        let m = rule.match
        if let n = m.nth, k != n { continue }
        if let e = m.every, k % e != 0 { continue }
        if let f = m.first, k > f { continue }
        if let p = m.probability, draw(seed: s.seed, rule: i, count: k) >= p { continue }
        if rule.action.isDelayOnly {
          s.fired[i] += 1
          decision.rules.append(rule.name)
          decision.delayMilliseconds += rule.action.delayMilliseconds
        } else if decision.action == nil {
          s.fired[i] += 1
          decision.rules.append(rule.name)
          decision.delayMilliseconds += rule.action.delayMilliseconds
          decision.action = rule.action
          decision.deciding = rule.name
        }
      }
      return decision
    }
  }

  private func conditionsHold(_ m: FaultMatch, _ f: RequestFacts) -> Bool {
    if let endpoints = m.endpoints {
      guard let e = f.endpoint, endpoints.contains(where: { e.matches($0) }) else { return false }
    }
    if let pixels = m.pixels {
      guard let p = f.pixel, pixels.contains(p) else { return false }
    }
    if let events = m.events {
      guard f.events.contains(where: { events.contains($0) }) else { return false }
    }
    if let headers = m.headers {
      for (name, value) in headers {
        guard let actual = f.headers[name] else { return false }
        if value != "*" && actual != value { return false }
      }
    }
    return true
  }

  /// A uniform number in [0, 1) from (seed, rule position, count): SplitMix64 over the mixed inputs.
  private func draw(seed: UInt64, rule: Int, count: Int) -> Double {
    var z = seed &+ UInt64(rule) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(count) &* 0xD1B5_4A32_D192_ED03
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Double(z >> 11) / Double(1 << 53)
  }
}
