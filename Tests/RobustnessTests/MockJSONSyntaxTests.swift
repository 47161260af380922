import JSON
import MockTikTok
import TestSupport
import Testing

/// The mock's own syntax check (`JSONSyntax`, run before parsing request bodies, scenarios and admin rules) must
/// agree with the JSON parser on what is valid JSON.
@Suite struct MockJSONSyntaxTests {
  static func agree(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
    let syntaxOK = bytes.withUnsafeBufferPointer { JSONSyntax.firstError($0) } == nil
    let parseOK = (try? JSONValue.parse(bytes)) != nil
    #expect(
      syntaxOK == parseOK, "JSONSyntax \(syntaxOK), parser \(parseOK): \(bytes.map { String($0, radix: 16) })",
      sourceLocation: sourceLocation)
  }

  /// Regression (fuzz-mock): a `where` clause guarded only the last pattern of `case 0xE1...0xEC, 0xEE...0xEF`, so
  /// lead bytes E1–EC were accepted without their continuation bytes.
  @Test func threeByteLeadsNeedTheirContinuationBytes() {
    for lead: UInt8 in 0xE1...0xEF where lead != 0xED {
      Self.agree([0x22, lead, 0x9C, 0x2A, 0x22])  // second continuation byte missing
      Self.agree([0x22, lead, 0x2A, 0x2A, 0x22])  // both missing
      Self.agree([0x22, lead, 0x9C, 0x80, 0x22])  // valid
    }
  }

  @Test func agreesWithTheParserOnMutatedTexts() {
    var r = SeededRandom(seed: 0x150_0301)
    var corpus = JSONGen.seeds.map { Array($0.utf8) }
    for _ in 0..<100 { corpus.append(JSONGen.value(&r, depth: 4).compactBytes()) }
    let alphabet =
      Array("{}[]\",:\\ -+.0123456789eEtruefalsn".utf8) + [
        0, 0x80, 0x9C, 0xBF, 0xC3, 0xE2, 0xE6, 0xED, 0xF0, 0xF4, 0xFF,
      ]
    for _ in 0..<10_000 {
      var bytes = r.pick(corpus)
      for _ in 0..<(1 + r.below(3)) {
        let at = r.below(bytes.count + 1)
        switch r.below(3) {
        case 0 where at < bytes.count: bytes[at] = r.pick(alphabet)
        case 1: bytes.insert(r.pick(alphabet), at: at)
        default: if at < bytes.count { bytes.remove(at: at) }
        }
      }
      Self.agree(bytes)
    }
  }
}
