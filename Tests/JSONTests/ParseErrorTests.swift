import JSON
import Testing

@Suite struct ParseErrorTests {
  /// The error `text` gives, as `line:column: message`.
  static func failure(_ text: String, maxDepth: Int = 1000) -> String {
    failure(Array(text.utf8), maxDepth: maxDepth)
  }

  static func failure(_ bytes: [UInt8], maxDepth: Int = 1000) -> String {
    do {
      let value = try JSONValue.parse(bytes, maxDepth: maxDepth)
      return "parsed: \(value.compactString())"
    } catch {
      return error.description
    }
  }

  @Test(arguments: [
    (#"{"a":1,}"#, "1:8: expected a string key after ',' (trailing comma in object)"),
    ("[1,]", "1:4: expected a value after ',' (trailing comma in array)"),
    ("[1, ]", "1:5: expected a value after ',' (trailing comma in array)"),
    ("", "1:1: unexpected end of input, expected a value"),
    ("   ", "1:4: unexpected end of input, expected a value"),
    ("[", "1:2: unexpected end of input, expected a value"),
    ("[1", "1:3: unexpected end of input, expected ',' or ']' after array element"),
    (#"{"a":1"#, "1:7: unexpected end of input, expected ',' or '}' after object member"),
    ("{", "1:2: unexpected end of input, expected an object key"),
    (#"{"a""#, "1:5: unexpected end of input, expected ':' after object key"),
    ("[1 2]", "1:4: expected ',' or ']' after array element"),
    (#"{"a" 1}"#, "1:6: expected ':' after object key"),
    (#"{"a":1 "b":2}"#, "1:8: expected ',' or '}' after object member"),
    ("{1:2}", #"1:2: expected '"' to begin an object key"#),
    ("{'a':1}", #"1:2: expected '"' to begin an object key"#),
    ("[01]", "1:2: leading zeros are not allowed in numbers"),
    ("-01", "1:2: leading zeros are not allowed in numbers"),
    ("+1", "1:1: unexpected character '+', expected a value"),
    (".5", "1:1: unexpected character '.', expected a value"),
    ("1.", "1:3: unexpected end of input, expected a digit after '.'"),
    ("[1.]", "1:4: expected a digit after '.'"),
    ("1.e5", "1:3: expected a digit after '.'"),
    ("1e", "1:3: unexpected end of input, expected a digit in exponent"),
    ("1e+", "1:4: unexpected end of input, expected a digit in exponent"),
    ("-", "1:2: unexpected end of input, expected a digit after '-'"),
    ("NaN", "1:1: unexpected character 'N', expected a value"),
    ("Infinity", "1:1: unexpected character 'I', expected a value"),
    ("-Infinity", "1:2: expected a digit after '-'"),
    ("0x10", "1:2: unexpected character 'x' after the JSON value"),
    ("tru", "1:1: invalid literal, expected 'true'"),
    ("nul", "1:1: invalid literal, expected 'null'"),
    ("[falsy]", "1:2: invalid literal, expected 'false'"),
    ("[nulll]", "1:6: expected ',' or ']' after array element"),
    ("True", "1:1: unexpected character 'T', expected a value"),
    (#""abc"#, "1:1: unterminated string"),
    (#"["a\"#, "1:2: unterminated string"),
    (#""a\x""#, #"1:3: invalid escape '\x' in string"#),
    (#""\'""#, #"1:2: invalid escape '\'' in string"#),
    (#""\u12""#, #"1:2: invalid \u escape in string, expected 4 hex digits"#),
    (#""\u12G4""#, #"1:2: invalid \u escape in string, expected 4 hex digits"#),
    ("\"a\tb\"", "1:3: unescaped control character U+0009 in string"),
    ("\"a\nb\"", "1:3: unescaped control character U+000A in string"),
    ("\"\u{0}\"", "1:2: unescaped control character U+0000 in string"),
    ("1 2", "1:3: unexpected character '2' after the JSON value"),
    ("[1]x", "1:4: unexpected character 'x' after the JSON value"),
    ("{}}", "1:3: unexpected character '}' after the JSON value"),
    ("[1,,2]", "1:4: unexpected character ',', expected a value"),
    ("[,1]", "1:2: unexpected character ',', expected a value"),
    ("]", "1:1: unexpected character ']', expected a value"),
    (#"{"é":x}"#, "1:7: unexpected character 'x', expected a value"),
    ("[1, é]", "1:5: unexpected character 'é', expected a value"),
    ("\u{FEFF}{}", "1:1: unexpected byte order mark (U+FEFF)"),
    ("[\u{7}]", "1:2: unexpected character U+0007, expected a value"),
  ])
  func singleLine(text: String, expected: String) {
    #expect(Self.failure(text) == expected)
  }

  @Test func multiLine() {
    let text = """
      {
        "a": 1,
        "b": [1, 2,]
      }
      """
    #expect(Self.failure(text) == "3:14: expected a value after ',' (trailing comma in array)")
    #expect(Self.failure("[\r\n1,\r\n]") == "3:1: expected a value after ',' (trailing comma in array)")
    #expect(Self.failure("{\n\"k\": tru\n}") == "2:6: invalid literal, expected 'true'")
    #expect(Self.failure("\n\n  \"open") == "3:3: unterminated string")
  }

  @Test func errorFields() throws {
    let error = try #require(throws: JSONParseError.self) { try JSONValue.parse("{\n  \"a\" 1\n}") }
    #expect(error == JSONParseError(line: 2, column: 7, offset: 8, message: "expected ':' after object key"))
    #expect(error.description == "2:7: expected ':' after object key")
  }

  @Test(
    arguments: [
      ([0x22, 0xFF, 0x22], "1:2: invalid UTF-8 byte 0xff"),
      ([0x22, 0x61, 0xC3, 0x28, 0x22], "1:4: invalid UTF-8 byte 0x28"),
      ([0x22, 0xC0, 0x80, 0x22], "1:2: invalid UTF-8 byte 0xc0"),  // overlong
      ([0x22, 0xE0, 0x80, 0x80, 0x22], "1:3: invalid UTF-8 byte 0x80"),  // overlong
      ([0x22, 0xED, 0xA0, 0x80, 0x22], "1:3: invalid UTF-8 byte 0xa0"),  // encoded surrogate
      ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "1:3: invalid UTF-8 byte 0x90"),  // above U+10FFFF
      ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], "1:2: invalid UTF-8 byte 0xf5"),
      ([0x22, 0x80, 0x22], "1:2: invalid UTF-8 byte 0x80"),  // lone continuation
      ([0x22, 0xE2, 0x82], "1:2: truncated UTF-8 sequence at end of input"),
      ([0x22, 0x5C, 0x6E, 0xFF, 0x22], "1:4: invalid UTF-8 byte 0xff"),  // after an escape
      ([0xFF], "1:1: invalid UTF-8 byte 0xff"),
      ([0x5B, 0x31, 0xC3], "1:3: truncated UTF-8 sequence at end of input"),
      ([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x31, 0xFE], "1:7: invalid UTF-8 byte 0xfe"),
    ] as [([UInt8], String)])
  func invalidUTF8(bytes: [UInt8], expected: String) {
    #expect(Self.failure(bytes) == expected)
  }

  @Test func validUTF8Everywhere() throws {
    let text = "{\"ключ\":\"значение\",\"emoji\":\"😀👍🏽\",\"cjk\":\"漢字\",\"max\":\"\u{10F7FF}\"}"
    let v = try JSONValue.parse(text)
    #expect(v["ключ"] == "значение")
    #expect(v.compactString() == text)
  }
}
