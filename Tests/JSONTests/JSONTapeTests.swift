import Testing

@testable import JSON

/// ``JSONTape`` and ``JSONRef``: a tape holds what the value parser gives, and reads on it answer as reads on that
/// value. (Seeded properties over generated and mutated texts: RobustnessTests/JSONTapePropertyTests.)
@Suite struct JSONTapeTests {
  static func tape(_ text: String, _ numbers: JSONNumberStyle = .preserving) throws(JSONParseError) -> JSONTape {
    var text = text
    let result = text.withUTF8 { utf8 in
      Result { () throws(JSONParseError) in try JSONTape(parsing: UnsafeRawBufferPointer(utf8), numbers: numbers) }
    }
    return try result.get()
  }

  @Test func holdsWhatTheValueParserGives() throws {
    for text in [
      #"{"a":[1,2.5,"x",null,true,false,{}],"b":{"c":[]}}"#, "[]", "{}", "0", "\"\"", "null",
      #"[-0, -0.0, 46.0, 1e21, 12345678901234567890, 9007199254740993, 1e400, -1e400, 0.1]"#,
      #""\u0000\"\\\/\b\f\n\r\t\ud83c\udf89\ud800x\udfff é""#,
      #"{"k":1,"k":{"x":2},"j":3,"k":[4]}"#,
    ] {
      let value = try JSONValue.parse(text)
      #expect(try Self.tape(text).root.value.isIdentical(to: value), "\(text)")
      #expect(try Self.tape(text, .javaScript).root.value.isIdentical(to: value.javaScriptNumbers()), "\(text)")
      #expect(JSONTape(value, numbers: .preserving).root.value.isIdentical(to: value), "\(text)")
      #expect(JSONTape(value, numbers: .javaScript).root.value.isIdentical(to: value.javaScriptNumbers()), "\(text)")
    }
  }

