import Golden
import JSON
import Replay
import Testing

/// The signature `minimize` keeps: differing places with array indices as `*`, and kinds, without values.
@Suite struct DifferenceSignatureTests {
  private func signature(_ expected: String, _ actual: String) throws -> [String] {
    DifferenceSignature(expected: try JSONValue.parse(expected), actual: try JSONValue.parse(actual)).entries.map(
      \.description)
  }

  @Test func indicesAreWildcardsSoShiftedItemsKeepTheSignature() throws {
    let three = try signature(
      #"[{"p":{"currency":"USD"}},{"p":{"currency":"EUR"}},{"p":{"currency":"GBP"}}]"#, #"[{"p":{}},{"p":{}},{"p":{}}]"#
    )
    let one = try signature(#"[{"p":{"currency":"X"}}]"#, #"[{"p":{}}]"#)
    #expect(three == ["/*/p/currency: missing"])
    #expect(one == three)
  }

  @Test func valuesAreLeftOutKindsAreKept() throws {
    #expect(try signature(#"{"e":"PlaceAnOrder"}"#, #"{"e":"placeanorder"}"#) == ["/e: changed value"])
    #expect(try signature(#"{"e":"A"}"#, #"{"e":"B"}"#) == ["/e: changed value"])
    #expect(try signature(#"{"id":"1"}"#, #"{"id":1}"#) == ["/id: changed type"])
    #expect(try signature(#"{"a":[1,2]}"#, #"{"a":[1]}"#) == ["/a: array length", "/a/*: missing"])
    #expect(try signature(#"{}"#, #"{"z":1}"#) == ["/z: unexpected"])
    #expect(try signature(#"1"#, #"2"#) == ["(root): changed value"])
    #expect(try signature(#"{"a":1}"#, #"{"a":1.0}"#).isEmpty)
  }

  /// Only tokens that index an array become `*`: an object member named `0` stays itself.
  @Test func memberNamesThatLookLikeIndicesStay() throws {
    #expect(try signature(#"{"0":{"x":1}}"#, #"{"0":{"x":2}}"#) == ["/0/x: changed value"])
    #expect(try signature(#"[[{"0":1}]]"#, #"[[{"0":2}]]"#) == ["/*/*/0: changed value"])
    // An item only the actual answer has is located in the actual answer.
    #expect(try signature(#"{"a":[]}"#, #"{"a":[{"0":1}]}"#) == ["/a: array length", "/a/*: unexpected"])
  }

  @Test func anotherDifferenceIsAnotherSignature() throws {
    let a = DifferenceSignature(expected: ["a": 1, "b": 1], actual: ["a": 2, "b": 1])
    let b = DifferenceSignature(expected: ["a": 1, "b": 1], actual: ["a": 2, "b": 2])
    let c = DifferenceSignature(expected: ["a": 1], actual: ["a": "1"])
    #expect(a != b && a != c)
    #expect(a == DifferenceSignature(expected: ["a": 5, "b": 1], actual: ["a": 6, "b": 1]))
    #expect(DifferenceSignature(expected: ["a": 1], actual: ["a": 1]).isEmpty)
  }
}
