import JSON
import Testing

@Suite("top-level array splitting")
struct ArraySplitterTests {
  static func split(_ text: String) -> [String]? {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { raw in
      JSONValue.topLevelArrayElementRanges(raw)?.map { String(decoding: bytes[$0], as: UTF8.self) }
    }
  }

  @Test("elements of every kind, with nesting, strings holding brackets, commas and escaped quotes")
  func elements() {
    #expect(Self.split("[]") == [])
    #expect(
      Self.split(" [ 1 , \"a,]\\\"[\" ,{\"k\":[1,{\"x\":\"}\"}]}, [[]], null ] \n") == [
        "1", "\"a,]\\\"[\"", "{\"k\":[1,{\"x\":\"}\"}]}", "[[]]", "null",
      ])
  }

  @Test("structurally broken texts give nil, so the caller parses them for the exact error")
  func broken() {
    for text in ["", "{}", "[1,]", "[,1]", "[1", "[\"abc]", "[1]]", "[1] x", "[{]", "[}]"] {
      #expect(Self.split(text) == nil, "\(text)")
    }
  }

  @Test("splitting then parsing each element equals parsing the whole array")
  func agreesWithParser() throws {
    let text = #"[{"a":[1,2,{"b":"x\"]"}]},"s",3.5,true,[],{}]"#
    let whole = try JSONValue.parse(text)
    let parts = try (Self.split(text) ?? []).map { try JSONValue.parse($0) }
    #expect(JSONValue.array(parts) == whole)
  }

  @Test("strings of every length with an escape or a quote at every position end where the parser ends them")
  func stringsAcrossWordBoundaries() throws {
    for length in 0...20 {
      for position in 0..<max(length, 1) {
        for special in [#"\""#, #"\\"#, #"\u0022"#, "é", "]"] {
          var chars = Array(repeating: "a", count: length)
          if position < length { chars[position] = special }
          let string = "\"" + chars.joined() + "\""
          let text = "[\(string),\(string)]"
          let parts = try #require(Self.split(text), "\(text)")
          #expect(parts == [string, string], "\(text)")
          #expect(try JSONValue.array(parts.map { try JSONValue.parse($0) }) == JSONValue.parse(text))
        }
      }
    }
    // An escape as the last byte leaves the string open.
    #expect(Self.split(#"["abcdefgh\"#) == nil)
    #expect(Self.split(#"["abcdefghijklmno\"#) == nil)
  }
}
