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
}
