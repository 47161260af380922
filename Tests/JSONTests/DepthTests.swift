import Foundation
import JSON
import Synchronization
import Testing

@Suite struct DepthTests {
  static func nested(_ depth: Int) -> String {
    String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
  }

  @Test func hostileNestingIsAnErrorNotACrash() {
    for opener in ["[", "{\"a\":"] {
      let text = String(repeating: opener, count: 100_000)
      let error = #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
      #expect(error?.message == "nesting deeper than 1000 levels")
      #expect(error?.line == 1)
      #expect(error?.offset == 1000 * opener.utf8.count)
    }
  }

  @Test func limitIsExact() throws {
    #expect(throws: Never.self) { try JSONValue.parse(Self.nested(5), maxDepth: 5) }
    let error = #expect(throws: JSONParseError.self) { try JSONValue.parse(Self.nested(6), maxDepth: 5) }
    #expect(error?.description == "1:6: nesting deeper than 5 levels")
    #expect(throws: Never.self) { try JSONValue.parse(#"[{"a":[{}]}]"#, maxDepth: 4) }
    #expect(throws: JSONParseError.self) { try JSONValue.parse(#"[{"a":[{}]}]"#, maxDepth: 3) }
    #expect(throws: Never.self) { try JSONValue.parse("1", maxDepth: 0) }
    #expect(throws: JSONParseError.self) { try JSONValue.parse("[]", maxDepth: 0) }
    // The parser itself is iterative: a generous limit on a deep document is fine.
    let deep = try JSONValue.parse(Self.nested(20_000), maxDepth: 20_000)
    #expect(deep.arrayValue?.count == 1)
  }

  /// Parses, writes, compares and destroys a 1000-deep value (all recursive but the parse).
  static func roundTripDeepest() -> Bool {
    let text = String(repeating: #"{"k":["#, count: 500) + "1" + String(repeating: "]}", count: 500)
    guard let value = try? JSONValue.parse(text), let again = try? JSONValue.parse(value.compactBytes()) else {
      return false
    }
    return value.compactString() == text && value == again && value.isIdentical(to: again)
      && value.canonicalString().count > text.count
  }

  @Test func thousandDeepOnTestThread() {
    #expect(Self.roundTripDeepest())
  }

  @Test func thousandDeepOnSmallStackThread() {
    let result = Mutex<Bool?>(nil)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      let ok = Self.roundTripDeepest()
      result.withLock { $0 = ok }
      done.signal()
    }
    // 2 MiB, a quarter of the usual 8 MiB: writing, comparing and destroying 1000 levels takes about 1 MiB in a
    // debug build and about 200 KiB in release.
    thread.stackSize = 2 << 20
    thread.start()
    done.wait()
    #expect(result.withLock { $0 } == true)
  }
}
