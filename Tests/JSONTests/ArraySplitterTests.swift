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

@Suite("top-level array runs")
struct ArrayRunsTests {
  /// Every element read from each guessed start up to the next, and whether each run arrived exactly there.
  static func runs(_ text: String, parts: Int) -> (elements: [String], aligned: Bool)? {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { raw in
      guard let starts = JSONArrayRuns.guessStarts(raw, parts: parts) else { return nil }
      var elements: [String] = []
      var aligned = true
      for (k, start) in starts.enumerated() {
        var reader = JSONArrayRuns.Reader(raw, start: start, numbers: .preserving)
        let stop = k + 1 < starts.count ? starts[k + 1] : nil
        while let position = reader.position, position < stop ?? Int.max {
          guard let tape = reader.next() else { break }
          elements.append(tape.root.value.compactString())
        }
        if reader.failed || reader.position != stop { aligned = false }
      }
      return (elements, aligned)
    }
  }

  static func objects(_ n: Int, _ value: (Int) -> String) -> String {
    "[" + (0..<n).map { #"{"i":\#($0),"v":\#(value($0))}"# }.joined(separator: ",") + "]"
  }

  @Test("runs from guessed starts read every element once, in order, as the parser reads the array")
  func readsEveryElement() throws {
    for text in [
      Self.objects(200) { _ in "1" }, Self.objects(50) { "[\($0),{\"x\":null}]" },
      // Whitespace everywhere it may be.
      " [ " + (0..<80).map { #"{ "i" : \#($0) , "v" : "s" }"# }.joined(separator: " ,\n ") + " ] \n",
    ] {
      let expected = try #require(JSONValue.parse(text).arrayValue).map { $0.compactString() }
      for parts in [1, 2, 7, 16] {
        let result = try #require(Self.runs(text, parts: parts))
        #expect(result.aligned, "parts \(parts)")
        #expect(result.elements == expected, "parts \(parts)")
      }
    }
  }

  @Test("a guessed start inside an element is found out: the run before does not arrive there")
  func wrongGuessIsFoundOut() throws {
    // Every element holds objects that start as the elements do, so most guesses land inside elements.
    let text = Self.objects(100) { _ in "[" + (0..<20).map { #"{"i":\#($0)}"# }.joined(separator: ",") + "]" }
    let result = try #require(Self.runs(text, parts: 8))
    #expect(!result.aligned)
    #expect(try #require(Self.runs(text, parts: 1)).aligned)
  }

  @Test("empty arrays, trailing commas, garbage after the array, non-arrays")
  func edges() throws {
    #expect(try #require(Self.runs("[]", parts: 4)).elements == [])
    #expect(try #require(Self.runs(" [ ] ", parts: 4)).aligned)
    #expect(try #require(Self.runs("[1,]", parts: 1)).aligned == false)
    #expect(try #require(Self.runs("[1] x", parts: 1)).aligned == false)
    #expect(try #require(Self.runs("[1 2]", parts: 1)).aligned == false)
    #expect(try #require(Self.runs("[1", parts: 1)).aligned == false)
    #expect(Self.runs("{}", parts: 1) == nil)
    #expect(Self.runs("", parts: 1) == nil)
  }

  @Test("an element may nest one level less than the whole text allows")
  func depth() throws {
    let deep = String(repeating: "[", count: 999) + String(repeating: "]", count: 999)
    #expect(try #require(Self.runs("[\(deep)]", parts: 1)).aligned)
    #expect(try #require(Self.runs("[[\(deep)]]", parts: 1)).aligned == false)
    #expect(throws: JSONParseError.self) { try JSONValue.parse("[[\(deep)]]") }
  }
}
