/// The exact value of a JSON number in a canonical decimal form, so that numbers of any size compare exactly:
/// `12345678901234567890` and `12345678901234567891` differ, and `1e2 == 100 == 100.0`.
///
/// The value is `(negative ? -1 : 1) × 0.d₁d₂…dₙ × 10^exponent` with no leading or trailing zero digits;
/// zero has no digits and is never negative.
struct ExactDecimal: Equatable {
  var negative = false
  var digits: [UInt8] = []
  var exponent = 0

  /// The value of the JSON number literal `text`, or `nil` if `text` is not one.
  init?(literal text: String) {
    var bytes = Array(text.utf8)[...]
    if bytes.first == Byte.minus {
      negative = true
      bytes = bytes.dropFirst()
    }
    var sawDigit = false
    var pointSeen = false
    var scale = 0  // digits after the point that were kept
    var leadingZeros = true
    var exponentPart = 0
    while let b = bytes.first {
      if b >= Byte.zero && b <= Byte.nine {
        sawDigit = true
        if leadingZeros && b == Byte.zero {
          if pointSeen { scale += 1 }
        } else {
          leadingZeros = false
          digits.append(b - Byte.zero)
          if pointSeen { scale += 1 }
        }
      } else if b == Byte.dot && !pointSeen {
        pointSeen = true
      } else if b == Byte.lowerE || b == Byte.upperE {
        guard let e = Int(String(decoding: bytes.dropFirst(), as: UTF8.self)) else { return nil }
        exponentPart = e
        bytes = bytes[bytes.endIndex...]
        break
      } else {
        return nil
      }
      bytes = bytes.dropFirst()
    }
    guard sawDigit else { return nil }
    // The digits read as an integer, times 10^(exponentPart - scale).
    exponent = digits.count - scale + exponentPart
    normalize()
  }

  /// The exact value of `value`.
  init(_ value: Int64) {
    negative = value < 0
    digits = String(value.magnitude).utf8.map { $0 - Byte.zero }
    exponent = digits.count
    normalize()
  }

  /// The exact value of the finite double `value` (its full binary expansion, not the shortest text).
  init?(_ value: Double) {
    guard value.isFinite else { return nil }
    negative = value.sign == .minus
    guard value != 0 else {
      negative = false
      return
    }
    // value = significand × 2^power, with an integer significand below 2^53.
    let bits = value.significandBitPattern
    let biased = Int(value.exponentBitPattern)
    let significand = biased == 0 ? bits : bits | 1 << UInt64(Double.significandBitCount)
    let power = (biased == 0 ? 1 : biased) - 1023 - Double.significandBitCount
    var limbs = LimbNumber(significand)
    var decimalShift = 0
    if power >= 0 {
      limbs.multiply(byPowerOf: 2, count: power)
    } else {
      // significand / 2^k = significand × 5^k / 10^k.
      limbs.multiply(byPowerOf: 5, count: -power)
      decimalShift = power
    }
    digits = limbs.decimalDigits()
    exponent = digits.count + decimalShift
    normalize()
  }

  private mutating func normalize() {
    while digits.last == 0 { digits.removeLast() }
    var lead = 0
    while lead < digits.count && digits[lead] == 0 { lead += 1 }
    if lead > 0 {
      digits.removeFirst(lead)
      exponent -= lead
    }
    if digits.isEmpty {
      negative = false
      exponent = 0
    }
  }
}

/// A non-negative integer in base 10^9 limbs (least significant first), for exact decimal expansion of doubles.
private struct LimbNumber {
  private static let base: UInt64 = 1_000_000_000
  private var limbs: [UInt64]

  init(_ value: UInt64) {
    limbs = []
    var v = value
    repeat {
      limbs.append(v % Self.base)
      v /= Self.base
    } while v != 0
  }

  /// Multiplies by `factor`^`count` (`factor` is 2 or 5), in chunks that keep each step within 64 bits.
  mutating func multiply(byPowerOf factor: UInt64, count: Int) {
    let chunkExponent = factor == 2 ? 30 : 13  // 2^30 and 5^13 are below 2^31
    var chunk: UInt64 = 1
    for _ in 0..<chunkExponent { chunk *= factor }
    var remaining = count
    while remaining > 0 {
      let n = min(remaining, chunkExponent)
      var m: UInt64 = 1
      if n == chunkExponent {
        m = chunk
      } else {
        for _ in 0..<n { m *= factor }
      }
      multiply(by: m)
      remaining -= n
    }
  }

  private mutating func multiply(by m: UInt64) {
    var carry: UInt64 = 0
    for i in limbs.indices {
      let product = limbs[i] * m + carry
      limbs[i] = product % Self.base
      carry = product / Self.base
    }
    while carry != 0 {
      limbs.append(carry % Self.base)
      carry /= Self.base
    }
  }

  /// The decimal digits, most significant first, without leading zeros.
  func decimalDigits() -> [UInt8] {
    var out: [UInt8] = []
    for (i, limb) in limbs.reversed().enumerated() {
      var chunk: [UInt8] = []
      var v = limb
      for _ in 0..<9 {
        chunk.append(UInt8(v % 10))
        v /= 10
      }
      chunk.reverse()
      if i == 0 {
        out.append(contentsOf: chunk.drop { $0 == 0 })
      } else {
        out.append(contentsOf: chunk)
      }
    }
    return out
  }
}
