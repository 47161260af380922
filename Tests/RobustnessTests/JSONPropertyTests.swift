import JSON
import TestSupport
import Testing

/// Seeded properties of the JSON parser and writers: no crash on any bytes, errors carry a valid place, and
/// parse → write → parse is the identity (representation included) for every writer.
@Suite struct JSONPropertyTests {
  /// Parses `bytes`; on success checks the three round trips, on failure checks the error's position.
  static func checkRoundTrip(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
    let value: JSONValue
    do {
      value = try JSONValue.parse(bytes)
    } catch {
      #expect(
        error.offset >= 0 && error.offset <= bytes.count, "offset \(error.offset) outside input",
        sourceLocation: sourceLocation)
      #expect(error.line >= 1 && error.column >= 1, sourceLocation: sourceLocation)
      #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
      return
    }
    for (name, text) in [
      ("compact", value.compactBytes()), ("canonical", value.canonicalBytes()),
      ("pretty", Array(value.prettyString().utf8)),
    ] {
      do {
        let again = try JSONValue.parse(text)
        if name == "canonical" {
          // Canonical keeps number text but sorts keys: equal, not identical.
          #expect(again == value, "canonical round trip of \(hex(bytes))", sourceLocation: sourceLocation)
        } else {
          // Compact and pretty print numbers as JavaScript does (R15): what JSON.stringify(JSON.parse(text)) gives.
          #expect(
            again == value.javaScriptRoundTrip, "\(name) round trip of \(hex(bytes))", sourceLocation: sourceLocation)
        }
        // Writing is a fixed point after one round.
        if name == "compact" { #expect(again.compactBytes() == text, sourceLocation: sourceLocation) }
      } catch {
        Issue.record("\(name) output does not parse (\(error)) for input \(hex(bytes))", sourceLocation: sourceLocation)
      }
    }
  }

  static func hex(_ bytes: [UInt8]) -> String {
    bytes.count <= 200
      ? String(decoding: bytes, as: UTF8.self).debugDescription + " ["
        + bytes.map { String($0, radix: 16) }.joined(separator: " ") + "]"
      : "\(bytes.count) bytes"
  }

  @Test func generatedValuesRoundTrip() throws {
    var r = SeededRandom(seed: 0x150_0001)
    for _ in 0..<3_000 {
      let value = JSONGen.value(&r, depth: 5)
      // Canonical text keeps every number's own text: parsing it gives back the identical value.
      let canonical = value.canonicalBytes()
      let reparsed = try JSONValue.parse(canonical)
      #expect(reparsed.canonicalBytes() == canonical, "value \(String(decoding: canonical, as: UTF8.self))")
      #expect(reparsed == value)
      // Compact text prints numbers as JavaScript does (R15): the same value as JavaScript reads it, and a fixed point.
      let text = value.compactBytes()
      let parsed = try JSONValue.parse(text)
      #expect(parsed == value.javaScriptRoundTrip, "value \(String(decoding: text, as: UTF8.self))")
      #expect(parsed.compactBytes() == text)
      Self.checkRoundTrip(text)
      Self.checkRoundTrip(canonical)
    }
  }

  @Test func mutatedTextsNeverCrash() {
    var r = SeededRandom(seed: 0x150_0002)
    var corpus = JSONGen.seeds.map { Array($0.utf8) }
    for _ in 0..<200 { corpus.append(JSONGen.value(&r, depth: 4).compactBytes()) }
    let alphabet = Array("{}[]\",:\\/ -+.0123456789eEtruefalsn\n\t".utf8) + [0, 0x80, 0xC3, 0xE2, 0xED, 0xF0, 0xFF]
    var parsedOK = 0
    for _ in 0..<20_000 {
      let bytes = JSONGen.mutated(r.pick(corpus), corpus: corpus, alphabet: alphabet, &r)
      if (try? JSONValue.parse(bytes)) != nil { parsedOK += 1 }
      Self.checkRoundTrip(bytes)
    }
    // The mutations must keep some inputs valid, or the round-trip half of the property is not exercised.
    #expect(parsedOK > 1_000)
  }

  @Test func randomBytesNeverCrash() {
    var r = SeededRandom(seed: 0x150_0003)
    for _ in 0..<5_000 { Self.checkRoundTrip(r.bytes(r.below(64))) }
  }

  @Test(arguments: [
    ("[", 100_000), ("{\"a\":", 100_000), ("[{\"k\":", 50_000),
  ])
  func hostileNestingIsAnErrorNotACrash(open: String, levels: Int) {
    let text = String(repeating: open, count: levels)
    #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    // Balanced, 100,000 deep: still rejected by the depth limit, with a place.
    let balanced = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    do {
      _ = try JSONValue.parse(balanced)
      Issue.record("100,000 levels accepted")
    } catch {
      #expect(error.line == 1 && error.column == 1001, "\(error)")
    }
  }

  @Test func deepButAllowedNestingRoundTrips() throws {
    let text = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
    let value = try JSONValue.parse(text)
    #expect(value.compactString() == text)
    Self.checkRoundTrip(Array(text.utf8))
  }
}
