import JSON
import Testing

@Suite("JavaScript number text")
struct JavaScriptNumberTests {
  @Test(
    "Number::toString layouts",
    arguments: [
      (46.0, "46"), (0.1, "0.1"), (-0.0, "0"), (1e21, "1e+21"), (1e20, "100000000000000000000"), (1.5e-7, "1.5e-7"),
      (0.000001, "0.000001"), (123.456, "123.456"), (-2.5, "-2.5"), (.leastNonzeroMagnitude, "5e-324"),
      (1.7976931348623157e308, "1.7976931348623157e+308"),
    ])
  func layouts(_ pair: (Double, String)) {
    #expect(JavaScriptNumber.string(pair.0) == pair.1)
  }

  @Test("non-finite values and integers beyond 2^53")
  func edges() {
    #expect(JavaScriptNumber.string(Double.nan) == "NaN")
    #expect(JavaScriptNumber.string(-Double.infinity) == "-Infinity")
    #expect(JavaScriptNumber.string(JSONValue.int(9_007_199_254_740_993)) == "9007199254740992")
    #expect(JavaScriptNumber.string(JSONValue.numberLiteral("12345678901234567890")) == "12345678901234567000")
    #expect(JavaScriptNumber.string(JSONValue.string("1")) == nil)
  }

  @Test("JSON.stringify text")
  func stringify() throws {
    #expect(
      try JSONValue.parse(#"{"a":46.0,"b":[1e21,"x/y"],"c":null}"#).javaScriptJSONString
        == #"{"a":46,"b":[1e+21,"x/y"],"c":null}"#)
  }
}

@Suite("exact string and key equality")
struct ExactEqualityTests {
  @Test("canonically equivalent but different strings and keys are different JSON")
  func canonicalEquivalence() throws {
    #expect(JSONValue.string("é") != JSONValue.string("e\u{301}"))
    let object = try JSONValue.parse(#"{"é": 1, "e\u0301": 2}"#)
    #expect(object.objectValue?.count == 2)
    #expect(object["é"] == 1)
    #expect(object["e\u{301}"] == 2)
    // Large objects use a key index; it must be exact too.
    var big = JSONObject()
    for i in 0..<40 { big["k\(i)"] = .int(Int64(i)) }
    big["é"] = 1
    big["e\u{301}"] = 2
    #expect(big.count == 42)
    #expect(big["e\u{301}"] == 2)
  }
}
