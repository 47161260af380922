import JSON
import Testing

@Suite struct PointerTests {
  @Test func parsingAndEscaping() throws {
    #expect(try JSONPointer(parsing: "") == .root)
    #expect(JSONPointer.root.description == "")
    #expect(try JSONPointer(parsing: "/").tokens == [""])
    #expect(try JSONPointer(parsing: "/a~1b/m~0n/~01").tokens == ["a/b", "m~n", "~1"])
    #expect(try JSONPointer(parsing: "/a//b/").tokens == ["a", "", "b", ""])
    let p = JSONPointer(tokens: ["a/b", "m~n", "~1", "é"])
    #expect(p.description == "/a~1b/m~0n/~01/é")
    #expect(try JSONPointer(parsing: p.description) == p)
    let email = JSONPointer.root.appending("body").appending(index: 0).appending("output").appending("body")
      .appending("JSON").appending("context").appending("user").appending("email")
    #expect(email.description == "/body/0/output/body/JSON/context/user/email")
  }

  @Test func invalidText() {
    #expect(throws: JSONPointerError(text: "a/b", offset: 0, message: "must start with '/'")) {
      try JSONPointer(parsing: "a/b")
    }
    #expect(throws: JSONPointerError(text: "/a~2", offset: 2, message: "'~' must be followed by '0' or '1'")) {
      try JSONPointer(parsing: "/a~2")
    }
    #expect(throws: JSONPointerError.self) { try JSONPointer(parsing: "/a~") }
    let error = JSONPointerError(text: "x", offset: 0, message: "must start with '/'")
    #expect(error.description == #"invalid JSON pointer "x" at byte 0: must start with '/'"#)
  }

  @Test func tokens() {
    #expect(JSONPointer.Token("0") == .index(0))
    #expect(JSONPointer.Token("12") == .index(12))
    #expect(JSONPointer.Token("012") == .key("012"))
    #expect(JSONPointer.Token("-") == .key("-"))
    #expect(JSONPointer.Token("1a") == .key("1a"))
    #expect(JSONPointer.root.appending(.index(3)).appending(.key("x")).classifiedTokens == [.index(3), .key("x")])
    #expect(JSONPointer(tokens: ["a", "b"]).parent == JSONPointer(tokens: ["a"]))
    #expect(JSONPointer.root.parent == nil)
  }

  @Test func wildcardMatching() throws {
    let pattern = try JSONPointer(parsing: "/body/*/output/*/id")
    #expect(pattern.matches(try JSONPointer(parsing: "/body/0/output/12/id")))
    #expect(!pattern.matches(try JSONPointer(parsing: "/body/x/output/1/id")))
    #expect(!pattern.matches(try JSONPointer(parsing: "/body/01/output/1/id")))
    #expect(!pattern.matches(try JSONPointer(parsing: "/body/0/output/1")))
    #expect(!pattern.matches(try JSONPointer(parsing: "/body/0/output/1/id/x")))
    #expect(pattern.matches(pattern))
    #expect(try JSONPointer(parsing: "/a/b").matches(try JSONPointer(parsing: "/a/b")))
    #expect(!(try JSONPointer(parsing: "/a/b")).matches(try JSONPointer(parsing: "/a/*")))
    #expect(JSONPointer.root.matches(.root))
  }

  @Test func ordering() throws {
    let texts = ["/a/10", "/a", "/b", "/a/2", "", "/a/x", "/a/2/z", "/B"]
    let sorted = try texts.map { try JSONPointer(parsing: $0) }.sorted().map(\.description)
    #expect(sorted == ["", "/B", "/a", "/a/2", "/a/2/z", "/a/10", "/a/x", "/b"])
  }

  @Test func lookup() throws {
    let doc = try JSONValue.parse(#"{"a":[{"b/c":1,"m~n":2},[true]],"":3,"0":"zero","n":null}"#)
    #expect(doc[JSONPointer.root] == doc)
    #expect(doc[try JSONPointer(parsing: "/a/0/b~1c")] == 1)
    #expect(doc[try JSONPointer(parsing: "/a/0/m~0n")] == 2)
    #expect(doc[try JSONPointer(parsing: "/a/1/0")] == true)
    #expect(doc[try JSONPointer(parsing: "/")] == 3)
    #expect(doc[try JSONPointer(parsing: "/0")] == "zero")
    #expect(doc[try JSONPointer(parsing: "/n")] == .null)
    #expect(doc[try JSONPointer(parsing: "/a/2")] == nil)
    #expect(doc[try JSONPointer(parsing: "/a/-")] == nil)
    #expect(doc[try JSONPointer(parsing: "/a/01")] == nil)
    #expect(doc[try JSONPointer(parsing: "/missing")] == nil)
    #expect(doc[try JSONPointer(parsing: "/n/x")] == nil)
  }
}
