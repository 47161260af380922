import JSON
import Testing

@Suite struct WriterTests {
  @Test func compactScalars() {
    #expect(JSONValue.null.compactString() == "null")
    #expect(JSONValue.bool(true).compactString() == "true")
    #expect(JSONValue.bool(false).compactString() == "false")
    #expect(JSONValue.int(0).compactString() == "0")
    #expect(JSONValue.int(-7).compactString() == "-7")
    // R15: compact text is what JSON.stringify prints for the double JavaScript holds.
    #expect(JSONValue.int(9_007_199_254_740_992).compactString() == "9007199254740992")
    #expect(JSONValue.int(9_007_199_254_740_993).compactString() == "9007199254740992")
    #expect(JSONValue.int(.max).compactString() == "9223372036854776000")
    #expect(JSONValue.int(.min).compactString() == "-9223372036854776000")
    #expect(JSONValue.numberLiteral("1e400").compactString() == "null")
    #expect(JSONValue.numberLiteral("12345678901234567890").compactString() == "12345678901234567000")
    // Canonical text keeps every number's own text.
    #expect(JSONValue.int(.max).canonicalString() == "9223372036854775807\n")
    #expect(JSONValue.numberLiteral("1e400").canonicalString() == "1e400\n")
  }

  @Test func doubles() throws {
    // R15: as JavaScript prints them.
    #expect(JSONValue.double(46).compactString() == "46")
    #expect(JSONValue.double(0.1).compactString() == "0.1")
    #expect(JSONValue.double(-0.0).compactString() == "0")
    #expect(JSONValue.double(1e16).compactString() == "10000000000000000")
    #expect(JSONValue.double(1e21).compactString() == "1e+21")
    #expect(JSONValue.double(1e-7).compactString() == "1e-7")
    #expect(JSONValue.double(1e-6).compactString() == "0.000001")
    #expect(JSONValue.double(123456789012345678901234567890.0).compactString() == "1.2345678901234568e+29")
    // Canonical text keeps a double a double.
    #expect(JSONValue.double(46).canonicalString() == "46.0\n")
    #expect(JSONValue.double(-0.0).canonicalString() == "-0.0\n")
    #expect(JSONValue.double(1e16).canonicalString() == "1e+16\n")
    #expect(JSONValue.double(.leastNonzeroMagnitude).compactString() == "5e-324")
    #expect(JSONValue.double(.infinity).compactString() == "null")
    #expect(JSONValue.double(-.infinity).compactString() == "null")
    #expect(JSONValue.double(.nan).compactString() == "null")
    for d in [1e-7, 1.5e300, 123456.789, 1e21, 2.5e-5, .greatestFiniteMagnitude, .leastNormalMagnitude] {
      let text = JSONValue.double(d).compactString()
      #expect(try JSONValue.parse(text) == .double(d), "\(text)")
      let canonical = JSONValue.double(d).canonicalString()
      #expect(try JSONValue.parse(canonical).isIdentical(to: .double(d)), "\(canonical)")
    }
  }

  @Test func compactContainersKeepOrder() {
    let v: JSONValue = ["b": [1, "x", nil], "a": ["z": true, "y": [:]], "c": []]
    #expect(v.compactString() == #"{"b":[1,"x",null],"a":{"z":true,"y":{}},"c":[]}"#)
    #expect(v.compactBytes() == Array(v.compactString().utf8))
    var out = Array("prefix ".utf8)
    v.writeCompact(into: &out)
    #expect(String(decoding: out, as: UTF8.self) == "prefix " + v.compactString())
  }

  @Test func stringEscapes() {
    let s: JSONValue = .string("q\" b\\ s/ \u{8}\u{C}\n\r\t \u{0}\u{1F}\u{7F} é€😀")
    #expect(s.compactString() == #""q\" b\\ s/ \b\f\n\r\t \u0000\u001f\#u{7F} é€😀""#)
    #expect(JSONValue.string("https://example.com/a/b").compactString() == #""https://example.com/a/b""#)
  }

  @Test func loneSurrogatesWriteBack() throws {
    for text in [#""\ud800""#, #""\udc00x""#, #""a\udbffA\udfff\udfffb""#, #""\ud83d""#, #""\ud800\ud800""#] {
      let v = try JSONValue.parse(text)
      #expect(v.compactString() == text)
      #expect(v.canonicalString() == v.compactString() + "\n")
    }
    // A valid pair is a real scalar and is written raw.
    #expect(try JSONValue.parse(#""\ud83d\ude00""#).compactString() == "\"😀\"")
    // Upper-case hex input is written back in lower case.
    #expect(try JSONValue.parse(#""\uDC0A""#).compactString() == #""\udc0a""#)
    // Scalars just below the mapped range are ordinary characters.
    #expect(JSONValue.string("\u{10F7FF}").compactString() == "\"\u{10F7FF}\"")
    // The documented ambiguity: genuine U+10F800...U+10FFFF, even from a valid pair, is written as a lone escape.
    #expect(JSONValue.string("\u{10FFFF}").compactString() == #""\udfff""#)
    #expect(try JSONValue.parse(#""\udbff\udfff""#).compactString() == #""\udfff""#)
  }

  @Test func canonical() throws {
    let v = try JSONValue.parse(
      #"{"zeta":1,"alpha":{"b":[1,2,{"y":null,"x":"é"}],"a":[],"c":{}},"Beta":true,"big":12345678901234567890,"d":46.0}"#
    )
    let expected = """
      {
        "Beta": true,
        "alpha": {
          "a": [],
          "b": [
            1,
            2,
            {
              "x": "é",
              "y": null
            }
          ],
          "c": {}
        },
        "big": 12345678901234567890,
        "d": 46.0,
        "zeta": 1
      }

      """
    #expect(v.canonicalString() == expected)
    #expect(v.canonicalBytes() == Array(expected.utf8))
    #expect(try JSONValue.parse(expected) == v)
  }

  @Test func canonicalSortsByUTF8Bytes() {
    let v: JSONValue = ["é": 1, "a10": 2, "a2": 3, "Z": 4, "_x": 5, "B": 6, "\u{10000}": 7, "\u{FFFF}": 8]
    let keys = ["B", "Z", "_x", "a10", "a2", "é", "\u{FFFF}", "\u{10000}"]
    let lines = keys.enumerated().map { i, k in "  \"\(k)\": \([6, 4, 5, 2, 3, 1, 8, 7][i])" }
    #expect(v.canonicalString() == "{\n" + lines.joined(separator: ",\n") + "\n}\n")
  }

  @Test func prettyKeepsOrder() {
    let v: JSONValue = ["b": [1], "a": [:], "c": ["y": 1, "x": 2]]
    let expected = """
      {
        "b": [
          1
        ],
        "a": {},
        "c": {
          "y": 1,
          "x": 2
        }
      }

      """
    #expect(v.prettyString() == expected)
    #expect(JSONValue.int(3).prettyString() == "3\n")
    #expect(JSONValue.array([]).canonicalString() == "[]\n")
  }
}
