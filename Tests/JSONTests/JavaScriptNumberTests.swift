import Foundation
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

  @Test("the byte-wise layout agrees with a Character-wise reference on many doubles")
  func layoutMatchesReference() {
    var generator = SystemRandomNumberGenerator()
    var values: [Double] = [
      1, 10, 1e-6, 1e-7, 9.999999e-7, 1e21, 9.99e20, 123e19, 0.5, .leastNonzeroMagnitude, 2.2250738585072014e-308,
    ]
    for exponent in -30...30 {
      values.append(pow(10, Double(exponent)))
      values.append(1.25 * pow(10, Double(exponent)))
    }
    for _ in 0..<5000 {
      values.append(Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF))  // finite, positive
      values.append(Double(Int64.random(in: -1_000_000...1_000_000)) / 100)
    }
    for d in values where d.isFinite {
      #expect(JavaScriptNumber.string(d) == Self.reference(d), "\(d)")
    }
  }

  /// The layout of `Number::toString` written the plain way, on `Character`s (the implementation before the
  /// byte-wise one), as the oracle.
  static func reference(_ d: Double) -> String {
    if d == 0 { return "0" }
    if d < 0 { return "-" + reference(-d) }
    let text = d.description
    var mantissa = Substring(text)
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = text[..<e]
      exponent = Int(text[text.index(after: e)...]) ?? 0
    }
    let dot = mantissa.firstIndex(of: ".") ?? mantissa.endIndex
    let intPart = mantissa[..<dot]
    let fracPart = dot == mantissa.endIndex ? "" : mantissa[mantissa.index(after: dot)...]
    var digits = Array(intPart + fracPart)
    var n = intPart.count + exponent
    while digits.first == "0" {
      digits.removeFirst()
      n -= 1
    }
    while digits.last == "0" { digits.removeLast() }
    let k = digits.count
    let s = String(digits)
    if k <= n && n <= 21 { return s + String(repeating: "0", count: n - k) }
    if 0 < n && n <= 21 { return String(digits[..<n]) + "." + String(digits[n...]) }
    if -6 < n && n <= 0 { return "0." + String(repeating: "0", count: -n) + s }
    let e = n - 1
    let head = k == 1 ? s : String(digits[0]) + "." + String(digits[1...])
    return head + "e" + (e < 0 ? "-" : "+") + String(e.magnitude)
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
