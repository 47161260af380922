import Testing

@testable import TikTokAds

/// `V8DateParser.parse` reads the common `YYYY-MM-DDTHH:mm:ss[.sss]Z` form directly; everything it reads must give
/// what the general parse gives, and everything else must go to the general parse.
@Suite("date parsing: the shortcut for the common form")
struct DateShortcutTests {
  static func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }

  static func iso(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, _ ms: Int?) -> String {
    "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))"
      + (ms.map { "." + pad($0, 3) } ?? "") + "Z"
  }

  @Test("both sides of every field's limit agree with the general parse")
  func limits() {
    var texts: [String] = []
    for y in [0, 1, 1969, 1970, 2000, 2024, 2100, 9999] {
      for (mo, d) in [(0, 1), (1, 1), (2, 28), (2, 29), (12, 31), (13, 1), (4, 0), (4, 28), (4, 29), (4, 30), (1, 31)] {
        for (h, mi, s) in [(0, 0, 0), (23, 59, 59), (24, 0, 0), (12, 60, 0), (12, 0, 60), (9, 5, 7)] {
          for ms in [nil, 0, 713, 999] as [Int?] { texts.append(Self.iso(y, mo, d, h, mi, s, ms)) }
        }
      }
    }
    for text in texts {
      let general = V8DateParser.parseGeneral(text)
      #expect(V8DateParser.parse(text) == general, "\(text)")
      if V8DateParser.parseCommonISO(text) != nil { #expect(general != nil, "\(text)") }
    }
    // The shortcut takes days up to 28 and times up to 23:59:59 only; the general parse has the rest.
    #expect(V8DateParser.parseCommonISO("2024-02-28T23:59:59.999Z") != nil)
    #expect(V8DateParser.parseCommonISO("2024-02-29T00:00:00Z") == nil)
    #expect(V8DateParser.parseCommonISO("2024-02-01T24:00:00Z") == nil)
  }

  @Test("near misses of the form go to the general parse and agree with it")
  func nearMisses() {
    let base = "2024-05-09T10:12:31.713Z"
    var texts = [
      "2024-05-09T10:12:31Z", "2024-05-09T10:12:31.71Z", "2024-05-09T10:12:31.7130Z", "2024-05-09t10:12:31.713Z",
      "2024-05-09T10:12:31.713z", "2024-05-09 10:12:31.713Z", "2024-05-09T10:12:31.713", "+2024-05-09T10:12:31.713Z",
      "2024-05-09T10:12:31,713Z", "2024-5-09T10:12:31.713Z", "2024-05-09T10:12:31.713+00:00", "",
    ]
    // Every single byte of the common form replaced by a digit, a sign, a letter or a space.
    let bytes = Array(base.utf8)
    for i in bytes.indices {
      for replacement in Array("0 9-+:.TZa".utf8) {
        var changed = bytes
        changed[i] = replacement
        texts.append(String(decoding: changed, as: UTF8.self))
      }
    }
    for text in texts { #expect(V8DateParser.parse(text) == V8DateParser.parseGeneral(text), "\(text)") }
  }

  @Test("random dates in the common form agree with the general parse")
  func randomDates() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<5000 {
      let text = Self.iso(
        Int.random(in: 0...9999, using: &generator), Int.random(in: 1...12, using: &generator),
        Int.random(in: 1...28, using: &generator), Int.random(in: 0...23, using: &generator),
        Int.random(in: 0...59, using: &generator), Int.random(in: 0...59, using: &generator),
        Bool.random(using: &generator) ? Int.random(in: 0...999, using: &generator) : nil)
      #expect(V8DateParser.parseCommonISO(text) != nil, "\(text)")
      #expect(V8DateParser.parse(text) == V8DateParser.parseGeneral(text), "\(text)")
    }
  }
}
