import JSON
import SHA256
import Testing

@testable import TikTokAds

/// Behaviour that a mutation pass over `Sources/TikTokAds` (RELIABILITY.md, "Mutation pass") showed no test
/// pinned: each test here kills a mutant that survived the whole suite.
@Suite("mutation pass: behaviour no other test pinned")
struct MutationKillTests {
  /// SHA-256 of `bytes` as lowercase hex.
  static func sha(_ bytes: [UInt8]) -> String { SHA256.hexDigest(bytes) }

  /// Q18 at the edge of the Basic Multilingual Plane: U+FFFF is one UTF-16 unit (low byte 0xFF); U+10000 is the
  /// first character written as a surrogate pair (D800 DC00: low bytes 00 00). (Mutant M8: `v <= 0xFFFF` as
  /// `v < 0xFFFF` sent U+FFFF down the pair path.)
  @Test("v2 hashes U+FFFF as one unit and U+10000 as a surrogate pair (Q18, both sides of the BMP)")
  func utf16LowBytesAtThePlaneEdge() throws {
    let cases: [(String, [UInt8])] = [
      ("a\u{FFFF}@x.com", Array("a".utf8) + [0xFF] + Array("@x.com".utf8)),
      ("a\u{10000}@x.com", Array("a".utf8) + [0x00, 0x00] + Array("@x.com".utf8)),
      ("a\u{FFFE}@x.com", Array("a".utf8) + [0xFE] + Array("@x.com".utf8)),
    ]
    for (email, lowBytes) in cases {
      let entry = try TestEvents.v2Entry(
        TestEvents.track("Search", [("traits", ["email": .string(email)])]), [("hashUserProperties", true)])
      #expect(entry?["user"]?["email"] == .string(Self.sha(lowBytes)), "\(email.unicodeScalars.map(\.value))")
    }
  }

  /// A negative value is mapped like any other (spec §5: "written only if truthy, 0 or false"). Written for mutant
  /// M9 (`i != 0` as `i > 0` in JavaScript truthiness), which it does not kill: the mapping's presence test is its
  /// own. Kept as the plain statement of the behaviour; M9 is killed by the next test.
  @Test("negative numbers are truthy: properties.value -5 is sent in v1 and v2, -0.5 too")
  func negativeNumbersAreTruthy() throws {
    for value: JSONValue in [-5, -0.5] {
      let message = TestEvents.track("Search", [("properties", ["value": value])])
      #expect(try TestEvents.v1Body(message)?["properties"]?["value"] == value, "\(value)")
      #expect(try TestEvents.v2Entry(message)?["properties"]?["value"] == value, "\(value)")
    }
    // And a negative event id is a present id, not a fallback to messageId.
    let message = TestEvents.track("Search", [("properties", ["eventId": -7])])
    #expect(try TestEvents.v1Body(message)?["event_id"] == -7)
  }

  /// V8's ES5 date-time format allows `24:00` (with nothing after it but zeros) as the end of a day: the next
  /// day's midnight. `24:01` and `25:00` are invalid. (Mutant M22: hours 0...24 as 0...23 in the ES5 parser.)
  @Test("event_time: T24:00:00Z is the next midnight; 24:00:01 and T25:00 are not dates")
  func hour24IsTheEndOfTheDay() throws {
    func time(_ text: String) throws -> JSONValue? {
      try TestEvents.v2Entry(TestEvents.track("Search", [("timestamp", .string(text))]))?["event_time"]
    }
    #expect(try time("2023-10-01T24:00:00Z") == 1_696_204_800)
    #expect(try time("2023-10-01T24:00Z") == 1_696_204_800)
    #expect(try time("2023-10-01T23:59:59Z") == 1_696_204_799)
    for invalid in ["2023-10-01T24:00:01Z", "2023-10-01T25:00:00Z"] {
      let m = TestEvents.track("Search", [("timestamp", .string(invalid))])
      let item = try TestEvents.process(m, TestEvents.destination(v2: true)).first
      #expect(item?["statusCode"] == 400, "\(invalid)")
    }
  }

  /// JavaScript truthiness of negative numbers where the transformer tests it (`||`, `if (x)`): a negative
  /// `contentType` is the v1 contents fallback (R9), a negative `hashUserProperties` turns hashing on, a negative
  /// v2 `content_id` is kept in `contents_ids`. (Mutant M9: `i != 0` as `i > 0`.)
  @Test("negative numbers are truthy where the transformer tests truthiness")
  func negativeNumbersAreTruthyWhereTested() throws {
    let contents = TestEvents.track(
      "Search", [("properties", ["contentType": -3, "contents": [["content_id": "a"]]])])
    #expect(try TestEvents.v1Body(contents)?["properties"]?["contents"]?[0]?["content_type"] == -3)
    let email = TestEvents.track("Search", [("traits", ["email": "a@b.c"])])
    #expect(
      try TestEvents.v1Body(email, [("hashUserProperties", -1)])?["context"]?["user"]?["email"]
        == .string(Self.sha(Array("a@b.c".utf8))))
    let ids = TestEvents.track("Search", [("properties", ["contents": [["content_id": -4], ["content_id": 0]]])])
    #expect(try TestEvents.v2Entry(ids)?["properties"]?["contents_ids"] == [-4])
  }

  /// Only the top level of a body is cleaned of `null` (spec §5, §6.5, §7.4 step 4): an `eventsToStandard` row with
  /// `to: null` gives an event named `null`, and the cleaning removes that `event` member from the v1 body and the
  /// v2 entry. (Mutant M25b: the top-level cleaning disabled.)
  @Test("a null event name from eventsToStandard is cleaned from the top level (v1 body, v2 entry)")
  func topLevelNullsAreCleaned() throws {
    let map: JSONValue = [["from": "Signed Up", "to": nil]]
    let message = TestEvents.track("Signed Up")
    let v1 = try TestEvents.v1Body(message, [("eventsToStandard", map)])
    #expect(v1 != nil)
    #expect(v1?.objectValue?.keys.contains("event") == false, "\(v1?.compactString() ?? "")")
    let v2 = try TestEvents.v2Entry(message, [("eventsToStandard", map)])
    #expect(v2 != nil)
    #expect(v2?.objectValue?.keys.contains("event") == false, "\(v2?.compactString() ?? "")")
  }
}
