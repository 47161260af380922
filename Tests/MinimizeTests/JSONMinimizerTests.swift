import JSON
import Minimize
import TestSupport
import Testing

/// The delta-debugging engine on synthetic tests: what it keeps, 1-minimality checked by brute force, determinism,
/// the budget, protection, the cache and an interrupted test.
@Suite struct JSONMinimizerTests {
  private static let event: JSONValue = [
    "type": "track", "event": "Order Completed", "messageId": "m-1",
    "context": ["traits": ["email": "jane@example.com", "phone": "+15550100"], "ip": "192.0.2.1"],
    "properties": [
      "order_id": 1001, "currency": "USD", "value": 46.5, "flag": true, "none": nil,
      "products": [["sku": "a", "price": 3], ["sku": "b", "price": 7], ["sku": "c", "price": 9]],
    ],
  ]

  /// Whether `value` has a product priced 7 and a currency holding "U".
  private static func hasSevenAndU(_ value: JSONValue) -> Bool {
    let products = value["properties"]?["products"]?.arrayValue ?? []
    let currency = value["properties"]?["currency"]?.stringValue ?? ""
    return products.contains { $0["price"] == 7 } && currency.contains("U")
  }

  @Test func keepsExactlyWhatTheTestNeeds() {
    let outcome = JSONMinimizer(maxTries: 10_000).minimize(Self.event, test: Self.hasSevenAndU)
    let expected: JSONValue = ["properties": ["currency": "U", "products": [["price": 7]]]]
    #expect(outcome.value.isIdentical(to: expected), "\(outcome.value.compactString())")
    guard case .minimal(let checked) = outcome.ending else {
      Issue.record("expected a 1-minimal ending, got \(outcome.ending)")
      return
    }
    #expect(checked == 5)  // properties, currency, products, products/0, products/0/price
  }

  @Test func stringsShortenAndNumbersSimplify() {
    let input: JSONValue = [
      "name": "Ελένη Παπαδοπούλου", "n": 1234, "x": -46.25, "big": .numberLiteral("98765432109876543210"),
    ]
    let outcome = JSONMinimizer(maxTries: 10_000).minimize(input) { value in
      (value["name"]?.stringValue ?? "").contains("έ") && (value["n"]?.doubleValue ?? 0) >= 12
        && (value["x"]?.doubleValue ?? 0) < -40 && (value["big"]?.doubleValue ?? 0) > 1e10
    }
    #expect(outcome.value["name"] == "έ")
    #expect(outcome.value["n"] == 12)  // 1234 → 123 → 12; 1 and 0 are too small
    #expect(outcome.value["x"] == -46)
    #expect(outcome.value["big"]?.compactString() == "98765432109")
  }

  /// On seeded random trees with a test that depends on several scattered leaves, removing any single member or
  /// item of the result (tried here by brute force, independently of the engine) breaks the test.
  @Test(arguments: 0..<25) func resultIsOneMinimalByBruteForce(seed: Int) {
    var random = SeededRandom(seed: UInt64(seed) &* 7919 &+ 1)
    let tree = Self.randomTree(&random, depth: 0)
    let needles = Self.strings(in: tree).filter { $0.count >= 2 }.prefix(3).map { String($0.prefix(2)) }
    let test: (JSONValue) -> Bool = { value in
      let found = Self.strings(in: value)
      return needles.allSatisfy { needle in found.contains { $0.contains(needle) } }
    }
    #expect(test(tree))
    let outcome = JSONMinimizer(maxTries: 100_000).minimize(tree, test: test)
    #expect(test(outcome.value))
    guard case .minimal = outcome.ending else {
      Issue.record("seed \(seed): ended \(outcome.ending)")
      return
    }
    for smaller in Self.singleRemovals(of: outcome.value) {
      #expect(!test(smaller), "seed \(seed): \(smaller.compactString()) still passes")
    }
  }

  @Test func sameInputSameResultSameTries() {
    let a = JSONMinimizer(maxTries: 10_000).minimize(Self.event, test: Self.hasSevenAndU)
    let b = JSONMinimizer(maxTries: 10_000).minimize(Self.event, test: Self.hasSevenAndU)
    #expect(a.value.isIdentical(to: b.value))
    #expect(a.tries == b.tries)
    #expect(a.cacheHits == b.cacheHits)
  }

  /// No candidate reaches the test twice, and the input itself never does.
  @Test func noCandidateIsTestedTwice() {
    var seen: [String] = []
    let outcome = JSONMinimizer(maxTries: 10_000).minimize(Self.event) { value in
      seen.append(value.canonicalString())
      return Self.hasSevenAndU(value)
    }
    #expect(Set(seen).count == seen.count)
    #expect(seen.count == outcome.tries)
    #expect(!seen.contains(Self.event.canonicalString()))
    #expect(outcome.cacheHits > 0)  // the final pass meets the last round's single removals again
  }

