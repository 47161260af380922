extension JSONParser {
  /// The significant digits of a number being read: at most 19 of them in `mantissa` (which always fit a
  /// `UInt64`), whether more were dropped, and the power of ten that scales them.
  struct Significand {
    var mantissa: UInt64 = 0
    var digits = 0
    var truncated = false
    var exponent = 0
  }

  /// Parses a number at `pos` (RFC 8259 grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`).
  ///
  /// Integers that fit `Int64` become `.int`, larger integers `.numberLiteral`; numbers with a fraction or exponent
  /// become `.double`, or `.numberLiteral` when the `Double` would be infinite.
  mutating func parseNumber() throws(JSONParseError) -> JSONValue {
    let start = pos
    let negative = bytes[pos] == Byte.minus
    if negative { pos += 1 }
    guard pos < bytes.count, isDigit(bytes[pos]) else { throw expectedDigit("after '-'") }
    var s = Significand()
    try readIntegerDigits(&s)
    var isInteger = true
    if pos < bytes.count, bytes[pos] == Byte.dot {
      isInteger = false
      try readFraction(&s)
    }
    if pos < bytes.count, bytes[pos] == Byte.lowerE || bytes[pos] == Byte.upperE {
      isInteger = false
      try readExponent(&s)
    }
    if isInteger {
      if !s.truncated {
        if !negative, s.mantissa <= UInt64(Int64.max) { return .int(Int64(s.mantissa)) }
        if negative, s.mantissa <= UInt64(Int64.max) + 1 { return .int(Int64(bitPattern: 0 &- s.mantissa)) }
      }
      return .numberLiteral(text(from: start))
    }
    return double(s, negative: negative, from: start)
  }

  /// `0` or `[1-9][0-9]*`, into `s`.
  @inline(__always)
  private mutating func readIntegerDigits(_ s: inout Significand) throws(JSONParseError) {
    if bytes[pos] == Byte.zero {
      pos += 1
      if pos < bytes.count, isDigit(bytes[pos]) {
        throw error("leading zeros are not allowed in numbers", at: pos - 1)
      }
      return
    }
    while pos < bytes.count, isDigit(bytes[pos]) {
      if s.digits < 19 {
        s.mantissa = s.mantissa &* 10 &+ UInt64(bytes[pos] &- Byte.zero)
        s.digits += 1
      } else {
        s.truncated = true
      }
      pos += 1
    }
  }

  /// `. [0-9]+` at `pos`, into `s` (each kept digit lowers the exponent; leading zeros only scale).
  @inline(__always)
  private mutating func readFraction(_ s: inout Significand) throws(JSONParseError) {
    pos += 1
    guard pos < bytes.count, isDigit(bytes[pos]) else { throw expectedDigit("after '.'") }
    while pos < bytes.count, isDigit(bytes[pos]) {
      let d = bytes[pos] &- Byte.zero
      if s.mantissa == 0 && d == 0 {
        s.exponent -= 1  // a leading zero of the fraction
      } else if s.digits < 19 {
        s.mantissa = s.mantissa &* 10 &+ UInt64(d)
        s.digits += 1
        s.exponent -= 1
      } else {
        s.truncated = true
      }
      pos += 1
    }
  }

  /// `[eE] [+-]? [0-9]+` at `pos`, added to `s.exponent` (saturating at a million: far beyond any double).
  @inline(__always)
  private mutating func readExponent(_ s: inout Significand) throws(JSONParseError) {
    pos += 1
    var negativeExponent = false
    if pos < bytes.count, bytes[pos] == Byte.plus || bytes[pos] == Byte.minus {
      negativeExponent = bytes[pos] == Byte.minus
      pos += 1
    }
    guard pos < bytes.count, isDigit(bytes[pos]) else { throw expectedDigit("in exponent") }
    var e = 0
    while pos < bytes.count, isDigit(bytes[pos]) {
      if e < 1_000_000 { e = e * 10 + Int(bytes[pos] &- Byte.zero) }
      pos += 1
    }
    s.exponent += negativeExponent ? -e : e
  }

  /// The double that `s` (and the sign) stands for: Clinger's exact fast path when the mantissa and the power of
  /// ten are both exact doubles (one multiplication or division rounds correctly), else the standard library's
  /// correctly rounded reading of the text; `.numberLiteral` when that is infinite.
  @inline(__always)
  private func double(_ s: Significand, negative: Bool, from start: Int) -> JSONValue {
    if !s.truncated, s.mantissa <= 1 << 53, s.exponent >= -22, s.exponent <= 22 {
      var d = Double(s.mantissa)
      if s.exponent < 0 {
        d /= powersOfTen[-s.exponent]
      } else {
        d *= powersOfTen[s.exponent]
      }
      return .double(negative ? -d : d)
    }
    let literal = text(from: start)
    guard let d = Double(literal), d.isFinite else { return .numberLiteral(literal) }
    return .double(d)
  }

  @inline(__always)
  private func isDigit(_ b: UInt8) -> Bool { b &- Byte.zero < 10 }

  private func text(from start: Int) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
  }

  private func expectedDigit(_ place: String) -> JSONParseError {
    if pos >= bytes.count { return error("unexpected end of input, expected a digit \(place)", at: pos) }
    return invalidOr("expected a digit \(place)")
  }
}

/// 10^0 … 10^22, all exactly representable as `Double`.
private let powersOfTen: [Double] = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]
