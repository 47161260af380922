import JSON
import Testing

@Suite struct EqualityTests {
  @Test func numbersCompareByValue() throws {
    #expect(JSONValue.int(46) == .double(46.0))
    #expect(try JSONValue.parse("46") == JSONValue.parse("46.0"))
    #expect(try JSONValue.parse("46") == JSONValue.parse("4.6e1"))
    #expect(try !JSONValue.parse("46").isIdentical(to: JSONValue.parse("46.0")))
    #expect(JSONValue.double(0) == .double(-0.0))
    #expect(JSONValue.int(0) == .double(-0.0))
    #expect(JSONValue.int(1) != .double(1.5))
    // A double equals every number that rounds to it (R15): Int64.max rounds to 2^63.
    #expect(JSONValue.int(.max) == .double(9223372036854775807.0))
    #expect(JSONValue.int(9_007_199_254_740_993) == .double(9_007_199_254_740_992))
    #expect(JSONValue.int(9_007_199_254_740_993) != .int(9_007_199_254_740_992))
    let big = try JSONValue.parse("12345678901234567890")
    #expect(big == .numberLiteral("12345678901234567890"))
    #expect(big != .int(.max))
    #expect(JSONValue.numberLiteral("1e400") == .numberLiteral("1e400"))
  }

  @Test func hugeNumbersCompareExactly() throws {
    let big = try JSONValue.parse("12345678901234567890")
    #expect(big != (try JSONValue.parse("12345678901234567891")))
    #expect(big == .numberLiteral("1.234567890123456789e19"))
    #expect(big == .numberLiteral("12345678901234567890.000"))
    // That double is exactly 12345678901234567168, and it is the double both literals below round to.
    #expect(big == .double(12345678901234567890.0))
    #expect(JSONValue.numberLiteral("12345678901234567000") == .double(12345678901234567890.0))
    #expect(JSONValue.numberLiteral("12345678901234567168") == .double(12345678901234567890.0))
    #expect(JSONValue.numberLiteral("-9223372036854775808") == .int(.min))
    #expect(JSONValue.numberLiteral("9223372036854775807") == .int(.max))
    #expect(JSONValue.numberLiteral("1e2") == .int(100))
    #expect(JSONValue.numberLiteral("1E+2") == .double(100))
    #expect(JSONValue.numberLiteral("0.5") == .double(0.5))
    #expect(JSONValue.numberLiteral("0.1") == .double(0.1))  // the literal JavaScript reads as that double
    #expect(JSONValue.numberLiteral("0.1") != .numberLiteral("0.10000000000000001"))  // two literals: exact
    #expect(JSONValue.numberLiteral("-0") == .int(0))
    #expect(JSONValue.numberLiteral("0e10") == .double(-0.0))
    #expect(JSONValue.numberLiteral("4.9406564584124654e-324") == .double(.leastNonzeroMagnitude))
    #expect(
      JSONValue.numberLiteral(
        "4.940656458412465441765687928682213723650598026143247644255856825006755072702087518652998363616359923797965646954457177309266567103559397963987747960107818781263007131903114045278458171678489821036887186360569987307230500063874091535649843873124733972731696151400317153853980741262385655911710266585566867681870395603106249319452715914924553293054565444011274801297099995419319894090804165633245247571478690147267801593552386115501348035264934720193790268107107491703332226844753335720832431936092382893458368060106011506169809753078342277318329247904982524730776375927247874656084778203734469699533647017972677717585125660551199131504891101451037862738167250955837389733598993664809941164205702637090279242767544565229087538682506419718265533447265625e-324"
      ) == .double(.leastNonzeroMagnitude))
    #expect(JSONValue.numberLiteral("1e400") == .double(.infinity))  // JSON.parse("1e400") is Infinity
    #expect(JSONValue.numberLiteral("1e400") != .double(1.7976931348623157e308))
    #expect(JSONValue.numberLiteral("not a number") != .int(0))
  }

  @Test func typesDoNotMix() {
    #expect(JSONValue.null != .bool(false))
    #expect(JSONValue.bool(true) != .int(1))
    #expect(JSONValue.string("1") != .int(1))
    #expect(JSONValue.array([]) != .object([:]))
    #expect(JSONValue.string("") != .null)
  }

  @Test func keyOrderIgnoredByEqualityButNotIdentity() throws {
    let a = try JSONValue.parse(#"{"x":1,"y":{"p":[1,2],"q":null}}"#)
    let b = try JSONValue.parse(#"{"y":{"q":null,"p":[1,2]},"x":1.0}"#)
    #expect(a == b)
    #expect(!a.isIdentical(to: b))
    #expect(a.isIdentical(to: try JSONValue.parse(a.compactString())))
    #expect(a.canonicalString() == b.canonicalString().replacingOccurrences(of: "1.0", with: "1"))
  }

  @Test func arrayOrderMatters() throws {
    #expect(try JSONValue.parse("[1,2]") != JSONValue.parse("[2,1]"))
    #expect(try JSONValue.parse("[1,2]") != JSONValue.parse("[1,2,3]"))
    #expect(try JSONValue.parse(#"{"a":1}"#) != JSONValue.parse(#"{"a":1,"b":2}"#))
    #expect(try JSONValue.parse(#"{"a":1}"#) != JSONValue.parse(#"{"b":1}"#))
  }

  @Test func stringsCompareByScalars() throws {
    #expect(try JSONValue.parse(#""\u00e9""#) == .string("é"))
    #expect(try JSONValue.parse(#""\u0041""#) == .string("A"))
    #expect(try JSONValue.parse(#""\/""#) == .string("/"))
    #expect(!JSONValue.string("é").isIdentical(to: .string("e\u{301}")))
  }
}

extension String {
  /// Minimal replacement helper so the test needs no Foundation.
  fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
