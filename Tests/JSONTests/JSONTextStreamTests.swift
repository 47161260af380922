import JSON
import Testing

/// `JSONTextStream`: units found across any chunk boundary, whatever the layout of the input.
@Suite struct JSONTextStreamTests {
  static func units(_ text: String, chunk: Int) throws -> [String] {
    let bytes = Array(text.utf8)
    var offset = 0
    var stream = JSONTextStream(chunk: chunk) { buffer, n in
      let take = min(n, bytes.count - offset)
      buffer.append(contentsOf: bytes[offset..<(offset + take)])
      offset += take
      return take
    }
    var out: [String] = []
    while let unit = try stream.next() { out.append(String(decoding: unit.bytes, as: UTF8.self)) }
    return out
  }

  @Test("arrays, NDJSON and concatenated values split the same at every chunk size", arguments: [1, 2, 3, 7, 64, 4096])
  func layouts(_ chunk: Int) throws {
    let array = #"[ {"a":"x]}\"["}, [1,[2]] , "s,t" ,4.5e1,true,null ]"#
    #expect(try Self.units(array, chunk: chunk) == [#"{"a":"x]}\"["}"#, "[1,[2]]", #""s,t""#, "4.5e1", "true", "null"])
    let ndjson = "{\"e\":1}\n{\"e\":2}\r\n\n  {\"e\":\"\\n}\"}\n"
    #expect(try Self.units(ndjson, chunk: chunk) == [#"{"e":1}"#, #"{"e":2}"#, #"{"e":"\n}"}"#])
    // Top-level arrays (NDJSON of arrays) expand into their elements; other values stay whole.
    #expect(try Self.units("[1,2]\n[3]\n{\"batch\":[4]}", chunk: chunk) == ["1", "2", "3", #"{"batch":[4]}"#])
    #expect(try Self.units("   ", chunk: chunk).isEmpty)
    #expect(try Self.units("[]", chunk: chunk).isEmpty)
  }

  @Test("a value cut off by the end of the input is handed over as it is, for its parse to name the problem")
  func cutOff() throws {
    #expect(try Self.units("{\"a\":1}\n{\"b\": [1", chunk: 4) == [#"{"a":1}"#, #"{"b": [1"#])
    #expect(try Self.units("\"open", chunk: 2) == [#""open"#])
  }

  @Test("lines are counted for messages")
  func lines() throws {
    let text = "{\"a\":1}\n\n{\"b\":\n2}\n{\"c\":3}"
    var offset = 0
    let bytes = Array(text.utf8)
    var stream = JSONTextStream(chunk: 3) { buffer, n in
      let take = min(n, bytes.count - offset)
      buffer.append(contentsOf: bytes[offset..<(offset + take)])
      offset += take
      return take
    }
    var lines: [Int] = []
    while let unit = try stream.next() { lines.append(unit.line) }
    #expect(lines == [1, 3, 5])
  }

  @Test("broken inputs are errors, not units", arguments: ["[1,2", "]", "[{]"])
  func broken(_ text: String) {
    #expect(throws: JSONTextStream.StreamError.self) { _ = try Self.units(text, chunk: 2) }
  }
}
