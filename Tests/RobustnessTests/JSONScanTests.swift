import JSON
import TestSupport
import Testing

/// The byte-level token scanners (`JSONScan`, which the mock's one-pass contract check runs on every request body)
/// agree with the parser on every token: a string, number or literal is accepted by its scanner exactly when
/// `JSONValue.parse` accepts it as a whole text. (Whole texts have one validator, the parser; the one-pass check
/// is held to the parser by `QuickContractCheckTests` and the `fuzz-mock` target.)
@Suite struct JSONScanTests {
  /// `nil` when `bytes` does not start with a token the scanners know (then there is nothing to compare).
  static func scannerAccepts(_ bytes: [UInt8]) -> Bool? {
    bytes.withUnsafeBufferPointer { b -> Bool? in
      guard let first = b.first else { return nil }
      var i = 0
      let ok: Bool
      switch first {
      case 0x22:
        var escaped = false
        ok = JSONScan.string(b, &i, escaped: &escaped)
      case 0x2D, 0x30...0x39:
        var integer = false
        ok = JSONScan.number(b, &i, integer: &integer)
      case 0x74: ok = JSONScan.literal(b, &i, "true")
      case 0x66: ok = JSONScan.literal(b, &i, "false")
      case 0x6E: ok = JSONScan.literal(b, &i, "null")
      default: return nil
      }
      guard ok else { return false }
      JSONScan.skipWhitespace(b, &i)
      return i == b.count
    }
  }

  static func agree(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
    guard let scanned = scannerAccepts(bytes) else { return }
    let parsed = (try? JSONValue.parse(bytes)) != nil
    #expect(
      scanned == parsed, "scanner \(scanned), parser \(parsed): \(bytes.map { String($0, radix: 16) })",
      sourceLocation: sourceLocation)
  }

  /// Regression (fuzz-mock): a `where` clause guarded only the last pattern of `case 0xE1...0xEC, 0xEE...0xEF`, so
  /// lead bytes E1–EC were accepted without their continuation bytes.
  @Test func threeByteLeadsNeedTheirContinuationBytes() {
    for lead: UInt8 in 0xE1...0xEF where lead != 0xED {
      #expect(Self.scannerAccepts([0x22, lead, 0x9C, 0x2A, 0x22]) == false)  // second continuation byte missing
      #expect(Self.scannerAccepts([0x22, lead, 0x2A, 0x2A, 0x22]) == false)  // both missing
      #expect(Self.scannerAccepts([0x22, lead, 0x9C, 0x80, 0x22]) == true)  // valid
      Self.agree([0x22, lead, 0x9C, 0x2A, 0x22])
      Self.agree([0x22, lead, 0x9C, 0x80, 0x22])
    }
  }

  @Test func agreesWithTheParserOnMutatedTokens() {
    var r = SeededRandom(seed: 0x150_0301)
    var corpus = [
      #""plain""#, #""esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83c\udf89""#, #""é日本🎉""#, "0", "-0", "12", "-12.5e+3",
      "1E-7", "0.000001", "true", "false", "null", #""\ud800""#,
    ].map { Array($0.utf8) }
    for _ in 0..<100 {
      let value = JSONGen.value(&r, depth: 0)
      if case .array = value { continue }
      if case .object = value { continue }
      corpus.append(value.compactBytes())
    }
    let alphabet =
      Array("\"\\/ -+.0123456789eEubfnrtalsx".utf8) + [
        0, 0x1F, 0x80, 0x9C, 0xA0, 0xBF, 0xC3, 0xE2, 0xE6, 0xED, 0xF0, 0xF4, 0xFF,
      ]
    var compared = 0
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
      if Self.scannerAccepts(bytes) != nil { compared += 1 }
      Self.agree(bytes)
    }
    #expect(compared > 5_000)
  }
}
