import JSON
import Testing

@Suite struct ParserTests {
  @Test func scalars() throws {
    #expect(try JSONValue.parse("null").isIdentical(to: .null))
    #expect(try JSONValue.parse("true").isIdentical(to: .bool(true)))
    #expect(try JSONValue.parse("false").isIdentical(to: .bool(false)))
    #expect(try JSONValue.parse("0").isIdentical(to: .int(0)))
    #expect(try JSONValue.parse("-0").isIdentical(to: .int(0)))
    #expect(try JSONValue.parse("46").isIdentical(to: .int(46)))
    #expect(try JSONValue.parse("-46").isIdentical(to: .int(-46)))
    #expect(try JSONValue.parse("46.0").isIdentical(to: .double(46)))
    #expect(try JSONValue.parse("-0.0").isIdentical(to: .double(-0.0)))
    #expect(try JSONValue.parse("1.5e3").isIdentical(to: .double(1500)))
    #expect(try JSONValue.parse("1E-2").isIdentical(to: .double(0.01)))
    #expect(try JSONValue.parse("2e+2").isIdentical(to: .double(200)))
    #expect(try JSONValue.parse("0.000123").isIdentical(to: .double(0.000123)))
    #expect(try JSONValue.parse("\"hi\"").isIdentical(to: .string("hi")))
    #expect(try JSONValue.parse(" \t\r\n 1 \n").isIdentical(to: .int(1)))
  }

  @Test func containers() throws {
    let v = try JSONValue.parse(#"{"a":[1,2.5,"x",null,true,{}],"b":{"c":[]}}"#)
    let expected: JSONValue = ["a": [1, 2.5, "x", nil, true, .object([:])], "b": ["c": []]]
    #expect(v.isIdentical(to: expected))
    #expect(try JSONValue.parse("[ ]").isIdentical(to: .array([])))
    #expect(try JSONValue.parse("{ }").isIdentical(to: .object([:])))
    #expect(try JSONValue.parse("[[[]]]").isIdentical(to: [[[]]]))
  }

  @Test func integersBeyondInt64() throws {
    #expect(try JSONValue.parse("9223372036854775807").isIdentical(to: .int(.max)))
    #expect(try JSONValue.parse("-9223372036854775808").isIdentical(to: .int(.min)))
    #expect(try JSONValue.parse("9223372036854775808").isIdentical(to: .numberLiteral("9223372036854775808")))
    #expect(try JSONValue.parse("-9223372036854775809").isIdentical(to: .numberLiteral("-9223372036854775809")))
    let big = try JSONValue.parse("12345678901234567890")
    #expect(big.isIdentical(to: .numberLiteral("12345678901234567890")))
    // Canonical (file) text keeps the digits; compact (wire) text is the double JavaScript reads (R15).
    #expect(big.canonicalString() == "12345678901234567890\n")
    #expect(big.compactString() == "12345678901234567000")
    let huge = try JSONValue.parse("123456789012345678901234567890")
    #expect(huge.canonicalString() == "123456789012345678901234567890\n")
    #expect(huge.compactString() == "1.2345678901234568e+29")
  }

  @Test func doubles() throws {
    #expect(try JSONValue.parse("1e400").isIdentical(to: .numberLiteral("1e400")))
    #expect(try JSONValue.parse("-1e400").isIdentical(to: .numberLiteral("-1e400")))
    #expect(try JSONValue.parse("5e-324").isIdentical(to: .double(.leastNonzeroMagnitude)))
    #expect(try JSONValue.parse("1e-400").isIdentical(to: .double(0)))
    #expect(try JSONValue.parse("0.1").isIdentical(to: .double(0.1)))
    #expect(try JSONValue.parse("1.7976931348623157e308").isIdentical(to: .double(.greatestFiniteMagnitude)))
    #expect(try JSONValue.parse("123456789012345678901234.5").isIdentical(to: .double(123456789012345678901234.5)))
    #expect(try JSONValue.parse("9007199254740993.0").isIdentical(to: .double(9007199254740992)))
    #expect(try JSONValue.parse("0.30000000000000004").isIdentical(to: .double(0.1 + 0.2)))
  }

  @Test func keyOrderAndDuplicates() throws {
    let v = try JSONValue.parse(#"{"b":1,"a":2,"c":3}"#)
    #expect(v.objectValue?.keys == ["b", "a", "c"])
    let d = try JSONValue.parse(#"{"a":1,"b":2,"a":3}"#)
    #expect(d.objectValue?.keys == ["a", "b"])
    #expect(d["a"] == 3)
    #expect(d.compactString() == #"{"a":3,"b":2}"#)
  }

  @Test func duplicateKeysInLargeObject() throws {
    let members = (0..<40).map { #""k\#($0)":\#($0)"# } + [#""k3":"last""#]
    let v = try JSONValue.parse("{" + members.joined(separator: ",") + "}")
    #expect(v.objectValue?.count == 40)
    #expect(v.objectValue?.keys.first == "k0")
    #expect(v["k3"] == "last")
    #expect(v.objectValue?.keys[3] == "k3")
  }

  @Test func escapes() throws {
    let v = try JSONValue.parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\ud83d\ude00""#)
    #expect(v == .string("\"\\/\u{8}\u{C}\n\r\tAé€😀"))
    #expect(try JSONValue.parse(#""a\u0000b""#) == .string("a\u{0}b"))
    #expect(try JSONValue.parse(#""é😀 raw""#) == .string("é😀 raw"))
  }

  @Test func loneSurrogates() throws {
    let high = try JSONValue.parse(#""\ud800""#)
    #expect(high.stringValue?.unicodeScalars.map(\.value) == [0x10F800])
    let low = try JSONValue.parse(#""\udc00x""#)
    #expect(low.stringValue?.unicodeScalars.map(\.value) == [0x10FC00, 0x78])
    // A high surrogate followed by a non-low escape stays lone; the next escape decodes normally.
    let mixed = try JSONValue.parse(#""\uDBFF\u0041\uDFFF""#)
    #expect(mixed.stringValue?.unicodeScalars.map(\.value) == [0x10FBFF, 0x41, 0x10FFFF])
    #expect(LoneSurrogate.unit(of: "\u{10F800}") == 0xD800)
    #expect(LoneSurrogate.unit(of: "\u{10FFFF}") == 0xDFFF)
    #expect(LoneSurrogate.unit(of: "\u{10F7FF}") == nil)
    #expect(LoneSurrogate.unit(of: "a") == nil)
    #expect(LoneSurrogate.scalar(for: 0xDC00).value == 0x10FC00)
  }

  @Test func inputForms() throws {
    let text = #"{"k":[1,"two"]}"#
    let fromString = try JSONValue.parse(text)
    let fromBytes = try JSONValue.parse(Array(text.utf8))
    let fromRaw = try Array(text.utf8).withUnsafeBytes { try JSONValue.parse($0) }
    #expect(fromString.isIdentical(to: fromBytes))
    #expect(fromString.isIdentical(to: fromRaw))
    #expect(throws: JSONParseError.self) { try JSONValue.parse([UInt8]()) }
  }
}
