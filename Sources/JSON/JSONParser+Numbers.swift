extension JSONParser {
  /// Parses a number at `pos` (RFC 8259 grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`).
  ///
  /// Integers that fit `Int64` become `.int`, larger integers `.numberLiteral`; numbers with a fraction or exponent
  /// become `.double`, or `.numberLiteral` when the `Double` would be infinite.
  mutating func parseNumber() throws(JSONParseError) -> JSONValue {
    let start = pos
    var negative = false
    if bytes[pos] == Byte.minus {
      negative = true
      pos += 1
    }
    guard pos < bytes.count, isDigit(bytes[pos]) else { throw expectedDigit("after '-'") }

    // Significant digits go into `mantissa` (at most 19, which always fit a UInt64).
    var mantissa: UInt64 = 0
    var digits = 0
    var truncated = false
    var exponent = 0

    if bytes[pos] == Byte.zero {
      pos += 1
      if pos < bytes.count, isDigit(bytes[pos]) {
        throw error("leading zeros are not allowed in numbers", at: pos - 1)
      }
    } else {
      while pos < bytes.count, isDigit(bytes[pos]) {
        if digits < 19 {
          mantissa = mantissa &* 10 &+ UInt64(bytes[pos] &- Byte.zero)
          digits += 1
        } else {
          truncated = true
        }
        pos += 1
      }
    }

    var isInteger = true
    if pos < bytes.count, bytes[pos] == Byte.dot {
      isInteger = false
      pos += 1
      guard pos < bytes.count, isDigit(bytes[pos]) else { throw expectedDigit("after '.'") }
      while pos < bytes.count, isDigit(bytes[pos]) {
        let d = bytes[pos] &- Byte.zero
        if mantissa == 0 && d == 0 {
          exponent -= 1  // a leading zero of the fraction
        } else if digits < 19 {
          mantissa = mantissa &* 10 &+ UInt64(d)
          digits += 1
          exponent -= 1
        } else {
          truncated = true
        }
        pos += 1
      }
    }

    if pos < bytes.count, bytes[pos] == Byte.lowerE || bytes[pos] == Byte.upperE {
      isInteger = false
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
      exponent += negativeExponent ? -e : e
    }

    if isInteger {
      if !truncated {
        if !negative, mantissa <= UInt64(Int64.max) { return .int(Int64(mantissa)) }
        if negative, mantissa <= UInt64(Int64.max) + 1 { return .int(Int64(bitPattern: 0 &- mantissa)) }
      }
      return .numberLiteral(text(from: start))
    }

    // Exact fast path (Clinger): the mantissa and the power of ten are both exact doubles, so one
    // multiplication or division rounds correctly.
    if !truncated, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
      var d = Double(mantissa)
      if exponent < 0 {
        d /= powersOfTen[-exponent]
      } else {
        d *= powersOfTen[exponent]
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
