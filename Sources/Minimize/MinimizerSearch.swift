import JSON
import SHA256

/// The state of one minimization: the smallest value so far, the cache of tested candidates and the budget.
final class MinimizerSearch {
  let protection: Protection
  let maxTries: Int
  private let onTry: (MinimizerProgress) -> Void
  private let test: (JSONValue) throws -> Bool
  /// The smallest value found so far; the test holds for it.
  private(set) var current: JSONValue
  private var currentBytes: Int
  private var tries = 0
  private var cacheHits = 0
  private var cache: [[UInt8]: Bool] = [:]
  private var budgetExhausted = false
  private var interruption: (any Error)?

  init(
    input: JSONValue, protection: Protection, maxTries: Int, onTry: @escaping (MinimizerProgress) -> Void,
    test: @escaping (JSONValue) throws -> Bool
  ) {
    self.protection = protection
    self.maxTries = max(0, maxTries)
    self.onTry = onTry
    self.test = test
    current = input
    currentBytes = input.compactBytes().count
    cache[Self.digest(input)] = true
  }

  /// `true` once the budget ran out or the test threw: every later candidate is refused without a call.
  var stopped: Bool { budgetExhausted || interruption != nil }

  /// Tests `candidate` (from the cache when it was met before); when the test holds it becomes ``current``.
  func accept(_ candidate: JSONValue) -> Bool {
    let triesBefore = tries
    let holds = evaluate(candidate)
    if holds {
      current = candidate
      currentBytes = candidate.compactBytes().count
    }
    if tries > triesBefore { onTry(MinimizerProgress(tries: tries, maxTries: maxTries, bytes: currentBytes)) }
    return holds
  }

  private func evaluate(_ candidate: JSONValue) -> Bool {
    guard !stopped else { return false }
    let key = Self.digest(candidate)
    if let known = cache[key] {
      cacheHits += 1
      return known
    }
    guard tries < maxTries else {
      budgetExhausted = true
      return false
    }
    tries += 1
    let holds: Bool
    do {
      holds = try test(candidate)
    } catch {
      interruption = error
      return false
    }
    cache[key] = holds
    return holds
  }

  private static func digest(_ value: JSONValue) -> [UInt8] { SHA256.hash(value.canonicalBytes()) }

  /// Rounds of both passes until one changes nothing, then the 1-minimality check; again while it finds a removal.
  func run() -> MinimizerOutcome {
    while !stopped {
      var before: JSONValue
      repeat {
        before = current
        reduceMembers(at: [])
        simplifyScalars()
      } while !stopped && !current.isIdentical(to: before)
      guard !stopped else { break }
      let check = checkOneMinimal()
      if !check.removed && !stopped { return outcome(.minimal(checked: check.checked)) }
    }
    return outcome(interruption.map { .interrupted($0) } ?? .budgetExhausted)
  }

  private func outcome(_ ending: MinimizerOutcome.Ending) -> MinimizerOutcome {
    MinimizerOutcome(value: current, tries: tries, cacheHits: cacheHits, ending: ending)
  }

  /// ddmin over `positions`: removes chunks (all, then halves, quarters … singles) while `remove` accepts the
  /// cumulative set of removed positions; at least `keepAtLeast` positions stay.
  func ddmin(_ positions: [Int], keepAtLeast: Int, remove: (Set<Int>) -> Bool) {
    var remaining = positions
    var removed = Set<Int>()
    guard remaining.count > keepAtLeast else { return }
    if keepAtLeast == 0 && remove(Set(remaining)) { return }
    var granularity = 2
    while remaining.count > keepAtLeast && !stopped {
      var reduced = false
      for chunk in Self.split(remaining, into: min(granularity, remaining.count))
      where remaining.count - chunk.count >= keepAtLeast {
        let trial = removed.union(chunk)
        if remove(trial) {
          removed = trial
          let gone = Set(chunk)
          remaining.removeAll { gone.contains($0) }
          granularity = max(granularity - 1, 2)
          reduced = true
          break
        }
        if stopped { return }
      }
      if !reduced {
        if granularity >= remaining.count { return }
        granularity = min(granularity * 2, remaining.count)
      }
    }
  }

  /// `items` cut into `count` consecutive chunks whose sizes differ by at most one.
  static func split(_ items: [Int], into count: Int) -> [[Int]] {
    guard count > 0 else { return [] }
    var chunks: [[Int]] = []
    var start = 0
    for i in 0..<count {
      let end = start + (items.count - start) / (count - i)
      chunks.append(Array(items[start..<end]))
      start = end
    }
    return chunks.filter { !$0.isEmpty }
  }
}