  /// Both sides of the budget: the tries the search needs are enough, one fewer is not.
  @Test func theBudgetIsHonoured() {
    let needed = JSONMinimizer(maxTries: 10_000).minimize(Self.event, test: Self.hasSevenAndU).tries
    let enough = JSONMinimizer(maxTries: needed).minimize(Self.event, test: Self.hasSevenAndU)
    guard case .minimal = enough.ending else {
      Issue.record("\(needed) tries should suffice, ended \(enough.ending)")
      return
    }
    for budget in [0, 1, 5, needed - 1] {
      var calls = 0
      let short = JSONMinimizer(maxTries: budget).minimize(Self.event) { value in
        calls += 1
        return Self.hasSevenAndU(value)
      }
      guard case .budgetExhausted = short.ending else {
        Issue.record("budget \(budget): ended \(short.ending)")
        continue
      }
      #expect(calls == budget && short.tries == budget)
      #expect(Self.hasSevenAndU(short.value))
    }
  }

  @Test func protectedMembersStay() throws {
    let input: JSONValue = [
      "destType": "tiktok_ads",
      "input": [["message": ["a": 1], "metadata": ["jobId": 17, "x": "y"]], ["message": ["b": 2], "metadata": [:]]],
    ]
    let protection = Protection(
      kept: [try JSONPointer(parsing: "/input/*/message"), try JSONPointer(parsing: "/input")],
      frozen: [try JSONPointer(parsing: "/destType"), try JSONPointer(parsing: "/input/*/metadata/jobId")],
      nonEmpty: [try JSONPointer(parsing: "/input")])
    let outcome = JSONMinimizer(protection: protection, maxTries: 1000).minimize(input) { _ in true }
    let expected: JSONValue = ["destType": "tiktok_ads", "input": [["message": [:]]]]
    #expect(outcome.value.isIdentical(to: expected), "\(outcome.value.compactString())")
    // A frozen value is neither removed nor simplified while its sibling shrinks.
    let kept = JSONMinimizer(protection: protection, maxTries: 1000).minimize(input) { value in
      value["input"]?[0]?["metadata"]?["x"] != nil
    }
    #expect(kept.value["input"]?[0]?["metadata"]?.isIdentical(to: ["jobId": 17, "x": ""]) == true)
  }

  struct Gone: Error {}

  @Test func aThrowingTestStopsTheSearchWithTheBestSoFar() {
    var calls = 0
    let outcome = JSONMinimizer(maxTries: 10_000).minimize(Self.event) { value in
      calls += 1
      if calls == 6 { throw Gone() }
      return Self.hasSevenAndU(value)
    }
    guard case .interrupted(let error) = outcome.ending else {
      Issue.record("ended \(outcome.ending)")
      return
    }
    #expect(error is Gone)
    #expect(calls == 6)
    #expect(Self.hasSevenAndU(outcome.value))
  }

  @Test func sizesCountCompactBytesAndLeaves() {
    let size = JSONSize(of: ["a": [1, "x", [], [:]], "b": nil])
    #expect(size.bytes == #"{"a":[1,"x",[],{}],"b":null}"#.utf8.count)
    #expect(size.leaves == 5)
  }

  // MARK: - Helpers

  private static func randomTree(_ random: inout SeededRandom, depth: Int) -> JSONValue {
    let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
    if depth >= 3 || random.chance(0.3) {
      switch random.below(4) {
      case 0: return .int(Int64(random.below(5000)))
      case 1: return .bool(random.chance(0.5))
      default: return .string(random.pick(words) + String(random.below(100)))
      }
    }
    let count = 1 + random.below(5)
    if random.chance(0.5) {
      return .array((0..<count).map { _ in randomTree(&random, depth: depth + 1) })
    }
    var object = JSONObject()
    for i in 0..<count { object[random.pick(words) + String(i)] = randomTree(&random, depth: depth + 1) }
    return .object(object)
  }

  private static func strings(in value: JSONValue) -> [String] {
    switch value {
    case .string(let s): return [s]
    case .array(let items): return items.flatMap(strings)
    case .object(let object): return object.entries.flatMap { strings(in: $0.value) }
    default: return []
    }
  }

  /// Every value obtained by removing exactly one member or item, anywhere.
  private static func singleRemovals(of value: JSONValue) -> [JSONValue] {
    switch value {
    case .array(let items):
      var out: [JSONValue] = []
      for i in items.indices {
        var fewer = items
        fewer.remove(at: i)
        out.append(.array(fewer))
        for inner in singleRemovals(of: items[i]) {
          var changed = items
          changed[i] = inner
          out.append(.array(changed))
        }
      }
      return out
    case .object(let object):
      var out: [JSONValue] = []
      for entry in object.entries {
        var fewer = object
        fewer[entry.key] = nil
        out.append(.object(fewer))
        for inner in singleRemovals(of: entry.value) {
          var changed = object
          changed[entry.key] = inner
          out.append(.object(changed))
        }
      }
      return out
    default:
      return []
    }
  }
}