  @Test func numbersInJavaScriptStyle() throws {
    let root = try Self.tape(#"[46.0, -0.0, 9007199254740993, 12345678901234567890, 1e400, 0.5]"#, .javaScript).root
    let values = root.elements.map(\.value)
    #expect(values[0].isIdentical(to: .int(46)))
    #expect(values[1].isIdentical(to: .int(0)))
    #expect(values[2].isIdentical(to: .double(9_007_199_254_740_992)))
    #expect(values[3].isIdentical(to: .double(Double(UInt64(12_345_678_901_234_567_890)))))
    #expect(values[4].isIdentical(to: .double(.infinity)))
    #expect(values[5].isIdentical(to: .double(0.5)))
    #expect(try Self.tape("12345678901234567890").root.value.isIdentical(to: .numberLiteral("12345678901234567890")))
  }

  @Test func memberLookups() throws {
    let root = try Self.tape(#"{"a":{"b":[10,{"c":"d"}]},"e":"","":"empty key","é":1}"#).root
    #expect(root.kind == .object && root.count == 4)
    #expect(root["a"]?["b"]?[1]?["c"]?.stringValue == "d")
    #expect(root["a"]?["b"]?[0]?.value.isIdentical(to: .int(10)) == true)
    #expect(root["a"]?["b"]?[2] == nil)
    #expect(root["a"]?["b"]?[-1] == nil)
    #expect(root["a"]?["x"] == nil)
    #expect(root["e"]?.stringValue == "")
    #expect(root["e"]?.stringByteCount == 0)
    #expect(root[""]?.stringValue == "empty key")
    #expect(root["é"]?.isNumber == true)
    #expect(root["e"]?["x"] == nil)  // a member of a string
    #expect(root[0] == nil)  // an element of an object
    #expect(root["a"]?.isString("x") == false)
    #expect(root[""]?.isString("empty key") == true)
    #expect(root.members.map(\.key) == ["a", "e", "", "é"])
  }

  @Test func repeatedKeysReadAsTheValueParserKeepsThem() throws {
    // A repeated key keeps its first position and its last value.
    let root = try Self.tape(#"{"k":1,"j":2,"k":{"x":3},"j":4,"k":[5]}"#).root
    #expect(root.count == 2)
    #expect(root["k"]?.value.isIdentical(to: [5]) == true)
    #expect(root["j"]?.value.isIdentical(to: 4) == true)
    #expect(root.members.map(\.key) == ["k", "j"])
    #expect(root.members.map { $0.value.value.compactString() } == ["[5]", "4"])
    #expect(root.value.compactString() == #"{"k":[5],"j":4}"#)
    // A key read in place and the same key read by the value parser's scanner (near the end of the text, or with
    // an escape) are the same key, at every length.
    for length in 1...20 {
      let key = String(repeating: "k", count: length)
      for text in [
        #"{"\#(key)":1,"x":2,"\#(key)":3}"#, #"{"\#(key)":1,"\#(key)":3}"#,
        #"{"\#(key)":1,"\#(key.dropLast())\u006b":3}"#,
      ] {
        let repeated = try Self.tape(text).root
        #expect(repeated.count == (text.contains("\"x\"") ? 2 : 1), "\(text)")
        #expect(repeated[key]?.value.isIdentical(to: 3) == true, "\(text)")
      }
    }
    // Keys that differ but look alike to the duplicate filter are kept apart.
    let many = (0..<100).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
    let wide = try Self.tape("{\(many)}").root
    #expect(wide.count == 100 && wide["k99"]?.value.isIdentical(to: 99) == true)
  }

  @Test func errorsAreTheValueParsers() {
    for text in [
      "", " ", "[", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{1:2}", "[1 2]", "\"abc", "\"\\x\"", "01", "-", "1.", "1e",
      "tru", "nul", "[1]x", "\u{FEFF}1", "\"\u{1}\"", "{\"a\":[}", "[\"\\ud800\\u\"]",
    ] {
      let expected: JSONParseError?
      do {
        _ = try JSONValue.parse(text)
        expected = nil
      } catch { expected = error }
      do {
        _ = try Self.tape(text)
        Issue.record("tape accepted \(text.debugDescription)")
      } catch {
        #expect(error == expected, "\(text.debugDescription)")
      }
    }
  }

  @Test func depthLimit() throws {
    let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
    #expect(try Self.tape(deep).root.value.compactString() == deep)
    let tooDeep = "[" + deep + "]"
    #expect(throws: JSONParseError.self) { try Self.tape(tooDeep) }
  }

  @Test func pathTableFindsWhatChainedLookupsFind() throws {
    let root = try Self.tape(
      #"{"properties":{"a":1,"context":{"page":{"url":"u"}},"list":[{"x":"first"},{"x":"second"}],"a":2},"#
        + #""context":{"page":{"url":"v"}},"s":"text"}"#
    ).root
    let paths = [
      ["properties", "a"], ["properties", "context", "page", "url"], ["context", "page", "url"], ["properties", "b"],
      ["properties", "list", "1", "x"], ["properties", "list", "2", "x"], ["properties", "list", "x"],
      ["s", "length"], [], ["properties", "a"],
    ]
    let table = JSONPathTable(paths)
    #expect(table.count == 9)  // the repeated path shares a slot
    let found = table.resolve(from: root)
    #expect(found[table.index(of: ["properties", "a"])!]?.value.isIdentical(to: 2) == true)  // the last "a"
    #expect(found[table.index(of: ["properties", "context", "page", "url"])!]?.stringValue == "u")
    #expect(found[table.index(of: ["context", "page", "url"])!]?.stringValue == "v")
    #expect(found[table.index(of: ["properties", "b"])!] == nil)
    #expect(found[table.index(of: ["properties", "list", "1", "x"])!]?.stringValue == "second")
    #expect(found[table.index(of: ["properties", "list", "2", "x"])!] == nil)
    #expect(found[table.index(of: ["properties", "list", "x"])!] == nil)
    #expect(found[table.index(of: ["s", "length"])!] == nil)
    #expect(found[table.index(of: [])!]?.isObject == true)
  }
}

/// The byte comparison behind member lookups and path tables: inline below 8 bytes, two words from 8 to 16, `memcmp`
/// above; a difference at any position of any length is seen.
@Suite("tape key comparison")
struct TapeKeyComparisonTests {
  @Test func everyLengthAndPosition() {
    for n in 0...40 {
      let a = (0..<n).map { UInt8(truncatingIfNeeded: 0x41 + $0) }
      a.withUnsafeBufferPointer { pa in
        Array(a).withUnsafeBufferPointer { pb in #expect(JSONTape.bytesEqual(pa, pb), "\(n)") }
        for position in 0..<n {
          var b = a
          b[position] ^= 0x20
          b.withUnsafeBufferPointer { pb in #expect(!JSONTape.bytesEqual(pa, pb), "\(n) at \(position)") }
        }
        (a + [0x41]).withUnsafeBufferPointer { pb in #expect(!JSONTape.bytesEqual(pa, pb), "\(n) vs longer") }
      }
    }
  }
}
